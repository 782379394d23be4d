"""What the detail pane shows for a place, and which saved places the facts still have. No Textual."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Group, RenderableType
from rich.text import Text

from tui.app.persist import Saved
from tui.app.render import METRIC_FACTS, county_view, fact_view, metric_view, theme_view
from tui.app.state import History, Place
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.present.headlines import headlines
from tui.present.views import by_theme, figures, ordered

__all__ = [
    "THEME_COUNTIES",
    "compare_counties",
    "figures_shown",
    "first_place",
    "known",
    "known_history",
    "renderable_for",
]

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


def _theme_counties(base: Facts, theme: str) -> list[str]:
    having: set[str] = set()
    for metric in base.metrics:
        if metric.theme == theme:
            having.update(county for county, _ in base.tally(metric=metric.id))
    return [c.id for c in base.counties if c.id in having]


def _theme_everywhere(base: Facts, theme: str, lang: Lang) -> RenderableType:
    counties = _theme_counties(base, theme)
    shown: list[RenderableType] = [theme_view(base, c, theme, lang) for c in counties[:THEME_COUNTIES]]
    if len(counties) > THEME_COUNTIES:
        more = label("more_counties", lang).format(n=len(counties) - THEME_COUNTIES)
        shown.append(Text(more, style="dim"))
    return Group(*shown)


def figures_shown(base: Facts, place: Place | None) -> tuple[Fact, ...]:
    """The figures the detail pane shows for ``place``, in its order, each once (by its first
    source): the fact; a metric's figures; a theme's table rows; a county's headline figures."""
    if place is None:
        return ()
    if place.kind == "fact":
        return (base.fact(place.fact),) if base.has_fact(place.fact) else ()
    if place.kind == "metric":
        facts = ordered(base.select(county=place.county or None, metric=place.metric))
        return tuple(figure.fact for figure in figures(facts)[:METRIC_FACTS])
    if place.kind == "theme":
        counties = [place.county] if place.county else _theme_counties(base, place.theme)[:THEME_COUNTIES]
        groups = [group for county in counties for group in by_theme(base, county, place.theme)]
        return tuple(figure.fact for group in groups for figure in group.figures)
    if place.kind == "county":
        return tuple(item.fact for item in headlines(base, place.county))
    return ()


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


def restored(base: Facts, saved: Saved) -> Saved:
    """What a new session takes of ``saved``: places, counties and a theme the facts no longer
    have are dropped; the comparison reopens only with two counties still there."""
    compared = tuple(c for c in saved.compare if known(base, Place("county", county=c)))
    return replace(
        saved,
        history=known_history(base, saved.history),
        compare=compared,
        compare_open=saved.compare_open and len(compared) >= 2,
        compare_theme=saved.compare_theme if saved.compare_theme in {t.id for t in base.themes} else "",
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
