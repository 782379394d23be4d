"""Search behaves as people expect: / selects the old query, Esc keeps it, the count and a
"more" line are shown, Down/Enter act on the visible list only, and the list stays put."""

from __future__ import annotations

import pytest

from tests.helpers import REPO, search, settle
from tui.app.state import Place
from tui.app.widgets import search_panel
from tui.app.widgets.search import ResultList, SearchBar, result_line
from tui.app.widgets.search_panel import SearchPanel
from tui.domain.vocab import value_parts, written
from tui.present.textfmt import cell_len

SIZE = (80, 24)


def _panel(app) -> SearchPanel:  # type: ignore[no-untyped-def]
    return app.screen.query_one(SearchPanel)


def _showing(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#right").current  # type: ignore[no-any-return]


async def test_slash_selects_the_old_query_so_typing_replaces_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "甲县")
        await pilot.press("escape")
        await search(pilot, "pkfsl")
        assert app.screen.query_one(SearchBar).value == "pkfsl"
        assert _panel(app).shown_hits and _panel(app).shown_hits[0].fact.metric == "poverty.incidence"


async def test_escape_leaves_the_search_and_keeps_the_query(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, "甲县")
        await pilot.press("escape")
        assert _showing(app) == "detail" and app.screen.query_one(SearchBar).value == "甲县"
        await pilot.press("slash")
        assert _showing(app) == "results" and _panel(app).shown_hits == hits  # back to the results


async def test_results_show_their_count_and_a_more_line(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search_panel, "PAGE", 2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "甲县")
        panel = _panel(app)
        total = len(panel.hits)
        assert total > 2 and panel.shown == 2
        assert str(panel.query_one("#count").render()) == f"2 / {total} 条"
        assert str(panel.query_one("#more").render()) == f"↓ 还有 {total - 2} 条"
        await pilot.press("escape", "l")  # English (l in the search bar would be typed)
        await pilot.pause()
        assert str(panel.query_one("#count").render()) == f"2 of {total}"
        assert str(panel.query_one("#more").render()) == f"↓ {total - 2} more"


async def test_down_and_enter_act_on_the_visible_list_only(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "甲县")
        await pilot.press("escape")  # the list is hidden
        before = app.screen.history.current
        app.screen.query_one(SearchBar).focus()  # the bar focused without /, e.g. by a click
        await pilot.pause()
        await pilot.press("down")  # shows the list; does not move in it
        assert _showing(app) == "results" and app.screen.query_one(ResultList).highlighted == 0
        app.screen.query_one("#right").current = "detail"
        await pilot.press("enter")  # shows the list; opens nothing
        assert _showing(app) == "results" and app.screen.history.current == before


async def test_the_list_does_not_move_after_a_result_is_opened(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, "甲县")
        await pilot.press("down", "enter")
        opened = app.screen.history.current
        assert opened == Place("fact", county=hits[1].fact.county, fact=hits[1].fact.id)
        await pilot.press("down", "down", "l", "l")  # keys on the detail pane; the list redrawn twice
        await settle(pilot)
        await pilot.press("slash")
        assert app.screen.query_one(ResultList).highlighted == 1  # where it was left
        await pilot.press("enter")
        assert app.screen.history.current == opened


async def test_copy_and_compare_are_greyed_out_when_they_cannot_act(make_app, mini_tree) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.check_action("copy", ()) is True  # a county sheet: its headline figures, each cited
        assert screen.check_action("compare", ()) is True
        screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await pilot.pause()
        assert screen.check_action("copy", ()) is True
        assert not await search(pilot, "zzqqxxjj")  # nothing found: nothing to copy
        assert screen.check_action("copy", ()) is None
    (mini_tree / "facts" / "beta.toml").unlink()
    app = make_app(mini_tree)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.check_action("compare", ()) is None
        await pilot.press("c")
        assert app.screen.__class__.__name__ == "MainScreen"  # nothing to compare with


@pytest.mark.parametrize("typed", ["石柱 黔江 pkfsl", "county:石柱,黔江 pkfsl", "shizhu qianjiang pkfsl"])
async def test_two_counties_in_one_query(make_app, typed: str) -> None:  # type: ignore[no-untyped-def]
    """The analyst's question of #15: poverty incidence in 石柱 and 黔江, in one query."""
    app = make_app(REPO)
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, typed)
        assert hits and {hit.fact.county for hit in hits} == {"shizhu", "qianjiang"}
        assert {hit.fact.metric for hit in hits} == {"poverty.incidence"}
        shown = app.screen.query_one(ResultList)
        lines = [shown.render_line(y).text for y in range(shown.size.height)]
        assert any("12.7%" in line for line in lines) and any("13%" in line for line in lines)


async def test_a_year_and_a_kind_in_the_search_bar(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(REPO)
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, "石柱 when:2014 kind:基数")
        assert hits and all(h.fact.county == "shizhu" and h.fact.kind == "baseline" for h in hits)
        assert all(h.fact.when.startswith("2014") for h in hits)


async def test_field_mode_searches_once_typing_rests_and_enter_acts_on_the_query_typed(make_app) -> None:  # type: ignore[no-untyped-def]
    """Field mode (#17): no list is drawn for a query the user is still typing; Enter right
    after the last key opens the best result of the whole query, not of the query before."""
    app = make_app(field=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = _panel(app)
        drawn: list[str] = []
        original = panel._draw

        def spy(*, keep_cursor: bool) -> None:
            drawn.append(panel.query_text)
            original(keep_cursor=keep_cursor)

        panel._draw = spy  # type: ignore[method-assign]
        await pilot.press("slash", *"pkfsl")
        await pilot.pause(0.1)
        assert drawn == []  # still typing: nothing drawn yet
        await pilot.pause(search_panel.FIELD_TYPING_REST + 0.3)
        await settle(pilot)
        assert set(drawn) == {"pkfsl"}  # lists only for the query typed, none for p, pk, pkf …
        await pilot.press("escape", "slash", *"甲县", "enter")  # Enter before the rest is over
        await settle(pilot)
        assert drawn[-1] == "甲县"
        assert _showing(app) == "detail" and app.screen.history.current.county == "alpha"


@pytest.mark.parametrize("width", [30, 40, 48, 60, 88])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_result_keeps_its_value_date_and_scope_at_any_width(width: int, lang: str) -> None:
    """Values first: the value and its date whole on the first line, the scope never dropped
    (below, indented, when it does not fit), only the name gives way; names pad to line up."""
    from tui.factfiles.loader import load
    from tui.search.memory import MemorySearch

    base, _ = load(REPO / "facts")
    hits = MemorySearch(base).search("sz 搬迁", limit=50)
    names = search_panel.name_column(base, hits, lang)
    for hit in hits:
        lines = result_line(base, hit, lang, names=names, width=width).plain.split("\n")
        value = value_parts(hit.fact, lang)
        figure = f"{value.kind}{value.bound}{written(hit.fact)}  {hit.fact.when}"
        assert figure in lines[0]
        shortest = cell_len(f"{base.county(hit.fact.county).short} {'x' * 4}  {figure}")  # a name cut to 4
        assert all(cell_len(line) <= max(width, shortest) for line in lines)
        if not hit.fact.is_county_wide:
            assert hit.fact.scope in "\n".join(lines)
        if len(lines) > 1:
            assert lines[1].startswith("     ")
