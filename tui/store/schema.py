"""The layout of the on-disk index: its tables, its format version, and what a fact's rowid means.

A fact's rowid is its rank when scores tie (county-wide first, then achieved/baseline/target,
theme order, file order, line order), so "the first N matches in rank order" is an index walk.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store.guard import GuardedConnection

__all__ = [
    "FILE_ORDER",
    "FORMAT",
    "INDEXES",
    "LINE_BITS",
    "RANK_BITS",
    "RANK_SPAN",
    "SCHEMA",
    "connect",
    "fact_rowid",
    "sequence_of",
]

FORMAT = 7
"""Bumped whenever the schema or what is stored changes."""

RANK_BITS, LINE_BITS = 20, 20
"""A fact's rowid: county-wide (1 bit), kind (2), theme (8), file rank (20), position in file (20)."""
RANK_SPAN = 1 << RANK_BITS

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE files(id INTEGER PRIMARY KEY, name TEXT UNIQUE, size INTEGER, mtime INTEGER, ctime INTEGER,
                   inode INTEGER, seen INTEGER, digest TEXT, rank INTEGER, state TEXT);
CREATE TABLE deps(file INTEGER, path TEXT, verdict TEXT);
CREATE TABLE counties(file INTEGER, id TEXT, data TEXT, reading TEXT, facts INTEGER);
CREATE TABLE sources(file INTEGER, id TEXT, data TEXT);
CREATE TABLE skips(file INTEGER, data TEXT);
CREATE TABLE problems(file INTEGER, path TEXT, line INTEGER, message TEXT, key TEXT, severity TEXT);
CREATE TABLE facts(rowid INTEGER PRIMARY KEY, file INTEGER, id TEXT, county TEXT, metric TEXT,
                   source TEXT, kind TEXT, unit TEXT, base TEXT, scope TEXT, canonical REAL,
                   canonical_max REAL, data TEXT, reading TEXT, scope_reading TEXT, year_from INTEGER,
                   year_to INTEGER);
CREATE TABLE tally(metric TEXT PRIMARY KEY, facts INTEGER) WITHOUT ROWID;
CREATE VIRTUAL TABLE text USING fts5(q, w, c, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE pinyin USING fts5(s, i, cs, ci, tokenize="unicode61 remove_diacritics 0 tokenchars '_'",
                                       prefix='1');
"""
# files: a county file's stamp (see tui.store.freshness.Stamp) as it was read, its rank and state.
# deps: the source files a county file names, and what the loader made of each (NULL: usable).
# facts: year_from, year_to the first and last year of the fact's time (NULL when it has none).
# text: q the quote, one token per character (folded); w the period, likewise; c the scope (a
# township, village …; empty for the whole county), likewise.
# pinyin: s the quote's pinyin syllables; i every three-letter window of its initials; cs, ci the
# same of the scope, with two-letter windows, since a scope's initials match from two letters
# on. The one-letter prefix index makes "a syllable starting with g" (``yang`` typed matches
# 严格, yan ge) one lookup; windows start with "_", so that such a lookup never wades through
# them. (Characters get no prefix index: a one-character prefix of a character is itself.)

INDEXES = """
CREATE INDEX facts_file ON facts(file);
CREATE INDEX facts_id ON facts(id);
CREATE INDEX facts_county ON facts(county, metric);
CREATE INDEX facts_metric ON facts(metric, county);
CREATE INDEX facts_source ON facts(source);
CREATE INDEX facts_kind ON facts(kind);
CREATE INDEX facts_most ON facts(canonical_max) WHERE canonical_max IS NOT NULL;
CREATE INDEX facts_scope ON facts(scope);
CREATE INDEX facts_canonical ON facts(canonical);
CREATE INDEX counties_file ON counties(file);
CREATE INDEX sources_file ON sources(file);
CREATE INDEX sources_id ON sources(id);
CREATE INDEX counties_id ON counties(id);
CREATE INDEX skips_file ON skips(file);
CREATE INDEX problems_file ON problems(file);
CREATE INDEX deps_file ON deps(file);
"""
"""Created after a full build's inserts: sorting once is faster than keeping them up to date."""

FILE_ORDER = f"ORDER BY (rowid >> {LINE_BITS}) & {RANK_SPAN - 1}, rowid & {(1 << LINE_BITS) - 1}"
"""File order of facts: the file's rank, then the fact's place in its file."""


def fact_rowid(county_wide: bool, kind_rank: int, theme_rank: int, file_rank: int, position: int) -> int:
    """A fact's rowid, from what ranks it when scores tie."""
    tie = ((0 if county_wide else 1) * 4 + kind_rank) * 256 + theme_rank
    return (tie * RANK_SPAN + file_rank) << LINE_BITS | position


def sequence_of(rowid: int) -> int:
    """A fact's place in file order (its file's rank, then its place in the file), from its rowid."""
    return rowid & ((1 << (RANK_BITS + LINE_BITS)) - 1)


def connect(path: Path, *, readonly: bool = False) -> GuardedConnection:
    """A connection to an index file (autocommit; a reader waits up to 30 s for a writer), whose
    queries raise :class:`~tui.store.guard.IndexDamaged` when the file is damaged."""
    if readonly:
        conn = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=30, check_same_thread=False, factory=GuardedConnection
        )
    else:
        conn = sqlite3.connect(
            path, timeout=30, check_same_thread=False, isolation_level=None, factory=GuardedConnection
        )
    conn.path = str(path)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn
