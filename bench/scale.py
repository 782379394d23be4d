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


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak RSS (KB) of a command run to completion."""
    started = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{argv} failed ({status})")
    return time.monotonic() - started, usage.ru_maxrss


def _search_times(facts: Path, home: Path, code: Path, rounds: int) -> tuple[float, float]:
    """p50 and p95 (ms) of the query mix, in a child process running ``code``'s povtui."""
    script = f"""
import sys, time, json
sys.path[:0] = [{str(code)!r}, {str(BENCH)!r}]
from pathlib import Path
from search import query_mix
try:
    from tui.store.store import open_store
    store = open_store(Path({str(facts)!r}))
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
        [sys.executable, "-c", script], env=_env(home, None), capture_output=True, text=True, check=True
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


def _touch_one(facts: Path) -> None:
    """Change one county file as a curator would: one value edited."""
    path = sorted(facts.glob("*.toml"))[len(list(facts.glob("*.toml"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\nvalue = ", "\nvalue = 1", 1) if "\nvalue = 1" not in text[:200] else text + "\n",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--facts", type=int, default=100, help="facts per county")
    parser.add_argument("--runs", type=int, default=9, help="interleaved pty starts per program (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the search mix")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare the four counties with")
    args = parser.parse_args()
    povtui = str(Path(sys.executable).parent / "povtui")
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
        cold, _ = _run([povtui, "index", "--rebuild"], env)
        rows.append(("cold index build", f"{cold:.1f} s", "<= 60 s", f"{cold / 60:.2f}"))
        os.sync()  # the build's 450 MB reach the disk now, not while the next measures are taken
        _touch_one(facts)
        code = (
            "import time; from pathlib import Path; from tui.store.open import open_index; "
            f"t = time.monotonic(); open_index(Path({str(facts)!r})).close(); print(time.monotonic() - t)"
        )
        one = float(
            subprocess.run(
                [sys.executable, "-c", code],
                env={**env, "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        rows.append(("one county file re-indexed", f"{one:.2f} s", "<= 1 s", f"{one:.2f}"))
        p50, p95 = _search_times(facts, home, ROOT, args.rounds)
        rows.append(("search p95 (p50)", f"{p95:.1f} ms ({p50:.1f})", "<= 30 ms", f"{p95 / 30:.2f}"))
        floor, start = start_times(args.runs, (hello, env), ([povtui, "--field", "--fresh"], env))
        rows.append(
            (
                "warm start to first screen",
                f"{start:.2f} s (hello {floor:.2f} s)",
                "<= 1.5x hello",
                f"{start / floor:.2f}x",
            )
        )
        rss = _peak_rss([povtui, "--field", "--fresh"], env)
        rows.append(("peak RSS of the app", f"{rss / 1024:.0f} MB", "<= 120 MB", f"{rss / 1024 / 120:.2f}"))
        small_env = _env(home, small / "facts")
        _run([povtui, "index"], small_env)
        _, export_small = _run([povtui, "export", "--format", "csv"], small_env)
        _, export_all = _run([povtui, "export", "--format", "csv"], env)
        rows.append(
            (
                "export peak RSS, 10% / all facts",
                f"{export_small / 1024:.0f} / {export_all / 1024:.0f} MB",
                "no growth",
                f"{export_all / export_small:.2f}",
            )
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
        _run([povtui, "index"], real_env)
        _run([sys.executable, "-m", "tui", "search", "石柱"], old_env)  # fills the old cache
        now_start, then_start = start_times(
            args.runs,
            ([povtui, "--field", "--fresh"], real_env),
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
        _, now_p95 = _search_times(real, work / "h1", ROOT, 5)
        _, then_p95 = _search_times(real, work / "h2", old, 5)
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
    print(f"{'measure':<34} {'value':<28} {'target':<16} ratio")
    for name, value, target, ratio in rows:
        print(f"{name:<34} {value:<28} {target:<16} {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
