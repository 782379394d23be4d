"""Shared fixtures: the small fixture fact tree, a shield from the user's environment, and the
hypothesis profiles: ``ci`` (the default: a fixed seed and a bounded number of examples, so the
suite is fast and every run tries the same inputs) and ``long`` (``pytest
--hypothesis-profile=long``: fifty times the examples, a new seed each run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import MINI

settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, database=None, print_blob=True)
settings.register_profile("long", max_examples=5000, deadline=None, print_blob=True)
settings.load_profile("ci")  # the hypothesis plugin loads --hypothesis-profile after this file


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
