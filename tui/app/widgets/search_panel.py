"""The search results: a count, the list a page at a time, and a "more" line.

The panel owns the search: the query, the language, the fact base and the search index come
down from the screen (``data_bind``); the panel searches in an exclusive worker, drops results
for a query no longer typed, and posts :class:`SearchPanel.Opened` when a result is chosen.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from tui.app.widgets.search import ResultList, name_column
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label

if TYPE_CHECKING:
    from tui.search.scoring import Hit, Search

__all__ = ["COUNTED", "FIELD_TYPING_REST", "PAGE", "SearchPanel"]

PAGE = 50
"""Results drawn at a time: another page is drawn when the cursor nears the last one."""
COUNTED = 500
"""Results fetched (and counted) at a time: "50 / 500+" when there are more."""
FIELD_TYPING_REST = 0.5
"""Field mode searches once typing rests this long: every list drawn while the user types on
costs ~400 bytes the user never reads. Down and Enter search at once, so they act on the query
typed (the same rest as the tree's preview, shorter: a query is typed in a burst)."""


class SearchPanel(Vertical):
    """The results of :attr:`query`, a page at a time."""

    DEFAULT_CSS = """
    SearchPanel { height: 1fr; }
    SearchPanel > .search-line { height: 1; padding: 0 1; color: $text-muted; }
    """

    query_text: var[str] = var("", init=False)
    """What is typed in the search bar."""
    lang: var[Lang] = var("zh", init=False)
    base: var[Facts | None] = var(None, init=False, always_update=True)
    index: var[Search | None] = var(None, init=False, always_update=True)
    """The search index of :attr:`base`; None until it is built (the panel asks for it)."""

    class Opened(Message):
        """The user chose a result."""

        def __init__(self, panel: SearchPanel, fact: Fact) -> None:
            super().__init__()
            self.panel = panel
            self.fact = fact

        @property
        def control(self) -> SearchPanel:
            return self.panel

    class IndexWanted(Message):
        """A search is waiting for the index."""

        def __init__(self, panel: SearchPanel) -> None:
            super().__init__()
            self.panel = panel

        @property
        def control(self) -> SearchPanel:
            return self.panel

    class Shown(Message):
        """Results for ``query`` are on the list (``shown`` of ``total`` counted)."""

        def __init__(self, panel: SearchPanel, query: str, shown: int, total: int) -> None:
            super().__init__()
            self.panel = panel
            self.query_text = query
            self.shown = shown
            self.total = total

        @property
        def control(self) -> SearchPanel:
            return self.panel

    def __init__(self, *, plain: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plain = plain
        """Field mode: results carry no styles but the match (each costs bytes on every repaint)."""
        self.hits: tuple[Hit, ...] = ()
        """The results fetched for :attr:`query`, best first."""
        self.shown = 0
        """How many of :attr:`hits` are on the list."""
        self.fetch = COUNTED
        """How many results to fetch: :data:`COUNTED`, and as many again at the end of them."""
        self._lines: dict[str, str] = {}
        self._drawn_for = ""
        """The query whose results are on the list."""

    def compose(self) -> ComposeResult:
        yield Static("", id="count", classes="search-line", markup=False)
        yield ResultList(id="result-list")
        yield Static("", id="more", classes="search-line", markup=False)

    @property
    def results(self) -> ResultList:
        return self.query_one(ResultList)

    @property
    def shown_hits(self) -> tuple[Hit, ...]:
        """The results on the list, in order."""
        return self.hits[: self.shown]

    @property
    def highlighted_fact(self) -> Fact | None:
        index = self.results.highlighted
        return self.hits[index].fact if index is not None and index < self.shown else None

    # -- state from the screen -------------------------------------------------------------------

    def watch_query_text(self, query: str) -> None:
        self.fetch = COUNTED
        if query.strip():
            self.search()
        else:
            self.hits, self.shown = (), 0
            self.results.clear_options()

    def watch_index(self) -> None:
        if self.query_text.strip():
            self.search()

    def watch_base(self) -> None:
        self.hits, self.shown = (), 0

    def watch_lang(self) -> None:
        if self.shown:
            self._draw(keep_cursor=True)

    def on_resize(self) -> None:
        if self.shown:  # the lines are laid out at the list's width
            self.call_after_refresh(self._draw, keep_cursor=True)

    # -- searching --------------------------------------------------------------------------------

    @work(exclusive=True, group="search")
    async def search(self) -> None:
        """Search after the keystroke has been handled (in field mode, once typing rests); a
        newer keystroke cancels this one.

        A search takes a few ms, so it runs on the event loop: a thread per keystroke costs a
        stack and, with glibc, a memory arena that is never given back."""
        if self.plain and self.fetch == COUNTED and self.index is not None:
            await asyncio.sleep(FIELD_TYPING_REST)
        self._search_now()

    def _catch_up(self) -> None:
        """Before Down or Enter acts on the list: the list of the query typed, at once."""
        if self._drawn_for != self.query_text and self.query_text.strip() and self.index is not None:
            self.workers.cancel_group(self, "search")
            self._search_now()

    def _search_now(self) -> None:
        query, index = self.query_text, self.index
        if index is None:
            self._line("#count", label("indexing", self.lang))
            self.post_message(self.IndexWanted(self))
            return  # the index comes down when built, and the search runs again
        hits = index.search(query, limit=self.fetch)
        if query != self.query_text or index is not self.index:
            return  # the user typed on, or the facts were reloaded: these results are stale
        grown = len(self.hits) < len(hits) and hits[: len(self.hits)] == self.hits
        self.hits, self._drawn_for = hits, query
        self.shown = max(self.shown, min(len(hits), PAGE)) if grown else min(len(hits), PAGE)
        self._draw(keep_cursor=grown)

    def _draw(self, *, keep_cursor: bool) -> None:
        results = self.results
        cursor = results.highlighted
        base = self.base
        if base is None:
            return
        names = name_column(base, self.hits, self.lang)
        results.show_hits(base, self.shown_hits, self.lang, plain=self.plain, names=names)
        if not self.hits:
            results.add_option(label("no_results", self.lang))
        elif keep_cursor and cursor is not None and cursor < self.shown:
            results.highlighted = cursor
        total = f"{len(self.hits)}+" if len(self.hits) >= self.fetch else str(len(self.hits))
        self._line(
            "#count", label("result_count", self.lang).format(shown=self.shown, total=total) if self.hits else ""
        )
        more = f"{len(self.hits) - self.shown}{'+' if total.endswith('+') else ''}"
        self._line("#more", label("more_results", self.lang).format(n=more) if more not in ("0", "") else "")
        self.post_message(self.Shown(self, self.query_text, self.shown, len(self.hits)))

    def _line(self, selector: str, text: str) -> None:
        if self._lines.get(selector, "") != text:  # an unchanged line is not sent again
            self._lines[selector] = text
            self.query_one(selector, Static).update(Text(text))

    # -- moving through the results ---------------------------------------------------------------

    def move(self, step: int) -> None:
        """Move the cursor ``step`` results (within those on the list)."""
        self._catch_up()
        results = self.results
        if self.shown:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(self.shown - 1, current + step))

    @on(ResultList.OptionHighlighted)
    def _near_the_end(self, event: ResultList.OptionHighlighted) -> None:
        """Draw the next page when the cursor nears the last result shown (fetch more at the end)."""
        event.stop()
        if event.option_index < self.shown - max(1, min(5, PAGE // 2)):
            return
        if self.shown < len(self.hits):
            self.shown = min(len(self.hits), self.shown + PAGE)
            self._draw(keep_cursor=True)
        elif len(self.hits) >= self.fetch:
            self.fetch += COUNTED
            self.search()

    def open_highlighted(self) -> None:
        self._catch_up()
        fact = self.highlighted_fact
        if fact is not None:
            self.post_message(self.Opened(self, fact))

    @on(ResultList.OptionSelected)
    def _picked(self, event: ResultList.OptionSelected) -> None:
        event.stop()
        if event.option_index < self.shown:
            self.post_message(self.Opened(self, self.hits[event.option_index].fact))
