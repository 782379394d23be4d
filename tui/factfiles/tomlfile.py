"""Reading one TOML file safely, and finding the line of a table or key in it.

The TOML parser gives values but no positions; problems must name a line, so the raw text is
scanned for table headers and keys. Every failure becomes a :class:`Problem`, never an
exception.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.domain.model import Problem

__all__ = ["MAX_BYTES", "TomlFile", "is_dir", "read_bounded", "read_toml", "unreadable"]

MAX_BYTES = 5 * 1024 * 1024
"""A fact file larger than this is refused: no county needs it, and a stray dump would hang."""

# Matched against a stripped line. No two quantifiers here can match the same characters: the
# old pattern took cubic time on "[" and 10,000 spaces, which a multi-line note may hold.
_HEADER = re.compile(r"(\[\[?)([^\[\]]*)\]\]?(?:\s*#.*)?")
_HEADER_NAME = re.compile(r"[A-Za-z0-9_.\-\"' ]+")
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
            name = _header(line)
            if name is None:
                continue
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
            if _header(line) is not None:
                break
            if pattern.match(line):
                return number
        return 0


def _header(line: str) -> str | None:
    """The table name of a ``[name]`` or ``[[name]]`` header line, else None."""
    match = _HEADER.fullmatch(line.strip())
    if match is None or not _HEADER_NAME.fullmatch(match.group(2).strip()):
        return None
    return match.group(2).strip().strip("\"'")


def is_dir(path: Path) -> bool:
    """``path.is_dir()`` that is False, not an exception, for a name too long or holding NUL."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def unreadable(path: Path, expected: str = "a file") -> str | None:
    """Why ``path`` cannot be read as a fact tree file, or None when it can.

    Only a regular file of at most :data:`MAX_BYTES` is read: a FIFO would block, a device
    such as /dev/zero (perhaps behind a symlink) never ends, a stray dump takes minutes.
    """
    try:
        info = path.stat()
    except ValueError:  # a NUL in the name
        return "is not a valid file name"
    except OSError as error:
        if error.errno == errno.ENOENT:
            return "is a symbolic link to a missing file" if os.path.islink(path) else "not found"
        if error.errno == errno.ELOOP:
            return "is a symbolic link loop"
        return f"cannot read: {error.strerror or error}"
    if stat.S_ISDIR(info.st_mode):
        return f"is a directory, expected {expected}"
    if not stat.S_ISREG(info.st_mode):
        return f"is not a regular file (a device, pipe or socket), expected {expected}"
    if info.st_size > MAX_BYTES:
        return f"is {info.st_size:,} bytes, over the {MAX_BYTES:,}-byte limit"
    return None


def read_bounded(path: Path) -> bytes:
    """The bytes of ``path``, refusing a file that grew past :data:`MAX_BYTES` since it was checked.

    Raises:
        OSError: the file cannot be read or is too large.
    """
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise OSError(errno.EFBIG, f"over the {MAX_BYTES:,}-byte limit")
    return raw


_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def read_toml(path: Path, label: str) -> tuple[TomlFile | None, list[Problem]]:
    """Read and parse ``path``; on any failure return None and the problems, naming ``label``."""
    # tomli, not the standard library's tomllib (the same parser, from the same author): tomli's
    # wheels are compiled with mypyc and parse a county file 3-6x faster, which is a third of
    # a country's index build. Values and error messages are the same. Imported here: a start
    # that trusts its index parses no TOML (MAX_BYTES and read_bounded are wanted without it).
    import tomli

    problems: list[Problem] = []
    why = unreadable(path, "a TOML file")
    if why is not None:
        return None, [Problem(label, 0, why)]
    try:
        raw = read_bounded(path)
    except OSError as error:
        return None, [Problem(label, 0, f"cannot read: {error.strerror or error}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(Problem(label, 1, "starts with a UTF-8 byte-order mark (ignored)", severity="warning"))
    if raw.startswith(_UTF16):
        return None, [Problem(label, 1, "is UTF-16 text; save the file as UTF-8")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [*problems, Problem(label, line, f"not valid UTF-8 (byte {error.start}); save the file as UTF-8")]
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        match = _AT_LINE.search(message)
        line = int(match.group(1)) if match else getattr(error, "lineno", 0)
        message = _AT_LINE.sub("", message).replace("()", "").strip().rstrip(".")
        if match:
            message += f" (column {match.group(2)})"
        return None, [*problems, Problem(label, line, f"TOML syntax error: {message}")]
    except RecursionError:  # too many levels of [[[…]]] or {{{…}}}
        return None, [
            *problems,
            Problem(label, 0, "TOML nested too deeply to read (arrays or tables inside each other)"),
        ]
    except ValueError as error:  # an integer of more than 4300 digits
        return None, [*problems, Problem(label, 0, f"TOML value cannot be read: {error}")]
    # Lines as TOML counts them: only \n ends a line (str.splitlines would also split at
    # U+2028, U+0085 … which a string may hold raw, and every later line would be misnamed).
    return TomlFile(label, data, text.split("\n")), problems
