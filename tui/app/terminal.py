"""Field mode: the cheapest way to draw povtui over a slow SSH link. No Textual import here:
these settings are read by Textual when it is imported, so they are set before that."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import MutableMapping

__all__ = ["FIELD_ENV", "RESET", "field_wanted", "prepare_terminal", "trim_sgr"]

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


# The first SGR (colour and style) sequence after a reset, with at most a line break and a
# cursor move between them: those change no colour or style.
_AFTER_RESET = re.compile(r"(\x1b\[0m(?:\r?\n)?(?:\x1b\[\d+;\d+H)?)\x1b\[([0-9;]*)m")


def _without_defaults(match: re.Match[str]) -> str:
    codes = match.group(2).split(";")
    if "38" in codes or "48" in codes:  # 38;5;39 is colour 39, not "default": left alone
        return match.group(0)
    kept = [code for code in codes if code not in ("39", "49", "0", "")]
    return match.group(1) + (f"\x1b[{';'.join(kept)}m" if kept else "")


def trim_sgr(data: str) -> str:
    """``data`` as the terminal will show it, with fewer bytes: right after a reset
    (``ESC[0m``), a sequence that sets the default colours (39, 49) sets nothing, and Textual
    writes one before nearly every run of text (``ESC[0m ESC[39;49m``). Dropping those codes
    takes a fifth off what povtui sends."""
    return _AFTER_RESET.sub(_without_defaults, data) if "\x1b[0m" in data else data
