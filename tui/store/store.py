"""The fact base as the app and the CLI open it: through the on-disk index.

:func:`open_store` brings the index of a fact tree up to date (see :mod:`tui.store.open`) and
answers from it. A tree of up to :data:`IN_MEMORY_UP_TO` facts (a province) is read from the
index into memory in a few milliseconds and searched there; a larger one (the whole country)
stays on disk: :class:`~tui.store.indexed.IndexedBase` answers each question with a query, and
:class:`tui.search.sqlite.SqliteSearch` searches through SQLite's full-text index. Both give the
same answers; only where they keep the facts differs.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.facts import Facts
from tui.domain.model import FactBase, Problem
from tui.store.codec import county_readings, fact_of, model_readings, problems_of, reading_of
from tui.store.freshness import Snapshot, changed
from tui.store.guard import GuardedConnection, IndexDamaged
from tui.store.indexed import IndexedBase
from tui.store.open import Notice, open_index
from tui.store.schema import FILE_ORDER

if TYPE_CHECKING:
    from tui.search.scoring import Search
    from tui.store.build import Progress

__all__ = ["IN_MEMORY_UP_TO", "Store", "open_store"]

IN_MEMORY_UP_TO = 20_000
"""Fact trees up to this size are held in memory (a few MB); larger ones are read on demand."""


@dataclass
class Store:
    """An opened fact tree: its facts (in memory or on disk), its problems, and a way to search it."""

    base: Facts
    problems: list[Problem]
    readings: dict[str, str] = field(default_factory=dict)
    """Stored pinyin of every text (as :func:`tui.store.codec.reading_of` reads it), so that an
    in-memory search never imports pypinyin."""
    notices: list[str] = field(default_factory=list)
    """Lines for the user from opening it (a damaged index rebuilt, a shared folder refused …)."""
    snapshot: Snapshot | None = None
    """The files as they were when the facts were read (None: not read from a folder)."""
    _search: Search | None = None

    def changed(self) -> tuple[str, ...]:
        """What changed in the fact tree since it was opened (``metrics.toml``, county files
        changed, added or removed, county files one of whose source files changed); empty when
        nothing did. Cheap enough to call when idle (see :func:`tui.store.freshness.changed`)."""
        return () if self.snapshot is None else changed(self.snapshot)

    def search_index(self) -> Search:
        """The search, built on first use: through the index for facts on disk, else in memory."""
        if self._search is None:
            if isinstance(self.base, IndexedBase):
                from tui.search.sqlite import SqliteSearch

                self._search = SqliteSearch(self.base)
            else:
                from tui.search.memory import MemorySearch

                readings = {text: reading_of(stored) for text, stored in self.readings.items()}
                self._search = MemorySearch(self.base, {t: r for t, r in readings.items() if r is not None})
        return self._search


def _materialized(conn: sqlite3.Connection, facts_dir: Path) -> Store:
    """The whole (small) tree in memory, with the readings the search needs."""
    lazy = IndexedBase(conn, facts_dir)
    readings: dict[str, str] = {}  # decoded when the search index is built, after the first screen

    def keep(text: str, stored: str) -> None:
        if stored:
            readings.setdefault(text, stored)

    facts = []
    labels = lazy.labels()
    for file_id, data, quote, scope in conn.execute(
        f"SELECT file, data, reading, scope_reading FROM facts {FILE_ORDER}"
    ):
        fact = fact_of(data, labels[file_id])
        facts.append(fact)
        keep(fact.quote, quote)
        keep(fact.scope, scope)
    for text, stored in county_readings(conn, lazy.counties):
        keep(text, stored)
    for text, stored in model_readings(conn).items():
        keep(text, stored)
    base = FactBase(lazy.themes, lazy.metrics, lazy.counties, lazy.sources, tuple(facts), lazy.skips, lazy.root)
    return Store(base, problems_of(conn, facts_dir.parent), readings)


def _load_files(facts_dir: Path, notices: list[str]) -> Store:
    """The files read directly (no index can be kept, or there is nothing to index)."""
    from tui.factfiles.loader import load

    snapshot: Snapshot | None = None
    with contextlib.suppress(OSError, ValueError, RuntimeError):  # a path that cannot be (the loader says so)
        snapshot = Snapshot.of_files(facts_dir)  # before the files are read: see tui.store.freshness
    base, problems = load(facts_dir)
    if snapshot is not None:
        snapshot.deps = {"": {source.file: None for source in base.sources}}
    return Store(base, problems, notices=notices, snapshot=snapshot)


def _from_index(conn: sqlite3.Connection, facts_dir: Path, in_memory: bool | None, notices: list[str]) -> Store:
    snapshot = Snapshot.of_index(conn, facts_dir)
    size = conn.execute("SELECT coalesce(sum(facts), 0) FROM counties").fetchone()[0]
    if in_memory is None:
        in_memory = size <= IN_MEMORY_UP_TO
    if in_memory:
        store = _materialized(conn, facts_dir)
        conn.close()
        store.notices, store.snapshot = notices, snapshot
        return store
    return Store(IndexedBase(conn, facts_dir), problems_of(conn, facts_dir.parent), notices=notices, snapshot=snapshot)


def open_store(
    facts_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    in_memory: bool | None = None,
    check_files: bool = True,
    notice: Notice | None = None,
) -> Store:
    """Open the fact tree in ``facts_dir`` through its index (building what changed).

    ``in_memory`` forces where the facts are kept (default: by size); ``check_files=False``
    trusts an existing index without looking at every county file (see
    :func:`tui.store.status.refresh`). When no index can be kept anywhere (see
    :func:`tui.store.open.open_index`), the files are loaded directly. A damaged index is built
    again. What the user should know is told to ``notice`` as it happens, else kept in
    :attr:`Store.notices`.
    """
    notices: list[str] = []
    tell = notice or notices.append
    if not os.path.isdir(facts_dir):  # the loader says what is wrong
        return _load_files(facts_dir, notices)
    for attempt in range(2):
        try:
            conn = open_index(
                facts_dir, rebuild=rebuild or attempt > 0, progress=progress, check_files=check_files, notice=tell
            )
        except (OSError, ValueError, sqlite3.Error) as error:
            tell(f"no index can be kept ({error}): reading the files directly")
            return _load_files(facts_dir, notices)
        try:
            if not conn.execute("SELECT 1 FROM files LIMIT 1").fetchone():
                conn.close()  # no county file at all: the loader says so
                return _load_files(facts_dir, notices)
            return _from_index(conn, facts_dir, in_memory, notices)
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, IndexError) as error:
            # damage that only reading every record finds (a page the quick check passed, a
            # record that is not JSON): remove the file and build it again, once
            conn.close()
            if isinstance(conn, GuardedConnection) and not isinstance(error, IndexDamaged):
                with contextlib.suppress(OSError):
                    os.unlink(conn.path)
            cause = error.__cause__ if isinstance(error, IndexDamaged) else error
            if attempt:
                tell(f"the index is damaged again ({cause}): reading the files directly")
                return _load_files(facts_dir, notices)
            tell(f"the index was damaged ({cause}): building it again")
    raise AssertionError("unreachable")  # pragma: no cover
