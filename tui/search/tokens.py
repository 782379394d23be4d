"""Text as the tokens of the on-disk full-text index, and the queries that find them.

The index (:mod:`tui.store.compiling`) writes these tokens and the on-disk search
(:mod:`tui.search.sqlite`) asks for them, so both sides tokenise with the very same code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from itertools import pairwise

from tui.search.pinyin import Reading

__all__ = [
    "PIECES",
    "Columns",
    "Syllables",
    "chars_query",
    "digit_pairs",
    "initial_windows",
    "number_words",
    "phrase",
    "spaced",
    "syllables_of",
]

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


# -- the FTS5 queries that find them ----------------------------------------------------


def phrase(tokens: str, prefix: bool = False) -> str:
    """An FTS5 phrase of space-separated tokens; ``prefix``: the last one may be cut short."""
    return '"' + tokens.replace('"', '""') + '"' + (" *" if prefix else "")


def number_words(text: str) -> str:
    """An FTS5 query for the quotes that may hold ``text`` (a number as typed): each run of
    digits as a phrase of its digit pairs, each other character as itself, all of them
    somewhere in the quote (a superset: the quote is then searched for the text itself)."""
    parts = []
    for piece in PIECES.finditer(text.casefold()):
        run = piece.group()
        if len(run) > 1:
            parts.append(phrase(" ".join(digit_pairs(run))))
        elif run.isdigit() and run.isascii():  # one digit: alone, or in any pair
            parts.append("(" + " OR ".join([f"{run}*", *(f'"{d}{run}"' for d in "0123456789")]) + ")")
        elif run.isalnum():
            parts.append(phrase(run))
    return " AND ".join(parts)


Columns = tuple[str, str, str, int]
"""The characters', syllables' and initials' columns of a text, and the fewest letters of
initials that match there (three in a quote, two in a scope's name)."""


def chars_query(term: str, columns: Columns, caret: str) -> str | None:
    """An FTS5 query for the texts that may hold ``term`` as characters (a superset, checked
    later); ``caret`` "^" asks for the start of the column."""
    if not any(ch.isalnum() for ch in term):
        return None
    return f"{columns[0]} : {caret}{phrase(spaced(term))}"


class Syllables:
    """The pinyin syllables the index holds, for reading a latin term as pinyin."""

    def __init__(self, syllables: Iterable[str]) -> None:
        self._sorted = sorted(syllables)
        self._known = frozenset(self._sorted)

    def query(self, term: str, columns: Columns, caret: str) -> str | None:
        """An FTS5 query for the texts whose pinyin or initials may hold ``term`` (a superset)."""
        _, syllables, initials, fewest = columns
        if not term.isascii() or len(term) < 2:
            return None
        parts = [f"{syllables} : {caret}{phrase(' '.join(pieces), prefix=True)}" for pieces in self.segments(term)]
        if len(term) >= fewest:
            parts.append(f'{initials} : {caret}"{initial_windows(term, fewest)}"')
        return " OR ".join(f"({p})" for p in parts) or None

    def segments(self, term: str, most: int = 16) -> list[list[str]]:
        """Ways to read ``term`` as pinyin syllables, the last one possibly cut short.

        A single letter is a syllable inside the term only when it is one in Chinese (a, e,
        o): the letters of a latin word in a quote are found as characters already."""
        found: list[list[str]] = []
        syllables, known = self._sorted, self._known

        def walk(start: int, pieces: list[str]) -> None:
            for end in range(min(len(term), start + 6), start, -1):
                if len(found) >= most:
                    return
                piece = term[start:end]
                if end == len(term):
                    at = bisect_left(syllables, piece)
                    if at < len(syllables) and syllables[at].startswith(piece):
                        found.append([*pieces, piece])
                elif piece in known and (len(piece) > 1 or piece in "aeo"):
                    walk(end, [*pieces, piece])

        walk(0, [])
        return found
