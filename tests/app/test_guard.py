"""One seam guards every widget: an error in a watcher, a widget's handler or a timer is logged,
told once, and survived, with the user's place kept."""

from __future__ import annotations

import pytest

from tui.app.guard import error_log_path
from tui.app.state import Place
from tui.app.widgets.fact_tree import FactTree

SIZE = (80, 24)
PLACE = Place("metric", county="alpha", metric="poverty.people_lifted")


def _errors(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications if n.severity == "error"]


async def _at_place(app, pilot):  # type: ignore[no-untyped-def]
    app.screen.visit(PLACE)
    await pilot.pause()
    return app.screen


async def test_an_error_in_a_tree_watcher_is_survived(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(old: str, new: str) -> None:
        raise RuntimeError("watcher broke")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _at_place(app, pilot)
        monkeypatch.setattr(screen.query_one(FactTree), "watch_grouping", broken)
        await pilot.press("g")
        await pilot.press("g")  # the same error again: logged, not told again
        await pilot.pause()
        assert app.is_running and app.screen is screen and screen.history.current == PLACE
        assert len([m for m in _errors(app) if "watcher broke" in m]) == 1
        assert error_log_path().read_text(encoding="utf-8").count("RuntimeError: watcher broke") == 2
        await pilot.press("left_square_bracket")  # the screen still answers
        assert screen.history.current != PLACE


async def test_an_error_in_a_widget_message_handler_is_survived(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(node: object) -> None:
        raise RuntimeError("handler broke")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _at_place(app, pilot)
        tree = screen.query_one(FactTree)
        monkeypatch.setattr(tree, "fill", broken)  # called from the tree's own NodeExpanded handler
        tree.root.children[1].expand()  # beta: its handler raises
        await pilot.pause()
        assert app.is_running and screen.history.current == PLACE
        assert any("handler broke" in m for m in _errors(app))
        assert "RuntimeError: handler broke" in error_log_path().read_text(encoding="utf-8")
        line = tree.cursor_line
        await pilot.press("up")  # the tree's own message loop is alive
        assert tree.cursor_line != line


async def test_an_error_in_a_timer_callback_is_survived(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _at_place(app, pilot)

        def boom() -> None:
            raise ValueError("timer broke")

        screen.query_one(FactTree).set_timer(0.01, boom)
        await pilot.pause(0.1)
        assert app.is_running and screen.history.current == PLACE
        told = [n for n in app._notifications if n.severity == "error"]
        assert told and told[0].title == "povtui hit an error" and "ValueError: timer broke" in told[0].message
        assert "ValueError: timer broke" in error_log_path().read_text(encoding="utf-8")
