"""What the main screen keeps between sessions, and how: where the user is and has been, the
query, the counties compared and how they are shown (theme, sort), the tree's grouping and the
language. Restored from a :class:`~tui.app.persist.Saved` (what the facts no longer have is
dropped), saved a moment after each change (several changes make one write)."""

from __future__ import annotations

from textual import getters
from textual.reactive import var
from textual.timer import Timer

from tui.app.host import Host
from tui.app.persist import Saved
from tui.app.places import restored
from tui.app.screens.search_flow import SearchingScreen
from tui.app.state import History
from tui.app.widgets.fact_tree import Grouping
from tui.domain.facts import Facts
from tui.domain.vocab import Lang

__all__ = ["SAVE_DELAY", "KeepingScreen"]

SAVE_DELAY = 1.0
"""Seconds after a change before the place is saved (several changes make one write)."""


class KeepingScreen(SearchingScreen):
    """The main screen's base: its kept state, restored and saved."""

    app = getters.app(Host)  # type: ignore[type-var,assignment]  # the app, seen through what the screen needs

    history: var[History] = var(History)
    """Where the user is and has been; a new object on every move."""
    lang: var[Lang] = var("zh")
    compared: var[tuple[str, ...]] = var(())
    """The counties of the comparison."""
    grouping: var[Grouping] = var("county")
    """How the tree is grouped."""

    def __init__(self, base: Facts, *, lang: Lang, saved: Saved | None) -> None:
        super().__init__()
        self.set_reactive(KeepingScreen.lang, lang)
        self._save_timer: Timer | None = None
        kept = restored(base, saved or Saved())
        self.set_reactive(KeepingScreen.history, kept.history)
        self.set_reactive(KeepingScreen.query_text, kept.search)
        self.set_reactive(KeepingScreen.compared, kept.compare)
        self.set_reactive(KeepingScreen.grouping, "theme" if kept.grouping == "theme" else "county")
        self.compare_view = (kept.compare_theme, kept.compare_sort)
        """The comparison's theme and sort."""
        self.compare_open = kept.compare_open
        """Whether the comparison is open (at start: it was when the last session ended)."""

    def saved_state(self) -> Saved:
        """What is kept of this session (read from the screen's state only: safe at any time)."""
        kept = (self.history, self.query_text, self.compared, self.compare_open, self.app.facts)
        return Saved(*kept, self.lang, self.grouping, *self.compare_view)

    def remember(self) -> None:
        """Save the user's place a moment from now (the app saves at once when it ends)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.app.save_place)

    def watch_compared(self) -> None:
        if self.is_mounted:
            self.remember()

    def watch_grouping(self) -> None:
        if self.is_mounted:
            self.remember()

    def compare_changed(self, counties: tuple[str, ...], theme: str, sort: str) -> None:
        """The comparison's counties or view changed."""
        self.compared, self.compare_view = counties, (theme, sort)
        self.remember()

    def compare_closed(self) -> None:
        self.compare_open = False
        self.remember()
