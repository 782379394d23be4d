"""The cache of the loaded fact tree and its search index: never a stale or wrong answer."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tui.cache import _path, load_cached, search_index_cached
from tui.loader import load

from .test_loader import _replace


def _facts(root: Path) -> Path:
    return root / "facts"


def test_warm_load_equals_a_fresh_load(mini_tree: Path) -> None:
    cold, problems, _ = load_cached(_facts(mini_tree))
    assert _path("base", _facts(mini_tree)).exists()
    warm, warm_problems, _ = load_cached(_facts(mini_tree))
    fresh, fresh_problems = load(_facts(mini_tree))
    assert warm.facts == fresh.facts == cold.facts and warm_problems == fresh_problems == problems


def _bump(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_changed_file_is_reloaded(mini_tree: Path) -> None:
    load_cached(_facts(mini_tree))
    _replace(mini_tree / "facts" / "beta.toml", "value = 3100", "value = 3200")
    _replace(mini_tree / "seeds" / "beta.txt", "脱贫3100人", "脱贫3200人")
    _replace(mini_tree / "facts" / "beta.toml", "去年乙区累计脱贫3100人", "去年乙区累计脱贫3200人")
    _bump(mini_tree / "facts" / "beta.toml")
    base, _, _ = load_cached(_facts(mini_tree))
    assert 3200 in {f.value for f in base.select(county="beta")}


def test_an_added_or_removed_file_is_seen(mini_tree: Path) -> None:
    load_cached(_facts(mini_tree))
    (mini_tree / "facts" / "beta.toml").rename(mini_tree / "beta.toml.off")
    base, _, _ = load_cached(_facts(mini_tree))
    assert [c.id for c in base.counties] == ["alpha"]
    (mini_tree / "beta.toml.off").rename(mini_tree / "facts" / "beta.toml")
    base, _, _ = load_cached(_facts(mini_tree))
    assert [c.id for c in base.counties] == ["alpha", "beta"]


def test_a_damaged_cache_file_is_ignored(mini_tree: Path) -> None:
    load_cached(_facts(mini_tree))
    for kind in ("base", "search"):
        _path(kind, _facts(mini_tree)).parent.mkdir(parents=True, exist_ok=True)
        _path(kind, _facts(mini_tree)).write_bytes(b"\x80\x05garbage")
    base, _, fingerprint = load_cached(_facts(mini_tree))
    assert len(base) == 13
    index = search_index_cached(base, _facts(mini_tree), fingerprint)
    assert index.search("甲县")


def test_the_cached_search_index_answers_like_a_fresh_one(mini_tree: Path) -> None:
    base, _, fingerprint = load_cached(_facts(mini_tree))
    first = search_index_cached(base, _facts(mini_tree), fingerprint)
    again = search_index_cached(base, _facts(mini_tree), fingerprint)
    for query in ("甲县", "jx tprk", "3.75亿", "county:beta >1000", "incidence"):
        assert [h.fact.id for h in again.search(query)] == [h.fact.id for h in first.search(query)]
    assert again.base is base


def test_concurrent_writers_leave_a_valid_cache(mini_tree: Path) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                base, _, _ = load_cached(_facts(mini_tree))
                assert len(base) == 13
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(load_cached(_facts(mini_tree))[0]) == 13
    assert [p.name for p in _path("base", _facts(mini_tree)).parent.iterdir() if p.name.startswith(".")] == []
