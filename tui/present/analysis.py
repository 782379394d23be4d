"""What an analyst asks of the figures, as data: a metric's values over time for a county, the
change from a baseline to a result, which value a comparison cell shows, how comparison rows
are sorted. The comparison written out (text, CSV, the app's file) is
:mod:`tui.present.compare_out`; the article around a quote, :mod:`tui.present.article`.

Pure functions over a :class:`~tui.domain.facts.Facts`: no printing, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.units import format_plain
from tui.domain.vocab import Lang, bound_word, kind_word, written
from tui.present.textfmt import sanitize
from tui.present.views import Cell, CompareRow, Figure, figures, ordered

__all__ = [
    "PICKS",
    "cell_change",
    "SORTS",
    "Change",
    "Pick",
    "Sort",
    "bar",
    "change_of",
    "metric_timelines",
    "only_one",
    "ordered_cell_figures",
    "picked",
    "point_text",
    "shown_change",
    "sort_rows",
    "timeline",
    "timeline_line",
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


def cell_change(cell: Cell) -> Change | None:
    """The change from the county's baseline to the result the cell shows, if it shows one."""
    figure = cell.figure
    change = change_of(cell.facts)
    return change if change is not None and figure is not None and change.result.id in figure.ids else None
