"""Where the fact tree is: the packaged copy, the checkout, or the one the user names."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_root", "cache_dir", "label_path", "resolve_facts_dir", "state_dir"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The folder holding the bundled ``facts/`` and ``seeds/``.

    An installed wheel carries them in ``tui/_data``; a checkout or an editable install uses
    the repository's own folders beside the package. Never the current directory.
    """
    packaged = _PACKAGE / "_data"
    if (packaged / "facts").is_dir():
        return packaged
    return _PACKAGE.parent


def resolve_facts_dir(facts: str | os.PathLike[str] | None = None) -> Path:
    """The ``facts/`` folder to load: ``--facts`` first, then ``POVTUI_FACTS``, then the bundled one.

    A folder that itself holds a ``facts/`` folder (a checkout's root) is accepted too.
    """
    chosen = facts if facts is not None else os.environ.get("POVTUI_FACTS") or None
    path = _expanded(Path(chosen)) if chosen is not None else bundled_root() / "facts"
    try:
        if (path / "facts").is_dir() and not (path / "metrics.toml").exists():
            path = path / "facts"
    except OSError:  # a name too long for the file system: the loader reports it as not found
        pass
    return path


def _expanded(path: Path) -> Path:
    """``~/facts`` expanded; ``~nobody/facts`` (no such user) left as typed, to be reported as not found."""
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def _xdg(variable: str, *default: str) -> Path:
    return Path(os.environ.get(variable) or os.path.join(os.path.expanduser("~"), *default)) / "povtui"


def state_dir() -> Path:
    """``$XDG_STATE_HOME/povtui`` (``~/.local/state/povtui``): the user's place, the error log."""
    return _xdg("XDG_STATE_HOME", ".local", "state")


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/povtui`` (``~/.cache/povtui``): what can always be rebuilt."""
    return _xdg("XDG_CACHE_HOME", ".cache")


def label_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        cwd = Path.cwd().resolve()
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long, NUL
        return str(path)
    if cwd == Path(cwd.anchor):
        return str(resolved)
    try:
        return str(resolved.relative_to(cwd))
    except ValueError:
        return str(path)
