"""The screen-diff writer: what Textual writes goes in, the fewest bytes that bring the terminal
to the same screen come out. A chunk is parsed into the cell model (:mod:`.parse`), and the cells
that changed are encoded (:mod:`.encode`). A chunk the model cannot follow exactly is sent
unchanged (the terminal then does exactly what it would have done without the writer) and the
cells it leaves uncertain are forgotten, so the next frame that draws them sends them in full."""

from __future__ import annotations

from tui.termdiff.cells import DEFAULT_PEN, Cell, CellModel, Stuck
from tui.termdiff.encode import Output, drawn, emit, flush
from tui.termdiff.parse import Parser, split_partial

__all__ = ["SYNC_END", "SYNC_START", "ScreenDiff"]

SYNC_START, SYNC_END = "\x1b[?2026h", "\x1b[?2026l"


class ScreenDiff:
    """Turn what Textual writes into the fewest bytes that show the same screen."""

    def __init__(self, width: int, height: int) -> None:
        self.model = CellModel(width, height)
        """What the terminal shows, and its cursor and pen."""
        self.parser = Parser(self.model)
        self.sync_held = False
        """A synchronised update began and nothing has been drawn in it yet."""
        self.held = ""
        """The start of an escape sequence cut short by the end of a write."""
        self.raw_chunks = self.diffed_chunks = self.full_repaints = 0

    @property
    def size(self) -> tuple[int, int]:
        return self.model.width, self.model.height

    @property
    def cells(self) -> list[list[Cell | None]]:
        """What the terminal shows; ``None``: not known."""
        return self.model.cells

    @property
    def complete(self) -> bool:
        """Every cell is known."""
        return self.model.complete

    def write(self, data: str) -> str:
        """What to send to the terminal for ``data`` (what Textual would have sent)."""
        data, self.held = split_partial(self.held + data)
        if not data:
            return ""
        model = self.model
        saved = model.save()
        try:
            model.strict = True
            out = self._run(data)
            self.diffed_chunks += 1
        except Stuck:
            model.restore(saved)
            out = self._run_raw(data)
            self.raw_chunks += 1
        return self._with_sync(out)

    def forget(self) -> None:
        """The terminal may show anything (a resume, an unknown state): know nothing."""
        self.model.forget()

    def resize(self, width: int, height: int) -> None:
        """The terminal changed size: what it shows is not known (it may have reflowed)."""
        model = self.model
        pen, sent_pen, same_pen = model.pen, model.sent[2], model.same_pen
        model.width, model.height = width, height
        model.forget()
        model.pen, model.same_pen = pen, same_pen  # a resize changes no pen
        model.sent = (None, None, sent_pen)

    def reset_pen(self) -> str:
        """Bytes that make the pen known (the default), for a fresh start."""
        model = self.model
        model.pen = DEFAULT_PEN
        model.sent = (model.sent[0], model.sent[1], DEFAULT_PEN)
        return "\x1b[0m"

    def repaint(self) -> str:
        """Everything known, drawn again on a cleared screen (ctrl+l): the cursor and pen are
        left where Textual left them. Cells not known stay as they are until Textual draws them
        (see :attr:`complete`)."""
        model = self.model
        out = Output(model.width, *model.sent)
        if model.complete:
            out.set_pen(DEFAULT_PEN)
            out.parts.append("\x1b[2J")
            emit(model, out, drawn(model, blank_known=True), None)
        else:
            emit(model, out, drawn(model, blank_known=False), {})
        self._finish(out)
        model.sent = (out.row, out.col, out.pen)
        self.full_repaints += 1
        return out.text()

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
        model = self.model
        prefix = Output(model.width, *model.sent)
        if model.row is not None and model.col is not None and model.col < model.width:
            if not model.same_cursor:
                prefix.move(model.row, model.col)
        if model.pen is not None and not model.same_pen:
            prefix.set_pen(model.pen)
        model.strict = False
        self.parser.parse(data, Output(model.width, None, None, None))
        model.sent = (model.row, model.col, model.pen)
        model.same_cursor = model.same_pen = True
        model.changed = {}
        return prefix.text() + data

    def _run(self, data: str) -> str:
        model = self.model
        out = Output(model.width, *model.sent)
        self.parser.parse(data, out)
        flush(model, out)
        self._finish(out)
        model.sent = (out.row, out.col, out.pen)
        self.full_repaints += out.clears
        return out.text()

    def _finish(self, out: Output) -> None:
        """The terminal's cursor to Textual's (where an input method draws)."""
        model = self.model
        if model.row is not None and model.col is not None and model.col < model.width:
            out.move(model.row, model.col)
            model.same_cursor = True
        elif not model.same_cursor:
            raise Stuck
        if model.pen is None and not model.same_pen:
            raise Stuck
