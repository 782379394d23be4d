"""The tree on the left: counties -> themes -> metrics, or themes -> metrics -> counties."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..model import FactBase
from ..textfmt import sanitize
from .labels import Lang
from .render import county_title, name_of
from .state import Place

__all__ = ["FactTree"]

Grouping = Literal["county", "theme"]


def _label(text: str, count: int) -> Text:
    label = Text(sanitize(text))
    label.append(f" {count}", style="dim")
    return label


class FactTree(Tree[Place]):
    """Counties, themes and metrics with the number of facts under each. Each node carries
    the :class:`Place` it opens."""

    DEFAULT_CSS = """
    FactTree { scrollbar-size-vertical: 1; }
    """

    grouping: reactive[Grouping] = reactive("county")
    """``county``: county -> theme -> metric; ``theme``: theme -> metric -> county."""
    lang: reactive[Lang] = reactive("zh")

    def __init__(self, base: FactBase, *, lang: Lang = "zh", open_first: bool = True, id: str | None = None) -> None:
        super().__init__("povtui", id=id)
        self.base = base
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = True
        self.set_reactive(FactTree.lang, lang)
        # nodes are laid out before the first frame, so that it is drawn once, complete
        self._by_county()
        self.root.expand()
        if open_first and self.root.children:
            self.root.children[0].expand()

    def on_mount(self) -> None:
        if self.cursor_line < 0 and self.root.children and self.root.children[0].is_expanded:
            self.cursor_line = 0

    def watch_grouping(self) -> None:
        if self.is_mounted:
            self.rebuild()

    def watch_lang(self) -> None:
        if self.is_mounted:
            self.rebuild()

    def rebuild(self) -> None:
        """Lay the nodes out again, keeping the cursor on the same place when it still exists."""
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self.root.expand()
        if self.grouping == "county":
            self._by_county()
        else:
            self._by_theme()
        if keep is not None:
            self.select_place(keep, expand=False)

    def _by_county(self) -> None:
        base = self.base
        for county in base.counties:
            facts = base.select(county=county.id)
            node = self.root.add(_label(county_title(county), len(facts)), Place("county", county=county.id))
            for theme in base.themes:
                in_theme = [f for f in facts if base.metric(f.metric).theme == theme.id]
                if not in_theme:
                    continue
                branch = node.add(_label(name_of(theme, self.lang), len(in_theme)),
                                  Place("theme", county=county.id, theme=theme.id))
                for metric in base.metrics:
                    count = sum(f.metric == metric.id for f in in_theme)
                    if count:
                        branch.add_leaf(_label(name_of(metric, self.lang), count),
                                        Place("metric", county=county.id, metric=metric.id))

    def _by_theme(self) -> None:
        base = self.base
        for theme in base.themes:
            facts = base.select(theme=theme.id)
            if not facts:
                continue
            branch = self.root.add(_label(name_of(theme, self.lang), len(facts)), Place("theme", theme=theme.id))
            for metric in base.metrics:
                of_metric = [f for f in facts if f.metric == metric.id]
                if not of_metric:
                    continue
                node = branch.add(_label(name_of(metric, self.lang), len(of_metric)), Place("metric", metric=metric.id))
                for county in base.counties:
                    count = sum(f.county == county.id for f in of_metric)
                    if count:
                        node.add_leaf(_label(county_title(county), count),
                                      Place("metric", county=county.id, metric=metric.id))

    def select_place(self, place: Place, *, expand: bool = True) -> bool:
        """Move the cursor to the node that opens ``place`` (expanding its parents)."""
        node = self._find(self.root, place)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        if expand:
            node.expand()
        # the node's line is known once the tree has laid out what was just expanded
        self.call_after_refresh(self.move_cursor, node)
        return True

    def _find(self, node: TreeNode[Place], place: Place) -> TreeNode[Place] | None:
        for child in node.children:
            if child.data == place:
                return child
            found = self._find(child, place)
            if found is not None:
                return found
        return None
