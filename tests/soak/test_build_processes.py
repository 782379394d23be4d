"""Index builds across processes: concurrent first builds wait for one another and reuse the
result (reliability L1); a build killed outright takes its worker processes with it (L2)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow  # whole builds in subprocesses


def _build_in_child(facts: str, log: str, cache: str) -> int:
    """Open the store in a fresh process, recording when its full build (if any) ran."""
    os.environ["XDG_CACHE_HOME"] = cache
    from tui.store import open as opening
    from tui.store.store import open_store

    real = opening.full_build

    def slow(*args: object) -> None:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"start {os.getpid()} {time.time()}\n")
        time.sleep(1.0)  # widen the window in which a second build would overlap
        real(*args)  # type: ignore[arg-type]
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"end {os.getpid()} {time.time()}\n")

    opening.full_build = slow  # type: ignore[assignment]
    return len(open_store(Path(facts)).base)


def test_concurrent_first_builds_build_once(mini_tree: Path, tmp_path: Path) -> None:
    log = tmp_path / "builds.log"
    cache = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        sizes = pool.starmap(_build_in_child, [(str(mini_tree / "facts"), str(log), str(cache))] * 2)
    assert sizes == [13, 13]
    lines = log.read_text(encoding="utf-8").split()
    assert lines.count("start") == 1, log.read_text(encoding="utf-8")  # the other waited, then used it


_KILLED_BUILD = """
import sys, time
from pathlib import Path
from tui.store import compiling
compiling.PARALLEL_FROM = 1
jobs = [(str(p), i + 1) for i, p in enumerate(sorted(Path(sys.argv[1]).glob("c*.toml")))]
from tui.store.compiling import load_model
themes, metrics, problems, ranks = load_model(Path(sys.argv[1]))
print("started", flush=True)
for done, _ in enumerate(compiling.compile_all(jobs, metrics, Path(sys.argv[1]).parent, ranks)):
    if done == 2:
        print("compiling", flush=True)
    time.sleep(0.05)
"""


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="Linux, 2 cores")
def test_a_killed_build_leaves_no_worker_behind(mini_tree: Path) -> None:
    facts = mini_tree / "facts"
    for i in range(200):
        shutil.copy(facts / "alpha.toml", facts / f"c{i:03}.toml")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_KILLED_BUILD), str(facts)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "started"
        assert child.stdout.readline().strip() == "compiling"
        left = _descendants(child.pid)
        assert left, "the build has no worker processes"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in left):
            time.sleep(0.1)
        assert not [p for p in left if _alive(p)], "workers outlived their build"
    finally:
        if child.poll() is None:
            child.kill()
