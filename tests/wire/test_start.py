"""The entry point's pause of the cycle collector: on while povtui starts, off once it works."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.helpers import MINI
from tui import gcpause
from tui.app import build_app
from tui.cli import main as cli
from tui.factfiles.loader import load


@pytest.fixture
def paused() -> Iterator[None]:
    """The collector paused as ``povtui`` pauses it; everything put back afterwards."""
    was_on = gc.isenabled()
    gc.enable()
    gcpause.pause_gc()
    yield
    gcpause.resume_gc()
    gc.unfreeze()
    if was_on:
        gc.enable()
    else:
        gc.disable()


def test_pause_and_resume(paused: None) -> None:
    assert not gc.isenabled()
    gcpause.resume_gc(freeze=True)
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gcpause.resume_gc()  # a second resume changes nothing
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    was_on = gc.isenabled()
    gc.disable()
    try:
        gcpause.pause_gc()
        gcpause.resume_gc()
        assert not gc.isenabled()  # whoever turned it off decides when it comes back
    finally:
        if was_on:
            gc.enable()


@pytest.mark.parametrize("argv", [["search", "贫困发生率"], ["show", "甲县"], ["check"], ["--json"]])
def test_commands_collect_cycles_while_they_work(
    paused: None, monkeypatch: pytest.MonkeyPatch, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    real = cli.open_facts

    def watching(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "open_facts", watching)  # every command's facts are opened here
    cli.main(["--facts", str(MINI / "facts"), *argv])
    assert seen and all(seen)


async def test_the_app_resumes_collection_after_its_first_screen(paused: None) -> None:
    base, problems = load(MINI / "facts")
    app = build_app(base, problems, field=True)
    assert not gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        # what the start made is exempt from later collections
        assert gc.get_freeze_count() > 1000


def test_python_dash_m_runs_the_same_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--facts", str(MINI / "facts"), "show", "甲县"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "甲县" in result.stdout


def test_gc_paused_restores_the_collector() -> None:
    was_on = gc.isenabled()
    try:
        gc.enable()
        with gcpause.gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with gcpause.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: it stays off
        gc.enable()
        with pytest.raises(ZeroDivisionError), gcpause.gc_paused():
            1 / 0  # noqa: B018
        assert gc.isenabled()
    finally:
        gc.enable() if was_on else gc.disable()
