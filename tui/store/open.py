"""Choosing the index of a fact tree and opening it, built or brought up to date first.

The TOML files stay the only source of truth: the index lives in ``$POVTUI_INDEX_DIR`` (a
team's shared folder) or the user's cache, keyed by the fact tree's path. A file that is not
an index of ours, or a damaged one, is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

from tui.paths import cache_dir
from tui.store.build import Progress, full_build
from tui.store.freshness import current_tree, files_current, tree_key
from tui.store.schema import connect
from tui.store.update import update

__all__ = ["choose_index", "index_path", "open_index"]


def index_path(facts_dir: Path, folder: Path | None = None) -> Path:
    """Where the index of ``facts_dir`` lives: ``$POVTUI_INDEX_DIR`` or the user's cache."""
    if folder is None:
        shared = os.environ.get("POVTUI_INDEX_DIR")
        folder = Path(shared) if shared else cache_dir()
    key = hashlib.sha256(str(facts_dir.resolve()).encode()).hexdigest()[:16]
    return folder / f"index-{key}.sqlite"


def choose_index(facts_dir: Path) -> Path:
    """The index to use: the shared one when it is current or can be written, else the user's own."""
    shared = index_path(facts_dir)
    own = index_path(facts_dir, cache_dir())
    if shared == own:
        return shared
    with contextlib.suppress(OSError):
        shared.parent.mkdir(parents=True, exist_ok=True)
    if os.access(shared.parent, os.W_OK):
        return shared
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = connect(shared, readonly=True)
        try:
            current = current_tree(conn) == tree_key(facts_dir) and files_current(conn, facts_dir)
        finally:
            conn.close()
        if current:
            return shared
    return own


def open_index(
    facts_dir: Path, *, rebuild: bool = False, progress: Progress | None = None, check_files: bool = True
) -> sqlite3.Connection:
    """A connection to the index of ``facts_dir``, brought up to date first.

    Builds it when absent, stale, damaged or when ``rebuild`` is set; otherwise re-indexes only
    the county files that changed.

    Args:
        facts_dir: the fact tree's ``facts/`` folder.
        rebuild: build the index anew whatever it holds.
        progress: told of each county file compiled.
        check_files: look at every county file for changes; False trusts an existing index
            (the app looks after its first screen, with :func:`tui.store.status.refresh`).

    Raises:
        OSError: the cache folder cannot be written and no current index exists (the caller
            then loads the files directly).
    """
    path = choose_index(facts_dir)
    key = tree_key(facts_dir)
    for _ in range(3):
        if rebuild or not path.exists():
            full_build(facts_dir, path, key, progress)
            rebuild = False
        try:
            writable = os.access(path, os.W_OK)
            conn = connect(path, readonly=not writable)
            if current_tree(conn) != key:
                conn.close()
                rebuild = True
                continue
            if not check_files:
                return conn
            if writable and not update(conn, facts_dir, progress):
                conn.close()
                rebuild = True
                continue
            if not writable and not files_current(conn, facts_dir):
                conn.close()  # someone else's index in a folder we may write: build a new one
                rebuild = True
                continue
            return conn
        except sqlite3.DatabaseError:  # not a database, or damaged: build it again
            rebuild = True
    raise OSError(f"could not build a usable index at {path}")
