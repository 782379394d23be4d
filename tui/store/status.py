"""What the index of a fact tree holds and whether it is current (``povtui index --status``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui.store.freshness import current_stamps, current_tree, known_deps, known_stamps, stale_names, tree_key
from tui.store.open import CannotKeep, choose_index, fallback_reason, index_path, open_index, private_temp
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
    fallback: str | None = None
    """Why the index is kept in a private temporary folder rather than the cache (None: it is not)."""


def _where(facts_dir: Path) -> tuple[Path, str | None]:
    fallback = fallback_reason(facts_dir)
    if fallback is None:
        return choose_index(facts_dir), None
    try:
        return index_path(facts_dir, private_temp(make=False)), fallback
    except CannotKeep as error:
        return choose_index(facts_dir), f"{fallback}; {error}"


def status(facts_dir: Path, *, check: bool = True) -> IndexStatus:
    """What the index of ``facts_dir`` holds and whether it is up to date; changes nothing.

    ``check`` runs ``PRAGMA quick_check`` over the whole index: a damaged one is not current."""
    path, fallback = _where(facts_dir)
    if not path.exists():
        return IndexStatus(path, False, False, fallback=fallback)
    try:
        conn = connect(path, readonly=True)
        try:
            tree = current_tree(conn)
            if tree is None:
                why = "not an index of this povtui version, or damaged"
                return IndexStatus(path, True, False, stale=(why,), fallback=fallback)
            if check:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
                if problems != ["ok"]:
                    damage = tuple(f"damaged: {p}" for p in problems)
                    return IndexStatus(path, True, False, stale=damage, fallback=fallback)
            known = known_stamps(conn)
            deps = known_deps(conn)
            facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
            built = float(conn.execute("SELECT value FROM meta WHERE key = 'built'").fetchone()[0])
        finally:
            conn.close()
    except (sqlite3.DatabaseError, TypeError, ValueError) as error:
        return IndexStatus(path, True, False, stale=(f"unreadable: {error}",), fallback=fallback)
    changed, removed, _ = stale_names(known, deps, current_stamps(facts_dir, known), facts_dir.parent)
    stale = [f"changed: {n}" for n in changed if n in known]
    stale += [f"added: {n}" for n in changed if n not in known]
    stale += [f"removed: {n}" for n in removed]
    if tree != tree_key(facts_dir):
        stale.insert(0, "metrics.toml changed")
    size = path.stat().st_size
    return IndexStatus(path, True, not stale, len(known), facts, size, built, tuple(stale), fallback)


def refresh(facts_dir: Path) -> int:
    """Bring the index up to date: how many county files were re-indexed (0: it was current)."""
    before = status(facts_dir, check=False)
    if before.current:
        return 0
    open_index(facts_dir).close()
    return max(len(before.stale), 1)
