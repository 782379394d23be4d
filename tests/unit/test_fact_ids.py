"""Citation ids: stable across corrections, unique, only [a-z0-9-], never another county's, and a
former id still resolves (reliability review H1, H5, M1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_loader import _line_of, _replace
from tui.factfiles.ids import DERIVED_LENGTH, derived_id, id_problem
from tui.factfiles.loader import fact_id, load

RAW = {
    "source": "alpha-story",
    "metric": "poverty.poor_households",
    "scope": "county",
    "kind": "baseline",
    "when": "2014",
    "value": 1200,
    "quote": "2014年,甲县识别贫困户1200户4800人",
}


@pytest.mark.parametrize(
    ("key", "corrected"),
    [
        ("value", 1300),
        ("value", 1200.0),
        ("when", "2014-12"),
        ("metric", "poverty.poor_people"),
        ("kind", "achieved"),
        ("scope", "甲镇"),
    ],
)
def test_a_derived_id_survives_a_correction(key: str, corrected: object) -> None:
    assert fact_id("alpha", {**RAW, key: corrected}) == fact_id("alpha", RAW)


@pytest.mark.parametrize(("key", "other"), [("source", "alpha-brief"), ("quote", "2014年,甲县识别贫困户1200户")])
def test_a_derived_id_names_its_source_and_quote(key: str, other: str) -> None:
    assert fact_id("alpha", {**RAW, key: other}) != fact_id("alpha", RAW)


def test_a_derived_id_has_more_than_24_bits_and_no_collision_in_a_big_county() -> None:
    ids = {derived_id("big", "big-news", f"累计脱贫{n}人") for n in range(30_000)}
    assert len(ids) == 30_000  # 6 hex digits lost 15 facts of such a county
    suffix = derived_id("big", "big-news", "x").removeprefix("big-")
    assert len(suffix) == DERIVED_LENGTH and DERIVED_LENGTH * 5 > 24 and id_problem(f"big-{suffix}", "big") is None


def test_loaded_ids_do_not_move_when_a_fact_is_corrected(mini_tree: Path) -> None:
    before, _ = load(mini_tree / "facts")
    path = mini_tree / "facts" / "alpha.toml"
    _replace(
        path,
        'value = 1200\nunit = "户"\nbound = "exact"\nscope = "county"\nkind = "baseline"\nwhen = "2014"',
        'value = 1201\nunit = "户"\nbound = "about"\nscope = "甲镇"\nkind = "achieved"\nwhen = "2014-12"',
    )
    after, _ = load(mini_tree / "facts")
    assert [f.id for f in before] == [f.id for f in after]


def test_facts_of_one_quote_get_different_ids(mini_tree: Path) -> None:
    base, _ = load(mini_tree / "facts")
    households, people = base.select(county="alpha", source="alpha-story")[:2]
    assert households.quote == people.quote and households.id != people.id


@pytest.mark.parametrize(
    ("fact_id_", "why"),
    [
        ("beta-x\x1b]0;t\x07", "may hold only lower-case ascii letters, digits and '-'"),
        ("beta-Exit", "may hold only lower-case ascii letters"),
        ("beta-exit_2", "may hold only lower-case ascii letters"),
        ("beta-\u202eexit", "may hold only lower-case ascii letters"),
        ("beta-", "must be 'beta-' and then letters and digits"),
        ("beta--x", "must be 'beta-' and then letters and digits"),
        ("alpha-exit", "must start with its county's id and a hyphen, 'beta-'"),
        ("betax-1", "must start with its county's id and a hyphen, 'beta-'"),
        ("", "must start with its county's id"),
    ],
)
def test_a_bad_or_foreign_id_is_an_error_and_its_fact_is_not_loaded(mini_tree: Path, fact_id_: str, why: str) -> None:
    path = mini_tree / "facts" / "beta.toml"
    escaped = fact_id_.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        f'[[fact]]\nid = "{escaped}"\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    [problem] = [p for p in problems if p.severity == "error"]  # control characters are also warned about
    assert (problem.key, problem.line) == ("id", _line_of(path, f'id = "{escaped}"'))
    assert why in problem.message and "this fact is not loaded" in problem.message
    assert base.select(county="beta", metric="funding.total_invested") == ()
    assert base.fact("alpha-exit").county == "alpha"  # another county's id is never taken over


def test_a_second_claim_on_an_id_is_an_error_and_the_first_fact_keeps_it(mini_tree: Path) -> None:
    base, _ = load(mini_tree / "facts")
    first = base.select(county="beta", metric="poverty.poor_households")[0]
    path = mini_tree / "facts" / "beta.toml"
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        f'[[fact]]\nid = "{first.id}"\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    [problem] = problems
    assert problem.severity == "error" and f"fact id '{first.id}' is used twice (also " in problem.message
    assert f"beta.toml:{first.line})" in problem.message and "this fact is not loaded" in problem.message
    assert base.fact(first.id).metric == "poverty.poor_households"


def test_a_former_id_resolves_to_the_fact(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        '[[fact]]\nid = "beta-funds"\nformer_ids = ["beta-9ac1c8"]\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    assert problems == []
    assert base.current_id("beta-9ac1c8") == "beta-funds"  # cited before the id changed: "is now beta-funds"
    assert base.current_id("beta-funds") == "beta-funds"  # not an alias
    assert base.current_id("beta-000000") is None
    assert not base.has_fact("beta-9ac1c8") and base.fact("beta-funds").former_ids == ("beta-9ac1c8",)


@pytest.mark.parametrize(
    ("former", "why"),
    [
        ('["alpha-old"]', "former id 'alpha-old' must start with its county's id and a hyphen, 'beta-'"),
        ('["beta-OLD"]', "former id 'beta-OLD' may hold only"),
        ('["beta-funds"]', "former id 'beta-funds' is the fact's own id"),
        ('["beta-old", "beta-old"]', "former id 'beta-old' is listed twice"),
    ],
)
def test_a_bad_former_id_is_an_error(mini_tree: Path, former: str, why: str) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        f'[[fact]]\nid = "beta-funds"\nformer_ids = {former}\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    [problem] = problems
    assert problem.severity == "error" and problem.key == "former_ids" and why in problem.message
    assert base.current_id("alpha-old") is None and base.has_fact("beta-funds")


def test_a_former_id_that_another_fact_holds_is_an_error(mini_tree: Path) -> None:
    base, _ = load(mini_tree / "facts")
    taken = base.select(county="beta", metric="poverty.poor_households")[0].id
    path = mini_tree / "facts" / "beta.toml"
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        f'[[fact]]\nid = "beta-funds"\nformer_ids = ["{taken}"]\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    [problem] = problems
    assert problem.key == "former_ids" and f"former id '{taken}' is used twice" in problem.message
    assert base.current_id(taken) == taken and base.fact("beta-funds").former_ids == ()


def test_an_id_that_is_another_facts_former_id_is_an_error(mini_tree: Path) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(
        path,
        '[[fact]]\nmetric = "poverty.poor_households"',
        '[[fact]]\nid = "beta-households"\nformer_ids = ["beta-old"]\nmetric = "poverty.poor_households"',
    )
    _replace(
        path,
        '[[fact]]\nmetric = "funding.total_invested"',
        '[[fact]]\nid = "beta-old"\nmetric = "funding.total_invested"',
    )
    base, problems = load(mini_tree / "facts")
    [problem] = problems
    assert "fact id 'beta-old' is already a former id of the fact at" in problem.message
    assert base.current_id("beta-old") == "beta-households"


@pytest.mark.parametrize("county", ["be-ta", "be_ta", "be.ta", "Beta"])
def test_a_county_id_is_letters_and_digits_only(mini_tree: Path, county: str) -> None:
    path = mini_tree / "facts" / "beta.toml"
    _replace(path, 'id = "beta"', f'id = "{county}"')
    base, problems = load(mini_tree / "facts")
    assert any(p.key == "id" and "must be lower-case ascii letters and digits" in p.message for p in problems)
    assert "beta" not in {c.id for c in base.counties}
