"""Plain-text layout for terminals where a 汉字 takes two columns.

Widths are display columns as ``rich.cells.cell_len`` counts them. Nothing here cuts a
character in half, and :func:`sanitize` turns control characters from the data into visible
escapes before anything is measured, so a quote can never move the cursor or change colours.
Lines are broken by :func:`tui.present.linebreak.wrap` (re-exported here), which never splits a
figure, a date, a period or an id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rich.cells import cell_len

from tui.present.linebreak import wrap

__all__ = [
    "cell_len",
    "columns",
    "csv_safe",
    "formula_safe",
    "json_safe",
    "pack",
    "pad",
    "sanitize",
    "truncate",
    "wrap",
]

_SPACES = {"\t", "\n", "\r", "\v", "\f", "\u2028", "\u2029", "\x85"}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _acts(char: str) -> bool:
    """Whether a terminal (or a spreadsheet, or a reader's eye) could be fooled by ``char``:
    control characters (C0, DEL, C1), format characters (bidi overrides, zero-width spaces and
    joiners, soft hyphen, BOM) and lone surrogates (which cannot even be encoded)."""
    return char in _BIDI or unicodedata.category(char) in ("Cc", "Cf", "Cs")


def sanitize(text: str) -> str:
    """Make data safe to print: line breaks and tabs become spaces, other control characters
    (ESC, DEL, C1), bidi overrides, zero-width and other format characters and lone surrogates
    become visible escapes such as ``\\x1b`` or ``\\u200b``."""
    return "".join(" " if char in _SPACES else _escaped(char) if _acts(char) else char for char in text)


def csv_safe(text: str) -> str:
    """A CSV field with every character :func:`sanitize` escapes written as a visible escape,
    line breaks and tabs included: one fact is one line, and no control byte leaves povtui."""
    return "".join(_escaped(char) if _acts(char) or char in _SPACES else char for char in text)


_FORMULA = re.compile(r"[=+\-@\t\r\n＝＋－＠]")
"""What a spreadsheet runs a cell starting with as a formula (OWASP's list, and its full-width forms)."""
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def formula_safe(text: str) -> str:
    """A CSV text cell a spreadsheet will not run: :func:`csv_safe`, and a leading ``'`` when it
    starts with ``= + - @`` (or ``＝ ＋ － ＠``), unless it is a plain number (``-5`` stays a
    number). Numbers written as numbers are never passed here: they stay numeric."""
    text = csv_safe(text)
    if _FORMULA.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def json_safe(text: str) -> str:
    """JSON text with the characters ``json.dumps(ensure_ascii=False)`` leaves raw but a
    terminal acts on (DEL, C1 controls, bidi overrides, zero-width and other format characters,
    line separators, lone surrogates) written as ``\\uXXXX``. Only valid inside JSON strings,
    where those characters can only occur."""
    # below 0x7F json.dumps has escaped everything but the layout's own line breaks
    return "".join(_json_escape(c) if ord(c) >= 0x7F and (_acts(c) or c in "\u2028\u2029") else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a format character beyond the BMP (tags): a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def truncate(text: str, width: int, placeholder: str = "…") -> str:
    """``text`` cut to at most ``width`` columns, ending in ``placeholder`` when cut."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(placeholder)
    kept, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept) + placeholder if room >= 0 else ""


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns (cut with … if it is wider)."""
    text = truncate(text, width)
    return text + " " * (width - cell_len(text))


def columns(cells: Sequence[Sequence[str]], widths: Sequence[int], gap: int = 2) -> list[str]:
    """Lay out one table row: each cell is a list of paragraphs, each wrapped to its column's
    width; the columns are padded and joined with ``gap`` spaces. Returns the row's lines."""
    wrapped = [
        [line for paragraph in cell for line in wrap(paragraph, width)]
        for cell, width in zip(cells, widths, strict=False)
    ]
    height = max((len(lines) for lines in wrapped), default=0)
    rows = []
    for index in range(height):
        parts = [
            pad(lines[index] if index < len(lines) else "", width)
            for lines, width in zip(wrapped, widths, strict=False)
        ]
        rows.append((" " * gap).join(parts).rstrip())
    return rows


def pack(pieces: Sequence[str], width: int, gap: int = 2) -> list[str]:
    """Lay ``pieces`` out on lines of ``width`` columns, ``gap`` spaces apart, never breaking a
    piece that fits on a line of its own (a value with its bound, a date, an id); only a piece
    wider than a whole line is wrapped."""
    lines: list[str] = []
    current = ""
    for piece in (p for p in pieces if p):
        joined = current + " " * gap + piece if current else piece
        if cell_len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current)
        if cell_len(piece) <= width:
            current = piece
        else:
            *full, current = wrap(piece, width)
            lines += full
    if current or not lines:
        lines.append(current)
    return lines
