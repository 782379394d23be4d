"""The detail pane: a fixed-size view that scrolls its own lines.

A Static inside a scroll container re-lays out twice when its content changes height, and
each pass repaints the pane; a line-based view repaints its own region once.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.widgets import RichLog

__all__ = ["DetailView"]


class DetailView(RichLog):
    """Shows one renderable at a time, from the top."""

    DEFAULT_CSS = """
    DetailView { height: 1fr; padding: 0 1; background: $surface 0%; border: none; }
    """

    def __init__(self, renderable: RenderableType | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, highlight=False, auto_scroll=False)
        self.can_focus = True
        if renderable is not None:
            self.write(renderable, expand=True)

    @property
    def allow_vertical_scroll(self) -> bool:
        """Scrollable whenever the content is taller than the pane, scrollbar or not (field
        mode hides it: showing or hiding it re-lays the pane out and repaints it)."""
        return self.virtual_size.height > self.scrollable_content_region.height

    def show(self, renderable: RenderableType) -> None:
        self.clear()
        self.write(renderable, expand=True, scroll_end=False)
        self.scroll_home(animate=False)

    @property
    def plain_text(self) -> str:
        """What the pane shows, as text (for tests and copying)."""
        return "\n".join(strip.text.rstrip() for strip in self.lines)
