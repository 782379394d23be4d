"""A one-line list of the main keys that never changes by itself: the app's footer.

Textual's Footer recomposes whenever focus or bindings change: a layout change that re-sends
the whole screen, and in a long session its old keys pile up in memory (about 4 KB a
keystroke, measured). This still line takes its place.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

__all__ = ["KeyBar"]

_NAMES = {"slash": "/", "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]", "escape": "esc"}


def key_text(bindings: list[Binding]) -> Text:
    text = Text()
    bindings = [*bindings, Binding("ctrl+p", "command_palette", "palette")]
    for binding in bindings:
        if not binding.show or not binding.description:
            continue
        key = _NAMES.get(binding.key.split(",")[0], binding.key.split(",")[0])
        text.append(f" {key}", style="bold")
        text.append(f" {binding.description} ")
    return text


class KeyBar(Static):
    """The keys of a screen and of the app, drawn once."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; }
    """

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__(key_text(bindings))
