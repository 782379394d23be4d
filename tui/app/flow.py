"""Text laid out by the shared :func:`tui.present.textfmt.wrap` at whatever width Rich gives it.

Rich wraps at spaces only: a Chinese sentence is one "word", folded at the edge, so ``0.06%``
became ``0`` and ``.06%``. A :class:`Flow` breaks where the shared wrap allows (never inside a
number with its unit, a date, a period or an id; Chinese punctuation kept with its neighbour),
at the width of the pane or table cell it is drawn in, and keeps the Text's styles. No Textual.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from tui.present.textfmt import cell_len, wrap

__all__ = ["Flow", "flowed"]


def flowed(text: Text, width: int) -> Text:
    """``text`` with line breaks where the shared wrap puts them at ``width`` columns."""
    plain = text.plain
    if cell_len(plain) <= width or width < 1:
        return text
    pieces: list[Text] = []
    position = 0
    for line in wrap(plain, width):
        start = plain.find(line, position)
        if start < 0 or plain[position:start].strip():  # the wrap changed the text: Rich folds it
            return text
        pieces.append(text[start : start + len(line)])
        position = start + len(line)
    return Text("\n").join(pieces)


class Flow:
    """A Text (or str) that wraps by the shared rules at the width it is drawn at."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)
        self.text.overflow = "fold"  # only a piece wider than the whole width is ever folded

    @property
    def plain(self) -> str:
        return self.text.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.text.plain)
        return Measurement(min(width, 1), width).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield flowed(self.text, options.max_width)
