"""`povtui check`: quotes, numbers in quotes, duplicates, coverage; and the shipped facts pass."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_loader import _line_of, _replace
from tui.factfiles.check import check, read_seed
from tui.factfiles.loader import load
from tui.paths import bundled_root


def _problems(root: Path, coverage: bool = False) -> list:  # type: ignore[type-arg]
    base, problems = load(root / "facts")
    return problems + check(base, with_coverage=coverage)


def test_fixture_tree_is_clean_with_coverage(mini_tree: Path) -> None:
    assert _problems(mini_tree, coverage=True) == []


def test_shipped_facts_have_no_problems_and_full_coverage() -> None:
    root = bundled_root()
    base, problems = load(root / "facts")
    problems += check(base, with_coverage=True)
    assert [str(p) for p in problems] == []
    assert {c.id for c in base.counties} >= {"shizhu", "fengjie", "tongnan", "qianjiang"}


def test_quote_not_in_source(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(path, 'quote = "投入资金1.2亿元"', 'quote = "投入资金1.2亿圆"')
    [problem] = _problems(mini_tree)
    assert problem.line == _line_of(path, "1.2亿圆") - 9  # the fact's header
    assert "quote not found in seeds/beta.txt" in problem.message
    assert "differs at «圆»" in problem.message


def test_value_not_in_quote(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(path, "value = 1.2\n", "value = 1.3\n")
    [problem] = _problems(mini_tree)
    assert "the value 1.3 is not written in the quote" in problem.message
    assert problem.path.endswith("beta.toml")


def test_duplicate_fact(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    text = path.read_text(encoding="utf-8")
    block = text[
        text.index('[[fact]]\nmetric = "funding.total_invested"') : text.index(
            '[[fact]]\nmetric = "poverty.beneficiaries"'
        )
    ]
    path.write_text(text + "\n" + block.replace('quote = "投入资金1.2亿元"', 'quote = "1.2亿元"'), encoding="utf-8")
    problems = _problems(mini_tree)
    assert len(problems) == 1 and "duplicate of the fact at" in problems[0].message


def test_coverage_lists_numbers_no_fact_covers(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "alpha.toml"
    _replace(path, 'quote = "第3版"', 'quote = "第3版。"')  # no longer found: 3 is uncovered
    problems = _problems(mini_tree, coverage=True)
    uncovered = [p for p in problems if "not covered" in p.message]
    assert len(uncovered) == 1
    assert uncovered[0].path == "seeds/alpha.txt" and uncovered[0].line == 5
    assert "number 3 " in uncovered[0].message


def test_control_characters_are_a_warning(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(path, 'scope = "county"', 'scope = "county\\u001b[2J"')
    problems = _problems(mini_tree)
    assert any(p.severity == "warning" and "U+001B" in p.message for p in problems)


def test_seed_lines_map_back_to_the_file() -> None:
    base, _ = load(bundled_root() / "facts")
    source = base.sources[0]
    seed = read_seed(Path(base.root), source)
    assert "\n" not in seed.text
    assert seed.line_of(0) == 1
