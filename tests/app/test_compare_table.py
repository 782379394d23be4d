"""The comparison (issue 15 items 2-4, issue 14 item 4): every value and date whole at 80, 100
and 120 columns with four counties, Enter opens a cell, v/s/h change what is shown, y and w
copy and write the table. On the real facts, which have four counties."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.helpers import REPO
from tui.app.screens.cell import CellScreen
from tui.app.screens.compare import CompareScreen
from tui.app.widgets.compare_table import CompareTable, lay_out
from tui.app.widgets.detail import DetailView
from tui.domain.vocab import written
from tui.present.analysis import picked
from tui.present.textfmt import cell_len


async def _four(make_app, size):  # type: ignore[no-untyped-def]
    app = make_app(REPO)
    pilot_cm = app.run_test(size=size)
    pilot = await pilot_cm.__aenter__()
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("down", "down", "a", "down", "a", "tab")
    await pilot.pause()
    return app, pilot, pilot_cm


@pytest.mark.parametrize("width", [60, 80, 100, 120])
async def test_four_counties_show_every_value_and_date_whole(make_app, width: int) -> None:  # type: ignore[no-untyped-def]
    app, pilot, cm = await _four(make_app, (width, 20 if width == 60 else 24))
    try:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and len(screen.counties) == 4
        table = screen.query_one(CompareTable)
        layout = table.layout_at(table.size.width)
        assert all(line.cell_len <= table.size.width for line in layout.lines)
        text = "\n".join(line.plain for line in layout.lines)
        for row in table.rows[:40]:
            for cell in row.cells:
                figure = picked(cell, "latest")
                if figure is not None:  # each whole on one line
                    assert written(figure.fact) in text and figure.fact.when in text
        assert "…" not in text  # nothing is cut: no value, date or metric name
    finally:
        await cm.__aexit__(None, None, None)


async def test_enter_opens_every_value_and_source_of_a_cell(make_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot, cm = await _four(make_app, (80, 24))
    try:
        screen = app.screen
        table = screen.query_one(CompareTable)
        row = next(i for i, r in enumerate(table.rows) if r.metric.id == "poverty.incidence")
        column = [c.county.id for c in table.rows[row].cells].index("shizhu")
        table.cursor = (row, column)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CellScreen)
        shown = app.screen.query_one(DetailView).plain_text
        assert "shizhu-91a555" in shown and "shizhu-f49611" in shown and "12.7%" in shown  # the "+1" too
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    finally:
        await cm.__aexit__(None, None, None)


async def test_pick_sort_and_single_rows(make_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot, cm = await _four(make_app, (100, 30))
    try:
        screen = app.screen
        table = screen.query_one(CompareTable)
        everything = len(screen.shown)
        await pilot.press("h")
        assert screen.single is False and 0 < len(screen.shown) < everything
        assert all(sum(1 for c in r.cells if c.facts) >= 2 for r in screen.shown)
        await pilot.press("v")
        assert screen.pick == "baseline" and table.pick == "baseline"
        incidence = next(r for r in screen.shown if r.metric.id == "poverty.incidence")
        shizhu = next(c for c in incidence.cells if c.county.id == "shizhu")
        assert picked(shizhu, table.pick).fact.id == "shizhu-f49611"  # type: ignore[union-attr]
        await pilot.press("s")
        assert screen.sort == "value" and [r.metric.id for r in screen.shown] != [r.metric.id for r in screen.rows]
        await pilot.press("s")
        assert screen.sort == "gap"
        assert "按差距" in str(screen.query_one("#compare-head").render())
    finally:
        await cm.__aexit__(None, None, None)


async def test_before_and_after_with_the_derived_change(make_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot, cm = await _four(make_app, (120, 40))
    try:
        table = app.screen.query_one(CompareTable)
        text = "\n".join(line.plain for line in table.layout_at(table.size.width).lines)
        assert "← 12.7% (2014)" in text and "−12.7个百分点" in text and "(推算)" in text
    finally:
        await cm.__aexit__(None, None, None)


async def test_y_copies_and_w_writes_the_comparison(make_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app, pilot, cm = await _four(make_app, (80, 24))
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    try:
        await pilot.press("y")
        (text,) = copied
        lines = text.split("\n")
        assert len(lines) == 1 + len(app.screen.shown)
        incidence = next(line for line in lines if line.startswith("贫困发生率"))
        assert "[fact shizhu-91a555]" in incidence and "[fact qianjiang-5075b7]" in incidence
        await pilot.press("w")
        await pilot.pause()
        (path,) = tmp_path.glob("povtui-compare-*.csv")
        raw = path.read_text(encoding="utf-8")
        assert raw.startswith("\ufeff")
        rows = list(csv.DictReader(raw.removeprefix("\ufeff").splitlines()))
        assert len(rows) == 4 * len(app.screen.shown)
    finally:
        await cm.__aexit__(None, None, None)


@pytest.mark.parametrize("width", range(24, 141, 9))
def test_no_value_or_date_is_broken_at_any_width(width: int) -> None:
    """Side by side, stacked or one county a line: every value and date is whole on a line."""
    from tui.factfiles.loader import load
    from tui.present.views import compare_rows

    base, _ = load(REPO / "facts")
    for counties in (["shizhu", "qianjiang"], ["fengjie", "qianjiang", "shizhu", "tongnan"]):
        rows = compare_rows(base, counties)
        lines = [line.plain for line in lay_out(rows, len(counties), width).lines]
        assert all(cell_len(line) <= width for line in lines)
        for row in rows:
            for cell in row.cells:
                figure = picked(cell, "latest")
                if figure is not None:
                    assert any(written(figure.fact) in line for line in lines), (width, written(figure.fact))
                    assert any(figure.fact.when in line for line in lines), (width, figure.fact.when)


async def test_the_limits_on_counties_are_said_in_words(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(REPO)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and len(screen.counties) == 2
        await pilot.press("x")  # the picker's first county is compared: removing it would leave one
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["至少对比 2 个区县"]
        assert len(screen.counties) == 2
