"""What an index depends on, and whether it is still current.

The index records each county file's name, size and modification time, and a key for
``metrics.toml``, ``seeds/``, the code that compiles the files, and the tree's path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

from tui.store.schema import FORMAT

__all__ = ["code_key", "county_files", "current_tree", "files_current", "tree_key"]

_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = (
    "store/schema.py",
    "store/codec.py",
    "store/compiling.py",
    "store/write.py",
    "factfiles/loader.py",
    "factfiles/ids.py",
    "factfiles/rules.py",
    "factfiles/tomlfile.py",
    "domain/model.py",
    "domain/units.py",
    "search/pinyin.py",
    "search/tokens.py",
)
"""The modules whose code decides what the index holds (relative to the ``tui`` package)."""


def code_key() -> str:
    """The format, and when each module of :data:`_CODE` last changed."""
    stamps = []
    for name in _CODE:
        with contextlib.suppress(OSError):
            stamps.append(f"{name}:{(_PACKAGE / name).stat().st_mtime_ns}")
    return f"{FORMAT}|" + "|".join(stamps)


def tree_key(facts_dir: Path) -> str:
    """Everything but the county files: metrics.toml, the seeds folder, the code, the path.

    Of ``seeds/`` only the folder's own modification time counts: the loader asks only
    whether a source's file is there, which adding, removing or renaming one changes.
    """
    digest = hashlib.sha256(f"{code_key()}\x00{facts_dir.resolve()}\x00".encode())
    for path in (facts_dir / "metrics.toml", facts_dir.parent / "seeds"):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.name}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x00".encode())
    return digest.hexdigest()


def county_files(facts_dir: Path) -> dict[str, tuple[int, int]]:
    """Each county file's name -> (size, mtime), in name order."""
    found = {}
    with contextlib.suppress(OSError):
        with os.scandir(facts_dir) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".toml") and e.name != "metrics.toml")
        folder = os.path.join(facts_dir, "")
        for name in names:
            try:
                stat = os.stat(folder + name)
            except OSError:
                found[name] = (-1, -1)  # the loader will say what is wrong with it
                continue
            found[name] = (stat.st_size, stat.st_mtime_ns)
    return found


def current_tree(conn: sqlite3.Connection) -> str | None:
    """The tree key an index was built for, or None when it is not an index of this format."""
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'tree')").fetchall())
    except sqlite3.DatabaseError:
        return None
    if rows.get("format") != str(FORMAT):
        return None
    tree: str | None = rows.get("tree")
    return tree


def files_current(conn: sqlite3.Connection, facts_dir: Path) -> bool:
    """Whether the index holds every county file as it is now."""
    known = {name: (size, mtime) for name, size, mtime in conn.execute("SELECT name, size, mtime FROM files")}
    return known == county_files(facts_dir)
