"""The views the CLI and the app share: ordering, comparison rows, headlines, citations."""

from __future__ import annotations

from tests.helpers import MINI
from tui.domain.vocab import value_text
from tui.factfiles.loader import load
from tui.present.headlines import headlines
from tui.present.views import (
    by_theme,
    citation,
    compare_rows,
    date_text,
    find_metric,
    find_theme,
    ordered,
    short_title,
    source_summaries,
)

BASE, _ = load(MINI / "facts")


def test_display_value_never_drops_the_bound() -> None:
    shown = {f.id: value_text(f, "en", with_kind=False) for f in BASE.facts}
    assert shown["alpha-rbqacpgl4k"] == "more than 6000人"
    assert shown["beta-67ruceoxbp"] == "nearly 6.3万人"
    assert shown["alpha-4qrv64xvvq"] == "2-3名" and shown["alpha-exit"] == "2019-04"


def test_ordered_puts_county_wide_achieved_first() -> None:
    facts = BASE.select(county="alpha", metric="poverty.people_lifted")
    assert ordered(facts)[0].source == "alpha-story"
    assert [f.kind for f in ordered(BASE.select(county="alpha"))][:2] == ["achieved", "achieved"]


def test_by_theme_in_display_order() -> None:
    groups = by_theme(BASE, "alpha")
    assert [g.theme.id for g in groups] == ["poverty", "funding"]
    assert by_theme(BASE, "alpha", "funding")[0].facts[0].metric == "funding.total_invested"


def test_compare_rows_align_by_metric() -> None:
    rows = compare_rows(BASE, ["alpha", "beta"])
    assert [r.metric.id for r in rows][-2:] == ["funding.total_invested", "funding.cadres"]
    lifted = next(r for r in rows if r.metric.id == "poverty.people_lifted")
    alpha, beta = lifted.cells
    assert (alpha.more, len(alpha.disagreements), beta.more) == (1, 1, 0)
    assert lifted.highest == "alpha"
    exit_row = next(r for r in rows if r.metric.id == "poverty.exit_date")
    assert exit_row.cells[1].fact is None and exit_row.highest is None


def test_headlines() -> None:
    labels = [(h.section, h.name("en")) for h in headlines(BASE, "alpha")]
    assert labels == [
        ("headline", "People lifted out of poverty"),
        ("headline", "Poverty incidence before"),
        ("headline", "Date of exit"),
        ("theme", "Funds invested"),
    ]


def test_lookups_and_source_text() -> None:
    assert find_theme(BASE, "资金投入").id == "funding"  # type: ignore[union-attr]
    assert find_metric(BASE, "People Lifted").id == "poverty.people_lifted"  # type: ignore[union-attr]
    assert find_metric(BASE, "nothing") is None
    story = BASE.source("alpha-story")
    assert date_text(story) == "2021-03 (est.)" and date_text(BASE.source("beta-news")) == "2021-01-05"
    assert short_title(story) == "甲县脱贫攻坚纪实"
    assert [s.facts for s in source_summaries(BASE)] == [7, 1, 5]


def test_citation() -> None:
    assert citation(BASE, BASE.fact("alpha-exit")) == (
        "甲土家族自治县, 脱贫摘帽时间 (Date of exit): 2019-04. Source: “甲县脱贫攻坚纪实”, 2021-03 (est.): "
        "「甲县于2019年4月底脱贫摘帽」 [fact alpha-exit]"
    )


def test_display_value_in_chinese_keeps_bound_and_kind() -> None:
    shown = {f.id: value_text(f, "zh") for f in BASE.facts}
    assert shown["alpha-rbqacpgl4k"] == "超过 6000人" and shown["beta-67ruceoxbp"] == "近 6.3万人"
    assert shown["beta-7t7wnqfswd"] == "基数 800户"


def test_headlines_carry_metric_kind_and_phase() -> None:
    before = next(h for h in headlines(BASE, "alpha") if h.metric.id == "poverty.incidence")
    assert (before.kind, before.phase) == ("baseline", "before")
    assert before.name("zh") == "贫困发生率（脱贫前）" and before.name("en") == "Poverty incidence before"
