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
from tui.store.freshness import county_files
from tui.store.schema import RANK_SPAN
from tui.store.write import delete, insert, resolve_conflicts

__all__ = ["update"]


def update(conn: sqlite3.Connection, facts_dir: Path, progress: Progress | None) -> bool:
    """Re-index the county files that changed, were added or removed, in one transaction.

    Returns False when a full build is needed instead (a new file has no free rank)."""
    conn.execute("BEGIN IMMEDIATE")  # waits for any other writer; then look again: it may have done the work
    try:
        files = county_files(facts_dir)
        known = {
            name: (file_id, size, mtime, rank, state)
            for file_id, name, size, mtime, rank, state in conn.execute("SELECT * FROM files")
        }
        changed = [n for n in files if n not in known or known[n][1:3] != files[n]]
        removed = [n for n in known if n not in files]
        if not changed and not removed:
            conn.execute("ROLLBACK")
            return True
        # a file that lost a clash may win now that another changed: look at it again
        changed += [n for n, row in known.items() if row[4] == "conflict" and n in files and n not in changed]
        _, metrics, _, theme_ranks = compiling.load_model(facts_dir)
        ranks = {name: row[3] for name, row in known.items() if name in files}
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
            size, mtime = files[name]
            file_id = conn.execute(
                "INSERT INTO files(name, size, mtime, rank, state) VALUES (?, ?, ?, ?, 'ok')",
                (name, size, mtime, ranks[name]),
            ).lastrowid
            assert file_id is not None
            insert(conn, file_id, compiled)
            new_ids.append(file_id)
            touched.update(f[3] for f in compiled.facts)
            if progress is not None:
                progress(done, len(changed))
        resolve_conflicts(conn, new_ids, touched)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'built'", (str(time.time()),))
        conn.execute("COMMIT")
        return True
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def _free_rank(name: str, ranks: dict[str, int]) -> int | None:
    """A rank between the files sorted before and after ``name``, or None when there is no room."""
    before = max((r for n, r in ranks.items() if n < name), default=0)
    after = min((r for n, r in ranks.items() if n > name), default=RANK_SPAN)
    return None if after - before < 2 else (before + after) // 2
