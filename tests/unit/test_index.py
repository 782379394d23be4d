"""The on-disk index: it answers as the files say, follows every change, survives damage and
concurrent builds, and its search gives the very hits of the in-memory search."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.unit.test_search import BEST
from tui.cli.main import main
from tui.factfiles.loader import load
from tui.paths import bundled_root
from tui.search import sqlite as isearch
from tui.search.memory import MemorySearch
from tui.search.sqlite import SqliteSearch
from tui.store import build, compiling
from tui.store.indexed import IndexedBase
from tui.store.open import choose_index, index_path
from tui.store.status import refresh, status
from tui.store.store import open_store

QUERIES = [q for q, *_ in BEST] + [
    "",
    "   ",
    "xyzzy",
    "qqqqqq",
    "county:nowhere",
    "kind:",
    ">",
    "..",
    "%%%",
    "[/]",
    "脱贫",
    "贫",
    "人口",
    "tuopin",
    "zhongdian",
    "xiangcun",
    "2019",
    "6000",
    "kind:target",
    ">1亿",
    "unit:户",
    "scope:county 产业",
    "source:shizhu-award",
    "theme:产业 county:黔江",
    "shizhu 2020",
    "dianshang",
]


@pytest.fixture(scope="module")
def real() -> tuple[MemorySearch, SqliteSearch]:
    facts = bundled_root() / "facts"
    base, _ = load(facts)
    store = open_store(facts, in_memory=False)
    assert isinstance(store.base, IndexedBase)
    return MemorySearch(base), SqliteSearch(store.base)


@pytest.mark.parametrize("query", QUERIES)
def test_index_search_equals_the_in_memory_search(real: tuple[MemorySearch, SqliteSearch], query: str) -> None:
    memory, indexed = real
    for limit in (None, 5):
        assert indexed.search(query, limit=limit) == memory.search(query, limit=limit)


@pytest.mark.parametrize("query", QUERIES)
def test_broad_queries_give_the_same_best_hits(
    real: tuple[MemorySearch, SqliteSearch], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every term counted as broad, the route-by-route reading finds the same top ten."""
    memory, indexed = real
    monkeypatch.setattr(isearch, "CAP", 3)
    assert indexed.search(query, limit=10) == memory.search(query, limit=10)


@pytest.mark.parametrize("query", ["pinkun", "tuopin", "shizhu", "脱贫", "fengjie 2019"])
def test_a_term_at_the_start_of_a_quote_is_not_looked_up_again_when_it_is_rare(
    real: tuple[MemorySearch, SqliteSearch], query: str
) -> None:
    """A selective term's facts anywhere in a quote hold those where the quote starts with
    it: the full-text index is asked once, not twice (the second read cost as much)."""
    memory, indexed = real
    asked: list[str] = []
    indexed.conn.set_trace_callback(asked.append)
    try:
        assert indexed.search(query) == memory.search(query)
    finally:
        indexed.conn.set_trace_callback(None)
    fts = [sql for sql in asked if " MATCH " in sql]
    assert fts and not any(": ^" in sql for sql in fts), fts


def _facts(tree: Path) -> Path:
    return tree / "facts"


def _ids(tree: Path, in_memory: bool) -> set[str]:
    store = open_store(_facts(tree), in_memory=in_memory)
    return {f.id for f in store.base.facts}


def _compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = compiling.compile_file

    def counting(path: str, rank: int) -> compiling.Compiled:
        seen.append(Path(path).name)
        return real(path, rank)

    monkeypatch.setattr(compiling, "compile_file", counting)
    return seen


@pytest.mark.parametrize("in_memory", [True, False])
def test_the_store_holds_what_the_loader_loads(mini_tree: Path, in_memory: bool) -> None:
    base, problems = load(_facts(mini_tree))
    store = open_store(_facts(mini_tree), in_memory=in_memory)
    assert tuple(store.base.facts) == base.facts
    assert store.base.counties == base.counties and store.base.sources == base.sources
    assert store.base.metrics == base.metrics and store.base.themes == base.themes
    assert store.base.skips == base.skips and store.problems == problems
    for fact in base.facts:
        assert store.base.fact(fact.id) == fact
        assert store.base.disagreements(fact) == base.disagreements(fact)
    for source in base.sources:
        assert store.base.source(source.id) == source
    for county in base.counties:
        assert store.base.sources_of(county.id) == base.sources_of(county.id)
        assert store.base.select(county=county.id) == base.select(county=county.id)
        for theme in base.themes:
            assert store.base.select(county=county.id, theme=theme.id) == base.select(county=county.id, theme=theme.id)
        for metric in base.metrics:
            assert store.base.select(county=county.id, metric=metric.id) == base.select(
                county=county.id, metric=metric.id
            )
            assert store.base.select(metric=metric.id) == base.select(metric=metric.id)
        for source in base.sources_of(county.id):
            assert store.base.select(county=county.id, source=source.id) == base.select(
                county=county.id, source=source.id
            )
            assert store.base.select(county=county.id, source=source.id, theme="poverty") == base.select(
                county=county.id, source=source.id, theme="poverty"
            )


def test_an_edited_file_alone_is_indexed_again(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(_facts(mini_tree))
    seen = _compiled(monkeypatch)
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 801", 1), encoding="utf-8")
    store = open_store(_facts(mini_tree), in_memory=False)
    assert seen == ["beta.toml"]
    assert any(f.value == 801 for f in store.base.select(county="beta"))
    assert not any(f.value == 800 for f in store.base.facts)
    assert status(_facts(mini_tree)).current


def test_added_and_removed_files_are_followed(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _ids(mini_tree, False)
    seen = _compiled(monkeypatch)
    beta = (_facts(mini_tree) / "beta.toml").read_text(encoding="utf-8")
    (_facts(mini_tree) / "gamma.toml").write_text(
        beta.replace('id = "beta"', 'id = "gamma"').replace("beta-news", "gamma-news").replace("乙区", "丙区"),
        encoding="utf-8",
    )
    added = _ids(mini_tree, False)
    assert seen == ["gamma.toml"]
    assert len(added) == len(before) + 5 and {i for i in added if i.startswith("gamma-")}
    assert [c.id for c in open_store(_facts(mini_tree)).base.counties] == ["alpha", "beta", "gamma"]
    (_facts(mini_tree) / "alpha.toml").unlink()
    left = _ids(mini_tree, True)
    assert not any(i.startswith("alpha-") for i in left) and len(left) == len(added) - 8


def test_a_new_file_sorts_among_the_others(mini_tree: Path) -> None:
    """Facts come in file order after a file is added between two others, as the loader gives them."""
    open_store(_facts(mini_tree))
    text = (_facts(mini_tree) / "beta.toml").read_text(encoding="utf-8")
    (_facts(mini_tree) / "alpha2.toml").write_text(
        text.replace('id = "beta"', 'id = "alpha2"').replace("beta-news", "alpha2-news"), encoding="utf-8"
    )
    base, _ = load(_facts(mini_tree))
    assert tuple(open_store(_facts(mini_tree), in_memory=False).base.facts) == base.facts


def test_metrics_change_means_a_full_build(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(_facts(mini_tree))
    seen = _compiled(monkeypatch)
    metrics = _facts(mini_tree) / "metrics.toml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    open_store(_facts(mini_tree))
    assert sorted(seen) == ["alpha.toml", "beta.toml"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "old format", "other table"])
def test_a_damaged_or_foreign_index_is_rebuilt(mini_tree: Path, damage: str) -> None:
    expected = _ids(mini_tree, True)
    path = index_path(_facts(mini_tree))
    if damage == "garbage":
        path.write_bytes(b"\x00not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:3000])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        if damage == "old format":
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
        else:
            conn.execute("DROP TABLE meta")
        conn.commit()
        conn.close()
    assert not status(_facts(mini_tree)).current
    assert _ids(mini_tree, False) == expected
    assert status(_facts(mini_tree)).current


def test_a_broken_file_is_reported_and_the_others_load(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(_facts(mini_tree))
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace('bound = "exact"', 'bound = "exactish"', 1), encoding="utf-8"
    )
    monkeypatch.chdir(mini_tree)
    store = open_store(_facts(mini_tree))
    _, problems = load(Path("facts"))
    assert store.problems == problems
    assert store.problems[0].path == "facts/beta.toml" and store.problems[0].line > 0
    assert len(store.base.select(county="alpha")) == 8


def test_a_county_defined_twice_is_skipped_until_the_first_goes(mini_tree: Path) -> None:
    alpha = (_facts(mini_tree) / "alpha.toml").read_text(encoding="utf-8")
    (_facts(mini_tree) / "alpha_copy.toml").write_text(alpha, encoding="utf-8")
    store = open_store(_facts(mini_tree), in_memory=False)
    assert [c.id for c in store.base.counties] == ["alpha", "beta"]
    assert any(
        "already defined in alpha.toml" in p.message and p.path.endswith("alpha_copy.toml") for p in store.problems
    )
    (_facts(mini_tree) / "alpha.toml").unlink()
    store = open_store(_facts(mini_tree), in_memory=False)
    assert [c.id for c in store.base.counties] == ["alpha", "beta"]
    assert [p.message for p in store.problems] == ["county id 'alpha' differs from the file name 'alpha_copy.toml'"]


def _open(facts: str) -> int:
    from tui.store.store import open_store as opened

    return len(opened(Path(facts), in_memory=False).base)


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
def test_concurrent_builds_leave_a_valid_index(mini_tree: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        sizes = pool.map(_open, [str(_facts(mini_tree))] * 8)
    assert sizes == [13] * 8
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 802", 1), encoding="utf-8")
    with context.Pool(4) as pool:
        sizes = pool.map(_open, [str(_facts(mini_tree))] * 8)
    assert sizes == [13] * 8
    state = status(_facts(mini_tree))
    assert state.current and state.facts == 13
    assert not [p for p in index_path(_facts(mini_tree)).parent.iterdir() if p.name.endswith(".build")]


def test_index_command_status_and_rebuild(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = str(_facts(mini_tree))
    assert main(["index", "--status", "--facts", facts]) == 1
    assert "not built yet" in capsys.readouterr().out
    assert not index_path(_facts(mini_tree)).exists()
    assert main(["index", "--rebuild", "--facts", facts]) == 0
    out = capsys.readouterr().out
    assert "13 facts from 2 county files" in out and "up to date" in out and "rebuilt in" in out
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 801", 1), encoding="utf-8")
    os.utime(beta, (1, 1))
    assert main(["index", "--status", "--json", "--facts", facts]) == 1
    state = json.loads(capsys.readouterr().out)
    assert state["stale"] == ["changed: beta.toml"] and state["facts"] == 13
    assert main(["search", "乙区", "--facts", facts]) == 0
    capsys.readouterr()
    assert main(["index", "--status", "--facts", facts]) == 0
    os.utime(beta, (2, 2))  # only touched: its content is what the index holds
    assert main(["index", "--status", "--facts", facts]) == 0
    assert main(["index", "--facts", facts]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_build_reports_progress(mini_tree: Path) -> None:
    calls: list[tuple[int, int]] = []
    open_store(_facts(mini_tree), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_a_quick_build_prints_nothing(mini_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "甲", "--facts", str(_facts(mini_tree))]) == 0
    assert capsys.readouterr().err == ""


def test_no_cache_folder_still_reads_the_files(
    mini_tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the fallback's private folder: here
    store = open_store(_facts(mini_tree))
    assert len(store.base) == 13 and not store.problems
    assert "it is kept in" in store.notices[0] and list(tmp_path.glob("povtui-*/index-*.sqlite"))
    (tmp_path / f"povtui-{os.getuid()}").chmod(0o755)  # not private any more: the files, read directly
    store = open_store(_facts(mini_tree))
    assert len(store.base) == 13 and not store.problems and "reading the files directly" in store.notices[-1]


def test_a_shared_index_is_read_while_current(mini_tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A team's index in POVTUI_INDEX_DIR: read-only users use it while it is current, and
    their own index once a pull has made it stale."""
    shared = tmp_path / "shared"
    monkeypatch.setenv("POVTUI_INDEX_DIR", str(shared))
    open_store(_facts(mini_tree))  # the curator's account builds it
    assert index_path(_facts(mini_tree)).parent == shared
    writable = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if str(path).startswith(str(shared)) else writable(path, mode)
    )
    assert choose_index(_facts(mini_tree)).parent == shared
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 803", 1), encoding="utf-8")
    assert choose_index(_facts(mini_tree)).parent != shared
    store = open_store(_facts(mini_tree), in_memory=False)
    assert any(f.value == 803 for f in store.base.facts)


class _Tty:
    """A stderr that says it is a terminal and keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_the_app_shows_a_still_progress_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the app starts, a long build shows one line, rewritten at most once a second."""
    from tui.cli import common as cliutil

    clock = [100.0]
    monkeypatch.setattr(cliutil.time, "monotonic", lambda: clock[0])
    err = _Tty()
    monkeypatch.setattr(cliutil.sys, "stderr", err)
    progress = cliutil.BuildProgress(still=True)
    progress(10, 2800)  # within the first second: nothing
    assert err.text == ""
    for step in range(1, 31):  # ten calls a second for three seconds
        clock[0] = 101.0 + step / 10
        progress(10 * step, 2800)
    assert err.text.count("\r") == 3 and "of 2,800 county files" in err.text
    progress(2800, 2800)
    assert err.text.endswith("\r\x1b[K")  # the line is cleared for the app
    assert "\x1b[?" not in err.text and "\n" not in err.text


def test_a_build_without_a_terminal_says_so_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import common as cliutil

    clock = [0.0]
    monkeypatch.setattr(cliutil.time, "monotonic", lambda: clock[0])
    progress = cliutil.BuildProgress()
    clock[0] = 2.0
    for done in range(1, 5):
        progress(done, 4)
    assert capsys.readouterr().err == "povtui: indexing 4 county files (once: later starts reuse the index)\n"


def test_a_long_build_on_a_terminal_draws_a_bar_and_takes_it_away(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cli import common as cliutil

    clock = [0.0]
    monkeypatch.setattr(cliutil.time, "monotonic", lambda: clock[0])
    err = _Tty()
    monkeypatch.setattr(cliutil.sys, "stderr", err)
    progress = cliutil.BuildProgress()
    clock[0] = 1.5
    for done in range(1, 101):
        progress(done, 100)
    assert progress.finished and progress.bar is not None
    assert "indexing county files" in err.text


def test_an_index_can_be_read_by_others(mini_tree: Path) -> None:
    """A shared index is written by one account and read by the others."""
    open_store(_facts(mini_tree))
    assert index_path(_facts(mini_tree)).stat().st_mode & 0o777 == 0o644


def test_someone_elses_stale_index_is_replaced_not_used(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index file we cannot write (another account's) in a folder we can: used while
    current, built anew once stale, never read stale."""
    open_store(_facts(mini_tree))
    path = index_path(_facts(mini_tree))
    writable = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(path) else writable(p, mode))
    beta = _facts(mini_tree) / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value = 800", "value = 804", 1), encoding="utf-8")
    store = open_store(_facts(mini_tree), in_memory=False)
    assert any(f.value == 804 for f in store.base.facts)


def test_refresh_says_how_many_files_changed(mini_tree: Path) -> None:
    open_store(_facts(mini_tree))
    assert refresh(_facts(mini_tree)) == 0
    for name in ("alpha.toml", "beta.toml"):
        with open(_facts(mini_tree) / name, "a", encoding="utf-8") as handle:
            handle.write("\n# edited\n")
    assert refresh(_facts(mini_tree)) == 2
    assert status(_facts(mini_tree)).current and refresh(_facts(mini_tree)) == 0


def test_an_abandoned_build_file_is_removed_by_the_next_build(mini_tree: Path) -> None:
    target = index_path(_facts(mini_tree))
    target.parent.mkdir(parents=True, exist_ok=True)
    abandoned = target.parent / f".{target.stem}-dead1234.build"
    running = target.parent / f".{target.stem}-live5678.build"  # another process writing now
    other = target.parent / ".index-0123456789abcdef-old.build"  # another tree's: not ours to judge
    for path in (abandoned, running, other):
        path.write_bytes(b"half an index")
    old = time.time() - build.ABANDONED_AFTER - 60
    os.utime(abandoned, (old, old))
    os.utime(other, (old, old))
    open_store(_facts(mini_tree), rebuild=True)
    assert not abandoned.exists() and running.exists() and other.exists()


def test_a_build_cut_off_by_a_hang_up_leaves_no_file(tmp_path: Path) -> None:
    """A dropped SSH connection during a first build: the half-built file is removed."""
    import signal
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from synth import generate

    generate(tmp_path / "tree", 600, 40)
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "POVTUI_FACTS": str(tmp_path / "tree" / "facts")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "index", "--rebuild"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(cache.glob("povtui/.*.build")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(cache.glob("povtui/.*.build")), "the build never started"
        time.sleep(0.3)
        os.killpg(process.pid, signal.SIGHUP)  # as the terminal's session ends
        assert process.wait(timeout=60) != 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not list(cache.glob("povtui/.*.build")) and not list(cache.glob("povtui/*.sqlite"))
