"""Colour codes that change nothing are dropped from what povtui writes; the screen they draw
is the same, cell for cell (checked on a small model of a terminal's SGR state)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.app.terminal import trim_sgr

_TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|(\r)|(\n)|(.)", re.S)


def _screen(data: str) -> dict[tuple[int, int], tuple[str, tuple[object, ...]]]:
    """Each written cell with the rendition it was written in (a model of SGR, enough here)."""
    cells: dict[tuple[int, int], tuple[str, tuple[object, ...]]] = {}
    row = col = 0
    attrs: set[str] = set()
    fg: object = "default"
    bg: object = "default"
    for move_row, move_col, sgr, cr, lf, char in (m.groups() for m in _TOKEN.finditer(data)):
        if move_row:
            row, col = int(move_row) - 1, int(move_col) - 1
        elif sgr is not None:
            codes = [int(c) if c else 0 for c in sgr.split(";")]
            i = 0
            while i < len(codes):
                code = codes[i]
                if code == 0:
                    attrs, fg, bg = set(), "default", "default"
                elif code in (38, 48):
                    size = 3 if codes[i + 1] == 5 else 5
                    colour = tuple(codes[i + 1 : i + size])
                    fg, bg = (colour, bg) if code == 38 else (fg, colour)
                    i += size - 1
                elif code == 39:
                    fg = "default"
                elif code == 49:
                    bg = "default"
                elif 30 <= code <= 37 or 90 <= code <= 97:
                    fg = code
                elif 40 <= code <= 47 or 100 <= code <= 107:
                    bg = code
                elif code == 22:
                    attrs -= {"1", "2"}
                else:
                    attrs.add(str(code))
                i += 1
        elif cr:
            col = 0
        elif lf:
            row += 1
        else:
            cells[row, col] = (char, (frozenset(attrs), fg, bg))
            col += 1
    return cells


def test_a_reset_then_the_default_colours_is_only_a_reset() -> None:
    assert trim_sgr("\x1b[0m\x1b[39;49mabc") == "\x1b[0mabc"
    assert trim_sgr("x\x1b[0m\x1b[2;39;49m 15") == "x\x1b[0m\x1b[2m 15"
    assert trim_sgr("\x1b[0m\n\x1b[6;1H\x1b[30;49m  ") == "\x1b[0m\n\x1b[6;1H\x1b[30m  "  # across a line and a move


def test_codes_that_do_change_something_stay() -> None:
    for data in (
        "\x1b[0m\x1b[38;5;39;49mx",  # colour 39 of 256, not the default colour
        "\x1b[0m\x1b[1;30;47mx",  # no default colour in it
        "\x1b[1m\x1b[39;49mx",  # not after a reset: bold and default colours stand
        "\x1b[0mtext\x1b[39;49mx",  # text between
        "plain text, 汉字",
    ):
        assert trim_sgr(data) == data


_SGR = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "1;2",
        "39;49",
        "39",
        "49",
        "30;49",
        "1;30;47",
        "2;39;49",
        "7",
        "38;5;39;49",
        "38;5;39",
        "48;5;49",
        "38;2;39;49;1",
        "90;100",
        "22",
        "",
        "0;1",
    ]
)
_TEXT = st.text(alphabet="ab 汉", min_size=1, max_size=4)
_PIECE = st.one_of(
    st.builds(lambda codes: f"\x1b[{codes}m", _SGR),
    st.builds(lambda codes, text: f"\x1b[0m\x1b[{codes}m{text}", _SGR, _TEXT),  # what Textual writes most
    st.builds(lambda r, c: f"\x1b[{r};{c}H", st.integers(1, 5), st.integers(1, 9)),
    st.sampled_from(["\n", "\r\n", "\x1b[0m", "\x1b[0m\x1b[39;49m"]),
    _TEXT,
)


@settings(max_examples=300)
@given(st.lists(_PIECE, max_size=30))
def test_the_screen_drawn_is_the_same(pieces: list[str]) -> None:
    data = "".join(pieces)
    assert _screen(trim_sgr(data)) == _screen(data)
