"""The main screen: search bar, tree, and the detail pane or the search results.

The screen owns the state (what is open, where the user has been, the language); children
post messages up, and the screen renders what the model answers into the detail pane.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Static, Tree

from tui.app.guard import Guarded
from tui.app.persist import Saved, save_state
from tui.app.render import county_view, fact_view, metric_view, theme_view
from tui.app.state import History, Place
from tui.app.widgets.detail import DetailView
from tui.app.widgets.fact_tree import FactTree
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.search import ResultList, SearchBar
from tui.domain.model import Fact, FactBase
from tui.domain.vocab import Lang, label
from tui.gcpause import resume_gc
from tui.present.views import citation, ordered

if TYPE_CHECKING:
    from tui.search.memory import Hit, SearchIndex

__all__ = ["MainScreen"]

SMALL = (60, 16)
"""A terminal smaller than this (columns, lines) gets a notice in the status line."""

INDEX_DELAY = 1.0
"""Seconds after start-up before the search index is built (unless a search needs it sooner)."""

PREVIEW_DELAY = 0.3
"""Seconds the tree cursor must rest before the detail pane follows it: moving through ten
rows repaints ten lines, not ten panes."""


PAGE = 50
"""Search results fetched at a time."""
THEME_COUNTIES = 12
"""A theme across all counties shows this many counties' tables (the tree opens the others)."""


class MainScreen(Guarded, Screen[None]):
    """Browse by tree, find by search, read the detail with its provenance."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("escape", "leave_search", "Leave search", show=False, id="leave-search"),
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
    MainScreen #body { height: 1fr; }
    MainScreen FactTree { width: 32; border-right: vkey $panel; }
    """

    AUTO_FOCUS = "#tree"

    focused: var[Widget | None] = var(None)  # type: ignore[assignment]
    """As on every Screen, but a change of focus no longer repaints the whole screen: the two
    widgets concerned repaint themselves (Textual's Screen.focused is a repainting reactive)."""

    history: var[History] = var(History)
    """Where the user is and has been; a new object on every move."""
    lang: var[Lang] = var("zh")

    def __init__(self, base: FactBase, *, lang: Lang = "zh", saved: Saved | None = None, status: str = "") -> None:
        super().__init__()
        self.base = base
        self.set_reactive(MainScreen.lang, lang)
        self.saved = saved
        self.status = status
        self._status_shown = status
        self.compare_set: tuple[str, ...] = ()
        self.compare_open = False
        self._save_timer: Timer | None = None
        if saved is not None:
            self.set_reactive(MainScreen.history, self._known_history(saved.history))
            self.compare_set = tuple(c for c in saved.compare if self._known(Place("county", county=c)))
        self._search_index: SearchIndex | None = None
        self._typing_search = False
        """True from / until the focus has reached the search bar (and while it is there)."""
        self._index_lock = threading.Lock()
        self._preview_timer: Timer | None = None
        self.last_hits: tuple[Hit, ...] = ()
        self.wanted = PAGE
        """How many results to fetch: a page, and another each time the cursor nears the end."""
        self._painted = False  # the first screen is out
        self._resumed = False  # the screen has resumed once

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield SearchBar(placeholder=label("search", self.lang), id="search")
            yield Static(Text(self.status, style="reverse"), id="status")
        with Horizontal(id="body"):
            first = self.history.current
            restored = first is not None and first != self._first_place()
            yield FactTree(self.base, lang=self.lang, id="tree", open_first=not restored)
            with ContentSwitcher(initial="detail", id="right"):
                yield DetailView(self.renderable_for(self.history.current or self._first_place()), id="detail")
                yield ResultList(id="results")
        yield KeyBar([*self.BINDINGS, *self.app.BINDINGS])

    @property
    def field_mode(self) -> bool:
        return bool(getattr(self.app, "field", False))

    def _first_place(self) -> Place | None:
        first = self.base.first_county()
        return None if first is None else Place("county", county=first.id)

    def on_mount(self) -> None:
        if self.field_mode:
            # guides are restyled for the cursor's branch: each move would repaint every line
            self.query_one(FactTree).show_guides = False
        first = self._first_place()
        if self.history.current is None and first is not None:
            self.set_reactive(MainScreen.history, self.history.visit(first))
        elif self.history.current is not None and self.history.current != first:
            # a restored place: the tree moves there once its lines exist
            self.query_one(FactTree).call_after_refresh(self.query_one(FactTree).select_place, self.history.current)
        # the index (pinyin of every text) is built once the first screen is out: a thread
        # building it during start-up takes the interpreter from the thread drawing the screen
        self.set_timer(INDEX_DELAY, self._build_index)
        if self.saved is not None and self.saved.search:
            self.query_one(SearchBar).value = self.saved.search
        if self.saved is not None and self.saved.compare_open and len(self.compare_set) >= 2:
            self.call_after_refresh(self.action_compare)

    def on_resize(self, event: events.Resize) -> None:
        """Below 60x16 the panes are cramped: say so in the status line (nothing breaks)."""
        small = event.size.width < SMALL[0] or event.size.height < SMALL[1]
        text = " ".join(part for part in (self.status, label("small", self.lang) if small else "") if part)
        status = self.query_one("#status", Static)
        if text != self._status_shown:
            self._status_shown = text
            status.update(Text(text, style="reverse"))

    def _compositor_refresh(self) -> None:
        """Field mode holds the first frame: Textual lays a screen out in several passes and
        would send each as a full frame. Nothing is rendered until the tree and the detail pane
        have their lines; then the whole screen goes out once."""
        app = self.app
        if getattr(app, "holding_first_frame", False):
            if not self._first_screen_ready():
                return
            app.release_first_frame(repaint=False)  # type: ignore[attr-defined]
        super()._compositor_refresh()
        if not self._painted:
            self._painted = True
            # the first screen is out: what was made to draw it is long-lived (see tui.start)
            resume_gc(freeze=True)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual styles every widget again whenever a screen resumes. The first time, each
        was styled as it was mounted a moment before: doing it twice cost a start 8 ms."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

    async def _on_idle(self, event: events.Idle) -> None:
        """Until the first screen is out, lay out and paint as soon as the app is idle, rather
        than at the field-mode frame rate: each of the first passes would wait a frame
        (1/15 s), and there are several."""
        if (
            getattr(self.app, "holding_first_frame", False)
            and self.is_current
            and not self.app._batch_count
            and (self._layout_required or self._repaint_required or self._dirty_widgets)
        ):
            self._on_timer_update()
        await super()._on_idle(event)

    def _first_screen_ready(self) -> bool:
        try:
            return bool(self.query_one(DetailView).lines) and self.query_one(FactTree).last_line >= 0
        except Exception:  # not composed yet
            return False

    # -- keeping the user's place -----------------------------------------------------------

    def _known(self, place: Place) -> bool:
        base = self.base
        known_counties = {c.id for c in base.counties}
        return (
            (not place.county or place.county in known_counties)
            and (not place.theme or place.theme in {t.id for t in base.themes})
            and (not place.metric or place.metric in {m.id for m in base.metrics})
            and (not place.fact or base.has_fact(place.fact))
            and all(c in known_counties for c in place.counties)
            and place.kind != "compare"
        )

    def _known_history(self, history: History) -> History:
        """The saved history without places the fact tree no longer has."""
        current = history.current if history.current is not None and self._known(history.current) else None
        return History(
            current,
            tuple(p for p in history.back if self._known(p)),
            tuple(p for p in history.forward if self._known(p)),
        )

    def remember(self) -> None:
        """Save the user's place a moment from now (several changes make one write)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_now)

    def save_now(self) -> None:
        app = self.app
        save_state(
            Saved(
                self.history,
                self.query_one(SearchBar).value,
                self.compare_set,
                self.compare_open,
                getattr(app, "facts", ""),
            )
        )

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()

    # -- state -----------------------------------------------------------------------------

    def watch_history(self, history: History) -> None:
        if self.is_mounted:
            self._show_place(history.current)
            self.remember()

    def watch_lang(self, lang: Lang) -> None:
        if not self.is_mounted:
            return
        self.query_one(FactTree).lang = lang
        self.query_one(SearchBar).placeholder = label("search", lang)
        self._show_place(self.history.current)
        if self.last_hits:
            self.query_one(ResultList).show_hits(self.base, self.last_hits, lang, plain=self.field_mode)

    def visit(self, place: Place) -> None:
        """Open ``place`` and remember it for back/forward."""
        self.history = self.history.visit(place)
        self.query_one(FactTree).select_place(place, expand=place.kind != "county")

    def _show_place(self, place: Place | None) -> None:
        self.query_one(DetailView).show(self.renderable_for(place))

    def renderable_for(self, place: Place | None) -> RenderableType:
        base, lang = self.base, self.lang
        if place is None:
            return Text("")
        if place.kind == "county":
            return county_view(base, place.county, lang)
        if place.kind == "theme":
            if place.county:
                return theme_view(base, place.county, place.theme, lang)
            having: set[str] = set()
            for metric in base.metrics:
                if metric.theme == place.theme:
                    having.update(county for county, _ in base.tally(metric=metric.id))
            counties = [c.id for c in base.counties if c.id in having]
            shown = [theme_view(base, c, place.theme, lang) for c in counties[:THEME_COUNTIES]]
            if len(counties) > THEME_COUNTIES:
                more = label("more_counties", lang).format(n=len(counties) - THEME_COUNTIES)
                shown.append(Text(more, style="dim"))
            return Group(*shown)
        if place.kind == "metric":
            return metric_view(base, place.county, place.metric, lang)
        if place.kind == "fact" and base.has_fact(place.fact):
            return fact_view(base, place.fact, lang)
        return Text("")

    # -- tree ------------------------------------------------------------------------------

    @on(Tree.NodeSelected)
    def _open_node(self, event: Tree.NodeSelected[Place]) -> None:
        if event.node.data is not None:
            self._cancel_preview()
            self.history = self.history.visit(event.node.data)

    @on(Tree.NodeHighlighted)
    def _follow_cursor(self, event: Tree.NodeHighlighted[Place]) -> None:
        place = event.node.data
        self._cancel_preview()
        if place is not None and place != self.history.current:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._show_preview(place))

    def _show_preview(self, place: Place) -> None:
        """The cursor rested on a node: show it, as a visit (so back returns here)."""
        self._preview_timer = None
        self.history = self.history.visit(place)

    def _cancel_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    # -- search ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        check = getattr(self.app, "check_files", None)
        if check is not None:
            check()  # may reload the facts (from this thread, on the app's loop) before the index
        self.search_index()

    def reload(self, base: FactBase) -> None:
        """Show ``base`` (the facts read again after a county file changed), keeping the place."""
        with self._index_lock:
            self.base = base
            self._search_index = None
        tree = self.query_one(FactTree)
        tree.base = base
        tree.rebuild()
        current = self.history.current
        self._show_place(current if current is not None and self._known(current) else self._first_place())
        query = self.query_one(SearchBar).value
        if query.strip():
            self._search(query)

    def search_index(self) -> SearchIndex:
        """The search index, built on first use (from a worker thread: it takes ~0.3 s)."""
        with self._index_lock:
            if self._search_index is None:
                # imported here, not before the first screen: a search needs it
                from tui.search.memory import SearchIndex

                make = getattr(self.app, "make_search_index", SearchIndex)
                self._search_index = make(self.base)
            return self._search_index

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.remember()
        switcher = self.query_one(ContentSwitcher)
        self.wanted = PAGE
        if not event.value.strip():
            switcher.current = "detail"
            self.last_hits = ()
            return
        self._search(event.value)

    @work(exclusive=True, group="search")
    async def _search(self, query: str) -> None:
        """Search after the keystroke has been handled; a newer keystroke cancels this one.

        The index is built once, in a thread (~0.3 s cold); a search itself takes a few ms at
        this size, so it runs on the event loop: a thread per keystroke cost a stack and, with
        glibc, a memory arena that is never given back (hundreds of MB over a long session).
        """
        index = self._search_index
        if index is None:
            index = await asyncio.to_thread(self.search_index)
        hits = index.search(query, limit=self.wanted)
        self._show_hits(query, hits)

    def _show_hits(self, query: str, hits: tuple[Hit, ...]) -> None:
        """Show results, unless the user has typed on since: stale results are dropped."""
        if query != self.query_one(SearchBar).value:
            return
        self.last_hits = hits
        results = self.query_one(ResultList)
        results.show_hits(self.base, hits, self.lang, plain=self.field_mode)
        if not hits:
            results.add_option(label("no_results", self.lang))
        self.query_one(ContentSwitcher).current = "results"

    @on(SearchBar.Move)
    def _move_result(self, event: SearchBar.Move) -> None:
        results = self.query_one(ResultList)
        if results.option_count and self.last_hits:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(len(self.last_hits) - 1, current + event.step))

    @on(ResultList.OptionHighlighted)
    def _near_the_end(self, event: ResultList.OptionHighlighted) -> None:
        """Fetch the next page of results when the cursor comes near the last one."""
        if len(self.last_hits) >= self.wanted and event.option_index >= len(self.last_hits) - 5:
            self.wanted += PAGE
            self._search(self.query_one(SearchBar).value)

    @on(Input.Submitted, "#search")
    def _submit(self) -> None:
        self._open_result(self.query_one(ResultList).highlighted)

    @on(ResultList.OptionSelected)
    def _pick(self, event: ResultList.OptionSelected) -> None:
        self._open_result(event.option_index)

    def _open_result(self, index: int | None) -> None:
        if index is None or not self.last_hits or index >= len(self.last_hits):
            return
        self.query_one(ContentSwitcher).current = "detail"
        self.visit(Place("fact", county=self.last_hits[index].fact.county, fact=self.last_hits[index].fact.id))
        self.query_one("#detail").focus()  # keys act on the fact now; / returns to the search

    def action_focus_search(self) -> None:
        self._typing_search = True
        self.query_one(SearchBar).focus()

    def on_key(self, event: events.Key) -> None:
        """/ and what is typed right after it go to the search bar, in order. Key events reach
        the screen before bindings run and focus moves a moment later, so a fast typist's
        '/sz' would otherwise leave 'sz' on the tree."""
        search = self.query_one(SearchBar)
        if self.focused is search or not event.is_printable or not event.character:
            return
        if event.character == "/":
            event.stop()
            self._typing_search = True
            search.focus()
        elif self._typing_search:
            event.stop()
            search.insert_text_at_cursor(event.character)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        self._typing_search = isinstance(event.widget, SearchBar)

    def action_leave_search(self) -> None:
        """Esc: close the results and return to what was open, the tree focused."""
        search = self.query_one(SearchBar)
        search.value = ""
        self.query_one(ContentSwitcher).current = "detail"
        self.query_one(FactTree).focus()

    # -- other actions ---------------------------------------------------------------------

    def action_toggle_grouping(self) -> None:
        tree = self.query_one(FactTree)
        tree.grouping = "theme" if tree.grouping == "county" else "county"

    def action_back(self) -> None:
        self._move_in_history(self.history.go_back())

    def action_forward(self) -> None:
        self._move_in_history(self.history.go_forward())

    def _move_in_history(self, history: History) -> None:
        self.history = history
        if history.current is not None:
            self.query_one(FactTree).select_place(history.current, expand=False)

    def action_compare(self) -> None:
        from tui.app.screens.compare import CompareScreen

        if len(self.base.counties) < 2:
            return
        counties = list(self.compare_set)
        if len(counties) < 2:
            current = self.history.current
            first = current.county if current is not None and current.county else self.base.counties[0].id
            counties = [first, *(c.id for c in self.base.counties if c.id != first)][:2]
        self.compare_open = True
        self.app.push_screen(CompareScreen(self.base, counties, lang=self.lang), self._compare_closed)

    def compare_changed(self, counties: tuple[str, ...]) -> None:
        """The comparison screen reports its counties, to be kept with the user's place."""
        self.compare_set = counties
        self.remember()

    def _compare_closed(self, _: object = None) -> None:
        self.compare_open = False
        self.remember()

    def focused_fact(self) -> Fact | None:
        """The figure the user is looking at: the highlighted result, or the open fact or metric."""
        if self.query_one(ContentSwitcher).current == "results":
            index = self.query_one(ResultList).highlighted
            if index is not None and index < len(self.last_hits):
                return self.last_hits[index].fact
        place = self.history.current
        if place is not None and place.kind == "fact" and self.base.has_fact(place.fact):
            return self.base.fact(place.fact)
        if place is not None and place.kind == "metric":
            facts = ordered(self.base.select(county=place.county or None, metric=place.metric))
            return facts[0] if facts else None
        return None

    def action_copy(self) -> None:
        fact = self.focused_fact()
        if fact is None:
            self.notify(label("nothing_to_copy", self.lang), severity="warning")
            return
        self.app.copy_to_clipboard(citation(self.base, fact))  # type: ignore[attr-defined]
