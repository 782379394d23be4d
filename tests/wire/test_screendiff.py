"""The screen-diff writer shows what Textual's own bytes show, cell for cell (chars and
attributes, in a terminal emulator), and sends fewer bytes doing it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.termdiff import DEFAULT_PEN, ScreenDiff, pen_change

from .pyteterm import Term

COLUMNS, LINES = 20, 6


def run(chunks: list[str | tuple[int, int]], size: tuple[int, int] = (COLUMNS, LINES)) -> tuple[Term, Term, str]:
    """Feed ``chunks`` (a tuple is a resize) to a plain terminal and, through the writer, to a
    second one; after every chunk the two must show the same."""
    plain, through = Term(*size), Term(*size)
    writer = ScreenDiff(*size)
    sent = writer.reset_pen()
    through.feed(sent)
    for chunk in chunks:
        if isinstance(chunk, tuple):
            plain.resize(*chunk)
            through.resize(*chunk)
            writer.resize(*chunk)
            continue
        plain.feed(chunk)
        out = writer.write(chunk)
        sent += out
        through.feed(out)
        assert plain.differences(through) == [], (chunk, out)
    return plain, through, sent


# -- frames as Textual writes them, and worse -------------------------------------------------

_TEXT = st.text(alphabet="ab 石柱县汉字！│─é\u0301", min_size=1, max_size=12)
_GRAPHEME = st.sampled_from(["a", "b", " ", "石", "汉", "！", "│", "e\u0301"])
_GRAPHEMES = st.lists(_GRAPHEME, min_size=1, max_size=8).map("".join)
_SGR = st.sampled_from(
    ["0", "", "1", "2", "3", "4", "7", "9", "22", "23", "24", "27", "31", "32;40", "39;49", "97", "44",
     "1;31;47", "2;39;49", "38;5;39", "48;5;236", "38;2;10;20;30", "48;2;200;0;0", "0;7", "53", "5"]
)  # fmt: skip
_MODES = st.sampled_from(
    ["\x1b[?25l", "\x1b[?25h", "\x1b[?2026h", "\x1b[?2026l", "\x1b[?1000h", "\x1b[?1003l", "\x1b[?2004h",
     "\x1b[?7l", "\x1b[?7h", "\x1b]52;c;5rGJ5a2X\x07", "\x1b]0;povtui\x07", "\x1b[?1004h", "\x1b[6n",
     "\x1b[>21u", "\x1b[?2026$p", "\x07"]
)  # fmt: skip
_ODD = st.sampled_from(
    ["\x1b[?1049h", "\x1b[?1049l", "\x1b[2L", "\x1b[3P", "\x1b[2@", "\x1b[S", "\x1b[1T", "\x1b[2M", "\x1b7",
     "\x1b8", "\x1bD", "\x1bM", "\x1b[?6h\x1b[?6l", "\x1b[2;4r\x1b[r", "\x1b[4h", "\x1b[4l", "\x1b[s", "\x1b[u",
     "\x1b[5X", "\t", "\x1b[?99h", "\x1b(0qq\x1b(B", "\u200d", "👍", "\U0001f1e8\U0001f1f3", "\x1b[1:2m"]
)  # fmt: skip


@st.composite
def _op(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 12))
    if kind <= 2:
        return draw(_TEXT)
    if kind == 3:
        return f"\x1b[{draw(_SGR)}m"
    if kind == 4:
        return f"\x1b[{draw(st.integers(0, LINES + 1))};{draw(st.integers(0, COLUMNS + 1))}H"
    if kind == 5:
        return draw(st.sampled_from(["\r", "\n", "\b", "\x1b[C", "\x1b[3D", "\x1b[A", "\x1b[2B", "\x1b[5G", "\x1b[3d"]))
    if kind == 6:
        return draw(st.sampled_from(["\x1b[K", "\x1b[1K", "\x1b[2K", "\x1b[J", "\x1b[1J", "\x1b[2J", "\x1b[3X"]))
    if kind == 7:
        return draw(_MODES)
    if kind == 8:
        return draw(_ODD)
    # a line as Textual draws one: a move, then styled runs each closed by a reset
    row, col = draw(st.integers(1, LINES)), draw(st.integers(1, COLUMNS // 2))
    runs = draw(st.lists(st.tuples(_SGR, _TEXT), min_size=1, max_size=3))
    return f"\x1b[{row};{col}H" + "".join(f"\x1b[{sgr}m{text}\x1b[0m" for sgr, text in runs)


@st.composite
def _session(draw: st.DrawFn) -> list[str | tuple[int, int]]:
    data = "".join(draw(st.lists(_op(), min_size=1, max_size=40)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(data)), max_size=8))))
    chunks: list[str | tuple[int, int]] = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(chunks)))
        chunks.insert(at, (draw(st.integers(4, 30)), draw(st.integers(2, 10))))
    return chunks


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_session())
def test_random_frames_show_the_same_through_the_writer(chunks: list[str | tuple[int, int]]) -> None:
    run(chunks)


def _cells(text: str) -> int:
    return sum(2 if ch in "石柱县汉字！" else 0 if ch == "\u0301" else 1 for ch in text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, LINES), _SGR, _GRAPHEMES, _SGR, _GRAPHEMES), min_size=1, max_size=30))
def test_textual_like_frames_are_never_sent_unchanged(lines: list[tuple[int, str, str, str, str]]) -> None:
    """Frames Textual's way (a whole line of styled runs each closed by a reset, a move at the
    end): all modelled, none passed raw, and the screens equal."""
    frames = ["\x1b[?1049h"]
    for row, sgr, text, sgr2, text2 in lines:
        pad = COLUMNS - _cells(text) - _cells(text2)
        if pad < 0:
            continue
        frames.append(f"\x1b[{row};1H\x1b[{sgr}m{text}\x1b[0m\x1b[{sgr2}m{text2}{' ' * pad}\x1b[0m\x1b[1;1H")
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    for frame in frames:
        writer.write(frame)
    assert writer.raw_chunks == 0
    run(frames)


# -- what goes out ------------------------------------------------------------------------


def test_an_unchanged_frame_costs_nothing_but_the_cursor() -> None:
    frame = "\x1b[1;1H\x1b[1;31mhello 汉字\x1b[0m   \n\x1b[2;1H\x1b[2mdim\x1b[0m\x1b[3;4H"
    _, _, sent = run([frame])
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write(frame)
    assert writer.write(frame) == ""
    assert writer.write("\x1b[1;1H") == "\x1b[H"


def test_one_changed_character_is_one_move_and_the_character() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[2;1Habcdefgh\x1b[1;1H")
    assert writer.write("\x1b[2;1Habcdxfgh\x1b[1;1H") == "\x1b[2;5Hx\x1b[H"


def test_colour_changes_are_relative_to_the_current_pen() -> None:
    bold_red = (frozenset({1}), (31,), (49,))
    assert pen_change(bold_red, (frozenset({1}), (32,), (49,))) == "\x1b[32m"
    assert pen_change(bold_red, DEFAULT_PEN) == "\x1b[m"
    assert pen_change((frozenset({1, 2}), (31,), (49,)), (frozenset({2}), (31,), (49,))) == "\x1b[22;2m"
    assert pen_change(None, bold_red) == "\x1b[0;1;31m"


def test_a_blank_end_of_line_is_erased_not_spaced() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[1;1H" + "x" * COLUMNS + "\x1b[6;1H")
    out = writer.write("\x1b[1;1Hab" + " " * (COLUMNS - 2) + "\x1b[6;1H")
    assert "\x1b[K" in out and " " * 4 not in out
    run(["\x1b[1;1H" + "x" * COLUMNS + "\x1b[6;1H", "\x1b[1;1Hab" + " " * (COLUMNS - 2) + "\x1b[6;1H"])


def test_a_wide_character_is_replaced_whole() -> None:
    run(["\x1b[1;1H汉字ab\x1b[6;1H", "\x1b[1;2Hxy\x1b[6;1H", "\x1b[1;1H石x\x1b[6;1H", "\x1b[1;3H字\x1b[6;1H"])
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[1;1H汉字ab\x1b[6;1H")
    # the right half of 汉 and the left of 字 changed: both whole characters are written
    assert writer.write("\x1b[1;1H汉xy\x1b[1;5Hab\x1b[6;1H") == "\x1b[;3Hxy\x1b[6H"
    assert writer.raw_chunks == 0


def test_half_a_wide_character_left_over_is_not_guessed() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[1;1H汉字\x1b[6;1H")
    frame = "\x1b[1;2Hx\x1b[6;1H"  # the terminal decides what is left of 汉
    assert writer.write(frame) == frame and writer.raw_chunks == 1
    assert writer.cells[0][0] is None and writer.cells[0][1] is not None


def test_combining_marks_stay_with_their_character() -> None:
    run(["\x1b[1;1He\u0301a\x1b[6;1H", "\x1b[1;1He\u0301b\x1b[6;1H", "\x1b[1;1Hea\x1b[6;1H"])


def test_mode_switches_pass_through_in_order() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    modes = "\x1b[?1049h\x1b[?1000h\x1b[?2004h\x1b]52;c;5rGJ\x07\x1b]0;title\x07\x1b[?25l"
    assert writer.write(modes) == modes
    out = writer.write("\x1b[1;1Hab\x1b[?25h\x1b[1;3H")
    assert out.index("ab") < out.index("\x1b[?25h")


def test_an_unknown_sequence_is_passed_and_the_model_forgotten() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[1;1Habc\x1b[6;1H")
    out = writer.write("\x1b[2L")  # insert lines: not modelled
    assert out.endswith("\x1b[2L") and all(cell is None for line in writer.cells for cell in line)
    assert "abc" in writer.write("\x1b[1;1Habc\x1b[6;1H")  # drawn again in full


def test_a_full_screen_after_forgetting_is_a_clear_and_the_text() -> None:
    frame = "\x1b[1;1H" + "\n".join(f"\x1b[{r + 1};1H" + ("ab" + " " * (COLUMNS - 2)) for r in range(LINES))
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[?1049h")
    out = writer.write(frame + "\x1b[1;1H")
    assert "\x1b[2J" in out and len(out) < len(frame) / 3 and writer.full_repaints == 1
    run(["\x1b[?1049h", frame + "\x1b[1;1H"])


def test_an_empty_synchronised_update_is_not_sent() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write("\x1b[1;1Hab\x1b[1;1H")
    assert writer.write("\x1b[?2026h") + writer.write("\x1b[1;1Hab\x1b[1;1H") + writer.write("\x1b[?2026l") == ""
    sent = writer.write("\x1b[?2026h") + writer.write("\x1b[1;1Hxb\x1b[1;1H") + writer.write("\x1b[?2026l")
    assert sent.startswith("\x1b[?2026h") and sent.endswith("\x1b[?2026l") and "x" in sent


def test_a_sequence_split_across_writes_is_held_until_complete() -> None:
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    assert writer.write("\x1b[1;1Hab\x1b[3") == "\x1b[Hab"
    assert writer.write("1mc\x1b[0m") == "\x1b[31mc"


def test_repaint_redraws_everything_known() -> None:
    frame = "\x1b[1;1H" + "".join(f"\x1b[{r + 1};1H" + " " * COLUMNS for r in range(LINES)) + "\x1b[2;2Hhi\x1b[1;1H"
    plain, through = Term(COLUMNS, LINES), Term(COLUMNS, LINES)
    writer = ScreenDiff(COLUMNS, LINES)
    through.feed(writer.reset_pen())
    plain.feed(frame)
    through.feed(writer.write(frame))
    through.feed("\x1b[3;3Hgarbage")  # line noise
    repaint = writer.repaint()
    assert repaint.startswith("\x1b[2J") or "\x1b[2J" in repaint
    through.feed(repaint)
    assert plain.differences(through) == []


def test_resize_forgets_and_the_next_frame_is_drawn_whole() -> None:
    frame = "\x1b[1;1Habc\x1b[1;1H"
    writer = ScreenDiff(COLUMNS, LINES)
    writer.reset_pen()
    writer.write(frame)
    writer.resize(30, 8)
    assert writer.size == (30, 8) and "abc" in writer.write(frame)
    run([frame, (30, 8), frame])


# -- recorded sessions of the app -----------------------------------------------------------

SESSIONS = sorted((Path(__file__).parent / "sessions").glob("*.jsonl.gz"))


def _recorded(path: Path) -> list[tuple[str, tuple[int, int]]]:
    """What Textual wrote in a real session of povtui in field mode, write by write, with the
    terminal's size (recorded with ``tests/wire/recorder.py``)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [(data, (size[0], size[1])) for data, size in map(json.loads, lines)]


@pytest.mark.parametrize("path", SESSIONS, ids=[p.name.split(".")[0] for p in SESSIONS])
def test_recorded_sessions_show_the_same_for_far_fewer_bytes(path: Path) -> None:
    records = _recorded(path)
    chunks: list[str | tuple[int, int]] = []
    size = records[0][1]
    for data, now in records:
        if now != size:
            chunks.append(now)
            size = now
        chunks.append(data)
    _, _, sent = run(chunks, records[0][1])
    textual = sum(len(data.encode()) for data, _ in records)
    assert len(sent.encode()) < textual / 4


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_recorded_sessions_cut_anywhere_show_the_same(data: st.DataObject) -> None:
    """The same sessions, cut at any points (inside escape sequences too)."""
    records = _recorded(data.draw(st.sampled_from(SESSIONS)))
    size = records[0][1]
    stream = "".join(text for text, now in records if now == size)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(stream)), min_size=1, max_size=60))))
    run([stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)], size)


def test_text_past_the_right_margin_forgets_where_the_cursor_is() -> None:
    """Found by the property test: 21 characters on a 20-column line wrap onto the next row, so
    a later move to the first row must not be sent as a bare carriage return."""
    run([f"\x1b[1;1H\x1b[0m{'a' * (COLUMNS + 1)}", "\x1b[0m\x1b[1;1H\x1b[0ma\x1b[0m"])
