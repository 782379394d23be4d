"""The search bar and its result list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.app.render import name_of
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, label, value_parts
from tui.present.textfmt import cell_len, sanitize

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


NAME_COLUMN = 18
"""At most this many columns of metric name are padded to: the values after a shorter name
line up; a longer name pushes its value right rather than being cut."""


def name_column(base: Facts, hits: Sequence[Hit], lang: Lang) -> int:
    """The width the metric names of ``hits`` are padded to (all the hits fetched, so that
    the next page lines up with the first)."""
    widest = max((cell_len(name_of(base.metric(hit.fact.metric), lang)) for hit in hits), default=0)
    return min(widest, NAME_COLUMN)


def result_line(base: Facts, hit: Hit, lang: Lang, *, plain: bool = False, names: int = 0, width: int = 0) -> Text:
    """County, metric, value as written (with bound and kind), when; the matched name highlighted;
    the name padded to ``names`` columns so that the values line up.

    In ``width`` columns (0: no limit) the value and its date are never cut: the scope and the
    number of sources go on an indented second line when they do not fit beside them, and a
    name too long for even that gives way (``…``). ``plain`` (field mode) drops every style but
    the highlight: each styled run costs an escape sequence on every repaint of the list.
    """
    fact = hit.fact
    county = base.county(fact.county)
    metric = base.metric(fact.metric)

    def style(name: str) -> str:
        return "" if plain else name

    name = Text(name_of(metric, lang))
    for span in hit.spans:
        if span.field == ("metric" if lang == "zh" else "metric_en"):
            name.stylize("reverse", span.start, span.end)
    head = Text(sanitize(county.short) + " ", style=style("bold"))
    figure = Text("  ")
    value = value_parts(fact, lang)
    if value.kind:
        figure.append(value.kind, style=style("italic"))
    figure.append(value.bound + sanitize(value.written), style=style("bold"))
    figure.append(f"  {sanitize(fact.when)}", style=style("dim"))
    tail = Text()
    if not fact.is_county_wide:
        tail.append(f"  {sanitize(fact.scope)}", style=style("dim"))
    if hit.same:
        tail.append(f"  +{len(hit.same)} {label('source', lang)}", style=style("dim"))
    fixed = head.cell_len + figure.cell_len
    if width and fixed + max(names, name.cell_len) + tail.cell_len > width:
        if fixed + name.cell_len + tail.cell_len <= width:  # one line, less aligned
            names = width - fixed - tail.cell_len
        else:
            names = min(names, max(width - fixed, 0))
            if tail:  # the scope and sources below, indented
                tail = Text("\n   ") + tail
            if fixed + name.cell_len > width:  # only the name gives way
                name.truncate(max(width - fixed, 4), overflow="ellipsis")
    line = head
    line.append_text(name)
    line.append(" " * max(names - name.cell_len, 0))
    line.append_text(figure)
    line.append_text(tail)
    return line


class ResultList(OptionList):
    """Search results, one line each; the option id is the fact id."""

    DEFAULT_CSS = """
    ResultList { border: none; height: 1fr; }
    ResultList > .option-list--option { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: list[tuple[str, object, int, int]] = []
        self._lang: Lang | None = None

    def show_hits(self, base: Facts, hits: tuple[Hit, ...], lang: Lang, *, plain: bool = False, names: int = 0) -> None:
        """Show ``hits``; when they are the very ones shown already, nothing is redrawn; when they
        are those shown and more (the next page), the new ones are added below. They are laid
        out at the list's width (:func:`result_line`)."""
        width = self.scrollable_content_region.width
        shown: list[tuple[str, object, int, int]] = [(hit.fact.id, hit.spans, names, width) for hit in hits]
        before = self._shown
        same_lang = lang == self._lang
        if shown == before and same_lang and hits:
            return
        self._shown, self._lang = shown, lang

        def line(hit: Hit) -> Option:
            return Option(result_line(base, hit, lang, plain=plain, names=names, width=width), id=hit.fact.id)

        if same_lang and before and shown[: len(before)] == before:  # the next page: add it below
            self.add_options([line(hit) for hit in hits[len(before) :]])
            return
        self.clear_options()
        self.add_options([line(hit) for hit in hits])
        if hits:
            self.highlighted = 0
