"""A cache of the loaded fact tree and its search index, in the user's cache directory.

The TOML files stay the only source of truth. Parsing and checking them costs ~0.1 s and
building the search index ~0.3 s (pypinyin); both are kept, pickled, under
``$XDG_CACHE_HOME/povtui/``, keyed by the fact tree's path and by the name, size and
modification time of every file in it. Any change to a file, a file added or removed, a
different povtui version, or a damaged cache file means a fresh load, never a wrong answer.
Writes go to a temporary file renamed into place, so a reader never sees half a file and two
processes writing at once both leave a valid one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .loader import load
from .model import FactBase, Problem
from .paths import cache_dir

__all__ = ["cache_dir", "load_cached", "search_index_cached"]

FORMAT = 1
"""Bumped whenever the pickled classes change shape."""


def _fingerprint(facts_dir: Path) -> str:
    """What the cached data depends on: every file of facts/ and seeds/, and this code."""
    digest = hashlib.sha256(f"{FORMAT}\x00{Path(__file__).stat().st_mtime_ns}\x00{facts_dir.resolve()}".encode())
    for folder in (facts_dir, facts_dir.parent / "seeds"):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            try:
                stat = entry.stat()
            except OSError:
                continue
            digest.update(f"{folder.name}/{entry.name}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x00".encode())
    return digest.hexdigest()


def _path(kind: str, facts_dir: Path) -> Path:
    name = hashlib.sha256(str(facts_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"{kind}-{name}.pickle"


def _read(path: Path, fingerprint: str) -> Any:
    try:
        with path.open("rb") as handle:
            stored, value = pickle.load(handle)  # noqa: S301 - our own file, in the user's own cache
    except Exception:  # absent, damaged, or written by another version: load afresh
        return None
    return value if stored == fingerprint else None


def _write(path: Path, fingerprint: str, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            pickle.dump((fingerprint, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # a read-only or full disk must not stop anyone reading figures
        try:
            os.unlink(temporary)  # type: ignore[possibly-undefined]
        except Exception:
            pass


def load_cached(facts_dir: Path) -> tuple[FactBase, list[Problem], str]:
    """The fact tree as :func:`tui.loader.load` gives it, from the cache when nothing changed;
    also the fingerprint, for :func:`search_index_cached`."""
    try:
        fingerprint = _fingerprint(facts_dir)
        path = _path("base", facts_dir)
    except (OSError, ValueError):  # a path that cannot be a folder: the loader says why
        base, problems = load(facts_dir)
        return base, problems, ""
    cached = _read(path, fingerprint)
    if cached is not None:
        base, problems = cached
        return base, problems, fingerprint
    base, problems = load(facts_dir)
    if not problems:  # problems name files relative to the working folder: never replay them elsewhere
        _write(path, fingerprint, (base, problems))
    return base, problems, fingerprint


def search_index_cached(base: FactBase, facts_dir: Path, fingerprint: str | None = None):  # type: ignore[no-untyped-def]
    """The search index of ``base``, from the cache when the fact tree has not changed."""
    from .search import SearchIndex

    try:
        fingerprint = fingerprint or _fingerprint(facts_dir)
        path = _path("search", facts_dir)
    except (OSError, ValueError):
        return SearchIndex(base)
    index = _read(path, fingerprint)
    if isinstance(index, SearchIndex):
        index.base = base  # one fact base in memory, shared with the caller
        return index
    index = SearchIndex(base)
    index.base = None  # type: ignore[assignment]  # the fact base is cached on its own
    _write(path, fingerprint, index)
    index.base = base
    return index
