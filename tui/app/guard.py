"""The app boundary: an exception in a handler is reported, logged and survived.

Textual's default is to end the app on any exception in a handler; over a slow link that
loses the user's place and their screen. Here the exception is written with its traceback to
``$XDG_STATE_HOME/povtui/errors.log``, shown as a short notification, and the app goes on. A
storm of errors (a bug in drawing, say) still ends the app, so that it cannot loop for ever.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from pathlib import Path
from typing import Any

from tui.paths import state_dir

__all__ = ["Guarded", "error_log_path", "report_error"]

STORM = (20, 10.0)
"""This many errors within this many seconds end the app after all."""


def error_log_path() -> Path:
    return state_dir() / "errors.log"


def report_error(app: Any, error: Exception) -> bool:
    """Log and show ``error``; False when errors come so fast that the app should end."""
    now = time.monotonic()
    recent = [t for t in getattr(app, "_error_times", []) if now - t < STORM[1]] + [now]
    app._error_times = recent
    try:
        path = error_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        pass
    if len(recent) > STORM[0]:
        return False
    message = f"{type(error).__name__}: {error}"[:200]
    try:
        app.notify(
            f"{message} (logged in {error_log_path()})",
            title="povtui hit an error",
            severity="error",
            timeout=8,
            markup=False,
        )
    except Exception:  # noqa: BLE001 - reporting must never raise
        pass
    return True


class Guarded:
    """Mixin for the app and its screens: a handler's exception is reported, not fatal."""

    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not report_error(self.app, error):  # type: ignore[attr-defined]
                raise
