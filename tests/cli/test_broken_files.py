"""Broken files: each gives a clear problem naming the file, the rest still loads, nothing hangs.

The cases tests/unit/test_loader.py already covers (a TOML syntax error, a GB18030 county file, a
byte-order mark, a duplicate county, a directory named like a county file, an empty or missing
facts/) are not repeated here.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import leaked, run_cli
from tui.domain.model import FactBase, Problem
from tui.factfiles import tomlfile
from tui.factfiles.check import check
from tui.factfiles.loader import load


def _load(root: Path, seconds: float = 10) -> tuple[FactBase, list[Problem]]:
    """Load and check the tree in a thread: a hang fails the test instead of stalling the suite."""
    result: list[tuple[FactBase, list[Problem]]] = []

    def work() -> None:
        base, problems = load(root / "facts")
        result.append((base, problems + check(base)))

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"loading took more than {seconds} s"
    return result[0]


def _only(problems: list[Problem], name: str, key: str | None = None) -> Problem:
    """The one error about the file ``name`` (and ``key``, when given)."""
    found = [p for p in problems if p.severity == "error" and Path(p.path).name == name and key in (None, p.key)]
    assert len(found) == 1, problems
    return found[0]


def _others_intact(base: FactBase, *counties: str) -> None:
    expected = {"alpha": 8, "beta": 5}
    for county in counties:
        assert len(base.select(county=county)) == expected[county], county


def _error_lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


# --- files that cannot be read --------------------------------------------------------------


def test_an_unreadable_county_file(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not stop root, who runs these tests: the read itself is made to fail."""
    real = tomlfile.read_bounded

    def refuse(path: Path) -> bytes:
        if path.name == "beta.toml":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(tomlfile, "read_bounded", refuse)
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml")
    assert problem.message == "cannot read: Permission denied" and problem.line == 0
    _others_intact(base, "alpha")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_a_chmod_000_county_file(mini_tree: Path) -> None:  # pragma: no cover - runs as non-root only
    path = mini_tree / "facts" / "beta.toml"
    path.chmod(0)
    try:
        base, problems = _load(mini_tree)
    finally:
        path.chmod(0o644)
    assert "Permission denied" in _only(problems, "beta.toml").message
    _others_intact(base, "alpha")


def test_an_unreadable_seed(mini_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tomlfile.read_bounded

    def refuse(path: Path) -> bytes:
        if path.name == "beta.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("tui.factfiles.check.read_bounded", refuse)
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.txt")
    assert problem.path == "seeds/beta.txt" and "cannot read: Permission denied" in problem.message
    _others_intact(base, "alpha", "beta")  # the facts stay; only their quotes go unchecked


# --- something else where a file should be ---------------------------------------------------


def _replace_with(kind: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.unlink()
        if kind == "directory":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "device":
            path.symlink_to("/dev/zero")
        elif kind == "loop":
            path.symlink_to(path.name)
        elif kind == "dangling":
            path.symlink_to("nowhere")

    return make


ODD = [
    ("directory", "is a directory"),
    ("fifo", "is not a regular file"),  # reading a FIFO would block for ever
    ("device", "is not a regular file"),  # /dev/zero never ends
    ("loop", "is a symbolic link loop"),
    ("dangling", "is a symbolic link to a missing file"),
]


@pytest.mark.parametrize(("kind", "message"), ODD, ids=[k for k, _ in ODD])
def test_odd_thing_in_place_of_a_county_file(mini_tree: Path, kind: str, message: str) -> None:
    _replace_with(kind)(mini_tree / "facts" / "beta.toml")
    base, problems = _load(mini_tree)
    assert message in _only(problems, "beta.toml").message
    _others_intact(base, "alpha")


@pytest.mark.parametrize(("kind", "message"), ODD, ids=[k for k, _ in ODD])
def test_odd_thing_in_place_of_metrics_toml(mini_tree: Path, kind: str, message: str) -> None:
    _replace_with(kind)(mini_tree / "facts" / "metrics.toml")
    base, problems = _load(mini_tree)
    problem = problems[0]
    assert problem.path.endswith("facts/metrics.toml") and message in problem.message, problem
    assert [c.id for c in base.counties] == ["alpha", "beta"]  # the counties load; their facts name unknown metrics
    assert len(base) == 0 and all("unknown metric" in p.message for p in problems[1:] if p.severity == "error")


@pytest.mark.parametrize(("kind", "message"), ODD, ids=[k for k, _ in ODD])
def test_odd_thing_in_place_of_a_seed(mini_tree: Path, kind: str, message: str) -> None:
    _replace_with(kind)(mini_tree / "seeds" / "beta.txt")
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml", "file")
    assert "seeds/beta.txt" in problem.message and message in problem.message
    cascade = [p for p in problems if p.key == "source"]
    assert cascade and all("is not loaded: its file has a problem (line 12)" in p.message for p in cascade)
    _others_intact(base, "alpha")


def test_a_symlink_loop_among_the_county_files(mini_tree: Path) -> None:
    (mini_tree / "facts" / "loop1.toml").symlink_to("loop2.toml")
    (mini_tree / "facts" / "loop2.toml").symlink_to("loop1.toml")
    (mini_tree / "facts" / "up.toml").symlink_to(".")  # a link back to the folder itself
    base, problems = _load(mini_tree)
    assert {Path(p.path).name: p.message for p in problems} == {
        "loop1.toml": "is a symbolic link loop",
        "loop2.toml": "is a symbolic link loop",
        "up.toml": "is a directory, expected a TOML file",
    }
    _others_intact(base, "alpha", "beta")


def test_a_fact_folder_that_is_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "facts").symlink_to("facts")
    base, problems = _load(tmp_path)
    assert len(base) == 0 and "fact folder not found" in problems[0].message


# --- size ---------------------------------------------------------------------------------------


def test_a_50_mb_county_file_is_refused_without_being_read(mini_tree: Path) -> None:
    with open(mini_tree / "facts" / "huge.toml", "wb") as handle:
        handle.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    base, problems = _load(mini_tree, seconds=5)
    assert "52,428,803 bytes, over the 5,242,880-byte limit" in _only(problems, "huge.toml").message
    _others_intact(base, "alpha", "beta")


def test_a_50_mb_seed_is_refused(mini_tree: Path) -> None:
    with open(mini_tree / "seeds" / "beta.txt", "ab") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: as large as it says, instantly
    base, problems = _load(mini_tree, seconds=5)
    assert "over the 5,242,880-byte limit" in _only(problems, "beta.toml", "file").message
    _others_intact(base, "alpha")


def test_a_file_that_grows_after_it_was_measured_is_not_read_past_the_limit(
    mini_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tomlfile, "MAX_BYTES", 100)
    monkeypatch.setattr(tomlfile, "unreadable", lambda path, expected="": None)  # it looked small
    base, problems = _load(mini_tree)
    refused = [p for p in problems if p.path.endswith(".toml")]
    assert len(refused) == 3 and all("cannot read: over the 100-byte limit" in p.message for p in refused)


def test_a_bracket_and_spaces_in_a_note_do_not_stall_the_line_finder(mini_tree: Path) -> None:
    """A '[' and many spaces in a multi-line note took the old header pattern cubic time: 3,000
    spaces, 20 s (and it holds the GIL, so no thread can time it out); now microseconds."""
    path = mini_tree / "facts" / "beta.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('date = "2021-01-05"', 'date = "2021-01-05"\ndate_note = """\n[' + " " * 3_000 + 'x\n"""'),
        encoding="utf-8",
    )
    started = time.process_time()
    base, problems = load(mini_tree / "facts")
    assert time.process_time() - started < 2
    assert problems == []
    _others_intact(base, "alpha", "beta")


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "message", "line"),
    [
        ("utf-16", "is UTF-16 text; save the file as UTF-8", 1),
        ("latin-1", "not valid UTF-8", 3),
        ("big5", "not valid UTF-8", 3),
        ("shift_jis", "not valid UTF-8", 3),
    ],
)
def test_a_county_file_in_another_encoding(mini_tree: Path, encoding: str, message: str, line: int) -> None:
    path = mini_tree / "facts" / "beta.toml"
    text = path.read_text(encoding="utf-8")
    if encoding == "latin-1":
        text = text.replace("乙区", "Béta")
    path.write_bytes(text.encode(encoding, errors="replace"))
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml")
    assert message in problem.message and problem.line == line, problem
    _others_intact(base, "alpha")


def test_a_seed_in_gb18030_is_named_with_its_line(mini_tree: Path) -> None:
    path = mini_tree / "seeds" / "beta.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.txt")
    assert (problem.path, problem.line) == ("seeds/beta.txt", 1)
    assert problem.message.startswith("not valid UTF-8 (byte 0); save the file as UTF-8")
    _others_intact(base, "alpha", "beta")


def test_byte_order_marks_in_a_seed_and_in_metrics_toml(mini_tree: Path) -> None:
    for path in (mini_tree / "seeds" / "beta.txt", mini_tree / "facts" / "metrics.toml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    base, problems = _load(mini_tree)
    assert _error_lines(problems) == []
    assert [Path(p.path).name for p in problems] == ["metrics.toml"]  # a warning: the seed's BOM is just skipped
    _others_intact(base, "alpha", "beta")


def test_crlf_and_raw_line_separators_keep_the_line_numbers_right(mini_tree: Path) -> None:
    """TOML ends lines at \\n only; a U+2028 or U+0085 inside a string is not a line break."""
    path = mini_tree / "facts" / "beta.toml"
    text = path.read_text(encoding="utf-8").replace('title = "乙区新闻"', 'title = "乙区\u2028新闻\x85"')
    text = text.replace('kind = "achieved"', 'kind = "done"', 1)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    _, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml")
    assert problem.line == text.split("\n").index('kind = "done"') + 1, problem


# --- odd contents -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "missing the [county] table"),
        ("[county]", "[county] is missing 'id'"),
        ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        (
            "[county]\nname" + ".b" * 900 + " = 1",
            "'name' must be a string, not dict {'b': {'b': {...}}}",
        ),  # repr() recursed
        ("[county]\nname" + ".b" * 3000 + " = 1", "nested too deeply"),
        ("a = " + "9" * 5000, "TOML value cannot be read"),
        ("\x00", "TOML syntax error"),
    ],
    ids=["empty", "empty county", "deep arrays", "deep tables", "deeper tables", "5000 digits", "NUL"],
)
def test_odd_contents_of_a_county_file(mini_tree: Path, content: str, message: str) -> None:
    (mini_tree / "facts" / "odd.toml").write_text(content, encoding="utf-8")
    base, problems = _load(mini_tree)
    errors = [p for p in problems if p.severity == "error"]
    assert all(p.path.endswith("facts/odd.toml") for p in problems)
    assert any(message in p.message for p in errors), errors
    _others_intact(base, "alpha", "beta")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("inf", "inf is not a finite number"),
        ("nan", "nan is not a finite number"),
        ('"NaN"', "'NaN' is not a finite number"),
        ('"1e999999999"', "'1e999999999' is out of range"),
        ("1" + "0" * 40, "is out of range"),
        ('"abc"', "'abc' is not a number"),
    ],
)
def test_a_value_that_is_not_a_finite_number(mini_tree: Path, value: str, message: str) -> None:
    path = mini_tree / "facts" / "beta.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("value = 800", f"value = {value}"), encoding="utf-8")
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml")
    assert message in problem.message and problem.key == "value", problem
    assert len(base.select(county="beta")) == 4


@pytest.mark.parametrize("value", ['"abc"', "nan", "inf", "1e40"])
def test_a_value_max_that_is_not_a_finite_number(mini_tree: Path, value: str) -> None:
    path = mini_tree / "facts" / "alpha.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("value_max = 3", f"value_max = {value}"), encoding="utf-8")
    base, problems = _load(mini_tree)
    assert _only(problems, "alpha.toml").key == "value_max"
    assert len(base.select(county="alpha")) == 7


def test_a_value_too_large_for_its_unit(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('value = 1.2\nunit = "亿元"', 'value = 1e25\nunit = "万亿元"'),
        encoding="utf-8",
    )
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml")
    assert "out of range" in problem.message and problem.key == "unit"


@pytest.mark.parametrize(
    "file",
    [
        "/etc/hostname",
        "../tree/seeds/beta.txt",
        "seeds/../../tree/seeds/beta.txt",
        "C:\\seeds\\beta.txt",
        "seeds/\x00.txt",
        "s" * 5000,
    ],
)
def test_a_source_file_outside_the_tree_or_unnameable(mini_tree: Path, file: str) -> None:
    """povtui check would otherwise read any file on the machine and quote parts of it back."""
    path = mini_tree / "facts" / "beta.toml"
    escaped = file.replace("\\", "\\\\").replace("\x00", "\\u0000")
    path.write_text(path.read_text(encoding="utf-8").replace('"seeds/beta.txt"', f'"{escaped}"'), encoding="utf-8")
    base, problems = _load(mini_tree)
    problem = _only(problems, "beta.toml", "file")
    assert problem.line == 12, problem
    _others_intact(base, "alpha")


# --- duplicates across files --------------------------------------------------------------------


def test_the_same_county_in_three_files(mini_tree: Path) -> None:
    text = (mini_tree / "facts" / "beta.toml").read_text(encoding="utf-8")
    for name in ("beta2.toml", "beta3.toml"):
        (mini_tree / "facts" / name).write_text(text, encoding="utf-8")
    base, problems = _load(mini_tree)
    twice = [p for p in problems if "already defined" in p.message]
    assert [Path(p.path).name for p in twice] == ["beta2.toml", "beta3.toml"]
    assert all("facts/beta.toml" in p.message and p.line == 2 for p in twice)
    _others_intact(base, "alpha", "beta")


def test_the_same_source_and_fact_ids_in_two_counties(mini_tree: Path) -> None:
    text = (mini_tree / "facts" / "beta.toml").read_text(encoding="utf-8").replace('id = "beta"', 'id = "gamma"')
    text = text.replace("[[fact]]\n", '[[fact]]\nid = "alpha-exit"\n', 1)
    (mini_tree / "facts" / "gamma.toml").write_text(text, encoding="utf-8")
    base, problems = _load(mini_tree)
    messages = [p.message for p in problems if p.path.endswith("gamma.toml")]
    assert "source 'beta-news' is defined twice" in messages
    assert all("gamma.toml" in p.path for p in problems)
    _others_intact(base, "alpha", "beta")


def test_a_facts_folder_holding_only_metrics(tmp_path: Path, mini_tree: Path) -> None:
    for path in (mini_tree / "facts").glob("*.toml"):
        if path.name != "metrics.toml":
            path.unlink()
    base, problems = _load(mini_tree)
    assert len(base) == 0 and [p.message for p in problems] == ["no county files (*.toml) in the fact folder"]


# --- through the command line -------------------------------------------------------------------


def test_check_prints_odd_file_names_escaped(mini_tree: Path) -> None:
    """A file name is data too: one with an escape sequence, one that is not UTF-8."""
    facts = os.fsencode(mini_tree / "facts")
    for name in (b"\x1b]0;pwned\x07.toml", b"\xff\xfe.toml"):
        with open(os.path.join(facts, name), "wb") as handle:
            handle.write(b"[county\n")
    code, out, err = run_cli(["check"], mini_tree)
    assert code == 1 and not leaked(out) and not leaked(err)
    assert "\\x1b]0;pwned\\x07.toml:1: error: TOML syntax error" in out
    assert "\\udcff\\udcfe.toml:1: error" in out
    code, out, _ = run_cli(["check", "--json"], mini_tree)
    assert code == 1 and not leaked(out)
    paths = [p["path"] for p in json.loads(out)["problems"]]
    assert any(p.endswith("\x1b]0;pwned\x07.toml") for p in paths) and any(
        p.endswith("\udcff\udcfe.toml") for p in paths
    )


@pytest.mark.parametrize("facts", ["a" * 5000, "~nobody-at-all/facts", "facts\x00", "/dev/null", "/dev/zero"])
def test_a_facts_path_that_cannot_be_a_folder(facts: str) -> None:
    code, out, err = run_cli(["show", "alpha", "--facts", facts])
    assert code == 2 and "fact folder not found" in err and "unknown county" in err
    assert not leaked(err)


def test_every_reading_command_still_works_beside_a_broken_file(mini_tree: Path) -> None:
    (mini_tree / "facts" / "broken.toml").write_bytes(b"\xff[county")
    for argv in (
        ["show", "alpha"],
        ["compare", "alpha", "beta"],
        ["sources"],
        ["sheet", "beta"],
        ["search", "脱贫"],
        ["cite", "alpha-exit"],
        ["export", "--format", "csv"],
    ):
        code, out, err = run_cli(argv, mini_tree)
        assert code == 0 and out, argv
        assert err.startswith("povtui: 1 problem(s) in the fact tree, first: ") and "broken.toml:1" in err, err
