"""A full build of the index: every county file compiled into a new database, renamed into place.

Readers see the old index or the new one, never half of one. A build cut off (Ctrl-C, a
dropped SSH connection, a terminate signal) removes its file; one whose process was killed
outright is removed by a later build once it is clearly abandoned.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.store.codec import relative
from tui.store.compiling import FactRow, compile_all, load_model, model_json
from tui.store.freshness import current_stamps
from tui.store.schema import FORMAT, INDEXES, RANK_SPAN, SCHEMA, connect
from tui.store.write import FACT_BATCH, insert, insert_facts, insert_file, resolve_conflicts

__all__ = ["ABANDONED_AFTER", "UNUSED_AFTER", "Progress", "build_lock", "full_build"]

ABANDONED_AFTER = 600.0
"""Seconds since another process last wrote its unfinished build file, after which that file
is taken as abandoned (a build writes to it all the time) and removed."""

UNUSED_AFTER = 30 * 86400.0
"""Seconds after which an index of another code version, opened by no one since, is removed."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) while an index is built."""


def _sweep(target: Path) -> None:
    """Remove the unfinished builds of ``target`` that their processes abandoned: a process
    killed mid-way (``kill -9``, a crash) leaves its build file behind, up to 450 MB."""
    now = time.time()
    for path in target.parent.glob(f".{target.stem}-*.build"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > ABANDONED_AFTER:
                path.unlink()
    # this tree's indexes of other code versions (and of the names before code keys) that no
    # installation has opened for UNUSED_AFTER: an open of a writable index touches it
    tree = target.name.split("-")[1]
    for path in target.parent.glob(f"index-{tree}*.sqlite"):
        with contextlib.suppress(OSError):
            if path != target and now - path.stat().st_mtime > UNUSED_AFTER:
                path.unlink()
                Path(f"{path}.lock").unlink(missing_ok=True)


@contextlib.contextmanager
def _hang_up_stops() -> Iterator[None]:
    """A hang-up (the SSH connection dropped) or a terminate signal during a build ends it
    like Ctrl-C does, so that its file is removed; by default they end the process at once."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
    before = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def build_lock(target: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Held while ``target`` is built: concurrent first builds wait for one another (and then
    find the index built). ``waiting`` is called once when another process holds the lock.

    The lock is an ``flock`` on ``<target>.lock``: the kernel drops it when its process ends,
    however it ends, so a killed build never leaves the others waiting."""
    import fcntl

    lock = target.with_name(target.name + ".lock")
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:  # another user's lock in a shared folder: taking it needs no write
        handle = os.open(lock, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def full_build(facts_dir: Path, target: Path, tree_key: str, progress: Progress | None) -> None:
    """Compile every file into a new database beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target)
    with _hang_up_stops():
        _build_into(facts_dir, target, tree_key, progress)


def _build_into(facts_dir: Path, target: Path, tree_key: str, progress: Progress | None) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".build", dir=target.parent)
    os.close(handle)
    try:
        # readable by all (mkstemp makes it private): a team's shared index is read by everyone
        os.chmod(temporary, 0o644)
        conn = connect(Path(temporary))
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        themes, metrics, problems, theme_ranks = load_model(facts_dir)
        root = facts_dir.parent
        conn.execute(
            "INSERT INTO meta VALUES ('format', ?), ('tree', ?), ('facts_dir', ?), ('built', ?)",
            (str(FORMAT), tree_key, str(facts_dir.resolve()), str(time.time())),
        )
        conn.execute(
            "INSERT INTO meta VALUES ('themes', ?), ('metrics', ?), ('readings', ?), ('syllables', '[]')",
            model_json(themes, metrics),
        )
        conn.executemany(
            "INSERT INTO problems VALUES (0, ?, ?, ?, ?, ?)",
            [(relative(p.path, root), p.line, p.message, p.key, p.severity) for p in problems],
        )
        files = current_stamps(facts_dir)  # before the files are read: see tui.store.freshness
        names = sorted(files)
        step = RANK_SPAN // (len(names) + 1)
        ranks = {name: (i + 1) * step for i, name in enumerate(names)}
        jobs = [(str(facts_dir / name), ranks[name]) for name in names]
        pending: list[FactRow] = []
        for done, compiled in enumerate(compile_all(jobs, metrics, root, theme_ranks), start=1):
            file_id = insert_file(conn, compiled.name, files[compiled.name], ranks[compiled.name])
            insert(conn, file_id, compiled, pending)
            if len(pending) >= FACT_BATCH:
                insert_facts(conn, pending)
                pending.clear()
            if progress is not None:
                progress(done, len(jobs))
        insert_facts(conn, pending)
        conn.executescript(INDEXES)  # ends the transaction; the rest is quick
        conn.execute("BEGIN")
        resolve_conflicts(conn)
        conn.execute("COMMIT")
        conn.execute("INSERT INTO text(text) VALUES ('optimize')")
        conn.execute("INSERT INTO pinyin(pinyin) VALUES ('optimize')")
        conn.execute("ANALYZE")  # the query planner then knows a county is narrower than a kind
        # when it was finished: a build that waited for this one's lock since before then uses it
        conn.execute("UPDATE meta SET value = ? WHERE key = 'built'", (str(time.time()),))
        conn.close()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
