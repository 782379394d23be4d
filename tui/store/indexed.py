"""A fact base that stays on disk: :class:`IndexedBase` answers each question with a query.

:func:`tui.store.store.open_store` opens a large fact tree (the whole country) this way;
:class:`tui.search.sqlite.SqliteSearch` searches it through SQLite's full-text index.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from tui.domain.model import County, Fact, Metric, Skip, Source, Theme, disagreeing, regions_of
from tui.store.codec import (
    county_of,
    fact_of,
    iter_rows,
    model_of,
    relabel,
    skip_of,
    source_of,
)
from tui.store.schema import FILE_ORDER

__all__ = ["IndexedBase"]


def _county(fields: list[str], path: str) -> County:
    """A county from its decoded record (see :func:`tui.store.codec.county_data`)."""
    id_, name, short, en, pinyin, level, parent = fields
    return County(id_, name, short, en, pinyin, level, parent, path)


class IndexedBase:
    """A fact base that stays on disk: a :class:`~tui.domain.facts.Facts` answered by the index.
    Counties, themes, metrics and sources (small) are held in memory; facts are read when asked
    for, and the last few answers are kept."""

    def __init__(self, conn: sqlite3.Connection, facts_dir: Path) -> None:
        self.conn = conn
        self.facts_dir = facts_dir
        self.root = str(facts_dir.parent)
        self.themes: tuple[Theme, ...]
        self.metrics: tuple[Metric, ...]
        self.themes, self.metrics = model_of(conn)
        self._folder = os.path.join(relabel(facts_dir.name, facts_dir.parent), "")
        self._labels: dict[int, str] = {}
        """County files' labels by file id, read as facts of each file are read (or all at once)."""
        self._themes = {t.id: t for t in self.themes}
        self._metrics = {m.id: m for m in self.metrics}
        self._county_cache: dict[str, County] = {}  # counties asked for one by one, before all are read
        self._sources: dict[str, Source] | None = None  # every article: read when first asked for
        self._source_cache: dict[str, Source] = {}  # articles asked for one by one
        self._selected: OrderedDict[tuple[str | None, ...], tuple[Fact, ...]] = OrderedDict()

    # -- counties: all of them are read on first need (the search, a province opened); the
    # first screen needs only the regions and one county (2,800 records cost a start 25 ms)

    @cached_property
    def counties(self) -> tuple[County, ...]:
        labels = self.labels()
        rows = self.conn.execute(
            "SELECT c.file, c.facts, c.data FROM counties c JOIN files f ON f.id = c.file ORDER BY f.name"
        ).fetchall()
        # one JSON document for all counties: decoding 2,800 small ones costs 20 ms
        every = json.loads("[" + ",".join(data for _, _, data in rows) + "]")
        counties = tuple(_county(fields, labels[file_id]) for fields, (file_id, _, _) in zip(every, rows, strict=True))
        self._sizes = {county.id: n for county, (_, n, _) in zip(counties, rows, strict=True)}
        return counties

    @cached_property
    def _counties(self) -> dict[str, County]:
        return {c.id: c for c in self.counties}

    @cached_property
    def _themes(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def _metrics(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    def theme(self, theme_id: str) -> Theme:
        return self._themes[theme_id]

    def metric(self, metric_id: str) -> Metric:
        return self._metrics[metric_id]

    def theme_of(self, fact: Fact) -> Theme:
        return self._themes[self._metrics[fact.metric].theme]

    def county(self, county_id: str) -> County:
        if "_counties" in self.__dict__:
            return self._counties[county_id]
        found = self._county_cache.get(county_id)
        if found is None:
            row = self.conn.execute(
                "SELECT c.file, c.data FROM counties c JOIN files f ON f.id = c.file "
                "WHERE c.id = ? ORDER BY f.name LIMIT 1",
                (county_id,),
            ).fetchone()
            if row is None:
                raise KeyError(county_id)
            found = self._county_cache[county_id] = county_of(row[1], self.label(row[0]))
        return found

    def first_county(self) -> County | None:
        if "counties" in self.__dict__:
            return self.counties[0] if self.counties else None
        row = self.conn.execute(
            "SELECT c.id FROM counties c JOIN files f ON f.id = c.file ORDER BY f.name LIMIT 1"
        ).fetchone()
        return None if row is None else self.county(row[0])

    def regions(self) -> tuple[tuple[str, int, int], ...]:
        if "counties" in self.__dict__:
            return regions_of(self.counties, self._sizes)
        # the region (a county's parent) is the seventh field of its record (see codec.county_data)
        return tuple(
            self.conn.execute(
                "SELECT json_extract(c.data, '$[6]'), count(*), sum(c.facts)"
                " FROM counties c JOIN files f ON f.id = c.file "
                "GROUP BY 1 ORDER BY min(f.name)"
            )
        )

    def label(self, file_id: int) -> str:
        """The label (path) of a county file, by its id in the index."""
        label = self._labels.get(file_id)
        if label is None:
            row = self.conn.execute("SELECT name FROM files WHERE id = ?", (file_id,)).fetchone()
            label = self._labels[file_id] = self._folder + (row[0] if row else "?")
        return label

    def labels(self) -> dict[int, str]:
        """Every county file's label (before reading facts of many files)."""
        for file_id, name in self.conn.execute("SELECT id, name FROM files"):
            self._labels[file_id] = self._folder + name
        return self._labels

    # -- the FactBase questions ----------------------------------------------------------

    def source(self, source_id: str) -> Source:
        if self._sources is not None:
            return self._sources[source_id]
        found = self._source_cache.get(source_id)
        if found is None:
            row = self.conn.execute("SELECT data FROM sources WHERE id = ?", (source_id,)).fetchone()
            if row is None:
                raise KeyError(source_id)
            found = self._source_cache[source_id] = source_of(row[0])
        return found

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(self._sources_by_id().values())

    def sources_of(self, county: str) -> tuple[Source, ...]:
        """A county's articles, in file order (without reading every article's record)."""
        if self._sources is not None:
            return tuple(s for s in self._sources.values() if s.county == county)
        return tuple(
            source_of(data)
            for (data,) in self.conn.execute(
                "SELECT s.data FROM sources s JOIN counties c ON c.file = s.file WHERE c.id = ? ORDER BY s.rowid",
                (county,),
            )
        )

    def _sources_by_id(self) -> dict[str, Source]:
        if self._sources is None:
            self._sources = {
                s.id: s
                for s in (
                    source_of(data)
                    for (data,) in self.conn.execute(
                        "SELECT s.data FROM sources s JOIN files f ON f.id = s.file ORDER BY f.name, s.rowid"
                    )
                )
            }
        return self._sources

    def fact(self, fact_id: str) -> Fact:
        row = self.conn.execute("SELECT file, data FROM facts WHERE id = ?", (fact_id,)).fetchone()
        if row is None:
            raise KeyError(fact_id)
        return fact_of(row[1], self.label(row[0]))

    def has_fact(self, fact_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact_id,)).fetchone() is not None

    def current_id(self, fact_id: str) -> str | None:
        if self.has_fact(fact_id):
            return fact_id
        # a former id is asked for rarely (a citation made before an id changed): look through
        # the records that mention it, rather than keep a table of them
        wanted = json.dumps(fact_id, ensure_ascii=False)
        for (data,) in self.conn.execute("SELECT data FROM facts WHERE instr(data, ?) > 0", (wanted,)):
            fact = fact_of(data, "")
            if fact_id in fact.former_ids:
                return fact.id
        return None

    def facts_at(self, rowids: list[int]) -> dict[int, Fact]:
        """Facts by rowid (the search asks for its candidates this way)."""
        found: dict[int, Fact] = {}
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, file_id, data in self.conn.execute(
                f"SELECT rowid, file, data FROM facts WHERE rowid IN ({marks})", chunk
            ):
                found[rowid] = fact_of(data, self.label(file_id))
        return found

    def select(
        self,
        *,
        county: str | None = None,
        theme: str | None = None,
        metric: str | None = None,
        source: str | None = None,
    ) -> tuple[Fact, ...]:
        """The facts that match every given filter, in file order."""
        key = (county, theme, metric, source)
        cached = self._selected.get(key)
        if cached is not None:
            self._selected.move_to_end(key)
            return cached
        if county is not None and key != (county, None, None, None):
            # a county's facts are few: read them once (the county view asks for ten of its
            # metrics, one by one) and pick the ones asked for from those
            metrics = None if theme is None else {m.id for m in self.metrics if m.theme == theme}
            found = tuple(
                f
                for f in self.select(county=county)
                if (metric is None or f.metric == metric)
                and (source is None or f.source == source)
                and (metrics is None or f.metric in metrics)
            )
            self._remember(key, found)
            return found
        where, params = [], []
        if county is not None:
            where.append("county = ?")
            params.append(county)
        if metric is not None:
            where.append("metric = ?")
            params.append(metric)
        if source is not None:
            where.append("source = ?")
            params.append(source)
        if theme is not None:
            ids = [m.id for m in self.metrics if m.theme == theme]
            where.append(f"metric IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = f"SELECT file, data FROM facts {'WHERE ' + ' AND '.join(where) if where else ''} {FILE_ORDER}"
        found = tuple(fact_of(data, self.label(file_id)) for file_id, data in self.conn.execute(sql, params))
        if county is not None or source is not None or metric is not None:  # small answers only
            self._remember(key, found)
        return found

    def _remember(self, key: tuple[str | None, ...], found: tuple[Fact, ...]) -> None:
        self._selected[key] = found
        if len(self._selected) > 256:
            self._selected.popitem(last=False)

    def tally(self, *, county: str | None = None, metric: str | None = None) -> dict[tuple[str, str], int]:
        """Facts per (county, metric), for one county or one metric (the tree's counts)."""
        if county is not None:
            rows = self.conn.execute(
                "SELECT county, metric, count(*) FROM facts WHERE county = ? GROUP BY metric", (county,)
            )
        elif metric is not None:
            rows = self.conn.execute(
                "SELECT county, metric, count(*) FROM facts WHERE metric = ? GROUP BY county", (metric,)
            )
        else:
            raise ValueError("tally needs a county or a metric")
        return {(c, m): n for c, m, n in rows}

    def county_sizes(self) -> dict[str, int]:
        _ = self.counties  # read with the counties
        return dict(self._sizes)

    def metric_sizes(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT metric, facts FROM tally"))

    def disagreements(self, fact: Fact) -> tuple[Fact, ...]:
        return disagreeing(fact, self.select(county=fact.county, metric=fact.metric))

    @property
    def facts(self) -> Iterator[Fact]:
        """Every fact in file order, read a few hundred at a time."""
        labels = self.labels()
        for file_id, data in iter_rows(self.conn, f"SELECT file, data FROM facts {FILE_ORDER}"):
            yield fact_of(data, labels[file_id])

    @property
    def skips(self) -> tuple[Skip, ...]:
        return tuple(
            skip_of(data, self.label(file_id))
            for file_id, data in self.conn.execute(
                "SELECT s.file, s.data FROM skips s JOIN files f ON f.id = s.file ORDER BY f.name, s.rowid"
            )
        )

    def __iter__(self) -> Iterator[Fact]:
        return self.facts

    def __len__(self) -> int:
        if "counties" in self.__dict__:
            return sum(self._sizes.values())
        return int(self.conn.execute("SELECT coalesce(sum(facts), 0) FROM counties").fetchone()[0])
