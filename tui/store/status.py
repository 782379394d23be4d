"""What the index of a fact tree holds and whether it is current (``povtui index --status``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui.store.freshness import county_files, current_tree, tree_key
from tui.store.open import choose_index, open_index
from tui.store.schema import connect

__all__ = ["IndexStatus", "refresh", "status"]


@dataclass(frozen=True)
class IndexStatus:
    path: Path
    exists: bool
    current: bool
    files: int = 0
    facts: int = 0
    size: int = 0
    built: float = 0.0
    stale: tuple[str, ...] = ()
    """County files changed, added or removed since the index was built (or why it is stale)."""


def status(facts_dir: Path) -> IndexStatus:
    """What the index of ``facts_dir`` holds and whether it is up to date; changes nothing."""
    path = choose_index(facts_dir)
    if not path.exists():
        return IndexStatus(path, False, False)
    try:
        conn = connect(path, readonly=True)
        tree = current_tree(conn)
        if tree is None:
            return IndexStatus(path, True, False, stale=("not an index of this povtui version, or damaged",))
        known = {name: (size, mtime) for name, size, mtime in conn.execute("SELECT name, size, mtime FROM files")}
        facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        built = float(conn.execute("SELECT value FROM meta WHERE key = 'built'").fetchone()[0])
        conn.close()
    except sqlite3.DatabaseError as error:
        return IndexStatus(path, True, False, stale=(f"unreadable: {error}",))
    files = county_files(facts_dir)
    stale = [f"changed: {n}" for n in files if n in known and known[n] != files[n]]
    stale += [f"added: {n}" for n in files if n not in known]
    stale += [f"removed: {n}" for n in known if n not in files]
    if tree != tree_key(facts_dir):
        stale.insert(0, "metrics.toml, seeds/ or povtui changed")
    return IndexStatus(path, True, not stale, len(known), facts, path.stat().st_size, built, tuple(stale))


def refresh(facts_dir: Path) -> int:
    """Bring the index up to date: how many county files were re-indexed (0: it was current)."""
    before = status(facts_dir)
    if before.current:
        return 0
    open_index(facts_dir).close()
    return max(len(before.stale), 1)
