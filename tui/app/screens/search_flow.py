"""The search flow of the main screen: ``/`` and what is typed right after it, the result list
shown or hidden, Up/Down/Enter on the list, Esc back to what was open; and the search index.

:class:`SearchingScreen` is the main screen's base: it owns :attr:`query_text`, :attr:`index`
and the keys of the search; the main screen says what opening a result means
(:meth:`open_result`) and which facts are searched (:attr:`facts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.reactive import var
from textual.widgets import ContentSwitcher, Input

from tui.app.widgets.index_loader import IndexLoader
from tui.app.widgets.search import SearchBar
from tui.app.widgets.search_panel import SearchPanel
from tui.app.wire import HeldScreen
from tui.domain.facts import Facts
from tui.domain.model import Fact

if TYPE_CHECKING:
    from tui.search.scoring import Search

__all__ = ["INDEX_DELAY", "SearchingScreen"]

INDEX_DELAY = 1.0
"""Seconds after start-up before the search index is built (unless a search needs it sooner): a
thread building it (the pinyin of every text) during start-up takes the interpreter from the
thread drawing the first screen."""


class SearchingScreen(HeldScreen):
    """A screen with a search bar (``#search``), a :class:`SearchPanel` and a ``ContentSwitcher``
    between the results and what else the screen shows (``#detail``)."""

    query_text: var[str] = var("")
    """What is typed in the search bar."""
    index: var[Search | None] = var(None, always_update=True)
    """The search index of :attr:`facts`, once built."""

    def __init__(self) -> None:
        super().__init__()
        self._typing_search = False
        """True from / until the focus has reached the search bar (and while it is there)."""

    @property
    def facts(self) -> Facts:
        """The facts searched."""
        raise NotImplementedError

    def remember(self) -> None:
        """Keep the query with the user's place (the main screen saves it)."""

    def open_result(self, fact: Fact) -> None:
        """The user chose ``fact`` from the results."""
        raise NotImplementedError

    def leave_results(self) -> None:
        """The results are left (Esc): where the focus goes."""

    @property
    def showing_results(self) -> bool:
        return self.query_one(ContentSwitcher).current == "results"

    def load_index(self) -> None:
        self.query_one(IndexLoader).load(self.facts)

    @on(IndexLoader.Ready)
    def _index_ready(self, event: IndexLoader.Ready) -> None:
        if event.base is self.facts:  # else the facts were reloaded meanwhile: a newer index comes
            self.index = event.index

    @on(SearchPanel.IndexWanted)
    def _index_wanted(self) -> None:
        if not self.query_one(IndexLoader).building:
            self.load_index()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.remember()
        self.query_one(ContentSwitcher).current = "results" if event.value.strip() else "detail"
        self.refresh_bindings()

    @on(SearchPanel.Shown)
    def _results_shown(self) -> None:
        self.refresh_bindings()

    @on(SearchBar.Move)
    def _move_result(self, event: SearchBar.Move) -> None:
        """Up/Down move on the list when it is shown; when it is not, they show it."""
        if not self._show_results():
            self.query_one(SearchPanel).move(event.step)

    @on(Input.Submitted, "#search")
    def _submit(self) -> None:
        if not self._show_results():
            self.query_one(SearchPanel).open_highlighted()

    def _show_results(self) -> bool:
        """Show the results of the query if they are hidden; whether they were."""
        if self.showing_results or not self.query_text.strip():
            return False
        self.query_one(ContentSwitcher).current = "results"
        self.refresh_bindings()
        return True

    @on(SearchPanel.Opened)
    def _open_result(self, event: SearchPanel.Opened) -> None:
        self.query_one(ContentSwitcher).current = "detail"
        self.open_result(event.fact)

    def action_focus_search(self) -> None:
        """/: to the search bar, the query selected (typing replaces it), its results shown."""
        self._typing_search = True
        search = self.query_one(SearchBar)
        search.focus()
        search.action_select_all()
        self._show_results()

    def on_key(self, event: events.Key) -> None:
        """/ and what is typed right after it go to the search bar, in order. Key events reach
        the screen before bindings run and focus moves a moment later, so a fast typist's
        '/sz' would otherwise leave 'sz' on the tree."""
        search = self.query_one(SearchBar)
        if self.focused is search or not event.is_printable or not event.character:
            return
        if event.character == "/":
            event.stop()
            self.action_focus_search()
        elif self._typing_search:
            event.stop()
            search.type_text(event.character)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        self._typing_search = isinstance(event.widget, SearchBar)

    def action_leave_search(self) -> None:
        """Esc: back to what was open; the query stays (/ shows its results)."""
        self.query_one(ContentSwitcher).current = "detail"
        self.leave_results()
        self.refresh_bindings()
