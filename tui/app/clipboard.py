"""Copying over SSH: the OSC 52 escape sequence, wrapped for tmux, capped in size. Pure."""

from __future__ import annotations

import base64

__all__ = ["MAX_BYTES", "fit", "osc52"]

MAX_BYTES = 74_994
"""Most terminals refuse OSC 52 payloads beyond about 100 KB of base64; tmux and xterm cap
lower. 74,994 bytes of text make 99,992 bytes of base64, inside every limit we know of."""


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
    data = text.encode("utf-8")
    cut = len(data) > MAX_BYTES
    if cut:
        data = data[:MAX_BYTES].decode("utf-8", errors="ignore").encode("utf-8")
    sequence = f"\x1b]52;c;{base64.b64encode(data).decode('ascii')}\x07"
    if tmux:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence, cut
