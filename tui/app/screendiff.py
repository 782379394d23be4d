"""Field mode's screen-diff writer: what Textual writes goes in, the fewest bytes that bring the
terminal to the same screen come out. Pure: no Textual import, ``str`` in and ``str`` out.

The writer keeps a model of the terminal's cells (text, width, pen), its cursor and its pen. A
chunk Textual writes is parsed into the model; the cells that changed go out as runs, with the
shortest cursor moves and colour changes relative to the current pen. What the model cannot
follow exactly is never guessed: a chunk with such a part is sent unchanged (the terminal does
then exactly what it would have done without the writer) and the cells it leaves uncertain are
forgotten, so the next frame that draws them sends them in full. Mode switches, queries, the
clipboard and the title pass through in order. Widths are Rich's (as Textual measures).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from rich.cells import get_character_cell_size

__all__ = ["DEFAULT_PEN", "Pen", "ScreenDiff"]

Colour = tuple[int, ...]
Pen = tuple[frozenset[int], Colour, Colour]
"""Attributes (SGR codes 1-9, 21, 51-53), foreground and background as their SGR codes."""
Cell = tuple[str, Pen, int]
"""Text (a character and its combining marks), pen, width: 1, 2, or 0 for a wide character's
right half."""

DEFAULT_PEN: Pen = (frozenset(), (39,), (49,))
BLANK: Cell = (" ", DEFAULT_PEN, 1)

_TOKEN = re.compile(
    r"(\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e])"  # 1 CSI
    r"|(\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"  # 2 OSC
    r"|(\x1b[P_^X][^\x1b]*\x1b\\)"  # 3 DCS, APC, PM, SOS
    r"|(\x1b[\x20-\x2f]*[\x30-\x7e])"  # 4 other escapes
    r"|([^\x00-\x1f\x7f-\x9f]+)"  # 5 text
    r"|([\x00-\x1f\x7f-\x9f])",  # 6 one control character (a lone ESC included)
    re.S,
)
_PARTIAL = re.compile(r"\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*|\][^\x07\x1b]*\x1b?|[P_^X][^\x1b]*\x1b?|[\x20-\x2f]*)\Z")
_HOLD_LIMIT = 1 << 20

_ATTRS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53})
_OFF = {1: 22, 2: 22, 3: 23, 4: 24, 21: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29, 51: 54, 52: 54, 53: 55}
_CLEARS = {22: (1, 2), 23: (3,), 24: (4, 21), 25: (5, 6), 27: (7,), 28: (8,), 29: (9,), 54: (51, 52), 55: (53,)}
# private modes that change no cell and no cursor: cursor keys, blink, autowrap (the writer never
# writes past the last column), cursor shown, mouse reports, focus, bracketed paste, sync, resize
_HARMLESS_MODES = frozenset(
    {1, 7, 12, 25, 9, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1015, 1016, 1034, 1036, 1039, 2004, 2026, 2048}
)
_HARMLESS_OSC = frozenset({"0", "1", "2", "4", "7", "9", "10", "11", "12", "22", "52", "104", "110", "111", "112"})
# zero-width or width-changing characters terminals disagree on: never modelled
_UNSURE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff]")
SYNC_START, SYNC_END = "\x1b[?2026h", "\x1b[?2026l"


class _Stuck(Exception):
    """The chunk has a part the model cannot follow exactly: send it unchanged."""


@lru_cache(maxsize=4096)
def _width(char: str) -> int:
    """1 or 2 cells; 0 for a combining mark; -1 for what is not modelled."""
    if _UNSURE.match(char):
        return -1
    size = get_character_cell_size(char)
    if size == 0:
        return 0 if unicodedata.combining(char) else -1
    return size


def _sgr(codes: list[int]) -> str:
    return "\x1b[" + ";".join(map(str, codes)) + "m"


def _pen_codes(pen: Pen) -> list[int]:
    attrs, fg, bg = pen
    return sorted(attrs) + (list(fg) if fg != (39,) else []) + (list(bg) if bg != (49,) else [])


@lru_cache(maxsize=4096)
def pen_change(old: Pen | None, new: Pen) -> str:
    """The shortest SGR sequence from pen ``old`` (``None``: unknown) to ``new``."""
    if old == new:
        return ""
    codes = _pen_codes(new)
    full = _sgr([0, *codes]) if codes else "\x1b[m"
    if old is None:
        return full
    offs = {_OFF[a] for a in old[0] - new[0]}
    readd = {a for a in new[0] if _OFF[a] in offs}
    delta = sorted(offs) + sorted((new[0] - old[0]) | readd)
    if new[1] != old[1]:
        delta += list(new[1])
    if new[2] != old[2]:
        delta += list(new[2])
    relative = _sgr(delta)
    return relative if len(relative) < len(full) else full


def _apply_sgr(pen: Pen | None, params: str) -> Pen | None:
    """The pen after ``ESC[params m``; ``None`` when unknown. Raises ValueError on codes the
    model does not follow."""
    if ":" in params:
        raise ValueError(params)
    codes = [int(code) if code else 0 for code in params.split(";")]
    attrs: set[int] = set(pen[0]) if pen else set()
    fg, bg = pen[1:] if pen else ((39,), (49,))
    known = pen is not None
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            attrs, fg, bg, known = set(), (39,), (49,), True
        elif code in _ATTRS:
            attrs.add(code)
        elif code in _CLEARS:
            attrs.difference_update(_CLEARS[code])
        elif 30 <= code <= 37 or 90 <= code <= 97 or code == 39:
            fg = (code,)
        elif 40 <= code <= 47 or 100 <= code <= 107 or code == 49:
            bg = (code,)
        elif code in (38, 48):
            kind = codes[i + 1] if i + 1 < len(codes) else -1
            size = 3 if kind == 5 else 5 if kind == 2 else 0
            colour = tuple(codes[i : i + size])
            if not size or len(colour) != size or any(not 0 <= c <= 255 for c in colour[2:]):
                raise ValueError(params)
            fg, bg = (colour, bg) if code == 38 else (fg, colour)
            i += size - 1
        else:
            raise ValueError(params)
        i += 1
    return (frozenset(attrs), fg, bg) if known else None


class _Out:
    """Bytes going out, and the terminal's cursor and pen after them (``None``: unknown; a
    column equal to the width: just wrote the last column, only absolute moves are sure)."""

    def __init__(self, width: int, row: int | None, col: int | None, pen: Pen | None) -> None:
        self.width, self.row, self.col, self.pen = width, row, col, pen
        self.parts: list[str] = []

    def copy(self) -> _Out:
        other = _Out(self.width, self.row, self.col, self.pen)
        other.parts = list(self.parts)
        return other

    def size(self) -> int:
        return sum(len(part.encode()) for part in self.parts)

    def move(self, row: int, col: int) -> None:
        if (row, col) != (self.row, self.col):
            self.parts.append(self.move_text(row, col))
            self.row, self.col = row, col

    def move_text(self, row: int, col: int) -> str:
        best = f"\x1b[{row + 1 if row else ''}" + (f";{col + 1}H" if col else "H")
        if self.row is None:
            return best
        dy = row - self.row
        vertical = "" if dy == 0 else f"\x1b[{'' if abs(dy) == 1 else abs(dy)}{'B' if dy > 0 else 'A'}"
        choices = [vertical + "\r" + (f"\x1b[{'' if col == 1 else col}C" if col else ""), vertical + f"\x1b[{col + 1}G"]
        if self.col is not None and self.col < self.width:
            dx = col - self.col
            choices.append(
                vertical + ("" if dx == 0 else f"\x1b[{'' if abs(dx) == 1 else abs(dx)}{'C' if dx > 0 else 'D'}")
            )
        for choice in choices:
            if len(choice) < len(best):
                best = choice
        return best

    def set_pen(self, pen: Pen) -> None:
        change = pen_change(self.pen, pen)
        if change:
            self.parts.append(change)
            self.pen = pen

    def cells(self, row: int, start: int, end: int, line: list[Cell | None]) -> None:
        self.move(row, start)
        for col in range(start, end):
            cell = line[col]
            assert cell is not None
            if cell[2]:
                self.set_pen(cell[1])
                self.parts.append(cell[0])
        self.col = end


class ScreenDiff:
    """Turn what Textual writes into the fewest bytes that show the same screen."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[Cell | None]] = [[None] * width for _ in range(height)]
        """What the terminal shows; ``None``: not known (what it shows is what it would
        show without the writer)."""
        self.row: int | None = None
        self.col: int | None = None
        self.pen: Pen | None = None
        """The cursor and pen as Textual's own bytes would have left them."""
        self.sent: tuple[int | None, int | None, Pen | None] = (None, None, None)
        """The terminal's real cursor and pen, after what the writer sent."""
        self.same_cursor = self.same_pen = True
        """The terminal's cursor (pen) is Textual's even where neither is known."""
        self.odd: set[str] = set()
        """Modes under which nothing is modelled (scroll margins, origin, insert, charsets)."""
        self.sync_held = False
        self.held = ""
        self.raw_chunks = self.diffed_chunks = self.full_repaints = 0
        self._old: dict[tuple[int, int], Cell | None] = {}
        self._strict = True

    # -- the public API ---------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def complete(self) -> bool:
        """Every cell is known."""
        return all(cell is not None for line in self.cells for cell in line)

    def write(self, data: str) -> str:
        """What to send to the terminal for ``data`` (what Textual would have sent)."""
        data = self.held + data
        self.held = ""
        cut = data.rfind("\x1b")
        if cut >= 0 and _PARTIAL.match(data, cut) and len(data) - cut < _HOLD_LIMIT:
            data, self.held = data[:cut], data[cut:]
        if not data:
            return ""
        saved = self._save()
        try:
            self._strict = True
            out = self._run(data)
            self.diffed_chunks += 1
        except _Stuck:
            self._restore(saved)
            out = self._run_raw(data)
            self.raw_chunks += 1
        return self._with_sync(out)

    def forget(self) -> None:
        """The terminal may show anything (a resume, an unknown state): know nothing."""
        self.cells = [[None] * self.width for _ in range(self.height)]
        self.row = self.col = None
        self.pen = None
        self.sent = (None, None, None)
        self.same_cursor = self.same_pen = True
        self._old = {}

    def resize(self, width: int, height: int) -> None:
        """The terminal changed size: what it shows is not known (it may have reflowed)."""
        pen, sent_pen, same_pen = self.pen, self.sent[2], self.same_pen
        self.width, self.height = width, height
        self.forget()
        self.pen, self.same_pen = pen, same_pen  # a resize changes no pen
        self.sent = (None, None, sent_pen)

    def reset_pen(self) -> str:
        """Bytes that make the pen known (the default), for a fresh start."""
        self.pen = DEFAULT_PEN
        self.sent = (self.sent[0], self.sent[1], DEFAULT_PEN)
        return "\x1b[0m"

    def repaint(self) -> str:
        """Everything known, drawn again on a cleared screen (ctrl+l): the cursor and pen are
        left where Textual left them. Cells not known stay as they are until Textual draws them
        (see :attr:`complete`)."""
        out = _Out(self.width, *self.sent)
        if self.complete:
            out.set_pen(DEFAULT_PEN)
            out.parts.append("\x1b[2J")
            drawn = {r: [c for c, cell in enumerate(line) if cell != BLANK] for r, line in enumerate(self.cells)}
            self._emit(out, drawn, None)
        else:
            drawn = {r: [c for c, cell in enumerate(line) if cell is not None] for r, line in enumerate(self.cells)}
            self._emit(out, drawn, {})
        self._finish(out)
        self.sent = (out.row, out.col, out.pen)
        self.full_repaints += 1
        return "".join(out.parts)

    # -- the model --------------------------------------------------------------------------

    def _save(self) -> tuple[object, ...]:
        return ([list(line) for line in self.cells], self.row, self.col, self.pen, self.sent, self.same_cursor,
                self.same_pen, set(self.odd))  # fmt: skip

    def _restore(self, saved: tuple[object, ...]) -> None:
        (self.cells, self.row, self.col, self.pen, self.sent, self.same_cursor, self.same_pen, self.odd) = saved  # type: ignore[assignment]
        self._old = {}

    def _with_sync(self, out: str) -> str:
        """An empty synchronised update (Textual brackets every frame) is not sent at all."""
        if out == SYNC_START:
            self.sync_held = True
            return ""
        if self.sync_held:
            if out.startswith(SYNC_END):
                self.sync_held = False
                return out[len(SYNC_END) :]
            if out:
                self.sync_held = False
                return SYNC_START + out
        return out

    def _run_raw(self, data: str) -> str:
        """``data`` unchanged, after making the terminal's cursor and pen Textual's; the model
        follows with what it can be sure of."""
        prefix = _Out(self.width, *self.sent)
        if self.row is not None and self.col is not None and self.col < self.width:
            if not self.same_cursor:
                prefix.move(self.row, self.col)
        if self.pen is not None and not self.same_pen:
            prefix.set_pen(self.pen)
        self._strict = False
        self._parse(data, _Out(self.width, None, None, None))
        self.sent = (self.row, self.col, self.pen)
        self.same_cursor = self.same_pen = True
        self._old = {}
        return "".join(prefix.parts) + data

    def _run(self, data: str) -> str:
        out = _Out(self.width, *self.sent)
        self._parse(data, out)
        self._flush(out)
        self._finish(out)
        self.sent = (out.row, out.col, out.pen)
        return "".join(out.parts)

    def _finish(self, out: _Out) -> None:
        """The terminal's cursor to Textual's (where an input method draws)."""
        if self.row is not None and self.col is not None and self.col < self.width:
            out.move(self.row, self.col)
            self.same_cursor = True
        elif not self.same_cursor:
            raise _Stuck
        if self.pen is None and not self.same_pen:
            raise _Stuck

    def _unsure(self) -> None:
        if self._strict:
            raise _Stuck

    def _set(self, row: int, col: int, cell: Cell | None) -> None:
        line = self.cells[row]
        if (row, col) not in self._old:
            self._old[row, col] = line[col]
        line[col] = cell

    def _clear_partner(self, row: int, col: int) -> None:
        """Before ``col`` is written: a wide character it is half of loses its other half."""
        line = self.cells[row]
        cell = line[col]
        if cell is None:
            return
        if cell[2] == 0:
            self._set(row, col - 1, None)
        elif cell[2] == 2:
            self._set(row, col + 1, None)

    def _forget_all(self, *, cursor: bool = True, pen: bool = True) -> None:
        for r in range(self.height):
            for c in range(self.width):
                self.cells[r][c] = None
        self._old = {}
        if cursor:
            self.row = self.col = None
            self.same_cursor = True
        if pen:
            self.pen = None
            self.same_pen = True

    def _passthrough(self, token: str, out: _Out, *, forget: bool = False, keep_pen: bool = False) -> None:
        """A sequence the terminal gets unchanged. ``forget``: it may change cells or the
        cursor in ways not modelled, so the terminal is first made to match Textual's state."""
        if not self._strict:
            if forget:
                self._forget_all(pen=not keep_pen)
            return
        self._flush(out)
        if forget:
            if self.row is not None and self.col is not None and self.col < self.width:
                out.move(self.row, self.col)
            elif not self.same_cursor:
                raise _Stuck
            if self.pen is not None:
                out.set_pen(self.pen)
            elif not self.same_pen:
                raise _Stuck
        out.parts.append(token)
        if forget:
            self._forget_all(pen=not keep_pen)
            out.row = out.col = None
            if not keep_pen:
                out.pen = None

    def _parse(self, data: str, out: _Out) -> None:
        for match in _TOKEN.finditer(data):
            csi, osc, string, esc, text, control = match.groups()
            if self.odd:
                self._odd_token(match.group(), out)
            elif text is not None:
                self._text(text)
            elif csi is not None:
                self._csi(csi, out)
            elif control is not None:
                self._control(control, out)
            elif osc is not None:
                number = osc[2:].split(";", 1)[0].rstrip("\x07\x1b\\")
                if number == "8":
                    self.odd.add("link")  # cells carry a link: not modelled until it ends
                    self._passthrough(osc, out, forget=True, keep_pen=True)
                else:
                    self._passthrough(osc, out, forget=number not in _HARMLESS_OSC, keep_pen=True)
            elif esc is not None:
                self._esc(esc, out)
            else:
                self._passthrough(string, out, forget=True)

    def _odd_token(self, token: str, out: _Out) -> None:
        """Under an odd mode every chunk goes unchanged; only what ends the mode is looked at."""
        if self._strict:
            raise _Stuck
        if token in ("\x1b[r", "\x1b[?6l", "\x1b[4l", "\x1b[?5l", "\x1b(B", "\x0f", "\x1bc") or (
            token.startswith("\x1b]8;") and token.rstrip("\x07\\\x1b").endswith(";")
        ):
            self.odd.discard({"\x1b[r": "margins", "\x1b[?6l": "origin", "\x1b[4l": "insert", "\x1b[?5l": "reverse",
                              "\x1b(B": "charset", "\x0f": "shift", "\x1bc": ""}.get(token, "link"))  # fmt: skip
            if token == "\x1bc":
                self.odd.clear()
        self._forget_all()

    def _text(self, text: str) -> None:
        for char in text:
            width = _width(char)
            row, col, pen = self.row, self.col, self.pen
            if width == 0:
                self._combining(char)
                continue
            if width < 0 or row is None or col is None or col + width > self.width:
                self._unsure()
                if row is None:
                    self._forget_all(pen=False)
                else:
                    for c in range(self.width):
                        self._set(row, c, None)
                    self.col = None
                continue
            self._clear_partner(row, col)
            if width == 2:
                self._clear_partner(row, col + 1)
            if pen is None:
                self._unsure()
                self._set(row, col, None)
                if width == 2:
                    self._set(row, col + 1, None)
            else:
                self._set(row, col, (char, pen, width))
                if width == 2:
                    self._set(row, col + 1, ("", pen, 0))
            self.col = col + width
            self.same_cursor = False

    def _combining(self, char: str) -> None:
        row, col = self.row, self.col
        if row is None or col is None or col == 0:
            self._unsure()
            if row is not None and col is None:
                for c in range(self.width):
                    self._set(row, c, None)
            elif row is None or col is None:
                self._forget_all(pen=False)
            elif row > 0:
                self._set(row - 1, self.width - 1, None)
            return
        cell = self.cells[row][col - 1]
        if cell is None or cell[2] != 1:
            self._unsure()
            if cell is not None:
                self._clear_partner(row, col - 1)
            self._set(row, col - 1, None)
            return
        self._set(row, col - 1, (cell[0] + char, cell[1], 1))

    def _moved(self, row: int | None, col: int | None) -> None:
        if row is not None:
            row = max(0, min(self.height - 1, row))
        if col is not None:
            col = max(0, min(self.width - 1, col))
        self.row, self.col = row, col
        self.same_cursor = False

    def _control(self, char: str, out: _Out) -> None:
        if char == "\r":
            self._moved(self.row, 0)
        elif char in "\n\x0b\x0c":
            if self.row is None or self.row >= self.height - 1:  # a scroll
                self._unsure()
                self._forget_all(pen=False)
                return
            self._moved(self.row + 1, None)  # a column kept or a return made: the tty decides
        elif char == "\b":
            if self.col is None or self.col >= self.width:
                self._unsure()
                self.col = None
            elif self.col:
                self._moved(self.row, self.col - 1)
        elif char == "\x07":
            self._passthrough(char, out)
        elif char in "\x0e":
            self.odd.add("shift")
            self._passthrough(char, out, forget=True)
        elif char == "\x0f":
            self._passthrough(char, out)
        else:
            self._passthrough(char, out, forget=True)

    def _esc(self, esc: str, out: _Out) -> None:
        if esc in ("\x1b=", "\x1b>", "\x1b(B", "\x1b7"):
            self._passthrough(esc, out)
        elif esc[1:2] in "()*+-./" and len(esc) == 3:
            if esc[1] == "(":
                self.odd.add("charset")
            self._passthrough(esc, out, forget=esc[1] == "(")
        else:
            self._passthrough(esc, out, forget=True)

    def _csi(self, seq: str, out: _Out) -> None:
        body, final = seq[2:-1], seq[-1]
        prefix = body[:1] if body[:1] in "<=>?" else ""
        params = body[len(prefix) :]
        if params.rstrip("0123456789;:") or prefix:
            self._csi_private(seq, prefix, params, final, out)
            return
        if final == "m":
            try:
                self.pen = _apply_sgr(self.pen, params)
            except ValueError:
                self._unsure()
                self.pen = None
            self.same_pen = False
            return
        numbers = [int(p) if p else 0 for p in params.split(";")] if params and ":" not in params else []
        first = numbers[0] if numbers else 0
        n = max(1, first)
        row, col = self.row, self.col
        if final in "Hf":
            self._moved((first or 1) - 1, ((numbers[1] if len(numbers) > 1 else 0) or 1) - 1)
        elif final in "G`":
            self._moved(row, n - 1)
        elif final == "d":
            self._moved(n - 1, col if col is None or col < self.width else None)
        elif final in "ABCDEF":
            if row is None or (final in "ABCD" and (col is None or col >= self.width)):
                self._unsure()
                self.row = None if final in "ABEF" else row
                self.col = None if final in "CD" else 0 if final in "EF" else col
                return
            dy = {"A": -n, "B": n, "E": n, "F": -n}.get(final, 0)
            dx = {"C": n, "D": -n}.get(final, 0)
            self._moved(row + dy, 0 if final in "EF" else None if col is None else col + dx)
        elif final in "KJX" and self._erase(final, first, n):
            pass
        elif final in "hl":
            if params in ("4", "20") and final == "h":
                if params == "4":
                    self.odd.add("insert")
                self._passthrough(seq, out, forget=params == "4")
            else:
                self._passthrough(seq, out, forget=params not in ("4", "20"))
        elif final in "nc" or (final == "q" and seq[-2:-1] == " "):
            self._passthrough(seq, out)  # reports asked for, cursor style
        elif final == "r":
            if params not in ("", f"1;{self.height}"):
                self.odd.add("margins")
            self._passthrough(seq, out, forget=True)
        else:
            self._passthrough(seq, out, forget=True)

    def _csi_private(self, seq: str, prefix: str, params: str, final: str, out: _Out) -> None:
        if prefix == "?" and final in "hl" and params.replace(";", "").isdigit():
            modes = {int(p) for p in params.split(";") if p}
            if modes <= _HARMLESS_MODES:
                self._passthrough(seq, out)
                return
            for mode, name in ((5, "reverse"), (6, "origin"), (69, "lr-margins"), (2027, "graphemes")):
                if mode in modes and final == "h":
                    self.odd.add(name)
            self._passthrough(seq, out, forget=True, keep_pen=modes == {1049} and final == "h")
        elif final in "up" and (prefix or seq.endswith("$p")) and "!" not in seq:
            self._passthrough(seq, out)  # keyboard protocol, mode queries
        elif final in "nc" or (final == "q" and seq.endswith(" q")):
            self._passthrough(seq, out)  # reports asked for, cursor style
        else:
            self._passthrough(seq, out, forget=True)

    def _erase(self, final: str, mode: int, count: int) -> bool:
        """EL, ED, ECH with a pen every terminal erases alike (no attributes, default
        foreground); ``False`` when not modelled (the sequence then passes and is forgotten)."""
        pen, row, col = self.pen, self.row, self.col
        if pen is None or pen[0] or pen[1] != (39,) or row is None or col is None or col >= self.width:
            return False
        if (final == "X" and mode not in (0, 1, count)) or mode > 3:
            return False
        blank: Cell = (" ", pen, 1)
        w = self.width
        if final == "X":
            spans = [(row, col, min(w, col + count))]
        elif final == "K":
            spans = [(row, *((col, w), (0, col + 1), (0, w))[min(mode, 2)])]
        else:
            if mode == 0:
                spans = [(row, col, w)] + [(r, 0, w) for r in range(row + 1, self.height)]
            elif mode == 1:
                spans = [(r, 0, w) for r in range(row)] + [(row, 0, col + 1)]
            else:
                spans = [(r, 0, w) for r in range(self.height)]
        for r, a, b in spans:
            self._clear_partner(r, a)
            self._clear_partner(r, b - 1)
            for c in range(a, b):
                self._set(r, c, blank)
        return True

    # -- what goes out ----------------------------------------------------------------------

    def _flush(self, out: _Out) -> None:
        """Send the cells that changed since the last flush."""
        if not self._old:
            return
        old, self._old = self._old, {}
        changed: dict[int, list[int]] = defaultdict(list)
        for (r, c), before in old.items():
            now = self.cells[r][c]
            if now is None:
                raise _Stuck  # what the terminal shows here depends on the terminal
            if now != before:
                changed[r].append(c)
        if not changed:
            return
        count = sum(len(cols) for cols in changed.values())
        if count * 3 >= self.width * self.height and self.complete:
            trial = out.copy()
            self._emit(trial, changed, old)
            clear = out.copy()
            clear.set_pen(DEFAULT_PEN)
            clear.parts.append("\x1b[2J")
            everything = {r: [c for c, cell in enumerate(line) if cell != BLANK] for r, line in enumerate(self.cells)}
            self._emit(clear, everything, None)
            best = min(trial, clear, key=_Out.size)
            if best is clear:
                self.full_repaints += 1
            out.parts, out.row, out.col, out.pen = best.parts, best.row, best.col, best.pen
            return
        self._emit(out, changed, old)

    def _emit(self, out: _Out, changed: dict[int, list[int]], old: dict[tuple[int, int], Cell | None] | None) -> None:
        """``old``: the cells as the terminal has them where they differ from the model
        (``None``: the screen was just cleared)."""
        for r in sorted(changed):
            cols = sorted(changed[r])
            if not cols:
                continue

            def before(c: int, r: int = r) -> Cell | None:
                if old is None:
                    return BLANK
                return old.get((r, c), self.cells[r][c])

            line = self.cells[r]
            tail = self._blank_tail(line)
            if tail is not None and sum(1 for c in cols if c >= tail) >= 3:
                plain = out.copy()
                self._emit_runs(plain, r, cols, before)
                erased = out.copy()
                self._emit_runs(erased, r, [c for c in cols if c < tail], before)
                erased.move(r, tail)
                erased.set_pen(line[tail][1])  # type: ignore[index]
                erased.parts.append("\x1b[K")
                best = min(plain, erased, key=_Out.size)
                out.parts, out.row, out.col, out.pen = best.parts, best.row, best.col, best.pen
            else:
                self._emit_runs(out, r, cols, before)

    def _blank_tail(self, line: list[Cell | None]) -> int | None:
        """Where the line's blank end starts, if erasing to the end of the line draws it."""
        last = line[-1]
        if last is None or last[0] != " " or last[1][0] or last[1][1] != (39,):
            return None
        c = self.width - 1
        while c > 0 and line[c - 1] == last:
            c -= 1
        return c

    def _emit_runs(self, out: _Out, r: int, cols: list[int], before: Callable[[int], Cell | None]) -> None:
        line = self.cells[r]
        runs: list[list[int]] = []
        for c in cols:
            if runs and c < runs[-1][1]:
                continue
            start, end = self._whole(line, before, c, c + 1)
            if runs and start <= runs[-1][1]:
                runs[-1][1] = max(end, runs[-1][1])
            else:
                runs.append([start, end])
        merged: list[list[int]] = []
        for run in runs:
            if merged and self._through(out, line, merged[-1][1], run[0]):
                merged[-1][1] = run[1]
            else:
                merged.append(run)
        for start, end in merged:
            out.cells(r, start, end, line)
            if end >= self.width:
                out.col = self.width

    def _whole(
        self, line: list[Cell | None], before: Callable[[int], Cell | None], start: int, end: int
    ) -> tuple[int, int]:
        """Widen a run so that it splits no wide character, now or on the terminal."""
        while True:
            a, b = start, end
            if any(cell is not None and cell[2] == 0 for cell in (line[a], before(a))) and a > 0:
                a -= 1
            if any(cell is not None and cell[2] == 2 for cell in (line[b - 1], before(b - 1))) and b < self.width:
                b += 1
            if (a, b) == (start, end):
                return a, b
            start, end = a, b

    def _through(self, out: _Out, line: list[Cell | None], gap_start: int, gap_end: int) -> bool:
        """Cheaper to write the unchanged cells of a gap again than to jump over it?"""
        if gap_end - gap_start > 8:
            return False
        cost = 0
        pen = out.pen
        for c in range(gap_start, gap_end):
            cell = line[c]
            if cell is None:
                return False
            if cell[2]:
                cost += len(pen_change(pen, cell[1])) + len(cell[0].encode())
                pen = cell[1]
        following = line[gap_end]
        if following is not None:
            cost += len(pen_change(pen, following[1])) - len(pen_change(out.pen, following[1]))
        return cost <= len(f"\x1b[{gap_end - gap_start}C")
