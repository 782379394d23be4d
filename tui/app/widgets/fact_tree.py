"""The tree on the left: counties -> themes -> metrics, or themes -> metrics -> counties."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, cast

from rich.text import Text
from textual import on
from textual.message import Message
from textual.reactive import reactive, var
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.render import county_title, name_of
from tui.app.state import Place
from tui.domain.facts import Facts
from tui.domain.model import County
from tui.domain.vocab import Lang
from tui.present.textfmt import sanitize

__all__ = ["FactTree"]

Grouping = Literal["county", "theme"]

REGIONS_FROM = 60
"""More counties than this are grouped under the region above them (a province)."""

PREVIEW_DELAY = 0.3
"""Seconds the cursor must rest on a node before it is opened: moving through ten rows
repaints ten lines, not ten panes."""
FIELD_PREVIEW_DELAY = 1.5
"""The same in field mode. Over a slow link keys arrive in bursts with gaps longer than 0.3 s,
and a pane sent in such a gap (~850 bytes) would queue ahead of the next cursor move; 1.5 s is
longer than a link's jitter, so the pane follows when the user stops to read. Enter opens at once."""


def _label(text: str, count: int) -> Text:
    label = Text(sanitize(text))
    label.append(f" {count}", style="dim")
    return label


class FactTree(Tree[Place]):
    """Counties, themes and metrics with the number of facts under each. Each node carries
    the :class:`Place` it opens."""

    DEFAULT_CSS = """
    FactTree { scrollbar-size-vertical: 1; }
    /* no guides: the indent is plain blank, not blank restyled for the cursor's branch on each move */
    FactTree.-no-guides > .tree--guides,
    FactTree.-no-guides > .tree--guides-hover,
    FactTree.-no-guides > .tree--guides-selected { color: transparent; }
    """

    grouping: reactive[Grouping] = reactive("county")
    """``county``: county -> theme -> metric; ``theme``: theme -> metric -> county."""
    lang: reactive[Lang] = reactive("zh")
    base: var[Facts] = var(cast(Facts, None), always_update=True)
    """The facts the tree lays out (a new base lays the tree out again)."""

    class Opened(Message):
        """Open ``place``: the user chose a node (``chosen``), or the cursor rested on one."""

        def __init__(self, tree: FactTree, place: Place, *, chosen: bool = False) -> None:
            super().__init__()
            self.tree = tree
            self.place = place
            self.chosen = chosen

        @property
        def control(self) -> FactTree:
            return self.tree

    def __init__(
        self,
        base: Facts,
        *,
        lang: Lang = "zh",
        grouping: Grouping = "county",
        open_first: bool = True,
        field: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__("povtui", id=id)
        self.preview = FIELD_PREVIEW_DELAY if field else PREVIEW_DELAY
        """Seconds the cursor must rest on a node before it is opened."""
        guides = not field
        self.set_reactive(FactTree.base, base)
        self.show_root = False
        self.show_guides = guides  # field mode: none (guides are restyled for the cursor's branch on every move)
        self.set_class(not guides, "-no-guides")
        self.guide_depth = 2
        self.auto_expand = True
        self.set_reactive(FactTree.lang, lang)
        self._filled: set[TreeNode[Place]] = set()
        self._regions: dict[TreeNode[Place], str] = {}
        """Nodes that group counties by the region above them (many counties only)."""
        self._preview: Timer | None = None
        self._resting: Place | None = None
        """The place the cursor rests on, not opened yet."""
        self._placed: Place | None = None
        """The place a caller opened and moved the cursor to (its highlight opens nothing)."""
        self._stale = False
        """A caller opened a place: highlights queued before that open nothing (see :meth:`select_place`)."""
        self.set_reactive(FactTree.grouping, grouping)
        # nodes are laid out before the first frame, so that it is drawn once, complete
        self._by_county() if grouping == "county" else self._by_theme()
        self.root.expand()
        # the first county opens; provinces stay closed (a first screen of 30 lines, not 150)
        if open_first and grouping == "county" and self.root.children and not self._regions:
            self.fill(self.root.children[0])
            self.root.children[0].expand()

    def on_mount(self) -> None:
        if self.cursor_line < 0 and self.root.children and (self.root.children[0].is_expanded or self._regions):
            self.cursor_line = 0

    def watch_grouping(self, old: Grouping, grouping: Grouping) -> None:
        if self.is_mounted and old != grouping:
            self.rebuild()

    def watch_lang(self, old: Lang, lang: Lang) -> None:
        if self.is_mounted and old != lang:
            self.rebuild()

    def watch_base(self, old: Facts, base: Facts) -> None:
        if self.is_mounted and base is not old:
            self.rebuild()

    def rebuild(self) -> None:
        """Lay the nodes out again, keeping the cursor on the same place when it still exists."""
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self._filled.clear()
        self._regions.clear()
        self.root.expand()
        if self.grouping == "county":
            self._by_county()
        else:
            self._by_theme()
        if keep is not None:
            self.select_place(keep, expand=False)

    # Nodes get their children when first opened: a tree of 2,800 counties costs 2,800 lines,
    # not 280,000, and each county's counts are one indexed query.

    def _by_county(self) -> None:
        regions = self.base.regions()  # on disk, this reads no county record
        if sum(counties for _, counties, _ in regions) <= REGIONS_FROM:
            self._add_counties(self.root, self.base.counties, self.base.county_sizes())
            return
        for region, _, count in regions:
            self._regions[self.root.add(_label(region, count), None)] = region

    def _add_counties(self, node: TreeNode[Place], counties: Iterable[County], sizes: dict[str, int]) -> None:
        for county in counties:
            node.add(
                _label(county_title(county), sizes.get(county.id, 0)),
                Place("county", county=county.id),
                allow_expand=sizes.get(county.id, 0) > 0,
            )

    def _by_theme(self) -> None:
        sizes = self.base.metric_sizes()
        for theme in self.base.themes:
            count = sum(sizes.get(m.id, 0) for m in self.base.metrics if m.theme == theme.id)
            if count:
                self.root.add(_label(name_of(theme, self.lang), count), Place("theme", theme=theme.id))

    def fill(self, node: TreeNode[Place]) -> None:
        """Give ``node`` its children, once."""
        place = node.data
        if node.children or node in self._filled:
            return
        base = self.base
        if node in self._regions:
            self._filled.add(node)
            region = self._regions[node]
            self._add_counties(node, (c for c in base.counties if c.parent == region), base.county_sizes())
            return
        if place is None:
            return
        self._filled.add(node)
        if place.kind == "county" and place.county:
            counts = {metric: n for (_, metric), n in base.tally(county=place.county).items()}
            for theme in base.themes:
                metrics = [m for m in base.metrics if m.theme == theme.id and counts.get(m.id)]
                if not metrics:
                    continue
                branch = node.add(
                    _label(name_of(theme, self.lang), sum(counts[m.id] for m in metrics)),
                    Place("theme", county=place.county, theme=theme.id),
                )
                self._filled.add(branch)
                for metric in metrics:
                    branch.add_leaf(
                        _label(name_of(metric, self.lang), counts[metric.id]),
                        Place("metric", county=place.county, metric=metric.id),
                    )
        elif place.kind == "theme" and not place.county:
            sizes = base.metric_sizes()
            for metric in base.metrics:
                if metric.theme == place.theme and sizes.get(metric.id):
                    node.add(_label(name_of(metric, self.lang), sizes[metric.id]), Place("metric", metric=metric.id))
        elif place.kind == "metric" and not place.county:
            counts = {county: n for (county, _), n in base.tally(metric=place.metric).items()}
            for county in base.counties:
                if counts.get(county.id):
                    node.add_leaf(
                        _label(county_title(county), counts[county.id]),
                        Place("metric", county=county.id, metric=place.metric),
                    )

    @on(Tree.NodeExpanded)
    def _fill_expanded(self, event: Tree.NodeExpanded[Place]) -> None:
        self.fill(event.node)

    @on(Tree.NodeSelected)
    def _open_node(self, event: Tree.NodeSelected[Place]) -> None:
        event.stop()
        self.cancel_preview()
        if event.node.data is not None:
            self.post_message(self.Opened(self, event.node.data, chosen=True))

    @on(Tree.NodeHighlighted)
    def _follow_cursor(self, event: Tree.NodeHighlighted[Place]) -> None:
        event.stop()
        place = event.node.data
        self.cancel_preview()
        if self._stale:  # the cursor was here before a caller opened another place
            return
        placed, self._placed = self._placed, None
        if place is not None and place != placed:
            self._resting = place
            self._preview = self.set_timer(self.preview, self._rested)

    def _rested(self) -> None:
        place = self.take_resting()
        if place is not None:
            self.post_message(self.Opened(self, place))

    def take_resting(self) -> Place | None:
        """The place the cursor moved to a moment ago and that is not open yet (the caller opens
        it now, say to copy what the pane is about to show); None when there is none."""
        place, self._resting = self._resting, None
        self.cancel_preview()
        return place

    def cancel_preview(self) -> None:
        """Forget a cursor that is resting (the place it rests on is not opened)."""
        self._resting = None
        if self._preview is not None:
            self._preview.stop()
            self._preview = None

    class _Visited(Message, bubble=False):
        """Posted to the tree itself by a visit: the highlights queued before it are stale."""

    @on(_Visited)
    def _visited(self) -> None:
        self._stale = False

    def select_place(self, place: Place, *, expand: bool = True) -> bool:
        """Move the cursor to the node that opens ``place`` (expanding its parents); False when
        the tree has no node for it (a single fact). Either way the caller has opened ``place``:
        a cursor resting elsewhere a moment ago (a preview timer running, a highlight still
        queued) must not open its place over it."""
        self.cancel_preview()
        self._stale = True
        self.post_message(self._Visited())
        node = self._find(self.root, place)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        if expand:
            node.expand()
        self._placed = place  # the highlight of the move below opens nothing either
        # the node's line is known once the tree has laid out what was just expanded
        self.call_after_refresh(self.move_cursor, node)
        return True

    def _find(self, node: TreeNode[Place], place: Place) -> TreeNode[Place] | None:
        """The node that opens ``place``, filling only the branches on the way to it."""
        for child in node.children:
            if child.data == place:
                return child
        for child in node.children:
            region = self._regions.get(child)
            if (region is not None and place.county and self.base.county(place.county).parent == region) or (
                child.data is not None and _leads_to(child.data, place)
            ):
                self.fill(child)
                found = self._find(child, place)
                if found is not None:
                    return found
        return None


def _leads_to(branch: Place, place: Place) -> bool:
    """Whether ``place`` can lie under the node of ``branch``."""
    if branch.kind == "county":
        return place.county == branch.county
    if branch.kind == "theme":
        return (
            (not branch.county or place.county == branch.county)
            and place.kind in ("metric", "fact")
            or (place.kind == "theme" and place.theme == branch.theme)
        )
    if branch.kind == "metric":
        return not branch.county and place.metric == branch.metric
    return False
