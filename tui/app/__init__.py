"""The Textual app. Imported only when the app starts: the core never imports Textual."""

from __future__ import annotations

from .povapp import PovApp, build_app

__all__ = ["PovApp", "build_app"]
