"""Scale: povtui over a synthetic country (2,800 counties x 100 facts) and over the real four.

Run: ``python bench/scale.py`` (``--counties 280`` for a quicker look). It generates a fact
tree with ``bench/synth.py`` in a temporary folder, then measures, in one run:

- cold index build (``povtui index --rebuild``), and re-indexing after one county file changed;
- search p50/p95 over the query mix of ``bench/search.py`` (3 rounds);
- warm start: time to the first complete screen in a pty (80x24, field mode), against the
  hello-world Textual floor, medians of 5, as ``bench/wire.py`` measures it;
- peak resident memory of one app process after a short session (start, two searches,
  a comparison of three counties);
- ``povtui export``'s peak memory at a tenth of the facts and at all of them (it streams:
  the two should be alike);
- the same start time and search p95 on the four real counties, against the commit before
  the index (``--baseline``, checked out with ``git worktree`` in a temporary folder).

Every step runs one installation: the ``povtui`` of this Python (its console script's code,
imported as the script imports it, never the checkout by accident), so every step uses the same
index. Before each timing the index is checked to be as the step needs it (built, current or
with the one edited file pending), and the run stops with a message when it is not. Peak
memory is each process's own (``RUSAGE_SELF`` at its exit), not its children's. A second
installation (the same code with one module changed, so another code key) shares the cache:
the first's index must stay current.

Prints one table. Nothing is written outside temporary folders.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from search import percentile  # noqa: E402 (after the sys.path line above)
from synth import generate  # noqa: E402 (after the sys.path line above)
from wire import DOWN, Terminal, start_times  # noqa: E402 (after the sys.path line above)

BASELINE = "f928eea"
"""The last commit before the on-disk index (a pickle cache of the whole tree)."""


def _env(home: Path, facts: Path | None, pythonpath: Path | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    if facts is not None:
        env["POVTUI_FACTS"] = str(facts)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


_OWN_PEAK = """
import atexit, os, resource, sys
peak = lambda: str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
atexit.register(lambda: open(os.environ["BENCH_PEAK"], "w").write(peak()))
sys.argv[0] = "povtui"
from tui.start import main
sys.exit(main())
"""
"""The installed povtui, as its console script runs it, telling its own peak RSS at exit."""


def povtui(*args: str) -> list[str]:
    """The argv of the installed povtui with ``args``."""
    return [sys.executable, "-c", _OWN_PEAK, *args]


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Seconds and the process's own peak RSS (KB) of a povtui command run to completion."""
    peak = cwd / ".peak"
    started = time.monotonic()
    process = subprocess.run(  # stdout to /dev/null, as to a file: a pipe read by us costs the child ~10 MB
        argv, env={**env, "BENCH_PEAK": str(peak)}, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    seconds = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"{argv[3:]} failed ({process.returncode}): {process.stderr.decode()[-2000:]}")
    return seconds, int(peak.read_text())


def _status(env: dict[str, str], cwd: Path) -> dict[str, object]:
    """``povtui index --status --json`` of the installed povtui."""
    import json

    out = subprocess.run(povtui("index", "--status", "--json"), env=env, cwd=cwd, capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def _require(state: dict[str, object], what: str, *, stale: list[str] | None = None) -> None:
    """Stop the run when the index is not as the next timing needs it."""
    wanted = [] if stale is None else stale
    if not state.get("exists") or state.get("fallback") or list(state.get("stale") or []) != wanted:  # type: ignore[call-overload]
        raise SystemExit(f"precondition failed before {what}: the index is {state}, expected stale={wanted}")


def _search_times(facts: Path, home: Path, code: Path | None, rounds: int, cwd: Path) -> tuple[float, float]:
    """p50 and p95 (ms) of the query mix, in a child process running the installed povtui's
    code (or ``code``'s, for the baseline)."""
    script = f"""
import sys, time, json
sys.path[:0] = [*{[str(code)] if code else []!r}, {str(BENCH)!r}]
from pathlib import Path
from search import query_mix
try:
    from tui.store.store import open_store
    store = open_store(Path({str(facts)!r}), notice=lambda line: sys.exit("unexpected: " + line))
    index, base = store.search_index(), store.base
except ImportError:  # the baseline: the whole tree and its index from a pickle cache
    from tui.cache import load_cached, search_index_cached
    base, _, fingerprint = load_cached(Path({str(facts)!r}))
    index = search_index_cached(base, Path({str(facts)!r}), fingerprint)
queries = query_mix(base)
times = []
for _ in range({rounds}):
    for _, query in queries:
        started = time.perf_counter()
        index.search(query, limit=50)
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
"""
    import json

    out = subprocess.run(
        [sys.executable, "-c", script], env=_env(home, None), cwd=cwd, capture_output=True, text=True, check=True
    ).stdout
    times = json.loads(out)
    return statistics.median(times), percentile(times, 0.95)


def _peak_rss(argv: list[str], env: dict[str, str]) -> int:
    """Peak RSS (KB) of the app after a short session: two searches, a comparison of three."""
    term = Terminal(argv, env)
    try:
        term.settle(0.45)
        for keys in ("/", "脱贫", "\x1b", "/", "sz pk", "\x1b", "\x1b", "c", DOWN + DOWN, "a", DOWN, "a"):
            term.send(keys)
            term.settle(0.4)
        with open(f"/proc/{term.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0
    finally:
        term.close()


def _touch_one(facts: Path) -> str:
    """Change one county file as a curator would: one value edited. Its name."""
    counties = sorted(p for p in facts.glob("*.toml") if p.name != "metrics.toml")
    path = counties[len(counties) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nvalue = ", "\nvalue = 1", 1), encoding="utf-8")
    return path.name


def _other_installation(work: Path) -> Path:
    """A copy of the installed code with one module changed: another installation's code key."""
    import tui

    other = work / "other"
    shutil.copytree(Path(tui.__file__).parent, other / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "tui" / "store" / "schema.py", "a", encoding="utf-8") as handle:
        handle.write("\n# another installation\n")
    return other


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--facts", type=int, default=100, help="facts per county")
    parser.add_argument("--runs", type=int, default=9, help="interleaved pty starts per program (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the search mix")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare the four counties with")
    args = parser.parse_args()
    hello = [sys.executable, str(BENCH / "apps/hello.py")]
    work = Path(tempfile.mkdtemp(prefix="povtui-scale-"))
    rows: list[tuple[str, str, str, str]] = []
    try:
        tree, small = work / "tree", work / "small"
        made = time.monotonic()
        generate(tree, args.counties, args.facts)
        generate(small, max(1, args.counties // 10), args.facts)
        print(f"generated {args.counties} x {args.facts} facts in {time.monotonic() - made:.0f} s", file=sys.stderr)
        facts = tree / "facts"
        home = work / "home"
        env = _env(home, facts)
        cold, cold_rss = _run(povtui("index", "--rebuild"), env, work)
        rows.append(("cold index build", f"{cold:.1f} s, {cold_rss / 1024:.0f} MB", "<= 60 s", f"{cold / 60:.2f}"))
        _require(_status(env, work), "the re-index")
        os.sync()  # the build's 450 MB reach the disk now, not while the next measures are taken
        edited = _touch_one(facts)
        _require(_status(env, work), "the re-index", stale=[f"changed: {edited}"])
        code = (  # the re-index alone (``povtui index`` then also runs a quick check of 450 MB)
            "import time; from pathlib import Path; from tui.store.open import open_index; "
            f"t = time.monotonic(); open_index(Path({str(facts)!r})).close(); print(time.monotonic() - t)"
        )
        timed = subprocess.run([sys.executable, "-c", code], env=env, cwd=work, capture_output=True, text=True)
        if timed.returncode:
            raise SystemExit(f"the re-index failed: {timed.stderr[-2000:]}")
        one = float(timed.stdout)
        rows.append(("one county file re-indexed", f"{one:.2f} s", "<= 1 s", f"{one:.2f}"))
        _require(_status(env, work), "the searches")
        p50, p95 = _search_times(facts, home, None, args.rounds, work)
        rows.append(("search p95 (p50)", f"{p95:.1f} ms ({p50:.1f})", "<= 30 ms", f"{p95 / 30:.2f}"))
        _require(_status(env, work), "the starts")
        floor, start = start_times(args.runs, (hello, env), (povtui("--field", "--fresh"), env))
        rows.append(
            (
                "warm start to first screen",
                f"{start:.2f} s (hello {floor:.2f} s)",
                "<= 1.5x hello",
                f"{start / floor:.2f}x",
            )
        )
        rss = _peak_rss(povtui("--field", "--fresh"), env)
        rows.append(("peak RSS of the app", f"{rss / 1024:.0f} MB", "<= 120 MB", f"{rss / 1024 / 120:.2f}"))
        small_env = _env(home, small / "facts")
        _run(povtui("index"), small_env, work)
        _require(_status(small_env, work), "the small export")
        _, export_small = _run(povtui("export", "--format", "csv"), small_env, work)
        _require(_status(env, work), "the export")
        _, export_all = _run(povtui("export", "--format", "csv"), env, work)
        rows.append(
            (
                "export peak RSS, 10% / all facts",
                f"{export_small / 1024:.0f} / {export_all / 1024:.0f} MB",
                "no growth",
                f"{export_all / export_small:.2f}",
            )
        )
        # a second installation (other code) shares the cache: it builds its own index of the
        # small tree, and the first installation's stays current (no rebuild when it comes back)
        other = _other_installation(work)
        other_env = {**small_env, "PYTHONPATH": str(other)}
        _run([sys.executable, "-c", _OWN_PEAK, "index"], other_env, work)
        kept = _status(small_env, work)
        _require(kept, "the first installation's return")
        back, _ = _run(povtui("search", "脱贫"), small_env, work)
        indexes = len(list((home / "cache" / "povtui").glob("index-*.sqlite")))
        rows.append(
            ("second installation, same cache", f"first kept; search {back:.2f} s", "no rebuild", f"{indexes} files")
        )
        # the four real counties, against the commit before the index
        real = ROOT / "facts"
        old = work / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.baseline],
            check=True,
            capture_output=True,
        )
        real_env, old_env = _env(work / "h1", real), _env(work / "h2", real, old)
        _run(povtui("index"), real_env, work)
        subprocess.run([sys.executable, "-m", "tui", "search", "石柱"], env=old_env, cwd=old, capture_output=True)
        _require(_status(real_env, work), "the real starts")
        now_start, then_start = start_times(
            args.runs,
            (povtui("--field", "--fresh"), real_env),
            ([sys.executable, "-m", "tui", "--field", "--fresh"], old_env),
        )
        rows.append(
            (
                "4 counties: start",
                f"{now_start:.2f} s (before {then_start:.2f} s)",
                "<= 1.1x before",
                f"{now_start / then_start:.2f}x",
            )
        )
        _, now_p95 = _search_times(real, work / "h1", None, 5, work)
        _, then_p95 = _search_times(real, work / "h2", old, 5, old)
        rows.append(
            (
                "4 counties: search p95",
                f"{now_p95:.2f} ms (before {then_p95:.2f} ms)",
                "<= 1.1x before",
                f"{now_p95 / then_p95:.2f}x",
            )
        )
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "baseline")],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nscale: {args.counties} counties x {args.facts} facts = {args.counties * args.facts:,} facts, "
        f"{os.cpu_count()} cores\n"
    )
    print(f"{'measure':<34} {'value':<32} {'target':<16} ratio")
    for name, value, target, ratio in rows:
        print(f"{name:<34} {value:<32} {target:<16} {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
