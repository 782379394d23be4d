"""The timeline in the detail pane (issue 15 item 1), in the normal and the field mode."""

from __future__ import annotations

import pytest

from tests.helpers import REPO
from tui.app.state import Place
from tui.app.widgets.detail import DetailView


@pytest.mark.parametrize("field", [False, True])
async def test_opening_shizhus_zero_incidence_shows_where_it_started(make_app, field: bool) -> None:  # type: ignore[no-untyped-def]
    app = make_app(REPO, field=field)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.visit(Place("fact", county="shizhu", fact="shizhu-91a555"))
        await pilot.pause()
        await pilot.pause()
        lines = app.screen.query_one(DetailView).plain_text.splitlines()
        assert any("12.7% (2014) → 0% (2020)" in line for line in lines[:6])  # in view without scrolling
        assert any("基数" in line and "12.7%" in line and "2014" in line and "实干显担当" in line for line in lines)
        assert any(line.startswith("▶") and "0%" in line and "2020-12-31" in line for line in lines)


async def test_a_figure_with_no_other_value_has_no_timeline(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.visit(Place("fact", county="alpha", fact="alpha-exit"))
        await pilot.pause()
        assert "时间线" not in app.screen.query_one(DetailView).plain_text
