"""Every Textual private name povtui touches, in one module.

Each is here for a measured reason (bytes on a slow link, or an app that must not die), and
each is listed in :data:`PRIVATE_NAMES`: ``tests/app/test_wire_canary.py`` checks them all, so
a Textual upgrade that moves one fails there, by name, and nowhere else.

- the error seam: every message handler, watcher, timer, callback and worker of every widget
  reaches ``App._handle_exception`` or passes through ``MessagePump._dispatch_message``;
- the first frame: field mode holds the screen's output until it is complete, then sends it once;
- a quiet ``Screen.focused``: a change of focus repaints two widgets, not the screen;
- raw terminal output, for OSC 52 wrapped for tmux (``App.copy_to_clipboard`` cannot wrap it).
"""

from __future__ import annotations

import asyncio
from typing import Any, Generic, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget

from tui.app.guard import ErrorGuard

__all__ = [
    "PRIVATE_NAMES",
    "HeldScreen",
    "QuietScreen",
    "SurvivingApp",
    "write_raw",
]

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "textual.message_pump.MessagePump": ("_dispatch_message",),
    "textual.app.App": ("_handle_exception", "_driver", "_batch_count"),
    "textual.screen.Screen": (
        "_compositor_refresh",
        "_on_idle",
        "_on_timer_update",
        "_compositor",
        "_layout_required",
        "_repaint_required",
        "_dirty_widgets",
    ),
    "textual._compositor.Compositor": ("_dirty_regions",),
}
"""Class -> the private attributes used on it (class or instance attributes)."""

ResultType = TypeVar("ResultType")


# -- the error seam ---------------------------------------------------------------------------

_original_dispatch = MessagePump._dispatch_message


async def _guarded_dispatch(self: MessagePump, message: Message) -> None:
    """Textual ends a pump's message loop (and with the app's, the app) on an exception in a
    handler. In a :class:`SurvivingApp` the error is reported and the pump goes on."""
    try:
        await _original_dispatch(self, message)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        try:
            app = self.app
        except Exception:  # noqa: BLE001 - no app: Textual's own handling
            raise error from None
        if not isinstance(app, SurvivingApp) or not app.guard.survive(app, error):
            raise


def _install_guard() -> None:
    """Idempotent: the class-level seam covers every pump (widgets, screens, the app)."""
    if MessagePump._dispatch_message is not _guarded_dispatch:
        MessagePump._dispatch_message = _guarded_dispatch  # type: ignore[method-assign]


class SurvivingApp(App[None]):
    """An app that reports, logs and survives an exception anywhere (see :mod:`tui.app.guard`);
    a storm of them still ends it, so that it cannot loop for ever."""

    def __init__(self) -> None:
        super().__init__()
        self.guard = ErrorGuard()
        """Counts and reports errors; declared here so that nothing else sets attributes on the app."""
        _install_guard()

    def _handle_exception(self, error: Exception) -> None:
        # timers, callbacks, workers and mounts report here; handlers come through the dispatch
        if self.guard.survive(self, error):
            return
        super()._handle_exception(error)


def write_raw(app: App[Any], data: str) -> None:
    """Write ``data`` to the terminal as it is (nothing when headless)."""
    if app._driver is not None:
        app._driver.write(data)


# -- screens ----------------------------------------------------------------------------------


class QuietScreen(Screen[ResultType], Generic[ResultType]):
    """A screen whose change of focus repaints the two widgets concerned, not the whole screen
    (Textual's ``Screen.focused`` is a repainting reactive)."""

    focused: var[Widget | None] = var(None)


class HeldScreen(QuietScreen[None]):
    """In field mode, nothing is sent until :meth:`first_screen_ready`: Textual lays a screen out
    in several passes and would send each as a full frame. Then the whole screen goes out once."""

    holding = False
    """True while the first frame is held (set by the app in field mode)."""
    first_sent = False
    """True once the first frame has gone out."""
    resumed = False
    """True once the screen has been shown (resumed) at least once."""

    def first_screen_ready(self) -> bool:
        """Whether the first screen has everything it shows."""
        return True

    def release(self, *, repaint: bool = True) -> None:
        """Stop holding: the next frame covers the whole screen. ``repaint=False`` when that frame
        is being drawn already: asking for a repaint then would send it twice."""
        if self.holding:
            self.holding = False
            self._compositor._dirty_regions.add(self.size.region)
            if repaint:
                self.refresh()

    def first_screen_sent(self) -> None:
        """Called once, after the first frame went out."""

    def _compositor_refresh(self) -> None:
        if self.holding:
            if not self.first_screen_ready():
                return
            self.release(repaint=False)
        super()._compositor_refresh()
        if not self.first_sent:
            self.first_sent = True
            self.first_screen_sent()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual styles every widget again whenever a screen resumes (it runs after this). The
        first time, each was styled as it was mounted a moment before: twice cost a start 8 ms."""
        if not self.resumed:
            self.resumed = True
            event.refresh_styles = False

    async def _on_idle(self, event: events.Idle) -> None:
        """Until the first screen is out, lay out and paint as soon as the app is idle rather than
        at the field-mode frame rate: each of the first passes would wait a frame (1/15 s)."""
        if (
            self.holding
            and self.is_current
            and not self.app._batch_count
            and (self._layout_required or self._repaint_required or self._dirty_widgets)
        ):
            self._on_timer_update()
        await super()._on_idle(event)
