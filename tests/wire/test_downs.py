"""Moving in the tree in field mode, on a pty through the screen-diff driver: a Down sends the
rows whose highlight changes and nothing else; the pane follows the cursor only after a rest of
FIELD_PREVIEW_DELAY (a slow link's bursts of keys open nothing), and Enter opens at once."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MINI, Pty
from tui.app.widgets.fact_tree import FIELD_PREVIEW_DELAY, PREVIEW_DELAY

from .pyteterm import Term

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

DOWN, ENTER, ESC = "\x1b[B", "\r", "\x1b"
PANE = 40
"""Columns from here on are the detail pane's (at 80 columns the tree is narrower)."""


@pytest.fixture
def field(tmp_path: Path) -> Iterator[tuple[Pty, Path]]:
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
    term.send(ESC)  # from the search bar to the tree
    term.settle(0.4, limit=3)
    yield term, log
    term.close()


def _records(log: Path) -> list[list[object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _screen(records: list[list[object]]) -> Term:
    """What the terminal shows after ``records`` (the writer's bytes, in a terminal emulator)."""
    width, height = records[0][2]  # type: ignore[misc]
    term = Term(width, height)  # type: ignore[arg-type]
    for _, sent, size in records:
        if (term.screen.columns, term.screen.lines) != tuple(size):  # type: ignore[arg-type]
            term.resize(*size)  # type: ignore[misc]
        term.feed(sent)  # type: ignore[arg-type]
    return term


def _pane(term: Term) -> list[list[tuple[object, ...]]]:
    return [line[PANE:] for line in term.cells()]


def _rows_changed(before: Term, after: Term) -> set[int]:
    return {y for y, (a, b) in enumerate(zip(before.cells(), after.cells(), strict=True)) if a != b}


def test_the_field_preview_waits_longer_than_a_burst_of_keys() -> None:
    assert FIELD_PREVIEW_DELAY >= 1.0 > PREVIEW_DELAY


def test_downs_send_the_highlighted_rows_and_the_pane_waits_for_a_rest(field: tuple[Pty, Path]) -> None:
    term, log = field
    start = len(_records(log))
    for _ in range(3):  # the fixture's tree has four rows to move through
        before = len(_records(log))
        term.send(DOWN)
        term.settle(0.15, limit=1)
        moved = time.monotonic()
        records = _records(log)
        sent = sum(len(str(r[1]).encode()) for r in records[before:])
        changed = _rows_changed(_screen(records[:before]), _screen(records))
        # the row left and the row reached (about 70 bytes at 80 columns), never the pane
        assert 0 < sent <= 160 and len(changed) == 2, (sent, changed)
    term.read(0.5)
    records = _records(log)
    if time.monotonic() - moved < FIELD_PREVIEW_DELAY - 0.1:  # a slow host may have reached the rest
        assert _pane(_screen(records[:start])) == _pane(_screen(records)), "the pane followed a burst"
    term.read(FIELD_PREVIEW_DELAY + 0.5)
    assert _pane(_screen(records)) != _pane(_screen(_records(log))), "the pane did not follow after a rest"


def test_enter_opens_at_once(field: tuple[Pty, Path]) -> None:
    term, log = field
    moved = time.monotonic()
    term.send(DOWN)
    term.settle(0.15, limit=1)
    before = _records(log)
    term.send(ENTER)
    term.settle(0.15, limit=1)
    after = _records(log)
    assert time.monotonic() - moved < FIELD_PREVIEW_DELAY, "too slow a host to tell Enter from the rest"
    assert _pane(_screen(before)) != _pane(_screen(after)), "Enter did not open the place"
