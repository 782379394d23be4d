"""The main screens at 80x24, on the fixture facts (editing facts/ never breaks them).

Update after an intended change of layout: ``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from tui.app.state import Place

from .conftest import settle

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
