"""What an index depends on, and whether it is still current: by content, never by time alone.

Each county file is recorded with a :class:`Stamp`: its size, modification and change times,
inode, a digest of its bytes and when it was looked at. A file whose stat is unchanged is
taken as unchanged only when its stamp is not *racy* (git's rule): its times are older than
the moment it was read by more than the file system's timestamp granularity, so that an edit
made after the read must have changed a time. A racy or changed stat is settled by the
digest, so a same-size edit whose mtime was put back, or made within the same second on a
file system with one-second times, is seen; a file only touched is not re-indexed.

``metrics.toml`` is small and read whole at each open: its digest is part of the tree key.
Of the source files a county file names (``seeds/…``) the index holds only what the loader
made of each (usable, missing, a directory, over the size limit …): that verdict is kept
per county file and compared with the file as it is now.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from tui.store.schema import FORMAT

__all__ = [
    "GRANULARITY_NS",
    "REJECTED",
    "Snapshot",
    "Stamp",
    "changed",
    "code_key",
    "county_files",
    "current_stamps",
    "current_tree",
    "dep_verdict",
    "digest_of",
    "files_current",
    "known_deps",
    "known_stamps",
    "stale_names",
    "take_stamp",
    "tree_key",
]

GRANULARITY_NS = 2_000_000_000
"""The coarsest timestamp granularity allowed for (FAT's two seconds; ext4 with small inodes,
many network and FUSE file systems have one)."""

REJECTED = "\x00rejected"
"""The verdict recorded for a source file the loader refused but that looked usable a moment
later: it never equals a real verdict, so the county file is read again at the next open."""

_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = ("domain", "factfiles", "search", "store")
"""The packages whose code decides what the index holds (relative to the ``tui`` package)."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file as it was read: its stat, a digest of its bytes, and when it was looked at."""

    size: int
    mtime: int
    ctime: int
    inode: int
    seen: int
    """``time.time_ns()`` just before the stat."""
    digest: str
    """blake2b of the bytes read after the stat ("" when the file could not be read)."""

    def same_stat(self, other: Stamp) -> bool:
        return (self.size, self.mtime, self.ctime, self.inode) == (other.size, other.mtime, other.ctime, other.inode)

    @property
    def racy(self) -> bool:
        """Whether an edit made after the read could have left the stat as it was."""
        return max(self.mtime, self.ctime) + GRANULARITY_NS >= self.seen


MISSING = Stamp(-1, -1, -1, -1, 0, "")
"""A county file that could not be stat'ed (the loader says what is wrong with it)."""


def digest_of(path: str) -> str:
    """A digest of the file's bytes, or "" when it cannot be read.

    Only a regular file of at most :data:`MAX_BYTES` is read (opened without blocking, so that
    a FIFO put in its place cannot hang us); of anything else, which the loader refuses from its
    stat alone, the digest is that of its type and size."""
    from tui.factfiles.tomlfile import MAX_BYTES

    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return ""
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return f"stat:{stat.S_IFMT(info.st_mode)}:{info.st_size}"
        digest = hashlib.blake2b(digest_size=16)
        while chunk := os.read(handle, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return ""
    finally:
        os.close(handle)


def _stat(path: str) -> tuple[int, os.stat_result | None]:
    seen = time.time_ns()
    try:
        return seen, os.stat(path)
    except (OSError, ValueError):
        return seen, None


def _stamp(seen: int, info: os.stat_result | None, digest: str) -> Stamp:
    if info is None:
        return MISSING
    return Stamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, seen, digest)


def take_stamp(path: str) -> Stamp:
    """The file's stamp now: stat first, then the digest of what is read after it."""
    seen, info = _stat(path)
    return _stamp(seen, info, digest_of(path) if info is not None else "")


@lru_cache(maxsize=1)
def code_key() -> str:
    """The format and a digest of the code that decides what the index holds.

    Part of the index's file name: two installations of different code never read, nor
    replace, each other's index."""
    digest = hashlib.blake2b(f"{FORMAT}".encode(), digest_size=8)
    for package in _CODE:
        for path in sorted((_PACKAGE / package).glob("*.py")):
            try:
                digest.update(f"{package}/{path.name}\x00".encode() + path.read_bytes())
            except OSError:
                digest.update(f"{package}/{path.name}\x00?".encode())
    return f"{FORMAT}-{digest.hexdigest()}"


def tree_key(facts_dir: Path) -> str:
    """The code, the tree's path and the content of ``metrics.toml``: what every file depends on."""
    metrics = digest_of(str(facts_dir / "metrics.toml"))
    return hashlib.sha256(f"{code_key()}\x00{facts_dir.resolve()}\x00{metrics}".encode()).hexdigest()


def county_files(facts_dir: Path) -> list[str]:
    """The county files' names, in name order."""
    try:
        with os.scandir(facts_dir) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".toml") and e.name != "metrics.toml")
    except OSError:
        return []


def current_stamps(facts_dir: Path, known: dict[str, Stamp] | None = None) -> dict[str, Stamp]:
    """Each county file's stamp now. A known stamp whose stat is unchanged and not racy is
    kept as it is (no read); every other file is read and digested."""
    known = known or {}
    folder = os.path.join(facts_dir, "")
    found: dict[str, Stamp] = {}
    for name in county_files(facts_dir):
        seen, info = _stat(folder + name)
        if info is None:
            found[name] = MISSING
            continue
        now = _stamp(seen, info, "")
        before = known.get(name)
        if before is not None and before.digest and before.same_stat(now) and not before.racy:
            found[name] = before
        else:
            found[name] = replace(now, digest=digest_of(folder + name))
    return found


def known_stamps(conn: sqlite3.Connection) -> dict[str, Stamp]:
    """The stamps an index recorded, by county file name."""
    return {
        name: Stamp(size, mtime, ctime, inode, seen, digest)
        for name, size, mtime, ctime, inode, seen, digest in conn.execute(
            "SELECT name, size, mtime, ctime, inode, seen, digest FROM files"
        )
    }


def known_deps(conn: sqlite3.Connection) -> dict[str, dict[str, str | None]]:
    """The source files each county file names, with the loader's verdict on each."""
    deps: dict[str, dict[str, str | None]] = {}
    for name, path, verdict in conn.execute(
        "SELECT f.name, d.path, d.verdict FROM deps d JOIN files f ON f.id = d.file"
    ):
        deps.setdefault(name, {})[path] = verdict
    return deps


def dep_verdict(root: Path, path: str) -> str | None:
    """What the loader would make of a source file now (None: usable)."""
    from tui.factfiles.tomlfile import unreadable

    return unreadable(root / path, "a text file")


_REFUSED = re.compile(r"source file ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") ")


def refused_sources(messages: Iterable[tuple[str, str]]) -> list[str]:
    """The source files the loader refused, from its (message, key) problems."""
    names = []
    for message, key in messages:
        found = _REFUSED.match(message) if key == "file" else None
        if found is not None:
            try:
                names.append(str(ast.literal_eval(found.group(1))))
            except (ValueError, SyntaxError):  # pragma: no cover - the loader writes repr()
                continue
    return names


def _deps_changed(root: Path, deps: dict[str, dict[str, str | None]], cache: dict[str, str | None]) -> set[str]:
    """County files one of whose source files the loader would now judge otherwise."""
    stale = set()
    for name, paths in deps.items():
        for path, verdict in paths.items():
            if path not in cache:
                cache[path] = dep_verdict(root, path)
            if cache[path] != verdict:
                stale.add(name)
                break
    return stale


def _differs(before: Stamp, now: Stamp) -> bool:
    if now.digest or before.digest:
        return now.digest != before.digest
    return not now.same_stat(before)  # unreadable both times: changed only if its stat did


def stale_names(
    known: dict[str, Stamp], deps: dict[str, dict[str, str | None]], now: dict[str, Stamp], root: Path
) -> tuple[list[str], list[str], list[str]]:
    """(changed or added, removed, only re-stamped) county files, from the stamps an index holds
    and those of :func:`current_stamps`."""
    changed = [n for n in now if n not in known or _differs(known[n], now[n])]
    changed += sorted(n for n in _deps_changed(root, deps, {}) if n in now and n not in changed)
    removed = [n for n in known if n not in now]
    restamped = [n for n in now if n in known and n not in changed and now[n] != known[n]]
    return changed, removed, restamped


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
    """Whether the index holds every county file as it is now (by content)."""
    known = known_stamps(conn)
    changed, removed, _ = stale_names(known, known_deps(conn), current_stamps(facts_dir, known), facts_dir.parent)
    return not changed and not removed


@dataclass
class Snapshot:
    """What a fact base was read from: for asking, later and cheaply, whether the files changed."""

    facts_dir: Path
    tree: str
    files: dict[str, Stamp]
    deps: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def of_index(cls, conn: sqlite3.Connection, facts_dir: Path) -> Snapshot:
        return cls(facts_dir, current_tree(conn) or "", known_stamps(conn), known_deps(conn))

    @classmethod
    def of_files(cls, facts_dir: Path, sources: Iterable[str] = ()) -> Snapshot:
        """Taken before loading the files directly (no index): the files as they are now."""
        tree = tree_key(facts_dir)
        files = current_stamps(facts_dir)
        deps = {"": {path: dep_verdict(facts_dir.parent, path) for path in sources}}
        return cls(facts_dir, tree, files, deps)


def changed(snapshot: Snapshot) -> tuple[str, ...]:
    """What changed since ``snapshot`` was taken: ``metrics.toml``, county files changed, added
    or removed, and county files one of whose source files changed; empty when nothing did.

    Cheap enough to call when idle: a stat of each county file and source file, and a read of
    ``metrics.toml``; a county file is read only when its stat changed or is racy. Stamps it
    proved unchanged by content are kept, so the next call reads nothing."""
    facts_dir = snapshot.facts_dir
    found: list[str] = []
    if tree_key(facts_dir) != snapshot.tree:
        found.append("metrics.toml")
    now = current_stamps(facts_dir, snapshot.files)
    stale, removed, restamped = stale_names(snapshot.files, {}, now, facts_dir.parent)
    for name in restamped:
        snapshot.files[name] = now[name]
    found += stale + removed
    for name in sorted(_deps_changed(facts_dir.parent, snapshot.deps, {})):
        label = name or "a source file"
        if label not in found:
            found.append(label)
    return tuple(found)
