"""Readable at any width (issue 14, app): figures first and whole, never split across lines; below
70 columns the tree folds away and comes back with t; the key bar, help and copy notice fit."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.helpers import settle
from tui.app import build_app
from tui.app.render import value_label
from tui.app.screens.copied import CopiedScreen
from tui.app.screens.help import HelpScreen
from tui.app.state import Place
from tui.app.widgets.body import NARROW
from tui.app.widgets.detail import DetailView
from tui.app.widgets.fact_tree import FactTree
from tui.app.widgets.keybar import KeyBar
from tui.domain.numbers import numbers_in
from tui.domain.vocab import when_text
from tui.factfiles.loader import load
from tui.paths import bundled_root
from tui.present.headlines import headlines
from tui.present.textfmt import sanitize
from tui.present.views import by_theme

SIZES = [(80, 24), (60, 20)]


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    return load(bundled_root() / "facts")


def _shown(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The detail pane's lines as they are on screen now."""
    detail = app.screen.query_one(DetailView)
    return [detail.render_line(y).text for y in range(detail.size.height)]


async def _started(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the first screen is settled (the tree's first cursor has opened what it rests on)."""
    await settle(pilot)
    await pilot.pause(0.4)
    await settle(pilot)


def _whole_on_a_line(needle: str, lines: list[str]) -> bool:
    return any(needle in line for line in lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_headline_figure_is_whole_on_one_line(bundled, size, lang) -> None:  # type: ignore[no-untyped-def]
    base, problems = bundled
    app = build_app(base, problems, lang=lang)
    async with app.run_test(size=size) as pilot:
        await _started(pilot)
        for county in base.counties:
            app.screen.visit(Place("county", county=county.id))
            await settle(pilot)
            lines = _shown(app)
            for item in headlines(base, county.id):
                value = value_label(item.fact, lang).plain  # kind, bound and value: 超过 6000人
                assert _whole_on_a_line(value, lines), (county.id, value, lines)
                when = sanitize(when_text(item.fact))
                assert any(value in line and (when in line or when == value) for line in lines), (value, when)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_theme_tables_keep_values_and_periods_whole(bundled, size) -> None:  # type: ignore[no-untyped-def]
    base, problems = bundled
    app = build_app(base, problems, lang="en")
    async with app.run_test(size=(size[0], 200)) as pilot:  # tall: every row on screen
        await _started(pilot)
        app.screen.visit(Place("theme", county="shizhu", theme="poverty"))
        await settle(pilot)
        lines = _shown(app)
        for group in by_theme(base, "shizhu", "poverty"):
            for figure in group.figures:
                assert _whole_on_a_line(value_label(figure.fact, "en").plain, lines)
                assert _whole_on_a_line(sanitize(when_text(figure.fact)), lines)


@pytest.mark.parametrize(
    "width", [pytest.param(48, marks=pytest.mark.slow), pytest.param(60, marks=pytest.mark.slow), 80]
)
async def test_numbers_dates_and_ids_in_a_quote_never_split(bundled, width) -> None:  # type: ignore[no-untyped-def]
    base, problems = bundled
    facts = [f for f in base.select(county="tongnan") if "0.06%" in f.quote] + [
        f for f in base.select(county="shizhu") if "万人次" in f.quote
    ]
    assert facts
    app = build_app(base, problems)
    async with app.run_test(size=(width, 80)) as pilot:
        await _started(pilot)
        for fact in facts:
            app.screen.visit(Place("fact", county=fact.county, fact=fact.id))
            await settle(pilot)
            lines = _shown(app)
            for number in numbers_in(fact.quote):
                assert _whole_on_a_line(fact.quote[number.start : number.end], lines), (number, lines)
            assert _whole_on_a_line(fact.id, lines) and _whole_on_a_line(fact.when, lines)


async def test_below_seventy_columns_the_tree_folds_away_and_t_brings_it_back(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(NARROW - 10, 20)) as pilot:
        await settle(pilot)
        tree, detail = app.screen.query_one(FactTree), app.screen.query_one(DetailView)
        assert not tree.display and detail.region.width >= NARROW - 12  # the figures take the width
        assert app.screen.focused is detail
        await pilot.press("t")
        await pilot.pause()
        assert tree.display and tree.region.width == NARROW - 10 and not app.screen.query_one("#right").display
        assert app.screen.focused is tree
        await pilot.press("down", "enter")  # choose a node: the tree folds on what was chosen
        await settle(pilot)
        assert not tree.display and app.screen.query_one("#right").display
        assert app.screen.history.current == tree.cursor_node.data
    app = make_app()  # wide: the tree is there, and t hides it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(FactTree)
        assert tree.display and tree.region.width == 32
        await pilot.press("t")
        await pilot.pause()
        assert not tree.display and app.screen.query_one(DetailView).region.width >= 78


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_key_bar_help_and_copy_notice_fit_at_sixty_columns(make_app, lang) -> None:  # type: ignore[no-untyped-def]
    app = make_app(lang=lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render_line(0).text
        assert cell_len(line.rstrip()) <= 60 and " q " in line and " ? " in line and " t " in line
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        box = app.screen.query_one("VerticalScroll")
        assert box.region.x >= 0 and box.region.right <= 60  # no box wider than the screen
        await pilot.press("escape")
        app.screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, CopiedScreen)
        notice = app.screen.query_one("#copied-text")
        assert notice.region.x >= 0 and notice.region.right <= 60
        drawn = "".join(notice.render_line(y).text.strip() for y in range(notice.size.height))
        assert drawn.replace(" ", "") == app.clipboard.replace(" ", "")  # every character, the first too
        await pilot.press("x")  # any key closes it
        assert not isinstance(app.screen, CopiedScreen)
