"""The comparison table: one widget draws every county's column, row for row, with a cell cursor
(the lines themselves are laid out by :mod:`tui.app.widgets.compare_layout`)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.app.widgets.compare_layout import Layout, lay_out
from tui.domain.vocab import Lang
from tui.present.analysis import Pick
from tui.present.views import Cell, CompareRow

__all__ = ["CompareTable", "Layout", "lay_out"]


class CompareTable(Widget, can_focus=True):
    """The counties' figures side by side; the arrows move a cell cursor, Enter opens a cell."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("pageup", "move(-10, 0)", show=False),
        Binding("pagedown", "move(10, 0)", show=False),
        Binding("enter", "open", "Open", id="compare-open"),
    ]
    DEFAULT_CSS = """
    CompareTable { width: 1fr; height: auto; }
    CompareTable:focus { background: $boost; }
    """

    rows: reactive[tuple[CompareRow, ...]] = reactive((), layout=True)
    """The rows shown, in the order shown."""
    pick: reactive[Pick] = reactive("latest", layout=True)
    """Which value each cell shows."""
    lang: reactive[Lang] = reactive("zh", layout=True)
    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    """The cell under the cursor: (row, county column)."""

    class Opened(Message):
        """Enter on a cell: every value and source behind it is wanted."""

        def __init__(self, table: CompareTable, row: CompareRow, cell: Cell) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.cell = cell

        @property
        def control(self) -> CompareTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._layout: Layout | None = None
        self._key: tuple[object, ...] = ()

    @property
    def columns(self) -> int:
        """How many counties the table shows."""
        return len(self.rows[0].cells) if self.rows else 0

    def layout_at(self, width: int) -> Layout:
        cursor = self.cursor if self.has_focus else None
        key = (width, self.rows, self.pick, self.lang, cursor)
        if self._layout is None or key != self._key:
            self._key = key
            self._layout = lay_out(self.rows, self.columns, width, pick=self.pick, lang=self.lang, cursor=cursor)
        return self._layout

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.layout_at(width).lines)

    def render(self) -> Text:
        return Text("\n").join(self.layout_at(self.size.width).lines)

    def watch_rows(self, rows: tuple[CompareRow, ...]) -> None:
        row, column = self.cursor
        self.cursor = (min(row, max(len(rows) - 1, 0)), min(column, max(self.columns - 1, 0)))

    def watch_cursor(self) -> None:
        self.refresh()
        self.call_after_refresh(self._show_cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _show_cursor(self) -> None:
        """Scroll the container so the cursor's row is in view."""
        if not self.rows or self.parent is None or not isinstance(self.parent, Widget):
            return
        layout = self.layout_at(self.size.width)
        row = min(self.cursor[0], len(layout.rows) - 1)
        start, height = layout.rows[row]
        top = self.virtual_region.y
        self.parent.scroll_to_region(Region(0, top + start, self.size.width, height), animate=False, immediate=True)

    @property
    def cell(self) -> tuple[CompareRow, Cell] | None:
        """The row and cell under the cursor."""
        if not self.rows:
            return None
        row = self.rows[min(self.cursor[0], len(self.rows) - 1)]
        return row, row.cells[min(self.cursor[1], len(row.cells) - 1)]

    def action_move(self, rows: int, columns: int) -> None:
        if not self.rows:
            return
        row, column = self.cursor
        self.cursor = (
            max(0, min(row + rows, len(self.rows) - 1)),
            max(0, min(column + columns, self.columns - 1)),
        )

    def action_open(self) -> None:
        found = self.cell
        if found is not None:
            self.post_message(self.Opened(self, *found))
