"""A citation made before a fact's id changed still resolves, and says what the id is now."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import MINI
from tui.cli.main import main


@pytest.fixture
def renamed(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the mini tree whose first alpha fact lists a former id."""
    shutil.copytree(MINI, tmp_path / "tree")
    path = tmp_path / "tree" / "facts" / "alpha.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[[fact]]\n", '[[fact]]\nformer_ids = ["alpha-0ld1d"]\n', 1)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "tree", "alpha-0ld1d"


def test_a_former_id_cites_the_fact_and_names_its_new_id(
    renamed: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    tree, old = renamed
    assert main(["--facts", str(tree), "--lang", "en", "cite", old]) == 0
    out, err = capsys.readouterr()
    new = re.search(r"is now (alpha-[a-z0-9]+)", err)
    assert new is not None and new.group(1) != old, err
    assert f"[fact {new.group(1)}]" in out
    assert main(["--facts", str(tree), "--lang", "en", "cite", new.group(1)]) == 0
    again, err = capsys.readouterr()
    assert again == out and err == ""


def test_a_former_id_in_json_keeps_what_was_asked(
    renamed: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    tree, old = renamed
    assert main(["--facts", str(tree), "--json", "cite", old]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["asked"] == old and data["fact"]["id"] != old


def test_an_unknown_id_is_still_an_error(renamed: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    tree, _ = renamed
    assert main(["--facts", str(tree), "cite", "alpha-nosuchid"]) == 2
    assert "unknown fact id" in capsys.readouterr().err
