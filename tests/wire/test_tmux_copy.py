"""y under a real tmux (issue 14 item 6): with tmux's default settings povtui cannot reach the
clipboard and says so, with the one line that fixes it; with ``set-clipboard on`` the citation
is in tmux's buffer, exactly as the notice shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MINI, REPO
from tui.app.clipboard import TMUX_FIX

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(120),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """A tmux server of its own (its own socket, no config) running povtui in one pane."""

    def __init__(self, tmp_path: Path, *options: str) -> None:
        self.socket = f"povtui-test-{os.getpid()}-{tmp_path.name}"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "POVTUI_FACTS": str(MINI),
        }
        command = f"cd {REPO} && exec {sys.executable} -m tui --fresh"
        setup = [arg for option in options for arg in (";", "set", "-g", *option.split())]
        self.run("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command, *setup)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t").stdout

    def wait_for(self, text: str, seconds: float = 20.0) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown.replace("\n", "").replace(" ", ""):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never shown:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "t", *(["-l"] if literal else []), *keys)
        time.sleep(0.3)

    def buffer(self) -> str | None:
        done = self.run("show-buffer", check=False)
        return done.stdout if done.returncode == 0 else None

    def close(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[type[Tmux]]:
    started: list[Tmux] = []

    def start(*options: str) -> Tmux:
        server = Tmux(tmp_path, *options)
        started.append(server)
        server.wait_for("甲县")
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.close()


def _copy_a_figure(server: Tmux) -> str:
    server.keys("/")
    server.keys("摘帽", literal=True)
    server.wait_for("摘帽")
    server.keys("Enter")
    server.wait_for("alpha-exit")
    server.keys("y")
    return server.wait_for("alpha-exit]")  # the notice, with the citation copied


def test_default_tmux_says_it_cannot_copy_and_how_to_fix_it(tmux) -> None:  # type: ignore[no-untyped-def]
    server = tmux()
    assert server.run("show", "-gv", "set-clipboard").stdout.strip() != "on"
    shown = _copy_a_figure(server)
    flat = shown.replace("\n", "").replace(" ", "")
    assert "未复制" in flat and TMUX_FIX.replace(" ", "") in flat, shown
    assert "甲县于2019年4月底脱贫摘帽" in flat  # the citation is on screen, to select by hand
    assert server.buffer() is None  # and indeed tmux took nothing


def test_with_set_clipboard_on_the_citation_is_in_the_tmux_buffer(tmux) -> None:  # type: ignore[no-untyped-def]
    server = tmux("set-clipboard on")
    shown = _copy_a_figure(server)
    flat = shown.replace("\n", "").replace(" ", "")
    assert "已复制到tmux剪贴板" in flat, shown
    for _ in range(20):
        copied = server.buffer()
        if copied:
            break
        time.sleep(0.2)
    assert copied is not None and "\n" not in copied.strip("\n")
    assert "甲县于2019年4月底脱贫摘帽" in copied and copied.endswith("[fact alpha-exit]")
    assert copied.isprintable()
    assert copied.replace(" ", "") in flat  # exactly what the notice shows
