"""Every Textual private name povtui uses is still there (see tui.app.wire). When a Textual
upgrade moves one, this fails and names it."""

from __future__ import annotations

import importlib
import inspect

from textual.message_pump import MessagePump

from tui.app import wire


def _owner(path: str) -> type:
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


async def test_every_private_name_is_still_there(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        instances = {"textual.app.App": app, "textual.screen.Screen": app.screen}
        instances["textual._compositor.Compositor"] = app.screen._compositor
        missing = [
            f"{owner}.{name}"
            for owner, names in wire.PRIVATE_NAMES.items()
            for name in names
            if not hasattr(_owner(owner), name) and not hasattr(instances.get(owner), name)
        ]
        assert not missing, f"Textual no longer has {missing}: update tui/app/wire.py"


def test_the_seams_keep_their_signatures() -> None:
    assert list(inspect.signature(wire._original_dispatch).parameters) == ["self", "message"]
    assert MessagePump._dispatch_message is wire._guarded_dispatch or not any(
        isinstance(o, wire.SurvivingApp) for o in ()
    )
    handle = inspect.signature(_owner("textual.app.App")._handle_exception)
    assert list(handle.parameters) == ["self", "error"], "App._handle_exception changed: update tui/app/wire.py"
    compositor_refresh = inspect.signature(_owner("textual.screen.Screen")._compositor_refresh)
    assert list(compositor_refresh.parameters) == ["self"]


def test_no_other_app_module_names_a_textual_private() -> None:
    """Only wire.py may touch Textual's underscored names (tests aside)."""
    import pathlib
    import re

    root = pathlib.Path(wire.__file__).parent
    names = {name for names in wire.PRIVATE_NAMES.values() for name in names} | {"_clipboard"}
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "wire.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {n}" for n in names if re.search(rf"\.{n}\b|def {n}\b", text)]
    assert not offenders
