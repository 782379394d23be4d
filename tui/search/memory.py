"""Search over a fact base held in memory: Chinese, pinyin, English, numbers and filters, ranked.

The index is built once; a query then costs a few string searches over the whole corpus
(:class:`~tui.search.textindex.TextIndex`), a test of each fact against the filters
(:mod:`tui.search.filters`) and the shared scoring (:mod:`tui.search.scoring`). Pure: no
Textual, no printing; never raises on what a user types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.search.filters import CountyWords, conditions
from tui.search.pinyin import Reading
from tui.search.query import Query, parse_query
from tui.search.scoring import Hit, Matches, Owner, Scored, Scorer, name_fields, term_matches
from tui.search.textindex import LABEL, QUOTE, TextIndex

__all__ = ["Hit", "MemorySearch"]


class MemorySearch:
    """A search over every fact of a base, in memory. Build it once; :meth:`search` never raises."""

    def __init__(self, base: Facts, readings: Mapping[str, Reading] | None = None) -> None:
        """``readings`` are pinyin readings computed before (by the index), by text."""
        self.base = base
        self._facts = tuple(base.facts)
        fields: list[tuple[str, str, int]] = []
        owners: list[Owner] = []
        for owner, name, text, weight in name_fields(base):
            fields.append((name, text, weight))
            owners.append(owner)
        for f in self._facts:
            if not f.is_county_wide and f.scope:
                fields.append(("scope", f.scope, LABEL))
                owners.append(("fact", f.id))
            if f.quote:
                fields.append(("quote", f.quote, QUOTE))
                owners.append(("fact", f.id))
        self._text = TextIndex(fields, {c.short: tuple(c.pinyin.split()) for c in base.counties}, readings)
        self._owners = owners
        self._texts = [f.text for f in self._text.fields]
        self.scorer = Scorer(base, self._text.vocabulary())
        self._county_words = CountyWords(base.counties)
        self._scopes = frozenset(f.scope for f in self._facts)
        self._units = frozenset(u for f in self._facts for u in (f.unit, f.base))

    # -- what the filters ask (see tui.search.filters.FilterContext) ----------------------

    def scopes(self) -> Iterable[str]:
        return self._scopes

    def units(self) -> Iterable[str]:
        return self._units

    def family(self, fact: Fact) -> str | None:
        return self.scorer.family(fact)

    # -- public -------------------------------------------------------------------------

    def search(self, text: str, limit: int | None = None) -> tuple[Hit, ...]:
        """Ranked hits for what the user typed; empty for an empty or nonsense query."""
        return self.run(parse_query(text), limit)

    def run(self, query: Query, limit: int | None = None) -> tuple[Hit, ...]:
        """Ranked hits for a parsed query."""
        if query.is_empty:
            return ()
        query = self._county_words.apply(query)
        tests = conditions(query, self)
        terms = [self._term_matches(term) for term in query.text]
        scorer = self.scorer
        scored: list[Scored] = []
        candidates: Iterable[tuple[int, Fact]] = enumerate(self._facts)
        for test in tests:
            candidates = [(i, f) for i, f in candidates if test.holds(f)]
        for sequence, fact in candidates:
            found = scorer.score(fact, terms, query)
            if found is not None:
                scored.append((scorer.key(found[0], fact, sequence), fact, *found))
        return scorer.hits(scored, limit)

    def _term_matches(self, term: str) -> Matches:
        """The best match of ``term`` (or a corrected spelling) per owner: county, metric, theme, fact."""
        return term_matches(self.scorer, self._text, self._texts, self._owners, term)
