"""The shape of a fact file: which tables and keys each file may hold and of what type, and
a reader that checks one file's tables against it, collecting problems (file, line, key).
"""

from __future__ import annotations

import difflib
import re
import reprlib
import unicodedata
from typing import Any, Literal

from tui.domain.model import Problem
from tui.factfiles.rules import RULES
from tui.factfiles.tomlfile import TomlFile

__all__ = [
    "DATE_RE",
    "SCHEMA",
    "WHEN_RE",
    "TableReader",
    "accepts",
    "brief",
    "control_characters",
    "did_you_mean",
    "nearest",
    "unknown_tables",
]

_STR, _NUM, _INT, _BOOL, _LIST = "a string", "a number", "an integer", "true or false", "a list of strings"
_TABLE = 'a table of strings (rule = "reason")'

# table -> (required keys, optional keys), each key -> expected type
SCHEMA: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "theme": ({"id": _STR, "zh": _STR, "en": _STR, "order": _INT}, {}),
    "metric": ({"id": _STR, "zh": _STR, "en": _STR, "theme": _STR, "base": _STR}, {"aliases": _LIST, "accept": _TABLE}),
    "county": (
        {"id": _STR, "name": _STR, "short": _STR, "en": _STR, "pinyin": _STR, "level": _STR, "parent": _STR},
        {},
    ),
    "source": (
        {"id": _STR, "file": _STR, "title": _STR, "date": _STR},
        {"outlet": _STR, "date_estimated": _BOOL, "date_note": _STR},
    ),
    "fact": (
        {
            "metric": _STR,
            "value": _NUM,
            "unit": _STR,
            "bound": _STR,
            "scope": _STR,
            "kind": _STR,
            "when": _STR,
            "source": _STR,
            "quote": _STR,
        },
        {"value_max": _NUM, "when_note": _STR, "note": _STR, "id": _STR, "former_ids": _LIST, "accept": _TABLE},
    ),
    "skip": ({"source": _STR, "quote": _STR, "reason": _STR}, {}),
}

_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
DATE_RE = re.compile(rf"^{_DATE}$")
WHEN_RE = re.compile(rf"^{_DATE}(?:\.\.{_DATE})?$")

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 60, 60
brief = _REPR.repr
"""repr() for messages: short, and safe on a table nested 3,000 deep (dotted keys can make one)."""


def control_characters(text: str) -> list[str]:
    """The control and format characters of ``text`` (``U+001B``, ``U+202E``, ``U+200B`` …)
    that a terminal could act on or that hide text; line breaks and tabs are allowed."""
    if text.isprintable():  # no character of categories C* or Z* (but the space): nothing to look at
        return []
    return sorted(
        {f"U+{ord(ch):04X}" for ch in text if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")}
    )


def nearest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The closest names to ``word``, for 'did you mean' messages."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = nearest(word, choices)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _type_ok(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == _BOOL:
        return isinstance(value, bool)
    if expected == _LIST:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if expected == _TABLE:
        return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    # numbers; a date-valued fact carries its value as a string
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


class TableReader:
    """Collects the problems of one file while its tables are checked."""

    def __init__(self, file: TomlFile, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, line: int, message: str, key: str = "", severity: Literal["error", "warning"] = "error") -> None:
        self.problems.append(Problem(self.file.path, line, message, key, severity))

    def tables(self, name: str, *, single: bool = False) -> list[tuple[int, dict[str, Any]]]:
        """The ``[[name]]`` tables (or the one ``[name]``) whose keys are complete and typed."""
        raw = self.file.data.get(name)
        if raw is None:
            return []
        items = [raw] if single and isinstance(raw, dict) else raw
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            shape = f"[{name}]" if single else f"[[{name}]]"
            self.problem(
                self.file.table_line(name) or self.file.key_line(name, 0, name),
                f"'{name}' must be written as {shape} tables",
                name,
            )
            return []
        return [(index, item) for index, item in enumerate(items) if self._fields_ok(name, index, item)]

    def _fields_ok(self, name: str, index: int, table: dict[str, Any]) -> bool:
        required, optional = SCHEMA[name]
        ok = True
        for key in required:
            if key not in table:
                self.problem(self.file.table_line(name, index), f"[{name}] is missing '{key}'", key)
                ok = False
        for key, value in table.items():
            expected = required.get(key) or optional.get(key)
            if expected is None:
                self.problem(
                    self.file.key_line(name, index, key),
                    f"unknown field '{key}' in [{name}]{did_you_mean(key, [*required, *optional])}",
                    key,
                )
                ok = False
            elif not _type_ok(value, expected):
                self.problem(
                    self.file.key_line(name, index, key),
                    f"'{key}' must be {expected}, not {type(value).__name__} {brief(value)}",
                    key,
                )
                ok = False
            else:
                self._warn_controls(name, index, key, value)
        return ok

    def _warn_controls(self, name: str, index: int, key: str, value: Any) -> None:
        """Text reaches other people's terminals: say where it hides control characters."""
        texts = [*value, *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else [value]
        found = sorted({c for text in texts if isinstance(text, str) for c in control_characters(text)})
        if found:
            self.problem(
                self.file.key_line(name, index, key),
                f"{key} in [{name}] holds control characters {', '.join(found)}",
                key,
                "warning",
            )

    def line(self, name: str, index: int, key: str = "") -> int:
        return self.file.key_line(name, index, key) if key else self.file.table_line(name, index)


def unknown_tables(reader: TableReader, allowed: set[str]) -> None:
    for key in reader.file.data:
        if key not in allowed:
            line = reader.file.table_line(key) or reader.file.key_line(key, 0, key)
            reader.problem(line, f"unknown table or key '{key}'{did_you_mean(key, sorted(allowed))}", key)


def accepts(reader: TableReader, table: str, index: int, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The ``accept = { rule = "reason" }`` of a fact or metric: the check rules it is known to
    trip, each with the curator's reason."""
    found: list[tuple[str, str]] = []
    for rule, reason in raw.get("accept", {}).items():
        line = reader.line(table, index, "accept")
        if rule not in RULES:
            reader.problem(line, f"accept: unknown check rule '{rule}'{did_you_mean(rule, list(RULES))}", "accept")
        elif not reason.strip():
            reader.problem(line, f"accept: the reason for '{rule}' is empty: say why the rule does not apply", "accept")
        else:
            found.append((rule, reason))
    return tuple(sorted(found))
