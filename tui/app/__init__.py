"""The Textual app. Nothing here imports Textual until the app is built: field mode must set
Textual's import-time switches first (see :mod:`tui.app.terminal`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.app.povapp import PovApp

__all__ = ["build_app"]


def build_app(*args: Any, **kwargs: Any) -> PovApp:
    """The one factory the CLI and the tests use; see :func:`tui.app.povapp.build_app`."""
    from tui.app.povapp import build_app as build

    return build(*args, **kwargs)
