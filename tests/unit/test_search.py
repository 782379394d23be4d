"""Search: a table of queries a field worker would type, each with the figure it must find first.

Runs over the shipped facts (the figures of the articles); the structural tests use the fixture.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from tests.helpers import MINI
from tui.factfiles.loader import load
from tui.paths import bundled_root
from tui.search.memory import MemorySearch
from tui.search.query import parse_query


@pytest.fixture(scope="module")
def index() -> MemorySearch:
    base, _ = load(bundled_root() / "facts")
    return MemorySearch(base)


@pytest.fixture(scope="module")
def mini() -> MemorySearch:
    base, _ = load(MINI / "facts")
    return MemorySearch(base)


# query, expected county of the best hit, its metric, its value (None: any)
BEST = [
    # Chinese, one to four characters
    ("石柱", "shizhu", None, None),
    ("奉节", "fengjie", None, None),
    ("潼南", "tongnan", None, None),
    ("黔江", "qianjiang", None, None),
    ("蚕", "qianjiang", None, None),
    ("黄连", "shizhu", "industry.herb_area", None),
    ("贫困发生率", None, "poverty.incidence", None),
    ("脱贫人口", None, "poverty.people_lifted", None),
    ("猕猴桃", "qianjiang", None, None),
    ("脆红李", "qianjiang", "industry.plum_area", None),
    ("濯水", "qianjiang", None, None),
    ("中益乡", "shizhu", None, None),
    # three metrics are called 危房改造 (C grade, D grade, C and D together): equal matches, in
    # file order; the subsidy (危房改造补助, which only continues 危房改造) comes after them
    ("危房", "shizhu", "assurance.c_grade_houses_renovated", 8718),
    ("低保", None, None, None),
    ("石柱 贫困发生率", "shizhu", "poverty.incidence", None),
    ("黔江 贫困发生率", "qianjiang", "poverty.incidence", None),
    ("奉节 脱贫", "fengjie", None, None),
    ("潼南 贫困户", "tongnan", "poverty.poor_households", 15495),
    ("石柱 贫困人口", "shizhu", "poverty.poor_people", 54908),
    ("易地扶贫搬迁", "shizhu", None, None),
    ("驻村", "shizhu", None, None),
    ("柠檬", "tongnan", "industry.lemon_area", None),
    ("小龙虾", "tongnan", None, None),
    # pinyin: full, initials, mixed
    ("shizhu", "shizhu", None, None),
    ("fengjie", "fengjie", None, None),
    ("tongnan", "tongnan", None, None),
    ("sz", "shizhu", None, None),
    ("qj", "qianjiang", None, None),
    ("pkfsl", None, "poverty.incidence", None),
    ("pinkun fashenglv", None, "poverty.incidence", None),
    ("pinkunfashenglv", None, "poverty.incidence", None),
    ("石柱 pkfsl", "shizhu", "poverty.incidence", None),
    ("sz pkfsl", "shizhu", "poverty.incidence", None),
    ("qianjiang pkfsl", "qianjiang", "poverty.incidence", None),
    ("huanglian", "shizhu", "industry.herb_area", None),
    ("mihoutao", "qianjiang", None, None),
    ("tuopin renkou", None, "poverty.people_lifted", None),
    ("tprk", None, "poverty.people_lifted", None),
    # English, and typos in latin input
    ("incidence", None, "poverty.incidence", None),
    ("qianjiang", "qianjiang", None, None),
    ("silkworm", "qianjiang", None, None),
    ("kiwi", "qianjiang", None, None),
    ("qianjang", "qianjiang", None, None),
    ("shizu", "shizhu", None, None),
    ("fenjie", "fengjie", None, None),
    ("incidense", None, "poverty.incidence", None),
    ("Shizhu incidence", "shizhu", "poverty.incidence", None),
    ("people lifted", None, "poverty.people_lifted", None),
    # numbers as people type them
    ("63101", "shizhu", "poverty.people_lifted", 63101),
    ("63,101", "shizhu", "poverty.people_lifted", 63101),
    ("6.3万", "shizhu", "poverty.people_lifted", 63101),
    ("6.31万", "shizhu", "poverty.people_lifted", 63101),
    ("3.75亿", "shizhu", "assurance.student_aid_funds", Decimal("3.75")),
    ("375000000", "shizhu", "assurance.student_aid_funds", Decimal("3.75")),
    ("0.36%", "fengjie", "poverty.incidence", Decimal("0.36")),
    ("12.7%", "shizhu", "poverty.incidence", Decimal("12.7")),
    ("54908", "shizhu", "poverty.poor_people", 54908),
    ("133653", "fengjie", "poverty.people_lifted", 133653),
    ("35.59亿", "qianjiang", "funding.integrated_agri_funds", Decimal("35.59")),
    ("3559000000", "qianjiang", "funding.integrated_agri_funds", Decimal("35.59")),
    ("45132", "qianjiang", "poverty.people_lifted", 45132),
    ("96.87%", "qianjiang", "poverty.public_approval_rate", Decimal("96.87")),
    # filters and comparisons
    ("county:石柱 pkfsl", "shizhu", "poverty.incidence", None),
    ("county:qianjiang 脱贫", "qianjiang", None, None),
    ("county:Fengjie kind:target", "fengjie", None, None),
    ("kind:baseline county:潼南", "tongnan", None, None),
    ("theme:poverty county:sz", "shizhu", None, None),
    ("metric:poverty.incidence county:黔江 <1", "qianjiang", "poverty.incidence", 0),
    ("unit:% 贫困发生率 >10", None, "poverty.incidence", None),
    ("scope:中益乡 搬迁", "shizhu", None, None),
    ("county:奉节 >100000", "fengjie", "poverty.people_lifted", 133653),
    (">=30亿 county:黔江", "qianjiang", "funding.integrated_agri_funds", None),
    ("1e5..2e5 county:fengjie", "fengjie", "poverty.people_lifted", 133653),
]


def test_table_is_large_enough() -> None:
    assert len(BEST) >= 60


@pytest.mark.parametrize(("query", "county", "metric", "value"), BEST, ids=[b[0] for b in BEST])
def test_best_hit(index: MemorySearch, query: str, county: str | None, metric: str | None, value: object) -> None:
    hits = index.search(query)
    assert hits, f"nothing found for {query!r}"
    best = hits[0].fact
    if county is not None:
        assert best.county == county, (query, best)
    if metric is not None:
        assert best.metric == metric, (query, best)
    if value is not None:
        assert best.value == value, (query, best)


@pytest.mark.parametrize("query", ["危房", "weifang", "wf"])
def test_a_name_that_only_continues_another_ranks_after_it(index: MemorySearch, query: str) -> None:
    """危房 begins 危房改造 (three metrics' name) and 危房改造补助 (the subsidy's): the renovated
    houses first, the subsidy after them, still found."""
    metrics = [h.fact.metric for h in index.search(query, limit=50)]
    renovated = {"assurance.c_grade_houses_renovated", "assurance.d_grade_houses_renovated"}
    renovated.add("assurance.housing_renovated")
    assert set(metrics[:3]) == renovated, metrics
    assert "assurance.housing_subsidy" in metrics[3:]


@pytest.mark.parametrize("query", ["", "   ", "xyzzy", "qqqqqq", "county:nowhere", "kind:", ">", "..", "%%%", "[/]"])
def test_nonsense_finds_nothing_and_never_raises(index: MemorySearch, query: str) -> None:
    assert index.search(query) == ()


def test_names_rank_above_quotes(index: MemorySearch) -> None:
    hits = index.search("脱贫")
    fields = [next(s.field for s in h.spans) for h in hits]
    first_quote = fields.index("quote")
    assert all(f == "quote" for f in fields[first_quote:])


def test_county_wide_ranks_above_sub_county_when_equal(index: MemorySearch) -> None:
    hits = index.search("county:石柱 易地扶贫搬迁")
    scopes = [h.fact.is_county_wide for h in hits if h.score == hits[0].score]
    assert scopes == sorted(scopes, reverse=True)


def test_exact_ranks_above_prefix_above_substring(mini: MemorySearch) -> None:
    exact = mini.search("贫困户")[0]  # the metric is named 贫困户 exactly
    assert exact.fact.metric == "poverty.poor_households"
    assert exact.score > mini.search("贫困")[0].score - 10  # prefix of the same name


def test_spans_point_at_the_match(index: MemorySearch) -> None:
    hit = index.search("黄连")[0]
    for span in hit.spans:
        assert span.end > span.start
    number = index.search("63101")[0]
    quote_spans = [s for s in number.spans if s.field == "quote"]
    assert quote_spans and number.fact.quote[quote_spans[0].start : quote_spans[0].end] == "63101"
    pinyin = index.search("pkfsl")[0]
    span = pinyin.spans[0]
    assert span.field == "metric" and (span.start, span.end) == (0, 5)


def test_same_figure_from_two_sources_is_one_hit(mini: MemorySearch) -> None:
    ids = [h.fact.id for h in mini.search("甲县")]
    assert len(ids) == len(set(ids))


def test_disagreeing_figures_are_both_found(mini: MemorySearch) -> None:
    values = sorted(h.fact.value for h in mini.search("甲县 脱贫人口"))
    assert values == [5900, 6000]


def test_query_parsing() -> None:
    query = parse_query("石柱pkfsl county:奉节 >=1亿 6.3万 1e4..5e4 unit:户")
    assert query.text == ("石柱", "pkfsl")
    assert query.filters == (("county", "奉节"), ("unit", "户"))
    assert [n.value for n in query.numbers] == [63000]
    assert query.ranges[0].low == 100000000 and query.ranges[1].high == 50000


def test_hostile_queries_answer_quickly(index: MemorySearch) -> None:
    for query in ["\x1b[2J", "a" * 10000, "(.*)+$" * 50, "\ud800", "石" * 5000, "county:" * 300]:
        start = time.perf_counter()
        index.search(query)
        assert time.perf_counter() - start < 2.0  # bounded, not a benchmark
