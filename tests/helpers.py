"""Helpers shared by every test layer: where the fixture trees are, driving the app under
Pilot (``settle``, ``search``), what povtui printed read as a terminal would (``run_cli``,
``leaked``) and povtui on a real pseudo-terminal (``Pty``). Fixtures live in ``conftest.py``;
helpers of one layer only stay in that layer's folder (``tests/wire/pyteterm.py``)."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
REPO = Path(__file__).parent.parent


# -- the app under Pilot ---------------------------------------------------------------------


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the app's workers (the index, a search) and what they post are done."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def search(pilot, text: str) -> tuple:  # type: ignore[no-untyped-def]
    """Type ``/`` and ``text``; the results on the list once they are there."""
    await pilot.press("slash", *text)
    await settle(pilot)
    return pilot.app.screen.query_one("#results").shown_hits


# -- what povtui printed, read as a terminal would: stdout strictly UTF-8 (a lone surrogate
# fails as it does on a real terminal), and the characters that must never reach one raw ----

_SEPARATORS = {"\x85", "\u2028", "\u2029"}


def leaked(text: str) -> list[str]:
    """Characters of ``text`` a terminal would act on or that hide text: controls (the line
    break aside), format characters (bidi, zero-width, BOM), lone surrogates, line separators."""
    return sorted(
        {
            f"U+{ord(c):04X}"
            for c in text
            if (c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs")) or c in _SEPARATORS
        }
    )


def run_cli(argv: list[str], facts: Path = MINI) -> tuple[int, str, str]:
    """``main(argv)`` reading ``facts`` unless argv names others; never the full-screen app."""
    from tui.cli import main as cli  # on first use: conftest imports this module

    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n", write_through=True)
    with (
        mock.patch.dict(os.environ, {"POVTUI_FACTS": str(facts)}),
        mock.patch.object(cli, "_interactive", return_value=False),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        code = cli.main(argv)
        return code, raw.getvalue().decode("utf-8"), err.getvalue()


# -- povtui on a real pseudo-terminal, for tests of what reaches the wire --------------------


class Pty:
    """``povtui ARGS`` on a pty of the given size, its output collected as it comes."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        master, slave = pty.openpty()
        self.resize(size, fd=slave)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
            cwd=str(Path(__file__).parent.parent),
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def resize(self, size: tuple[int, int], fd: int | None = None) -> None:
        columns, lines = size
        fcntl.ioctl(self.master if fd is None else fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        if fd is None:
            os.killpg(self.process.pid, signal.SIGWINCH)

    def read(self, seconds: float) -> bytes:
        """What arrives during ``seconds``."""
        got = b""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                ready, _, _ = select.select([self.master], [], [], left)
            except OSError:  # the master was closed: the connection dropped
                time.sleep(left)
                break
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        self.output += got
        return got

    def settle(self, quiet: float = 1.0, limit: float = 30.0) -> bytes:
        """Read until nothing has come for ``quiet`` seconds."""
        got = b""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            chunk = self.read(quiet)
            got += chunk
            if not chunk and got:
                break
        return got

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def wait(self, timeout: float = 10.0) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read(0.1)
            if self.process.poll() is not None:
                return self.process.returncode
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)
