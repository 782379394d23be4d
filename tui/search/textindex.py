"""Matching one typed term against many short texts at once: Chinese, English, pinyin, initials.

All texts are laid end to end in a few long strings (as written, case-folded, full pinyin,
initials), so a term costs a handful of C-level ``str.find`` calls over the whole corpus,
whatever the number of fields, and only real occurrences are looked at in Python.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tui.search.pinyin import Reading, read

__all__ = ["EXACT", "FUZZY", "LABEL", "NAME", "PREFIX", "QUOTE", "SUBSTRING", "Field", "Match", "Span", "TextIndex"]

EXACT, PREFIX, SUBSTRING, FUZZY = 4, 3, 2, 1
"""Match qualities, best first."""
NAME, LABEL, QUOTE = 3, 2, 1
"""Field weights: names of counties and metrics, then themes, aliases and scopes, then quotes."""

_SEP = "\x00"


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of a named field of a fact that matched."""

    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Match:
    quality: int
    weight: int
    spans: tuple[Span, ...]

    @property
    def score(self) -> int:
        return self.quality * 10 + self.weight


def better(a: Match | None, b: Match | None) -> Match | None:
    """The higher-scoring of two matches (the first on a tie)."""
    if a is None:
        return b
    if b is None or b.score <= a.score:
        return a
    return b


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    """What the text is: county, county_name, county_en, metric, metric_en, alias, theme, scope, quote."""
    text: str
    weight: int
    reading: Reading | None


def _classify(start: int, end: int, length: int) -> int:
    if start == 0 and end == length:
        return EXACT
    return PREFIX if start == 0 else SUBSTRING


class _Haystack:
    """Texts joined by NUL, with the offset where each starts."""

    def __init__(self, texts: list[str]) -> None:
        self.text = _SEP.join(texts)
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        self.starts = starts

    def find_all(self, term: str) -> Iterator[tuple[int, int]]:
        """(field index, offset inside the field) of every occurrence of ``term``."""
        position = self.text.find(term)
        while position >= 0:
            index = bisect_right(self.starts, position) - 1
            yield index, position - self.starts[index]
            position = self.text.find(term, position + 1)


class TextIndex:
    """Many fields, searchable by one term at a time."""

    def __init__(
        self,
        fields: list[tuple[str, str, int]],
        overrides: Mapping[str, tuple[str, ...]],
        readings: Mapping[str, Reading] | None = None,
    ) -> None:
        """``fields`` are (name, text, weight); ``overrides`` give curated readings of place names;
        ``readings`` are readings computed before (by the index), used where they exist."""
        known = readings or {}
        self.fields = [
            Field(name, text, weight, None if text.isascii() else known.get(text) or read(text, overrides))
            for name, text, weight in fields
        ]
        self._lay_out()

    @classmethod
    def of_fields(cls, fields: list[Field]) -> TextIndex:
        """An index over fields whose readings are known already."""
        index = cls.__new__(cls)
        index.fields = fields
        index._lay_out()
        return index

    def _lay_out(self) -> None:
        self._folded = _Haystack([f.text.casefold() for f in self.fields])
        self._pinyin = _Haystack([f.reading.joined if f.reading else "" for f in self.fields])
        self._initials = _Haystack([f.reading.initials if f.reading else "" for f in self.fields])

    def vocabulary(self) -> set[str]:
        """Latin words and whole pinyin readings, for correcting typos."""
        words: set[str] = set()
        for field in self.fields:
            if field.weight == QUOTE:
                continue
            words.update(w for w in field.text.casefold().replace("-", " ").split() if w.isascii() and w.isalpha())
            if field.reading is not None and field.reading.joined:
                words.add(field.reading.joined)
        return words

    def match(self, term: str, cap: int = EXACT) -> dict[int, Match]:
        """The best match of ``term`` in each field that holds it, by field index.

        ``cap`` limits the quality (a corrected spelling never counts as exact).
        """
        found: dict[int, Match] = {}

        def offer(index: int, quality: int, span: tuple[int, int]) -> None:
            field = self.fields[index]
            candidate = Match(min(quality, cap), field.weight, (Span(field.name, *span),))
            kept = found.get(index)
            if kept is None or candidate.score > kept.score:  # as better(): the first on a tie
                found[index] = candidate

        ascii_term = term.isascii()
        for index, start in self._folded.find_all(term):
            text = self.fields[index].text
            word_start = start == 0 or not text[start - 1].isalnum()
            if ascii_term and not word_start and len(term) < 4:
                continue  # "an" inside "qianjiang" is noise
            quality = _classify(start, start + len(term), len(text))
            if ascii_term and quality == SUBSTRING and word_start:
                quality = PREFIX
            offer(index, quality, (start, start + len(term)))
        if not ascii_term or len(term) < 2:
            return found
        for index, start in self._pinyin.find_all(term):
            reading = self.fields[index].reading
            if reading is None or start not in reading.boundaries:
                continue
            first, last = reading.char_span(start, start + len(term))
            offer(index, _classify(first, last, len(self.fields[index].text)), (first, last))
        for index, start in self._initials.find_all(term):
            field = self.fields[index]
            if field.weight == QUOTE and len(term) < 3:
                continue  # two initials hit too many quotes by chance
            offer(index, _classify(start, start + len(term), len(field.text)), (start, start + len(term)))
        return found
