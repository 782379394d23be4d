"""Naming a metric or a theme the way a user types it: its id (``poverty.incidence``, or just
``incidence``), its Chinese or English name, an alias, its pinyin (``pinkun fashenglv``) or its
initials (``pkfsl``), whole or the start of one. The CLI and the app resolve names through here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from tui.domain.facts import Facts
from tui.domain.model import Metric, Theme
from tui.search.pinyin import read

__all__ = ["Resolved", "resolve_metric", "resolve_theme"]

T = TypeVar("T", Metric, Theme)

_HAN = re.compile(r"[\u3400-\u9fff]")


def _plain(text: str) -> str:
    return "".join(text.casefold().split())


@lru_cache(maxsize=4096)
def _spoken(text: str) -> tuple[str, str]:
    """The pinyin of a Chinese name and its initials (``pinkunfashenglv``, ``pkfsl``); empty
    when the name has no 汉字."""
    if not _HAN.search(text):
        return "", ""
    reading = read(text)
    return reading.joined, reading.initials.replace(" ", "")


@dataclass(frozen=True, slots=True)
class Resolved(Generic[T]):
    """What a typed name names: one item, several (ambiguous) or none (with near names)."""

    typed: str
    found: tuple[T, ...]
    near: tuple[str, ...] = ()
    """For nothing found: the ids of the nearest items, nearest first."""

    @property
    def one(self) -> T | None:
        return self.found[0] if len(self.found) == 1 else None


def _resolve(typed: str, items: Sequence[T], names: Callable[[T], Iterable[str]]) -> Resolved[T]:
    wanted = _plain(typed)
    if not wanted:
        return Resolved(typed, ())
    written = {id(item): {_plain(n) for n in names(item) if n} for item in items}
    spoken = {id(item): {s for n in names(item) for s in _spoken(n) if s} for item in items}
    letters = wanted.replace("'", "")
    words = [_plain(w) for w in typed.split()]
    levels: list[Callable[[T], bool]] = [
        lambda item: wanted in written[id(item)],
        lambda item: letters in spoken[id(item)],
        lambda item: (
            any(n.startswith(wanted) for n in written[id(item)]) or any(s.startswith(letters) for s in spoken[id(item)])
        ),
        lambda item: any(wanted in n for n in written[id(item)]),
        lambda item: len(words) > 1 and any(all(w in n for w in words) for n in written[id(item)] | spoken[id(item)]),
    ]
    for level in levels:
        found = tuple(item for item in items if level(item))
        if found:
            return Resolved(typed, found)
    owner = {n: item for item in reversed(items) for n in names(item) if n}
    near = difflib.get_close_matches(typed, sorted(owner), n=8, cutoff=0.5)
    nearest = tuple(dict.fromkeys(owner[n].id for n in near))[:5]
    return Resolved(typed, (), nearest)


def _metric_names(metric: Metric) -> Iterable[str]:
    return (metric.id, metric.id.split(".", 1)[-1], metric.zh, metric.en, *metric.aliases)


def resolve_metric(base: Facts, typed: str, theme: str | None = None) -> Resolved[Metric]:
    """The metrics ``typed`` names (of ``theme``, if given), the best kind of match only: a
    whole name, then whole pinyin or initials, then the start of a name or its pinyin, then a
    part of a name, then names holding every typed word (``yidi banqian``)."""
    metrics = [m for m in base.metrics if theme is None or m.theme == theme]
    return _resolve(typed, metrics, _metric_names)


def resolve_theme(base: Facts, typed: str) -> Resolved[Theme]:
    """The themes ``typed`` names: id, Chinese or English name, pinyin or initials (``shouru``, ``sr``)."""
    return _resolve(typed, list(base.themes), lambda t: (t.id, t.zh, t.en))
