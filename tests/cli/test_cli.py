"""The reading commands through ``main(argv)``: show, compare, sources, sheet and cite.

Exact text on the fixture tree; JSON shapes; exit codes; data printed as text, never as
markup or raw control characters; and on the shipped facts, no line wider than 80 columns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.helpers import MINI
from tests.unit.test_search import BEST as SEARCH_TABLE
from tui.cli import main as cli
from tui.cli.args import parser
from tui.cli.main import COMMANDS, main
from tui.factfiles.loader import load
from tui.paths import resolve_facts_dir
from tui.store.store import Store

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *args: str, facts: Path | None = MINI, lang: str = "en") -> tuple[int, str, str]:
    """``main(argv)`` on ``facts``, the words around the data in ``lang`` (the tests below were
    written for English; the default is Chinese)."""
    argv = [*args, "--lang", lang] + (["--facts", str(facts)] if facts is not None else [])
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def text(block: str) -> str:
    return block.strip("\n") + "\n"


def _append(root: Path, county: str, toml: str) -> None:
    path = root / "facts" / f"{county}.toml"
    path.write_text(path.read_text(encoding="utf-8") + toml, encoding="utf-8")


TARGET = """
[[fact]]
metric = "poverty.people_lifted"
value = 5000
unit = "人"
bound = "about"
scope = "county"
kind = "target"
when = "2021"
source = "beta-news"
quote = "今年计划脱贫约5000人"
"""

HOSTILE = """
[[source]]
id = "beta-evil"
file = "seeds/beta.txt"
title = "[bold red]乙区[/] \\u001b[2J新闻"
date = "2021-02"

[[fact]]
id = "beta-evil-fact"
metric = "funding.cadres"
value = 7
unit = "名"
bound = "exact"
scope = "[link=http://x]乙镇[/link]"
kind = "achieved"
when = "2020"
source = "beta-evil"
quote = "[bold]7名[/] 干部\\u001b]0;pwned\\u0007\\u009b31m"
"""


# --- show ------------------------------------------------------------------------------------


def test_show_exact(capsys: Capsys) -> None:
    code, out, err = run(capsys, "show", "乙区")
    assert (code, err) == (0, "")
    assert out == text("""
乙区 乙区 Beta (beta): 5 facts

脱贫成效 Poverty reduction
  贫困户        baseline: 800户  2014  beta-7t7wnqfswd
  贫困人口      baseline: 3000人  2014  beta-mt6hlkctdo
  脱贫人口      3100人  2020  beta-ggxxoyznl2
  受益人口      nearly 6.3万人  2020  beta-67ruceoxbp

资金投入 Funding
  扶贫资金投入  1.2亿元  2020  beta-grbqjbxo55
""")


def test_show_marks_bound_scope_range_dates_and_disagreement(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "show", "Alpha")
    assert code == 0
    assert "  脱贫人口      more than 6000人  2020-12-31  alpha-rbqacpgl4k\n                ! differs from" in out
    assert (
        "  脱贫人口      5900人  2020-12-31  alpha-ya6nsoemwn\n                ! differs from alpha-rbqacpgl4k\n" in out
    )
    assert "  帮扶干部      2-3名  2020  in 甲镇  alpha-4qrv64xvvq\n" in out
    assert "  脱贫摘帽时间  2019-04  alpha-exit\n" in out


def test_show_one_theme(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "show", "jia xian", "--theme", "Funding")
    assert code == 0
    assert "资金投入 Funding" in out and "脱贫成效" not in out and "2 facts" in out


def test_show_target_never_looks_achieved(capsys: Capsys, mini_tree: Path) -> None:
    _append(mini_tree, "beta", TARGET)
    code, out, _ = run(capsys, "show", "beta", facts=mini_tree)
    assert code == 0
    line = next(line for line in out.splitlines() if "5000" in line)
    assert "target: about 5000人  2021" in line
    code, out, _ = run(capsys, "sheet", "beta", facts=mini_tree)
    assert "5000" not in out  # a fact sheet shows results, not plans


def test_show_json_shape(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "show", "alpha", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"county", "themes"}
    assert data["county"]["id"] == "alpha"
    assert [t["id"] for t in data["themes"]] == ["poverty", "funding"]
    assert set(data["themes"][0]) == {"id", "zh", "en", "facts"}
    lifted = [f for f in data["themes"][0]["facts"] if f["metric"] == "poverty.people_lifted"]
    assert [f["display"] for f in lifted] == ["more than 6000人", "5900人"]
    assert lifted[0]["disagrees_with"] == [lifted[1]["id"]]


def test_show_nothing_found_exits_1(capsys: Capsys, mini_tree: Path) -> None:
    (mini_tree / "facts" / "gamma.toml").write_text(
        '[county]\nid = "gamma"\nname = "丙县"\nshort = "丙县"\nen = "Gamma"\npinyin = "bing xian"\n'
        'level = "县"\nparent = "重庆市"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "show", "gamma", facts=mini_tree)
    assert (code, out) == (1, "") and err.count("\n") == 1 and "no facts" in err
    code, out, _ = run(capsys, "show", "gamma", "--json", facts=mini_tree)
    assert code == 1 and json.loads(out)["themes"] == []


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["show", "Alfa"], "unknown county 'Alfa'; nearest: Alpha"),
        (["show", "alpha", "--theme", "fundng"], "unknown theme 'fundng'"),
        (["compare", "alpha"], "two or more"),
        (["compare", "alpha", "甲县"], "two or more"),
        (["compare", "alpha", "beta", "--metric", "people_lifed"], "nearest: poverty.people_lifted"),
        (["sheet", "beta", "--width", "10"], "--width must be between 20 and 80"),
        (["sheet", "beta", "--width", "wide"], "invalid int value"),
        (["cite", "alpha-exi"], "unknown fact id 'alpha-exi'; nearest: alpha-exit"),
        (["cite"], "required: FACT_ID"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(capsys: Capsys, argv: list[str], fragment: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("povtui: ") and fragment in err


# --- compare ---------------------------------------------------------------------------------


def test_compare_exact(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "compare", "alpha", "乙区", "--theme", "funding")
    assert code == 0
    assert out == text("""
metric              甲县 Alpha                乙区 Beta
------------------  ------------------------  ------------------------
扶贫资金投入        3.75亿元                  1.2亿元
Funds invested      2014..2020                2020
                    highest

帮扶干部            2-3名                     —
Cadres              2020
                    in 甲镇

! sources disagree   +N more facts for the county (povtui show)   — no figure
highest: the largest normalised value
""")


def test_compare_marks_disagreement_and_more(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "compare", "yi qu", "alpha", "--metric", "people lifted")
    assert code == 0
    assert out.splitlines()[:7] == [
        "metric              乙区 Beta                 甲县 Alpha",
        "------------------  ------------------------  ------------------------",
        "脱贫人口            3100人                    more than 6000人",
        "People lifted out   2020                      2020-12-31",
        "of poverty                                    ! 2 sources differ",
        "                                              +1 more",
        "                                              highest",
    ]


def test_compare_json_shape(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "compare", "alpha", "beta", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"counties", "rows"}
    assert [c["id"] for c in data["counties"]] == ["alpha", "beta"]
    rows = {row["metric"]: row for row in data["rows"]}
    assert list(rows)[:2] == ["poverty.poor_households", "poverty.poor_people"]
    lifted = rows["poverty.people_lifted"]
    assert set(lifted) == {"metric", "zh", "en", "theme", "base", "highest", "cells"}
    alpha, beta = lifted["cells"]
    assert set(alpha) == {"county", "fact", "same", "more", "disagrees_with", "change"}
    assert alpha["fact"]["display"] == "more than 6000人" and len(alpha["more"]) == 1
    assert alpha["disagrees_with"] == alpha["more"] and lifted["highest"] == "alpha"
    assert beta["fact"]["canonical"] == 3100 and beta["more"] == []
    assert rows["poverty.exit_date"]["cells"][1]["fact"] is None
    funds = rows["funding.total_invested"]
    assert [c["fact"]["canonical"] for c in funds["cells"]] == [375000000, 120000000]


def test_compare_shows_achieved_first_and_never_ranks_a_target(capsys: Capsys, mini_tree: Path) -> None:
    _append(mini_tree, "beta", TARGET)
    _append(
        mini_tree,
        "beta",
        TARGET.replace("poverty.people_lifted", "poverty.incidence").replace(
            'value = 5000\nunit = "人"', 'value = 0\nunit = "%"'
        ),
    )
    code, out, _ = run(capsys, "compare", "alpha", "beta", "--json", facts=mini_tree)
    rows = {row["metric"]: row for row in json.loads(out)["rows"]}
    lifted = rows["poverty.people_lifted"]["cells"][1]
    assert lifted["fact"]["kind"] == "achieved" and len(lifted["more"]) == 1  # the target is among "more"
    incidence = rows["poverty.incidence"]
    assert incidence["cells"][1]["fact"]["kind"] == "target" and incidence["highest"] is None
    code, out, _ = run(capsys, "compare", "alpha", "beta", "--metric", "incidence", facts=mini_tree)
    assert out.splitlines()[2:5] == [
        "贫困发生率          baseline: 9.5%            target: about 0%",
        "Poverty incidence   2014                      2021",
        "",
    ]


def test_compare_nothing_found_exits_1(capsys: Capsys) -> None:
    code, out, err = run(capsys, "compare", "alpha", "beta", "--theme", "funding", "--metric", "incidence")
    assert (code, out) == (1, "") and "no figures" in err


# --- sources ---------------------------------------------------------------------------------


def test_sources_exact(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "sources")
    assert code == 0
    assert out == text("""
alpha-story  2021-03 (est.)  甲县  7 facts
  甲县脱贫攻坚纪实
alpha-brief  2021-01 (est.)  甲县  1 fact
  甲县简讯
beta-news  2021-01-05  乙区  5 facts
  乙区新闻
""")


def test_sources_json_shape(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--json", "sources")  # a common option before the command counts too
    data = json.loads(out)
    assert code == 0 and [s["id"] for s in data["sources"]] == ["alpha-story", "alpha-brief", "beta-news"]
    assert data["sources"][0] == {
        "id": "alpha-story",
        "title": "甲县脱贫攻坚纪实",
        "outlet": "",
        "date": "2021-03",
        "date_estimated": True,
        "date_note": "fixture",
        "file": "seeds/alpha.txt",
        "county": "alpha",
        "facts": 7,
    }


# --- sheet -----------------------------------------------------------------------------------


def test_sheet_exact(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "sheet", "beta")
    assert code == 0
    assert out == text("""
乙区 Beta
========================================

脱贫人口 People lifted out of poverty:
3100人, 2020
  [乙区新闻, 2021-01-05,
  beta-ggxxoyznl2]

----------------------------------------

受益人口 Beneficiaries: nearly 6.3万人,
2020
  [乙区新闻, 2021-01-05,
  beta-67ruceoxbp]

扶贫资金投入 Funds invested: 1.2亿元,
2020
  [乙区新闻, 2021-01-05,
  beta-grbqjbxo55]
""")


@pytest.mark.parametrize("width", [20, 27, 33, 80])
def test_sheet_wraps_to_width(capsys: Capsys, width: int) -> None:
    code, out, _ = run(capsys, "sheet", "alpha", "--width", str(width))
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) <= width
    words = " ".join(out.split())
    assert "(! another source differs)" in words and "9.5% (baseline)" in words


def test_sheet_json_shape(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "sheet", "alpha", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"county", "items"}
    assert [(i["section"], i["fact"]["metric"]) for i in data["items"]] == [
        ("headline", "poverty.people_lifted"),
        ("headline", "poverty.incidence"),
        ("headline", "poverty.exit_date"),
        ("theme", "funding.total_invested"),
    ]
    assert data["items"][1]["label"] == "Poverty incidence before"
    assert data["items"][0]["citation"] == {
        "source": "alpha-story",
        "short_title": "甲县脱贫攻坚纪实",
        "date": "2021-03",
        "date_estimated": True,
        "fact": "alpha-rbqacpgl4k",
    }


# --- cite ------------------------------------------------------------------------------------


def test_cite_exact(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "cite", "alpha-4qrv64xvvq", "--width", "80")
    assert code == 0
    assert out == text("""
甲土家族自治县, 甲镇, 帮扶干部 (Cadres): 2-3名, 2020. Source: “甲县脱贫攻坚纪
实”, 2021-03 (est.): 「带动2名—3名干部」 [fact alpha-4qrv64xvvq]
""")


def test_cite_bound_in_words_and_json(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "cite", "beta-67ruceoxbp", "--json")
    data = json.loads(out)
    assert code == 0 and {"citation", "fact", "county", "source"} <= set(data)
    assert data["citation"] == (
        "乙区, 受益人口 (Beneficiaries): nearly 6.3万人, 2020. Source: “乙区新闻”, "
        "2021-01-05: 「近6.3万人受益」 [fact beta-67ruceoxbp]"
    )
    assert data["source"]["id"] == "beta-news" and data["county"]["id"] == "beta"


def test_cite_target_says_so(capsys: Capsys, mini_tree: Path) -> None:
    _append(mini_tree, "beta", TARGET)
    base, _ = load(mini_tree / "facts")
    target = next(f for f in base.facts if f.kind == "target")
    code, out, _ = run(capsys, "cite", target.id, facts=mini_tree)
    assert code == 0 and "about 5000人 (a target, not an achievement), 2021" in " ".join(out.split())


# --- data is text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["show", "beta"], ["cite", "beta-evil-fact"], ["sources"], ["compare", "alpha", "beta", "--theme", "funding"]],
)
def test_markup_and_control_characters_in_data_are_printed_as_text(
    capsys: Capsys, mini_tree: Path, argv: list[str]
) -> None:
    _append(mini_tree, "beta", HOSTILE)
    code, out, _ = run(capsys, *argv, facts=mini_tree)
    assert code == 0
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in out)
    expected = {
        "show": "[link=http://x]乙镇[/link]",
        "cite": "[bold]7名[/] 干部\\x1b]0;pwned\\x07\\x9b31m",
        "sources": "[bold red]乙区[/] \\x1b[2J新闻",
        "compare": "in [link=http://x]乙镇",
    }[argv[0]]
    assert expected in "".join(out.split("\n"))


def test_json_escapes_control_characters(capsys: Capsys, mini_tree: Path) -> None:
    _append(mini_tree, "beta", HOSTILE)
    code, out, _ = run(capsys, "cite", "beta-evil-fact", "--json", facts=mini_tree)
    assert code == 0 and not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in out)
    assert json.loads(out)["fact"]["quote"] == "[bold]7名[/] 干部\x1b]0;pwned\x07\x9b31m"


# --- the command line as a whole -------------------------------------------------------------


def test_every_command_is_dispatched_and_has_help() -> None:
    [subparsers] = [a for a in parser()._actions if a.dest == "command"]
    helps = {action.dest: action.help for action in subparsers._choices_actions}  # type: ignore[attr-defined]
    assert set(helps) == {name for name in COMMANDS if name is not None}
    assert all(helps.values())


def test_overview_lists_the_commands(capsys: Capsys) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and all(name in out for name in COMMANDS if name is not None)


# --- search ----------------------------------------------------------------------------------


def test_search_one_line_per_hit(capsys: Capsys) -> None:
    code = main(["search", "--lang", "en", "--facts", str(MINI), "甲县", "脱贫人口"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 2
    assert all(line.startswith("甲县") and "脱贫人口" in line for line in lines)
    assert any("more than 6000人" in line for line in lines) and any("5900人" in line for line in lines)


def test_search_marks_the_matched_part(capsys: Capsys) -> None:
    assert main(["search", "--lang", "en", "--facts", str(MINI), "3.75亿"]) == 0
    out = capsys.readouterr().out
    assert "【3.75】" in out and "3.75亿元" in out


def test_search_ids_and_json(capsys: Capsys) -> None:
    assert main(["search", "--lang", "en", "--facts", str(MINI), "--ids", "摘帽"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("alpha-exit")
    assert main(["search", "--lang", "en", "--facts", str(MINI), "--json", "摘帽"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "摘帽" and data["hits"][0]["id"] == "alpha-exit"
    assert {"score", "spans", "same", "display", "quote"} <= data["hits"][0].keys()


def test_search_exit_codes(capsys: Capsys) -> None:
    assert main(["search", "--lang", "en", "--facts", str(MINI), "xyzzy"]) == 1
    assert "nothing found" in capsys.readouterr().err
    assert main(["search", "--lang", "en", "--facts", str(MINI), "--limit", "0", "甲县"]) == 2
    assert main(["search", "--facts", str(MINI)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and all(line.startswith("povtui: ") for line in err.splitlines())


# --- the shipped facts: never wider than 80 columns ------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Store:
    return Store(*load(resolve_facts_dir()))


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shipped_text_is_never_wider_than_80_columns(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, shipped: Store, lang: str
) -> None:
    base = shipped.base
    monkeypatch.setattr(cli, "open_facts", lambda facts, **_: shipped)  # load once, not once per command
    monkeypatch.setenv("NO_COLOR", "1")
    counties = [c.id for c in base.counties]
    runs: list[list[str]] = [["sources"], ["compare", *counties]]
    for county in counties:
        runs += [
            ["show", county],
            ["sheet", county],
            ["sheet", county, "--width", "80"],
            ["sheet", county, "--width", "20"],
            ["sources", "--county", county],
        ]
        runs += [["compare", county, other] for other in counties if other != county]
        runs += [["show", county, "--theme", theme.id] for theme in base.themes]
    runs += [["cite", fact.id, *width] for fact in base.facts for width in ([], ["--width", "80"])]
    runs += [["search", query, *ids] for query, *_ in SEARCH_TABLE for ids in ([], ["--ids"])]
    runs += [["search", fact.quote[:2]] for fact in base.facts[::7]]
    assert len(base.counties) >= 4 and len(runs) > len(base.facts)
    for argv in runs:
        code = main([*argv, "--lang", lang])
        out = capsys.readouterr().out
        assert code in (0, 1), argv
        if code == 0:
            widest = max(out.splitlines(), key=cell_len)
            limit = int(argv[-1]) if "--width" in argv else 80 if argv[0] != "sheet" else 40
            if argv[0] == "cite" and "--width" not in argv:  # not a terminal: one line, unbroken
                assert len(out.splitlines()) == 1, argv
                continue
            assert cell_len(widest) <= limit, (argv, widest)
            assert "\x1b" not in out, argv
