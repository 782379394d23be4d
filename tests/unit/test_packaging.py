"""Packaging: the wheel carries facts and seeds, and the core never imports Textual."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO


def test_core_and_commands_do_not_import_textual() -> None:
    code = (
        "import sys, tui.cli.main, tui.domain.model, tui.factfiles.loader, tui.domain.units, tui.factfiles.check\n"
        "import tui.present.export, tui.search.memory, tui.store.open, tui.store.indexed, tui.search.sqlite\n"
        "import tui.cli.main as c\n"
        "for argv in (['check'], ['show', 'shizhu'], ['compare', 'shizhu', 'fengjie'], ['sources'],\n"
        "             ['sheet', 'shizhu'], ['search', 'sz', 'pkfsl'], ['export']):\n"
        "    assert c.main(argv) == 0, argv\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "check"], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
@pytest.mark.timeout(300)
def test_wheel_contains_facts_and_seeds(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("povtui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    facts = {Path(n).name for n in names if n.startswith("tui/_data/facts/")}
    seeds = {Path(n).name for n in names if n.startswith("tui/_data/seeds/")}
    assert {"metrics.toml", "shizhu.toml", "fengjie.toml", "tongnan.toml", "qianjiang.toml"} <= facts
    assert seeds == {p.name for p in (REPO / "seeds").glob("*.txt")}
    assert "tui/cli/main.py" in names
