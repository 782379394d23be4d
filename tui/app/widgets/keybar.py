"""A one-line list of the main keys, in the user's language: the app's footer.

Textual's Footer recomposes whenever focus or bindings change: a layout change that re-sends
the whole screen, and in a long session its old keys pile up in memory (about 4 KB a
keystroke, measured). This line is redrawn only when its text changes: a new language, or a
key that becomes available or not (greyed out, as the screen's ``check_action`` says).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tui.domain.vocab import LABELS, Lang, label

__all__ = ["PALETTE", "SMALL", "KeyBar", "StatusLine", "describe", "key_names"]

SMALL = (60, 16)
"""A terminal smaller than this (columns, lines) gets a notice in the status line."""

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "esc",
    "alt+left": "alt+←",
    "alt+right": "alt+→",
}
"""How a key is written for the user (the key bar and the help screen)."""

PALETTE = Binding("ctrl+p", "command_palette", "palette", id="palette")

DROP_FIRST = ("forward", "back", "palette", "group", "lang")
"""When the line is wider than the screen, keys leave it in this order; then the screen's own
keys, the rightmost first; then :data:`DROP_LAST`. The help screen lists every key."""
DROP_LAST = ("compare", "search", "tree", "copy", "help", "quit")


def key_names(binding: Binding, *, first: bool = False) -> str:
    """``[, alt+←`` for the binding's keys (only the first with ``first``)."""
    keys = binding.key.split(",")
    return ", ".join(KEY_NAMES.get(key, key) for key in (keys[:1] if first else keys))


def describe(binding: Binding, lang: Lang) -> str:
    """What the key does, in ``lang`` (the binding's own description if vocab has no words)."""
    key = f"key.{binding.id}"
    return label(key, lang) if key in LABELS else binding.description


class KeyBar(Static):
    """The keys of a screen and of the app."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; }
    """

    lang: reactive[Lang] = reactive("zh")

    def __init__(self, bindings: Iterable[BindingType], *, lang: Lang = "zh") -> None:
        super().__init__()
        # povtui declares every key as a Binding; Textual's BindingType also allows tuples
        keys = [b for b in [*bindings, PALETTE] if isinstance(b, Binding)]
        self.bindings = [b for b in keys if b.show and b.description]
        self.set_reactive(KeyBar.lang, lang)
        self._shown = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def watch_lang(self) -> None:
        if self.is_mounted:
            self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self._draw()

    def _draw(self) -> None:
        shown: list[tuple[Binding, bool]] = []
        for binding in self.bindings:
            state = self.screen.check_action(binding.action, ())
            if state is not False:  # False: hidden; None: greyed out
                shown.append((binding, state is not None))
        text = self._line(shown)
        width = self.size.width
        by_rank = sorted(shown, key=lambda item: _rank(item[0], shown.index(item)))
        while width and text.cell_len > width and by_rank:
            shown.remove(by_rank.pop(0))
            text = self._line(shown)
        if text != self._shown:  # the same line is not sent again
            self._shown = text
            self.update(text)

    def _line(self, shown: list[tuple[Binding, bool]]) -> Text:
        text = Text()
        for binding, available in shown:
            text.append(f" {key_names(binding, first=True)}", style="bold" if available else "dim")
            text.append(f" {describe(binding, self.lang)} ", style="" if available else "dim")
        return text


def _rank(binding: Binding, position: int) -> tuple[int, int]:
    """When ``binding`` (at ``position`` on the line) leaves a line that is too wide: lower first."""
    if binding.id in DROP_FIRST:
        return (0, DROP_FIRST.index(binding.id))
    if binding.id in DROP_LAST:
        return (2, DROP_LAST.index(binding.id))
    return (1, -position)


class StatusLine(Static):
    """What the top right says: field mode, problems in the facts, a terminal too small."""

    DEFAULT_CSS = """
    StatusLine { width: auto; }
    """

    lang: reactive[Lang] = reactive("zh")

    def __init__(self, status: str, *, lang: Lang = "zh", id: str | None = None) -> None:
        super().__init__(Text(status, style="reverse"), id=id)
        self.status = status
        self.small = False
        self._shown = status
        self.set_reactive(StatusLine.lang, lang)

    def fit(self, size: Size) -> None:
        """The screen has ``size``: below 60x16 the panes are cramped, say so (nothing breaks)."""
        self.small = size.width < SMALL[0] or size.height < SMALL[1]
        self._draw()

    def watch_lang(self) -> None:
        self._draw()

    def _draw(self) -> None:
        text = " ".join(part for part in (self.status, label("small", self.lang) if self.small else "") if part)
        if text != self._shown:
            self._shown = text
            self.update(Text(text, style="reverse"))
