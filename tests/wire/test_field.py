"""Field mode on a real pseudo-terminal: properties of what reaches the wire, not timings."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MINI, Pty
from tui.app.persist import Saved, load_state, save_state
from tui.app.state import History, Place
from tui.app.terminal import field_wanted

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]  # real ptys

MOUSE_ON = (b"\x1b[?1000h", b"\x1b[?1003h", b"\x1b[?1006h")


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


@pytest.fixture
def run(env: dict[str, str]) -> Iterator:  # type: ignore[type-arg]
    started: list[Pty] = []

    def start(*args: str, size: tuple[int, int] = (80, 24), **extra: str) -> Pty:
        term = Pty(list(args), {**env, **extra}, size)
        started.append(term)
        assert term.settle(), "nothing was drawn"
        return term

    yield start
    for term in started:
        term.close()


def test_field_mode_is_on_over_ssh_and_can_be_forced() -> None:
    assert field_wanted(None, {"SSH_CONNECTION": "10.0.0.1 22 10.0.0.2 22"})
    assert field_wanted(None, {"SSH_TTY": "/dev/pts/3"})
    assert not field_wanted(None, {})
    assert field_wanted(True, {}) and not field_wanted(False, {"SSH_TTY": "x"})


def test_no_mouse_tracking_and_zero_bytes_idle(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    assert not any(mode in term.output for mode in MOUSE_ON)
    assert "甲县".encode() in term.output  # the first screen shows the data
    term.send("/")  # the search bar focused: no blinking cursor
    term.settle(1.0)
    assert term.read(6.0) == b""  # across a look at the fact files (every 5 s): it sends nothing


def test_the_first_screen_is_sent_once_without_codes_that_change_nothing(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    # the key bar is on the bottom line of every full frame: once means one frame
    assert term.output.count(" 对比 ".encode()) == 1  # the key bar speaks the interface language
    assert term.output.count(b"\x1b[2J") + term.output.count(b"\x1b[1;1H") <= 1
    # no colour codes that change nothing (Textual writes one before nearly every run of text);
    # field mode's screen-diff writer sends changes from the current pen: never two in a row
    sgr = rb"\x1b\[[0-9;]*m"
    assert b"\x1b[0m\x1b[39;49m" not in term.output and not re.search(sgr + sgr, term.output)
    assert len(re.findall(sgr, term.output)) > 20


def test_mouse_is_on_without_field_mode_and_with_mouse_flag(run) -> None:  # type: ignore[no-untyped-def]
    assert b"\x1b[?1003h" in run("--no-field", "--fresh").output
    assert b"\x1b[?1003h" in run("--field", "--mouse", "--fresh").output


def test_ssh_session_turns_field_mode_on(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--fresh", SSH_CONNECTION="10.0.0.1 5000 10.0.0.2 22")
    assert not any(mode in term.output for mode in MOUSE_ON)
    assert "省流".encode() in term.output  # the status line says field mode is on


def test_terminal_modes_are_restored_on_exit(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    term.send("q")
    assert term.wait() == 0
    tail = term.output[term.output.rfind(b"\x1b[?1049h") :]
    assert b"\x1b[?1049l" in tail  # back from the alternate screen
    assert b"\x1b[?25h" in tail  # cursor shown again


def test_modes_left_on_by_a_dead_session_are_reset_at_start(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    first = term.output[: term.output.find(b"\x1b[?1049h")]
    assert b"\x1b[?1003l" in first and b"\x1b[?25h" in first


def test_small_terminal_and_resize_storm(run) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh", size=(40, 12))
    assert "终端太小".encode() in term.output
    for size in [(20, 6), (120, 40), (40, 12), (10, 3), (80, 24)] * 4:
        term.resize(size)
        term.read(0.05)
    term.settle()
    assert term.process.poll() is None
    term.send("q")
    assert term.wait() == 0


def test_state_is_restored_after_a_restart(run, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    term.send("\x1b[B\x1b[B\r")  # into the first county's first theme
    term.settle()
    term.send("q")
    assert term.wait() == 0
    saved, notice = load_state(Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json")
    assert notice == "" and saved is not None and saved.history.current is not None
    assert saved.history.current.kind in ("theme", "metric") and saved.history.back
    again = run("--field")
    assert again.process.poll() is None
    reopened, _ = load_state(Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json")
    again.send("q")
    assert again.wait() == 0
    reopened, _ = load_state(Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json")
    assert reopened is not None and reopened.history.current == saved.history.current


def test_a_dropped_connection_exits_and_keeps_the_place(run, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    term = run("--field", "--fresh")
    term.send("\x1b[B\r")
    term.settle()
    os.close(term.master)  # the SSH connection drops: the terminal hangs up
    assert term.wait(10) is not None
    saved, _ = load_state(Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json")
    assert saved is not None and saved.history.current is not None


@pytest.mark.parametrize(
    "content", [b"{not json", b"\xff\xfe", b'{"version": 1, "current": {"kind": "nowhere"}}', b'{"version": 99}', b"[]"]
)
def test_a_corrupt_state_file_is_survived(run, env: dict[str, str], content: bytes) -> None:  # type: ignore[no-untyped-def]
    path = Path(env["XDG_STATE_HOME"]) / "povtui" / "state.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    saved, notice = load_state(path)
    assert saved is None and notice.startswith("povtui: ignoring") and "\n" not in notice
    term = run("--field")
    assert term.process.poll() is None and "甲县".encode() in term.output
    term.send("q")
    assert term.wait() == 0


def test_state_round_trip_and_atomic_write(tmp_path: Path) -> None:
    history = History().visit(Place("county", county="alpha")).visit(Place("fact", county="alpha", fact="alpha-exit"))
    saved = Saved(history, "甲县 tprk", ("alpha", "beta"), True, "/facts")
    path = tmp_path / "deep" / "state.json"
    save_state(saved, path)
    assert json.loads(path.read_text(encoding="utf-8"))["search"] == "甲县 tprk"
    assert load_state(path) == (saved, "")
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary left behind


def test_dumb_terminal_prints_the_plain_view(run) -> None:  # type: ignore[no-untyped-def]
    term = run(TERM="dumb")
    assert term.wait() == 0
    assert b"\x1b[" not in term.output
    assert "甲县 Alpha".encode() in term.output and b"plain view" in term.output


def test_non_utf8_locale_is_told_what_to_set(run) -> None:  # type: ignore[no-untyped-def]
    term = run(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="ascii")
    assert term.wait() == 0
    assert b"needs UTF-8" in term.output and b"LANG=C.UTF-8" in term.output
    assert b"\\u7532" in term.output  # Chinese escaped, not garbage
