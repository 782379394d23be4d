"""The comparison written out: as text lines (``povtui compare``, the app's copy), as CSV with
one row per metric and county (the app's ``w``, ``--format csv``) or one column per county
(``--format wide``), and the file the app writes it to. Pure functions, no Textual; which
value a cell shows and the derived change come from :mod:`tui.present.analysis`."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from tui.domain.facts import Facts
from tui.domain.model import Source
from tui.domain.vocab import Lang, bound_word, kind_word, label, value_parts, written
from tui.present.analysis import Pick, cell_change, change_of, picked, point_text
from tui.present.textfmt import formula_safe, sanitize
from tui.present.views import Cell, CompareRow, Figure, short_title

__all__ = [
    "COMPARE_FIELDS",
    "compare_file",
    "compare_lines",
    "compare_wide",
    "wide_cell",
    "write_compare_csv",
    "write_compare_file",
    "write_compare_wide_csv",
]


def _derived(lang: Lang) -> str:
    return label("derived", lang)


def _value_citation(base: Facts, figure: Figure, lang: Lang) -> str:
    fact = figure.fact
    county = base.county(fact.county)
    kind = kind_word(fact.kind, lang) + " " if fact.kind != "achieved" else ""
    bound = bound_word(fact.bound, lang)
    scope = "" if fact.is_county_wide else f" {fact.scope}"
    sources = "; ".join(
        f"{_title(base.source(one.source))} {base.source(one.source).date} [fact {one.id}]" for one in figure.facts
    )
    return f"{county.short}{scope} {kind}{bound + ' ' if bound else ''}{written(fact)}, {fact.when} ({sources})"


def _title(source: Source) -> str:
    return f"《{short_title(source, 20)}》"


def compare_lines(base: Facts, rows: Iterable[CompareRow], lang: Lang, pick: Pick = "latest") -> list[str]:
    """The comparison as text, one line per row: the metric, then each county's value with its
    bound, kind, period and scope, and its sources with their fact ids (a county without a
    figure is ``—``); a derived change follows its county's value. Sanitised: one row, one line."""
    lines = []
    for row in rows:
        name = row.metric.zh if lang == "zh" else row.metric.en
        parts = [name]
        for cell in row.cells:
            figure = picked(cell, pick)
            if figure is None:
                parts.append(f"{cell.county.short} —")
                continue
            text = _value_citation(base, figure, lang)
            change = change_of(cell.facts) if pick == "latest" else None
            if change is not None and change.result.id in figure.ids:
                text += (
                    f" [{point_text(change.baseline, lang)} → {written(change.result)}: "
                    f"{change.text(lang)}, {_derived(lang)}]"
                )
            parts.append(text)
        lines.append(sanitize(" | ".join(parts)))
    return lines


COMPARE_FIELDS = (
    "metric",
    "metric_zh",
    "metric_en",
    "county",
    "county_short",
    "value",
    "bound",
    "kind",
    "when",
    "scope",
    "canonical",
    "base",
    "other_values",
    "baseline",
    "baseline_when",
    "change",
    "change_unit",
    "sources",
    "fact_ids",
    "quote",
)


def compare_file(counties: Iterable[str], folder: Path | None = None) -> Path:
    """Where the app writes a comparison: ``povtui-compare-<counties>-<time>.csv`` in ``folder``
    (the working folder by default)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return (folder or Path.cwd()) / f"povtui-compare-{'-'.join(counties)}-{stamp}.csv"


def write_compare_file(
    base: Facts, rows: Iterable[CompareRow], counties: Iterable[str], pick: Pick, *, folders: Iterable[Path | None]
) -> Path | None:
    """Write the comparison as CSV (:func:`write_compare_csv`) to a new file in the first of
    ``folders`` that takes it (None: the working folder); the path, or None when none did. An
    existing file is never overwritten."""
    rows, counties = tuple(rows), tuple(counties)
    for folder in folders:
        path = compare_file(counties, folder)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="") as out:
                write_compare_csv(base, rows, out, pick)
        except OSError:
            continue
        return path
    return None


def write_compare_csv(base: Facts, rows: Iterable[CompareRow], out: TextIO, pick: Pick = "latest") -> int:
    """The comparison as CSV, one row per metric and county, with a UTF-8 BOM (so that a
    spreadsheet on Chinese Windows reads it) and formula-safe cells; the change from the
    baseline is derived. Returns the number of data rows."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COMPARE_FIELDS)
    count = 0
    for row in rows:
        for cell in row.cells:
            figure = picked(cell, pick)
            fact = figure.fact if figure else None
            change = change_of(cell.facts)
            if change is not None and (figure is None or change.result.id not in figure.ids):
                change = None
            record: list[str] = [row.metric.id, row.metric.zh, row.metric.en, cell.county.id, cell.county.short]
            if fact is None or figure is None:
                record += [""] * (len(COMPARE_FIELDS) - len(record))
            else:
                record += [
                    written(fact),
                    fact.bound,
                    fact.kind,
                    fact.when,
                    fact.scope,
                    str(fact.canonical),
                    fact.base,
                    str(cell.more),
                    written(change.baseline) if change else "",
                    change.baseline.when if change else "",
                    str(change.delta.quantize(Decimal("0.1"))) if change else "",
                    ("percentage points" if change.points else "percent") if change else "",
                    "; ".join(f"{base.source(f.source).title} {base.source(f.source).date}" for f in figure.facts),
                    " ".join(figure.ids),
                    fact.quote,
                ]
            writer.writerow([formula_safe(value) for value in record])
            count += 1
    return count


def wide_cell(cell: Cell, lang: Lang) -> str:
    """One county's value as a spreadsheet cell: the value with its kind and bound, its period,
    its scope when not the whole county, its fact ids, and the derived change from the baseline:
    ``0%, 2020-12-31 [shizhu-91a555]; 12.7% → 0%: −12.7个百分点 (推算)``; empty without a figure."""
    figure = cell.figure
    if figure is None:
        return ""
    fact = figure.fact
    text = f"{value_parts(fact, lang)}, {fact.when}"
    text += "" if fact.is_county_wide else f", {fact.scope}"
    text += f" [{' '.join(figure.ids)}]"
    change = cell_change(cell)
    if change is not None:
        text += f"; {written(change.baseline)} → {written(change.result)}: {change.text(lang)} ({_derived(lang)})"
    return sanitize(text)


def compare_wide(rows: Iterable[CompareRow], lang: Lang) -> tuple[list[str], list[list[str]]]:
    """The comparison with one column per county: the header (metric id, name, then each county)
    and one row per metric, each county's cell written by :func:`wide_cell`."""
    rows = tuple(rows)
    counties = [cell.county for cell in rows[0].cells] if rows else []
    header = ["metric", "指标" if lang == "zh" else "name"] + [f"{c.short} {c.en}" for c in counties]
    table = [
        [row.metric.id, row.metric.zh if lang == "zh" else row.metric.en] + [wide_cell(c, lang) for c in row.cells]
        for row in rows
    ]
    return [sanitize(h) for h in header], [[sanitize(v) for v in line] for line in table]


def write_compare_wide_csv(rows: Iterable[CompareRow], out: TextIO, lang: Lang) -> int:
    """:func:`compare_wide` as CSV for a spreadsheet: a UTF-8 BOM, formula-safe cells, CRLF
    line ends (as spreadsheets write them). Returns the number of metric rows."""
    header, table = compare_wide(rows, lang)
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(h) for h in header])
    for line in table:
        writer.writerow([formula_safe(v) for v in line])
    return len(table)
