"""The povtui Textual app, built from a loaded fact base by :func:`build_app`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from tui.app.clipboard import osc52
from tui.app.guard import Guarded
from tui.app.persist import Saved
from tui.app.screens.help import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.state import Place
from tui.app.terminal import trim_sgr
from tui.domain.model import FactBase, Problem
from tui.domain.vocab import Lang, label
from tui.present.textfmt import sanitize

__all__ = ["PovApp", "build_app"]

if TYPE_CHECKING:
    from tui.search.memory import SearchIndex


FIRST_FRAME_LIMIT = 1.5
"""At most this many seconds the first frame is held (field mode)."""


class PlaceProvider(Provider):
    """Command palette entries for every county, theme of a county, and metric."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, PovApp)
        matcher = self.matcher(query)
        for text, place in app.palette_entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.open_place, place), help=place.kind)


class PovApp(Guarded, App[None]):
    """Browse, search and compare the figures of the fact base."""

    TITLE = "povtui"
    COMMANDS = App.COMMANDS | {PlaceProvider}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("l", "toggle_lang", "中/EN", id="lang"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    CSS = """
    PovApp.-field * { scrollbar-size: 0 0; scrollbar-visibility: hidden; }
    /* a short list of a fixed height: a key repaints ten lines, and the blank below never changes */
    PovApp.-field ResultList { height: 10; }
    PovApp.-field DetailView { overflow-y: hidden; overflow-x: hidden; }
    """

    def __init__(
        self,
        base: FactBase,
        problems: list[Problem] | None = None,
        *,
        lang: Lang = "zh",
        field: bool = False,
        saved: Saved | None = None,
        notice: str = "",
        facts: str = "",
        search: Callable[[], SearchIndex] | None = None,
        recheck: bool = False,
    ) -> None:
        super().__init__()
        self.base = base
        self.recheck = recheck and bool(facts)
        """The index was trusted at start: look at the county files after the first screen."""
        self.search_factory = search
        """Gives the search index of ``base`` (the store's, which reads stored pinyin)."""
        self.problems = [p for p in (problems or []) if p.severity == "error"]
        self.lang: Lang = lang
        self.field = field
        """Field mode: no animation, no blinking, no scrollbars, ANSI colours, no mouse."""
        self.facts = facts
        self.saved = saved if saved is not None and saved.facts == facts else None
        self.notice = notice
        self.holding_first_frame = False
        """Field mode, at start: no frame is sent until the first screen is complete."""
        self.copied: list[str] = []
        """Every OSC 52 sequence sent, newest last (tests decode them)."""
        if field:
            self.animation_level = "none"  # holds even when the environment switch was missed
            self.set_class(True, "-field")

    def get_driver_class(self):  # type: ignore[no-untyped-def]
        """Textual's driver for this terminal; on Linux and macOS one whose output carries no
        colour codes that change nothing (see :func:`tui.app.terminal.trim_sgr`)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is not LinuxDriver:  # Windows, or a driver named in TEXTUAL_DRIVER
            return driver

        class TrimmedDriver(LinuxDriver):
            def write(self, data: str) -> None:
                super().write(trim_sgr(data))

        return TrimmedDriver

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.base, lang=self.lang, saved=self.saved, status=self.status_text())

    def status_text(self) -> str:
        parts = []
        if self.field:
            parts.append("field" if self.lang == "en" else "省流")
        if self.problems:
            parts.append(f"⚠{len(self.problems)}")
        return " ".join(parts)

    def get_loading_widget(self) -> Widget:
        """A still line instead of the animated indicator, which repaints 16 times a second."""
        return Label("…")

    def on_load(self) -> None:
        if self.field:
            # The main screen sends nothing until its first screen is complete (see
            # MainScreen._compositor_refresh); the timer is a safety net.
            self.holding_first_frame = True
            self.set_timer(FIRST_FRAME_LIMIT, self.release_first_frame)

    def release_first_frame(self, *, repaint: bool = True) -> None:
        """Stop holding: the next frame covers the whole screen (field mode). ``repaint=False``
        when that frame is being drawn already: asking for a repaint then would send it twice."""
        if self.holding_first_frame:
            self.holding_first_frame = False
            self.screen._compositor._dirty_regions.add(self.screen.size.region)
            if repaint:
                self.screen.refresh()

    def on_mount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
            # a dropped SSH connection: keep the user's place and leave, rather than spin on a
            # terminal that is gone
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
        if self.field and not self.theme.startswith("ansi"):
            self.theme = "ansi-dark"  # when the environment switch was missed (tests, embedding)
        if self.notice:
            self.notify(sanitize(self.notice), severity="warning", timeout=6, markup=False)
        if self.problems:
            first = self.problems[0]
            self.notify(
                f"{len(self.problems)} {label('problems', self.lang)}: {sanitize(str(first))}",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def make_search_index(self, base: FactBase) -> SearchIndex:
        """The search index (called once, in a thread, after the first screen)."""
        if self.search_factory is not None:
            return self.search_factory()
        from tui.search.memory import SearchIndex

        return SearchIndex(base)

    def check_files(self) -> None:
        """Bring the index up to date with the county files (in a worker thread, after the first
        screen); when one changed, reload the facts and say so."""
        if not self.recheck:
            return
        self.recheck = False
        from tui.store.index import refresh

        changed = refresh(Path(self.facts))
        if changed:
            self.call_from_thread(self.reload, changed)

    def reload(self, changed: int) -> None:
        from tui.store.indexed import open_store

        store = open_store(Path(self.facts))
        self.base = store.base
        self.search_factory = store.search_index
        self.problems = [p for p in store.problems if p.severity == "error"]
        self.main.reload(store.base)
        self.notify(label("reloaded", self.lang).format(n=changed), timeout=6, markup=False)

    def hang_up(self) -> None:
        with contextlib.suppress(Exception):
            self.main.save_now()
        self.exit()

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):  # the screen may be gone already
            self.main.save_now()

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def open_place(self, place: Place) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.main.visit(place)

    def palette_entries(self) -> Iterable[tuple[str, Place]]:
        base = self.base
        for county in base.counties:
            yield f"{county.short} {county.en} {county.name}", Place("county", county=county.id)
        for metric in base.metrics:
            yield f"{metric.zh} {metric.en}", Place("metric", metric=metric.id)

    def get_system_commands(self, screen: Screen[None]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Compare counties", "Side-by-side comparison (c)", self.main.action_compare)
        yield SystemCommand("Switch language", "Chinese / English interface (l)", self.action_toggle_lang)
        yield SystemCommand("Group tree by theme or county", "(g)", self.main.action_toggle_grouping)

    def action_help(self) -> None:
        bindings = [*self.screen.BINDINGS, *self.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette")]
        self.push_screen(HelpScreen(label("help_title", self.lang), bindings))  # type: ignore[arg-type]

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.main.lang = self.lang
        for screen in self.screen_stack[1:]:
            if hasattr(screen, "lang"):
                screen.lang = self.lang  # type: ignore[attr-defined]

    def copy_to_clipboard(self, text: str) -> None:
        """Copy with OSC 52 (wrapped for tmux, size-capped) and show the text as well, for
        terminals that ignore OSC 52."""
        sequence, cut = osc52(text, tmux=bool(os.environ.get("TMUX")))
        self._clipboard = text
        self.copied.append(sequence)
        if self._driver is not None:
            self._driver.write(sequence)
        heading = label("copied_cut" if cut else "copied", self.lang)
        self.notify(sanitize(text), title=heading, timeout=10, markup=False)


def build_app(
    base: FactBase,
    problems: list[Problem] | None = None,
    *,
    lang: Lang = "zh",
    field: bool = False,
    saved: Saved | None = None,
    notice: str = "",
    facts: str = "",
    search: Callable[[], SearchIndex] | None = None,
    recheck: bool = False,
) -> PovApp:
    """The one factory the CLI and the tests use."""
    return PovApp(
        base, problems, lang=lang, field=field, saved=saved, notice=notice, facts=facts, search=search, recheck=recheck
    )
