"""The app's ``w``: a comparison written to a new CSV file, in the first folder that takes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MINI
from tui.factfiles.loader import load
from tui.present.compare_out import compare_file, write_compare_file
from tui.present.views import compare_rows


@pytest.fixture(scope="module")
def rows():  # type: ignore[no-untyped-def]
    base, _ = load(MINI / "facts")
    return base, compare_rows(base, ["alpha", "beta"])


def test_the_working_folder_first(rows, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    base, shown = rows
    monkeypatch.chdir(tmp_path)
    path = write_compare_file(base, shown, ("alpha", "beta"), "latest", folders=(None, tmp_path / "state"))
    assert path is not None and path.parent == tmp_path
    assert path.name.startswith("povtui-compare-alpha-beta-") and path.suffix == ".csv"
    assert path.read_text(encoding="utf-8").startswith("\ufeff")


def test_a_folder_that_cannot_be_made_falls_back_to_the_next(rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, shown = rows
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    path = write_compare_file(base, shown, ("alpha", "beta"), "latest", folders=(blocker / "sub", tmp_path / "state"))
    assert path is not None and path.parent == tmp_path / "state"


def test_no_folder_takes_it_and_nothing_is_overwritten(rows, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    base, shown = rows
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert write_compare_file(base, shown, ("alpha", "beta"), "latest", folders=(blocker / "sub",)) is None
    monkeypatch.setattr("tui.present.compare_out.time.strftime", lambda _: "20261205-120000")  # the same second
    taken = compare_file(("alpha", "beta"), tmp_path)
    taken.write_text("mine")
    path = write_compare_file(base, shown, ("alpha", "beta"), "latest", folders=(tmp_path, tmp_path / "next"))
    assert taken.read_text() == "mine"
    assert path == tmp_path / "next" / taken.name
