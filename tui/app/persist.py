"""Keeping the user's place and preferences across a dropped SSH session: a small JSON file in
the XDG state directory, written atomically. Pure: no Textual.

A file that cannot be a state of ours is ignored with a one-line notice, whatever is wrong
with it: not a regular file (a FIFO would block, /dev/zero never ends), over
:data:`MAX_STATE_BYTES`, nested deeper than any state is, not JSON, not our shape. History and
query are capped when read and when written, so a huge file costs nothing on the next start."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.app.state import History, Place
from tui.paths import state_dir

__all__ = ["MAX_HISTORY", "MAX_QUERY", "MAX_STATE_BYTES", "Saved", "load_state", "save_state", "state_path"]

VERSION = 1
MAX_STATE_BYTES = 256 * 1024
"""A state file larger than this is not ours: 100 places and a query fit in a few tens of KB."""
MAX_DEPTH = 8
"""The deepest nesting a state has (object > list > place > list); deeper is refused unparsed."""
MAX_HISTORY = 100
"""Places kept behind and ahead of the current one."""
MAX_QUERY = 200
"""Characters of the search query kept."""
LANGS = ("zh", "en")
GROUPINGS = ("county", "theme")
SORTS = ("metric", "value", "gap")


def _too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether ``text``'s brackets nest deeper than ``limit`` (brackets inside strings do not
    count). Decides before the JSON parser recurses."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _capped(history: History) -> History:
    return History(history.current, history.back[-MAX_HISTORY:], history.forward[:MAX_HISTORY])


def state_path() -> Path:
    """``$XDG_STATE_HOME/povtui/state.json`` (``~/.local/state`` by default)."""
    return state_dir() / "state.json"


@dataclass(frozen=True)
class Saved:
    """What is kept: where the user was, what they had typed and compared."""

    history: History = field(default_factory=History)
    search: str = ""
    compare: tuple[str, ...] = ()
    compare_open: bool = False
    facts: str = ""
    """The fact tree the state belongs to; another tree starts fresh."""
    lang: str = ""
    """The interface language chosen (``zh``/``en``), or "" for the default."""
    grouping: str = ""
    """How the tree is grouped (``county``/``theme``), or "" for the default."""
    compare_theme: str = ""
    """The comparison's theme filter (a theme id), or "" for every theme."""
    compare_sort: str = ""
    """How the comparison's rows are sorted (``metric``/``value``/``gap``), or "" for the default."""

    def to_json(self) -> str:
        history = _capped(self.history)
        return json.dumps(
            {
                "version": VERSION,
                "facts": self.facts,
                "current": history.current.to_dict() if history.current else None,
                "back": [p.to_dict() for p in history.back],
                "forward": [p.to_dict() for p in history.forward],
                "search": self.search[:MAX_QUERY],
                "compare": list(self.compare),
                "compare_open": self.compare_open,
                "lang": self.lang,
                "grouping": self.grouping,
                "compare_theme": self.compare_theme,
                "compare_sort": self.compare_sort,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Saved:
        """Raises ValueError (or KeyError, TypeError) when the text is not a state of ours."""
        if _too_deep(text):
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a povtui state file of this version")
        current = Place.from_dict(data["current"]) if data.get("current") else None
        back, forward = data.get("back", []), data.get("forward", [])
        search = data.get("search", "")
        compare = data.get("compare", [])
        if not isinstance(search, str) or not all(isinstance(v, list) for v in (compare, back, forward)):
            raise ValueError("malformed search, compare or history")
        history = History(
            current,
            tuple(Place.from_dict(p) for p in back[-MAX_HISTORY:]),  # the rest is never read
            tuple(Place.from_dict(p) for p in forward[:MAX_HISTORY]),
        )

        def one_of(key: str, allowed: tuple[str, ...]) -> str:
            value = data.get(key, "")
            return value if value in allowed else ""

        theme = data.get("compare_theme", "")
        return cls(
            history,
            search[:MAX_QUERY],
            tuple(str(c) for c in compare[:8]),
            bool(data.get("compare_open")),
            str(data.get("facts", "")),
            one_of("lang", LANGS),
            one_of("grouping", GROUPINGS),
            theme[:100] if isinstance(theme, str) else "",
            one_of("compare_sort", SORTS),
        )

    def with_place(self, **changes: object) -> Saved:
        """A copy with ``changes`` (the preferences the app keeps with the place)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _read(path: Path) -> str:
    """The file's text, refusing what cannot be a state file without reading it whole.

    Raises:
        FileNotFoundError: there is none.
        OSError: not a regular file, too large, unreadable.
        UnicodeDecodeError: not UTF-8.
    """
    info = path.stat()  # follows a symlink: a link to /dev/zero is a device
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    if info.st_size > MAX_STATE_BYTES:
        raise OSError(errno.EFBIG, f"{info.st_size:,} bytes, over the {MAX_STATE_BYTES:,}-byte limit")
    # O_NONBLOCK: if it was swapped for a FIFO since the stat, opening does not wait for a writer
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        raw = file.read(MAX_STATE_BYTES + 1)
    if len(raw) > MAX_STATE_BYTES:
        raise OSError(errno.EFBIG, f"over the {MAX_STATE_BYTES:,}-byte limit")
    return raw.decode("utf-8")


def load_state(path: Path | None = None) -> tuple[Saved | None, str]:
    """The saved state, or None and a one-line notice when it cannot be used ("" if absent)."""
    path = path or state_path()
    try:
        text = _read(path)
    except FileNotFoundError:
        return None, ""
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return None, _set_aside(path, f"ignoring unreadable state file {path}: {error}")
    try:
        return Saved.from_json(text), ""
    except Exception as error:  # noqa: BLE001 - whatever is wrong with it, the app must start
        return None, _set_aside(path, f"ignoring corrupt state file {path} ({type(error).__name__}: {error})")


def _set_aside(path: Path, why: str) -> str:
    """Move a bad state file to ``state.json.bad`` (so the notice is said once, and the file is
    kept for whoever wants to look); the one-line notice."""
    aside = path.with_name(path.name + ".bad")
    try:
        os.replace(path, aside)
        kept = f"; kept as {aside.name}, starting fresh"
    except OSError:
        kept = "; starting fresh"
    return _notice(f"povtui: {why}{kept}")


def _notice(text: str, limit: int = 200) -> str:
    """One line, of bounded length: a parse error may quote the file."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def save_state(saved: Saved, path: Path | None = None) -> None:
    """Write atomically: a temporary file in the same folder, then a rename. Never raises."""
    path = path or state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(saved.to_json())
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home must not stop anyone from reading figures
