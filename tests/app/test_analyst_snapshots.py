"""The analyst's screens at 80x24 on the fixture facts: the timeline, the comparison with the
cell cursor, a cell opened, the article at a quote.

Update after an intended change of layout: ``pytest tests/app/test_analyst_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

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
    await pilot.pause()


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
