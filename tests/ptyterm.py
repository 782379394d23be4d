"""Running povtui on a real pseudo-terminal, for tests of what reaches the wire."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path


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
