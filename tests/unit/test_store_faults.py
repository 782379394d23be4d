"""The index under faults: damage is rebuilt with one line (reliability M4), an unusable cache
falls back once (M6), an untrusted shared folder is refused (M7), two code versions keep their
own index ("found while measuring"), and updates compact it (L6)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.factfiles.loader import load
from tui.store import compiling, freshness, update
from tui.store import open as opening
from tui.store.guard import IndexDamaged
from tui.store.open import choose_index, index_path
from tui.store.status import status
from tui.store.store import open_store


def _facts(tree: Path) -> Path:
    return tree / "facts"


def _ids(store_or_tree: object) -> set[str]:
    base = store_or_tree.base if hasattr(store_or_tree, "base") else load(_facts(store_or_tree))[0]  # type: ignore[union-attr,arg-type]
    return {f.id for f in base.facts}


def _damage(path: Path) -> None:
    """Overwrite a stretch in the middle of the index's pages, keeping its size."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data) - page, page):  # every page but the first and the last
        data[start + 100 : start + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$TMPDIR for the fallback index, inside the test's own folder."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The county files compiled from now on (by a full build or an update)."""
    seen: list[str] = []
    real = compiling.compile_file
    monkeypatch.setattr(compiling, "compile_file", lambda path, rank: seen.append(Path(path).name) or real(path, rank))
    return seen


# -- damage -----------------------------------------------------------------------------


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_damaged_page_is_rebuilt_with_one_message(mini_tree: Path, in_memory: bool) -> None:
    open_store(_facts(mini_tree))
    _damage(index_path(_facts(mini_tree)))
    told: list[str] = []
    store = open_store(_facts(mini_tree), in_memory=in_memory, notice=told.append)
    assert _ids(store) == _ids(mini_tree)
    assert len(told) == 1 and "damaged" in told[0], told
    assert status(_facts(mini_tree)).current


def test_index_status_runs_a_quick_check(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = str(_facts(mini_tree))
    assert main(["index", "--facts", facts]) == 0
    _damage(index_path(_facts(mini_tree)))
    capsys.readouterr()
    assert main(["index", "--status", "--facts", facts]) == 1
    out = capsys.readouterr().out
    assert "damaged" in out and "up to date" not in out
    assert main(["index", "--facts", facts]) == 0
    captured = capsys.readouterr()
    assert "up to date" in captured.out and captured.err.count("\n") == 1 and "damaged" in captured.err


def test_a_command_on_a_damaged_index_answers_with_one_line(
    mini_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = str(_facts(mini_tree))
    assert main(["search", "乙区", "--facts", facts]) == 0
    expected = capsys.readouterr().out
    _damage(index_path(_facts(mini_tree)))
    assert main(["search", "乙区", "--facts", facts]) == 0
    captured = capsys.readouterr()
    assert captured.out == expected
    assert captured.err.count("\n") == 1 and "damaged" in captured.err and "Traceback" not in captured.err


def test_damage_found_while_reading_a_large_index_is_one_error_and_rebuilt_next(
    mini_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index too large to check at every open: damage surfaces when a query reads it, as
    IndexDamaged (one line), and the file is removed so that the next open builds it again."""
    monkeypatch.setattr(opening, "QUICK_CHECK_UP_TO", 0)
    store = open_store(_facts(mini_tree), in_memory=False)
    path = index_path(_facts(mini_tree))
    store.base.conn.close()  # type: ignore[attr-defined]
    _damage(path)
    store = open_store(_facts(mini_tree), in_memory=False, check_files=False)
    with pytest.raises(IndexDamaged) as raised:
        list(store.base.facts)
    assert "\n" not in str(raised.value) and "rebuilt at the next start" in str(raised.value)
    assert not path.exists()
    assert _ids(open_store(_facts(mini_tree), in_memory=False)) == _ids(mini_tree)


def test_a_busy_index_is_not_taken_for_damaged(tmp_path: Path) -> None:
    from tui.store.guard import is_damage

    assert not is_damage(sqlite3.OperationalError("database is locked"))
    assert not is_damage(sqlite3.ProgrammingError("Cannot operate on a closed database."))
    assert is_damage(sqlite3.DatabaseError("database disk image is malformed"))
    assert is_damage(sqlite3.OperationalError("Could not decode to UTF-8 column 'data'"))


# -- an unusable cache ------------------------------------------------------------------


@pytest.mark.parametrize("why", ["read-only", "full", "fails mid-build"])
def test_an_unusable_cache_falls_back_once(
    mini_tree: Path,
    private_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    compiled: list[str],
    why: str,
) -> None:
    cache = index_path(_facts(mini_tree)).parent
    if why == "read-only":  # (root may write anything: say so through os.access, as the code asks)
        access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode, **k: False if str(p).startswith(str(cache)) else access(p, mode, **k)
        )
    elif why == "full":
        usage = shutil.disk_usage
        monkeypatch.setattr(
            shutil, "disk_usage", lambda p: usage(p)._replace(free=0) if str(p).startswith(str(cache)) else usage(p)
        )
    else:
        real = opening.full_build

        def failing(facts_dir: Path, target: Path, *rest: object) -> None:
            if str(target).startswith(str(cache)):
                raise sqlite3.OperationalError("database or disk is full")
            real(facts_dir, target, *rest)  # type: ignore[arg-type]

        monkeypatch.setattr(opening, "full_build", failing)
    facts = str(_facts(mini_tree))
    assert main(["search", "乙区", "--facts", facts]) == 0
    first = capsys.readouterr()
    assert first.err.count("\n") == 1 and str(private_tmp) in first.err, first.err
    assert sorted(compiled) == ["alpha.toml", "beta.toml"]
    compiled.clear()
    assert main(["search", "乙区", "--facts", facts]) == 0
    again = capsys.readouterr()
    assert again.out == first.out and again.err == "" and compiled == []  # once: then reused, silently
    assert main(["index", "--facts", facts]) == 2
    reported = capsys.readouterr()
    assert reported.err.count("\n") == 1 and "cannot be kept in the cache" in reported.err
    assert list(private_tmp.iterdir())[0].stat().st_mode & 0o777 == 0o700


def test_a_temporary_folder_someone_else_made_is_not_used(
    mini_tree: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    planted = private_tmp / f"povtui-{os.getuid()}"
    planted.mkdir(mode=0o777)
    os.chmod(planted, 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(mini_tree / "facts" / "alpha.toml"))  # not a folder
    assert main(["search", "乙区", "--facts", str(_facts(mini_tree))]) == 0
    err = capsys.readouterr().err
    assert "reading the files directly" in err and not list(planted.iterdir())


# -- a shared index folder --------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o775])
def test_a_shared_folder_others_may_write_is_refused(
    mini_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    monkeypatch.setenv("POVTUI_INDEX_DIR", str(shared))
    planted = index_path(_facts(mini_tree))
    assert planted.parent == shared
    open_store(_facts(mini_tree), notice=lambda line: None)  # builds in the user's own cache
    own = choose_index(_facts(mini_tree))
    assert own.parent != shared
    shutil.copy(own, planted)  # someone plants an index with a forged figure
    conn = sqlite3.connect(planted)
    conn.execute("UPDATE facts SET data = replace(data, '800', '999') WHERE data LIKE '%800%'")
    conn.commit()
    conn.close()
    told: list[str] = []
    store = open_store(_facts(mini_tree), notice=told.append)
    assert 999 not in {f.value for f in store.base.facts} and 800 in {f.value for f in store.base.facts}
    assert len(told) == 1 and "can be written by other users" in told[0]


def test_a_shared_index_of_another_owner_is_refused(
    mini_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root to give a file away")
    shared = tmp_path / "shared"
    monkeypatch.setenv("POVTUI_INDEX_DIR", str(shared))
    open_store(_facts(mini_tree))
    assert choose_index(_facts(mini_tree)).parent == shared  # trusted: ours, 0755
    os.chown(index_path(_facts(mini_tree)), 54321, 54321)
    told: list[str] = []
    assert choose_index(_facts(mini_tree), told.append).parent != shared
    assert "belongs to another user" in told[0]


# -- two installations ------------------------------------------------------------------


def test_two_code_versions_keep_separate_index_files(
    mini_tree: Path, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    first = index_path(_facts(mini_tree))
    open_store(_facts(mini_tree))
    with monkeypatch.context() as other:
        for module in (freshness, opening):  # another installation: other code, so another key
            other.setattr(module, "code_key", lambda: "7-0123456789abcdef")
        second = index_path(_facts(mini_tree))
        assert second != first and second.parent == first.parent
        open_store(_facts(mini_tree))
    assert first.exists() and second.exists()
    compiled.clear()
    monkeypatch.setattr(compiling, "compile_file", lambda path, rank: compiled.append(path))
    assert status(_facts(mini_tree)).current
    open_store(_facts(mini_tree))
    assert compiled == []  # the first installation's index is still there and current


def test_another_versions_index_unused_for_a_month_is_removed_by_a_build(mini_tree: Path) -> None:
    ours = index_path(_facts(mini_tree))
    ours.parent.mkdir(parents=True)
    tree = ours.name.split("-")[1]
    old, recent = ours.parent / f"index-{tree}-6-0123456789abcdef.sqlite", ours.parent / f"index-{tree}.sqlite"
    other_tree = ours.parent / "index-0123456789abcdef-6-0123456789abcdef.sqlite"
    for path in (old, recent, other_tree):
        path.write_bytes(b"")
    month = 31 * 86400
    os.utime(old, (time.time() - month, time.time() - month))
    os.utime(other_tree, (time.time() - month, time.time() - month))
    open_store(_facts(mini_tree))
    assert not old.exists() and recent.exists() and other_tree.exists() and ours.exists()


def test_the_code_key_follows_the_code() -> None:
    key = freshness.code_key()
    assert key.startswith(f"{freshness.FORMAT}-") and len(key) > 10
    assert "store/freshness.py" not in key  # a digest, not a list of names


# -- compaction -------------------------------------------------------------------------


def test_updates_compact_the_index(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(_facts(mini_tree))
    path = index_path(_facts(mini_tree))
    beta = _facts(mini_tree) / "beta.toml"
    text = beta.read_text(encoding="utf-8")

    def edit(value: int) -> None:
        beta.write_text(text.replace("value = 800", f"value = {value}", 1) + "\n# " + "x" * 2000 * value, "utf-8")
        open_store(_facts(mini_tree))

    for value in range(801, 804):  # below both thresholds: counted, not compacted
        edit(value)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'updates'").fetchone()[0] == "3"
    conn.close()
    monkeypatch.setattr(update, "COMPACT_EVERY", 4)
    edit(804)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'updates'").fetchone()[0] == "0"
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    conn.close()
    assert 804 in {f.value for f in open_store(_facts(mini_tree)).base.facts}
