"""``povtui compare COUNTY COUNTY…``: one row per metric, one column per county (four per
table); a value, its bound and its date are never broken, a name gives way instead."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import Any

from tui.cli.args import UsageError, check_width
from tui.cli.common import Exit, emit_json, find_county
from tui.cli.output import emit, fact_json, metric_arg, none, theme_arg
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, label, scope_text, sources_text, value_parts, when_text
from tui.present.analysis import cell_change
from tui.present.compare_out import compare_wide, write_compare_wide_csv
from tui.present.export import county_record
from tui.present.textfmt import cell_len, columns, pack, sanitize, truncate
from tui.present.views import Cell, CompareRow, compare_rows
from tui.store.store import Store

NAME_WIDTH = 18
"""The metric names' column at most; it gives way (down to :data:`MIN_NAME_WIDTH`) to the values."""
MIN_NAME_WIDTH = 8
MIN_COLUMN = 12
MAX_COLUMN = 24

_LEGEND = ("legend.disagree", "legend.more", "legend.missing", "legend.highest")
"""The words below the table, each kept whole on a line."""


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    lang: Lang = args.lang
    counties: list[str] = []
    for name in args.counties:
        county = find_county(base, name).id
        if county not in counties:
            counties.append(county)
    if len(counties) < 2:
        raise UsageError("compare needs two or more different counties")
    theme = theme_arg(base, args.theme)
    rows = compare_rows(base, counties, theme, metric_arg(base, args.metric))
    if args.format in ("csv", "md") and rows:
        if args.format == "csv":
            write_compare_wide_csv(rows, sys.stdout, lang)
        else:
            emit(_markdown(rows, lang))
        return Exit.OK
    if args.json or args.format == "json":
        emit_json(
            {
                "counties": [county_record(base.county(c)) for c in counties],
                "rows": [
                    {
                        "metric": r.metric.id,
                        "zh": r.metric.zh,
                        "en": r.metric.en,
                        "theme": r.metric.theme,
                        "base": r.metric.base,
                        "highest": r.highest,
                        "cells": [_cell_json(base, c, lang) for c in r.cells],
                    }
                    for r in rows
                ],
            }
        )
    elif rows:
        width = check_width(args.width)
        need = max(MIN_COLUMN, _widest_value(rows, lang))
        per_table = max(1, (width - MIN_NAME_WIDTH) // (need + 2))
        lines: list[str] = []
        for start in range(0, len(counties), per_table):
            chunk = counties[start : start + per_table]
            lines += ([""] if lines else []) + _table(base, rows, start, chunk, lang, width)
        lines += [""] + pack([label(key, lang) for key in _LEGEND], width, gap=3)
        emit(lines)
    return Exit.OK if rows else none("no figures for these counties")


def _widest_value(rows: tuple[CompareRow, ...], lang: Lang) -> int:
    """The widest of what a cell never breaks: a value (its bound as a symbol, its kind on a line
    of its own) and its period."""
    widest = 0
    for row in rows:
        for cell in row.cells:
            if cell.figure is not None:
                fact = cell.figure.fact
                value = value_parts(fact, lang, with_kind=False, symbol=True)
                widest = max(widest, cell_len(sanitize(str(value))), cell_len(sanitize(when_text(fact))))
    return widest


def _table(
    base: Facts, rows: tuple[CompareRow, ...], start: int, chunk: list[str], lang: Lang, width: int
) -> list[str]:
    need = max(MIN_COLUMN, _widest_value(rows, lang))
    name_width = max(MIN_NAME_WIDTH, min(NAME_WIDTH, width - len(chunk) * (need + 2)))
    column = min(MAX_COLUMN, (width - name_width - 2 * len(chunk)) // len(chunk))
    widths = [name_width] + [column] * len(chunk)
    head = [[label("metric", lang).lower()]] + [
        [truncate(sanitize(f"{base.county(c).short} {base.county(c).en}"), column)] for c in chunk
    ]
    lines = columns(head, widths) + ["  ".join("-" * w for w in widths)]
    for row in rows:
        cells = row.cells[start : start + len(chunk)]
        left = [sanitize(row.metric.zh), sanitize(row.metric.en)]
        lines += columns([left] + [cell_lines(c, row.highest, lang, column) for c in cells], widths)
        lines.append("")
    return lines[:-1]


def cell_lines(cell: Cell, highest: str | None, lang: Lang, width: int) -> list[str]:
    """A county's cell: the value whole (its kind on a line of its own, its bound as a symbol,
    when the column is too narrow), the period, the scope, the number of sources, the markers."""
    figure = cell.figure
    if figure is None:
        return ["—"]
    fact = figure.fact
    value = value_parts(fact, lang)
    lines = [str(value)]
    if cell_len(lines[0]) > width:
        lines = [value.kind.strip(), value.bound + value.written]
        if cell_len(lines[1]) > width:
            lines[1] = str(value_parts(fact, lang, with_kind=False, symbol=True))
    lines += [when_text(fact), scope_text(fact, lang), sources_text(figure.sources, lang)]
    change = cell_change(cell)
    if change is not None:  # before -> after, and the change between them (derived)
        before = value_parts(change.baseline, lang, with_kind=False, symbol=True)
        after = value_parts(change.result, lang, with_kind=False, symbol=True)
        lines += [f"{before.bound}{before.written} → {after.bound}{after.written}"]
        lines += [f"{change.text(lang)}（推算）" if lang == "zh" else f"{change.text(lang)} (derived)"]
    if cell.disagreements:
        lines.append(
            f"! {len(cell.disagreements) + 1} 个来源不一致"
            if lang == "zh"
            else f"! {len(cell.disagreements) + 1} sources differ"
        )
    if cell.more:
        lines.append(f"+{cell.more} more" if lang == "en" else f"+{cell.more}")
    if highest == cell.county.id:
        lines.append(label("highest", lang))
    return [sanitize(line) for line in lines if line]


def _cell_json(base: Facts, cell: Cell, lang: Lang) -> dict[str, Any]:
    figure = cell.figure
    shown = set(figure.ids) if figure else set()
    return {
        "county": cell.county.id,
        "fact": fact_json(base, figure.fact, lang) if figure else None,
        "same": list(figure.ids[1:]) if figure else [],
        "more": [f.id for f in cell.facts if f.id not in shown],
        "disagrees_with": [f.id for f in cell.disagreements],
        "change": _change_json(cell),
    }


def _change_json(cell: Cell) -> dict[str, Any] | None:
    """The derived change from the county's baseline to the shown result, if any."""
    change = cell_change(cell)
    if change is None:
        return None
    return {
        "baseline": change.baseline.id,
        "result": change.result.id,
        "delta": float(change.delta.quantize(Decimal("0.1"))),
        "unit": "percentage points" if change.points else "percent",
        "approximate": change.approximate,
        "derived": True,
    }


def _markdown(rows: tuple[CompareRow, ...], lang: Lang) -> list[str]:
    """The comparison as a Markdown table, one column per county; ``|`` in the data escaped."""
    header, table = compare_wide(rows, lang)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("\\", "\\\\").replace("|", "\\|") or "—" for cell in cells) + " |"

    return [line(header), "|" + "---|" * len(header)] + [line(cells) for cells in table]
