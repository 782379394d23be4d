"""Copying over SSH: what goes on the clipboard, the OSC 52 escape sequence, and whether povtui
can know that it arrived (inside tmux it can ask). Pure, but for :func:`route`, which asks tmux.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from tui.present.textfmt import sanitize

__all__ = ["MAX_BYTES", "TMUX_FIX", "Route", "clean", "fit", "osc52", "route"]

MAX_BYTES = 74_994
"""Most terminals refuse OSC 52 payloads beyond about 100 KB of base64; tmux and xterm cap
lower. 74,994 bytes of text make 99,992 bytes of base64, inside every limit we know of."""

TMUX_FIX = "tmux set -g set-clipboard on"
"""The one line that lets a program inside tmux set the clipboard (tmux's default is external)."""


def clean(text: str) -> str:
    """``text`` as it may go on a clipboard: every line printable (control characters, bidi
    overrides and zero-width characters as visible escapes, so a paste can neither end a
    bracketed paste with ``ESC[201~`` nor reorder a report), blank lines dropped. A citation is
    one line; a table is one line per figure."""
    lines = (sanitize(line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def fit(text: str) -> tuple[str, bool]:
    """``text`` cut, on a character boundary, so that its UTF-8 fits :data:`MAX_BYTES`; and
    whether it was cut."""
    data = text.encode("utf-8")
    if len(data) <= MAX_BYTES:
        return text, False
    return data[:MAX_BYTES].decode("utf-8", errors="ignore"), True


def osc52(text: str, *, tmux: bool = False) -> tuple[str, bool]:
    """The escape sequence that puts ``text`` on the clipboard, and whether it was cut short.

    Under tmux the sequence is wrapped in a DCS passthrough (every ESC doubled) so that tmux
    hands it to the outer terminal. The text is cut, on a character boundary, so that its
    UTF-8 encoding fits :data:`MAX_BYTES`.
    """
    kept, cut = fit(text)
    sequence = f"\x1b]52;c;{base64.b64encode(kept.encode('utf-8')).decode('ascii')}\x07"
    if tmux:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence, cut


RouteKind = Literal["terminal", "tmux", "passthrough", "blocked"]


@dataclass(frozen=True)
class Route:
    """How a copy reaches a clipboard.

    ``terminal``: OSC 52 to the terminal, which may ignore it (nothing tells us); ``tmux``: tmux
    takes it into its buffer (``set-clipboard on``: known); ``passthrough``: tmux passes it on to
    the terminal outside (``allow-passthrough on``), which may ignore it; ``blocked``: tmux drops
    it, and :data:`TMUX_FIX` is the fix.
    """

    kind: RouteKind

    @property
    def sure(self) -> bool:
        """Whether the text is known to reach a clipboard."""
        return self.kind == "tmux"


def _tmux_option(name: str) -> str:
    try:
        done = subprocess.run(["tmux", "show", "-gv", name], capture_output=True, text=True, timeout=1.0, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def route(env: Mapping[str, str] = os.environ) -> Route:
    """The way a copy goes from here: inside tmux (``$TMUX``), tmux is asked for its settings."""
    if not env.get("TMUX"):
        return Route("terminal")
    if _tmux_option("set-clipboard") == "on":
        return Route("tmux")
    if _tmux_option("allow-passthrough") in ("on", "all"):
        return Route("passthrough")
    return Route("blocked")
