"""What the command line and the app both show, as data: a county's figures by theme, its
headline figures (:mod:`tui.present.headlines`), comparison rows aligned by metric, source summaries and citations.

Pure functions over a :class:`~tui.domain.facts.Facts`: no printing, no Textual.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tui.domain.facts import Facts
from tui.domain.model import KIND_RANK, County, Fact, Metric, Source, Theme
from tui.domain.vocab import Lang, kind_note, label, value_text, when_text

__all__ = [
    "Cell",
    "CompareRow",
    "Figure",
    "SourceSummary",
    "ThemeGroup",
    "by_theme",
    "citation",
    "compare_rows",
    "date_text",
    "figure_of",
    "figures",
    "find_metric",
    "find_theme",
    "nearest_fact_ids",
    "ordered",
    "short_title",
    "source_summaries",
]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as the reader sees it: the same value for the same metric, scope, kind and
    period, stated by one or more articles. Each source keeps its own fact (its id and quote)."""

    facts: tuple[Fact, ...]
    """The statements, the one shown first; never empty."""

    @property
    def fact(self) -> Fact:
        """The statement shown (and whose value is written)."""
        return self.facts[0]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.facts)

    @property
    def sources(self) -> int:
        """How many articles state the figure."""
        return len({f.source for f in self.facts})


def _same_figure(fact: Fact) -> tuple[object, ...]:
    """What makes two statements one figure: measure, place, kind, period and the value with its
    bound (5000余户 and 5000户 stay two figures, so neither bound is lost)."""
    return (
        fact.county,
        fact.metric,
        fact.scope,
        fact.kind,
        fact.when,
        fact.bound,
        fact.canonical,
        fact.canonical_max,
    )


def figures(facts: Iterable[Fact]) -> tuple[Figure, ...]:
    """``facts`` folded into figures, in the order of each figure's first statement."""
    groups: dict[tuple[object, ...], list[Fact]] = {}
    for fact in facts:
        groups.setdefault(_same_figure(fact), []).append(fact)
    return tuple(Figure(tuple(group)) for group in groups.values())


def figure_of(base: Facts, fact: Fact) -> Figure:
    """The figure ``fact`` states, ``fact`` first, then the other sources in file order."""
    key = _same_figure(fact)
    same = [
        f for f in base.select(county=fact.county, metric=fact.metric) if f.id != fact.id and _same_figure(f) == key
    ]
    return Figure((fact, *same))


def _when_end(when: str) -> str:
    return when.split("..")[-1]


def ordered(facts: tuple[Fact, ...] | list[Fact]) -> tuple[Fact, ...]:
    """Facts best first: county-wide before a part of it, achieved before baseline before
    target, then the latest period; file order breaks ties."""
    latest_first = sorted(facts, key=lambda f: _when_end(f.when), reverse=True)
    return tuple(sorted(latest_first, key=lambda f: (not f.is_county_wide, KIND_RANK[f.kind])))


def _metric_order(base: Facts) -> dict[str, int]:
    return {metric.id: index for index, metric in enumerate(base.metrics)}


def _names(*names: str) -> set[str]:
    return {name.casefold().replace(" ", "") for name in names if name}


def find_theme(base: Facts, name: str) -> Theme | None:
    """A theme by id, Chinese or English name (case and spaces ignored)."""
    wanted = name.casefold().replace(" ", "")
    return next((t for t in base.themes if wanted in _names(t.id, t.zh, t.en)), None)


def find_metric(base: Facts, name: str) -> Metric | None:
    """A metric by id (with or without its theme: ``people_lifted``), Chinese or English
    name, or one of its aliases."""
    wanted = name.casefold().replace(" ", "")
    return next(
        (m for m in base.metrics if wanted in _names(m.id, m.id.split(".", 1)[-1], m.zh, m.en, *m.aliases)), None
    )


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    """One theme's facts for a county: metrics in file order, each metric's facts best first."""

    theme: Theme
    facts: tuple[Fact, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The facts folded into figures: one per value stated by one or more sources."""
        return figures(self.facts)


def by_theme(base: Facts, county: str, theme: str | None = None) -> tuple[ThemeGroup, ...]:
    """The county's facts grouped by theme, themes in display order; empty themes left out."""
    order = _metric_order(base)
    groups = []
    for item in base.themes:
        if theme is not None and item.id != theme:
            continue
        facts = base.select(county=county, theme=item.id)
        metrics = sorted({f.metric for f in facts}, key=order.__getitem__)
        grouped = tuple(f for metric in metrics for f in ordered([f for f in facts if f.metric == metric]))
        if grouped:
            groups.append(ThemeGroup(item, grouped))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class Cell:
    """One county's figures for one metric in a comparison."""

    county: County
    facts: tuple[Fact, ...]
    """Best first (see :func:`ordered`); empty when the county has no figure."""
    disagreements: tuple[Fact, ...] = ()
    """Facts of other sources that give the shown figure differently."""

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The facts folded into figures, best first."""
        return figures(self.facts)

    @property
    def figure(self) -> Figure | None:
        """The figure shown: the county-wide achieved one when there is one."""
        found = self.figures
        return found[0] if found else None

    @property
    def fact(self) -> Fact | None:
        """The statement of the shown figure whose value is written."""
        return self.facts[0] if self.facts else None

    @property
    def more(self) -> int:
        """How many other figures the county has for this metric (other sources of the shown
        figure are not "more": they are the same figure)."""
        return max(len(self.figures) - 1, 0)


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One metric across counties, compared on normalised values."""

    metric: Metric
    cells: tuple[Cell, ...]
    highest: str | None
    """The county whose shown figure is the largest normalised value, when the shown figures
    are comparable (two or more, same kind, numbers, not all equal); else None."""


def _highest(cells: tuple[Cell, ...]) -> str | None:
    shown = [c for c in cells if c.fact is not None and not c.fact.is_date]
    if len(shown) < 2 or len({c.fact.kind for c in shown}) > 1:  # type: ignore[union-attr]
        return None
    values = {c.county.id: Decimal(c.fact.canonical) for c in shown}  # type: ignore[union-attr]
    top = max(values.values())
    winners = [county for county, value in values.items() if value == top]
    return winners[0] if len(winners) == 1 else None


def compare_rows(
    base: Facts, counties: list[str], theme: str | None = None, metric: str | None = None
) -> tuple[CompareRow, ...]:
    """One row per metric any of ``counties`` has a figure for, in metric order."""
    rows = []
    for item in base.metrics:
        if (theme is not None and item.theme != theme) or (metric is not None and item.id != metric):
            continue
        cells = []
        for county in counties:
            facts = ordered(base.select(county=county, metric=item.id))
            cells.append(Cell(base.county(county), facts, base.disagreements(facts[0]) if facts else ()))
        if any(cell.facts for cell in cells):
            row_cells = tuple(cells)
            rows.append(CompareRow(item, row_cells, _highest(row_cells)))
    theme_rank = {t.id: t.order for t in base.themes}
    return tuple(sorted(rows, key=lambda row: theme_rank[row.metric.theme]))


@dataclass(frozen=True, slots=True)
class SourceSummary:
    source: Source
    county: County
    facts: int
    """How many facts the source backs."""


def source_summaries(base: Facts, county: str | None = None) -> tuple[SourceSummary, ...]:
    """Every article (of one county, if given) with how many facts it backs, in file order."""
    sources = base.sources if county is None else base.sources_of(county)
    return tuple(
        SourceSummary(source, base.county(source.county), len(base.select(source=source.id))) for source in sources
    )


def date_text(source: Source, lang: Lang = "en") -> str:
    """The article's date, marked when it is inferred: ``2021-03 (est.)`` / ``2021-03（估计）``."""
    if not source.date_estimated:
        return source.date
    return f"{source.date}（{label('estimated', lang)}）" if lang == "zh" else f"{source.date} (est.)"


def short_title(source: Source, limit: int = 12) -> str:
    """The title's first phrase (up to a space, dash, comma or colon), at most ``limit``
    characters: ``实干显担当`` for ``实干显担当 实绩铸辉煌 ——记…``."""
    head = source.title.strip()
    for mark in ("——", "—", " ", "\u3000", "：", ":", "，", ","):
        first = head.split(mark)[0].strip()
        if first:
            head = first
    return head if len(head) <= limit else head[: limit - 1] + "…"


_CITATION = {
    # where, metric, value, when, end of the figure; a source's title, separator, note; the sources' heads
    "zh": (
        "{where}，{metric}：{value}",
        "，{when}",
        "。",
        "《{title}》",
        "，",
        "：",
        " 说明：{note}",
        "来源：",
        "{n}个来源：",
        "；",
    ),
    "en": (
        "{where}, {metric}: {value}",
        ", {when}",
        ". ",
        "“{title}”",
        ", ",
        ": ",
        " Note: {note}",
        "Source: ",
        "{n} sources: ",
        "; ",
    ),
}


def citation(base: Facts, fact: Fact, lang: Lang = "en") -> str:
    """One paragraph to paste into a report: the figure, what and where it is, when, then every
    article that states it, each with its verbatim quote in 「」, its note, and its fact id."""
    head, period, end, title, comma, colon, note, one_source, many_sources, between = _CITATION[lang]
    metric = base.metric(fact.metric)
    county = base.county(fact.county)
    where = county.name if fact.is_county_wide else county.name + ("" if lang == "zh" else ", ") + fact.scope
    name = metric.zh if lang == "zh" else f"{metric.zh} ({metric.en})"
    value = value_text(fact, lang, with_kind=False) + kind_note(fact.kind, lang)
    text = head.format(where=where, metric=name, value=value)
    when = when_text(fact)
    text += (period.format(when=when) if when else "") + end
    statements = []
    for one in figure_of(base, fact).facts:
        source = base.source(one.source)
        statements.append(
            title.format(title=source.title)
            + (comma + source.outlet if source.outlet else "")
            + comma
            + date_text(source, lang)
            + f"{colon}「{one.quote}」"
            + (note.format(note=one.note) if one.note else "")
            + f" [fact {one.id}]"
        )
    heading = one_source if len(statements) == 1 else many_sources.format(n=len(statements))
    return text + heading + between.join(statements)


def nearest_fact_ids(base: Facts, wanted: str, n: int = 3) -> list[str]:
    """The fact ids closest to ``wanted``, for 'did you mean' messages."""
    ids = [f.id for f in base.facts]
    return difflib.get_close_matches(wanted, ids, n=n, cutoff=0.6) or difflib.get_close_matches(
        wanted, ids, n=n, cutoff=0.3
    )
