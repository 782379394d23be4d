"""The real app in field mode on a pty, through the screen-diff driver: what the terminal
shows is what Textual's own bytes would have shown, cell for cell, and it costs fewer bytes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MINI, Pty

from .pyteterm import Term

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

DOWN, UP, ENTER, ESC = "\x1b[B", "\x1b[A", "\r", "\x1b"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Pty, Path]]:
    log = tmp_path / "wire.jsonl"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "POVTUI_FACTS": str(MINI),
        "POVTUI_WIRE_LOG": str(log),
        "TEXTUAL_DRIVER": "tests.wire.recorder:RecordingDriver",
    }
    term = Pty(["--field", "--fresh"], env)
    assert term.settle(), "nothing was drawn"
    yield term, log
    term.close()


def _replay(log: Path) -> tuple[Term, Term, int, int]:
    """Textual's bytes into one terminal, the writer's into another, compared after every write."""
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    width, height = records[0][2]
    plain, through = Term(width, height), Term(width, height)
    textual = sent = 0
    for data, out, size in records:
        if (plain.screen.columns, plain.screen.lines) != tuple(size):
            plain.resize(*size)
            through.resize(*size)
        plain.feed(data)
        through.feed(out)
        textual += len(data.encode())
        sent += len(out.encode())
        assert plain.differences(through) == [], (data, out)
    return plain, through, textual, sent


def test_a_session_shows_the_same_through_the_writer_for_fewer_bytes(session: tuple[Pty, Path]) -> None:
    term, log = session
    for keys in ["/", "甲", "x", ESC, DOWN, DOWN, ENTER, DOWN, ENTER, "l", UP, ENTER, "\x0c", "c", DOWN, "a", ESC]:
        term.send(keys)
        term.settle(0.3, limit=3)
    term.send("q")
    assert term.wait() == 0
    plain, through, textual, sent = _replay(log)
    assert sent < textual / 2, (sent, textual)
    # what reached the pty is what the writer sent (after the reset of stale modes at start)
    assert b"".join(json.loads(line)[1].encode() for line in log.read_text().splitlines()) in term.output


def test_resize_and_repaint_keep_the_screens_equal(session: tuple[Pty, Path]) -> None:
    term, log = session
    for size in [(60, 20), (100, 30), (80, 24)]:
        term.resize(size)
        term.settle(0.4, limit=3)
        term.send(DOWN)
        term.settle(0.3, limit=3)
    term.send("\x0c")  # ctrl+l: drawn again from the writer's model
    term.settle(0.3, limit=3)
    term.send("q")
    assert term.wait() == 0
    _replay(log)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {tuple(r[2]) for r in records} >= {(60, 20), (100, 30), (80, 24)}
