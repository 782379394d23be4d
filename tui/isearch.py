"""Search through the on-disk index: the same hits as :class:`tui.search.SearchIndex`, found
without holding every fact in memory.

Names (counties, metrics, themes, scopes) are few even for the whole country; they are matched
in memory exactly as before. Quotes are many; SQLite's full-text index finds the facts whose
quote may hold a term (a superset: characters as tokens, pinyin syllables, initials), and
only those candidates are read and scored, by the very code the in-memory search uses.

- When some term, number or filter narrows the facts to at most :data:`CAP`, every candidate
  is scored: the hits equal the in-memory search's, in the same order.
- When every part of the query is broad (``脱贫`` over 280,000 facts), the candidates are read
  route by route, best first: each way a term can match (an exact county name, a metric
  whose name starts with it, a quote that starts with it, a quote that holds it …) gives
  facts of one score, and a fact's rowid is its rank among equal scores, so the first
  ``limit`` rows of each route, in rowid order, hold the best ``limit`` hits. Further terms
  are checked on those candidates, reading more while too few pass.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from . import index as ix
from .model import KIND_ZH, Fact
from .query import NumberTerm, Query
from .search import SearchIndex, _deduplicated, _written_precision
from .store import IndexedBase, model_readings
from .textindex import (
    LABEL,
    NAME,
    PREFIX,
    QUOTE,
    SUBSTRING,
    Field,
    Match,
    Span,
    TextIndex,
    better,
)
from .units import parse_unit

__all__ = ["CAP", "IndexSearch"]

CAP = 2000
"""Candidates scored one by one, at most, when a query is selective."""
BUDGET = 12_000
"""Candidates read, at most, for a broad query of several terms."""
DEFAULT_LIMIT = 200
"""Hits returned by a broad query when the caller sets no limit."""

Owner = tuple[str, str]
Route = tuple[int, str, list[object]]
"""A way a term matches: the score it gives, an SQL condition on ``facts``, its parameters."""


def _phrase(tokens: str, prefix: bool = False) -> str:
    """An FTS5 phrase of space-separated tokens; ``prefix``: the last one may be cut short."""
    return '"' + tokens.replace('"', '""') + '"' + (" *" if prefix else "")


def _marks(items: Iterable[object]) -> str:
    return ",".join("?" * len(list(items)))


class IndexSearch(SearchIndex):
    """Search over an :class:`~tui.store.IndexedBase`. Build once; :meth:`search` never raises."""

    def __init__(self, base: IndexedBase) -> None:
        self.base = base  # type: ignore[assignment]
        self.conn = base.conn
        conn = base.conn
        readings = {text: ix.reading_of(stored) for text, stored in model_readings(conn).items()}
        for county, (stored,) in zip(base.counties, conn.execute(
                "SELECT c.reading FROM counties c JOIN files f ON f.id = c.file ORDER BY f.name")):
            for text, one in zip((county.short, county.name), stored.split("\x1e")):
                readings.setdefault(text, ix.reading_of(one))
        scopes = conn.execute("SELECT scope, scope_reading, count(*) FROM facts WHERE scope != 'county' "
                              "GROUP BY scope").fetchall()
        fields: list[Field] = []
        owners: list[Owner] = []

        def add(owner: Owner, name: str, text: str, weight: int, reading: ix.Reading | None = None) -> None:
            if text:
                fields.append(Field(name, text, weight, None if text.isascii() else reading or readings.get(text)))
                owners.append(owner)

        for c in base.counties:
            for name, text in (("county", c.short), ("county_name", c.name), ("county_en", c.en),
                               ("county_en", c.pinyin.replace(" ", ""))):
                add(("county", c.id), name, text, NAME)
        for m in base.metrics:
            add(("metric", m.id), "metric", m.zh, NAME)
            add(("metric", m.id), "metric_en", m.en, NAME)
            for alias in m.aliases:
                add(("metric", m.id), "alias", alias, LABEL)
        for t in base.themes:
            add(("theme", t.id), "theme", t.zh, LABEL)
            add(("theme", t.id), "theme_en", t.en, LABEL)
        for scope, stored, _ in scopes:
            add(("scope", scope), "scope", scope, LABEL, ix.reading_of(stored))
        self._text = TextIndex.of_fields(fields)
        self._owners = owners
        self._scope_sizes = {scope: n for scope, _, n in scopes}
        self._metric_sizes = base.metric_sizes()
        self._prepare_words()
        self._theme_of = {m.id: m.theme for m in base.metrics}
        self._theme_order = {m.id: base.theme(m.theme).order for m in base.metrics}
        self._families = {m.base: parse_unit(m.base).family for m in base.metrics}
        syllables = conn.execute("SELECT value FROM meta WHERE key = 'syllables'").fetchone()
        self._syllables = sorted(json.loads(syllables[0])) if syllables else []
        self._syllable_set = frozenset(self._syllables)

    def _precision_of(self, fact: Fact) -> Decimal:
        return _written_precision(fact)

    # -- public -------------------------------------------------------------------------

    def run(self, query: Query, limit: int | None = None):  # type: ignore[no-untyped-def]
        if query.is_empty:
            return ()
        terms = [self._term_matches(term) for term in query.text]
        parts = [self._term_routes(term, found) for term, found in zip(query.text, terms)]
        parts += [self._number_routes(number) for number in query.numbers]
        where, params = self._filter_sql(query)
        sizes = [self._size(routes, where, params) for routes in parts]
        if where:
            sizes.append(self._count(where, params))
            parts.append([(0, where, params)])
        if not parts:  # a filter the index cannot narrow (unit:): read every fact
            parts, sizes = [[(0, "1", [])]], [CAP + 1]
        driver = min(range(len(parts)), key=sizes.__getitem__)
        if sizes[driver] <= CAP:
            union = " OR ".join(f"({sql})" for _, sql, _ in parts[driver])
            rowids = [r for (r,) in self.conn.execute(
                f"SELECT rowid FROM facts WHERE ({union}) {'AND ' + where if where else ''}",
                [p for _, _, ps in parts[driver] for p in ps] + params)]
            return self._ranked(rowids, query, terms, limit)
        return self._broad(parts[driver], where, params, query, terms, limit or DEFAULT_LIMIT)

    # -- candidates ---------------------------------------------------------------------

    def _term_routes(self, term: str, found: dict[Owner, Match]) -> list[Route]:
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
        for variant, cap in self._variants(term):
            start = self._fts(variant, at_start=True)
            anywhere = self._fts(variant, at_start=False)
            if anywhere is None:
                continue
            if start is not None:
                routes.append((min(PREFIX, cap) * 10 + QUOTE, "rowid IN (SELECT rowid FROM text WHERE text MATCH ?)", [start]))
            routes.append((min(SUBSTRING, cap) * 10 + QUOTE, "rowid IN (SELECT rowid FROM text WHERE text MATCH ?)", [anywhere]))
        return routes

    def _fts(self, term: str, *, at_start: bool) -> str | None:
        """An FTS5 query for the quotes that may hold ``term`` (a superset, checked later)."""
        caret = "^" if at_start else ""
        parts = []
        if any(ch.isalnum() for ch in term):
            parts.append(f"q : {caret}{_phrase(ix.spaced(term))}")
        if term.isascii() and len(term) >= 2:
            parts += [f"s : {caret}{_phrase(' '.join(pieces), prefix=True)}" for pieces in self._segments(term)]
            if len(term) >= 3:
                windows = " ".join(term[i:i + 3] for i in range(len(term) - 2))
                parts.append(f'i : {caret}"{windows}"')
        return " OR ".join(f"({p})" for p in parts) or None

    def _segments(self, term: str, most: int = 16) -> list[list[str]]:
        """Ways to read ``term`` as pinyin syllables, the last one possibly cut short."""
        found: list[list[str]] = []
        syllables, known = self._syllables, self._syllable_set

        def walk(start: int, pieces: list[str]) -> None:
            for end in range(min(len(term), start + 6), start, -1):
                if len(found) >= most:
                    return
                piece = term[start:end]
                if end == len(term):
                    at = bisect_left(syllables, piece)
                    if at < len(syllables) and syllables[at].startswith(piece):
                        found.append([*pieces, piece])
                elif piece in known:
                    walk(end, [*pieces, piece])

        walk(0, [])
        return found

    def _number_routes(self, number: NumberTerm) -> list[Route]:
        routes: list[Route] = []
        value = float(number.value)
        band = abs(value) * 0.01 + float(number.precision) / 2 + 1e-9
        routes.append((PREFIX * 10 + NAME, "(canonical BETWEEN ? AND ? OR canonical_max BETWEEN ? AND ?)",
                       [value - band, value + band, value - 1e-9 * (1 + abs(value)), value + 1e-9 * (1 + abs(value))]))
        digits = "".join(ch for ch in number.text if ch.isdigit())
        if len(digits) == 4 and number.family in (None, "年"):
            routes.append((SUBSTRING * 10 + LABEL, "rowid IN (SELECT rowid FROM text WHERE text MATCH ?)",
                           [f"w : {_phrase(ix.spaced(digits))}"]))
        if digits:
            routes.append((SUBSTRING * 10 + QUOTE, "rowid IN (SELECT rowid FROM text WHERE text MATCH ?)",
                           [f"q : {_phrase(ix.spaced(number.text))}"]))
        return routes

    def _filter_sql(self, query: Query) -> tuple[str, list[object]]:
        """A condition on ``facts`` that every fact passing the filters meets (a superset)."""
        where: list[str] = []
        params: list[object] = []

        def among(column: str, values: list[str]) -> None:
            where.append(f"{column} IN ({_marks(values)})")
            params.extend(values)

        base = self.base
        for key, raw in query.filters:
            value = raw.casefold()
            if key == "county":
                among("county", [c.id for c in base.counties if any(n.startswith(value.replace(" ", "")) for n in c.names())])
            elif key == "theme":
                themes = {t.id for t in base.themes if any(value in n.casefold() for n in (t.id, t.zh, t.en))}
                among("metric", [m.id for m in base.metrics if m.theme in themes])
            elif key == "metric":
                among("metric", [m.id for m in base.metrics if m.id.startswith(value)
                                 or any(value in n.casefold() for n in (m.zh, m.en))])
            elif key == "kind":
                among("kind", [k for k, zh in KIND_ZH.items() if k.startswith(value) or zh == value])
            elif key == "scope":
                if value == "county":
                    among("scope", ["county"])
                else:
                    among("scope", [s for s in self._scope_sizes if value in s.casefold()])
            elif key == "source":
                among("source", [s.id for s in base.sources if s.id.startswith(value) or s.file.endswith(value)])
        for bounds in query.ranges:
            if bounds.low is not None:
                where.append("canonical >= ?")
                params.append(float(bounds.low) - 1e-9 * (1 + abs(float(bounds.low))))
            if bounds.high is not None:
                where.append("canonical <= ?")
                params.append(float(bounds.high) + 1e-9 * (1 + abs(float(bounds.high))))
            if bounds.low is None and bounds.high is None:
                where.append("canonical IS NOT NULL")
        return " AND ".join(where), params

    def _size(self, routes: list[Route], where: str, params: list[object]) -> int:
        """How many facts a term's routes give, counted up to CAP + 1."""
        total = 0
        for _, sql, route_params in routes:
            if sql.startswith("rowid IN (SELECT rowid FROM text"):
                total += self.conn.execute(
                    f"SELECT count(*) FROM (SELECT rowid FROM text WHERE text MATCH ? LIMIT {CAP + 1})",
                    route_params).fetchone()[0]
            elif sql.startswith("county IN"):
                total += sum(self.base.sizes.get(c, 0) for c in route_params)  # type: ignore[arg-type]
            elif sql.startswith("metric IN"):
                total += sum(self._metric_sizes.get(m, 0) for m in route_params)  # type: ignore[arg-type]
            elif sql.startswith("scope IN"):
                total += sum(self._scope_sizes.get(s, 0) for s in route_params)  # type: ignore[arg-type]
            else:
                total += self._count(sql, route_params)
            if total > CAP:
                break
        return total

    def _count(self, where: str, params: list[object]) -> int:
        return self.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM facts WHERE {where} LIMIT {CAP + 1})",
                                 params).fetchone()[0]

    def _broad(self, routes: list[Route], where: str, params: list[object], query: Query,
               terms: list[dict[Owner, Match]], limit: int):  # type: ignore[no-untyped-def]
        """The best ``limit`` hits when every part of the query is broad (see the module doc)."""
        want = limit
        while True:
            rowids: set[int] = set()
            exhausted = True
            for _, sql, route_params in sorted(routes, key=lambda r: -r[0]):
                if sql.startswith("rowid IN (SELECT rowid FROM text"):
                    found = self.conn.execute(
                        "SELECT t.rowid FROM text t JOIN facts f ON f.rowid = t.rowid WHERE text MATCH ? "
                        f"{'AND ' + where if where else ''} ORDER BY t.rowid LIMIT ?",
                        [*route_params, *params, want]).fetchall()
                else:
                    found = self.conn.execute(
                        f"SELECT rowid FROM facts WHERE ({sql}) {'AND ' + where if where else ''} "
                        "ORDER BY rowid LIMIT ?", [*route_params, *params, want]).fetchall()
                exhausted &= len(found) < want
                rowids.update(r for (r,) in found)
            hits = self._ranked(sorted(rowids), query, terms, limit)
            if len(hits) >= limit or exhausted or len(rowids) >= BUDGET:
                break
            want *= 4
        # the same figure from other sources is folded into its hit: read those too
        pairs = sorted({(h.fact.county, h.fact.metric) for h in hits})
        if not pairs:
            return hits
        rowids.update(r for (r,) in self.conn.execute(
            f"SELECT rowid FROM facts WHERE (county, metric) IN (VALUES {','.join(['(?, ?)'] * len(pairs))})",
            [x for pair in pairs for x in pair]))
        return self._ranked(sorted(rowids), query, terms, limit)

    # -- scoring ------------------------------------------------------------------------

    def _ranked(self, rowids: list[int], query: Query, terms: list[dict[Owner, Match]], limit: int | None):  # type: ignore[no-untyped-def]
        """Score the candidate facts exactly as the in-memory search does, best first."""
        facts, fields, owners = [], [], []
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            for rowid, file_id, data, quote, scope in self.conn.execute(
                    f"SELECT rowid, file, data, reading, scope_reading FROM facts WHERE rowid IN ({_marks(chunk)}) "
                    "ORDER BY rowid", chunk):
                fact = ix.fact_of(data, self.base._labels[file_id])
                facts.append((rowid, fact))
                if not fact.is_county_wide:
                    fields.append(Field("scope", fact.scope, LABEL, ix.reading_of(scope)))
                    owners.append(("fact", fact.id))
                fields.append(Field("quote", fact.quote, QUOTE, ix.reading_of(quote)))
                owners.append(("fact", fact.id))
        passing = {id(f) for f in self._filtered(query, (f for _, f in facts))}
        text = TextIndex.of_fields(fields)
        matches = []
        for term, found in zip(query.text, terms):
            merged = dict(found)
            for variant, cap in self._variants(term):
                for index, match in text.match(variant, cap).items():
                    owner = owners[index]
                    merged[owner] = better(merged.get(owner), match)  # type: ignore[assignment]
            matches.append(merged)
        ranked: list[tuple[tuple[int, ...], Fact, int, list[Span]]] = []
        for rowid, fact in facts:
            if id(fact) not in passing:
                continue
            scored = self._scored(fact, matches, query)
            if scored is not None:
                ranked.append(((-scored[0], rowid), fact, *scored))
        ranked.sort(key=lambda item: item[0])
        return _deduplicated(ranked, limit)

