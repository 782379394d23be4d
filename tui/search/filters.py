"""The query's filters, each defined once: what it admits, as a Python test and as SQL.

A filter's value is resolved once per query against the fact base (``county:石柱`` is the
set of county ids whose names start with 石柱), giving a :class:`Condition` that both back
ends use: the in-memory search tests facts with :meth:`Condition.holds`, the on-disk search
narrows its candidates with :meth:`Condition.sql` (never fewer facts than ``holds`` admits;
the candidates are tested with ``holds`` as well).

Filters: ``county:`` (names, pinyin, initials or ids; several with commas), ``theme:``,
``metric:``, ``unit:``, ``kind:`` (achieved, baseline, target or plan; 成效, 成果, 基数, 目标),
``scope:``, ``source:``, ``when:``/``year:`` (a year or ``2014..2016``: facts whose time
overlaps it). Two or more words that each name a county are a county filter too: ``石柱 黔江
pkfsl`` is poverty incidence in either county.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from tui.domain.facts import Facts
from tui.domain.model import KINDS, County, Fact
from tui.search.query import Query, Range

__all__ = [
    "FILTERS",
    "KIND_WORDS",
    "Among",
    "Condition",
    "CountyWords",
    "FilterContext",
    "InRange",
    "Units",
    "Years",
    "conditions",
    "when_years",
]

KIND_WORDS: dict[str, str] = {
    "plan": "target",
    "目标": "target",
    "计划": "target",
    "成效": "achieved",
    "成果": "achieved",
    "基数": "baseline",
}
"""Words a query may use for a kind, besides the start of its own name (``kind:a``)."""

COUNTY_IDS = "county_id"
"""The filter that :class:`CountyWords` makes of county names typed as words (not typed itself)."""


class FilterContext(Protocol):
    """What resolving a filter needs of a back end: the base, and every scope and unit written."""

    @property
    def base(self) -> Facts: ...
    def scopes(self) -> Iterable[str]: ...
    def units(self) -> Iterable[str]: ...
    def family(self, fact: Fact) -> str | None: ...


class Condition(Protocol):
    def holds(self, fact: Fact) -> bool:
        """Whether the fact passes."""
        ...

    def sql(self) -> tuple[str, list[object]]:
        """A condition on the index's ``facts`` table that every passing fact meets."""
        ...


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" * len(list(values)))


@dataclass(frozen=True)
class Among:
    """The fact's ``attribute`` (a column of the same name) is one of ``values``."""

    attribute: str
    values: frozenset[str]

    def holds(self, fact: Fact) -> bool:
        return str(getattr(fact, self.attribute)) in self.values

    def sql(self) -> tuple[str, list[object]]:
        ordered = sorted(self.values)
        return f"{self.attribute} IN ({_marks(ordered)})", list(ordered)


@dataclass(frozen=True)
class Units:
    """The unit as written, or the metric's base unit, is one of ``values``."""

    values: frozenset[str]

    def holds(self, fact: Fact) -> bool:
        return fact.unit in self.values or fact.base in self.values

    def sql(self) -> tuple[str, list[object]]:
        ordered = sorted(self.values)
        return f"(unit IN ({_marks(ordered)}) OR base IN ({_marks(ordered)}))", [*ordered, *ordered]


@dataclass(frozen=True)
class Years:
    """The fact's time overlaps the years ``low`` to ``high`` (none when ``low > high``)."""

    low: int
    high: int

    def holds(self, fact: Fact) -> bool:
        years = when_years(fact.when)
        return years is not None and years[0] <= self.high and years[1] >= self.low

    def sql(self) -> tuple[str, list[object]]:
        return "(year_from <= ? AND year_to >= ?)", [self.high, self.low]


@dataclass(frozen=True)
class InRange:
    """A numeric comparison (``>1亿``, ``1e4..5e4``) on the value in its base unit."""

    bounds: Range
    family: Callable[[Fact], str | None]

    def holds(self, fact: Fact) -> bool:
        value = fact.canonical
        return (
            isinstance(value, Decimal)
            and (self.bounds.family is None or self.bounds.family == self.family(fact))
            and self.bounds.holds(value)
        )

    def sql(self) -> tuple[str, list[object]]:
        # a float column: a little slack either side, the exact test is holds()
        where, params = [], []
        low, high = self.bounds.low, self.bounds.high
        if low is not None:
            where.append("canonical >= ?")
            params.append(float(low) - 1e-9 * (1 + abs(float(low))))
        if high is not None:
            where.append("canonical <= ?")
            params.append(float(high) + 1e-9 * (1 + abs(float(high))))
        if low is None and high is None:
            where.append("canonical IS NOT NULL")
        return " AND ".join(where), list(params)


_YEAR = re.compile(r"[0-9]{4}")


def when_years(when: str) -> tuple[int, int] | None:
    """The first and last year of a fact's time (``2014..2020``, ``2020-12-31``), or None."""
    start, _, end = when.partition("..")
    first, last = _YEAR.match(start.strip()), _YEAR.match((end or start).strip())
    if first is None or last is None:
        return None
    return int(first.group()), int(last.group())


def _county(value: str, ctx: FilterContext) -> Condition:
    wanted = [part.replace(" ", "") for part in re.split("[,，]", value) if part.strip()]
    ids = {c.id for c in ctx.base.counties if any(n.startswith(w) for w in wanted for n in c.names())}
    return Among("county", frozenset(ids))


def _theme(value: str, ctx: FilterContext) -> Condition:
    base = ctx.base
    themes = {t.id for t in base.themes if any(value in n.casefold() for n in (t.id, t.zh, t.en))}
    return Among("metric", frozenset(m.id for m in base.metrics if m.theme in themes))


def _metric(value: str, ctx: FilterContext) -> Condition:
    return Among(
        "metric",
        frozenset(
            m.id for m in ctx.base.metrics if m.id.startswith(value) or any(value in n.casefold() for n in (m.zh, m.en))
        ),
    )


def _unit(value: str, ctx: FilterContext) -> Condition:
    return Units(frozenset(u for u in ctx.units() if u.casefold() == value))


def _kind(value: str, ctx: FilterContext) -> Condition:
    return Among("kind", frozenset(k for k in KINDS if k.startswith(value) or KIND_WORDS.get(value) == k))


def _scope(value: str, ctx: FilterContext) -> Condition:
    if value == "county":
        return Among("scope", frozenset({"county"}))
    return Among("scope", frozenset(s for s in ctx.scopes() if value in s.casefold()))


def _source(value: str, ctx: FilterContext) -> Condition:
    return Among(
        "source", frozenset(s.id for s in ctx.base.sources if s.id.startswith(value) or s.file.endswith(value))
    )


def _when(value: str, ctx: FilterContext) -> Condition:
    low, dots, high = value.partition("..")
    if not dots:
        high = low
    if not (_YEAR.fullmatch(low) and _YEAR.fullmatch(high)):
        return Years(1, 0)  # not a year: nothing is of that time
    return Years(int(low), int(high))


def _county_ids(value: str, ctx: FilterContext) -> Condition:
    return Among("county", frozenset(value.split(",")))


FILTERS: dict[str, Callable[[str, FilterContext], Condition]] = {
    "county": _county,
    "theme": _theme,
    "metric": _metric,
    "unit": _unit,
    "kind": _kind,
    "scope": _scope,
    "source": _source,
    "when": _when,
    "year": _when,
    COUNTY_IDS: _county_ids,
}
"""Each filter key, and how its (case-folded) value becomes a :class:`Condition`."""


def conditions(query: Query, ctx: FilterContext) -> list[Condition]:
    """The conditions of the query's filters and numeric comparisons."""
    found = [FILTERS[key](value.casefold(), ctx) for key, value in query.filters]
    found += [InRange(bounds, ctx.family) for bounds in query.ranges]
    return found


class CountyWords:
    """Counties named by words of a query: two or more such words are a filter on any of them."""

    def __init__(self, counties: Iterable[County]) -> None:
        self._ids: dict[str, list[str]] = {}
        for county in counties:
            for name in county.names():
                self._ids.setdefault(name, []).append(county.id)

    def apply(self, query: Query) -> Query:
        """``query``, with its words that name counties made a county filter when there are two or more."""
        named = [term for term in query.text if term in self._ids]
        if len(named) < 2:
            return query
        ids = sorted({i for term in named for i in self._ids[term]})
        rest = tuple(term for term in query.text if term not in self._ids)
        return replace(query, text=rest, filters=(*query.filters, (COUNTY_IDS, ",".join(ids))))
