"""What an analyst asks of the figures, as data: a metric's values over time for a county, the
change from a baseline to a result, which value a comparison cell shows, how comparison rows
are sorted, a comparison as text lines or CSV, and the article around a quote (:mod:`tui.present.article`).

Pure functions over a :class:`~tui.domain.facts.Facts`: no printing, no Textual.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal, TextIO

from tui.domain.facts import Facts
from tui.domain.model import Fact, Source
from tui.domain.units import format_plain
from tui.domain.vocab import Lang, bound_word, kind_word, value_parts, written
from tui.present.textfmt import formula_safe, sanitize
from tui.present.views import Cell, CompareRow, Figure, figures, ordered, short_title

__all__ = [
    "PICKS",
    "SORTS",
    "Change",
    "Pick",
    "Sort",
    "bar",
    "change_of",
    "metric_timelines",
    "compare_lines",
    "compare_wide",
    "write_compare_wide_csv",
    "write_compare_file",
    "compare_file",
    "formula_safe",
    "only_one",
    "ordered_cell_figures",
    "picked",
    "point_text",
    "shown_change",
    "sort_rows",
    "timeline",
    "timeline_line",
    "write_compare_csv",
]

_KIND_ORDER = {"baseline": 0, "achieved": 1, "target": 2}
"""A timeline runs from where the county started, through what it achieved, to what it aims at."""


def _start(when: str) -> str:
    return when.split("..")[0]


def _end(when: str) -> str:
    return when.split("..")[-1]


def _year(when: str) -> str:
    """``2020`` for ``2020-12-31``, ``2014..2020`` stays a period."""
    start, end = _start(when)[:4], _end(when)[:4]
    return start if start == end else f"{start}..{end}"


def timeline(base: Facts, fact: Fact) -> tuple[Figure, ...]:
    """Every value of ``fact``'s metric for its county and scope, baseline first, then results,
    then targets, each kind in time order; a value stated by several sources is one figure."""
    same = [f for f in base.select(county=fact.county, metric=fact.metric) if f.scope == fact.scope]
    found = figures(same)
    return tuple(sorted(found, key=lambda g: (_KIND_ORDER[g.fact.kind], _start(g.fact.when), _end(g.fact.when))))


def point_text(fact: Fact, lang: Lang) -> str:
    """``12.7% (2014)``, ``> 6000人 (2020)``, ``目标 30万亩 (2020)``: a value with its bound (as a
    symbol), its kind when it is a target, and its year."""
    bound = bound_word(fact.bound, lang, symbol=True)
    kind = kind_word(fact.kind, lang) + " " if fact.kind == "target" else ""
    return sanitize(f"{kind}{bound + ' ' if bound else ''}{written(fact)} ({_year(fact.when)})")


def timeline_line(points: Iterable[Figure], lang: Lang) -> str:
    """``12.7% (2014) → 0% (2020)``; empty when there are fewer than two points. Values of the
    same kind and period (sources that disagree) are not a change over time: the first stands."""
    seen: set[tuple[str, str]] = set()
    shown = []
    for point in points:
        key = (point.fact.kind, point.fact.when)
        if key not in seen:
            seen.add(key)
            shown.append(point_text(point.fact, lang))
    return " → ".join(shown) if len(shown) >= 2 else ""


@dataclass(frozen=True, slots=True)
class Change:
    """A result set against the baseline it started from, and the change between them (derived:
    no source states it)."""

    baseline: Fact
    result: Fact
    delta: Decimal
    """In percentage points for a percentage, else in percent of the baseline."""
    points: bool
    """Whether :attr:`delta` is in percentage points."""
    approximate: bool
    """A bound (more than, about…) on either value: the change is approximate too."""

    def text(self, lang: Lang) -> str:
        """``−12.7个百分点`` / ``−12.7 pts``, ``+35.2%``, with ``≈`` when approximate."""
        sign = "+" if self.delta > 0 else "−" if self.delta < 0 else "±"
        number = format_plain(shown_change(abs(self.delta), exact=self.points))
        unit = ("个百分点" if lang == "zh" else " pts") if self.points else "%"
        return f"{'≈' if self.approximate else ''}{sign}{number}{unit}"


def shown_change(delta: Decimal, *, exact: bool) -> Decimal:
    """A change as written: a difference of percentages exactly (0.6% → 0.06% is 0.54 points,
    never 0.5); a percent change to one decimal, or two significant digits when that is 0."""
    if exact or delta == 0:
        return delta.normalize()
    rounded = delta.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = delta.quantize(Decimal(1).scaleb(delta.adjusted() - 1), rounding=ROUND_HALF_UP)
    return rounded.normalize()


def change_of(facts: Iterable[Fact]) -> Change | None:
    """The earliest county-wide baseline against the latest county-wide result of the same
    metric, when both are numbers; else None. ``facts`` are one county's facts of one metric."""
    wide = [f for f in facts if f.is_county_wide and isinstance(f.canonical, Decimal)]
    baselines = sorted((f for f in wide if f.kind == "baseline"), key=lambda f: _start(f.when))
    results = sorted((f for f in wide if f.kind == "achieved"), key=lambda f: _end(f.when), reverse=True)
    if not baselines or not results:
        return None
    before, after = baselines[0], results[0]
    assert isinstance(before.canonical, Decimal) and isinstance(after.canonical, Decimal)
    points = before.base == "%"
    if points:
        delta = after.canonical - before.canonical
    elif before.canonical == 0:
        return None
    else:
        delta = (after.canonical - before.canonical) / before.canonical * 100
    approximate = before.bound != "exact" or after.bound != "exact"
    return Change(before, after, delta, points, approximate)


Pick = Literal["latest", "baseline", "target"]
PICKS: tuple[Pick, ...] = ("latest", "baseline", "target")
"""Which value a comparison cell shows: the best result (the default), the baseline, the target."""


def picked(cell: Cell, pick: Pick) -> Figure | None:
    """The figure ``cell`` shows under ``pick``: ``latest`` is the cell's own first figure
    (county-wide results first); ``baseline`` the earliest baseline; ``target`` the latest target."""
    if pick == "latest":
        return cell.figure
    found = [g for g in cell.figures if g.fact.kind == pick]
    if pick == "baseline":
        found.sort(key=lambda g: (not g.fact.is_county_wide, _start(g.fact.when)))
    else:  # the latest target, county-wide first
        found.sort(key=lambda g: _end(g.fact.when), reverse=True)
        found.sort(key=lambda g: not g.fact.is_county_wide)
    return found[0] if found else None


Sort = Literal["metric", "value", "gap"]
SORTS: tuple[Sort, ...] = ("metric", "value", "gap")


def _number(figure: Figure | None) -> Decimal | None:
    if figure is None or not isinstance(figure.fact.canonical, Decimal):
        return None
    return figure.fact.canonical


def _gap(row: CompareRow, pick: Pick) -> Decimal | None:
    """The spread between the counties, relative to the largest magnitude (0 to 2)."""
    values = [v for v in (_number(picked(c, pick)) for c in row.cells) if v is not None]
    if len(values) < 2:
        return None
    top = max(abs(v) for v in values)
    return (max(values) - min(values)) / top if top else Decimal(0)


def sort_rows(rows: Iterable[CompareRow], sort: Sort, pick: Pick = "latest", column: int = 0) -> tuple[CompareRow, ...]:
    """``rows`` in metric order (as given), by the value of county ``column`` (largest first), or
    by the gap between the counties (largest first). Rows that have no such number come last,
    in metric order."""
    rows = tuple(rows)
    if sort == "metric":
        return rows

    def key(row: CompareRow) -> Decimal | None:
        if sort == "gap":
            return _gap(row, pick)
        return _number(picked(row.cells[column], pick)) if column < len(row.cells) else None

    having = [row for row in rows if key(row) is not None]
    having.sort(key=lambda row: key(row), reverse=True)  # type: ignore[arg-type, return-value]
    return (*having, *(row for row in rows if key(row) is None))


def only_one(row: CompareRow) -> bool:
    """Whether only one county of the row has a figure for it."""
    return sum(1 for cell in row.cells if cell.facts) <= 1


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
                derived = "推算" if lang == "zh" else "derived"
                text += (
                    f" [{point_text(change.baseline, lang)} → {written(change.result)}: {change.text(lang)}, {derived}]"
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


def ordered_cell_figures(cell: Cell) -> tuple[Figure, ...]:
    """Every figure behind a comparison cell, best first (what Enter on the cell lists)."""
    return figures(ordered(cell.facts))


def metric_timelines(base: Facts, county: str, metric: str) -> tuple[tuple[str, tuple[Figure, ...]], ...]:
    """A county's values of one metric over time (see :func:`timeline`), one timeline per scope:
    the whole county first, then each part of it in file order."""
    facts = base.select(county=county, metric=metric)
    scopes = sorted(dict.fromkeys(f.scope for f in facts), key=lambda scope: scope != "county")
    return tuple((scope, timeline(base, next(f for f in facts if f.scope == scope))) for scope in scopes)


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: Decimal, top: Decimal, width: int) -> str:
    """A bar of ``value`` against ``top`` in at most ``width`` columns, in plain characters
    (eighths of a column: readable without colour); a value above zero shows at least a sliver,
    zero or less shows nothing."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(float(value / top) * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def _derived(lang: Lang) -> str:
    return "推算" if lang == "zh" else "derived"


def cell_change(cell: Cell) -> Change | None:
    """The change from the county's baseline to the result the cell shows, if it shows one."""
    figure = cell.figure
    change = change_of(cell.facts)
    return change if change is not None and figure is not None and change.result.id in figure.ids else None


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
