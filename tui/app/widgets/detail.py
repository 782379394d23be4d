"""The detail pane: a fixed-size view that scrolls its own lines.

A Static inside a scroll container re-lays out twice when its content changes height, and
each pass repaints the pane; a line-based view repaints its own region once.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual import events
from textual.widgets import RichLog

__all__ = ["DetailView"]


class DetailView(RichLog):
    """Shows one renderable at a time, from the top."""

    DEFAULT_CSS = """
    DetailView { height: 1fr; padding: 0 1; background: $surface 0%; border: none; }
    """

    def __init__(self, renderable: RenderableType | None = None, *, id: str | None = None) -> None:
        # min_width: RichLog draws at 78 columns at least and crops the rest: a quote would be cut
        super().__init__(id=id, wrap=True, markup=False, highlight=False, auto_scroll=False, min_width=10)
        self.can_focus = True
        self._current = renderable
        if renderable is not None:
            self.write(renderable, expand=True)

    @property
    def allow_vertical_scroll(self) -> bool:
        """Scrollable whenever the content is taller than the pane, scrollbar or not (field
        mode hides it: showing or hiding it re-lays the pane out and repaints it)."""
        return self.virtual_size.height > self.scrollable_content_region.height

    def show(self, renderable: RenderableType) -> None:
        """Show ``renderable`` from the top, laid out at the pane's width. While the pane is
        hidden (the search results are in its place) it has no width: the drawing waits."""
        self._current = renderable
        if self.scrollable_content_region.width > 0:
            self._draw()
        else:
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # still hidden: on_resize draws when it has a width
        self._drawn_width = width
        self.clear()
        self.write(self._current, width=width, expand=True, scroll_end=False)
        self.scroll_home(animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """A new width: lay the content out again (RichLog keeps lines at the old width)."""
        if getattr(self, "_current", None) is not None and self.scrollable_content_region.width != getattr(
            self, "_drawn_width", None
        ):
            self._draw()

    @property
    def plain_text(self) -> str:
        """What the pane shows, as text (for tests and copying)."""
        return "\n".join(strip.text.rstrip() for strip in self.lines)
