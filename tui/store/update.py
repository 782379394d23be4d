"""Re-indexing only the county files that changed, were added or removed, in one transaction.

Two processes may do this at once: SQLite serialises the writers, and the second finds the
work done.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from tui.store import compiling
from tui.store.build import Progress
from tui.store.freshness import current_stamps, known_deps, known_stamps, stale_names
from tui.store.schema import RANK_SPAN
from tui.store.write import delete, insert, insert_file, resolve_conflicts

__all__ = ["COMPACT_EVERY", "COMPACT_FREE", "compact", "update"]

COMPACT_FREE = 0.25
"""The share of free pages from which an update compacts the index."""
COMPACT_EVERY = 50
"""Updates after which the index is compacted anyway (their full-text segments add up)."""


def update(conn: sqlite3.Connection, facts_dir: Path, progress: Progress | None) -> bool:
    """Re-index the county files whose content changed, were added or removed (or one of whose
    source files the loader would now judge otherwise), in one transaction; then compact the
    index when updates have left much of it unused.

    Returns False when a full build is needed instead (a new file has no free rank)."""
    conn.execute("BEGIN IMMEDIATE")  # waits for any other writer; then look again: it may have done the work
    try:
        known = {
            name: (file_id, rank, state)
            for file_id, name, rank, state in conn.execute("SELECT id, name, rank, state FROM files")
        }
        stamps = known_stamps(conn)
        files = current_stamps(facts_dir, stamps)
        changed, removed, restamped = stale_names(stamps, known_deps(conn), files, facts_dir.parent)
        for name in restamped:  # touched, or proved unchanged since: no need to read it again
            stamp = files[name]
            conn.execute(
                "UPDATE files SET size = ?, mtime = ?, ctime = ?, inode = ?, seen = ?, digest = ? WHERE id = ?",
                (stamp.size, stamp.mtime, stamp.ctime, stamp.inode, stamp.seen, stamp.digest, known[name][0]),
            )
        if not changed and not removed:
            conn.execute("COMMIT" if restamped else "ROLLBACK")
            return True
        # a file that lost a clash may win now that another changed: look at it again
        changed += [n for n, row in known.items() if row[2] == "conflict" and n in files and n not in changed]
        _, metrics, _, theme_ranks = compiling.load_model(facts_dir)
        ranks = {name: row[1] for name, row in known.items() if name in files}
        for name in changed:
            if name not in ranks:
                rank = _free_rank(name, ranks)
                if rank is None:
                    conn.execute("ROLLBACK")
                    return False
                ranks[name] = rank
        touched: set[str] = set()
        for name in removed + [n for n in changed if n in known]:
            file_id = known[name][0]
            touched.update(m for (m,) in conn.execute("SELECT DISTINCT metric FROM facts WHERE file = ?", (file_id,)))
            delete(conn, file_id)
            conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
        compiling.init_worker({m.id: m for m in metrics}, str(facts_dir.parent), theme_ranks)
        new_ids: list[int] = []
        for done, name in enumerate(changed, start=1):
            compiled = compiling.compile_file(str(facts_dir / name), ranks[name])
            file_id = insert_file(conn, name, files[name], ranks[name])
            insert(conn, file_id, compiled)
            new_ids.append(file_id)
            touched.update(f[3] for f in compiled.facts)
            if progress is not None:
                progress(done, len(changed))
        resolve_conflicts(conn, new_ids, touched)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'built'", (str(time.time()),))
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    with contextlib.suppress(sqlite3.OperationalError):  # busy readers, or no room to rewrite: next time
        compact(conn)
    return True


def compact(conn: sqlite3.Connection, *, force: bool = False) -> bool:
    """Merge the full-text indexes and give back the space updates freed, once that is worth it.

    Each update leaves deleted rows in the full-text segments and free pages in the file
    (SQLite reuses them, but the file never shrinks): when more than :data:`COMPACT_FREE` of the
    pages are free, or after :data:`COMPACT_EVERY` updates, both indexes are optimised and the
    file vacuumed. Returns whether it did."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    row = conn.execute("SELECT value FROM meta WHERE key = 'updates'").fetchone()
    updates = int(row[0]) + 1 if row else 1
    if not force and free <= COMPACT_FREE * pages and updates < COMPACT_EVERY:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('updates', ?)", (str(updates),))
        return False
    conn.execute("INSERT INTO text(text) VALUES ('optimize')")
    conn.execute("INSERT INTO pinyin(pinyin) VALUES ('optimize')")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('updates', '0')")
    conn.execute("VACUUM")  # rewrites the file: readers keep the old pages until they are done
    return True


def _free_rank(name: str, ranks: dict[str, int]) -> int | None:
    """A rank between the files sorted before and after ``name``, or None when there is no room."""
    before = max((r for n, r in ranks.items() if n < name), default=0)
    after = min((r for n, r in ranks.items() if n > name), default=RANK_SPAN)
    return None if after - before < 2 else (before + after) // 2
