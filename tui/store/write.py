"""Writing compiled county files into the index, removing them, and settling ids defined twice."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tui.store.compiling import Compiled, FactRow
from tui.store.freshness import Stamp

__all__ = ["FACT_BATCH", "delete", "insert", "insert_facts", "insert_file", "resolve_conflicts"]

FACT_COLUMNS = 17
"""Columns of the ``facts`` table: a row for :func:`insert_facts` holds these, then its full text."""
FACT_BATCH = 20_000
"""Facts a full build gathers before inserting them sorted (about 10 MB)."""


def _marks(count: int) -> str:
    return ",".join("?" * count)


def insert_file(conn: sqlite3.Connection, name: str, stamp: Stamp, rank: int) -> int:
    """A county file's row, with the stamp it was read with: its id."""
    file_id = conn.execute(
        "INSERT INTO files(name, size, mtime, ctime, inode, seen, digest, rank, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
        (name, stamp.size, stamp.mtime, stamp.ctime, stamp.inode, stamp.seen, stamp.digest, rank),
    ).lastrowid
    assert file_id is not None
    return file_id


def insert(conn: sqlite3.Connection, file_id: int, compiled: Compiled, pending: list[FactRow] | None = None) -> None:
    """Add one compiled county file. Its facts go to ``pending`` when given (see
    :func:`insert_facts`), else into their tables at once."""
    if compiled.county is not None:
        conn.execute("INSERT INTO counties VALUES (?, ?, ?, ?, ?)", (file_id, *compiled.county, len(compiled.facts)))
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?)", [(file_id, *s) for s in compiled.sources])
    conn.executemany("INSERT INTO skips VALUES (?, ?)", [(file_id, s) for s in compiled.skips])
    conn.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)", [(file_id, *p) for p in compiled.problems])
    conn.executemany("INSERT INTO deps VALUES (?, ?, ?)", [(file_id, *d) for d in compiled.deps.items()])
    rows = [(f[0], file_id, *f[1:]) for f in compiled.facts]
    if pending is None:
        insert_facts(conn, rows)
    else:
        pending.extend(rows)
    if compiled.syllables:
        known = set(json.loads(conn.execute("SELECT value FROM meta WHERE key = 'syllables'").fetchone()[0]))
        if not compiled.syllables <= known:
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'syllables'", (json.dumps(sorted(known | compiled.syllables)),)
            )


def insert_facts(conn: sqlite3.Connection, rows: list[FactRow]) -> None:
    """Facts (rowid, file id, then what :func:`~tui.store.compiling.compile_file` gives) with
    their full text, in rowid order.

    FTS5 writes out what it holds in memory as a new segment whenever a row's rowid is lower
    than the last one. A county file's facts are spread over the whole rowid range (the rowid
    ranks a fact by kind and theme first), so inserting file by file would write a segment at
    every change of rank; a full build therefore gathers the facts of many files and inserts
    them sorted (the facts table, a B-tree on the rowid, likes that too)."""
    rows.sort(key=lambda row: int(row[0]))
    conn.executemany(f"INSERT INTO facts VALUES ({_marks(FACT_COLUMNS)})", [row[:FACT_COLUMNS] for row in rows])
    text = FACT_COLUMNS + 3
    conn.executemany(
        "INSERT INTO text(rowid, q, w, c) VALUES (?, ?, ?, ?)", [(row[0], *row[FACT_COLUMNS:text]) for row in rows]
    )
    conn.executemany(
        "INSERT INTO pinyin(rowid, s, i, cs, ci) VALUES (?, ?, ?, ?, ?)", [(row[0], *row[text:]) for row in rows]
    )


def delete(conn: sqlite3.Connection, file_id: int) -> None:
    """Remove every row a county file gave."""
    for table in ("text", "pinyin"):
        conn.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM facts WHERE file = ?)", (file_id,))
    for table in ("facts", "counties", "sources", "skips", "problems", "deps"):
        conn.execute(f"DELETE FROM {table} WHERE file = ?", (file_id,))


def resolve_conflicts(
    conn: sqlite3.Connection, changed: list[int] | None = None, metrics: set[str] | None = None
) -> None:
    """A county, source or fact id defined by two files: the file first in name order keeps it;
    the other file is reported and skipped, and marked to be looked at again at every update.

    ``changed``: the files just indexed (None: all); only ids they define can clash anew.
    ``metrics``: the metrics whose counts may have changed (None: all).
    """
    only = "" if changed is None else f"WHERE file IN ({','.join(map(str, changed))})"
    clashes = []
    for what, table in (("county", "counties"), ("source", "sources"), ("fact", "facts")):
        clashes += conn.execute(f"""
            WITH wanted AS (SELECT id FROM {table} {only}),
                 clashing AS (SELECT id FROM {table} WHERE id IN wanted GROUP BY id HAVING count(*) > 1)
            SELECT '{what}', a.id, f.id, f.name, (SELECT min(g.name) FROM {table} b JOIN files g ON g.id = b.file
                                                   WHERE b.id = a.id AND g.name < f.name)
            FROM {table} a JOIN files f ON f.id = a.file WHERE a.id IN clashing""").fetchall()
    folder = Path(conn.execute("SELECT value FROM meta WHERE key = 'facts_dir'").fetchone()[0]).name
    losers = set()
    for what, ident, file_id, name, first in clashes:
        if first is None:
            continue
        message = f"{what} '{ident}' is already defined in {first}; "
        if what == "fact":
            for table in ("text", "pinyin"):
                conn.execute(
                    f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM facts WHERE file = ? AND id = ?)",
                    (file_id, ident),
                )
            conn.execute("DELETE FROM facts WHERE file = ? AND id = ?", (file_id, ident))
            message += "this fact is skipped"
        else:
            delete(conn, file_id)
            message += "this file is skipped"
        conn.execute("INSERT INTO problems VALUES (?, ?, 0, ?, 'id', 'error')", (file_id, f"{folder}/{name}", message))
        conn.execute("UPDATE files SET state = 'conflict' WHERE id = ?", (file_id,))
        losers.add(file_id)
    if losers:
        marks = ",".join(map(str, losers))
        conn.execute(
            f"UPDATE counties SET facts = (SELECT count(*) FROM facts WHERE facts.file = counties.file) "
            f"WHERE file IN ({marks})"
        )
        metrics = None
    if metrics is None:
        conn.execute("DELETE FROM tally")
        conn.execute("INSERT INTO tally SELECT metric, count(*) FROM facts GROUP BY metric")
    elif metrics:
        wanted = sorted(metrics)
        marks = ",".join("?" * len(wanted))
        conn.execute(f"DELETE FROM tally WHERE metric IN ({marks})", wanted)
        conn.execute(
            f"INSERT INTO tally SELECT metric, count(*) FROM facts WHERE metric IN ({marks}) GROUP BY metric", wanted
        )
