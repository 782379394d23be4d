"""Scoring facts against a query, the one order of hits, and one hit per figure.

Both back ends (:mod:`tui.search.memory`, :mod:`tui.search.sqlite`) find candidates their own
way and hand them here: a fact's score is the sum of its terms' best matches and its numbers'
matches, and hits are ordered by :meth:`Scorer.key`, a total order (score, then a rank that
ties never share), so equal scores come out in the same order from both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from tui.domain.facts import Facts
from tui.domain.model import KIND_RANK, Fact, Theme
from tui.domain.numbers import numbers_in
from tui.domain.units import parse_unit
from tui.search.query import NumberTerm, Query
from tui.search.textindex import EXACT, FUZZY, LABEL, NAME, PREFIX, QUOTE, SUBSTRING, Match, Span, TextIndex, better

__all__ = [
    "Hit",
    "Matches",
    "Owner",
    "Scored",
    "Scorer",
    "Search",
    "figure",
    "merged",
    "continued",
    "name_fields",
    "term_matches",
    "theme_ranks",
    "written_precision",
]

Owner = tuple[str, str]
"""What a text belongs to: ("county" | "metric" | "theme" | "fact", its id)."""
Matches = dict[Owner, Match]
"""A term's best match on each owner."""
Scored = tuple[tuple[int, ...], Fact, int, list[Span]]
"""A fact that matched: its :meth:`Scorer.key`, the fact, its score and what matched."""

_NOT_DIGITS = str.maketrans("", "", ",，.万亿%")


@dataclass(frozen=True, slots=True)
class Hit:
    fact: Fact
    score: int
    spans: tuple[Span, ...]
    """What matched, as character spans of the fact's fields (``quote``, ``county``, ``metric`` …)."""
    same: tuple[Fact, ...] = ()
    """Facts from other sources that state the very same figure (folded into this hit)."""


class Search(Protocol):
    """A search over one fact base: built once; :meth:`search` is cheap and never raises."""

    def search(self, text: str, limit: int | None = None) -> tuple[Hit, ...]:
        """Ranked hits for what the user typed; empty for an empty or nonsense query."""
        ...

    def run(self, query: Query, limit: int | None = None) -> tuple[Hit, ...]:
        """Ranked hits for a parsed query."""
        ...


def theme_ranks(themes: Iterable[Theme]) -> dict[str, int]:
    """Each theme's place in the themes' order (ties broken by id), at most 255 (it is stored
    in 8 bits of a fact's rowid in the index)."""
    ordered = sorted(themes, key=lambda t: (t.order, t.id))
    return {t.id: min(i, 255) for i, t in enumerate(ordered)}


class Scorer:
    """Scores facts of one base. ``words``: the vocabulary typos are corrected against."""

    def __init__(self, base: Facts, words: set[str]) -> None:
        self.base = base
        self._theme_of = {m.id: m.theme for m in base.metrics}
        self._theme_rank = theme_ranks(base.themes)
        self._families = {m.base: parse_unit(m.base).family for m in base.metrics}
        self._precision: dict[str, Decimal] = {}
        self._words_by_length: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for word in sorted(words):
            self._words_by_length[len(word)].append((word, frozenset(word)))
        self._variant_cache: dict[str, list[tuple[str, int]]] = {}
        self._words = "\x00".join(sorted(words))

    def family(self, fact: Fact) -> str | None:
        """The unit family of the fact's base unit."""
        return self._families[fact.base]

    # -- the order ----------------------------------------------------------------------

    def key(self, score: int, fact: Fact, sequence: int) -> tuple[int, ...]:
        """Where a scored fact ranks: best score first; among equal scores county-wide before
        a part of the county, achieved before baseline before target, theme order, and then
        ``sequence``, the fact's place in file order (distinct for every fact)."""
        return (
            -score,
            0 if fact.is_county_wide else 1,
            KIND_RANK[fact.kind],
            self._theme_rank[self._theme_of[fact.metric]],
            sequence,
        )

    def hits(self, scored: Iterable[Scored], limit: int | None) -> tuple[Hit, ...]:
        """The scored facts in order, one hit per figure: the same value for the same measure,
        place and time stated by several sources is one hit that lists the other sources."""
        groups: dict[tuple[object, ...], list[Fact]] = {}
        order: list[tuple[tuple[object, ...], int, list[Span]]] = []
        for _, fact, score, spans in sorted(scored, key=lambda item: item[0]):
            key = figure(fact)
            if key not in groups:
                groups[key] = []
                order.append((key, score, spans))
            groups[key].append(fact)
        if limit is not None:
            order = order[:limit]
        return tuple(
            Hit(groups[key][0], score, tuple(dict.fromkeys(spans)), tuple(groups[key][1:]))
            for key, score, spans in order
        )

    # -- scoring ------------------------------------------------------------------------

    def score(self, fact: Fact, terms: list[Matches], query: Query) -> tuple[int, list[Span]] | None:
        """The fact's score and matched spans when every term and number matches it, else None."""
        total, spans = 0, list[Span]()
        for matches in terms:
            found = self.on_fact(matches, fact)
            if found is None:
                return None
            total += found.score
            spans.extend(found.spans)
        for number in query.numbers:
            found = self.match_number(number, fact)
            if found is None:
                return None
            total += found.score
            spans.extend(found.spans)
        return total, spans

    def on_fact(self, matches: Matches, fact: Fact) -> Match | None:
        """A term's best match on the fact: on its county, metric, theme, or its own texts."""
        best = better(matches.get(("county", fact.county)), matches.get(("metric", fact.metric)))
        best = better(best, matches.get(("theme", self._theme_of[fact.metric])))
        return better(best, matches.get(("fact", fact.id)))

    def match_number(self, number: NumberTerm, fact: Fact) -> Match | None:
        """A typed number against a figure: equal, or equal once rounded as either side wrote it."""
        best = None
        canonical = fact.canonical
        if isinstance(canonical, Decimal) and number.family in (None, self._families[fact.base]):
            gap = abs(canonical - number.value) * 2
            if number.value in (canonical, fact.canonical_max):
                best = Match(EXACT, NAME, _value_spans(fact))
            elif gap <= number.precision or gap <= self._precision_of(fact):
                best = Match(PREFIX, NAME, _value_spans(fact))
        digits = number.text.translate(_NOT_DIGITS)
        if best is None and digits.isdigit():
            if number.family in (None, "年") and len(digits) == 4 and digits in fact.when:
                best = Match(SUBSTRING, LABEL, ())
            start = fact.quote.find(number.text)
            if start >= 0:
                best = better(best, Match(SUBSTRING, QUOTE, (Span("quote", start, start + len(number.text)),)))
        return best

    def _precision_of(self, fact: Fact) -> Decimal:
        found = self._precision.get(fact.id)
        if found is None:
            found = self._precision[fact.id] = written_precision(fact)
        return found

    # -- typos --------------------------------------------------------------------------

    def variants(self, term: str) -> list[tuple[str, int]]:
        """The term, plus close words of the vocabulary when a latin term is found nowhere in
        it, each with the best quality it may match with."""
        cached = self._variant_cache.get(term)
        if cached is not None:
            return cached
        variants = [(term, EXACT)]
        if term.isascii() and len(term) >= 4 and term not in self._words:
            limit = 1 if len(term) < 8 else 2
            letters = frozenset(term)
            for length in range(len(term) - limit, len(term) + limit + 1):
                # one edit changes at most two letters of the set: a cheap test before the costly one
                variants += [
                    (word, FUZZY)
                    for word, chars in self._words_by_length.get(length, ())
                    if len(letters ^ chars) <= 2 * limit and _edit_distance(term, word, limit) <= limit
                ]
        if len(self._variant_cache) < 4096:
            self._variant_cache[term] = variants
        return variants


def name_fields(base: Facts) -> Iterator[tuple[Owner, str, str, int]]:
    """The names a term is matched against, as (owner, field, text, weight): each county's
    names, each metric's names and aliases, each theme's names. Empty texts are left out."""
    for c in base.counties:
        for name, text in (
            ("county", c.short),
            ("county_name", c.name),
            ("county_en", c.en),
            ("county_en", c.pinyin.replace(" ", "")),
        ):
            if text:
                yield ("county", c.id), name, text, NAME
    for m in base.metrics:
        for name, text, weight in (
            ("metric", m.zh, NAME),
            ("metric_en", m.en, NAME),
            *(("alias", alias, LABEL) for alias in m.aliases),
        ):
            if text:
                yield ("metric", m.id), name, text, weight
    for t in base.themes:
        for name, text in (("theme", t.zh), ("theme_en", t.en)):
            if text:
                yield ("theme", t.id), name, text, LABEL


def figure(fact: Fact) -> tuple[object, ...]:
    """What makes two facts the same figure: measure, place, kind, time and value."""
    return (fact.county, fact.metric, fact.scope, fact.kind, fact.when, fact.canonical, fact.canonical_max)


def written_precision(fact: Fact) -> Decimal:
    """How precisely the article wrote the figure, in the base unit; 0 when too coarse to trust.

    6.31万 is precise to 100, so a typed 63101 finds it; 6万 has one significant digit, and
    63101 is not that figure.
    """
    value = fact.value
    if not isinstance(value, Decimal):
        return Decimal(0)
    digits = value.normalize().as_tuple()
    if len(digits.digits) < 3 or not isinstance(digits.exponent, int):
        return Decimal(0)
    return Decimal(1).scaleb(digits.exponent) * parse_unit(fact.unit).multiplier / parse_unit(fact.base).multiplier


def _value_spans(fact: Fact) -> tuple[Span, ...]:
    """Where the fact's own number is written in its quote, for highlighting."""
    wanted = {fact.value, fact.value_max}
    spans = {(n.start, n.end) for n in numbers_in(fact.quote) if n.value in wanted}
    return tuple(Span("quote", start, end) for start, end in sorted(spans))


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def continued(found: dict[int, Match], texts: Sequence[str], owners: Sequence[Owner]) -> dict[int, Match]:
    """A term's matches on names (by field index), where a metric's name that the term begins
    only as the continuation of another metric name it begins counts as a match inside it.

    危房 begins 危房改造 (what three metrics are called) and 危房改造补助 (the subsidy): someone
    typing on reaches 危房改造 first, so that is what 危房 asks for; the subsidy still matches,
    as a word inside its name would."""
    begun = {
        i: texts[i]
        for i, match in found.items()
        if match.quality in (EXACT, PREFIX) and owners[i][0] == "metric" and match.weight != QUOTE
    }
    if len(begun) < 2:
        return found
    shorter = sorted(set(begun.values()), key=len)
    settled = dict(found)
    for i, text in begun.items():
        match = found[i]
        if match.quality == PREFIX and any(len(s) < len(text) and text.startswith(s) for s in shorter):
            settled[i] = Match(SUBSTRING, match.weight, match.spans)
    return settled


def term_matches(scorer: Scorer, index: TextIndex, texts: Sequence[str], owners: Sequence[Owner], term: str) -> Matches:
    """The best match of ``term`` (or a corrected spelling) per owner of ``index``'s fields."""
    found: Matches = {}
    for variant, cap in scorer.variants(term):
        matches = continued(index.match(variant, cap), texts, owners)
        found = merged(found, ((owners[i], m) for i, m in matches.items()))
    return found


def merged(matches: Mapping[Owner, Match], more: Iterable[tuple[Owner, Match]]) -> Matches:
    """``matches`` with ``more`` matches folded in, the better one kept per owner."""
    found = dict(matches)
    for owner, match in more:
        kept = better(found.get(owner), match)
        assert kept is not None
        found[owner] = kept
    return found
