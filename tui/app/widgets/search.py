"""The search bar and its result list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.app.render import name_of
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, label, value_parts
from tui.present.textfmt import sanitize

if TYPE_CHECKING:
    from tui.search.memory import Hit

__all__ = ["ResultList", "SearchBar", "result_line"]


class SearchBar(Input):
    """One line at the top. Up/Down move through the results without leaving the bar."""

    DEFAULT_CSS = """
    SearchBar { border: none; height: 1; padding: 0 1; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "Next result", show=False),
        Binding("up", "move(-1)", "Previous result", show=False),
    ]

    class Move(Message):
        """The user asked for the next (1) or previous (-1) result."""

        def __init__(self, search_bar: SearchBar, step: int) -> None:
            super().__init__()
            self.search_bar = search_bar
            self.step = step

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True, select_on_focus=False)
        self.cursor_blink = False  # a blinking cursor repaints the bar twice a second, forever

    def action_move(self, step: int) -> None:
        self.post_message(self.Move(self, step))

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit (typing, a paste, a saved query) is sanitised: an ESC pasted from a
        web page is shown as ``\\x1b``, never sent back to the terminal."""
        super().replace(sanitize(text), start, end)

    def type_text(self, text: str) -> None:
        """As if ``text`` was typed here: it replaces the selection, if any."""
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)


def result_line(base: Facts, hit: Hit, lang: Lang, *, plain: bool = False) -> Text:
    """County, metric, value as written (with bound and kind), when; the matched name highlighted.

    ``plain`` (field mode) drops every style but the highlight: each styled run costs an
    escape sequence on every repaint of the list.
    """
    fact = hit.fact
    county = base.county(fact.county)
    metric = base.metric(fact.metric)

    def style(name: str) -> str:
        return "" if plain else name

    line = Text()
    line.append(sanitize(county.short) + " ", style=style("bold"))
    name = Text(name_of(metric, lang))
    for span in hit.spans:
        if span.field == ("metric" if lang == "zh" else "metric_en"):
            name.stylize("reverse", span.start, span.end)
    line.append_text(name)
    line.append("  ")
    value = value_parts(fact, lang)
    if value.kind:
        line.append(value.kind, style=style("italic"))
    line.append(value.bound + sanitize(value.written), style=style("bold"))
    line.append(f"  {sanitize(fact.when)}", style=style("dim"))
    if not fact.is_county_wide:
        line.append(f"  {sanitize(fact.scope)}", style=style("dim"))
    if hit.same:
        line.append(f"  +{len(hit.same)} {label('source', lang)}", style=style("dim"))
    return line


class ResultList(OptionList):
    """Search results, one line each; the option id is the fact id."""

    DEFAULT_CSS = """
    ResultList { border: none; height: 1fr; }
    ResultList > .option-list--option { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: list[tuple[str, object]] = []
        self._lang: Lang | None = None

    def show_hits(self, base: Facts, hits: tuple[Hit, ...], lang: Lang, *, plain: bool = False) -> None:
        """Show ``hits``; when they are the very ones shown already, nothing is redrawn; when they
        are those shown and more (the next page), the new ones are added below."""
        shown: list[tuple[str, object]] = [(hit.fact.id, hit.spans) for hit in hits]
        before = self._shown
        same_lang = lang == self._lang
        if shown == before and same_lang and hits:
            return
        self._shown, self._lang = shown, lang
        if same_lang and before and shown[: len(before)] == before:  # the next page: add it below
            self.add_options(
                [Option(result_line(base, hit, lang, plain=plain), id=hit.fact.id) for hit in hits[len(before) :]]
            )
            return
        self.clear_options()
        self.add_options([Option(result_line(base, hit, lang, plain=plain), id=hit.fact.id) for hit in hits])
        if hits:
            self.highlighted = 0
