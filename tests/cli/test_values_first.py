"""Values first when space runs short: at 80 and at 60 columns (and narrower), names and titles
wrap or are cut, a value with its bound, its kind and its date never is. On the shipped facts,
through ``main(argv)``."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from tests.helpers import REPO, run_cli
from tui.domain.model import Fact
from tui.domain.vocab import value_parts, value_text, when_text
from tui.factfiles.loader import load
from tui.paths import resolve_facts_dir

BASE, _ = load(resolve_facts_dir(str(REPO)))
WIDTHS = [80, 60, 40]


def _lines(argv: list[str], width: int) -> list[str]:
    code, out, err = run_cli([*argv, "--width", str(width)], REPO)
    assert (code, err) == (0, ""), err
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width, [line for line in lines if cell_len(line) > width]
    return lines


def _shown(lines: list[str], *forms: str) -> bool:
    return any(form in line for line in lines for form in forms if form)


def _whole(lines: list[str], fact: Fact, *forms: str) -> None:
    assert _shown(lines, *forms), (fact.id, forms)
    assert _shown(lines, when_text(fact)) or not when_text(fact), (fact.id, when_text(fact))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("county", ["石柱", "潼南"])
def test_show_wraps_names_never_values(county: str, width: int) -> None:
    lines = _lines(["show", county], width)
    code, out, _ = run_cli(["show", county, "--json"], REPO)
    for theme in json.loads(out)["themes"]:
        for shown in theme["facts"]:
            fact = BASE.fact(shown["id"])
            _whole(lines, fact, value_text(fact, "zh"))
            assert _shown(lines, fact.id) or shown["same"], fact.id


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_gives_the_names_way_never_the_values(width: int) -> None:
    argv = ["compare", "石柱", "黔江", "潼南", "奉节"]
    lines = _lines(argv, width)
    code, out, _ = run_cli([*argv, "--json"], REPO)
    for row in json.loads(out)["rows"]:
        for cell in row["cells"]:
            if cell["fact"]:
                fact = BASE.fact(cell["fact"]["id"])
                words = value_parts(fact, "zh", with_kind=False)
                symbol = value_parts(fact, "zh", with_kind=False, symbol=True)
                _whole(lines, fact, words.bound + words.written, symbol.bound + symbol.written)


@pytest.mark.parametrize("width", WIDTHS)
def test_search_cuts_names_never_values(width: int) -> None:
    lines = _lines(["search", "石柱", "搬迁", "--limit", "30", "--ids"], width)
    code, out, _ = run_cli(["search", "石柱", "搬迁", "--limit", "30", "--json"], REPO)
    for hit in json.loads(out)["hits"]:
        fact = BASE.fact(hit["id"])
        _whole(lines, fact, value_text(fact, "zh"))
        assert _shown(lines, fact.id)


@pytest.mark.parametrize("width", [60, 40])
def test_sheet_and_sources_at_narrow_widths(width: int) -> None:
    for county in ("石柱", "黔江", "潼南", "奉节"):
        lines = _lines(["sheet", county], width)
        code, out, _ = run_cli(["sheet", county, "--json"], REPO)
        for item in json.loads(out)["items"]:
            fact = BASE.fact(item["fact"]["id"])
            _whole(lines, fact, value_text(fact, "zh", with_kind=False))
    lines = _lines(["sources"], width)
    assert all(_shown(lines, source.id) for source in BASE.sources)


@pytest.mark.parametrize("command", ["show", "compare", "search", "sources", "sheet", "cite"])
def test_width_is_checked(command: str) -> None:
    argv = {"show": ["石柱"], "compare": ["石柱", "黔江"], "search": ["石柱"], "sheet": ["石柱"]}.get(command, [])
    if command == "cite":
        argv = [BASE.facts[0].id]
    code, _, err = run_cli([command, *argv, "--width", "19"], REPO)
    assert code == 2 and "--width must be between 20 and 80, not 19" in err


def test_nothing_found_repeats_at_most_sixty_characters_of_the_query() -> None:
    code, out, err = run_cli(["search", *["甲乙丙丁" * 2500] * 4])
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and len(err) < 160, err[:300]
    assert "甲乙丙丁" * 15 in err and "(40,003 characters)" in err
    code, _, err = run_cli(["search", "没有这个"])
    assert code == 1 and err == "povtui: nothing found for '没有这个'\n"


def test_search_names_are_long_enough_to_tell_metrics_apart() -> None:
    """ux-newcomer: six rows of 'sz 搬迁' read '易地扶贫搬迁…'; at 80 columns the names show whole."""
    code, out, _ = run_cli(["search", "sz", "搬迁"], REPO)
    assert code == 0
    for name in ("易地扶贫搬迁人口", "易地扶贫搬迁户数", "易地扶贫搬迁集中安置点"):
        assert any(f"  {name}  " in line for line in out.splitlines()), name
