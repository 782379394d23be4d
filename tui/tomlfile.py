"""Reading one TOML file safely, and finding the line of a table or key in it.

``tomllib`` gives values but no positions; problems must name a line, so the raw text is
scanned for table headers and keys. Every failure becomes a :class:`Problem`, never an
exception.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["MAX_BYTES", "TomlFile", "read_toml"]

MAX_BYTES = 5 * 1024 * 1024
"""A fact file larger than this is refused: no county needs it, and a stray dump would hang."""

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
_AT_LINE = re.compile(r"at line (\d+), column (\d+)")


@dataclass
class TomlFile:
    """A parsed TOML file and where its tables start."""

    path: str
    data: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    _tables: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        counts: dict[str, int] = {}
        opened: tuple[str, int] | None = None
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if not match:
                continue
            name = match.group(2).strip().strip("\"'")
            index = counts.get(name, 0)
            counts[name] = index + 1
            if opened is not None:
                start, _ = self._tables[opened]
                self._tables[opened] = (start, number - 1)
            opened = (name, index)
            self._tables[opened] = (number, len(self.lines))

    def table_line(self, name: str, index: int = 0) -> int:
        """The line of the ``index``-th ``[name]`` / ``[[name]]`` header, 0 if not found."""
        return self._tables.get((name, index), (0, 0))[0]

    def key_line(self, name: str, index: int, key: str) -> int:
        """The line of ``key = …`` inside the ``index``-th ``[[name]]`` table (or its header)."""
        start, end = self._tables.get((name, index), (0, 0))
        if not start:
            return self._top_key_line(key)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def _top_key_line(self, key: str) -> int:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            if _HEADER.match(line):
                break
            if pattern.match(line):
                return number
        return 0


def read_toml(path: Path, label: str) -> tuple[TomlFile | None, list[Problem]]:
    """Read and parse ``path``; on any failure return None and the problems, naming ``label``."""
    problems: list[Problem] = []
    try:
        if path.is_dir():
            return None, [Problem(label, 0, "is a directory, expected a TOML file")]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(label, 0, f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(label, 0, f"cannot read: {error.strerror or error}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(Problem(label, 1, "starts with a UTF-8 byte-order mark (ignored)", severity="warning"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [*problems, Problem(label, line, f"not valid UTF-8 (byte {error.start}); save the file as UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _AT_LINE.search(message)
        line = int(match.group(1)) if match else getattr(error, "lineno", 0)
        message = _AT_LINE.sub("", message).replace("()", "").strip().rstrip(".")
        if match:
            message += f" (column {match.group(2)})"
        return None, [*problems, Problem(label, line, f"TOML syntax error: {message}")]
    return TomlFile(label, data, text.splitlines()), problems
