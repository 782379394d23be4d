"""Preferences kept between sessions with the place (analyst item 7): the language, the tree's
grouping and the comparison's theme and sort are saved, restored, and a value the facts no
longer have (a theme removed) is dropped; ``--lang`` wins over the saved language."""

from __future__ import annotations

import argparse

import pytest

from tests.helpers import MINI
from tui.app.persist import Saved, load_state, save_state, state_path
from tui.app.places import restored
from tui.app.screens.compare import CompareScreen
from tui.app.state import History, Place
from tui.app.widgets.fact_tree import FactTree
from tui.cli.args import parser
from tui.factfiles.loader import load

SIZE = (100, 30)


def _saved(**changes: object) -> Saved:
    history = History().visit(Place("county", county="beta"))
    kept = Saved(history, "", ("alpha", "beta"), False, str(MINI / "facts"))
    return kept.with_place(**changes)


async def test_changed_preferences_are_saved_and_restored_by_the_next_session(make_app) -> None:  # type: ignore[no-untyped-def]
    facts = str(MINI / "facts")
    app = make_app(facts=facts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "l")  # the tree by theme, the interface in English
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("t", "s")  # the first theme, sorted by value
        await pilot.pause()
        theme, sort = app.screen.theme, app.screen.sort
        assert theme and sort == "value"
        await pilot.press("q")
    saved, notice = load_state(state_path())
    assert notice == "" and saved is not None
    assert (saved.lang, saved.grouping, saved.compare_theme, saved.compare_sort) == ("en", "theme", theme, "value")
    assert saved.compare_open  # it was open when the session ended

    again = make_app(facts=facts, lang=saved.lang, saved=saved)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert again.main is not None and again.main.query_one(FactTree).grouping == "theme"
        assert isinstance(again.screen, CompareScreen)
        assert (again.screen.theme, again.screen.sort, again.screen.lang) == (theme, "value", "en")


async def test_the_kept_comparison_view_applies_when_it_is_opened_again(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(facts=str(MINI / "facts"), saved=_saved(compare_theme="funding", compare_sort="gap"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.main is not None and app.main.grouping == "county"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.theme, app.screen.sort) == ("funding", "gap")
        await pilot.press("s")  # gap -> metric
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.saved_state().compare_sort == "metric"


def test_a_theme_the_facts_no_longer_have_is_dropped() -> None:
    base, _ = load(MINI / "facts")
    kept = restored(base, _saved(compare_theme="gone", compare=("alpha", "nowhere"), compare_open=True))
    assert kept.compare_theme == "" and kept.compare == ("alpha",) and not kept.compare_open  # one county: closed
    assert restored(base, _saved(compare_theme="funding")).compare_theme == "funding"


class _Ran:
    """Stands in for the app: records how it was built."""

    options: dict[str, object] = {}

    def __init__(self, *_: object, **options: object) -> None:
        _Ran.options = options

    def run(self, **_: object) -> None:
        pass


@pytest.mark.parametrize(("argv", "expected"), [([], "en"), (["--lang", "zh"], "zh")])
def test_the_saved_language_is_used_unless_lang_is_given(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: str
) -> None:
    import tui.app
    from tui.cli.launch import run_app

    save_state(_saved(lang="en"))
    monkeypatch.setattr(tui.app, "build_app", _Ran)
    args = parser().parse_args([*argv, "--facts", str(MINI / "facts")])
    assert isinstance(args, argparse.Namespace)
    run_app(args, _Store())
    assert _Ran.options["lang"] == expected


def test_a_command_without_lang_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli.main import main

    save_state(_saved(lang="en"))  # the app's choice is not the commands'
    assert main(["show", "alpha", "--facts", str(MINI / "facts")]) == 0
    assert "贫困" in capsys.readouterr().out


class _Store:
    base = problems = search_index = changed = None
