"""The search flow of the main screen: ``/`` and what is typed right after it, the result list
shown or hidden, Up/Down/Enter on the list, Esc back to what was open.

:class:`SearchingScreen` is the main screen's base: it owns :attr:`query_text` and the keys of
the search; the main screen says what opening a result means (:meth:`open_result`).
"""

from __future__ import annotations

from textual import events, on
from textual.reactive import var
from textual.widgets import ContentSwitcher, Input

from tui.app.widgets.search import SearchBar
from tui.app.widgets.search_panel import SearchPanel
from tui.app.wire import HeldScreen
from tui.domain.model import Fact

__all__ = ["SearchingScreen"]


class SearchingScreen(HeldScreen):
    """A screen with a search bar (``#search``), a :class:`SearchPanel` and a ``ContentSwitcher``
    between the results and what else the screen shows (``#detail``)."""

    query_text: var[str] = var("")
    """What is typed in the search bar."""

    def __init__(self) -> None:
        super().__init__()
        self._typing_search = False
        """True from / until the focus has reached the search bar (and while it is there)."""

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
