"""The query filters, through both back ends: ``when:``/``year:``, the words for kinds, and
several counties at once (a comma list, or county names typed as words)."""

from __future__ import annotations

import pytest

from tui.domain.model import Fact
from tui.factfiles.loader import load
from tui.paths import bundled_root
from tui.search.filters import when_years
from tui.search.memory import MemorySearch
from tui.search.scoring import Hit, Search
from tui.search.sqlite import SqliteSearch
from tui.store.indexed import IndexedBase
from tui.store.store import open_store


@pytest.fixture(scope="module")
def both() -> tuple[MemorySearch, SqliteSearch]:
    facts = bundled_root() / "facts"
    store = open_store(facts, in_memory=False)
    assert isinstance(store.base, IndexedBase)
    return MemorySearch(load(facts)[0]), SqliteSearch(store.base)


def _facts(hits: tuple[Hit, ...]) -> list[Fact]:
    return [f for h in hits for f in (h.fact, *h.same)]


def _search(both: tuple[Search, Search], query: str) -> tuple[Hit, ...]:
    memory, indexed = both
    hits = memory.search(query)
    assert indexed.search(query) == hits, query
    return hits


@pytest.mark.parametrize(
    ("when", "years"),
    [("2020", (2020, 2020)), ("2020-12-31", (2020, 2020)), ("2019-04", (2019, 2019)), ("2014..2020", (2014, 2020))],
)
def test_the_years_of_a_time(when: str, years: tuple[int, int]) -> None:
    assert when_years(when) == years


def test_when_a_year_finds_the_periods_that_overlap_it(both: tuple[Search, Search]) -> None:
    found = _facts(_search(both, "when:2016"))
    assert found and all(years[0] <= 2016 <= years[1] for f in found if (years := when_years(f.when)))
    assert any(f.when.startswith("2014..") for f in found)  # a period 2014..2020 overlaps 2016
    assert not any(f.when == "2020" for f in found)


def test_when_a_span_of_years(both: tuple[Search, Search]) -> None:
    found = _facts(_search(both, "when:2014..2016"))
    assert found
    for fact in found:
        years = when_years(fact.when)
        assert years is not None and years[0] <= 2016 and years[1] >= 2014
    assert {f.id for f in found} > {f.id for f in _facts(_search(both, "when:2015"))}


def test_year_is_when(both: tuple[Search, Search]) -> None:
    assert _search(both, "year:2019 脱贫") == _search(both, "when:2019 脱贫")
    assert _search(both, "year:2019")


@pytest.mark.parametrize("when", ["when:soon", "when:20", "when:2014..", "year:二〇二〇"])
def test_a_time_that_is_not_years_finds_nothing(both: tuple[Search, Search], when: str) -> None:
    assert _search(both, when) == ()


@pytest.mark.parametrize(
    ("words", "kind"),
    [("plan", "target"), ("目标", "target"), ("成效", "achieved"), ("成果", "achieved"), ("基数", "baseline")],
)
def test_words_for_a_kind(both: tuple[Search, Search], words: str, kind: str) -> None:
    hits = _search(both, f"kind:{words}")
    assert hits == _search(both, f"kind:{kind}")
    assert hits and all(f.kind == kind for f in _facts(hits))


def test_two_county_names_are_either_county(both: tuple[Search, Search]) -> None:
    hits = _search(both, "石柱 黔江 pkfsl")
    facts = _facts(hits)
    assert {f.county for f in facts} == {"shizhu", "qianjiang"}
    assert {f.metric for f in facts} == {"poverty.incidence"}
    assert hits == _search(both, "county:石柱,黔江 pkfsl")


@pytest.mark.parametrize("counties", ["shizhu,qianjiang", "sz,qj", "石柱，黔江", "shizhu,黔江区"])
def test_a_comma_list_of_counties(both: tuple[Search, Search], counties: str) -> None:
    found = _facts(_search(both, f"county:{counties} kind:target"))
    assert {f.county for f in found} == {"shizhu", "qianjiang"}
    assert all(f.kind == "target" for f in found)


def test_one_county_name_is_still_a_word(both: tuple[Search, Search]) -> None:
    """One county name among the words ranks that county's facts first, as before."""
    hits = _search(both, "石柱 pkfsl")
    assert hits[0].fact.county == "shizhu" and hits[0].fact.metric == "poverty.incidence"
