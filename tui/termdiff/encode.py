"""The screen-diff writer's encoder: the cells that changed in the model go out as runs, with
the shortest cursor moves and colour changes relative to the terminal's current pen, an erase
for a blank end of line, and a clear when a whole new screen is cheaper that way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from tui.termdiff.cells import BLANK, DEFAULT_PEN, Cell, CellModel, Pen, Stuck

__all__ = ["Output", "drawn", "emit", "flush", "pen_change"]


def _sgr(codes: list[int]) -> str:
    return "\x1b[" + ";".join(map(str, codes)) + "m"


def _pen_codes(pen: Pen) -> list[int]:
    attrs, fg, bg = pen
    return sorted(attrs) + (list(fg) if fg != (39,) else []) + (list(bg) if bg != (49,) else [])


_OFF = {1: 22, 2: 22, 3: 23, 4: 24, 21: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29, 51: 54, 52: 54, 53: 55}


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


class Output:
    """Bytes going out, and the terminal's cursor and pen after them (``None``: unknown; a
    column equal to the width: just wrote the last column, only absolute moves are sure)."""

    def __init__(self, width: int, row: int | None, col: int | None, pen: Pen | None) -> None:
        self.width, self.row, self.col, self.pen = width, row, col, pen
        self.parts: list[str] = []
        self.clears = 0
        """How many times a clear and a whole screen went out instead of the changes."""

    def fork(self) -> Output:
        """An empty output that goes on from this one's cursor and pen: a trial, which
        :meth:`extend` appends if it is the cheaper."""
        return Output(self.width, self.row, self.col, self.pen)

    def extend(self, trial: Output) -> None:
        self.parts += trial.parts
        self.row, self.col, self.pen = trial.row, trial.col, trial.pen
        self.clears += trial.clears

    def size(self) -> int:
        return len("".join(self.parts).encode())

    def text(self) -> str:
        return "".join(self.parts)

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


def drawn(model: CellModel, *, blank_known: bool) -> dict[int, list[int]]:
    """Every cell to draw on a cleared screen (``blank_known``: all cells are known, blanks are
    left to the clear), else every known cell."""
    if blank_known:
        return {r: [c for c, cell in enumerate(line) if cell != BLANK] for r, line in enumerate(model.cells)}
    return {r: [c for c, cell in enumerate(line) if cell is not None] for r, line in enumerate(model.cells)}


def flush(model: CellModel, out: Output) -> None:
    """Send the cells that changed since the last flush."""
    if not model.changed:
        return
    old, model.changed = model.changed, {}
    changed: dict[int, list[int]] = defaultdict(list)
    for (r, c), before in old.items():
        now = model.cells[r][c]
        if now is None:
            raise Stuck  # what the terminal shows here depends on the terminal
        if now != before:
            changed[r].append(c)
    if not changed:
        return
    count = sum(len(cols) for cols in changed.values())
    if count * 3 >= model.width * model.height and model.complete:
        trial = out.fork()
        emit(model, trial, changed, old)
        clear = out.fork()
        clear.set_pen(DEFAULT_PEN)
        clear.parts.append("\x1b[2J")
        emit(model, clear, drawn(model, blank_known=True), None)
        clear.clears += 1
        out.extend(min(trial, clear, key=Output.size))
        return
    emit(model, out, changed, old)


def emit(
    model: CellModel, out: Output, changed: dict[int, list[int]], old: dict[tuple[int, int], Cell | None] | None
) -> None:
    """``old``: the cells as the terminal has them where they differ from the model
    (``None``: the screen was just cleared)."""
    for r in sorted(changed):
        cols = sorted(changed[r])
        if not cols:
            continue

        def before(c: int, r: int = r) -> Cell | None:
            if old is None:
                return BLANK
            return old.get((r, c), model.cells[r][c])

        line = model.cells[r]
        tail = _blank_tail(line, model.width)
        if tail is not None and sum(1 for c in cols if c >= tail) >= 3:
            plain = out.fork()
            _emit_runs(plain, r, cols, line, before)
            erased = out.fork()
            _emit_runs(erased, r, [c for c in cols if c < tail], line, before)
            erased.move(r, tail)
            erased.set_pen(line[tail][1])  # type: ignore[index]
            erased.parts.append("\x1b[K")
            out.extend(min(plain, erased, key=Output.size))
        else:
            _emit_runs(out, r, cols, line, before)


def _blank_tail(line: list[Cell | None], width: int) -> int | None:
    """Where the line's blank end starts, if erasing to the end of the line draws it."""
    last = line[-1]
    if last is None or last[0] != " " or last[1][0] or last[1][1] != (39,):
        return None
    c = width - 1
    while c > 0 and line[c - 1] == last:
        c -= 1
    return c


def _emit_runs(
    out: Output, r: int, cols: list[int], line: list[Cell | None], before: Callable[[int], Cell | None]
) -> None:
    width = out.width
    runs: list[list[int]] = []
    i, count = 0, len(cols)
    while i < count:  # each stretch of adjacent columns (``cols`` is sorted) at once
        j = i
        while j + 1 < count and cols[j + 1] == cols[j] + 1:
            j += 1
        first, last = cols[i], cols[j]
        i = j + 1
        if runs:
            if last < runs[-1][1]:
                continue
            first = max(first, runs[-1][1])
        start, end = _whole(line, width, before, first, last + 1)
        if runs and start <= runs[-1][1]:
            runs[-1][1] = max(end, runs[-1][1])
        else:
            runs.append([start, end])
    merged: list[list[int]] = []
    for run in runs:
        if merged and _through(out, line, merged[-1][1], run[0]):
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    for start, end in merged:
        out.cells(r, start, end, line)
        if end >= width:
            out.col = width


def _whole(
    line: list[Cell | None], width: int, before: Callable[[int], Cell | None], start: int, end: int
) -> tuple[int, int]:
    """Widen a run so that it splits no wide character, now or on the terminal."""
    while True:
        a, b = start, end
        if a > 0:
            now, was = line[a], before(a)
            if (now is not None and now[2] == 0) or (was is not None and was[2] == 0):
                a -= 1
        if b < width:
            now, was = line[b - 1], before(b - 1)
            if (now is not None and now[2] == 2) or (was is not None and was[2] == 2):
                b += 1
        if (a, b) == (start, end):
            return a, b
        start, end = a, b


def _through(out: Output, line: list[Cell | None], gap_start: int, gap_end: int) -> bool:
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
