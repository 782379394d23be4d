"""Every value and source behind one cell of the comparison (Enter on the cell opens it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from tui.app.places import renderable_for
from tui.app.state import Place
from tui.app.widgets.detail import DetailView
from tui.app.widgets.keybar import KeyBar
from tui.app.wire import QuietScreen
from tui.domain.facts import Facts
from tui.domain.vocab import Lang

__all__ = ["CellScreen"]


class CellScreen(QuietScreen[None]):
    """Every value and source behind a comparison cell: the county's metric, all its figures,
    each with its quotes and ids, and its timeline. Esc goes back."""

    BINDINGS = [Binding("escape,q", "dismiss", "Back", id="compare-back")]

    def __init__(self, base: Facts, county: str, metric: str, *, lang: Lang = "zh") -> None:
        super().__init__()
        self.base = base
        self.place = Place("metric", county=county, metric=metric)
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield DetailView(renderable_for(self.base, self.place, self.lang), id="cell-detail")
        yield KeyBar(self.BINDINGS, lang=self.lang)

    def on_mount(self) -> None:
        self.query_one(DetailView).focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()
