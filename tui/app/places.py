"""What the detail pane shows for a place, and which saved places the facts still have. No Textual."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from tui.app.render import county_view, fact_view, metric_view, theme_view
from tui.app.state import History, Place
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.present.views import ordered

__all__ = ["THEME_COUNTIES", "compare_counties", "fact_at", "first_place", "known", "known_history", "renderable_for"]

THEME_COUNTIES = 12
"""A theme across all counties shows this many counties' tables (the tree opens the others)."""


def renderable_for(base: Facts, place: Place | None, lang: Lang) -> RenderableType:
    """The detail pane's content for ``place``."""
    if place is None:
        return Text("")
    if place.kind == "county":
        return county_view(base, place.county, lang)
    if place.kind == "theme":
        if place.county:
            return theme_view(base, place.county, place.theme, lang)
        return _theme_everywhere(base, place.theme, lang)
    if place.kind == "metric":
        return metric_view(base, place.county, place.metric, lang)
    if place.kind == "fact" and base.has_fact(place.fact):
        return fact_view(base, place.fact, lang)
    return Text("")


def _theme_everywhere(base: Facts, theme: str, lang: Lang) -> RenderableType:
    having: set[str] = set()
    for metric in base.metrics:
        if metric.theme == theme:
            having.update(county for county, _ in base.tally(metric=metric.id))
    counties = [c.id for c in base.counties if c.id in having]
    shown: list[RenderableType] = [theme_view(base, c, theme, lang) for c in counties[:THEME_COUNTIES]]
    if len(counties) > THEME_COUNTIES:
        more = label("more_counties", lang).format(n=len(counties) - THEME_COUNTIES)
        shown.append(Text(more, style="dim"))
    return Group(*shown)


def fact_at(base: Facts, place: Place | None) -> Fact | None:
    """The one figure ``place`` stands for: the fact, or a metric's first fact; else None."""
    if place is not None and place.kind == "fact" and base.has_fact(place.fact):
        return base.fact(place.fact)
    if place is not None and place.kind == "metric":
        facts = ordered(base.select(county=place.county or None, metric=place.metric))
        return facts[0] if facts else None
    return None


def known(base: Facts, place: Place) -> bool:
    """Whether the facts still have what ``place`` names."""
    counties = {c.id for c in base.counties}
    return (
        (not place.county or place.county in counties)
        and (not place.theme or place.theme in {t.id for t in base.themes})
        and (not place.metric or place.metric in {m.id for m in base.metrics})
        and (not place.fact or base.has_fact(place.fact))
        and all(c in counties for c in place.counties)
        and place.kind != "compare"
    )


def known_history(base: Facts, history: History) -> History:
    """The saved history without the places the facts no longer have."""
    current = history.current if history.current is not None and known(base, history.current) else None
    return History(
        current,
        tuple(p for p in history.back if known(base, p)),
        tuple(p for p in history.forward if known(base, p)),
    )


def first_place(base: Facts) -> Place | None:
    """The first county's sheet: where a fresh start opens."""
    first = base.first_county()
    return None if first is None else Place("county", county=first.id)


def compare_counties(base: Facts, compared: tuple[str, ...], current: Place | None) -> list[str]:
    """The counties to compare: those compared last, else the open county and the next one."""
    if len(compared) >= 2:
        return list(compared)
    first = current.county if current is not None and current.county else base.counties[0].id
    return [first, *(c.id for c in base.counties if c.id != first)][:2]
