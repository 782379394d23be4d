"""Pinyin readings of text, one syllable per character, for people who cannot type Chinese.

pypinyin gives phrase-aware readings (重庆 is chong qing, 贫困发生率 is pin kun fa sheng lv);
place names take the curated reading of their county record. pypinyin costs ~180 ms to
import, so it is imported only when an index is built, never on the start-up path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tui.gcpause import gc_paused

__all__ = ["RUN_CHUNK", "Reading", "read", "spellings"]

RUN_CHUNK = 256
"""The longest run of Chinese characters read at once: a longer one (a quote of a whole page
with no punctuation) is read in pieces, so reading stays linear in its length (one 1.5M-character
quote took 152 s). Real sentences are far shorter, so their readings never change."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A text's pinyin laid out for fast matching.

    ``joined`` is every syllable concatenated (``shizhuxian``); ``starts[i]`` is where the
    syllable of character ``i`` starts in it (``starts[len(text)]`` is its length), so a match
    in ``joined`` maps back to characters. ``initials`` has one letter per character (a space
    for characters with no letter), so it lines up with the text itself.
    """

    joined: str
    starts: tuple[int, ...]
    initials: str
    boundaries: frozenset[int]

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """The characters covered by ``joined[start:end]``."""
        first = _last_at_or_before(self.starts, start)
        last = _last_at_or_before(self.starts, max(start, end - 1))
        return first, last + 1


def _last_at_or_before(starts: tuple[int, ...], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    # several characters may share an offset (those with no letters): take the first
    while low > 0 and starts[low - 1] == starts[low]:
        low -= 1
    return low


def _syllables(text: str) -> list[str]:
    """One syllable per character (the character itself where it has no reading).

    pypinyin reads each run of Chinese characters on its own, so runs are read once and
    remembered: quotes share most of theirs (脱贫, 贫困户, 全县累计 …), which makes indexing
    the whole country several times faster and gives the very same readings.
    """
    syllables: list[str] = []
    done = 0
    for run in _han_runs().finditer(text):
        syllables += text[done : run.start()]
        chars = run.group()
        for start in range(0, len(chars), RUN_CHUNK):  # pypinyin's segmentation is quadratic in a run
            syllables += _read_run(chars[start : start + RUN_CHUNK])
        done = run.end()
    syllables += text[done:]
    return syllables


@lru_cache(maxsize=1)
def _han_runs() -> re.Pattern[str]:
    # deferred (see the module docstring), and loaded with the cycle collector paused: its
    # tables are 200,000 objects, which the collector would walk again and again as they
    # are made (a third of the time a one-file re-index takes)
    with gc_paused():
        from pypinyin import lazy_pinyin
        from pypinyin.constants import RE_HANS

        lazy_pinyin("中")  # loads the phrase tables now
    return re.compile(RE_HANS.pattern.removeprefix("^").removesuffix("$"))


def _as_they_are(chars: str) -> Any:  # pypinyin's stubs say str; a list of characters is documented too
    """Characters without a reading, kept as they are, one item each."""
    return list(chars)


@lru_cache(maxsize=1 << 16)
def _read_run(run: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(run, errors=_as_they_are)
    if len(syllables) != len(run):  # pragma: no cover - defensive: fall back to one char at a time
        syllables = [lazy_pinyin(ch, errors=_as_they_are)[0] for ch in run]
    return tuple(syllables)


def read(text: str, overrides: Mapping[str, tuple[str, ...]] = {}) -> Reading:  # noqa: B006 - read-only
    """The pinyin reading of ``text``; ``overrides`` maps place names to curated syllables."""
    syllables = _syllables(text)
    for name, curated in overrides.items():
        if len(curated) != len(name):
            continue
        start = text.find(name)
        while start >= 0:
            syllables[start : start + len(name)] = curated
            start = text.find(name, start + len(name))
    cleaned = [s.lower() if s.isascii() and s.isalnum() else "" for s in syllables]
    starts, offset = [], 0
    for syllable in cleaned:
        starts.append(offset)
        offset += len(syllable)
    starts.append(offset)
    initials = "".join(s[0] if s and s[0].isalpha() else " " for s in cleaned)
    return Reading("".join(cleaned), tuple(starts), initials, frozenset(starts))


def spellings(text: str, overrides: Mapping[str, tuple[str, ...]] = {}) -> tuple[tuple[str, tuple[int, ...]], ...]:  # noqa: B006
    """The ways a user may type ``text`` for a fuzzy match (the command palette's): the text
    itself, its pinyin run together (``pinkunfashenglv``) and its initials (``pkfsl``), each with,
    for every offset in it, the character of ``text`` it stands for (to highlight a match)."""
    reading = read(text, overrides)
    itself = tuple(range(len(text)))
    owners = tuple(i for i in range(len(text)) for _ in range(reading.starts[i + 1] - reading.starts[i]))
    return ((text, itself), (reading.joined, owners), (reading.initials, itself))
