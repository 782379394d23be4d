"""The main screens at 80x24, and at 60, 80 and 120 columns, on the fixture facts (editing facts/
never breaks them).

Update after an intended change of layout: ``pytest tests/app/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from tests.helpers import settle
from tui.app.state import Place

SIZE = (80, 24)


class TestMainScreens:
    def test_tree_and_county_detail(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), terminal_size=SIZE)

    def test_search_results(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), run_before=_typing("甲县 tprk", settle), terminal_size=SIZE)

    def test_fact_detail_with_quote(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        async def open_fact(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.pause()
            pilot.app.screen.visit(Place("metric", county="alpha", metric="poverty.people_lifted"))
            await pilot.pause()

        assert snap_compare(make_app(), run_before=open_fact, terminal_size=SIZE)

    def test_comparison(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["c"], terminal_size=SIZE)

    def test_help(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["question_mark"], terminal_size=SIZE)


def _typing(text: str, wait):  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash", *text)
        await wait(pilot)

    return run


WIDTHS = {60: (60, 20), 80: (80, 24), 120: (120, 40)}
"""A phone's SSH client (narrow: the tree folded away), the classic terminal, a wide one."""


def _open(place: Place):  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.pause(0.4)  # the tree's first cursor has opened what it rests on
        pilot.app.screen.visit(place)
        await settle(pilot)

    return run


class TestWidths:
    """The same screens at 60, 80 and 120 columns: figures first and whole at every width."""

    @pytest.mark.parametrize("width", WIDTHS)
    def test_county_overview(self, snap_compare, make_app, width: int) -> None:  # type: ignore[no-untyped-def]
        place = Place("county", county="alpha")
        assert snap_compare(make_app(), run_before=_open(place), terminal_size=WIDTHS[width])

    @pytest.mark.parametrize("width", WIDTHS)
    def test_opened_figure(self, snap_compare, make_app, width: int) -> None:  # type: ignore[no-untyped-def]
        place = Place("fact", county="alpha", fact="alpha-exit")
        assert snap_compare(make_app(lang="en"), run_before=_open(place), terminal_size=WIDTHS[width])

    def test_narrow_with_the_tree_brought_back(self, snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=["t"], terminal_size=WIDTHS[60])
