"""The app boundary: an exception anywhere in the app is reported, logged and survived.

Textual's default is to end the app on any exception; over a slow link that loses the user's
place and their screen. Here the exception is written with its traceback to
``$XDG_STATE_HOME/povtui/errors.log``, the user is told once (in their language), and the app
goes on. A storm of errors (a bug in drawing, say) still ends the app, so that it cannot loop
for ever. The seam that routes every error here is in :mod:`tui.app.wire`. No Textual import.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Any

from tui.domain.vocab import Lang, label
from tui.paths import state_dir
from tui.present.textfmt import sanitize

__all__ = ["STORM", "ErrorGuard", "error_log_path"]

STORM = (20, 10.0)
"""This many errors within this many seconds end the app after all."""


def error_log_path() -> Path:
    return state_dir() / "errors.log"


class ErrorGuard:
    """Counts, logs and reports the app's errors."""

    def __init__(self) -> None:
        self.times: list[float] = []
        """When the recent errors happened (monotonic seconds)."""
        self.told: set[str] = set()
        """The errors the user has been told about (a repeated error is logged, not shown again)."""
        self.ending: Exception | None = None
        """The error that ends the app: passed on to Textual, it is not logged twice."""

    def survive(self, app: Any, error: Exception) -> bool:
        """Log and show ``error``; False when errors come so fast that the app should end."""
        if error is self.ending:
            return False
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < STORM[1]] + [now]
        _log(error)
        if len(self.times) > STORM[0]:
            self.ending = error
            return False
        message = sanitize(f"{type(error).__name__}: {error}")[:200]  # an error may quote the data
        if message not in self.told:
            self.told.add(message)
            lang: Lang = "en" if getattr(app, "lang", "zh") == "en" else "zh"
            try:
                app.notify(
                    f"{message}\n{label('error_logged', lang)} {error_log_path()}",
                    title=label("error_title", lang),
                    severity="error",
                    timeout=8,
                    markup=False,
                )
            except Exception:  # noqa: BLE001 - reporting must never raise
                pass
        return True


def _log(error: Exception) -> None:
    try:
        path = error_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        pass
