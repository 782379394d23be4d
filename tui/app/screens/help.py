"""The help screen: every key of the app and of the screen below, from their bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen"]


def _keys(binding: Binding) -> str:
    names = {
        "slash": "/",
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "escape": "esc",
        "ctrl+p": "ctrl+p",
    }
    return ", ".join(names.get(key, key) for key in binding.key.split(","))


class HelpScreen(ModalScreen[None]):
    """A list of keys and what they do; any of esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 64; height: auto; max-height: 90%; border: round $primary;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, bindings: list[Binding]) -> None:
        super().__init__()
        self.title_text = title
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen = set()
        for binding in self.bindings:
            if binding.description and binding.action not in seen:
                seen.add(binding.action)
                table.add_row(Text(_keys(binding)), Text(binding.description))
        with VerticalScroll():
            yield Static(Text(self.title_text, style="bold"))
            yield Static(table, id="help-keys")
