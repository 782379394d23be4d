"""The article around a quote (issue 15 item 6): o on a comparison cell opens the source
article scrolled to the quote, the quote highlighted; Esc goes back; a missing article is said."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import REPO
from tui.app.screens.article import ArticleScreen
from tui.app.screens.compare import CompareScreen
from tui.app.widgets.compare_table import CompareTable
from tui.factfiles.loader import load


async def _article_of_cell(app, pilot, county: str, metric: str):  # type: ignore[no-untyped-def]
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("tab")
    table = app.screen.query_one(CompareTable)
    row = next(i for i, r in enumerate(table.rows) if r.metric.id == metric)
    table.cursor = (row, [c.county.id for c in table.rows[row].cells].index(county))
    await pilot.press("o")
    await pilot.pause(0.2)


async def test_o_opens_the_article_at_the_quote(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(REPO)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.compared = ("fengjie", "shizhu")
        await _article_of_cell(app, pilot, "shizhu", "poverty.incidence")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.fact.id == "shizhu-91a555"
        quote = screen.query_one("#article-quote")
        text = quote.content  # the Rich Text given to the Static
        spans = [s for s in text.spans if "reverse" in str(s.style)]
        assert [text.plain[s.start : s.end] for s in spans] == [screen.fact.quote]
        scroll = screen.query_one("#article")
        assert scroll.scroll_y > 0 and scroll.scroll_y <= quote.virtual_region.y  # at the quote, context above
        assert quote.virtual_region.y - scroll.scroll_y <= 5
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


async def test_a_missing_article_is_said_not_raised(make_app, mini_tree: Path) -> None:  # type: ignore[no-untyped-def]
    base, problems = load(mini_tree / "facts")
    (mini_tree / "seeds" / "beta.txt").unlink()
    from tui.app import build_app

    app = build_app(base, problems)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _article_of_cell(app, pilot, "beta", "poverty.people_lifted")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert "无法读取原文" in screen.query_one("#article-problem").content.plain
