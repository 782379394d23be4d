"""A start that trusts its index imports only what the first screen needs: not the index's
compiler (build, update, write, the TOML parser) nor the screens shown later (comparison, help,
copy). Each of these cost the first screen milliseconds (issue 17: within 1.3x hello world)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINI

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

LATER = (
    "tui.store.build",
    "tui.store.compiling",
    "tui.store.update",
    "tui.store.write",
    "tomli",
    "tui.app.screens.compare",
    "tui.app.screens.help",
    "tui.app.screens.copied",
)

_FIRST_SCREEN = """
import asyncio, json, sys
from pathlib import Path
from tui.store.store import open_store

store = open_store(Path(sys.argv[1]), check_files=False)
from tui.app import build_app

app = build_app(store.base, store.problems, field=True)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        from tui.app.widgets.detail import DetailView

        assert app.screen is app.main and app.main.query_one(DetailView).lines, "no first screen"

asyncio.run(main())
print(json.dumps(sorted(name for name in sys.modules if name in sys.argv[2:])))
"""


def _run(code: str, *args: str, cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "TEXTUAL_ANIMATIONS": "none"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_first_screen_imports_neither_the_compiler_nor_later_screens(tmp_path: Path) -> None:
    _run("import sys; from pathlib import Path; from tui.store.store import open_store; open_store(Path(sys.argv[1]))",
         str(MINI), cache=tmp_path)  # fmt: skip
    loaded = json.loads(_run(_FIRST_SCREEN, str(MINI), *LATER, cache=tmp_path).splitlines()[-1])
    assert loaded == []


def test_the_check_sees_what_is_imported(tmp_path: Path) -> None:
    """The same probe finds the compiler once the index has to be built."""
    probe = _FIRST_SCREEN.replace("check_files=False", "rebuild=True")
    assert "tui.store.build" in json.loads(_run(probe, str(MINI), *LATER, cache=tmp_path).splitlines()[-1])
