"""The index follows the files by content: no correction is served stale, whatever the times say
(reliability H4, L9), and :meth:`Store.changed` notices a changed file cheaply (M3)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tui.factfiles.loader import load
from tui.store import freshness
from tui.store.open import index_path
from tui.store.status import status
from tui.store.store import open_store

OLD = 1_500_000_000  # a time long before any build: the stamp is not racy


def _facts(tree: Path) -> Path:
    return tree / "facts"


def _values(tree: Path, **options: object) -> set[object]:
    return {f.value for f in open_store(_facts(tree), **options).base.facts}  # type: ignore[arg-type]


def _edit_keeping_times(path: Path, old: str, new: str) -> None:
    """A same-size edit whose mtime (and atime) are put back, as tools that keep times do."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old.encode()) == len(new.encode()) and old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.fixture
def aged(mini_tree: Path) -> Path:
    """The fixture tree with every file's times long in the past (its stamps are not racy)."""
    for path in [*_facts(mini_tree).iterdir(), *(mini_tree / "seeds").iterdir()]:
        os.utime(path, (OLD, OLD))
    return mini_tree


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_same_size_edit_with_its_mtime_put_back_is_seen(aged: Path, in_memory: bool) -> None:
    assert 800 in _values(aged, in_memory=in_memory)
    _edit_keeping_times(_facts(aged) / "beta.toml", "value = 800", "value = 802")
    assert not status(_facts(aged)).current
    values = _values(aged, in_memory=in_memory)
    assert 802 in values and 800 not in values
    assert status(_facts(aged)).current


def test_an_edit_the_stat_cannot_show_is_seen_by_content(mini_tree: Path) -> None:
    """On a file system with one-second times an edit within the second of the build leaves
    size, mtime, ctime and inode as they were: the stamp is racy, so the content decides."""
    assert 800 in _values(mini_tree)
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 802", 1), encoding="utf-8")
    info = beta.stat()
    conn = sqlite3.connect(index_path(_facts(mini_tree)))
    conn.execute(  # the index as if the edit had left the stat alone: only the digest differs
        "UPDATE files SET size = ?, mtime = ?, ctime = ?, inode = ?, seen = ? WHERE name = 'beta.toml'",
        (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, max(info.st_mtime_ns, info.st_ctime_ns)),
    )
    conn.commit()
    conn.close()
    assert 802 in _values(mini_tree)


def test_an_unchanged_file_is_not_read_again(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once its times are older than its read by more than the granularity (here made 10 ms,
    so that the test need not wait two seconds), a file is known by its stat alone."""
    monkeypatch.setattr(freshness, "GRANULARITY_NS", 10_000_000)
    time.sleep(0.05)  # the ctime the fixture's utime left is now older than that
    open_store(_facts(aged))
    read: list[str] = []
    digest = freshness.digest_of
    monkeypatch.setattr(freshness, "digest_of", lambda path: read.append(path) or digest(path))
    open_store(_facts(aged))
    assert [Path(p).name for p in read] == ["metrics.toml"]  # the county files: by their stat alone


def test_a_touched_file_is_not_indexed_again(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.store import compiling

    open_store(_facts(aged))
    os.utime(_facts(aged) / "beta.toml")
    compiled: list[str] = []
    real = compiling.compile_file
    monkeypatch.setattr(compiling, "compile_file", lambda path, rank: compiled.append(path) or real(path, rank))
    assert status(_facts(aged)).current
    open_store(_facts(aged))
    assert compiled == []


def test_a_same_size_edit_of_metrics_is_seen(aged: Path) -> None:
    store = open_store(_facts(aged))
    assert store.base.metric("poverty.incidence").en == "Poverty incidence"
    _edit_keeping_times(_facts(aged) / "metrics.toml", '"Poverty incidence"', '"Poverty incidenc2"')
    assert "metrics.toml changed" in status(_facts(aged)).stale
    assert open_store(_facts(aged)).base.metric("poverty.incidence").en == "Poverty incidenc2"


def test_a_source_file_grown_past_the_limit_in_place_is_seen(aged: Path) -> None:
    """The index answers as the loader does when a seed grows past the size limit, and again
    when it is cut back (the seeds folder's mtime changes in neither case)."""
    open_store(_facts(aged))
    seed = aged / "seeds" / "beta.txt"
    kept = seed.read_bytes()
    folder = (aged / "seeds").stat().st_mtime_ns
    with open(seed, "ab") as handle:
        handle.write(b"x" * (5 * 1024 * 1024 + 1))
    assert (aged / "seeds").stat().st_mtime_ns == folder
    store = open_store(_facts(aged))
    base, problems = load(_facts(aged))
    assert {f.id for f in store.base.facts} == {f.id for f in base.facts}
    assert not store.base.select(county="beta") and store.problems == problems
    seed.write_bytes(kept)
    assert len(open_store(_facts(aged)).base.select(county="beta")) == len(load(_facts(aged))[0].select(county="beta"))


def test_a_missing_source_file_that_appears_is_seen(aged: Path) -> None:
    seed = aged / "seeds" / "beta.txt"
    kept = seed.read_bytes()
    seed.unlink()
    assert not open_store(_facts(aged)).base.select(county="beta")
    seed.write_bytes(kept)
    assert open_store(_facts(aged)).base.select(county="beta")


@pytest.mark.parametrize("in_memory", [True, False, None])
def test_changed_names_what_changed_since_the_store_was_opened(
    aged: Path, in_memory: bool | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if in_memory is None:  # no index can be kept: the files are read directly
        monkeypatch.setattr("tui.store.store.open_index", lambda *a, **k: (_ for _ in ()).throw(OSError("no")))
        store = open_store(_facts(aged))
    else:
        store = open_store(_facts(aged), in_memory=in_memory)
    assert store.snapshot is not None and store.changed() == ()
    os.utime(_facts(aged) / "alpha.toml")  # touched only
    assert store.changed() == ()
    _edit_keeping_times(_facts(aged) / "beta.toml", "value = 800", "value = 802")
    assert store.changed() == ("beta.toml",)
    _edit_keeping_times(_facts(aged) / "metrics.toml", '"Poverty incidence"', '"Poverty incidenc2"')
    assert store.changed() == ("metrics.toml", "beta.toml")
    (_facts(aged) / "gamma.toml").write_text("", encoding="utf-8")
    assert "gamma.toml" in store.changed()


def test_changed_sees_a_source_file_change(aged: Path) -> None:
    store = open_store(_facts(aged))
    with open(aged / "seeds" / "alpha2.txt", "ab") as handle:
        handle.write(b"x" * (5 * 1024 * 1024 + 1))
    assert store.changed() == ("alpha.toml",)


def test_a_fifo_in_place_of_a_county_file_does_not_hang(mini_tree: Path) -> None:
    open_store(_facts(mini_tree))
    beta = _facts(mini_tree) / "beta.toml"
    beta.unlink()
    os.mkfifo(beta)
    store = open_store(_facts(mini_tree))
    assert any(p.path.endswith("beta.toml") for p in store.problems)
    assert "beta.toml" not in store.changed()  # settled: nothing to read in it
