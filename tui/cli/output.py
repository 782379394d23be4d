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
from tui.present.textfmt import sanitize
from tui.present.views import Figure, find_theme

__all__ = ["county_title", "differs_text", "emit", "fact_json", "figure_json", "none", "sources_mark", "theme_arg"]


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
    """The theme id named by ``--theme``, if given.

    Raises:
        UsageError: no theme has that name.
    """
    if name is None:
        return None
    theme = find_theme(base, name)
    if theme is None:
        raise UsageError(f"unknown theme {name!r}; themes: {', '.join(t.id for t in base.themes)}")
    return theme.id
