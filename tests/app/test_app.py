"""The app, driven by keystrokes on the small fixture tree, asserting on state."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

from tests.helpers import MINI, REPO, search
from tests.unit.test_loader import _replace
from tui.app import build_app
from tui.app.palette import palette_entries
from tui.app.screens.compare import CompareScreen
from tui.app.screens.copied import CopiedScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.state import Place
from tui.app.widgets.compare_table import CompareTable
from tui.app.widgets.detail import DetailView
from tui.app.widgets.fact_tree import FactTree
from tui.app.widgets.search import ResultList
from tui.factfiles.loader import load
from tui.search.memory import MemorySearch

SIZE = (80, 24)


def _detail(app) -> str:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen.query_one(DetailView).plain_text.replace("\n", "")


@pytest.mark.parametrize(
    ("query", "metric"),
    [
        ("贫困发生率", "poverty.incidence"),
        ("pkfsl", "poverty.incidence"),
        ("3.75亿", "funding.total_invested"),
        ("jx tprk", "poverty.people_lifted"),
    ],
)
async def test_search_then_open_the_fact(make_app, query: str, metric: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, query)
        assert hits and hits[0].fact.metric == metric
        await pilot.press("enter")
        await pilot.pause()
        place = app.screen.history.current
        assert place.kind == "fact" and place.fact == hits[0].fact.id
        assert app.screen.query_one("#right").current == "detail"
        # the whole quote is shown, folded at the pane's width, never cut
        assert hits[0].fact.quote.replace(" ", "") in _detail(app).replace(" ", "")


async def test_down_moves_through_results_and_escape_returns(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = app.screen.history.current
        hits = await search(pilot, "甲县")
        assert len(hits) > 2
        await pilot.press("down", "down")
        assert app.screen.query_one(ResultList).highlighted == 2
        await pilot.press("escape")
        assert app.screen.query_one("#right").current == "detail"
        assert app.screen.history.current == before
        assert isinstance(app.focused, FactTree)
        assert app.screen.query_one("#search").value == "甲县"  # the query is kept


async def test_stale_results_are_dropped() -> None:
    """Results that come back for a query no longer typed are never shown."""
    from tui.app.widgets.search_panel import SearchPanel

    class Typist(MemorySearch):
        """A search during which the user types on (as a keystroke that lands mid-search)."""

        def search(self, text: str, limit: int | None = None):  # type: ignore[no-untyped-def]
            if text == "甲":
                app.screen.query_one(SearchPanel).query_text = "甲县"
            return super().search(text, limit)

    shown: list[str] = []

    def record(message) -> None:  # type: ignore[no-untyped-def]
        if isinstance(message, SearchPanel.Shown):
            shown.append(message.query_text)

    base, problems = load(MINI / "facts")
    app = build_app(base, problems, search=lambda: Typist(base))
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        hits = await search(pilot, "甲")
        assert hits and shown and set(shown) == {"甲县"}  # never the results of 甲
        assert app.screen.query_one(ResultList).option_count == len(hits)


async def test_tree_navigation_and_grouping(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(FactTree)
        assert app.screen.history.current == Place("county", county="alpha")
        assert "甲土家族自治县" in _detail(app)
        await pilot.press("down", "enter")  # the first theme of alpha
        assert app.screen.history.current == Place("theme", county="alpha", theme="poverty")
        await pilot.press("down", "enter")
        assert app.screen.history.current.kind == "metric"
        await pilot.press("g")
        assert tree.grouping == "theme"
        assert tree.root.children[0].data == Place("theme", theme="poverty")


async def test_disagreeing_sources_are_shown_side_by_side(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.visit(Place("metric", county="alpha", metric="poverty.people_lifted"))
        await pilot.pause()
        text = _detail(app)
        assert "6000人" in text and "5900人" in text
        assert text.count("来源不一致") == 2
        assert "超过 6000人" in text  # the bound is shown in words


async def test_a_visit_cancels_a_cursor_resting_elsewhere(make_app) -> None:  # type: ignore[no-untyped-def]
    """A visit (a search result, a link) opens its place at once; the preview of where the tree's
    cursor rested a moment before must not open over it (CI saw the county overview instead)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(FactTree)
        tree.focus()
        await pilot.press("down")  # the cursor rests on a theme: its preview is pending
        await pilot.pause()
        app.screen.visit(Place("metric", county="alpha", metric="poverty.people_lifted"))
        assert tree.take_resting() is None
        await pilot.pause(0.5)  # longer than the preview delay
        assert app.screen.history.current == Place("metric", county="alpha", metric="poverty.people_lifted")
        assert "5900人" in _detail(app)


async def test_a_visit_to_a_fact_cancels_the_first_county_preview(make_app) -> None:  # type: ignore[no-untyped-def]
    """A fact has no node in the tree: visiting one (a search result) still retires the cursor's
    pending preview, here the first county's from the start (CI saw its overview over the fact)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        fact = next(
            f for f in app.base.select(county="alpha", metric="poverty.people_lifted") if f.bound == "more_than"
        )
        app.screen.visit(Place("fact", county="alpha", fact=fact.id))  # before the first highlight is handled
        await pilot.pause(0.5)  # longer than the preview delay
        assert app.screen.history.current == Place("fact", county="alpha", fact=fact.id)
        assert fact.id in _detail(app)
        await pilot.press("down")  # the tree still previews what the user moves to
        await pilot.pause(0.5)
        assert app.screen.history.current.kind == "theme"


async def test_back_and_forward(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.history.current
        screen.visit(Place("metric", county="beta", metric="poverty.poor_people"))
        screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await pilot.press("left_square_bracket")
        assert screen.history.current.metric == "poverty.poor_people"
        await pilot.press("left_square_bracket")
        assert screen.history.current == first
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.history.current.fact == "alpha-exit"
        assert not app._notifications
        await pilot.press("right_square_bracket")  # at the end: said, never a silent key
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["已是最近打开的内容"]
        assert screen.history.current.fact == "alpha-exit"


async def test_copy_sends_osc52_with_the_citation(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await pilot.pause()
        app.screen.query_one("#detail").focus()
        await pilot.press("y")
        text = app.clipboard
        assert "甲县于2019年4月底脱贫摘帽" in text and "alpha-exit" in text
        assert isinstance(app.screen, CopiedScreen) and app.screen.text == text  # shown too, to select by hand


async def test_help_lists_every_key(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = dict(app.screen.rows())
        assert {
            "/": "搜索",
            "c": "对比",
            "[, alt+←": "后退",
            "?": "帮助",
            "q": "退出",
        }.items() <= shown.items()
        assert shown["y"].startswith("复制") and "每个数字一行" in shown["y"]  # says what y copies on a table
        assert shown["t"].startswith("显示或隐藏目录树")
        console = Console(width=60, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#help-keys").content)  # what the help screen draws
        text = console.export_text()
        drawn = "".join(line.strip() for line in text.splitlines()).replace(" ", "")  # long ones wrap
        assert all(what.replace(" ", "") in drawn for what in shown.values()) and "Search" not in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_compare_three_counties_with_theme_filter(make_app, mini_tree: Path) -> None:  # type: ignore[no-untyped-def]
    # a third county, so that three can be compared
    text = (mini_tree / "facts" / "beta.toml").read_text(encoding="utf-8")
    (mini_tree / "facts" / "gamma.toml").write_text(
        text.replace('id = "beta"', 'id = "gamma"')
        .replace("乙区", "丙区", 2)
        .replace('"Beta"', '"Gamma"')
        .replace('id = "beta-news"', 'id = "gamma-news"')
        .replace('source = "beta-news"', 'source = "gamma-news"')
        .replace('pinyin = "yi qu"', 'pinyin = "bing qu"'),
        encoding="utf-8",
    )
    app = make_app(mini_tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and list(screen.counties) == ["alpha", "beta"]
        await pilot.press("down", "down", "a")  # gamma
        assert list(screen.counties) == ["alpha", "beta", "gamma"]
        table = screen.query_one(CompareTable)
        assert table.columns == 3 and table.rows == screen.rows
        await pilot.press("t")  # the first theme: poverty
        assert screen.theme == "poverty"
        assert screen.rows and all(row.metric.theme == "poverty" for row in screen.rows)
        assert all(len(row.cells) == 3 for row in screen.rows)
        await pilot.press("t")  # funding
        assert {row.metric.theme for row in screen.rows} == {"funding"}
        await pilot.press("x")  # gamma is highlighted: removed
        assert list(screen.counties) == ["alpha", "beta"]
        await pilot.press("x")  # two is the least
        assert list(screen.counties) == ["alpha", "beta"]


async def test_language_switch(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.visit(Place("metric", county="alpha", metric="poverty.people_lifted"))
        await pilot.pause()
        assert "脱贫人口" in _detail(app)
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en" and "People lifted out of poverty" in _detail(app)
        assert "more than 6000人" in _detail(app)
        tree = app.screen.query_one(FactTree)
        assert any("Poverty reduction" in str(node.label) for node in tree.root.children[0].children)


async def test_hostile_text_in_facts_is_shown_as_text(make_app, mini_tree: Path) -> None:  # type: ignore[no-untyped-def]
    seed = mini_tree / "seeds" / "beta.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("投入资金1.2亿元", "投入[/]资金[bold]1.2亿元\x1b[2J"), encoding="utf-8"
    )
    _replace(
        mini_tree / "facts" / "beta.toml", 'quote = "投入资金1.2亿元"', 'quote = "投入[/]资金[bold]1.2亿元\\u001b[2J"'
    )
    _replace(
        mini_tree / "facts" / "beta.toml",
        'scope = "county"\nkind = "achieved"\nwhen = "2020"\nsource = "beta-news"\nquote = "投入',
        'scope = "[@click=app.quit]村"\nkind = "achieved"\nwhen = "2020"\nsource = "beta-news"\nquote = "投入',
    )
    app = make_app(mini_tree)
    async with app.run_test(size=SIZE) as pilot:
        hits = await search(pilot, "1.2亿")
        assert hits
        await pilot.press("enter")
        await pilot.pause()
        text = _detail(app)
        assert "[/]资金[bold]" in text and "\\x1b[2J" in text and "\x1b" not in text
        assert "[@click=app.quit]村" in text
        assert app.is_running


async def test_fast_typing_after_slash_goes_into_the_search(make_app) -> None:  # type: ignore[no-untyped-def]
    """Keys that arrive together ('/sz pk' in one read over SSH) must not be lost to the tree."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(FactTree)
        expanded = [node.is_expanded for node in tree.root.children]
        for key, character in [("slash", "/"), ("j", "j"), ("x", "x"), ("space", " "), ("t", "t"), ("g", "g")]:
            app.post_message(events.Key(key, character))
        await pilot.pause(0.3)
        assert app.screen.query_one("#search").value == "jx tg"
        assert [node.is_expanded for node in tree.root.children] == expanded  # space did not toggle
        assert tree.grouping == "county"  # g was typed, not obeyed


async def test_the_longest_quote_is_shown_whole_at_80_columns() -> None:
    from tui.paths import bundled_root

    base, problems = load(bundled_root() / "facts")
    fact = max(base.facts, key=lambda f: len(f.quote))
    app = build_app(base, problems)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.4)  # the tree's first cursor has opened what it rests on (else it may, later)
        app.screen.query_one("#right").current = "results"  # hidden, as when a search result is opened
        app.screen.visit(Place("fact", county=fact.county, fact=fact.id))
        app.screen.query_one("#right").current = "detail"
        await pilot.pause()
        await pilot.pause()
        detail = app.screen.query_one(DetailView)
        shown = "".join(detail.render_line(y).text for y in range(detail.size.height))  # what is on screen
        assert fact.quote.replace(" ", "") in shown.replace(" ", "")


async def test_command_palette_finds_counties_metrics_and_actions(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Beta")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.query("CommandList Option") or app.screen.query_one("CommandList").option_count:
                break
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.history.current == Place("county", county="beta")
        entries = dict(palette_entries(app.base))
        assert any("贫困发生率" in text for text in entries)  # metrics are there too
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["对比区县", "目录树分组", "切换语言", "帮助", "配色", "退出"]  # no Screenshot, no Maximize
        app.lang = "en"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["Compare counties", "Group the tree", "Switch language", "Help", "Colours", "Quit"]
        app.field = True
        assert "Colours" not in [c.title for c in app.get_system_commands(app.screen)]  # field mode's 16 colours


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("pkfsl", Place("metric", metric="poverty.incidence")),  # initials
        ("pinkunfasheng", Place("metric", metric="poverty.incidence")),  # pinyin run together
        ("qianjiang", Place("county", county="qianjiang")),
    ],
)
async def test_command_palette_takes_pinyin_and_initials(make_app, typed: str, place: Place) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandList, CommandPalette

    app = make_app(REPO)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one("CommandInput", Input).placeholder == "查找区县、指标或命令（可用拼音）…"
        await pilot.press(*typed)
        wanted = "贫困发生率" if place.kind == "metric" else "黔江"
        options = app.screen.query_one(CommandList)
        for _ in range(60):  # the best hit first, once the palette has searched
            await pilot.pause(0.05)
            if options.option_count and wanted in str(options.get_option_at_index(0).prompt):
                break
        assert options.option_count and wanted in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.history.current == place
