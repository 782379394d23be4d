"""The field-mode driver: Textual's Linux driver with the screen-diff writer
(:mod:`tui.termdiff`) between the app and the terminal. The one driver seam of povtui."""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import TYPE_CHECKING, Any

from textual import events
from textual.drivers.linux_driver import LinuxDriver

from tui.termdiff import ScreenDiff

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message

__all__ = ["DiffDriver"]


class DiffDriver(LinuxDriver):
    """Send only the cells that changed. A full repaint on a resize (the writer forgets what
    the terminal shows), on ctrl+l (drawn again from the writer's model) and after a resume
    from suspend (Textual is asked for the whole screen)."""

    def __init__(self, app: App[Any], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None):
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.screen_diff = ScreenDiff(*self._size_now((80, 24)))
        """The writer, and its model of the terminal."""
        self._fresh = True
        self._started = False
        self._main_loop: asyncio.AbstractEventLoop | None = None

    def _size_now(self, default: tuple[int, int]) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self._file.fileno())  # type: ignore[union-attr]
        except (OSError, AttributeError, ValueError):
            return default
        return size.columns or default[0], size.lines or default[1]

    def write(self, data: str) -> None:
        diff = self.screen_diff
        size = self._size_now(diff.size)
        if size != diff.size:  # checked on every write: SIGWINCH and in-band resizes alike
            diff.resize(*size)
        prefix = ""
        if self._fresh:
            self._fresh = False
            prefix = diff.reset_pen()
        out = prefix + diff.write(data)
        if out:
            super().write(out)

    def start_application_mode(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._main_loop = asyncio.get_running_loop()
        self.screen_diff.forget()
        self._fresh = True
        super().start_application_mode()  # type: ignore[no-untyped-call]
        if self._started and self._main_loop is not None:  # back from a suspend: the whole screen again
            self._main_loop.call_soon_threadsafe(self._app.refresh)
        self._started = True

    def stop_application_mode(self) -> None:
        super().stop_application_mode()
        self.screen_diff.forget()

    def process_message(self, message: Message) -> None:
        if isinstance(message, events.Key) and message.key == "ctrl+l" and self._main_loop is not None:
            self._main_loop.call_soon_threadsafe(self.repaint)
        super().process_message(message)

    def repaint(self) -> None:
        """Draw the screen again from the writer's model (the terminal was garbled); what the
        model does not know, Textual draws again."""
        out = self.screen_diff.repaint()
        if out:
            super().write(out)
            self.flush()
        if not self.screen_diff.complete:
            self._app.refresh()
