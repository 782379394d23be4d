"""The curation rules of ``povtui check`` on tests/fixtures/curation: one fact (or metric) trips
each rule, the near misses beside them trip none, and each correction makes its problem go."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import FIXTURES
from tests.unit.test_loader import _replace
from tui.domain.model import Problem
from tui.factfiles.check import check
from tui.factfiles.loader import load
from tui.factfiles.rules import RULES

EXPECTED = {  # (rule, the line's marker in the file): every problem the fixture must give
    ("plan_word", 'id = "gamma-plan-training"'),
    ("plan_word", 'id = "gamma-plan-lemons"'),
    ("yearly_average", 'id = "gamma-average"'),
    ("one_household", 'id = "gamma-household"'),
    ("same_quote", 'id = "gamma-poor-villages"'),
    ("dated_two_ways", 'id = "gamma-lifted-brief"'),
    ("same_measure_name", 'id = "poverty.lemon_planting"'),
    ("same_measure_name", 'id = "poverty.skills_training"'),
    ("unused_metric", 'id = "poverty.unused"'),
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "curation", root)
    return root


def _problems(root: Path) -> list[Problem]:
    base, problems = load(root / "facts")
    return problems + check(base, with_coverage=True)


def _marker(problem: Problem) -> str:
    """The id line of the fact or metric a problem names (a fact's line is its [[fact]] header).
    A problem's path is relative to the working folder, as the user would type it."""
    lines = Path(problem.path).read_text(encoding="utf-8").split("\n")
    line = lines[problem.line - 1]
    return line if line.startswith("id = ") else lines[problem.line]


def _found(root: Path) -> set[tuple[str, str]]:
    return {(p.key, _marker(p)) for p in _problems(root)}


def test_each_rule_finds_its_error_and_none_of_the_near_misses(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    problems = _problems(tree)
    assert {(p.key, _marker(p)) for p in problems} == EXPECTED
    assert {p.key for p in problems} == set(RULES)  # every rule has its failing fixture
    for problem in problems:
        assert problem.severity == ("warning" if problem.key == "unused_metric" else "error")
        assert f"accept = {{ {problem.key} = " in problem.message


def test_unused_metrics_are_a_question_for_the_whole_tree(tree: Path) -> None:
    base, _ = load(tree / "facts")
    assert "unused_metric" not in {p.key for p in check(base)}
    assert "unused_metric" in {p.key for p in check(base, with_coverage=True)}


def test_plan_word_messages_name_the_word(tree: Path) -> None:
    messages = [p.message for p in _problems(tree) if p.key == "plan_word"]
    assert any("«将» governs the number 3000人" in m for m in messages)
    assert any("«到2022年» governs the number 8000亩" in m for m in messages)


def test_a_plan_filed_as_a_target_is_no_problem(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    path = tree / "facts" / "gamma.toml"
    _replace(
        path,
        'kind = "achieved"\nwhen = "2020"\nsource = "gamma-plan"',
        'kind = "target"\nwhen = "2020"\nsource = "gamma-plan"',
    )
    _replace(path, 'kind = "achieved"\nwhen = "2022"', 'kind = "target"\nwhen = "2022"')
    assert {rule for rule, _ in _found(tree)} == set(RULES) - {"plan_word"}


def test_a_yearly_average_over_its_period_is_no_problem(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    path = tree / "facts" / "gamma.toml"
    _replace(
        path,
        'scope = "濯水景区"\nkind = "achieved"\nwhen = "2020"',
        'scope = "濯水景区"\nkind = "achieved"\nwhen = "2016..2020"',
    )
    assert "yearly_average" not in {rule for rule, _ in _found(tree)}


def test_a_household_figure_scoped_to_the_household_is_no_problem(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    _replace(tree / "facts" / "gamma.toml", 'scope = "柏梓镇张板村"', 'scope = "柏梓镇张板村农户张寿康家"')
    assert "one_household" not in {rule for rule, _ in _found(tree)}


@pytest.mark.parametrize(
    "quote",
    ["柏梓镇张板村农户冉某家种植20亩柠檬", "她将家里的20亩水田改种柠檬", "他家种植20亩柠檬", "全家种植20亩柠檬"],
)
def test_other_ways_of_naming_one_household(tree: Path, quote: str) -> None:
    path = tree / "facts" / "gamma.toml"
    _replace(path, 'quote = "柏梓镇张板村贫困户张寿康种植20亩柠檬"', f'quote = "{quote}"')
    assert "one_household" in {p.key for p in _problems(tree)}


def test_one_figure_twice_is_found_until_the_quote_writes_it_twice(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    problems = [p for p in _problems(tree) if p.key == "same_quote"]
    assert len(problems) == 1 and "gamma-delisted" in problems[0].message
    path = tree / "facts" / "gamma.toml"
    _replace(
        path,
        'kind = "baseline"\nwhen = "2014"\nsource = "gamma-news"\nquote = "135个贫困村全部出列"',
        'kind = "baseline"\nwhen = "2014"\nsource = "gamma-news"\nquote = "135个贫困村，135个贫困村全部出列"',
    )
    assert "same_quote" not in {p.key for p in _problems(tree)}


def test_a_cumulative_figure_dated_alike_in_both_sources_is_no_problem(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    _replace(tree / "facts" / "gamma.toml", 'when = "2020-12-31"', 'when = "2014..2020"')
    assert "dated_two_ways" not in {rule for rule, _ in _found(tree)}


def test_the_same_value_in_two_separate_years_is_no_problem(tree: Path) -> None:
    _replace(tree / "facts" / "gamma.toml", 'when = "2020-12-31"', 'when = "2021"')
    _replace(
        tree / "facts" / "gamma.toml",
        'when = "2014..2020"\nsource = "gamma-news"\nquote = "丙县累计',
        'when = "2014..2019"\nsource = "gamma-news"\nquote = "丙县累计',
    )
    assert "dated_two_ways" not in {p.key for p in _problems(tree)}


def test_accept_silences_a_rule_and_an_accept_no_rule_needs_is_a_warning(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    path = tree / "facts" / "gamma.toml"
    _replace(
        path,
        'id = "gamma-poor-villages"\n',
        'id = "gamma-poor-villages"\naccept = { same_quote = "derived from the delisting" }\n',
    )
    _replace(path, 'id = "gamma-water"\n', 'id = "gamma-water"\naccept = { plan_word = "no plan word here" }\n')
    metrics = tree / "facts" / "metrics.toml"
    _replace(
        metrics,
        'id = "poverty.unused"\n',
        'id = "poverty.unused"\naccept = { unused_metric = "kept for the next county" }\n',
    )
    problems = _problems(tree)
    keys = {p.key for p in problems}
    assert "same_quote" not in keys and "unused_metric" not in keys
    [warning] = [p for p in problems if p.key == "accept"]
    assert warning.severity == "warning" and "accept of 'plan_word' is not needed" in warning.message
    assert _marker(warning) == 'id = "gamma-water"'


def test_an_accept_of_an_unknown_rule_or_with_no_reason_is_an_error(tree: Path) -> None:
    path = tree / "facts" / "gamma.toml"
    _replace(path, 'id = "gamma-water"\n', 'id = "gamma-water"\naccept = { plan_words = "typo", same_quote = " " }\n')
    messages = [p.message for p in _problems(tree) if p.key == "accept" and p.severity == "error"]
    assert any("unknown check rule 'plan_words'; did you mean plan_word?" in m for m in messages)
    assert any("the reason for 'same_quote' is empty" in m for m in messages)


def test_accept_must_be_a_table_of_reasons(tree: Path) -> None:
    path = tree / "facts" / "gamma.toml"
    _replace(path, 'id = "gamma-water"\n', 'id = "gamma-water"\naccept = ["plan_word"]\n')
    base, problems = load(tree / "facts")
    assert any(p.key == "accept" and "must be a table of strings" in p.message for p in problems)
    assert "gamma-water" not in {f.id for f in base}


def test_rules_on_the_shipped_facts_are_quick() -> None:
    import time

    from tui.factfiles.rules import curation_problems
    from tui.paths import bundled_root

    base, _ = load(bundled_root() / "facts")
    started = time.perf_counter()
    curation_problems(base)
    assert time.perf_counter() - started < 1.0
