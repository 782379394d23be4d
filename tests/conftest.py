"""Shared fixtures: the small fixture fact tree, a shield from the user's environment, and the
hypothesis profiles: ``ci`` (the default: a fixed seed and a bounded number of examples, so the
suite is fast and every run tries the same inputs) and ``long`` (``pytest
--hypothesis-profile=long``: fifty times the examples, a new seed each run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, database=None, print_blob=True)
settings.register_profile("long", max_examples=5000, deadline=None, print_blob=True)
settings.load_profile("ci")  # the hypothesis plugin loads --hypothesis-profile after this file

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the user's fact tree, config, cache or state, or depends on the terminal."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("POVTUI_FACTS", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))


@pytest.fixture
def mini_tree(tmp_path: Path) -> Path:
    """A writable copy of the fixture tree; returns its root (holding facts/ and seeds/)."""
    root = tmp_path / "tree"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture
def make_app():  # type: ignore[no-untyped-def]
    """Builds the app by the factory the CLI uses, from a fact tree (the fixture tree by default)."""
    from tui.app import build_app
    from tui.factfiles.loader import load

    def make(root: Path = MINI, **options):  # type: ignore[no-untyped-def]
        base, problems = load(root / "facts")
        return build_app(base, problems, **options)

    return make


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the app's workers (the index, a search) and what they post are done."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def search(pilot, text: str) -> tuple:  # type: ignore[no-untyped-def]
    """Type ``/`` and ``text``; the results on the list once they are there."""
    await pilot.press("slash", *text)
    await settle(pilot)
    return pilot.app.screen.query_one("#results").shown_hits
