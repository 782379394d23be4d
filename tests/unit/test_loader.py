"""The loader: what it builds from good files, and one case per kind of bad input.

Every problem must name the right file and line, and one broken county must not hide the rest.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import MINI
from tui.factfiles.loader import load


def _load(root: Path):  # type: ignore[no-untyped-def]
    return load(root / "facts")


def test_fixture_tree_loads_cleanly() -> None:
    base, problems = load(MINI / "facts")
    assert problems == []
    assert [c.id for c in base.counties] == ["alpha", "beta"]
    assert len(base) == 13
    fund = base.select(county="alpha", metric="funding.total_invested")[0]
    assert (fund.value, fund.unit, fund.canonical, fund.base) == (Decimal("3.75"), "亿元", Decimal(375000000), "元")
    cadres = base.select(county="alpha", metric="funding.cadres")[0]
    assert (cadres.bound, cadres.value, cadres.value_max, cadres.scope) == ("range", 2, 3, "甲镇")
    exit_date = base.fact("alpha-exit")
    assert (exit_date.value, exit_date.canonical, exit_date.base) == ("2019-04", "2019-04", "date")


def test_fact_ids_are_stable_across_loads() -> None:
    first, _ = load(MINI / "facts")
    second, _ = load(MINI / "facts")
    assert [f.id for f in first] == [f.id for f in second]
    assert all(f.id.startswith(f.county + "-") for f in first)


def test_disagreeing_sources_are_both_kept() -> None:
    base, _ = load(MINI / "facts")
    lifted = base.select(county="alpha", metric="poverty.people_lifted")
    assert sorted(f.value for f in lifted) == [5900, 6000]
    assert base.disagreements(lifted[0]) == (lifted[1],)


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


# name, file, old text, new text, the line's marker in the new file, expected message fragment
BROKEN = [
    ("toml syntax", "alpha.toml", "value = 4800", "value = = 4800", "value = = 4800", "TOML syntax error"),
    ("missing field", "alpha.toml", 'quote = "贫困发生率为9.5%"\n', "", None, "missing 'quote'"),
    (
        "unknown field",
        "alpha.toml",
        'bound = "more_than"',
        'bound = "more_than"\nbonud = 1',
        "bonud",
        "unknown field 'bonud'",
    ),
    ("wrong type", "alpha.toml", 'when = "2014..2020"', "when = 2014", "when = 2014", "'when' must be a string"),
    (
        "bad bound",
        "alpha.toml",
        'bound = "more_than"',
        'bound = "plenty"',
        'bound = "plenty"',
        "bound 'plenty' must be one of",
    ),
    ("bad kind", "beta.toml", 'kind = "achieved"', 'kind = "done"', 'kind = "done"', "kind 'done' must be one of"),
    ("bad when", "beta.toml", 'when = "2020"', 'when = "last year"', 'when = "last year"', "when 'last year' must be"),
    (
        "unknown metric",
        "alpha.toml",
        'metric = "poverty.incidence"',
        'metric = "poverty.incidenc"',
        "poverty.incidenc",
        "did you mean poverty.incidence",
    ),
    ("unconvertible unit", "alpha.toml", 'unit = "亿元"', 'unit = "亿人"', 'unit = "亿人"', "does not convert"),
    ("unknown unit", "beta.toml", 'unit = "万人"', 'unit = "万只羊"', 'unit = "万只羊"', "unknown unit"),
    (
        "unknown source",
        "beta.toml",
        'source = "beta-news"\nquote = "投入',
        'source = "beta-nws"\nquote = "投入',
        'source = "beta-nws"',
        "unknown source 'beta-nws'",
    ),
    (
        "missing source file",
        "beta.toml",
        'file = "seeds/beta.txt"',
        'file = "seeds/gamma.txt"',
        "seeds/gamma.txt",
        "not found",
    ),
    ("range without max", "alpha.toml", "value_max = 3\n", "", 'bound = "range"', "needs a value_max"),
    ("county id differs", "beta.toml", 'id = "beta"', 'id = "gamma"', 'id = "gamma"', "differs from the file name"),
    ("missing county", "beta.toml", "[county]", "[countee]", "[countee]", "unknown table or key 'countee'"),
    ("date value not a date", "alpha.toml", 'value = "2019-04"', 'value = "April 2019"', "April 2019", "a date value"),
    ("range max below value", "alpha.toml", "value_max = 3", "value_max = 1", "value_max = 1", "must be above value"),
    ("bad source date", "beta.toml", 'date = "2021-01-05"', 'date = "5 Jan"', 'date = "5 Jan"', "must be YYYY"),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "marker", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_problem_names_file_and_line(
    mini_tree: Path, name: str, file: str, old: str, new: str, marker: str | None, message: str
) -> None:
    path = mini_tree / "facts" / file
    expected_line = None
    if marker is None:  # a removed key is reported at its table's header
        text = path.read_text(encoding="utf-8")
        expected_line = text[: text.rindex("[[fact]]", 0, text.index(old))].count("\n") + 1
    _replace(path, old, new)
    if marker is not None:
        expected_line = _line_of(path, marker)
    base, problems = _load(mini_tree)
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{name}: no problem reported"
    problem = errors[0]
    assert problem.path.endswith(f"facts/{file}"), problem
    assert message in problem.message, problem
    assert problem.line == expected_line, problem
    # the other county always survives
    other = "beta" if file == "alpha.toml" else "alpha"
    assert other in {c.id for c in base.counties}
    assert base.select(county=other)


def test_one_broken_file_keeps_the_other_counties(mini_tree: Path) -> None:
    (mini_tree / "facts" / "alpha.toml").write_text("[county\nid = ", encoding="utf-8")
    base, problems = _load(mini_tree)
    assert [c.id for c in base.counties] == ["beta"]
    assert len(base.select(county="beta")) == 5
    assert problems[0].path.endswith("alpha.toml") and problems[0].line == 1


def test_non_utf8_file_is_named_with_its_line(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    base, problems = _load(mini_tree)
    assert "not valid UTF-8" in problems[0].message
    assert problems[0].line == 3  # 乙区 is on line 3
    assert [c.id for c in base.counties] == ["alpha"]


def test_byte_order_mark_is_a_warning_only(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    base, problems = _load(mini_tree)
    assert [p.severity for p in problems] == ["warning"]
    assert len(base.counties) == 2


def test_duplicate_county_across_files(mini_tree: Path) -> None:
    text = (mini_tree / "facts" / "beta.toml").read_text(encoding="utf-8")
    (mini_tree / "facts" / "zeta.toml").write_text(text, encoding="utf-8")
    base, problems = _load(mini_tree)
    messages = [str(p) for p in problems if "already defined" in p.message]
    assert len(messages) == 1 and "zeta.toml:2" in messages[0]
    assert len(base.select(county="beta")) == 5


def test_directory_in_place_of_a_file(mini_tree: Path) -> None:
    (mini_tree / "facts" / "gamma.toml").mkdir()
    base, problems = _load(mini_tree)
    assert any(p.path.endswith("gamma.toml") and "is a directory" in p.message for p in problems)
    assert len(base.counties) == 2


def test_empty_fact_folder(tmp_path: Path) -> None:
    (tmp_path / "facts").mkdir()
    base, problems = load(tmp_path / "facts")
    assert len(base) == 0
    assert any("metrics.toml" in p.message for p in problems)
    assert any("no county files" in p.message for p in problems)


def test_missing_fact_folder(tmp_path: Path) -> None:
    base, problems = load(tmp_path / "nowhere")
    assert len(base) == 0 and "not found" in problems[0].message


def test_unknown_theme_in_metrics(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "metrics.toml"
    _replace(path, 'theme = "funding"\nbase = "元"', 'theme = "fundng"\nbase = "元"')
    base, problems = _load(mini_tree)
    assert problems[0].line == _line_of(path, 'theme = "fundng"')
    assert "did you mean funding" in problems[0].message
    # facts of the lost metric are reported, the rest still load
    assert any("unknown metric 'funding.total_invested'" in p.message for p in problems)
    assert base.select(metric="poverty.poor_people")
