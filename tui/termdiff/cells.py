"""The screen-diff writer's model of the terminal: its cells (text, pen, width), its cursor and
pen, and the cells changed since they were last sent. What the model cannot follow exactly is
never guessed: in strict mode it raises :class:`Stuck`, otherwise it forgets the cells concerned.
Widths are Rich's (as Textual measures)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich.cells import get_character_cell_size

__all__ = ["BLANK", "DEFAULT_PEN", "Cell", "CellModel", "Colour", "Pen", "Stuck", "cell_width"]

Colour = tuple[int, ...]
Pen = tuple[frozenset[int], Colour, Colour]
"""Attributes (SGR codes 1-9, 21, 51-53), foreground and background as their SGR codes."""
Cell = tuple[str, Pen, int]
"""Text (a character and its combining marks), pen, width: 1, 2, or 0 for a wide character's
right half."""

DEFAULT_PEN: Pen = (frozenset(), (39,), (49,))
BLANK: Cell = (" ", DEFAULT_PEN, 1)

# zero-width or width-changing characters terminals disagree on: never modelled
_UNSURE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff]")


class Stuck(Exception):
    """The chunk has a part the model cannot follow exactly: send it unchanged."""


@lru_cache(maxsize=4096)
def cell_width(char: str) -> int:
    """1 or 2 cells; 0 for a combining mark; -1 for what is not modelled."""
    if _UNSURE.match(char):
        return -1
    size = get_character_cell_size(char)
    if size == 0:
        return 0 if unicodedata.combining(char) else -1
    return size


Snapshot = tuple[list[list[Cell | None]], int | None, int | None, Pen | None,
                 tuple[int | None, int | None, Pen | None], bool, bool, set[str]]  # fmt: skip


class CellModel:
    """What the terminal shows, where its cursor is and which pen it writes with."""

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
        self.changed: dict[tuple[int, int], Cell | None] = {}
        """The cells changed since they were last sent, as the terminal still shows them."""
        self.strict = True
        """Raise :class:`Stuck` on what is not followed exactly (else forget it)."""

    @property
    def complete(self) -> bool:
        """Every cell is known."""
        return all(cell is not None for line in self.cells for cell in line)

    def forget(self) -> None:
        """The terminal may show anything (a resume, an unknown state): know nothing."""
        self.cells = [[None] * self.width for _ in range(self.height)]
        self.row = self.col = None
        self.pen = None
        self.sent = (None, None, None)
        self.same_cursor = self.same_pen = True
        self.changed = {}

    def save(self) -> Snapshot:
        return ([list(line) for line in self.cells], self.row, self.col, self.pen, self.sent, self.same_cursor,
                self.same_pen, set(self.odd))  # fmt: skip

    def restore(self, saved: Snapshot) -> None:
        (self.cells, self.row, self.col, self.pen, self.sent, self.same_cursor, self.same_pen, self.odd) = saved
        self.changed = {}

    def unsure(self) -> None:
        if self.strict:
            raise Stuck

    def set(self, row: int, col: int, cell: Cell | None) -> None:
        line = self.cells[row]
        if (row, col) not in self.changed:
            self.changed[row, col] = line[col]
        line[col] = cell

    def clear_partner(self, row: int, col: int) -> None:
        """Before ``col`` is written: a wide character it is half of loses its other half."""
        line = self.cells[row]
        cell = line[col]
        if cell is None:
            return
        if cell[2] == 0:
            self.set(row, col - 1, None)
        elif cell[2] == 2:
            self.set(row, col + 1, None)

    def forget_all(self, *, cursor: bool = True, pen: bool = True) -> None:
        for r in range(self.height):
            for c in range(self.width):
                self.cells[r][c] = None
        self.changed = {}
        if cursor:
            self.row = self.col = None
            self.same_cursor = True
        if pen:
            self.pen = None
            self.same_pen = True

    def text(self, text: str) -> None:
        for char in text:
            width = cell_width(char)
            row, col, pen = self.row, self.col, self.pen
            if width == 0:
                self.combining(char)
                continue
            if width < 0 or row is None or col is None or col + width > self.width:
                # past the right margin the terminal wraps (to a row we may not know, and it may
                # scroll): nothing of the screen or the cursor is known any more
                self.unsure()
                self.forget_all(pen=False)
                continue
            self.clear_partner(row, col)
            if width == 2:
                self.clear_partner(row, col + 1)
            if pen is None:
                self.unsure()
                self.set(row, col, None)
                if width == 2:
                    self.set(row, col + 1, None)
            else:
                self.set(row, col, (char, pen, width))
                if width == 2:
                    self.set(row, col + 1, ("", pen, 0))
            self.col = col + width
            self.same_cursor = False

    def combining(self, char: str) -> None:
        row, col = self.row, self.col
        if row is None or col is None or col == 0:
            self.unsure()
            if row is not None and col is None:
                for c in range(self.width):
                    self.set(row, c, None)
            elif row is None or col is None:
                self.forget_all(pen=False)
            elif row > 0:
                self.set(row - 1, self.width - 1, None)
            return
        cell = self.cells[row][col - 1]
        if cell is None or cell[2] != 1:
            self.unsure()
            if cell is not None:
                self.clear_partner(row, col - 1)
            self.set(row, col - 1, None)
            return
        self.set(row, col - 1, (cell[0] + char, cell[1], 1))

    def moved(self, row: int | None, col: int | None) -> None:
        if row is not None:
            row = max(0, min(self.height - 1, row))
        if col is not None:
            col = max(0, min(self.width - 1, col))
        self.row, self.col = row, col
        self.same_cursor = False

    def erase(self, final: str, mode: int, count: int) -> bool:
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
            self.clear_partner(r, a)
            self.clear_partner(r, b - 1)
            for c in range(a, b):
                self.set(r, c, blank)
        return True
