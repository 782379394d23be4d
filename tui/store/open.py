"""Choosing the index of a fact tree and opening it, built or brought up to date first.

The TOML files stay the only source of truth: the index lives in ``$POVTUI_INDEX_DIR`` (a
team's shared folder) or the user's cache, under a name made of the fact tree's path and the
code's key (two installations never read nor replace each other's index). A file that is not
an index of ours, or a damaged one, is rebuilt, with one line saying so.

A shared folder is used only when it, and the index in it, belong to the user, to root or to
the owner of the fact tree, and no one else may write them (as ssh's StrictModes): an index
anyone could have planted is never read. When no index can be kept in the cache (a read-only
or full disk), it is kept once in a private folder under ``$TMPDIR`` instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.paths import cache_dir
from tui.store.freshness import code_key, current_tree, files_current, tree_key
from tui.store.guard import IndexDamaged
from tui.store.schema import connect

if TYPE_CHECKING:  # building and updating bring the compiler (pinyin, filters): imported when they run
    from tui.store.build import Progress

__all__ = [
    "QUICK_CHECK_UP_TO",
    "CannotKeep",
    "Notice",
    "choose_index",
    "fallback_reason",
    "index_path",
    "open_index",
    "private_temp",
    "refusal",
]

Notice = Callable[[str], None]
"""Told one line for the user (an index rebuilt because it was damaged, a folder refused …)."""

QUICK_CHECK_UP_TO = 16 << 20
"""Indexes up to this size are checked (``PRAGMA quick_check``, ~4 ms a MB) at every open;
damage in a larger one is found when it is read (see :mod:`tui.store.guard`)."""

ROOM_PER_BYTE = 5
"""Bytes of free space a full build needs per byte of county files (the index is ~4x them)."""


class CannotKeep(OSError):
    """No index can be kept in a folder (read-only, full, not ours): the reason."""


def _tell(notice: Notice | None, line: str) -> None:
    if notice is not None:
        notice(line)


def index_path(facts_dir: Path, folder: Path | None = None) -> Path:
    """Where the index of ``facts_dir`` lives: ``$POVTUI_INDEX_DIR`` or the user's cache."""
    if folder is None:
        shared = os.environ.get("POVTUI_INDEX_DIR")
        folder = Path(shared) if shared else cache_dir()
    key = hashlib.sha256(str(facts_dir.resolve()).encode()).hexdigest()[:16]
    return folder / f"index-{key}-{code_key()}.sqlite"


def _owners(facts_dir: Path) -> set[int]:
    owners = {os.getuid(), 0}
    with contextlib.suppress(OSError):
        owners.add(os.stat(facts_dir).st_uid)
    return owners


def _untrusted(path: Path, owners: set[int], *, folder: bool) -> str | None:
    try:
        info = os.stat(path) if folder else os.lstat(path)
    except FileNotFoundError:
        return None  # nothing there to distrust: it is made by us
    except OSError as error:
        return f"{path} cannot be looked at ({error.strerror or error})"
    if folder and not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if not folder and not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file"
    if info.st_uid not in owners:
        return f"{path} belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"{path} can be written by other users"
    return None


def refusal(path: Path, facts_dir: Path) -> str | None:
    """Why the index at ``path`` (in a shared folder) must not be trusted, or None.

    The folder, the index and its journal must belong to the user, root or the fact tree's
    owner, and be writable by no one else."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: no owners to compare
        return None
    owners = _owners(facts_dir)
    for candidate, folder in ((path.parent, True), (path, False), (Path(f"{path}-journal"), False)):
        why = _untrusted(candidate, owners, folder=folder)
        if why is not None:
            return why
    return None


def private_temp(*, make: bool = True) -> Path:
    """``$TMPDIR/povtui-<uid>``, made private (0700) unless ``make`` is False, and checked to be ours."""
    folder = Path(tempfile.gettempdir()) / f"povtui-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    try:
        if make:
            folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as error:
        raise CannotKeep(f"{folder} cannot be made ({error.strerror or error})") from error
    if hasattr(os, "getuid") and (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077):
        raise CannotKeep(f"{folder} is not a private folder of this user")
    return folder


def _current(path: Path, facts_dir: Path) -> bool:
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = connect(path, readonly=True)
        try:
            return current_tree(conn) == tree_key(facts_dir) and files_current(conn, facts_dir)
        finally:
            conn.close()
    return False


def choose_index(facts_dir: Path, notice: Notice | None = None) -> Path:
    """The index to use: the shared one when it is trusted and current or can be written, else
    the user's own."""
    own = index_path(facts_dir, cache_dir())
    if not os.environ.get("POVTUI_INDEX_DIR"):
        return own
    shared = index_path(facts_dir)
    if shared == own:
        return own
    why = refusal(shared, facts_dir)
    if why is not None:
        _tell(notice, f"not using the shared index: {why}; using {own.parent}")
        return own
    with contextlib.suppress(OSError):
        shared.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    if os.access(shared.parent, os.W_OK) or _current(shared, facts_dir):
        return shared
    return own


def _cannot_build(folder: Path, facts_dir: Path) -> str | None:
    """Why no index can be built in ``folder``, or None."""
    try:
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    except OSError as error:
        return f"{folder} cannot be made ({error.strerror or error})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is read-only"
    needed = 1 << 20
    with contextlib.suppress(OSError), os.scandir(facts_dir) as entries:
        needed += ROOM_PER_BYTE * sum(e.stat().st_size for e in entries if e.name.endswith(".toml"))
    try:
        free = shutil.disk_usage(folder).free
    except OSError as error:
        return f"{folder} cannot be looked at ({error.strerror or error})"
    if free < needed:
        return f"{folder} has {free / 1e6:.0f} MB free, and the index needs about {needed / 1e6:.0f} MB"
    return None


def _built_since(path: Path, asked: float, key: str) -> bool:
    """Whether another process finished building a current index at ``path`` after ``asked``."""
    with contextlib.suppress(sqlite3.Error, OSError, TypeError, ValueError):
        conn = connect(path, readonly=True)
        try:
            built = conn.execute("SELECT value FROM meta WHERE key = 'built'").fetchone()
            return current_tree(conn) == key and float(built[0]) >= asked
        finally:
            conn.close()
    return False


def full_build(facts_dir: Path, target: Path, tree_key: str, progress: Progress | None) -> None:
    """:func:`tui.store.build.full_build`, imported only when an index is built."""
    from tui.store.build import full_build as build

    build(facts_dir, target, tree_key, progress)


def _build(path: Path, facts_dir: Path, key: str, progress: Progress | None, notice: Notice | None) -> None:
    from tui.store.build import build_lock

    why = _cannot_build(path.parent, facts_dir)
    if why is not None:
        raise CannotKeep(why)
    asked = time.time()
    try:
        with build_lock(path, lambda: _tell(notice, "waiting for another povtui that is building the index…")):
            if not _built_since(path, asked, key):  # else another process just built it: use that
                full_build(facts_dir, path, key, progress)
    except (OSError, sqlite3.OperationalError) as error:
        raise CannotKeep(f"{path.parent}: {error}") from error


def _kept(error: sqlite3.Error) -> bool:
    """Whether an error says the folder cannot hold the index (rather than that it is damaged)."""
    text = str(error).lower()
    return any(s in text for s in ("disk is full", "readonly", "read-only", "unable to open", "disk i/o"))


def _attempt(
    path: Path,
    facts_dir: Path,
    key: str,
    rebuild: bool,
    progress: Progress | None,
    check_files: bool,
    notice: Notice | None,
) -> sqlite3.Connection:
    """The index at ``path``, built or brought up to date first; CannotKeep when it cannot be."""
    for _ in range(3):
        if rebuild or not path.exists():
            _build(path, facts_dir, key, progress, notice)
            rebuild = False
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        try:
            conn = connect(path, readonly=not writable)
        except sqlite3.Error as error:
            raise CannotKeep(f"{path}: {error}") from error
        try:
            if current_tree(conn) != key:
                conn.close()
                rebuild = True
                continue
            if path.stat().st_size <= QUICK_CHECK_UP_TO:
                verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                if verdict != "ok":
                    raise sqlite3.DatabaseError(verdict)
            if not check_files:
                return conn
            from tui.store.update import update

            current = update(conn, facts_dir, progress) if writable else files_current(conn, facts_dir)
            if not current:
                conn.close()
                rebuild = True  # or, someone else's stale index in a folder we may write: a new one
                continue
            if writable:  # in use: another version's build leaves it alone (see build.UNUSED_AFTER)
                with contextlib.suppress(OSError):
                    os.utime(path)
            return conn
        except sqlite3.DatabaseError as error:
            conn.close()
            if isinstance(error, sqlite3.OperationalError) and _kept(error):
                raise CannotKeep(f"{path.parent}: {error}") from error
            cause = error.__cause__ if isinstance(error, IndexDamaged) else error
            _tell(notice, f"the index was damaged ({cause}): building it again")
            rebuild = True
    raise CannotKeep(f"could not build a usable index at {path}")


def fallback_reason(facts_dir: Path) -> str | None:
    """Why the index of ``facts_dir`` is not kept in the cache (or the shared folder) but in
    :func:`private_temp`, or None when it is not."""
    chosen = choose_index(facts_dir)
    if chosen.exists():
        return None
    why = _cannot_build(chosen.parent, facts_dir)
    if why is None and _temporary_index(facts_dir) is not None:
        why = f"a build in {chosen.parent} failed"
    return why


def _temporary_index(facts_dir: Path) -> Path | None:
    """The index of ``facts_dir`` in :func:`private_temp`, when one was built there."""
    try:
        path = index_path(facts_dir, private_temp(make=False))
    except CannotKeep:
        return None
    return path if path.exists() else None


def open_index(
    facts_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    check_files: bool = True,
    notice: Notice | None = None,
) -> sqlite3.Connection:
    """A connection to the index of ``facts_dir``, brought up to date first.

    Builds it when absent, stale, damaged or when ``rebuild`` is set; otherwise re-indexes only
    the county files that changed. Concurrent builds of one index wait for one another.

    Args:
        facts_dir: the fact tree's ``facts/`` folder.
        rebuild: build the index anew whatever it holds.
        progress: told of each county file compiled.
        check_files: look at every county file for changes; False trusts an existing index
            (the app looks after its first screen, with :func:`tui.store.status.refresh`).
        notice: told one line for the user when something is not as it should be.

    Raises:
        CannotKeep: no index can be kept anywhere (the caller then loads the files directly).
    """
    key = tree_key(facts_dir)
    chosen = choose_index(facts_dir, notice)
    own = index_path(facts_dir, cache_dir())
    places = [chosen] if chosen == own else [chosen, own]
    earlier = None if chosen.exists() else _temporary_index(facts_dir)
    if earlier is not None:  # the cache could not hold it before: not another doomed build there
        places.insert(0, earlier)
    why: CannotKeep | None = None
    for place in places:
        try:
            return _attempt(place, facts_dir, key, rebuild, progress, check_files, notice)
        except CannotKeep as error:
            why = error
    temporary = index_path(facts_dir, private_temp())
    if not temporary.exists():
        _tell(notice, f"the index cannot be kept in the cache ({why}): it is kept in {temporary.parent} instead")
    return _attempt(temporary, facts_dir, key, rebuild, progress, check_files, notice)
