"""The analyst's core (tui.present.analysis, compare_out): timelines, before -> after, picks, sorts, the
comparison as text and CSV, the article around a quote. On the real facts where the figures
are the point (石柱's 12.7% -> 0%), on the fixture tree otherwise."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import MINI, REPO
from tui.factfiles.loader import load
from tui.present.analysis import (
    change_of,
    only_one,
    picked,
    point_text,
    sort_rows,
    timeline,
    timeline_line,
)
from tui.present.article import article_of
from tui.present.compare_out import compare_lines, write_compare_csv
from tui.present.textfmt import formula_safe
from tui.present.views import compare_rows


@pytest.fixture(scope="module")
def real():  # type: ignore[no-untyped-def]
    base, _ = load(REPO / "facts")
    return base


@pytest.fixture(scope="module")
def mini():  # type: ignore[no-untyped-def]
    base, _ = load(MINI / "facts")
    return base


def test_timeline_runs_from_the_baseline_to_the_result(real) -> None:  # type: ignore[no-untyped-def]
    points = timeline(real, real.fact("shizhu-91a555"))  # 石柱's 0% poverty incidence
    assert [p.fact.kind for p in points] == ["baseline", "achieved"]
    assert timeline_line(points, "zh") == "12.7% (2014) → 0% (2020)"


def test_timeline_keeps_bounds_and_marks_targets(mini) -> None:  # type: ignore[no-untyped-def]
    fact = next(f for f in mini.select(county="alpha", metric="poverty.people_lifted") if f.bound == "more_than")
    points = timeline(mini, fact)
    assert len(points) == 2  # two sources that disagree on one period: listed, but not a change
    assert timeline_line(points, "en") == ""
    assert point_text(fact, "en") == "> 6000人 (2020)"


def test_change_is_points_for_a_percentage_and_percent_otherwise(real, mini) -> None:  # type: ignore[no-untyped-def]
    change = change_of(real.select(county="shizhu", metric="poverty.incidence"))
    assert change is not None and change.points and change.delta == Decimal("-12.7")
    assert change.text("zh") == "−12.7个百分点" and change.text("en") == "−12.7 pts"
    assert change_of(mini.select(county="alpha", metric="funding.total_invested")) is None  # no baseline


def test_pick_chooses_the_baseline_or_the_latest_result(real) -> None:  # type: ignore[no-untyped-def]
    (row,) = compare_rows(real, ["shizhu", "qianjiang"], metric="poverty.incidence")
    assert [picked(c, "latest").fact.value for c in row.cells] == [Decimal(0), Decimal(0)]  # type: ignore[union-attr]
    assert [picked(c, "baseline").fact.value for c in row.cells] == [Decimal("12.7"), Decimal(13)]  # type: ignore[union-attr]
    assert [picked(c, "target") for c in row.cells] == [None, None]


def test_rows_sort_by_value_and_by_gap_numbers_first(mini) -> None:  # type: ignore[no-untyped-def]
    rows = compare_rows(mini, ["alpha", "beta"])
    by_value = sort_rows(rows, "value", column=1)
    values = [picked(r.cells[1], "latest") for r in by_value]
    numbers = [v.fact.canonical for v in values if v is not None and isinstance(v.fact.canonical, Decimal)]
    assert numbers == sorted(numbers, reverse=True) and numbers
    assert all(v is None or not isinstance(v.fact.canonical, Decimal) for v in values[len(numbers) :])
    assert sort_rows(rows, "metric") == rows
    gaps = sort_rows(rows, "gap")
    assert {r.metric.id for r in gaps} == {r.metric.id for r in rows}
    assert gaps[0].metric.id == "funding.total_invested"  # 3.75亿 against 1.2亿: the widest spread
    assert any(only_one(r) for r in rows) and not all(only_one(r) for r in rows)


def test_compare_lines_cite_every_value_on_one_line(real) -> None:  # type: ignore[no-untyped-def]
    rows = compare_rows(real, ["shizhu", "qianjiang"], metric="poverty.incidence")
    (line,) = compare_lines(real, rows, "zh")
    assert "[fact shizhu-91a555]" in line and "[fact qianjiang-5075b7]" in line
    assert "12.7% (2014) → 0%: −12.7个百分点, 推算" in line and "\n" not in line


def test_compare_csv_has_a_bom_and_formula_safe_cells(mini_tree: Path) -> None:
    toml = mini_tree / "facts" / "beta.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "乙区新闻"', 'title = "=HYPERLINK(1)"'), "utf-8")
    base, _ = load(mini_tree / "facts")
    out = io.StringIO()
    count = write_compare_csv(base, compare_rows(base, ["alpha", "beta"]), out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(table) == count and count > 0
    beta = [r for r in table if r["county"] == "beta" and r["value"]]
    assert beta and all(r["sources"].startswith("'=HYPERLINK") for r in beta)
    assert formula_safe("-12.7") == "-12.7" and formula_safe("@x") == "'@x" and formula_safe("a\x1bb") == "a\\x1bb"


def test_article_finds_a_quote_across_the_seed_line_breaks(mini) -> None:  # type: ignore[no-untyped-def]
    fact = next(f for f in mini.select(county="alpha", metric="poverty.incidence"))  # 贫困发\n生率为9.5%
    article = article_of(mini, fact)
    assert article.first >= 0 and article.spans
    index, start, end = article.spans[0]
    assert article.paragraphs[index][start:end] == fact.quote


def test_article_refuses_what_is_not_a_regular_file(mini_tree: Path) -> None:
    base, _ = load(mini_tree / "facts")
    seed = mini_tree / "seeds" / "beta.txt"  # replaced after loading: the article is read when asked for
    seed.unlink()
    seed.symlink_to("/dev/zero")
    with pytest.raises(OSError):
        article_of(base, base.select(county="beta")[0])


def test_a_change_of_percentages_is_never_rounded_away(real) -> None:  # type: ignore[no-untyped-def]
    # 潼南: 0.6% at the start, 0.06% at the end: 0.54 points, not 0.5
    change = change_of(real.select(county="tongnan", metric="poverty.incidence"))
    assert change is not None and change.points
    assert change.text("zh") == "−0.54个百分点"


def test_a_small_percent_change_keeps_two_significant_digits() -> None:
    from decimal import Decimal

    from tui.present.analysis import shown_change

    assert shown_change(Decimal("0.0437"), exact=False) == Decimal("0.044")
    assert shown_change(Decimal("35.25"), exact=False) == Decimal("35.3")
