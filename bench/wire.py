"""Bytes on the wire: povtui in field mode against Textual's floor, a plain Textual build and
VisiData, in a pseudo-terminal of 80x24 as over plain SSH (TERM=xterm-256color, no COLORTERM).
Tasks as a user pays them: find a figure and open it, go back, ten Downs (quickly, then at a
reader's pace, each followed by a rest long enough for a pane that follows the cursor), open a
comparison and add a county; with the CPU each keystroke costs the program. Keys go in as a
terminal sends them: the arrows in their application form (ESC O B) once a program asks for it
(VisiData does: sent ESC [ B, it only says "no command"). Two variants of povtui show what
a field-mode measure still buys: without the screen-diff writer, without the first-frame hold.

Run: ``python bench/wire.py`` (``--runs 5`` by default; ``--quick`` for one run and a 3 s idle).
The time to the first screen is the median of ``--start-runs`` (11) starts of every program,
taken in turn (A B C A B C ...), so that a host whose speed drifts weighs on each alike.
VisiData comes from the ``bench`` extra (``pip install '.[bench]'``); without it its column
says so. Prints one table: medians, raw and through one persistent zlib stream (what
``ssh -C`` does), and ratios. Nothing is written to disk but a temporary CSV and HOME.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 80, 24
DOWN, ENTER, CTRL_Q = "\x1b[B", "\r", "\x11"


@dataclass
class Terminal:
    """A program on a pty: every byte it writes is logged with its time."""

    argv: list[str]
    env: dict[str, str]
    log: list[tuple[float, bytes]] = field(default_factory=list)
    application_keys: bool = False
    """The program asked for application cursor keys (DECCKM, ``ESC[?1h``): a terminal then
    sends the arrows as ``ESC O A`` .. ``ESC O D`` (curses programs such as VisiData ask)."""

    def __post_init__(self) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.started = time.monotonic()
        # a session of its own with the pty as controlling terminal, as sshd gives a login:
        # closing the master then hangs the program up (SIGHUP), like a dropped connection
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,
            cwd=tempfile.gettempdir(),
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                seen = (self.log[-1][1][-4:] if self.log else b"") + chunk
                on, off = seen.rfind(b"\x1b[?1h"), seen.rfind(b"\x1b[?1l")
                if on != off:
                    self.application_keys = on > off
                self.log.append((time.monotonic(), chunk))

    def settle(self, quiet: float, limit: float = 15.0) -> None:
        """Read until nothing has come for ``quiet`` seconds (and something came at all)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            before = len(self.log)
            self.pump(quiet)
            if len(self.log) == before and self.log:
                return

    def mark(self) -> int:
        return len(self.log)

    def send(self, keys: str) -> None:
        """``keys`` as a terminal sends them, arrows in the form the program asked for."""
        if self.application_keys:
            keys = re.sub("\x1b\\[([ABCD])", "\x1bO\\1", keys)
        os.write(self.master, keys.encode("utf-8"))

    def close(self) -> None:
        try:
            self.send(CTRL_Q)
            self.pump(0.5)
            self.process.wait(timeout=3)
        except (OSError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        finally:
            with contextlib.suppress(OSError):
                os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.close()


def compressed_sizes(log: list[tuple[float, bytes]]) -> list[int]:
    """Bytes each chunk costs through one zlib stream flushed per chunk, as ssh -C sends it."""
    stream = zlib.compressobj(6)
    return [len(stream.compress(chunk) + stream.flush(zlib.Z_PARTIAL_FLUSH)) for _, chunk in log]


@dataclass
class Measure:
    raw: int
    zipped: int
    seconds: float = 0.0
    cpu_ms: float | None = None  # CPU time of the program per keystroke


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def window(term: Terminal, start: int, end: int | None = None) -> Measure:
    sizes = compressed_sizes(term.log)
    chunks = term.log[start:end]
    return Measure(sum(len(c) for _, c in chunks), sum(sizes[start:end]))


@dataclass
class Program:
    name: str
    argv: list[str]
    search_keys: str  # keys that open the search (typed before the measured keys)
    tree_keys: str  # keys that put the cursor in the tree or list
    compare_keys: list[str] | None  # None: not applicable
    find_keys: list[str] | None = None  # find a figure and open it, as a user types it
    back_keys: str | None = None  # back from the figure opened


def session(program: Program, env: dict[str, str], which: str, idle: float) -> Measure:
    term = Terminal(program.argv, env)
    try:
        # quiet for 0.45 s: shorter than a blinking cursor's half-period, which would
        # otherwise keep a default Textual app "busy" for ever
        term.settle(0.45)
        if which == "start":
            first = window(term, 0)
            first.seconds = term.log[-1][0] - term.started if term.log else 0.0
            return first
        if which in ("find", "back"):
            keys = program.find_keys or []
            start, cpu = term.mark(), cpu_seconds(term.process.pid)
            for key in keys:
                term.send(key)
                term.settle(0.4)
            if which == "back":
                start, cpu = term.mark(), cpu_seconds(term.process.pid)
                keys = [program.back_keys or ""]
                term.send(keys[0])
                term.settle(0.4)
            found = window(term, start)
            found.cpu_ms = 1000 * (cpu_seconds(term.process.pid) - cpu) / max(1, len(keys))
            return found
        if which == "search":
            term.send(program.search_keys)
            term.settle(0.4)
            start, cpu = term.mark(), cpu_seconds(term.process.pid)
            for key in "sz pk":
                term.send(key)
                term.settle(0.35)
            found = window(term, start)
            return Measure(found.raw // 5, found.zipped // 5, cpu_ms=1000 * (cpu_seconds(term.process.pid) - cpu) / 5)
        if which in ("tree", "reading"):
            term.send(program.tree_keys)
            term.settle(0.4)
            start, cpu = term.mark(), cpu_seconds(term.process.pid)
            for _ in range(10):
                term.send(DOWN)
                term.pump(0.05 if which == "tree" else 0.6)
            term.pump(REST)  # the detail pane may follow the cursor once it rests
            term.settle(0.4)
            found = window(term, start)
            found.cpu_ms = 100 * (cpu_seconds(term.process.pid) - cpu)
            return found
        if which == "compare":
            start, cpu = term.mark(), cpu_seconds(term.process.pid)
            for keys in program.compare_keys or []:
                term.send(keys)
                term.settle(0.4)
            found = window(term, start)
            found.cpu_ms = 1000 * (cpu_seconds(term.process.pid) - cpu) / max(1, len(program.compare_keys or []))
            return found
        term.send(program.search_keys)  # idle with the search bar focused
        term.settle(0.4)
        start = term.mark()
        term.pump(idle)
        return window(term, start)
    finally:
        term.close()


def start_times(runs: int, *started: tuple[list[str], dict[str, str]]) -> list[float]:
    """Median seconds to the first complete screen of each (argv, environment), their starts
    interleaved (A B A B ...): a host that slows down or speeds up weighs on each alike."""
    times: list[list[float]] = [[] for _ in started]
    for _ in range(runs):
        for (argv, env), found in zip(started, times, strict=False):
            found.append(session(Program("", argv, "", "", None), env, "start", 0).seconds)
    return [statistics.median(found) for found in times]


REST = 2.0
"""Seconds of rest after moving, long enough for a pane that follows the cursor (field mode
waits 1.5 s) to be counted."""
FIND = ["/", "p", "k", "f", ENTER]  # pinyin initials of 贫困发生率, then open the first result


def programs(csv: Path, venv_bin: Path) -> list[Program]:
    python = sys.executable
    povtui = [str(venv_bin / "povtui"), "--field", "--fresh"]
    variant = [python, str(ROOT / "bench/apps/variant.py")]
    compare = ["c", DOWN + DOWN, "a"]
    found: list[Program] = [
        Program("povtui --field", povtui, "/", "\x1b", compare, FIND, "["),
        Program("(a) hello world", [python, str(ROOT / "bench/apps/hello.py")], "", "", []),
        Program("(b) plain Textual", [python, str(ROOT / "bench/apps/plain.py")], "", "\t", None),
    ]
    visidata = shutil.which("vd", path=str(venv_bin)) or shutil.which("vd")
    if visidata:
        # no pinyin: the figure's name as an input method commits it, searched in every column
        found.append(
            Program("(c) VisiData", [visidata, str(csv)], "/", "", None, ["g/", "贫困发生率", ENTER, ENTER], "q")
        )
    found += [
        Program("(d) no diff writer", [*variant, "nowriter", *povtui[1:]], "/", "\x1b", compare, FIND, "["),
        Program("(e) no first hold", [*variant, "nohold", *povtui[1:]], "/", "\x1b", compare, FIND, "["),
    ]
    return found


SESSIONS = ("start", "find", "back", "search", "tree", "reading", "compare", "idle")
LABELS = {
    "start": "1 first screen",
    "find": "2 find a figure, open it",
    "back": "3 go back",
    "search": "4 search, per key",
    "tree": "5 ten Downs, then a rest",
    "reading": "6 ten Downs 0.6 s apart",
    "compare": "7 compare, add a county",
    "idle": "8 idle 10 s, search focused",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--start-runs", type=int, default=11, help="interleaved starts per program for the time to the first screen"
    )
    parser.add_argument("--quick", action="store_true", help="one run, 3 s of idle")
    args = parser.parse_args()
    runs, idle = (1, 3.0) if args.quick else (args.runs, 10.0)
    start_runs = 1 if args.quick else args.start_runs
    venv_bin = Path(sys.executable).parent
    home = Path(tempfile.mkdtemp(prefix="povtui-wire-"))
    csv = home / "facts.csv"
    csv.write_bytes(
        subprocess.run([str(venv_bin / "povtui"), "export", "--format", "csv"], capture_output=True, check=True).stdout
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PYTHONDONTWRITEBYTECODE": "0",
    }
    results: dict[tuple[str, str], Measure | None] = {}
    found = programs(csv, venv_bin)
    for program in found:
        for which in SESSIONS:
            if (which == "compare" and program.compare_keys is None) or (
                which in ("find", "back") and program.find_keys is None
            ):
                results[program.name, which] = None
                continue
            measures = [session(program, env, which, idle) for _ in range(runs)]
            results[program.name, which] = Measure(
                int(statistics.median(m.raw for m in measures)),
                int(statistics.median(m.zipped for m in measures)),
                statistics.median(m.seconds for m in measures),
                None if measures[0].cpu_ms is None else statistics.median(m.cpu_ms or 0.0 for m in measures),
            )
            print(f"  {program.name:<18} {which:<8} {results[program.name, which]}", file=sys.stderr)
    for program, seconds in zip(found, start_times(start_runs, *((p.argv, env) for p in found)), strict=False):
        results[program.name, "start"].seconds = seconds  # type: ignore[union-attr]
    shutil.rmtree(home, ignore_errors=True)
    report(found, results, runs, idle, start_runs)
    return 0


def _cell(measure: Measure | None, fmt: Callable[[Measure], str]) -> str:
    return "—" if measure is None else fmt(measure)


def report(
    found: list[Program], results: dict[tuple[str, str], Measure | None], runs: int, idle: float, start_runs: int
) -> None:
    names = [p.name for p in found]
    print(f"\nbytes on the wire at {COLUMNS}x{LINES}, TERM=xterm-256color, medians of {runs} run(s), idle {idle:.0f} s")
    print(f"raw bytes / with ssh -C (zlib); times: medians of {start_runs} interleaved starts\n")
    print(f"{'session':<28}" + "".join(f"{n:>22}" for n in names))
    for which in SESSIONS:
        row = f"{LABELS[which]:<28}"
        for name in names:
            row += f"{_cell(results[name, which], lambda m: f'{m.raw:,} / {m.zipped:,}'):>22}"
        print(row)
    start = results[names[0], "start"]
    hello = results.get(("(a) hello world", "start"))
    if start and hello:
        print(
            f"{'time to first screen (s)':<28}"
            + "".join(f"{_cell(results[n, 'start'], lambda m: f'{m.seconds:.2f}'):>22}" for n in names)
        )
    print("\nratios, povtui / other (raw bytes; time for the first screen)\n")
    print(f"{'session':<28}" + "".join(f"{n:>22}" for n in names[1:]))
    mine = names[0]
    for which in SESSIONS:
        row = f"{LABELS[which]:<28}"
        for name in names[1:]:
            ours, theirs = results[mine, which], results[name, which]
            if ours is None or theirs is None:
                row += f"{'—':>22}"
            elif theirs.raw == 0:
                row += f"{'both 0' if ours.raw == 0 else 'they send 0':>22}"
            else:
                row += f"{ours.raw / theirs.raw:>22.2f}"
        print(row)
    if start and hello and hello.seconds:
        print(f"{'time to first screen':<28}{start.seconds / hello.seconds:>22.2f}")
    print("\nCPU per keystroke (ms, the program's user + system time)\n")
    print(f"{'session':<28}" + "".join(f"{n:>22}" for n in names))
    for which in SESSIONS:
        if all(results[n, which] is None or results[n, which].cpu_ms is None for n in names):  # type: ignore[union-attr]
            continue
        row = f"{LABELS[which]:<28}"
        for name in names:
            cpu = results[name, which]
            row += f"{'—' if cpu is None or cpu.cpu_ms is None else f'{cpu.cpu_ms:.1f}':>22}"
        print(row)
    targets(results, names)


def targets(results: dict[tuple[str, str], Measure | None], names: list[str]) -> None:
    """The field-mode targets of issue 17, met or not."""
    mine, pov = results.get((names[0], "start")), names[0]
    visidata = "(c) VisiData"
    checks: list[tuple[str, bool | None]] = []
    for which in ("start", "find", "tree", "reading"):
        ours, theirs = results.get((pov, which)), results.get((visidata, which))
        met = None if not (ours and theirs) else ours.raw <= theirs.raw
        checks.append((f"{LABELS[which]}: no more bytes than VisiData", met))
    search = results.get((pov, "search"))
    checks.append(("a search keystroke <= 400 bytes", None if not search else search.raw <= 400))
    compare = results.get((pov, "compare"))
    checks.append(("comparison and a county added <= 8 KB", None if not compare else compare.raw <= 8192))
    idle = results.get((pov, "idle"))
    checks.append(("idle: 0 bytes", None if not idle else idle.raw == 0))
    hello = results.get(("(a) hello world", "start"))
    if mine and hello and hello.seconds:
        checks.append(("first screen within 1.3x hello world", mine.seconds <= 1.3 * hello.seconds))
    print("\ntargets\n")
    for text, met in checks:
        print(f"  {'n/a ' if met is None else 'met ' if met else 'MISS'} {text}")


if __name__ == "__main__":
    raise SystemExit(main())
