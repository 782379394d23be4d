"""The body of the main screen: the tree beside the detail pane (or the search results).

Below :data:`NARROW` columns (a phone's SSH client, a split pane) the tree folds away and the
figures take the whole width; ``t`` brings the tree back over the whole width, and choosing a
node (Enter) folds it again on what was chosen. At any width ``t`` hides or shows the tree.
The layout changes by classes only: ``-no-tree``, ``-narrow`` and ``-tree-only``.
"""

from __future__ import annotations

from textual import events
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import ContentSwitcher

__all__ = ["NARROW", "Body"]

NARROW = 70
"""Below this many columns the tree is folded away unless asked for."""


class Body(Horizontal):
    """A tree (``#tree``) and a right-hand side (``#right``)."""

    DEFAULT_CSS = """
    Body { height: 1fr; }
    Body > #tree { width: 32; border-right: vkey $panel; }
    Body.-no-tree > #tree { display: none; }
    Body.-narrow > #tree { width: 1fr; border-right: none; }
    Body.-tree-only > #right { display: none; }
    """

    def __init__(self, *children: Widget, width: int = 80, id: str | None = None) -> None:
        super().__init__(*children, id=id)
        self.narrow = width < NARROW
        """Whether the terminal is narrow (set from the width, on every resize)."""
        self.tree_shown = not self.narrow
        """Whether the tree is shown (the user's choice since the width last crossed NARROW)."""
        self._apply()

    def on_mount(self) -> None:
        if self.narrow:  # the tree is folded away: keys act on the figures
            self.call_after_refresh(self.query_one("#detail").focus)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.narrow:
            self.narrow, self.tree_shown = narrow, not narrow
            self._apply()

    def toggle_tree(self) -> None:
        """``t``: hide the tree, or show it (over the whole width when narrow)."""
        self.tree_shown = not self.tree_shown
        self._apply()

    def opened(self, *, chosen: bool) -> None:
        """The tree opened a place; one the user ``chosen`` (Enter) folds a tree that covers the
        figures away, to show them (one the cursor rests on does not)."""
        if chosen and self.narrow and self.tree_shown:
            self.tree_shown = False
            self._apply()

    def _apply(self) -> None:
        self.set_class(not self.tree_shown, "-no-tree")
        self.set_class(self.narrow, "-narrow")
        self.set_class(self.narrow and self.tree_shown, "-tree-only")
        if not self.is_mounted:
            return
        tree = self.query_one("#tree")
        focused = self.screen.focused
        if self.tree_shown and (self.narrow or focused is None):
            tree.focus()
        elif not self.tree_shown and (focused is tree or focused is None):
            showing = self.query_one("#right", ContentSwitcher).current
            self.screen.query_one("#detail" if showing == "detail" else "#search").focus()
