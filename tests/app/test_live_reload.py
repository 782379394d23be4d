"""The running app notices a corrected fact file (reliability M3): it asks the store, when idle,
whether a file changed, shows the new figures with a notice, and copies the new figure; when
nothing changed, it reads nothing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import settle
from tui.app import build_app
from tui.app.state import Place
from tui.app.widgets import index_loader
from tui.app.widgets.detail import DetailView
from tui.store.store import open_store

SIZE = (80, 24)


def _app(facts: Path):  # type: ignore[no-untyped-def]
    store = open_store(facts)
    app = build_app(store.base, store.problems, facts=str(facts), search=store.search_index, changed=store.changed)
    return app


async def _until(pilot, done, tries: int = 60) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        await settle(pilot)
        if done():
            return True
        await pilot.pause(0.05)
    return False


async def test_a_corrected_fact_file_is_shown_and_copied_with_a_notice(
    mini_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_loader, "POLL", 0.2)
    facts = mini_tree / "facts"
    app = _app(facts)
    async with app.run_test(size=SIZE) as pilot:
        [fact] = [f for f in app.base.select(county="beta") if f.value == 800]
        app.screen.visit(Place("metric", county="beta", metric=fact.metric))
        await settle(pilot)
        assert "800户" in app.screen.query_one(DetailView).plain_text
        beta = facts / "beta.toml"
        text = beta.read_text(encoding="utf-8")
        beta.write_text(text.replace("value = 800", "value = 880", 1).replace("贫困户800户", "贫困户880户"), "utf-8")
        seed = mini_tree / "seeds" / "beta.txt"
        seed.write_text(seed.read_text(encoding="utf-8").replace("贫困户800户", "贫困户880户"), encoding="utf-8")
        assert await _until(pilot, lambda: any(f.value == 880 for f in app.base.select(county="beta")))
        assert await _until(pilot, lambda: "880户" in app.screen.query_one(DetailView).plain_text)
        shown = app.screen.query_one(DetailView).plain_text
        assert "800户" not in shown
        assert any("区县文件已更改" in str(n.message) for n in app._notifications)
        app.screen.query_one(DetailView).focus()
        await pilot.press("y")
        assert "880户" in app.clipboard and "800户" not in app.clipboard  # never the stale figure


async def test_nothing_changed_reads_nothing_again(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_loader, "POLL", 0.1)
    app = _app(mini_tree / "facts")
    looked: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        loader = app.screen.query_one(index_loader.IndexLoader)
        check = loader.changed
        assert check is not None

        def counted() -> tuple[str, ...]:
            looked.append(1)
            return check()

        loader.changed = counted
        base = app.base
        await pilot.pause(1.0)
        await settle(pilot)
        assert len(looked) >= 3  # it did look, several times
        assert app.base is base and app.screen.base is base  # and read nothing again
        assert not any("区县文件已更改" in str(n.message) for n in app._notifications)
