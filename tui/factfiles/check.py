"""Checks that need the source articles: quotes, numbers in quotes, duplicates and coverage;
and the curation rules of :mod:`tui.factfiles.rules`.

The loader checks structure; these check that every figure is where it says it is.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tui.domain.model import Fact, FactBase, Problem, Source
from tui.domain.numbers import Number, arabic_numbers, values_in
from tui.factfiles.rules import curation_problems
from tui.factfiles.tomlfile import read_bounded, unreadable

__all__ = ["SeedText", "check", "coverage", "read_seed"]


@dataclass(frozen=True)
class SeedText:
    """A source article with its hard line breaks removed, mapped back to the original lines."""

    path: str
    text: str
    _line_starts: tuple[int, ...]
    """Offsets in ``text`` where each original line starts."""

    def line_of(self, offset: int) -> int:
        """The 1-based line of the original file that holds ``text[offset]``."""
        return bisect_right(self._line_starts, offset)


def read_seed(root: Path, source: Source) -> SeedText:
    """Read a seed and join its lines: the article's line breaks fall inside words.

    Raises:
        OSError: the file cannot be read, is not a regular file, or is over the size limit.
        UnicodeDecodeError: the file is not UTF-8.
    """
    path = root / source.file
    why = unreadable(path, "a text file")  # the loader looked, but the file may have changed since
    if why is not None:
        raise OSError(why)
    raw = read_bounded(path).decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    starts, offset = [], 0
    for line in raw.split("\n"):
        starts.append(offset)
        offset += len(line)
    return SeedText(source.file, raw.replace("\n", ""), tuple(starts))


def _date_parts(text: str) -> set[Decimal]:
    """The numbers of a date or period: ``2015-07..2020`` gives 2015, 7 and 2020."""
    return {Decimal(int(part)) for date in text.split("..") for part in date.split("-")}


def _recorded_numbers(fact: Fact) -> set[Decimal]:
    """The numbers a fact accounts for in its quote: its value(s) and the parts of its date."""
    values = _date_parts(fact.when)
    if isinstance(fact.value, str):
        return values | _date_parts(fact.value)
    return values | {fact.value} | ({fact.value_max} if fact.value_max is not None else set())


def _value_found(fact: Fact) -> bool:
    written = values_in(fact.quote)
    if isinstance(fact.value, str):
        return bool(_date_parts(fact.value) & written)
    wanted = [fact.value] + ([fact.value_max] if fact.value_max is not None else [])
    return all(value in written for value in wanted)


def _mismatch_hint(quote: str, text: str) -> str:
    """Where a quote stops matching: the longest prefix found in the text."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return "no part of it is in the text"
    return f"the first {low} characters match; it differs at «{quote[low : low + 12]}»"


def check(base: FactBase, *, with_coverage: bool = False) -> list[Problem]:
    """Problems found by reading the sources; the loader's problems (control characters in
    any text of a fact file among them) are not repeated."""
    root = Path(base.root)
    problems: list[Problem] = []
    seeds: dict[str, SeedText] = {}
    for source in base.sources:
        try:
            seeds[source.id] = read_seed(root, source)
        except UnicodeDecodeError as error:  # named by its own file and line, as a fact file is
            line = error.object[: error.start].count(b"\n") + 1
            problems.append(
                Problem(
                    source.file,
                    line,
                    f"not valid UTF-8 (byte {error.start}); save the file as UTF-8; its quotes are not checked",
                    source.id,
                )
            )
        except OSError as error:
            problems.append(
                Problem(
                    source.file, 0, f"cannot read: {error.strerror or error}; its quotes are not checked", source.id
                )
            )
    seen: dict[tuple[object, ...], Fact] = {}
    for fact in base.facts:
        seed = seeds.get(fact.source)
        where = (fact.path, fact.line)
        if seed is not None and fact.quote not in seed.text:
            problems.append(
                Problem(*where, f"quote not found in {seed.path}: {_mismatch_hint(fact.quote, seed.text)}", "quote")
            )
        if not _value_found(fact):
            problems.append(Problem(*where, f"the value {fact.value} is not written in the quote", "value"))
        key = (
            fact.county,
            fact.metric,
            fact.scope,
            fact.kind,
            fact.when,
            fact.source,
            fact.canonical,
            fact.canonical_max,
        )
        if key in seen:
            other = seen[key]
            problems.append(Problem(*where, f"duplicate of the fact at {other.path}:{other.line}", "metric"))
        seen.setdefault(key, fact)
    for skip in base.skips:
        seed = seeds.get(skip.source)
        if seed is not None and skip.quote not in seed.text:
            problems.append(
                Problem(
                    skip.path,
                    skip.line,
                    f"skip quote not found in {seed.path}: {_mismatch_hint(skip.quote, seed.text)}",
                    "quote",
                )
            )
    problems.extend(curation_problems(base, unused=with_coverage))
    if with_coverage:
        problems.extend(coverage(base, seeds))
    return problems


def _occurrences(text: str, quote: str) -> list[int]:
    starts, index = [], text.find(quote)
    while index >= 0 and quote:
        starts.append(index)
        index = text.find(quote, index + 1)
    return starts


def coverage(base: FactBase, seeds: dict[str, SeedText]) -> list[Problem]:
    """Every Arabic-digit number of every seed that no fact records and no skip explains."""
    problems: list[Problem] = []
    for source_id, seed in seeds.items():
        numbers = arabic_numbers(seed.text, grouped=False)
        covered: set[int] = set()

        def mark(
            start: int,
            end: int,
            values: set[Decimal] | None,
            numbers: list[Number] = numbers,
            covered: set[int] = covered,
        ) -> None:
            for index, number in enumerate(numbers):
                if start <= number.start and number.end <= end and (values is None or number.value in values):
                    covered.add(index)

        for fact in base.select(source=source_id):
            values = _recorded_numbers(fact)
            for start in _occurrences(seed.text, fact.quote):
                mark(start, start + len(fact.quote), values)
        for skip in base.skips:
            if skip.source == source_id:
                for start in _occurrences(seed.text, skip.quote):
                    mark(start, start + len(skip.quote), None)
        for index, number in enumerate(numbers):
            if index not in covered:
                context = seed.text[max(0, number.start - 10) : number.end + 10]
                problems.append(
                    Problem(
                        seed.path,
                        seed.line_of(number.start),
                        f"number {number.text} is not covered by a fact or a skip: «{context}»",
                        source_id,
                    )
                )
    return problems
