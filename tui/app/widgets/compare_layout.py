"""The comparison table's lines: every county's column, row for row, the cursor cell in reverse.

Rows are aligned by metric. Each cell is laid out at its column's width from pieces that are
never broken (a value with its bound, a date, a period, ``+2``), so every value and date is
shown whole; a row is as tall as its tallest cell. The metric names go in a column of their own
when they fit beside the counties, else on a line of their own above each row (stacked): at 80
columns with four counties every cell keeps its full width. Where even stacked columns would be
narrower than a value or a date (four counties at 60 columns), each row lists one county a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text

from tui.app.render import county_title, name_of
from tui.app.widgets.timeline import bar
from tui.domain.model import Fact
from tui.domain.vocab import Lang, bound_word, kind_word, label, written
from tui.present.analysis import Pick, change_of, picked, point_text
from tui.present.textfmt import cell_len, pack, sanitize
from tui.present.views import Cell, CompareRow

__all__ = ["Layout", "lay_out"]

GAP = 1
"""Columns between two county columns."""
LABEL_MAX = 40
"""The widest the metric-name column gets (a longer name wraps)."""
BAR_MAX = 16


@dataclass(frozen=True)
class Layout:
    """The table drawn at one width: its lines, and where each row and cell is."""

    lines: tuple[Text, ...]
    rows: tuple[tuple[int, int], ...]
    """(first line, number of lines) of each row."""
    label_width: int
    """0 when the names are stacked above the rows."""
    column_width: int


def _value_pieces(fact: Fact, lang: Lang, width: int) -> list[str]:
    """The value as written with its bound, in words when they fit the column, else as a symbol;
    a target or baseline says so. Never cut."""
    bound = bound_word(fact.bound, lang)
    value = sanitize(written(fact))
    if bound and cell_len(f"{bound} {value}") > width:
        bound = bound_word(fact.bound, lang, symbol=True)
    kind = kind_word(fact.kind, lang) if fact.kind != "achieved" else ""
    return [kind, f"{bound} {value}" if bound else value]


def _cell_lines(cell: Cell, row: CompareRow, pick: Pick, lang: Lang, width: int) -> list[tuple[str, str]]:
    """(text, style) lines of one cell at ``width`` columns."""
    figure = picked(cell, pick)
    if figure is None:
        return [(label("missing", lang), "dim")]
    fact = figure.fact
    lines = [(line, "bold") for line in pack(_value_pieces(fact, lang, width), width, gap=1)]
    notes = [sanitize(fact.when)]
    if not fact.is_county_wide:
        notes.append(sanitize(fact.scope))
    if cell.more:
        notes.append(f"+{cell.more}")
    if cell.disagreements and pick == "latest":
        notes.append("⚠")
    if row.highest == cell.county.id and pick == "latest":
        notes.append(label("highest", lang))
    lines += [(line, "dim") for line in pack(notes, width, gap=1)]
    change = change_of(cell.facts) if pick == "latest" else None
    if change is not None and change.result.id in figure.ids:
        pieces = ["←", point_text(change.baseline, lang), change.text(lang), f"({label('derived', lang)})"]
        lines += [(line, "italic") for line in pack(pieces, width, gap=1)]
    return lines


def _bars(row: CompareRow, pick: Pick, width: int) -> list[str] | None:
    """A bar per county when the row has two or more different numbers (else they say nothing)."""
    values: list[Decimal | None] = []
    for cell in row.cells:
        figure = picked(cell, pick)
        canonical = figure.fact.canonical if figure is not None else None
        values.append(canonical if isinstance(canonical, Decimal) else None)
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2 or len(set(numbers)) < 2:
        return None
    top = max(numbers)
    return [bar(v, top, min(width, BAR_MAX)) if v is not None else "" for v in values]


def _name_lines(row: CompareRow, lang: Lang, width: int) -> list[tuple[str, str]]:
    other = row.metric.en if lang == "zh" else row.metric.zh
    lines = [(line, "bold") for line in pack([name_of(row.metric, lang)], width)]
    return lines + [(line, "dim") for line in pack([sanitize(other)], width)]


def _widest_piece(rows: tuple[CompareRow, ...], pick: Pick, lang: Lang) -> int:
    """The widest piece a cell must show whole (a value with its bound as a symbol, a date)."""
    widest = 4
    for row in rows:
        for cell in row.cells:
            figure = picked(cell, pick)
            if figure is None:
                continue
            fact = figure.fact
            widest = max(widest, cell_len(sanitize(written(fact))) + 2, cell_len(sanitize(fact.when)))
    return widest


def lay_out(
    rows: tuple[CompareRow, ...],
    counties: int,
    width: int,
    *,
    pick: Pick = "latest",
    lang: Lang = "zh",
    cursor: tuple[int, int] | None = None,
) -> Layout:
    """The table at ``width`` columns, the ``cursor`` cell (row, column) in reverse."""
    counties = max(counties, 1)
    names = max((cell_len(name_of(r.metric, lang)) for r in rows), default=4)
    names = max(names, max((cell_len(sanitize(r.metric.en if lang == "zh" else r.metric.zh)) for r in rows), default=4))
    label_width = min(names, LABEL_MAX, width // 3)
    needed = _widest_piece(rows, pick, lang)
    side = (width - label_width - GAP - (counties - 1) * GAP) // counties
    if side < needed or label_width < min(names, 16):
        label_width = 0  # stacked: the names above, every column as wide as it can be
    room = width - (label_width + GAP if label_width else 0)
    column = max((room - (counties - 1) * GAP) // counties, 1)
    if column < needed:  # too narrow for side by side: one county a line, so nothing is broken
        return _listed(rows, width, pick=pick, lang=lang, cursor=cursor)
    lines: list[Text] = []
    spans: list[tuple[int, int]] = []

    def line_of(parts: list[tuple[str, str, int]], prefix: tuple[str, str] | None) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        if label_width:
            name, style = prefix or ("", "")
            text.append(name + " " * (label_width - cell_len(name)), style=style)
            text.append(" " * GAP)
        for index, (piece, style, wide) in enumerate(parts):
            if index:
                text.append(" " * GAP)
            text.append(piece + " " * max(wide - cell_len(piece), 0), style=style)
        return text

    if rows:  # the header: each county's names
        heads = [pack(county_title(c.county).split(" "), column, gap=1) for c in rows[0].cells]
        for index in range(max(len(h) for h in heads)):
            parts = [(h[index] if index < len(h) else "", "bold underline", column) for h in heads]
            lines.append(line_of(parts, (label("metric", lang), "dim") if index == 0 else None))
    for number, row in enumerate(rows):
        start = len(lines)
        name = _name_lines(row, lang, label_width or width)
        if not label_width:
            lines += [Text(line, style=style, no_wrap=True, overflow="crop") for line, style in name]
        cells = [_cell_lines(cell, row, pick, lang, column) for cell in row.cells]
        bars = _bars(row, pick, column)
        if bars is not None:
            for cell, one in zip(cells, bars, strict=True):
                cell.append((one, "italic" if pick == "target" else ""))
        height = max(max(len(c) for c in cells), len(name) if label_width else 0)
        for index in range(height):
            parts = []
            for col, cell in enumerate(cells):
                piece, style = cell[index] if index < len(cell) else ("", "")
                if cursor == (number, col):
                    style = f"{style} reverse".strip()
                parts.append((piece, style, column))
            prefix = name[index] if label_width and index < len(name) else None
            lines.append(line_of(parts, prefix))
        spans.append((start, len(lines) - start))
    return Layout(tuple(lines), tuple(spans), label_width, column)


def _joined(cell: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """A cell's lines joined while they fit ``width`` (a listed county has the whole width):
    ``基数 135个  2014..2019 最高  ████``; each piece keeps its style and stays whole."""
    lines: list[list[tuple[str, str]]] = []
    used = 0
    for piece, style in cell:
        if not piece:
            continue
        if lines and used + 2 + cell_len(piece) <= width:
            lines[-1] += [("  ", ""), (piece, style)]
            used += 2 + cell_len(piece)
        else:
            lines.append([(piece, style)])
            used = cell_len(piece)
    return lines or [[("", "")]]


def _listed(
    rows: tuple[CompareRow, ...], width: int, *, pick: Pick, lang: Lang, cursor: tuple[int, int] | None
) -> Layout:
    """The table when its columns would be too narrow to show a value or a date whole (four
    counties at 60 columns): each row is its metric's names, then one county a line, its name
    first and its cell beside it."""
    shorts = [sanitize(cell.county.short) for cell in rows[0].cells] if rows else []
    name_width = max((cell_len(short) for short in shorts), default=0)
    column = max(width - name_width - GAP, 1)
    lines: list[Text] = []
    spans: list[tuple[int, int]] = []
    for number, row in enumerate(rows):
        start = len(lines)
        names = _name_lines(row, lang, width)
        lines += [Text(line, style=style, no_wrap=True, overflow="crop") for line, style in names]
        cells = [_cell_lines(cell, row, pick, lang, column) for cell in row.cells]
        bars = _bars(row, pick, column)
        for col, (short, cell) in enumerate(zip(shorts, cells, strict=True)):
            if bars is not None and bars[col]:
                cell.append((bars[col], "italic" if pick == "target" else ""))
            chosen = "reverse" if cursor == (number, col) else ""
            for index, joined in enumerate(_joined(cell, column)):
                text = Text(no_wrap=True, overflow="crop")
                name = short if index == 0 else ""
                text.append(name + " " * (name_width - cell_len(name) + GAP), style="bold")
                for piece, style in joined:
                    text.append(piece, style=f"{style} {chosen}".strip())
                text.append(" " * max(column - sum(cell_len(piece) for piece, _ in joined), 0), style=chosen)
                lines.append(text)
        spans.append((start, len(lines) - start))
    return Layout(tuple(lines), tuple(spans), 0, column)
