"""Text as the tokens of the on-disk full-text index, and the queries that find them.

The index (:mod:`tui.store.compiling`) writes these tokens and the on-disk search
(:mod:`tui.search.sqlite`) asks for them, so both sides tokenise with the very same code.
"""

from __future__ import annotations

import re
from itertools import pairwise

from tui.search.pinyin import Reading

__all__ = ["PIECES", "digit_pairs", "initial_windows", "spaced", "syllables_of"]

PIECES = re.compile(r"[0-9]+|.", re.DOTALL)
"""A run of ASCII digits, or any one character."""
_ASCII_DIGITS = frozenset("0123456789")


def spaced(text: str) -> str:
    """Text as FTS5 tokens: one per character, but a run of digits as its overlapping pairs
    (``2019`` is ``20 01 19``): ten single digits would each be in nearly every quote, which
    makes any number slow to look up; a hundred pairs are ten times rarer."""
    folded = text.casefold()
    if not any(ch in _ASCII_DIGITS for ch in folded):
        return " ".join(folded)
    tokens: list[str] = []
    for piece in PIECES.finditer(folded):
        run = piece.group()
        if len(run) > 1:
            tokens += digit_pairs(run)
        else:
            tokens.append(run)
    return " ".join(tokens)


def digit_pairs(run: str) -> list[str]:
    """``2019`` -> ``20 01 19``; a single digit stays itself."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def syllables_of(reading: Reading) -> list[str]:
    """The reading's syllables (characters without one, such as punctuation, have none)."""
    return [reading.joined[a:b] for a, b in pairwise(reading.starts) if b > a]


def initial_windows(initials: str, size: int = 3) -> str:
    """Every ``size``-letter window of a reading's initials (none across a character without one)."""
    windows = (initials[i : i + size] for i in range(len(initials) - size + 1))
    return " ".join(f"_{w}" for w in windows if " " not in w)
