"""The state file (reliability M9, L5; ux 19, 27): a hostile or huge file is ignored with one
line, once; history and query are capped when read and when written; preferences round-trip."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tui.app.persist import MAX_HISTORY, MAX_QUERY, MAX_STATE_BYTES, Saved, load_state, save_state
from tui.app.state import History, Place


def _path(tmp_path: Path) -> Path:
    return tmp_path / "povtui" / "state.json"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _ignored_once(path: Path) -> str:
    saved, notice = load_state(path)
    assert saved is None and notice.startswith("povtui: ignoring") and "\n" not in notice and len(notice) <= 200
    assert load_state(path) == (None, "")  # set aside: the next start says nothing
    return notice


def test_deep_nesting_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _write(_path(tmp_path), '{"version": 1, "current": ' + "[" * 5_000 + "]" * 5_000 + "}")
    notice = _ignored_once(path)
    assert "deeper" in notice
    assert (path.parent / "state.json.bad").exists()


def test_brackets_inside_strings_are_not_nesting(tmp_path: Path) -> None:
    saved = Saved(History().visit(Place("county", county="alpha")), "[[[[[[[[[[[[[[[[[[[[" + '\\"{{{{{{{{{{')
    path = _path(tmp_path)
    save_state(saved, path)
    assert load_state(path) == (saved, "")


def test_a_fifo_does_not_block(tmp_path: Path) -> None:
    path = _path(tmp_path)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(load_state(path)), daemon=True)
    reader.start()
    reader.join(5)
    assert result, "load_state blocked on a FIFO"
    saved, notice = result[0]  # type: ignore[misc]
    assert saved is None and "not a regular file" in notice


def test_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    path = _path(tmp_path)
    path.parent.mkdir(parents=True)
    path.symlink_to("/dev/zero")
    notice = _ignored_once(path)
    assert "not a regular file" in notice


def test_a_file_too_large_is_not_read(tmp_path: Path) -> None:
    path = _write(_path(tmp_path), " " * (MAX_STATE_BYTES + 1))
    assert "limit" in _ignored_once(path)


@pytest.mark.parametrize(
    "text", ["{not json", '{"version": 1, "back": {"a": 1}}', '{"version": 1, "search": 5}', "null"]
)
def test_any_error_in_a_state_file_is_one_line(tmp_path: Path, text: str) -> None:
    _ignored_once(_write(_path(tmp_path), text))


def test_history_and_query_are_capped_on_load(tmp_path: Path) -> None:
    place = Place("county", county="alpha").to_dict()
    many = [Place("county", county=f"c{i}").to_dict() for i in range(1000)]
    text = json.dumps({"version": 1, "current": place, "back": many, "forward": many, "search": "x" * 10_000})
    saved, notice = load_state(_write(_path(tmp_path), text))
    assert notice == "" and saved is not None
    assert len(saved.history.back) == MAX_HISTORY and saved.history.back[-1].county == "c999"  # the nearest kept
    assert len(saved.history.forward) == MAX_HISTORY and saved.history.forward[0].county == "c0"
    assert len(saved.search) == MAX_QUERY


def test_history_and_query_are_capped_on_save(tmp_path: Path) -> None:
    back = tuple(Place("county", county=f"c{i}") for i in range(500))
    saved = Saved(History(Place("county", county="alpha"), back, ()), "y" * 1_000_000)
    path = _path(tmp_path)
    save_state(saved, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["back"]) == MAX_HISTORY and len(data["search"]) == MAX_QUERY
    assert path.stat().st_size < MAX_STATE_BYTES


def test_preferences_round_trip_and_unknown_values_are_dropped(tmp_path: Path) -> None:
    saved = Saved(History(), "", ("alpha", "beta"), True, "/f", "en", "theme", "funding", "gap")
    path = _path(tmp_path)
    save_state(saved, path)
    assert load_state(path) == (saved, "")
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(lang="fr", grouping="sideways", compare_sort="random")
    loaded, _ = load_state(_write(path, json.dumps(data)))
    assert loaded is not None and (loaded.lang, loaded.grouping, loaded.compare_sort) == ("", "", "")
