"""Field mode: the cheapest way to draw povtui over a slow SSH link. No Textual import here:
these settings are read by Textual when it is imported, so they are set before that."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

__all__ = ["FIELD_ENV", "RESET", "field_wanted", "prepare_terminal"]

FIELD_ENV = {
    "TEXTUAL_ANIMATIONS": "none",  # no animated scrolling or transitions
    "TEXTUAL_FPS": "15",  # a cap on frames during continuous change; a key still answers at once
    "TEXTUAL_SMOOTH_SCROLL": "0",  # no pixel mouse reports, no in-band resize query
    "TEXTUAL_THEME": "ansi-dark",  # 16-colour SGR, the user's palette; set before the first frame
}

RESET = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"  # mouse tracking off
    "\x1b[?1004l"  # focus reports off
    "\x1b[?2004l"  # bracketed paste off
    "\x1b[<u"  # kitty keyboard protocol: pop
    "\x1b[?25h"  # cursor visible
)
"""Modes a povtui (or anything else) that died mid-way may have left on."""


def field_wanted(field: bool | None, environ: MutableMapping[str, str] = os.environ) -> bool:
    """``--field``/``--no-field`` decide; otherwise on when the session comes over SSH."""
    if field is not None:
        return field
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))


def prepare_terminal(field: bool, environ: MutableMapping[str, str] = os.environ) -> None:
    """Set Textual's import-time switches for field mode, and reset stale terminal modes."""
    if field:
        for key, value in FIELD_ENV.items():
            environ.setdefault(key, value)
    if sys.stderr.isatty():
        sys.stderr.write(RESET)
        sys.stderr.flush()
