"""Keeping the user's place across a dropped SSH session: a small JSON file in the XDG state
directory, written atomically. Pure: no Textual. A bad file is ignored with a notice."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tui.app.state import History, Place
from tui.paths import state_dir

__all__ = ["Saved", "load_state", "save_state", "state_path"]

VERSION = 1


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

    def to_json(self) -> str:
        history = self.history
        return json.dumps(
            {
                "version": VERSION,
                "facts": self.facts,
                "current": history.current.to_dict() if history.current else None,
                "back": [p.to_dict() for p in history.back],
                "forward": [p.to_dict() for p in history.forward],
                "search": self.search,
                "compare": list(self.compare),
                "compare_open": self.compare_open,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Saved:
        """Raises ValueError (or KeyError, TypeError) when the text is not a state of ours."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a povtui state file of this version")
        current = Place.from_dict(data["current"]) if data.get("current") else None
        history = History(
            current,
            tuple(Place.from_dict(p) for p in data.get("back", [])),
            tuple(Place.from_dict(p) for p in data.get("forward", [])),
        )
        search = data.get("search", "")
        compare = data.get("compare", [])
        if not isinstance(search, str) or not isinstance(compare, list):
            raise ValueError("malformed search or compare")
        return cls(
            history,
            search[:200],
            tuple(str(c) for c in compare),
            bool(data.get("compare_open")),
            str(data.get("facts", "")),
        )


def load_state(path: Path | None = None) -> tuple[Saved | None, str]:
    """The saved state, or None and a one-line notice when it cannot be used ("" if absent)."""
    path = path or state_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, ""
    except (OSError, UnicodeDecodeError) as error:
        return None, f"povtui: ignoring unreadable state file {path}: {error}"
    try:
        return Saved.from_json(text), ""
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return None, f"povtui: ignoring corrupt state file {path} ({error}); starting fresh"


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
