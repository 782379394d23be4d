"""The analyst features of the command line, through ``main(argv)`` on the shipped facts: a
metric's timeline (show --metric, cite --context), before -> after in compare, compare as a
spreadsheet (one column per county), metric and theme names in pinyin and initials, and the
article around a quote."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import REPO, leaked, run_cli


def cli(*argv: str) -> tuple[int, str, str]:
    return run_cli(list(argv), REPO)


def test_show_metric_is_the_timeline_with_the_derived_change() -> None:
    code, out, err = cli("show", "石柱", "--metric", "pkfsl")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "  12.7% (2014) → 0% (2020)  −12.7个百分点（推算）" in lines
    base, result = (next(i for i, line in enumerate(lines) if line.startswith(f"  {k}")) for k in ("基数", "成效"))
    assert base < result  # baseline -> results
    assert "12.7%  2014" in lines[base] and "█" in lines[base] and "shizhu-f49611" in lines[base + 1]
    assert "0%     2020-12-31" in lines[result] and "█" not in lines[result]
    code, out, _ = cli("show", "石柱", "--metric", "pinkun fashenglv", "--lang", "en")
    assert "−12.7 pts (derived)" in out and "baseline  12.7%" in out


def test_show_metric_json() -> None:
    code, out, _ = cli("show", "shizhu", "--metric", "poverty.incidence", "--json")
    data = json.loads(out)
    assert code == 0 and data["metric"]["id"] == "poverty.incidence"
    county = data["timelines"][0]
    assert county["scope"] == "county" and county["line"] == "12.7% (2014) → 0% (2020)"
    assert county["change"] == {
        "baseline": "shizhu-f49611",
        "result": "shizhu-91a555",
        "delta": -12.7,
        "unit": "percentage points",
        "approximate": False,
        "derived": True,
    }
    assert [p["kind"] for p in county["points"]] == ["baseline", "achieved"]


def test_compare_shows_before_and_after_per_county() -> None:
    code, out, _ = cli("compare", "石柱", "黔江", "--metric", "poverty.incidence")
    assert code == 0
    assert "12.7% → 0%" in out and "13% → 0%" in out
    assert "−12.7个百分点（推算）" in out and "−13个百分点（推算）" in out
    code, out, _ = cli("compare", "石柱", "黔江", "--metric", "pkfsl", "--json")
    cells = json.loads(out)["rows"][0]["cells"]
    assert [c["change"]["delta"] for c in cells] == [-12.7, -13.0]


def test_compare_csv_opens_in_a_spreadsheet_one_column_per_county() -> None:
    code, out, _ = cli("compare", "石柱", "黔江", "潼南", "--theme", "poverty", "--format", "csv")
    assert code == 0 and out.startswith("\ufeff") and "\r\n" in out
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["metric", "指标", "石柱 Shizhu", "黔江 Qianjiang", "潼南 Tongnan"]
    assert all(len(row) == 5 for row in rows)
    incidence = next(row for row in rows if row[0] == "poverty.incidence")
    assert incidence[2] == "0%, 2020-12-31 [shizhu-91a555]; 12.7% → 0%: −12.7个百分点 (推算)"
    assert incidence[4].startswith("0.06%, 2020 [tongnan-b86c5e]")
    for row in rows[1:]:  # every value is cited by its fact ids
        assert all(cell == "" or "[" in cell for cell in row[2:]), row
    assert all(not cell.startswith(tuple("=+-@＝＋－＠")) for row in rows for cell in row)


def test_compare_markdown() -> None:
    code, out, _ = cli("compare", "石柱", "黔江", "--metric", "incidence", "--format", "md")
    lines = out.splitlines()
    assert (
        code == 0 and lines[0] == "| metric | 指标 | 石柱 Shizhu | 黔江 Qianjiang |" and lines[1] == "|---|---|---|---|"
    )
    assert lines[2].startswith("| poverty.incidence | 贫困发生率 | 0%, 2020-12-31 [shizhu-91a555]")


@pytest.mark.parametrize(
    ("argv", "metric"),
    [
        (["--metric", "pkfsl"], "poverty.incidence"),
        (["--metric", "pinkun fashenglv"], "poverty.incidence"),
        (["--metric", "incidence"], "poverty.incidence"),
        (["--metric", "poverty.incidence"], "poverty.incidence"),
        (["--metric", "贫困发生率"], "poverty.incidence"),
    ],
)
def test_metric_by_pinyin_initials_name_or_id(argv: list[str], metric: str) -> None:
    code, out, _ = cli("compare", "sz", "qj", *argv, "--json")
    assert code == 0 and [r["metric"] for r in json.loads(out)["rows"]] == [metric]


def test_theme_by_pinyin() -> None:
    code, out, _ = cli("show", "石柱", "--theme", "shouru", "--json")
    assert code == 0 and [t["id"] for t in json.loads(out)["themes"]] == ["income"]
    code, _, err = cli("show", "石柱", "--theme", "nosuch")
    assert code == 2 and "unknown theme 'nosuch'; themes: poverty 脱贫成效, income 收入" in err


def test_ambiguous_and_unknown_metrics_list_candidates() -> None:
    code, out, err = cli("compare", "sz", "qj", "--metric", "yidi banqian")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "ambiguous metric 'yidi banqian' (3 metrics): assurance.relocated_people 易地扶贫搬迁人口" in err
    code, _, err = cli("compare", "sz", "qj", "--metric", "pinkun")
    assert code == 2 and "and 16 more; give more of it or an id" in err
    code, _, err = cli("compare", "sz", "qj", "--metric", "incidense")
    assert code == 2 and "unknown metric 'incidense'; nearest: poverty.incidence 贫困发生率" in err


def test_show_ids_prints_metric_ids() -> None:
    code, out, _ = cli("show", "潼南", "--ids", "--theme", "poverty")
    assert code == 0 and "  tongnan-b86c5e  poverty.incidence" in out.replace("0.06%  2020  ", "")


def test_cite_context_prints_the_timeline_and_the_article_around_the_quote() -> None:
    code, out, err = cli("cite", "shizhu-f49611", "--context", "--width", "80")
    assert (code, err) == (0, "")
    assert "时间线" in out and "▶ 基数  12.7%" in out and "  成效  0%" in out
    assert "【农村贫困发生率高达12.7%】" in out
    article = out[out.index("原文全文") :]
    before, after = article.split("【", 1)
    assert "县委书记蹇泽西" in before and "贫困村85个" in before  # the paragraphs before
    assert after.rstrip().endswith("…") and after.count("\n  ") >= 2  # two after, then the rest left out
    assert not leaked(out)
    code, plain, _ = cli("cite", "shizhu-f49611")
    assert "【" not in plain and "时间线" not in plain
