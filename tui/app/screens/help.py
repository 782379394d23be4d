"""The help screen: every key of the app and of the screen below, in the user's language."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app.flow import Flow
from tui.app.widgets.keybar import PALETTE, describe, key_names
from tui.domain.vocab import LABELS, Lang, label

__all__ = ["HelpScreen"]


class HelpScreen(ModalScreen[None]):
    """A list of keys and what they do; any of esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 64; max-width: 100%; height: auto; max-height: 90%;
                                  border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, bindings: Iterable[BindingType], *, lang: Lang = "zh") -> None:
        super().__init__()
        self.lang = lang
        # povtui declares every key as a Binding; Textual's BindingType also allows tuples
        self.bindings = [b for b in [*bindings, PALETTE, *self.BINDINGS] if isinstance(b, Binding)]
        """The keys listed, in order (one line per action)."""

    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) as shown."""
        rows, seen = [], set()
        for binding in self.bindings:
            if binding.description and binding.action not in seen:
                seen.add(binding.action)
                more = f"help.{binding.id}"  # a longer description for the help, if vocab has one
                rows.append(
                    (key_names(binding), label(more, self.lang) if more in LABELS else describe(binding, self.lang))
                )
        return rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, what in self.rows():
            table.add_row(Text(keys), Flow(what))  # a long description wraps, never cut
        with VerticalScroll():
            yield Static(Text(label("help_title", self.lang), style="bold"))
            yield Static(table, id="help-keys")
