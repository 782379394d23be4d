"""The command palette's places: every county and metric, found by name, pinyin or initials."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import Protocol, cast

from textual.command import Hit, Hits, Provider
from textual.content import Content

from tui.app.state import Place
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, label
from tui.present.textfmt import sanitize

__all__ = ["PlaceProvider", "palette_entries", "palette_places"]

Ways = tuple[tuple[str, tuple[int, ...]], ...]
"""The ways to type a name, each with the character of the name every offset stands for."""


class PaletteApp(Protocol):
    """What the palette needs of the app (the app is not imported here: it imports this)."""

    base: Facts
    lang: Lang

    def open_place(self, place: Place) -> None: ...


def palette_entries(base: Facts) -> Iterable[tuple[str, Place]]:
    """The palette's places, their names sanitised (no control character reaches the screen)."""
    for county in base.counties:
        yield sanitize(f"{county.short} {county.en} {county.name}"), Place("county", county=county.id)
    for metric in base.metrics:
        yield sanitize(f"{metric.zh} {metric.en}"), Place("metric", metric=metric.id)


def palette_places(base: Facts) -> Iterable[tuple[str, Place, Ways]]:
    """The palette's places with the ways to type them (:func:`tui.search.pinyin.spellings`):
    a county's curated reading wins over pypinyin's."""
    from tui.search.pinyin import spellings

    overrides = {c.short: tuple(c.pinyin.split()) for c in base.counties if c.pinyin}
    for text, place in palette_entries(base):
        yield text, place, spellings(text, overrides)


class PlaceProvider(Provider):
    """Command palette entries for every county and metric, found by their names, their pinyin
    (``pinkun``) or its initials (``pkfsl``), as the search bar finds them."""

    entries: tuple[tuple[str, Place, Ways], ...] = ()

    async def startup(self) -> None:
        base = cast(PaletteApp, self.app).base
        # pypinyin loads in ~0.2 s: in a thread, when the palette first opens, never at start
        self.entries = await asyncio.to_thread(lambda: tuple(palette_places(base)))

    async def search(self, query: str) -> Hits:
        app = cast(PaletteApp, self.app)
        matcher = self.matcher(query)
        for text, place, ways in self.entries:
            score, offsets, owners = max(
                ((*matcher.fuzzy_search.match(matcher.query, typed), owners) for typed, owners in ways),
                key=lambda found: found[0],
            )
            if score > 0:  # Content(text), never markup: a '[/]' in a name is shown, not parsed
                shown = Content(text)
                for char in sorted({owners[offset] for offset in offsets}):
                    shown = shown.stylize(matcher.match_style, char, char + 1)
                kind = label(f"place.{place.kind}", app.lang)
                yield Hit(score, shown, partial(app.open_place, place), text=text, help=kind)
