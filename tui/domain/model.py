"""The fact base: immutable, typed records for themes, metrics, counties, sources and facts.

Nothing here imports Textual; the app only displays what this model answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, get_args

__all__ = [
    "BOUNDS",
    "KINDS",
    "Bound",
    "County",
    "Fact",
    "FactBase",
    "Kind",
    "Metric",
    "Problem",
    "Skip",
    "Source",
    "Theme",
    "disagreeing",
    "regions_of",
]

Bound = Literal["exact", "more_than", "at_least", "about", "nearly", "range"]
Kind = Literal["achieved", "baseline", "target"]

BOUNDS: tuple[Bound, ...] = get_args(Bound)
KINDS: tuple[Kind, ...] = get_args(Kind)
KIND_RANK: dict[str, int] = {"achieved": 0, "baseline": 1, "target": 2}
"""The order facts of one measure are shown in: results before starting points before goals."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the fact tree, located as precisely as it can be."""

    path: str
    """The file, as the user would type it (relative to the fact tree's root where possible)."""
    line: int
    """1-based line, 0 when the problem is about the whole file."""
    message: str
    key: str = ""
    """The key or table the problem is about, if any."""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f" [{self.key}]" if self.key else ""
        return f"{where}: {self.severity}{key}: {self.message}"


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    zh: str
    en: str
    order: int


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    zh: str
    en: str
    theme: str
    base: str
    aliases: tuple[str, ...] = ()
    accept: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """(check rule, the curator's reason) for each ``povtui check`` rule this metric is known to trip."""


@dataclass(frozen=True, slots=True)
class County:
    id: str
    name: str
    """Full name, e.g. 石柱土家族自治县."""
    short: str
    """Short name, e.g. 石柱."""
    en: str
    pinyin: str
    """Curated reading, syllables separated by spaces (``shi zhu``)."""
    level: str
    parent: str
    path: str = ""
    """The county file the record came from."""

    def names(self) -> tuple[str, ...]:
        """Every name a user may type for the county, folded: id, short and full name, English,
        pinyin (``shizhu``) and its initials (``sz``)."""
        syllables = self.pinyin.split()
        names = (self.id, self.short, self.name, self.en, "".join(syllables), "".join(s[0] for s in syllables))
        return tuple(n.casefold() for n in names if n)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    county: str
    file: str
    """The seed path relative to the fact tree's root, e.g. ``seeds/000_d3fc93e8af10a1b3.txt``."""
    title: str
    outlet: str
    date: str
    date_estimated: bool
    date_note: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    county: str
    metric: str
    value: Decimal | str
    """The number as written (a string for dates)."""
    value_max: Decimal | None
    unit: str
    """The unit as written."""
    bound: Bound
    scope: str
    kind: Kind
    when: str
    source: str
    quote: str
    canonical: Decimal | str
    """The value in the metric's base unit (the ISO string for dates)."""
    canonical_max: Decimal | None
    base: str
    when_note: str = ""
    note: str = ""
    path: str = ""
    line: int = 0
    former_ids: tuple[str, ...] = ()
    """Ids this fact was cited by before its id changed; they still resolve to it."""
    accept: tuple[tuple[str, str], ...] = ()
    """(check rule, the curator's reason) for each ``povtui check`` rule this fact is known to trip."""

    @property
    def is_county_wide(self) -> bool:
        return self.scope == "county"

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, str)


@dataclass(frozen=True, slots=True)
class Skip:
    """A number in a source that is deliberately not a figure (a page number, a scheme's name)."""

    source: str
    quote: str
    reason: str
    path: str = ""
    line: int = 0


def _same_period(a: str, b: str) -> bool:
    """Equal periods, or two points in time within the same year (2020 and 2020-12-31)."""
    if a == b:
        return True
    return ".." not in a and ".." not in b and a[:4] == b[:4]


_SLACK = Decimal("0.1")
"""How far 约/近 may stray: about 10 %."""


def _interval(fact: Fact) -> tuple[Decimal | None, Decimal | None]:
    """The values a fact allows, from its bound; None is open."""
    value = fact.canonical
    assert isinstance(value, Decimal)
    if fact.bound == "range":
        return value, fact.canonical_max
    if fact.bound == "more_than":
        # 6000余 is 6000 to 7000: one step of its last written digit (超过/以上 are read the same,
        # so that a possible conflict is shown rather than hidden)
        written = fact.value
        assert isinstance(written, Decimal)
        exponent = written.normalize().as_tuple().exponent
        step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        return value, value + step * (value / written if written else 1)
    if fact.bound == "at_least":
        return value, None
    if fact.bound == "nearly":
        return value * (1 - _SLACK), value
    if fact.bound == "about":
        return value * (1 - _SLACK), value * (1 + _SLACK)
    return value, value


def _compatible(a: Fact, b: Fact) -> bool:
    """Whether two statements of a figure can both be true."""
    if a.is_date or b.is_date:
        return a.canonical == b.canonical
    (low_a, high_a), (low_b, high_b) = _interval(a), _interval(b)
    return (high_a is None or low_b is None or low_b <= high_a) and (high_b is None or low_a is None or low_a <= high_b)


def disagreeing(fact: Fact, others: Iterable[Fact]) -> tuple[Fact, ...]:
    """Those of ``others`` (facts of the same county and metric) that disagree with ``fact``:
    see :meth:`FactBase.disagreements`."""
    return tuple(
        other
        for other in others
        if other.source != fact.source
        and other.scope == fact.scope
        and other.kind == fact.kind
        and _same_period(other.when, fact.when)
        and not _compatible(other, fact)
    )


def regions_of(counties: Iterable[County], sizes: Mapping[str, int]) -> tuple[tuple[str, int, int], ...]:
    """Each region above the counties (a province): its name, number of counties and number of
    facts (``sizes``: facts per county id), in the order of its first county."""
    found: dict[str, list[int]] = {}
    for county in counties:
        entry = found.setdefault(county.parent, [0, 0])
        entry[0] += 1
        entry[1] += sizes.get(county.id, 0)
    return tuple((region, n, facts) for region, (n, facts) in found.items())


@dataclass(frozen=True)
class FactBase:
    """Everything loaded from one fact tree, in memory: a :class:`~tui.domain.facts.Facts`.
    Immutable: queries return new tuples."""

    themes: tuple[Theme, ...] = ()
    metrics: tuple[Metric, ...] = ()
    counties: tuple[County, ...] = ()
    sources: tuple[Source, ...] = ()
    facts: tuple[Fact, ...] = ()
    skips: tuple[Skip, ...] = ()
    root: str = ""
    """The folder that holds ``facts/`` and ``seeds/``."""
    _themes: dict[str, Theme] = field(init=False, repr=False, compare=False)
    _metrics: dict[str, Metric] = field(init=False, repr=False, compare=False)
    _counties: dict[str, County] = field(init=False, repr=False, compare=False)
    _sources: dict[str, Source] = field(init=False, repr=False, compare=False)
    _facts: dict[str, Fact] = field(init=False, repr=False, compare=False)
    _former: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", tuple(sorted(self.themes, key=lambda t: (t.order, t.id))))
        object.__setattr__(self, "_themes", {t.id: t for t in self.themes})
        object.__setattr__(self, "_metrics", {m.id: m for m in self.metrics})
        object.__setattr__(self, "_counties", {c.id: c for c in self.counties})
        object.__setattr__(self, "_sources", {s.id: s for s in self.sources})
        object.__setattr__(self, "_facts", {f.id: f for f in self.facts})
        object.__setattr__(self, "_former", {old: f.id for f in self.facts for old in f.former_ids})

    def theme(self, theme_id: str) -> Theme:
        return self._themes[theme_id]

    def metric(self, metric_id: str) -> Metric:
        return self._metrics[metric_id]

    def county(self, county_id: str) -> County:
        return self._counties[county_id]

    def theme_of(self, fact: Fact) -> Theme:
        return self._themes[self._metrics[fact.metric].theme]

    def first_county(self) -> County | None:
        return self.counties[0] if self.counties else None

    def regions(self) -> tuple[tuple[str, int, int], ...]:
        return regions_of(self.counties, self.county_sizes())

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    def fact(self, fact_id: str) -> Fact:
        return self._facts[fact_id]

    def has_fact(self, fact_id: str) -> bool:
        return fact_id in self._facts

    def current_id(self, fact_id: str) -> str | None:
        """The id that ``fact_id`` cites now: itself, the id of the fact that lists it in
        ``former_ids`` (a citation made before the id changed), or None if no fact has it."""
        return fact_id if fact_id in self._facts else self._former.get(fact_id)

    def select(
        self,
        *,
        county: str | None = None,
        theme: str | None = None,
        metric: str | None = None,
        source: str | None = None,
    ) -> tuple[Fact, ...]:
        """The facts that match every given filter, in file order."""
        return tuple(
            fact
            for fact in self.facts
            if (county is None or fact.county == county)
            and (metric is None or fact.metric == metric)
            and (source is None or fact.source == source)
            and (theme is None or self._metrics[fact.metric].theme == theme)
        )

    def sources_of(self, county: str) -> tuple[Source, ...]:
        """A county's articles, in file order."""
        return tuple(s for s in self.sources if s.county == county)

    def county_sizes(self) -> dict[str, int]:
        """How many facts each county has."""
        return dict(Counter(f.county for f in self.facts))

    def metric_sizes(self) -> dict[str, int]:
        """How many facts each metric has, over all counties."""
        return dict(Counter(f.metric for f in self.facts))

    def tally(self, *, county: str | None = None, metric: str | None = None) -> dict[tuple[str, str], int]:
        """Facts per (county, metric), for one county or one metric (the tree's counts)."""
        if county is None and metric is None:
            raise ValueError("tally needs a county or a metric")
        return dict(Counter((f.county, f.metric) for f in self.select(county=county, metric=metric)))

    def disagreements(self, fact: Fact) -> tuple[Fact, ...]:
        """Facts from *other* sources that measure the same thing and cannot both be true.

        Same county, metric, scope and kind, the same period (or the same year, for points in
        time), and values whose bounds do not overlap: 6000余 and 6100 agree, 33 and 35 do
        not. The reader must see both, never one picked silently.
        """
        return disagreeing(fact, self.select(county=fact.county, metric=fact.metric))

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)
