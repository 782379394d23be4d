"""Search over the fact base: Chinese, pinyin, English, numbers and filters, ranked, with spans.

The index is built once from a :class:`FactBase`; a query then costs a few string searches
over the whole corpus. Pure: no Textual, no printing; never raises on what a user types.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tui.domain.model import KIND_RANK, KIND_ZH, Fact, FactBase
from tui.domain.numbers import numbers_in
from tui.domain.units import parse_unit
from tui.search.pinyin import Reading
from tui.search.query import NumberTerm, Query, parse_query
from tui.search.textindex import (
    EXACT,
    FUZZY,
    LABEL,
    NAME,
    PREFIX,
    QUOTE,
    SUBSTRING,
    Match,
    Span,
    TextIndex,
    better,
)

__all__ = ["Hit", "SearchIndex", "Span"]

_NOT_DIGITS = str.maketrans("", "", ",，.万亿%")


@dataclass(frozen=True, slots=True)
class Hit:
    fact: Fact
    score: int
    spans: tuple[Span, ...]
    """What matched, as character spans of the fact's fields (``quote``, ``county``, ``metric`` …)."""
    same: tuple[Fact, ...] = ()
    """Facts from other sources that state the very same figure (folded into this hit)."""


class SearchIndex:
    """An index over one fact base. Build it once; :meth:`search` is cheap and never raises."""

    def __init__(self, base: FactBase, readings: Mapping[str, Reading] | None = None) -> None:
        """``readings`` are pinyin readings computed before (by the index), by text."""
        self.base = base
        fields: list[tuple[str, str, int]] = []
        # owner of each field: ("county"|"metric"|"theme"|"fact", id)
        owners: list[tuple[str, str]] = []

        def add(owner: tuple[str, str], name: str, text: str, weight: int) -> None:
            if text:
                fields.append((name, text, weight))
                owners.append(owner)

        for owner, name, text, weight in name_fields(base):
            add(owner, name, text, weight)
        for f in base.facts:
            if not f.is_county_wide:
                add(("fact", f.id), "scope", f.scope, LABEL)
            add(("fact", f.id), "quote", f.quote, QUOTE)
        self._text = TextIndex(fields, {c.short: tuple(c.pinyin.split()) for c in base.counties}, readings)
        self._owners = owners
        self._prepare_words()
        self._prepare_metrics()
        self._precision = {f.id: _written_precision(f) for f in base.facts if isinstance(f.value, Decimal)}

    def _prepare_metrics(self) -> None:
        """Each metric's theme and its order, and each base unit's family."""
        base = self.base
        self._theme_of = {m.id: m.theme for m in base.metrics}
        self._theme_order = {m.id: base.theme(m.theme).order for m in base.metrics}
        self._families = {m.base: parse_unit(m.base).family for m in base.metrics}

    def _prepare_words(self, more: set[str] | None = None) -> None:
        """The vocabulary that typos are corrected against (names, and ``more`` words)."""
        words = self._text.vocabulary() | (more or set())
        self._words_by_length: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for word in sorted(words):
            self._words_by_length[len(word)].append((word, frozenset(word)))
        self._variant_cache: dict[str, list[tuple[str, int]]] = {}
        self._words = "\x00".join(sorted(words))

    # -- public -------------------------------------------------------------------------

    def search(self, text: str, limit: int | None = None) -> tuple[Hit, ...]:
        """Ranked hits for what the user typed; empty for an empty or nonsense query."""
        return self.run(parse_query(text), limit)

    def run(self, query: Query, limit: int | None = None) -> tuple[Hit, ...]:
        if query.is_empty:
            return ()
        facts = self._filtered(query)
        terms = [self._term_matches(term) for term in query.text]
        ranked: list[tuple[tuple[int, ...], Fact, int, list[Span]]] = []
        for order, fact in enumerate(facts):
            scored = self._scored(fact, terms, query)
            if scored is not None:
                rank = (
                    -scored[0],
                    0 if fact.is_county_wide else 1,
                    KIND_RANK[fact.kind],
                    self._theme_order[fact.metric],
                    order,
                )
                ranked.append((rank, fact, *scored))
        ranked.sort(key=lambda item: item[0])
        return _deduplicated(ranked, limit)

    def _scored(
        self, fact: Fact, terms: list[dict[tuple[str, str], Match]], query: Query
    ) -> tuple[int, list[Span]] | None:
        """The fact's score and matched spans when every term and number matches it, else None."""
        total, spans = 0, []
        for found in [self._on_fact(t, fact) for t in terms] + [self._match_number(n, fact) for n in query.numbers]:
            if found is None:
                return None
            total += found.score
            spans.extend(found.spans)
        return total, spans

    # -- text terms ---------------------------------------------------------------------

    def _term_matches(self, term: str) -> dict[tuple[str, str], Match]:
        """The best match of ``term`` (or a corrected spelling) per owner: county, metric, theme, fact."""
        by_owner: dict[tuple[str, str], Match] = {}
        for variant, cap in self._variants(term):
            for index, found in self._text.match(variant, cap).items():
                owner = self._owners[index]
                by_owner[owner] = better(by_owner.get(owner), found)  # type: ignore[assignment]
        return by_owner

    def _on_fact(self, matches: dict[tuple[str, str], Match], fact: Fact) -> Match | None:
        best = better(matches.get(("county", fact.county)), matches.get(("metric", fact.metric)))
        best = better(best, matches.get(("theme", self._theme_of[fact.metric])))
        return better(best, matches.get(("fact", fact.id)))

    def _variants(self, term: str) -> list[tuple[str, int]]:
        """The term, plus close words of the vocabulary when a latin term is found nowhere in it."""
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

    # -- numbers ------------------------------------------------------------------------

    def _match_number(self, number: NumberTerm, fact: Fact) -> Match | None:
        """A typed number against a figure: equal, or equal once rounded as either side wrote it."""
        best = None
        if not fact.is_date and (number.family is None or number.family == self._families[fact.base]):
            canonical = fact.canonical
            assert isinstance(canonical, Decimal)
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

    # -- filters ------------------------------------------------------------------------

    def _precision_of(self, fact: Fact) -> Decimal:
        return self._precision[fact.id]

    def _filtered(self, query: Query, facts: Iterable[Fact] | None = None) -> list[Fact]:
        """The facts (of the base, or those given) that pass the query's filters and ranges."""
        facts = self.base.facts if facts is None else facts
        for key, value in query.filters:
            facts = [f for f in facts if self._filter_holds(key, value.casefold(), f)]
        for bounds in query.ranges:
            facts = [
                f
                for f in facts
                if isinstance(f.canonical, Decimal)
                and (bounds.family is None or bounds.family == self._families[f.base])
                and bounds.holds(f.canonical)
            ]
        return list(facts)

    def _filter_holds(self, key: str, value: str, fact: Fact) -> bool:
        if key == "county":
            county = self.base.county(fact.county)
            return any(n.startswith(value.replace(" ", "")) for n in county.names())
        if key == "theme":
            theme = self.base.theme_of(fact)
            return any(value in n.casefold() for n in (theme.id, theme.zh, theme.en))
        if key == "metric":
            metric = self.base.metric(fact.metric)
            return metric.id.startswith(value) or any(value in n.casefold() for n in (metric.zh, metric.en))
        if key == "unit":
            return value in (fact.unit.casefold(), fact.base.casefold())
        if key == "kind":
            return fact.kind.startswith(value) or KIND_ZH[fact.kind] == value
        if key == "scope":
            return fact.is_county_wide if value == "county" else value in fact.scope.casefold()
        if key == "source":
            return fact.source.startswith(value) or self.base.source(fact.source).file.endswith(value)
        return False  # pragma: no cover - parse_query admits only the keys above


def name_fields(base: FactBase) -> Iterator[tuple[tuple[str, str], str, str, int]]:
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


def _deduplicated(ranked: list[tuple[tuple[int, ...], Fact, int, list[Span]]], limit: int | None) -> tuple[Hit, ...]:
    """One hit per figure: the same value for the same measure, place and time stated by
    several sources is one hit that lists the other sources."""
    groups: dict[tuple[object, ...], list[Fact]] = {}
    order: list[tuple[tuple[object, ...], int, list[Span]]] = []
    for _, fact, score, spans in ranked:
        key = figure(fact)
        if key not in groups:
            groups[key] = []
            order.append((key, score, spans))
        groups[key].append(fact)
    if limit is not None:
        order = order[:limit]
    return tuple(
        Hit(groups[key][0], score, tuple(dict.fromkeys(spans)), tuple(groups[key][1:])) for key, score, spans in order
    )


def figure(fact: Fact) -> tuple[object, ...]:
    """What makes two facts the same figure: measure, place, kind, time and value."""
    return (fact.county, fact.metric, fact.scope, fact.kind, fact.when, fact.canonical, fact.canonical_max)


def _value_spans(fact: Fact) -> tuple[Span, ...]:
    """Where the fact's own number is written in its quote, for highlighting."""
    wanted = {fact.value, fact.value_max}
    spans = {(n.start, n.end) for n in numbers_in(fact.quote) if n.value in wanted}
    return tuple(Span("quote", start, end) for start, end in sorted(spans))


def _written_precision(fact: Fact) -> Decimal:
    """How precisely the article wrote the figure, in the base unit; 0 when too coarse to trust.

    6.31万 is precise to 100, so a typed 63101 finds it; 6万 has one significant digit, and
    63101 is not that figure.
    """
    value = fact.value
    assert isinstance(value, Decimal)
    digits = value.normalize().as_tuple()
    if len(digits.digits) < 3 or not isinstance(digits.exponent, int):
        return Decimal(0)
    return Decimal(1).scaleb(digits.exponent) * parse_unit(fact.unit).multiplier / parse_unit(fact.base).multiplier


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
