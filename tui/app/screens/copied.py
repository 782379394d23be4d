"""What was copied, shown until a key is pressed: whether it is known to have reached a clipboard
(and the one line that fixes it when it cannot), then exactly the text copied, to select by
hand where OSC 52 does not arrive. A toast disappeared, was cut at the top when long and, at
60 columns, clipped the first 汉字 of its lines.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.flow import Flow

__all__ = ["CopiedScreen"]


class CopiedScreen(ModalScreen[None]):
    """The copy notice at the bottom of the screen; any key closes it."""

    DEFAULT_CSS = """
    CopiedScreen { align: center bottom; background: $background 0%; }
    CopiedScreen > VerticalScroll { width: 100%; height: auto; max-height: 70%; background: $panel;
                                    border-top: solid $primary; padding: 0 1; }
    CopiedScreen #copied-heading { text-style: bold; }
    """

    def __init__(self, heading: str, text: str, *, warning: bool = False) -> None:
        super().__init__()
        self.heading = heading
        """Whether and how it was copied (with the fix, when tmux keeps programs off the clipboard)."""
        self.text = text
        """Exactly what was copied (printable lines)."""
        self.warning = warning

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                Flow(Text(self.heading, style="bold reverse" if self.warning else "bold")), id="copied-heading"
            )
            yield Static(Group(*(Flow(line) for line in self.text.split("\n"))), id="copied-text")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        if self.is_current:  # two keys in one read: the second finds it closing already
            self.dismiss()
