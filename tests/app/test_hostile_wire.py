"""Hostile text in every text field of a fact tree never reaches the terminal raw (issue 16, app):
every view, the palette, the help and a copy, on a real pty; and the palette shows markup in
names as text (reliability H2), a copy carries one printable line a figure (H3)."""

from __future__ import annotations

import base64
import os
import re
import unicodedata
from pathlib import Path

import pytest

from tests.cli.test_hostile_text import TITLE, hostile  # noqa: F401 - the fixture tree, reused
from tests.helpers import Pty, settle
from tui.app.screens.copied import CopiedScreen
from tui.app.screens.main import MainScreen
from tui.app.state import Place

DCS = "\x1bP1$r0m\x1b\\"  # a DECRQSS request: the terminal would answer into the input
APC = "\x1b_Ga=T;QUFBQQ==\x1b\\"  # a kitty graphics command
DSR = "\x1b[6n"  # cursor position report: an answer injected into the input
WINOPS = "\x1b[21t"  # report the window title: the classic title-echo attack
MORE = TITLE + DCS + APC + DSR + WINOPS


def _toml(text: str) -> str:
    return "".join(f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)


@pytest.fixture
def worse(hostile: Path) -> Path:  # noqa: F811 - the fixture, extended
    """The hostile tree with DCS, APC, DSR and window-report sequences wherever it set a title."""
    for path in [hostile / "facts" / "evil.toml", hostile / "facts" / "metrics.toml"]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(_toml(TITLE), _toml(MORE)), encoding="utf-8")
    seed = hostile / "seeds" / "evil.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace(TITLE, MORE), encoding="utf-8")
    return hostile


_OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")
_POINTER = re.compile(rb"\x1b\]22;[a-z-]*\x07")  # Textual's own: the mouse pointer's shape
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def raw_leaks(output: bytes) -> tuple[list[str], list[str]]:
    """What a terminal would act on that came from the data, and the texts povtui copied.

    Textual's own output is CSI and SGR sequences, mode switches and the pointer shape (OSC 22);
    povtui's own OSC is the copy (OSC 52, BEL-terminated, whose payload is checked apart)."""
    copied = [base64.b64decode(m).decode("utf-8") for m in _OSC52.findall(output)]
    rest = _POINTER.sub(b"", _OSC52.sub(b"", output)).decode("utf-8")  # strict: invalid UTF-8 fails
    leaks = []
    for name, pattern in [
        ("OSC", "\x1b]"),
        ("DCS", "\x1bP"),
        ("APC", "\x1b_"),
        ("PM", "\x1b^"),
        ("SOS", "\x1bX"),
        ("DSR", "\x1b[6n"),
        ("21t", "\x1b[21t"),
        ("ST", "\x1b\\"),
    ]:
        if pattern in rest:
            leaks.append(name)
    for char in sorted(set(rest)):
        code = ord(char)
        if 0x80 <= code <= 0x9F:
            leaks.append(f"C1 U+{code:04X}")
        elif char in _BIDI or unicodedata.category(char) == "Cf":
            leaks.append(f"format U+{code:04X}")
        elif code < 0x20 and char not in "\x1b\r\n\x08" or code == 0x7F:
            leaks.append(f"C0 U+{code:04X}")
    return leaks, copied


def _clean_copy(text: str) -> bool:
    return (
        all(
            line and not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c in _BIDI for c in line)
            for line in text.split("\n")
        )
        and "\x1b[201~" not in text
    )


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_nothing_raw_reaches_the_wire_from_any_view(worse: Path, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "POVTUI_FACTS": str(worse / "facts"),
    }
    term = Pty(["--fresh"], env, (100, 30))
    try:
        assert term.settle(1.5)
        steps = [
            "/100\r",  # the hostile people fact from the results: quote, note, scope, source, id
            "y",
            "x",  # closes the copy notice
            "/干部\r",  # the hostile metric and scope
            "y",
            "x",
            "\x1b",
            "?",  # the help
            "\x1b",
            "\x10",  # ctrl+p: the palette, with hostile county and metric names
            "e",
            "v",
            "\x1b",
            "\x10",
            "干部\r",  # a hostile metric across the counties
            "g",  # the tree by theme: a hostile theme name
            "\x1b[F",  # End: the last theme, opened when the cursor rests
            "\x1b[H",
            "\x10",
            "Evil\r",  # the hostile county's overview
            "y",
            "x",
            "l",  # the same in English
            "/100\r",
            "y",
        ]
        for keys in steps:
            term.send(keys)
            term.settle(0.4, limit=5)
        term.settle(1.0)
        leaks, copied = raw_leaks(term.output)
        assert not leaks, leaks
        assert len(copied) >= 4 and all(_clean_copy(text) for text in copied), copied
        assert any("\\x1b" in text for text in copied)  # the hostile text was copied, visibly escaped
        assert b"[@click=app.quit]" in term.output and b"[link=https://evil.example]" in term.output  # as text
    finally:
        term.close()


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
async def test_the_palette_shows_markup_in_names_as_text_and_never_empties(make_app, worse: Path) -> None:
    from textual.command import CommandList, CommandPalette

    app = make_app(worse)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Evil")
        prompts: list[str] = []
        for _ in range(40):
            await pilot.pause(0.05)
            options = app.screen.query_one(CommandList)
            prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            if len(prompts) >= 2:
                break
        shown = " ".join(prompts)
        assert "[bold red]粗[/]" in shown and "[@click=app.quit]" in shown, prompts  # literally
        assert "\x1b" not in shown and "\\x1b" in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("a")  # Alpha, then every other match: a '[/]' must not empty the list
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.query_one(CommandList).option_count > 2:
                break
        assert app.screen.query_one(CommandList).option_count > 2


async def test_a_copy_of_hostile_text_is_printable_lines_and_shown_exactly(make_app, worse: Path) -> None:
    app = make_app(worse)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.4)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for place in [Place("county", county="evil"), Place("theme", county="evil", theme="evil")]:
            screen.visit(place)
            await settle(pilot)
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, CopiedScreen)
            text = app.clipboard
            assert _clean_copy(text) and "\\x1b" in text
            assert app.screen.text == text  # the notice shows exactly what was copied
            await pilot.press("escape")


async def test_pasted_and_saved_queries_are_sanitised(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual import events

    from tui.app.widgets.search import SearchBar

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one(SearchBar).post_message(events.Paste("甲\x1b]0;pwned\x07\u202e县\nsecond line"))
        await pilot.pause()
        assert app.screen.query_one(SearchBar).value == "甲\\x1b]0;pwned\\x07\\u202e县"
