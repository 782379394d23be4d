"""SIGTERM, SIGQUIT and SIGHUP leave like q: the place is saved and the terminal restored
(alternate screen, mouse tracking, raw mode); q right after a move saves that move too."""

from __future__ import annotations

import os
import signal
import termios
import time
from pathlib import Path

import pytest

from tests.helpers import MINI, Pty
from tui.app.persist import load_state

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

DOWN, ENTER = "\x1b[B", "\r"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "POVTUI_FACTS": str(MINI),
    }


def _raw(term: Pty) -> bool:
    lflag = termios.tcgetattr(term.master)[3]
    return not lflag & (termios.ECHO | termios.ICANON)


def _saved(env: dict[str, str]):  # type: ignore[no-untyped-def]
    saved, _ = load_state(Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json")
    assert saved is not None and saved.history.current is not None
    return saved.history.current


def _open_a_theme_then(term: Pty, leave) -> None:  # type: ignore[no-untyped-def]
    """Into the first county's first theme, then leave at once: well inside the 1 s save delay."""
    term.send(DOWN + ENTER)
    term.read(0.3)
    leave()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP])
def test_a_signal_restores_the_terminal_and_keeps_the_place(env: dict[str, str], number: int) -> None:
    term = Pty(["--no-field", "--fresh"], env)  # not field mode: mouse tracking is on
    try:
        assert term.settle(), "nothing was drawn"
        assert b"\x1b[?1003h" in term.output and _raw(term)
        _open_a_theme_then(term, lambda: os.kill(term.process.pid, number))
        assert term.wait() is not None, "still running"
        tail = term.output[term.output.rfind(b"\x1b[?1049h") :]
        assert b"\x1b[?1049l" in tail  # back from the alternate screen
        assert b"\x1b[?1003l" in tail and b"\x1b[?1000l" in tail  # mouse tracking off
        assert not _raw(term)  # echo and line editing back on
        assert _saved(env).kind == "theme"
    finally:
        term.close()


def test_q_right_after_a_move_saves_that_move(env: dict[str, str]) -> None:
    term = Pty(["--field", "--fresh"], env)
    try:
        assert term.settle(), "nothing was drawn"
        started = time.monotonic()
        _open_a_theme_then(term, lambda: term.send("q"))
        assert term.wait() == 0
        assert time.monotonic() - started < 5
        assert _saved(env).kind == "theme"
    finally:
        term.close()
