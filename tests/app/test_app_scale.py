"""The app over a fact base that stays on disk (as for the whole country): the tree fills a
node when it is opened, results come a page at a time, and every view reads what it shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, search, settle
from tui.app import build_app
from tui.app.screens.compare import CompareScreen
from tui.app.screens.main import MainScreen
from tui.app.state import Place
from tui.app.widgets.fact_tree import FactTree
from tui.app.widgets.search import ResultList
from tui.app.widgets.search_panel import PAGE, SearchPanel
from tui.store.indexed import IndexedBase
from tui.store.store import open_store

sys.path.insert(0, str(REPO / "bench"))
from synth import generate

SIZE = (80, 24)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "tree"
    generate(root, 40, 30)
    return root / "facts"


def _app(facts: Path):  # type: ignore[no-untyped-def]
    store = open_store(facts, in_memory=False)
    assert isinstance(store.base, IndexedBase)
    return build_app(store.base, store.problems, search=store.search_index)  # type: ignore[arg-type]


async def test_the_tree_fills_a_county_when_it_is_opened(tree: Path) -> None:
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        nodes = app.screen.query_one(FactTree).root.children
        assert len(nodes) == 40
        assert nodes[0].children and all(not node.children for node in nodes[1:])
        counts = app.screen.query_one(FactTree).base.county_sizes()
        assert str(nodes[5].label).endswith(str(counts[nodes[5].data.county]))
        nodes[5].expand()
        await pilot.pause()
        themes = nodes[5].children
        assert themes and sum(int(str(t.label).rsplit(" ", 1)[1]) for t in themes) == counts[nodes[5].data.county]


async def test_opening_a_place_fills_only_the_way_to_it(tree: Path) -> None:
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        last = screen.base.counties[-1].id
        metric = screen.base.select(county=last)[0].metric
        screen.visit(Place("metric", county=last, metric=metric))
        await pilot.pause()
        tree_widget = screen.query_one(FactTree)
        assert tree_widget.cursor_node is not None and tree_widget.cursor_node.data == Place(
            "metric", county=last, metric=metric
        )
        assert sum(1 for node in tree_widget.root.children if node.children) == 2  # the first and the last


async def test_grouping_by_theme_reads_counts_per_metric(tree: Path) -> None:
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await pilot.pause()
        themes = app.screen.query_one(FactTree).root.children
        assert themes and all(not node.children for node in themes)
        themes[0].expand()
        await pilot.pause()
        metric = themes[0].children[0]
        metric.expand()
        await pilot.pause()
        assert metric.children and all(leaf.data.county for leaf in metric.children)


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
async def test_results_come_a_page_at_a_time(tree: Path) -> None:
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        panel = screen.query_one(SearchPanel)
        assert len(await search(pilot, "2020")) == PAGE
        for _ in range(PAGE - 3):
            await pilot.press("down")
        await settle(pilot)
        assert PAGE < len(panel.shown_hits) <= 2 * PAGE
        assert screen.query_one(ResultList).option_count == len(panel.shown_hits)
        assert screen.query_one(ResultList).highlighted == PAGE - 3
        await pilot.press("enter")
        await pilot.pause()
        assert screen.history.current.kind == "fact"


async def test_comparing_counties_on_disk(tree: Path) -> None:
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("down", "down", "a")
        await pilot.pause()
        assert len(app.screen.counties) == 3
        assert app.screen.rows


async def test_many_counties_are_grouped_by_region(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app.widgets import fact_tree as tree_module

    monkeypatch.setattr(tree_module, "REGIONS_FROM", 10)
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        widget = screen.query_one(FactTree)
        regions = widget.root.children
        parents = {c.parent for c in screen.base.counties}
        assert len(regions) == len(parents) and all(node.data is None for node in regions)
        assert all(not node.children and not node.is_expanded for node in regions)
        assert widget.cursor_line == 0
        await pilot.press("enter")  # opens the first province
        await pilot.pause()
        assert regions[0].is_expanded and regions[0].children[0].data.kind == "county"
        last = screen.base.counties[-1]
        screen.visit(Place("county", county=last.id))
        await pilot.pause()
        assert widget.cursor_node is not None and widget.cursor_node.data == Place("county", county=last.id)
        assert widget.cursor_node.parent is not None and str(widget.cursor_node.parent.label).startswith(last.parent)


def test_regions_and_the_first_county_read_from_disk_equal_those_in_memory(tree: Path) -> None:
    on_disk = open_store(tree, in_memory=False).base
    in_memory = open_store(tree, in_memory=True).base
    assert isinstance(on_disk, IndexedBase) and not isinstance(in_memory, IndexedBase)
    assert on_disk.regions() == in_memory.regions() and len(on_disk.regions()) > 1
    assert on_disk.first_county() == in_memory.first_county() == in_memory.counties[0]
    some = in_memory.counties[7]
    assert on_disk.county(some.id) == some
    assert len(on_disk) == len(in_memory)
    assert "counties" not in vars(on_disk)  # none of that needed every county's record
    with pytest.raises(KeyError):
        on_disk.county("no-such-county")
    assert on_disk.counties == in_memory.counties and on_disk.regions() == in_memory.regions()
    assert on_disk.county_sizes() == in_memory.county_sizes()


async def test_the_first_screen_reads_no_county_record_but_its_own(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app.widgets import fact_tree as tree_module

    monkeypatch.setattr(tree_module, "REGIONS_FROM", 10)
    app = _app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        base = app.screen.base
        assert "counties" not in vars(base)  # 2,800 records would cost a start 25 ms
        first = base.first_county()
        assert first is not None and first.short in app.screen.query_one("#detail").plain_text


async def test_a_file_changed_since_the_last_start_is_reloaded_after_the_first_screen(mini_tree: Path) -> None:
    """The app trusts the index for its first screen, then looks at the county files and
    shows what changed."""
    facts = mini_tree / "facts"
    open_store(facts)
    beta = facts / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 801", 1), encoding="utf-8")
    store = open_store(facts, check_files=False)
    assert any(f.value == 800 for f in store.base.select(county="beta"))  # trusted: not looked at yet
    app = build_app(store.base, store.problems, facts=str(facts), search=store.search_index, recheck=True)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(60):
            await settle(pilot)
            if any(f.value == 801 for f in app.base.select(county="beta")):
                break
        assert any(f.value == 801 for f in app.base.select(county="beta"))
        assert app.screen.base is app.base and app.screen.query_one(FactTree).base is app.base
        assert any(str(n.message).startswith("1 个区县文件已更改") for n in app._notifications)
        hits = await search(pilot, "801")
        assert hits and hits[0].fact.value == 801
