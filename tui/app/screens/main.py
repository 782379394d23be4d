"""The main screen: search bar, tree, and the detail pane or the search results.

The screen owns the state (the facts, and from :class:`~tui.app.screens.keeping.KeepingScreen`
what is open and has been, the language, the query, the compared counties, the grouping) and
binds it down to its children; they post messages up.
"""

from __future__ import annotations

from typing import cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.reactive import var
from textual.widgets import ContentSwitcher

from tui.app.persist import Saved
from tui.app.places import compare_counties, figures_shown, first_place, known, renderable_for
from tui.app.screens.keeping import KeepingScreen
from tui.app.screens.search_flow import INDEX_DELAY
from tui.app.state import History, Place
from tui.app.widgets.body import Body
from tui.app.widgets.detail import DetailView
from tui.app.widgets.fact_tree import FactTree
from tui.app.widgets.index_loader import IndexLoader
from tui.app.widgets.keybar import KeyBar, StatusLine
from tui.app.widgets.search import SearchBar
from tui.app.widgets.search_panel import SearchPanel
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.gcpause import resume_gc
from tui.present.textfmt import sanitize

__all__ = ["MainScreen"]


class MainScreen(KeepingScreen):
    """Browse by tree, find by search, read the detail with its provenance."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("escape", "leave_search", "Leave search", show=False, id="leave-search"),
        Binding("t", "toggle_tree", "Tree", id="tree"),
        Binding("g", "toggle_grouping", "Group", id="group"),
        Binding("c", "compare", "Compare", id="compare"),
        Binding("y", "copy", "Copy", id="copy"),
        Binding("left_square_bracket,alt+left", "back", "Back", id="back"),
        Binding("right_square_bracket,alt+right", "forward", "Fwd", id="forward"),
    ]

    DEFAULT_CSS = """
    MainScreen #top { height: 1; }
    MainScreen #search { width: 1fr; }
    MainScreen #status { width: auto; }
    """

    AUTO_FOCUS = "#tree"

    base: var[Facts | None] = var(None, always_update=True)
    """The facts shown (replaced when a county file changed)."""

    def __init__(self, base: Facts, *, lang: Lang = "zh", saved: Saved | None = None, status: str = "") -> None:
        super().__init__(base, lang=lang, saved=saved)
        self.set_reactive(MainScreen.base, base)
        self.status = status
        self._drawn: Place | None = None
        self._county_count = 0
        self.watch_base(None, base)  # counts the counties (not mounted: nothing is drawn)

    @property
    def facts(self) -> Facts:
        return cast(Facts, self.base)  # set in __init__, never None after

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            bar = SearchBar(placeholder=label("search", self.lang), id="search")
            bar.value = sanitize(self.query_text)  # a saved query: as the data, never raw
            yield bar
            yield StatusLine(self.status, lang=self.lang, id="status").data_bind(MainScreen.lang)
        with Body(width=self.app.size.width, id="body"):
            first = self.history.current
            restored = first is not None and first != first_place(self.facts)
            field, grouping = self.app.field, self.grouping
            tree = FactTree(
                self.facts, lang=self.lang, grouping=grouping, open_first=not restored, field=field, id="tree"
            )
            yield tree.data_bind(MainScreen.lang, MainScreen.base, MainScreen.grouping)
            with ContentSwitcher(initial="detail", id="right"):
                self._drawn = first or first_place(self.facts)
                yield DetailView(renderable_for(self.facts, self._drawn, self.lang), id="detail")
                panel = SearchPanel(plain=self.app.field, id="results")
                yield panel.data_bind(MainScreen.query_text, MainScreen.lang, MainScreen.base, MainScreen.index)
        yield KeyBar([*self.BINDINGS, *self.app.BINDINGS], lang=self.lang).data_bind(MainScreen.lang)
        app = self.app
        yield IndexLoader(facts=app.facts, recheck=app.recheck, factory=app.search_factory, changed=app.changed)

    def on_mount(self) -> None:
        tree = self.query_one(FactTree)
        first = first_place(self.facts)
        if self.history.current is None and first is not None:
            self.set_reactive(MainScreen.history, self.history.visit(first))
        elif self.history.current is not None and self.history.current != first:
            tree.call_after_refresh(tree.select_place, self.history.current)  # once its lines exist
        self.set_timer(INDEX_DELAY, self.load_index)  # once the first screen is out (see INDEX_DELAY)
        if self.compare_open:  # it was when the last session ended; from the app, which it binds to
            self.app.call_later(self.action_compare)
        if self.history.current != self._drawn:  # a visit before the screen was mounted
            self._show_place(self.history.current)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(StatusLine).fit(event.size)

    def first_screen_ready(self) -> bool:
        return bool(self.query_one(DetailView).lines) and self.query_one(FactTree).last_line >= 0

    def first_screen_sent(self) -> None:
        resume_gc(freeze=True)  # what was made to draw the first screen is long-lived (see tui.gcpause)

    def watch_history(self, history: History) -> None:
        if self.is_mounted:
            self._show_place(history.current)
            self.remember()
            self.refresh_bindings()

    def watch_lang(self, old: Lang, lang: Lang) -> None:
        if self.is_mounted and old != lang:
            self.query_one(SearchBar).placeholder = label("search", lang)
            self._show_place(self.history.current)
            self.remember()

    def watch_base(self, old: Facts | None, base: Facts | None) -> None:
        if base is not None:
            self._county_count = sum(counties for _, counties, _ in base.regions())  # reads no county record
        if self.is_mounted and base is not None and base is not old:
            self.index, current = None, self.history.current
            self._show_place(current if current is not None and known(base, current) else first_place(base))

    def visit(self, place: Place) -> None:
        """Open ``place`` and remember it for back/forward."""
        self.history = self.history.visit(place)
        self.query_one(FactTree).select_place(place, expand=place.kind != "county")

    def _show_place(self, place: Place | None) -> None:
        self._drawn = place
        self.query_one(DetailView).show(renderable_for(self.facts, place, self.lang))

    @on(FactTree.Opened)
    def _tree_opened(self, event: FactTree.Opened) -> None:
        self.history = self.history.visit(event.place)
        self.query_one(Body).opened(chosen=event.chosen)

    @on(IndexLoader.Reloaded)
    def _reloaded(self, event: IndexLoader.Reloaded) -> None:
        self.base = event.reload.base  # the message goes on to the app, which says so

    def open_result(self, fact: Fact) -> None:
        self.visit(Place("fact", county=fact.county, fact=fact.id))
        self.query_one(DetailView).focus()  # keys act on the fact now; / returns to the search

    def leave_results(self) -> None:
        self.query_one(FactTree).focus()

    # -- actions (the search's are in SearchingScreen) ------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Compare needs two counties, copy a figure: without, their keys are greyed out."""
        try:
            if action == "compare":
                return self._county_count >= 2 or None
            if action == "copy":  # a result highlighted, or a place shown (a county: its headlines)
                results = self.showing_results
                return (self.query_one(SearchPanel).highlighted_fact if results else self._drawn) is not None or None
        except NoMatches:  # not composed yet
            pass
        return True

    def action_toggle_tree(self) -> None:
        self.query_one(Body).toggle_tree()

    def action_toggle_grouping(self) -> None:
        self.grouping = "theme" if self.grouping == "county" else "county"

    def action_back(self) -> None:
        self._move_in_history(self.history.go_back(), "history.first")

    def action_forward(self) -> None:
        self._move_in_history(self.history.go_forward(), "history.last")

    def _move_in_history(self, history: History, end: str) -> None:
        if history == self.history:  # nothing further that way: say so, never a silent key
            self.notify(label(end, self.lang), timeout=2, markup=False)
            return
        self.history = history
        if history.current is not None:
            self.query_one(FactTree).select_place(history.current, expand=False)

    def action_compare(self) -> None:
        self.compare_open = True
        self.compared = tuple(compare_counties(self.facts, self.compared, self.history.current))
        self.app.open_compare(list(self.compared))

    def figures_on_screen(self) -> tuple[Fact, ...]:
        """What ``y`` copies: the highlighted result, or every figure the detail pane shows now."""
        if self.showing_results:
            return tuple(f for f in [self.query_one(SearchPanel).highlighted_fact] if f is not None)
        return figures_shown(self.facts, self._drawn)

    def action_copy(self) -> None:
        resting = self.query_one(FactTree).take_resting()
        if resting is not None and not self.showing_results:  # moved a moment ago: show it, copy it
            self.history = self.history.visit(resting)
        self.app.copy_figures(self.figures_on_screen())  # nothing to copy: the app says so
