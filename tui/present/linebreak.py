"""Line breaking that respects figures: the one ``wrap`` every command (and the app) uses.

A line may break at a space or between two 汉字, never inside a character, and never:

- inside a figure: a number with its unit, its bound word and its percent sign (``超过 6000人``,
  ``0.06%``, ``56.14万人次``, ``5000余户``, ``约2.5万元``, ``more than 6000人``, ``≈ 6000人``),
  a date (``2019-12-31``, ``2019年12月31日``), a period (``2014..2020``, ``2014—2020年``);
- inside a run of narrow characters (a word, a fact id such as ``shizhu-da7160``);
- before closing punctuation (no line starts with ``。，、；：！？）」』”》…``) or after opening
  punctuation (no line ends with ``（「『“《``), nor inside ``——`` or ``……``.

Only a run that cannot be broken and is wider than the line is broken, at a character
boundary: first inside a word, then (where punctuation alone holds it together) beside the
punctuation, and a figure last.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len

from tui.domain.units import FAMILIES, SCALES
from tui.domain.vocab import BOUND_WORDS

__all__ = ["CLOSING", "OPENING", "break_levels", "clip", "clip_start", "wrap"]

CLOSING = frozenset("，。、；：！？）】》」』〕〉”’,.;:!?)]}%％…·‰")
"""Punctuation that never starts a line: it belongs to the text before it."""
OPENING = frozenset("（【《「『〔〈“‘([{")
"""Punctuation that never ends a line: it belongs to the text after it."""

FREE, PUNCTUATION, WORD, JOINT, FIGURE = 0, 1, 2, 3, 4
"""How bad a break at a position is: free, against the punctuation rules, inside a word, between
a figure's bound word and its number, inside a figure. The worst of a position's reasons counts;
a line breaks at the furthest free position that fits, else at the furthest least bad one."""
_NEVER = 99
"""A position inside a run of spaces: a line breaks after the spaces (and drops them)."""

_PREFIX_BOUNDS = ("超过", "约", "近", "逾", "至少", "不足")
"""Bound words written before a number (besides the vocabulary's own)."""


@lru_cache(maxsize=1)
def _figure() -> re.Pattern[str]:
    digit = "[0-9０-９]"
    number = rf"{digit}+(?:,{digit}{{3}})*(?:[.．]{digit}+)?"
    words = {w for family in FAMILIES.values() for w in family} | {"%", "％", "‰", "个百分点", "人次"}
    units = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    scales = "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True))
    bounds = {w for zh, en, symbol in BOUND_WORDS.values() for w in (zh, en, symbol) if w} | set(_PREFIX_BOUNDS)
    prefix = "|".join(re.escape(b) for b in sorted(bounds, key=len, reverse=True))
    date = rf"{digit}{{4}}(?:-{digit}{{1,2}}){{1,2}}(?!{digit})|{digit}{{4}}年{digit}{{1,2}}月(?:{digit}{{1,2}}日)?"
    period = rf"{digit}{{4}}(?:\.\.|[-–—~～至到]){digit}{{4}}(?:年)?"
    value = rf"{number}(?:[-–~～至到]{number})?(?:余|多)?(?:{scales})?(?:余|多)?(?:{units})?(?:余|多)?"
    return re.compile(rf"(?P<bound>(?:{prefix}) ?)?(?:{date}|{period}|{value})|——+|……+|⋯⋯+")


def break_levels(text: str) -> list[int]:
    """How bad a line break before each character of ``text`` is (see :data:`FREE` …
    :data:`FIGURE`); index 0 is unused."""
    levels = [FREE] * len(text)
    for index in range(1, len(text)):
        before, char = text[index - 1], text[index]
        if char == " ":
            levels[index] = _NEVER
        elif before == " ":
            levels[index] = PUNCTUATION if char in CLOSING else FREE
        elif char in CLOSING or before in OPENING:
            levels[index] = PUNCTUATION
        elif cell_len(before) == 1 and cell_len(char) == 1:
            levels[index] = WORD
    for match in _figure().finditer(text):
        joint = match.end("bound") if match.group("bound") else -1
        for index in range(match.start() + 1, match.end()):
            if levels[index] != _NEVER:
                levels[index] = JOINT if index == joint else FIGURE
    return levels


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a 汉字 counts two), breaking only where
    :func:`break_levels` allows; spaces where a line breaks are dropped, others kept.
    ``indent`` starts the first line, ``subsequent`` (default: ``indent``) the others.
    """
    subsequent = indent if subsequent is None else subsequent
    levels = break_levels(text)
    sizes = [cell_len(char) for char in text]
    lines: list[str] = []
    prefix = indent
    start, end = 0, len(text)
    while True:
        while start < end and text[start] == " ":
            start += 1
        room = max(width - cell_len(prefix), 1)
        # the furthest position the line may reach (trailing spaces do not count)
        used, pending, reach = 0, 0, start
        position = start
        while position < end:
            if text[position] == " ":
                pending += 1
            else:
                if used + pending + sizes[position] > room and position > start:
                    break
                used += pending + sizes[position]
                pending = 0
            position += 1
            reach = position
        if reach >= end:
            lines.append(prefix + text[start:end])
            break
        cut = _best_break(levels, start, reach)
        lines.append(prefix + text[start:cut])
        prefix, start = subsequent, cut
    return [line.rstrip() for line in lines]


def _best_break(levels: list[int], start: int, reach: int) -> int:
    """The position to break a line that runs from ``start`` and can reach ``reach``: the
    furthest free one; if none, the furthest of the least bad kind."""
    best, best_level = reach, levels[reach]
    for position in range(reach, start, -1):
        level = levels[position]
        if level == FREE:
            return position
        if level < best_level:
            best, best_level = position, level
    return best


def clip(text: str, width: int, placeholder: str = "…") -> str:
    """``text`` cut to ``width`` columns where a line could break, ending in ``placeholder``
    when cut: ``搬迁安置…``, not ``搬迁安置1…``."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(placeholder)
    if room <= 0:
        return ""
    return wrap(text, room)[0].rstrip() + placeholder


def clip_start(text: str, width: int) -> str:
    """The end of ``text`` that fits in ``width`` columns, starting where a line could break
    (never inside a figure); empty when no such end fits."""
    levels = break_levels(text)
    used, start = 0, len(text)
    while start > 0 and used + cell_len(text[start - 1]) <= width:
        start -= 1
        used += cell_len(text[start])
    while 0 < start < len(text) and levels[start] > WORD:
        start += 1
    return text[start:].lstrip(" ")
