"""A county's headline figures: the poverty results, the incidence before and after, the exit
date, then each theme's top figure (the county overview and ``povtui sheet``)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.domain.facts import Facts
from tui.domain.model import Fact, Kind, Metric
from tui.domain.vocab import Lang, Phase, phase_word
from tui.present.views import Figure, figures, ordered

__all__ = ["EXIT_DATES", "HEADLINES", "Headline", "headlines"]


@dataclass(frozen=True, slots=True)
class Headline:
    """A figure of a county's fact sheet: which metric, kind and phase it is, and the figure."""

    metric: Metric
    kind: Kind
    phase: Phase
    """``before``/``after`` for the incidence at the start and at the end; else empty."""
    figure: Figure
    section: str
    """``headline`` for the poverty headline figures, ``theme`` for a theme's top figure."""

    @property
    def fact(self) -> Fact:
        return self.figure.fact

    def name(self, lang: Lang) -> str:
        """``贫困发生率（脱贫前）`` / ``Poverty incidence before``: the metric's name and phase."""
        phase = phase_word(self.phase, lang)
        if lang == "zh":
            return f"{self.metric.zh}（{phase}）" if phase else self.metric.zh
        return f"{self.metric.en} {phase}" if phase else self.metric.en


EXIT_DATES = (
    "poverty.national_poverty_county_exit_date",
    "poverty.municipal_key_county_exit_date",
    "poverty.exit_date",
)
"""The metrics a county's exit date may be stated in, first found first: off the national list
of poverty counties (石柱, 黔江), else off the municipal list of key counties (潼南), else a
tree's one undifferentiated exit date."""

HEADLINES: tuple[tuple[tuple[str, ...], Kind, Phase], ...] = (
    (("poverty.people_lifted",), "achieved", ""),
    (("poverty.households_lifted",), "achieved", ""),
    (("poverty.villages_delisted",), "achieved", ""),
    (("poverty.incidence",), "baseline", "before"),
    (("poverty.incidence",), "achieved", "after"),
    (EXIT_DATES, "achieved", ""),
)
"""(metrics in order of preference, kind, phase) of the headline figures, in the order a sheet
shows them; a slot shows the first of its metrics the county has a figure for."""


def headlines(base: Facts, county: str) -> tuple[Headline, ...]:
    """A county's headline figures, county-wide only: people, households and villages lifted
    out of poverty, incidence before and after, the exit date; then the top figure of each
    theme (its first metric, in file order, with a county-wide achieved figure)."""
    found: list[Headline] = []
    used: set[str] = set()
    known = {m.id for m in base.metrics}
    for metrics, kind, phase in HEADLINES:
        for metric in (m for m in metrics if m in known):
            facts = ordered(
                [f for f in base.select(county=county, metric=metric) if f.is_county_wide and f.kind == kind]
            )
            if kind == "baseline":  # "before" is the earliest starting figure
                facts = tuple(sorted(facts, key=lambda f: f.when.split("..")[0]))
            if facts:
                found.append(Headline(base.metric(metric), kind, phase, figures(facts)[0], "headline"))
                used.add(metric)
                break
    for theme in base.themes:
        for item in base.metrics:
            if item.theme != theme.id or item.id in used:
                continue
            facts = ordered(
                [f for f in base.select(county=county, metric=item.id) if f.is_county_wide and f.kind == "achieved"]
            )
            if facts:
                found.append(Headline(item, "achieved", "", figures(facts)[0], "theme"))
                break
    return tuple(found)
