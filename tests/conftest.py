"""Shared fixtures: the small fixture fact tree, and a shield from the user's environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
