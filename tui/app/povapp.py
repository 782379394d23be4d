"""The povtui Textual app, built from a loaded fact base by :func:`build_app`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from tui.app.clipboard import TMUX_FIX, clean, fit, osc52, route
from tui.app.palette import PlaceProvider
from tui.app.persist import Saved, save_state
from tui.app.state import Place
from tui.app.widgets.index_loader import IndexLoader
from tui.app.wire import SurvivingApp, write_raw
from tui.domain.facts import Facts
from tui.domain.model import Fact, Problem
from tui.domain.vocab import Lang, label
from tui.present.textfmt import sanitize
from tui.present.views import citation

__all__ = ["PovApp", "build_app"]

if TYPE_CHECKING:  # the other screens are imported when first shown: not on the way to the first screen
    from tui.app.screens.compare import CompareScreen
    from tui.app.screens.main import MainScreen
    from tui.search.scoring import Search


FIRST_FRAME_LIMIT = 1.5
"""At most this many seconds the first frame is held (field mode)."""
LEAVING_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT)
"""A dropped connection, ``kill``/``timeout``/systemd, and ctrl+\\ elsewhere: keep the place, restore
the terminal, leave."""


class PovApp(SurvivingApp):
    """Browse, search and compare the figures of the fact base."""

    TITLE = "povtui"
    COMMANDS = App.COMMANDS | {PlaceProvider}  # counties and metrics, by name or pinyin
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

    lang: var[Lang] = var("zh")
    """The interface language; every screen is bound to it."""

    def __init__(
        self,
        base: Facts,
        problems: list[Problem] | None = None,
        *,
        lang: Lang = "zh",
        field: bool = False,
        saved: Saved | None = None,
        notice: str = "",
        facts: str = "",
        search: Callable[[], Search] | None = None,
        recheck: bool = False,
        changed: Callable[[], tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__()
        self.base = base
        self.recheck = recheck and bool(facts)
        """The index was trusted at start: look at the county files after the first screen."""
        self.search_factory = search
        """Gives the search index of ``base`` (the store's, which reads stored pinyin)."""
        self.changed = changed
        """What changed in the fact files since ``base`` was read (the store's): polled while running."""
        self.problems = [p for p in (problems or []) if p.severity == "error"]
        self.set_reactive(PovApp.lang, lang)
        self.field = field
        """Field mode: no animation, no blinking, no scrollbars, ANSI colours, no mouse."""
        self.facts = facts
        self.saved = saved if saved is not None and saved.facts == facts else None
        self.notice = notice
        self.main: MainScreen | None = None
        """The main screen, once made (the bottom of the stack)."""
        if field:
            self.animation_level = "none"  # holds even when the environment switch was missed
            self.set_class(True, "-field")
            self.driver_class = self.get_driver_class()  # Textual chose one before field was known

    def get_driver_class(self) -> type[Driver]:
        default = super().get_driver_class()
        if getattr(self, "field", False) and default.__name__ == "LinuxDriver":  # not Windows, TEXTUAL_DRIVER
            from tui.app.diffdriver import DiffDriver  # only the cells that changed

            return DiffDriver
        return default

    def get_default_screen(self) -> Screen[None]:
        from tui.app.screens.main import MainScreen  # it reaches the app through getters.app(PovApp)

        field = ("省流" if self.lang == "zh" else "field") if self.field else ""
        status = " ".join(part for part in (field, f"⚠{len(self.problems)}" if self.problems else "") if part)
        self.main = MainScreen(self.base, lang=self.lang, saved=self.saved, status=status)
        self.main.holding = self.field
        return self.main.data_bind(PovApp.lang)

    def get_loading_widget(self) -> Widget:
        """A still line instead of the animated indicator, which repaints 16 times a second."""
        return Label("…")

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in LEAVING_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.leave)
        if self.field:
            self.set_timer(FIRST_FRAME_LIMIT, self._release_first_frame)  # a safety net
            if not self.theme.startswith("ansi"):
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

    def _release_first_frame(self) -> None:
        if self.main is not None:
            self.main.release()

    @on(IndexLoader.Reloaded)
    def _reloaded(self, event: IndexLoader.Reloaded) -> None:
        """The main screen shows the facts read again; the app keeps them and says so."""
        reload = event.reload
        self.base, self.search_factory, self.problems = reload.base, reload.search, reload.problems
        self.notify(label("reloaded", self.lang).format(n=reload.changed), timeout=6, markup=False)

    # -- leaving, and keeping the place ------------------------------------------------------------

    def save_place(self) -> None:
        """Save the user's place now. Never raises (a read-only home must not stop anyone)."""
        if self.main is not None:
            save_state(self.main.saved_state())

    def leave(self) -> None:
        """Keep the place and exit through Textual's own way out, which restores the terminal."""
        self.save_place()
        self.exit()

    async def action_quit(self) -> None:
        self.leave()

    def on_unmount(self) -> None:
        self.save_place()

    # -- screens and actions ------------------------------------------------------------------------

    def open_place(self, place: Place) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.main is not None:
            self.main.visit(place)

    def open_compare(self, counties: list[str]) -> None:
        from tui.app.screens.compare import CompareScreen

        theme, sort = self.main.compare_view if self.main is not None else ("", "metric")
        screen = CompareScreen(self.base, counties, lang=self.lang, theme=theme, sort=sort)
        screen.data_bind(PovApp.lang)
        self.push_screen(screen, lambda _: self.main.compare_closed() if self.main else None)

    def on_compare_screen_changed(self, event: CompareScreen.Changed) -> None:
        if self.main is not None:
            self.main.compare_changed(event.counties, event.theme, event.sort)

    def get_system_commands(self, screen: Screen[None]) -> Iterable[SystemCommand]:
        """The palette's commands, in the interface's language. Not Textual's own: its Keys
        panel is our help, Screenshot writes an SVG into the working folder, Maximize and (in
        field mode, whose 16 colours are the terminal's own) Theme are not for this app."""
        lang = self.lang

        def command(key: str, run: Callable[[], object]) -> SystemCommand:
            return SystemCommand(label(f"cmd.{key}", lang), label(f"cmd.{key}_help", lang), run)

        if self.main is not None:
            yield command("compare", self.main.action_compare)
            yield command("grouping", self.main.action_toggle_grouping)
        yield command("lang", self.action_toggle_lang)
        yield command("help", self.action_help)
        if not self.field:
            yield command("theme", self.action_change_theme)
        yield command("quit", self.action_quit)

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's palette, its prompt in the interface's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # App[None], is_open says App[object]
            self.push_screen(CommandPalette(placeholder=label("cmd.placeholder", self.lang), id="--command-palette"))

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        self.push_screen(HelpScreen([*self.screen.BINDINGS, *self.BINDINGS], lang=self.lang))

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit, in the user's language."""
        self.notify(label("quit_hint", self.lang), markup=False)

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    def copy_figures(self, facts: Sequence[Fact]) -> None:
        """``y``: the citation of each figure, one line each (with none, say there is nothing)."""
        if not facts:
            self.notify(label("nothing_to_copy", self.lang), severity="warning", markup=False)
            return
        self.copy_to_clipboard("\n".join(sanitize(citation(self.base, fact)) for fact in facts))

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` made printable (:func:`clean`) with OSC 52, size-capped; the notice says
        whether it is known to have arrived (inside tmux it can be: tmux is asked), shows the one
        line that fixes it when tmux drops it, and shows exactly what was copied, to select by
        hand where OSC 52 does not arrive (:class:`CopiedScreen`, until a key is pressed)."""
        from tui.app.screens.copied import CopiedScreen

        kept, cut = fit(clean(text))
        way = route()
        super().copy_to_clipboard(kept)  # OSC 52, which tmux takes with set-clipboard on
        if way.kind == "passthrough":
            write_raw(self, osc52(kept, tmux=True)[0])  # past tmux, to the terminal outside
        heading = label(f"copy.{way.kind}", self.lang).format(fix=TMUX_FIX)
        if cut:
            heading += " " + label("copy.cut", self.lang)
        if isinstance(self.screen, CopiedScreen):
            self.pop_screen()
        self.push_screen(CopiedScreen(heading, kept, warning=way.kind == "blocked"))


def build_app(
    base: Facts,
    problems: list[Problem] | None = None,
    *,
    lang: Lang = "zh",
    field: bool = False,
    saved: Saved | None = None,
    notice: str = "",
    facts: str = "",
    search: Callable[[], Search] | None = None,
    recheck: bool = False,
    changed: Callable[[], tuple[str, ...]] | None = None,
) -> PovApp:
    """The one factory the CLI and the tests use."""
    return PovApp(
        base,
        problems,
        lang=lang,
        field=field,
        saved=saved,
        notice=notice,
        facts=facts,
        search=search,
        recheck=recheck,
        changed=changed,
    )
