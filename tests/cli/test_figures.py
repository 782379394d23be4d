"""One figure, many sources; notes; ``--lang``; values first in narrow columns; search's scope
and "more" line; ``cite`` into a pipe. Through ``main(argv)``, on the fixture tree plus the
statements each test adds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tui.cli.main import main
from tui.factfiles.loader import load

Capsys = pytest.CaptureFixture[str]

SECOND_SOURCE = """
[[source]]
id = "beta-daily"
file = "seeds/beta.txt"
title = "乙区日报 脱贫纪实"
date = "2021-02"

[[fact]]
id = "beta-daily-lifted"
metric = "poverty.people_lifted"
value = 3100
unit = "人"
bound = "exact"
scope = "county"
kind = "achieved"
when = "2020"
source = "beta-daily"
quote = "去年乙区累计脱贫3100人"
note = "Counted at the end of 2020."

[[fact]]
id = "beta-daily-town"
metric = "funding.cadres"
value = 12
unit = "名"
bound = "more_than"
scope = "乙镇"
kind = "target"
when = "2021"
source = "beta-daily"
quote = "去年乙区累计脱贫3100人"
"""

LONG = """[county]
id = "gamma"
name = "丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙土家族苗族自治县"
short = "丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙县"
en = "Gammagammagammagammagammagammagammagamma"
pinyin = "bing xian"
level = "自治县"
parent = "重庆市"

[[source]]
id = "gamma-news"
file = "seeds/beta.txt"
title = "丙县新闻"
date = "2021-01-05"

[[fact]]
id = "gamma-lifted"
metric = "poverty.people_lifted"
value = 123456
unit = "人"
bound = "more_than"
scope = "丙丙丙丙丙丙丙丙丙丙丙丙镇"
kind = "target"
when = "2019-12-31"
source = "gamma-news"
quote = "去年乙区累计脱贫3100人"
"""


def _tree(root: Path, *, long: bool = False) -> Path:
    beta = root / "facts" / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8") + SECOND_SOURCE, encoding="utf-8")
    if long:
        (root / "facts" / "gamma.toml").write_text(LONG, encoding="utf-8")
    return root


def _id(root: Path, metric: str, value: int, source: str = "beta-news") -> str:
    """The generated id of the fixture's fact, whatever the id scheme."""
    base, _ = load(root / "facts")
    return next(f.id for f in base.facts if (f.metric, f.value, f.source) == (metric, value, source))


def run(capsys: Capsys, facts: Path, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--facts", str(facts)])
    return code, capsys.readouterr().out


def test_show_lists_a_figure_of_two_sources_once_with_each_quote(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, _tree(mini_tree), "show", "beta", "--lang", "en")
    lifted = _id(mini_tree, "poverty.people_lifted", 3100)
    assert code == 0
    assert out.count("3100人") == 1 + 2  # the figure once, then each source's quote
    assert "  脱贫人口      3100人  2020  [2 sources]\n" in out
    assert f"    {lifted}  乙区新闻: 「去年乙区累计脱贫3100人」\n" in out
    assert "    beta-daily-lifted  乙区日报: 「去年乙区累计脱贫3100人」\n" in out
    assert "    Note: Counted at the end of 2020.\n" in out


def test_show_in_chinese_says_sources_kind_and_bound_in_chinese(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, _tree(mini_tree), "show", "beta", "--lang", "zh")
    assert code == 0
    assert "  脱贫人口      3100人  2020  [2个来源]\n" in out
    assert "基数 800户" in out and "目标 超过 12名  2021  乙镇" in out
    assert "说明: Counted at the end of 2020." in out
    assert not {"more than", "target:", "baseline:", "sources]"} & {
        w for w in ("more than", "target:", "baseline:", "sources]") if w in out
    }


def test_chinese_is_the_default(capsys: Capsys, mini_tree: Path) -> None:
    _, default = run(capsys, _tree(mini_tree), "show", "beta")
    _, zh = run(capsys, mini_tree, "show", "beta", "--lang", "zh")
    assert default == zh


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "beta"],
        ["compare", "alpha", "beta"],
        ["sheet", "alpha"],
        ["search", "脱贫"],
        ["search", "kind:target"],
        ["cite", ("poverty.people_lifted", 6000, "alpha-story")],
        ["cite", ("poverty.poor_households", 800, "beta-news")],
        ["cite", "beta-daily-town"],
        ["sources"],
    ],
)
def test_lang_zh_never_prints_english_words_around_the_data(
    capsys: Capsys, mini_tree: Path, argv: list[object]
) -> None:
    _tree(mini_tree)
    argv = [_id(mini_tree, *a) if isinstance(a, tuple) else a for a in argv]
    code, out = run(capsys, mini_tree, *argv, "--lang", "zh")
    assert code == 0
    for english in ("more than", "nearly", "target:", "baseline:", "(baseline)", "a target", "Source:", "(est.)"):
        assert english not in out, (english, out)


def test_chinese_citation(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, _tree(mini_tree), "cite", "beta-daily-town", "--lang", "zh")
    assert code == 0
    assert out == (
        "乙区乙镇，帮扶干部：超过 12名（目标，并非成效），2021。来源：《乙区日报 脱贫纪实》，2021-02："
        "「去年乙区累计脱贫3100人」 [fact beta-daily-town]\n"
    )


@pytest.mark.parametrize("first", [True, False])
def test_cite_names_every_source_by_either_id(capsys: Capsys, mini_tree: Path, first: bool) -> None:
    news = _id(_tree(mini_tree), "poverty.people_lifted", 3100)
    fact_id = news if first else "beta-daily-lifted"
    code, out = run(capsys, mini_tree, "cite", fact_id, "--lang", "en")
    assert code == 0 and out.count("\n") == 1  # not a terminal: one line, the quote unbroken
    assert "乙区, 脱贫人口 (People lifted out of poverty): 3100人, 2020. 2 sources: " in out
    assert f"“乙区新闻”, 2021-01-05: 「去年乙区累计脱贫3100人」 [fact {news}]" in out
    assert "“乙区日报 脱贫纪实”, 2021-02: 「去年乙区累计脱贫3100人」 Note: Counted at the end of 2020." in out
    assert out.index(f"[fact {fact_id}]") == out.index("[fact ")  # the id asked for comes first
    code, out = run(capsys, mini_tree, "cite", fact_id, "--json")
    data = json.loads(out)
    assert len(data["sources"]) == 2 and len(data["same"]) == 1


def test_cite_wraps_to_width(capsys: Capsys, mini_tree: Path) -> None:
    news = _id(_tree(mini_tree), "poverty.people_lifted", 3100)
    code, out = run(capsys, mini_tree, "cite", news, "--width", "40")
    lines = out.splitlines()
    assert code == 0 and len(lines) > 3 and max(cell_len(line) for line in lines) <= 40
    assert main(["cite", news, "--width", "10", "--facts", str(mini_tree)]) == 2


def test_compare_shows_the_figure_once_with_its_sources(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, _tree(mini_tree), "compare", "alpha", "beta", "--metric", "people_lifted", "--lang", "en")
    assert code == 0
    assert out.splitlines()[2:6] == [
        "脱贫人口            more than 6000人          3100人",
        "People lifted out   2020-12-31                2020",
        "of poverty          ! 2 sources differ        [2 sources]",
        "                    +1 more",
    ]
    code, out = run(capsys, mini_tree, "compare", "alpha", "beta", "--json")
    row = next(r for r in json.loads(out)["rows"] if r["metric"] == "poverty.people_lifted")
    assert row["cells"][1]["same"] == ["beta-daily-lifted"] and row["cells"][1]["more"] == []


def test_sheet_names_every_source(capsys: Capsys, mini_tree: Path) -> None:
    news = _id(_tree(mini_tree), "poverty.people_lifted", 3100)
    code, out = run(capsys, mini_tree, "sheet", "beta", "--width", "80", "--lang", "en")
    assert code == 0
    assert "脱贫人口 People lifted out of poverty: 3100人, 2020 [2 sources]\n" in out
    assert f"[乙区新闻, 2021-01-05, {news}; 乙区日报, 2021-02, beta-daily-lifted]" in " ".join(out.split())


def test_search_folds_sources_and_shows_the_scope(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, _tree(mini_tree), "search", "乙区", "--ids", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert sum("3100人" in line for line in lines) == 1
    lifted = next(line for line in lines if "3100人" in line)
    assert "[2 sources]" in lifted
    town = next(line for line in lines if "12名" in line)
    assert "target: more than 12名  2021  乙镇" in town and town.endswith("beta-daily-town")


def test_search_says_how_many_more_the_limit_left_out(capsys: Capsys, mini_tree: Path) -> None:
    code, out = run(capsys, mini_tree, "search", "county:甲县", "--lang", "en")
    total = len(out.splitlines())
    assert code == 0 and total > 3 and "more:" not in out
    code, out = run(capsys, mini_tree, "search", "county:甲县", "--limit", "2", "--lang", "en")
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1] == f"… {total - 2} more: --limit {total} shows them all"
    code, out = run(capsys, mini_tree, "search", "county:甲县", "--limit", "2")
    assert out.splitlines()[-1] == f"… 另有 {total - 2} 条：--limit {total} 显示全部"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "argv",
    [
        ["show", "gamma"],
        ["compare", "gamma", "alpha", "beta", "--metric", "people_lifted"],
        ["search", "脱贫"],
        ["search", "--ids", "gamma"],
        ["sources"],
        ["cite", "gamma-lifted", "--width", "80"],
        [],
    ],
)
def test_a_long_county_name_stays_within_80_columns_and_keeps_values_whole(
    capsys: Capsys, mini_tree: Path, argv: list[str], lang: str
) -> None:
    code, out = run(capsys, _tree(mini_tree, long=True), *argv, "--lang", lang)
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) <= 80, out
    if argv and argv[0] in ("show", "compare", "search"):
        assert "123456人" in out and "2019-12-31" in out
        assert ("超过 123456人" if lang == "zh" else "more than 123456人") in out or "> 123456人" in out
