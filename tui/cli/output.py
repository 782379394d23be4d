"""How the reading commands write: lines of escaped text, the JSON of a fact, the words
around a figure (through :mod:`tui.domain.vocab`), and "nothing found"."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from tui.cli.args import UsageError
from tui.cli.common import Exit
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label, sources_text, value_text
from tui.present.export import fact_record
from tui.present.names import resolve_metric, resolve_theme
from tui.present.textfmt import sanitize
from tui.present.views import Figure

__all__ = [
    "county_title",
    "differs_text",
    "emit",
    "fact_json",
    "figure_json",
    "metric_arg",
    "none",
    "sources_mark",
    "theme_arg",
]


def emit(lines: Iterable[str]) -> None:
    """Print ``lines``, every character a terminal would act on escaped."""
    for line in lines:
        print(sanitize(line))


def none(message: str) -> int:
    """Say on stderr that nothing was found; :attr:`Exit.NONE`."""
    print(f"povtui: {sanitize(message)}", file=sys.stderr)
    return Exit.NONE


def fact_json(base: Facts, fact: Fact, lang: Lang) -> dict[str, Any]:
    """A fact's export record, plus ``display`` (the value as the text shows it) and
    ``disagrees_with``."""
    return dict(
        fact_record(base, fact),
        display=value_text(fact, lang, with_kind=False),
        disagrees_with=[other.id for other in base.disagreements(fact)],
    )


def figure_json(base: Facts, figure: Figure, lang: Lang) -> dict[str, Any]:
    """The shown fact's JSON, plus ``same``: the facts of other sources stating the same figure."""
    return dict(fact_json(base, figure.fact, lang), same=list(figure.ids[1:]))


def differs_text(base: Facts, figure: Figure, lang: Lang) -> str:
    """``! differs from shizhu-…`` when another source gives the figure a different value; else empty."""
    others = [f.id for f in base.disagreements(figure.fact) if f.id not in figure.ids]
    return f"{label('differs', lang)} {', '.join(others)}" if others else ""


def sources_mark(figure: Figure, lang: Lang) -> str:
    return sources_text(figure.sources, lang)


def county_title(base: Facts, county: str) -> str:
    c = base.county(county)
    return sanitize(f"{c.name} {c.short} {c.en} ({c.id})")


def theme_arg(base: Facts, name: str | None) -> str | None:
    """The theme id named by ``--theme`` (id, Chinese or English name, pinyin, initials), if given.

    Raises:
        UsageError: no theme, or more than one, has that name; the message lists them.
    """
    if name is None:
        return None
    found = resolve_theme(base, name)
    if found.one is not None:
        return found.one.id
    every = ", ".join(f"{t.id} {t.zh}" for t in (found.found or base.themes))
    what = "ambiguous theme" if found.found else "unknown theme"
    raise UsageError(sanitize(f"{what} {_typed(name)}; themes: {every}"))


SHOWN_CANDIDATES = 8
"""An ambiguous name's error lists at most this many metrics."""


def metric_arg(base: Facts, name: str | None, theme: str | None = None) -> str | None:
    """The metric id named by ``--metric`` (id, name, alias, pinyin, initials), if given.

    Raises:
        UsageError: no metric, or more than one, has that name; the message lists the
            candidates (or the nearest names) with their ids.
    """
    if name is None:
        return None
    found = resolve_metric(base, name, theme)
    if found.one is not None:
        return found.one.id
    if found.found:
        listed = ", ".join(f"{m.id} {m.zh}" for m in found.found[:SHOWN_CANDIDATES])
        more = len(found.found) - SHOWN_CANDIDATES
        listed += f" and {more} more" if more > 0 else ""
        message = f"ambiguous metric {_typed(name)} ({len(found.found)} metrics): {listed}; give more of it or an id"
    else:
        near = ", ".join(f"{m} {base.metric(m).zh}" for m in found.near) or "none"
        message = f"unknown metric {_typed(name)}; nearest: {near} (povtui show COUNTY --ids lists metric ids)"
    raise UsageError(sanitize(message))


def _typed(name: str, limit: int = 60) -> str:
    return repr(name) if len(name) <= limit else repr(name[:limit]) + "…"
