"""The analyst's screens at 80x24 on the fixture facts: the timeline, the comparison with the
cell cursor, a cell opened, the article at a quote; on the shipped facts, the four-county
comparison at 60, 80 and 120 columns, two counties in one query, the palette by initials.

Update after an intended change of layout: ``pytest tests/app/test_analyst_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from tests.helpers import settle
from tui.app.state import Place

SIZE = (80, 24)


async def _fact(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    pilot.app.screen.visit(
        Place(
            "fact",
            county="alpha",
            fact=next(
                f.id
                for f in pilot.app.base.select(county="alpha", metric="poverty.people_lifted")
                if f.bound == "more_than"
            ),
        )
    )
    await settle(pilot)


class TestAnalystScreens:
    def test_timeline(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), run_before=_fact, terminal_size=SIZE)

    def test_comparison_table_cursor(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["c", "tab", "down"], terminal_size=SIZE)

    def test_comparison_cell_opened(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["c", "tab", "enter"], terminal_size=SIZE)

    def test_article_at_quote(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["c", "tab", "o"], terminal_size=SIZE)

    def test_comparison_in_field_mode(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(field=True), press=["c", "tab"], terminal_size=SIZE)


class TestFourCountyComparison:
    """The comparison of the shipped facts' four counties at 80 and 120 columns: every value
    and date whole (the fixture tree has two counties; these follow facts/, so a curation
    change that moves a row updates them on purpose)."""

    @pytest.mark.parametrize("size", [(80, 24), pytest.param((120, 40), marks=pytest.mark.slow), (60, 20)])
    def test_four_counties(self, snap_compare, make_app, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
        from tests.helpers import REPO

        async def four(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("down", "down", "a", "down", "a", "tab")
            await pilot.pause()

        assert snap_compare(make_app(REPO), run_before=four, terminal_size=size)


class TestQueries:
    """The analyst's questions typed in the shipped facts at 80x24: two counties in one query
    in the search bar, a metric by its initials in the command palette."""

    def test_two_counties_in_one_query(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        from tests.helpers import REPO

        async def typed(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("slash", *"石柱 黔江 pkfsl")
            await settle(pilot)

        assert snap_compare(make_app(REPO), run_before=typed, terminal_size=SIZE)

    def test_palette_by_initials(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        from textual.command import CommandList
        from textual.widgets import Input

        from tests.helpers import REPO

        async def typed(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            pilot.app.screen.query_one(Input).cursor_blink = False  # the same frame every run
            await pilot.press(*"pkfsl")
            options = pilot.app.screen.query_one(CommandList)
            for _ in range(60):
                await pilot.pause(0.05)
                if options.option_count and "贫困发生率" in str(options.get_option_at_index(0).prompt):
                    break
            await pilot.pause(0.3)

        assert snap_compare(make_app(REPO), run_before=typed, terminal_size=SIZE)
