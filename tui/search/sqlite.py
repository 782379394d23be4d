"""Search through the on-disk index: the hits of :class:`tui.search.memory.MemorySearch`, found
without holding every fact in memory.

Names (counties, metrics, themes) are few even for the whole country and are matched in memory.
For quotes and scopes, SQLite's full-text index gives the facts that may hold a term (a
superset: characters, pinyin syllables, initials); only those are read, tested against the
filters and scored by the shared code (:mod:`tui.search.filters`, :mod:`tui.search.scoring`).

- When some term, number or filter narrows the facts to at most :data:`CAP`, every candidate
  is scored: the hits equal the in-memory search's, in the same order.
- When every part is broad (``脱贫`` over 280,000 facts), candidates are read route by route
  (each way a term can match gives facts of one score; a fact's rowid is its rank among equal
  scores), in rowid order, until no unread fact can outrank the hits in hand (see
  :meth:`SqliteSearch._broad`) or :data:`BUDGET` candidates were read.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.search.filters import CountyWords, conditions
from tui.search.query import NumberTerm, Query, parse_query
from tui.search.scoring import Hit, Matches, Owner, Scored, Scorer, figure, merged, name_fields, term_matches
from tui.search.textindex import EXACT, LABEL, NAME, PREFIX, QUOTE, SUBSTRING, Field, TextIndex
from tui.search.tokens import Syllables, chars_query, digit_pairs, number_words, phrase
from tui.store.codec import county_readings, fact_of, model_readings, reading_of
from tui.store.schema import sequence_of

__all__ = ["CAP", "OnDisk", "SqliteSearch"]

CAP = 600
"""Candidates scored one by one, at most, when a query is selective."""
BUDGET = 12_000
"""Candidates read, at most, for a broad query of several terms."""
DEFAULT_LIMIT = 200
"""Hits returned by a broad query when the caller sets no limit."""

Route = tuple[int, str, list[object]]
"""A way a term matches: the score it gives, an SQL condition on ``facts``, its parameters."""

_INDEX_OF = {"county": "facts_county", "metric": "facts_metric", "scope": "facts_scope"}
NARROW = 20_000
"""A route of names giving fewer facts than this is read through its index."""

# routes through the full-text tables (their parameter is the FTS5 query)
_IN_TEXT = "rowid IN (SELECT rowid FROM text WHERE text MATCH ?)"
_IN_PINYIN = "rowid IN (SELECT rowid FROM pinyin WHERE pinyin MATCH ?)"
_TABLE_OF = {_IN_TEXT: "text", _IN_PINYIN: "pinyin"}


def _marks(items: Iterable[object]) -> str:
    return ",".join("?" * len(list(items)))


class OnDisk(Facts, Protocol):
    """A fact base read from the index (:class:`tui.store.indexed.IndexedBase`)."""

    @property
    def conn(self) -> sqlite3.Connection: ...
    def label(self, file_id: int) -> str:
        """The label (path) of a county file, by its id in the index."""
        ...


class SqliteSearch:
    """Search over an :class:`OnDisk` base. Build once; :meth:`search` never raises."""

    def __init__(self, base: OnDisk) -> None:
        self.base = base
        self.conn = conn = base.conn
        readings = {text: reading_of(stored) for text, stored in model_readings(conn).items()}
        for text, stored in county_readings(conn, base.counties):
            readings.setdefault(text, reading_of(stored))
        scopes = conn.execute("SELECT scope, scope_reading, count(*) FROM facts GROUP BY scope").fetchall()
        fields: list[Field] = []
        owners: list[Owner] = []
        for owner, name, text, weight in name_fields(base):
            fields.append(Field(name, text, weight, None if text.isascii() else readings.get(text)))
            owners.append(owner)
        self._text = TextIndex.of_fields(fields)
        self._owners = owners
        self._texts = [f.text for f in self._text.fields]
        self._scope_sizes = {scope: n for scope, _, n in scopes if scope != "county"}
        self._scopes = [scope for scope, _, _ in scopes]
        self._units = [u for (u,) in conn.execute("SELECT DISTINCT unit FROM facts")] + [m.base for m in base.metrics]
        self._county_sizes = base.county_sizes()
        self._metric_sizes = base.metric_sizes()
        # scopes are matched through the full-text index (there are tens of thousands), but
        # their words still correct typos, as in the in-memory search
        scope_words = TextIndex.of_fields(
            [Field("scope", scope, LABEL, reading_of(stored)) for scope, stored, _ in scopes if scope != "county"]
        ).vocabulary()
        self.scorer = Scorer(base, self._text.vocabulary() | scope_words)
        self._county_words = CountyWords(base.counties)
        syllables = conn.execute("SELECT value FROM meta WHERE key = 'syllables'").fetchone()
        self._syllables = Syllables(json.loads(syllables[0]) if syllables else [])

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
        self._first: dict[tuple[str, str], list[int]] = {}  # (table, FTS query) -> its first CAP + 1 rowids
        self._anywhere: dict[str, str] = {}  # FTS query for the start of a column -> the same anywhere in it
        self._scored_by_rowid: dict[int, Scored | None] = {}
        self._rowid_of: dict[str, int] = {}
        terms = [self._term_matches(term) for term in query.text]
        parts = [self._term_routes(term, found) for term, found in zip(query.text, terms, strict=True)]
        parts += [self._number_routes(number) for number in query.numbers]
        where, params = self._filter_sql(query)
        sizes = [self._size(routes, where, params) for routes in parts]
        if where:
            sizes.append(self._count(where, params))
            parts.append([(0, where, params)])
        if not parts:  # nothing narrows the facts: read every fact
            parts, sizes = [[(0, "1", [])]], [CAP + 1]
        driver = min(range(len(parts)), key=sizes.__getitem__)
        if sizes[driver] <= CAP:
            rowids = {r for _, sql, route_params in parts[driver] for r in self._rows(sql, route_params, where, params)}
            return self._ranked(sorted(rowids), query, terms, limit)
        # what the other parts can add to the score of a fact the driver's routes give
        extra = sum(max((route[0] for route in part), default=0) for i, part in enumerate(parts) if i != driver)
        return self._broad(parts[driver], extra, where, params, query, terms, limit or DEFAULT_LIMIT)

    def _term_matches(self, term: str) -> Matches:
        """The best match of ``term`` (or a corrected spelling) per name: county, metric, theme."""
        return term_matches(self.scorer, self._text, self._texts, self._owners, term)

    # -- candidates ---------------------------------------------------------------------

    def _term_routes(self, term: str, found: Matches) -> list[Route]:
        """The ways ``term`` can match a fact, each with the score it gives."""
        by_score: dict[tuple[str, int], list[str]] = defaultdict(list)
        metric_best: dict[str, int] = {}
        for (kind, ident), match in found.items():
            if kind == "metric":
                metric_best[ident] = max(metric_best.get(ident, 0), match.score)
            elif kind == "theme":
                for m in self.base.metrics:
                    if m.theme == ident:
                        metric_best[m.id] = max(metric_best.get(m.id, 0), match.score)
            else:
                by_score[(kind, match.score)].append(ident)
        for ident, score in metric_best.items():
            by_score[("metric", score)].append(ident)
        routes: list[Route] = []
        for (kind, score), idents in by_score.items():
            routes.append((score, f"{kind} IN ({_marks(idents)})", list(idents)))
        for variant, cap in self.scorer.variants(term):
            for weight, columns in ((QUOTE, ("q", "s", "i", 3)), (LABEL, ("c", "cs", "ci", 2))):
                for route, expression in ((_IN_TEXT, chars_query), (_IN_PINYIN, self._syllables.query)):
                    anywhere = expression(variant, columns, "")
                    if anywhere is None:
                        continue
                    if cap >= PREFIX:  # a corrected spelling scores the same wherever it is
                        at_start = expression(variant, columns, "^")
                        if at_start is not None:
                            self._anywhere[at_start] = anywhere
                        routes.append((PREFIX * 10 + weight, route, [at_start]))
                    routes.append((min(SUBSTRING, cap) * 10 + weight, route, [anywhere]))
        return routes

    def _number_routes(self, number: NumberTerm) -> list[Route]:
        routes: list[Route] = []
        value = float(number.value)
        band = abs(value) * 0.01 + float(number.precision) / 2 + 1e-9
        tiny = 1e-9 * (1 + abs(value))
        routes.append((PREFIX * 10 + NAME, "canonical BETWEEN ? AND ?", [value - band, value + band]))
        routes.append((EXACT * 10 + NAME, "canonical_max BETWEEN ? AND ?", [value - tiny, value + tiny]))
        digits = "".join(ch for ch in number.text if ch.isdigit())
        if len(digits) == 4 and number.family in (None, "年"):
            routes.append((SUBSTRING * 10 + LABEL, _IN_TEXT, [f"w : {phrase(' '.join(digit_pairs(digits)))}"]))
        if digits:
            routes.append((SUBSTRING * 10 + QUOTE, _IN_TEXT, [f"q : ({number_words(number.text)})"]))
        return routes

    def _filter_sql(self, query: Query) -> tuple[str, list[object]]:
        """A condition on ``facts`` that every fact passing the filters meets (a superset)."""
        where: list[str] = []
        params: list[object] = []
        for condition in conditions(query, self):
            sql, values = condition.sql()
            where.append(sql)
            params.extend(values)
        return " AND ".join(where), params

    def _size(self, routes: list[Route], where: str, params: list[object]) -> int:
        """How many facts a term's routes give, counted up to CAP + 1."""
        total = 0
        for _, sql, route_params in routes:
            if sql in _TABLE_OF:
                table, fts = _TABLE_OF[sql], route_params[0]
                if self._within(table, str(fts)):
                    continue  # its facts are among those of the same term anywhere, counted next
                total += len(self._matching(table, str(fts)))
            else:
                total += self._route_size(sql, route_params)
            if total > CAP:
                break
        return total

    def _route_size(self, sql: str, route_params: list[object]) -> int:
        """How many facts a route of names gives (counted up to CAP + 1 for other routes)."""
        sizes = {"county": self._county_sizes, "metric": self._metric_sizes, "scope": self._scope_sizes}.get(
            sql.split(" ", 1)[0]
        )
        if sizes is not None and " IN (" in sql:
            return sum(sizes.get(str(name), 0) for name in route_params)
        return self._count(sql, route_params)

    def _within(self, table: str, fts: str) -> bool:
        """Whether ``fts`` asks for a term at the start of a column and the same term anywhere
        in it gives at most CAP facts: those hold the ones asked for."""
        anywhere = self._anywhere.get(fts)
        return anywhere is not None and len(self._matching(table, anywhere)) <= CAP

    def _matching(self, table: str, fts: str) -> list[int]:
        """The first CAP + 1 facts (in rowid order) whose text matches an FTS5 query.

        For a term at the start of a column, when the same term anywhere gives at most CAP
        facts, those are given (a superset: every candidate is scored): reading a term's
        posting lists once rather than twice halves the time of a pinyin term such as
        ``qingpi``, whose syllables occur in most quotes."""
        found = self._first.get((table, fts))
        if found is None and self._within(table, fts):
            found = self._first[table, fts] = self._matching(table, self._anywhere[fts])
        if found is None:
            found = self._first[table, fts] = [
                r
                for (r,) in self.conn.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT {CAP + 1}", (fts,)
                )
            ]
        return found

    def _count(self, where: str, params: list[object]) -> int:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM facts WHERE {where} LIMIT {CAP + 1})"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def _rows(
        self, sql: str, route_params: list[object], where: str, params: list[object], first: int | None = None
    ) -> list[int]:
        """The rowids a route gives among the facts that pass ``where`` (the first few, in rank order)."""
        also = f"AND {where}" if where else ""
        limit = "" if first is None else f"ORDER BY rowid LIMIT {int(first)}"
        table = _TABLE_OF.get(sql)
        if table is not None:
            known = self._matching(table, str(route_params[0]))
            if len(known) <= CAP and (first is None or not where):  # all of them: filters are checked later
                return known if first is None else known[:first]
            if first is not None and first <= len(known) and not where:
                return known[:first]
            if not where:
                query = f"SELECT rowid FROM {table} WHERE {table} MATCH ? {limit}"
            else:
                query = (
                    f"SELECT t.rowid FROM {table} t JOIN facts ON facts.rowid = t.rowid WHERE {table} MATCH ? "
                    f"{also} {limit}"
                )
        else:
            # a list of names: walk their index and sort, rather than scan the table in rank
            # order (facts of a township come after every county-wide fact)
            column = sql.split(" ", 1)[0]
            narrow = column in _INDEX_OF and self._route_size(sql, route_params) < NARROW
            hint = f"INDEXED BY {_INDEX_OF[column]}" if narrow else ""
            query = f"SELECT rowid FROM facts {hint} WHERE ({sql}) {also} {limit}"
        return [r for (r,) in self.conn.execute(query, [*route_params, *params])]

    def _broad(
        self,
        routes: list[Route],
        extra: int,
        where: str,
        params: list[object],
        query: Query,
        terms: list[Matches],
        limit: int,
    ) -> tuple[Hit, ...]:
        """The best ``limit`` hits when every part of the query is broad (see the module doc).

        ``extra``: the most the other parts of the query add to a fact's score. The hits in
        hand are final once no fact left unread can rank before the last of them: each route
        cut short gives, after its last row read, facts of rowid above that row and of score
        at most its own plus ``extra``. (Several facts of one figure are one hit, so reading
        ``limit`` rows of a route does not give ``limit`` hits.)"""
        routes = sorted(routes, key=lambda r: -r[0])
        want = limit
        while True:
            rowids: set[int] = set()
            cut: list[tuple[int, int]] = []  # (best score, last rowid read) of each route cut short
            for position, (score, sql, route_params) in enumerate(routes):
                found = self._rows(sql, route_params, where, params, want)
                rowids.update(found)
                if found and len(found) >= want:
                    cut.append((score + extra, found[-1]))
                following = routes[position + 1][0] + extra if position + 1 < len(routes) else None
                if len(rowids) >= limit:
                    hits = self._ranked(sorted(rowids), query, terms, limit)
                    if self._settled(hits, limit, cut, following):
                        return self._with_same(hits, rowids, query, terms, limit)
            hits = self._ranked(sorted(rowids), query, terms, limit)
            if not cut or len(rowids) >= BUDGET or self._settled(hits, limit, cut, None):
                return self._with_same(hits, rowids, query, terms, limit)
            want *= 4

    def _settled(self, hits: tuple[Hit, ...], limit: int, cut: list[tuple[int, int]], following: int | None) -> bool:
        """Whether no unread fact can rank before the last of ``limit`` hits: not one of the
        routes cut short (see :meth:`_broad`), nor one of the routes not read yet, whose facts
        score at most ``following``."""
        if len(hits) < limit:
            return False
        last = hits[-1]
        if following is not None and following >= last.score:
            return False
        rowid = self._rowid_of[last.fact.id]
        return all(best < last.score or (best == last.score and after >= rowid) for best, after in cut)

    def _with_same(
        self, hits: tuple[Hit, ...], rowids: set[int], query: Query, terms: list[Matches], limit: int
    ) -> tuple[Hit, ...]:
        """The hits, with the same figure from other sources folded in (as the in-memory search
        does): those facts are read and scored too."""
        keys = {figure(h.fact) for h in hits}
        extra = set()
        for pair in sorted({(h.fact.county, h.fact.metric) for h in hits}):
            for rowid, data in self.conn.execute("SELECT rowid, data FROM facts WHERE county = ? AND metric = ?", pair):
                if rowid not in rowids and figure(fact_of(data, "")) in keys:
                    extra.add(rowid)
        if not extra:
            return hits
        return self._ranked(sorted(rowids | extra), query, terms, limit)

    # -- scoring ------------------------------------------------------------------------

    def _ranked(self, rowids: list[int], query: Query, terms: list[Matches], limit: int | None) -> tuple[Hit, ...]:
        """Score the candidate facts exactly as the in-memory search does, best first.

        Facts scored before, in this query, are not read or scored again."""
        scored = self._scored_by_rowid
        self._score([r for r in rowids if r not in scored], query, terms)
        return self.scorer.hits([found for r in rowids if (found := scored[r]) is not None], limit)

    def _score(self, rowids: list[int], query: Query, terms: list[Matches]) -> None:
        facts, fields, owners = [], [], []
        # pinyin is matched for latin terms only: Chinese ones need no readings
        pinyin = any(term.isascii() for term in query.text)
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            for rowid, file_id, data, quote, scope in self.conn.execute(
                f"SELECT rowid, file, data, reading, scope_reading FROM facts WHERE rowid IN ({_marks(chunk)}) "
                "ORDER BY rowid",
                chunk,
            ):
                fact = fact_of(data, self.base.label(file_id))
                facts.append((rowid, fact))
                self._rowid_of[fact.id] = rowid
                if not fact.is_county_wide and fact.scope:
                    fields.append(Field("scope", fact.scope, LABEL, reading_of(scope) if pinyin else None))
                    owners.append(("fact", fact.id))
                if fact.quote:
                    fields.append(Field("quote", fact.quote, QUOTE, reading_of(quote) if pinyin else None))
                    owners.append(("fact", fact.id))
        tests = conditions(query, self)
        text = TextIndex.of_fields(fields)
        matches = []
        for term, found in zip(query.text, terms, strict=True):
            for variant, cap in self.scorer.variants(term):
                found = merged(found, ((owners[i], m) for i, m in text.match(variant, cap).items()))
            matches.append(found)
        scorer = self.scorer
        for rowid, fact in facts:
            result = scorer.score(fact, matches, query) if all(t.holds(fact) for t in tests) else None
            self._scored_by_rowid[rowid] = (
                None if result is None else (scorer.key(result[0], fact, sequence_of(rowid)), fact, *result)
            )
