"""y copies the figures on screen, now (issue 14 item 6, ux-newcomer 7 and 8): never the figure
open before a quick cursor move; on a table, every figure, one citation a line; in the results,
the highlighted one; and the notice says how far the copy got."""

from __future__ import annotations

import pytest

from tests.helpers import search, settle
from tui.app import clipboard
from tui.app.places import figures_shown
from tui.app.screens.copied import CopiedScreen
from tui.app.state import Place
from tui.app.widgets.detail import DetailView
from tui.app.widgets.fact_tree import FactTree
from tui.domain.vocab import label

SIZE = (80, 24)


async def _started(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.pause(0.4)
    await settle(pilot)


async def test_y_right_after_a_cursor_move_copies_what_the_pane_then_shows(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        app.screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await settle(pilot)
        tree = app.screen.query_one(FactTree)
        tree.focus()
        await pilot.press("home", "down", "y")  # one burst, as over a laggy link: no time to rest
        await pilot.pause()
        assert isinstance(app.screen, CopiedScreen)
        await pilot.press("escape")
        main = app.screen
        place = tree.cursor_node.data
        assert main.history.current == place  # the pane shows where the cursor is ...
        copied = app.clipboard.split("\n")
        expected = figures_shown(main.facts, place)
        assert len(copied) == len(expected) and all(
            f"[fact {f.id}]" in line for f, line in zip(expected, copied, strict=True)
        )
        assert "alpha-exit" not in app.clipboard or "alpha-exit" in {f.id for f in expected}  # ... not the old one


async def test_y_on_a_table_copies_every_figure_one_citation_a_line(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        place = Place("theme", county="alpha", theme="poverty")
        app.screen.visit(place)
        await settle(pilot)
        app.screen.query_one(DetailView).focus()
        await pilot.press("y")
        lines = app.clipboard.split("\n")
        figures = figures_shown(app.base, place)
        assert len(figures) > 1 and len(lines) == len(figures)
        for fact, line in zip(figures, lines, strict=True):
            assert line.endswith(f"[fact {fact.id}]") and line.isprintable()


async def test_y_in_the_results_copies_the_highlighted_one(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        hits = await search(pilot, "甲县")
        assert len(hits) > 1
        await pilot.press("down", "tab", "y")  # Tab: from the search bar to the list
        assert app.clipboard.endswith(f"[fact {hits[1].fact.id}]") and "\n" not in app.clipboard


@pytest.mark.parametrize(
    ("settings", "heading"),
    [
        ({}, "copy.terminal"),
        ({"set-clipboard": "on"}, "copy.tmux"),
        ({"set-clipboard": "external", "allow-passthrough": "on"}, "copy.passthrough"),
        ({"set-clipboard": "external", "allow-passthrough": "off"}, "copy.blocked"),
    ],
)
async def test_the_notice_says_whether_the_copy_arrived(  # type: ignore[no-untyped-def]
    make_app, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], heading: str
) -> None:
    if settings:
        monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
        monkeypatch.setattr(clipboard, "_tmux_option", lambda name: settings.get(name, ""))
    else:
        monkeypatch.delenv("TMUX", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot)
        app.screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await settle(pilot)
        await pilot.press("y")
        notice = app.screen
        assert isinstance(notice, CopiedScreen)
        assert notice.heading == label(heading, "zh").format(fix=clipboard.TMUX_FIX)
        assert (clipboard.TMUX_FIX in notice.heading) == (heading == "copy.blocked")
        assert notice.text == app.clipboard
