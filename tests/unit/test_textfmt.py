"""Text layout where a 汉字 is two columns wide: wrap, truncate, pad, columns, sanitize."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from tui.factfiles.loader import load
from tui.paths import resolve_facts_dir
from tui.present.textfmt import columns, json_safe, pad, sanitize, truncate, wrap


def test_wrap_breaks_between_hanzi_and_at_spaces() -> None:
    assert wrap("2014年,按照贫困标准线精准识别出贫困村85个", 20) == [
        "2014年,按照贫困标准",
        "线精准识别出贫困村",
        "85个",
    ]
    assert wrap("more than 6000人  2020  alpha-2404be", 22, "  ") == ["  more than 6000人", "  2020  alpha-2404be"]


def test_wrap_keeps_a_number_with_its_unit_and_punctuation_with_its_text() -> None:
    assert wrap("资金投入3.75亿元", 12) == ["资金投入", "3.75亿元"]
    assert wrap("「截至去年底,累计脱贫6000余人」", 10)[-1] == "6000余人」"
    assert all(not line.startswith(("，", "。", "」")) for line in wrap("甲乙丙丁，戊己庚辛。壬癸」", 8))


def test_wrap_splits_a_word_too_long_for_the_line() -> None:
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("", 10) == [""]


def test_truncate_and_pad_never_cut_a_character_in_half() -> None:
    assert truncate("实干显担当", 7) == "实干显…"
    assert truncate("实干显担当", 10) == "实干显担当"
    assert pad("甲县", 6) == "甲县  " and cell_len(pad("实干显担当", 5)) == 5


def test_columns_pad_each_cell_and_stack_wrapped_lines() -> None:
    assert columns([["贫困人口", "Poor population"], ["54908人", "2014"]], [10, 8]) == [
        "贫困人口    54908人",
        "Poor        2014",
        "population",
    ]


def test_sanitize_makes_control_characters_visible() -> None:
    assert sanitize("a\x1b[31mb\x9b\u202ec\nd\te") == "a\\x1b[31mb\\x9b\\u202ec d e"
    assert sanitize("[bold]甲[/]") == "[bold]甲[/]"


def test_json_safe_escapes_what_json_leaves_raw() -> None:
    text = json_safe(json.dumps({"q": "x\x1b\x9b\u202e\u2028y 汉"}, ensure_ascii=False))
    assert "\x9b" not in text and "\u202e" not in text and "汉" in text
    assert json.loads(text) == {"q": "x\x1b\x9b\u202e\u2028y 汉"}


@pytest.mark.parametrize("width", [9, 20, 37, 80])
def test_every_shipped_quote_wraps_within_width_and_loses_nothing(width: int) -> None:
    base, _ = load(resolve_facts_dir())
    for fact in base.facts:
        lines = wrap(fact.quote, width)
        assert all(cell_len(line) <= width for line in lines), fact.id
        assert "".join(lines).replace(" ", "") == fact.quote.replace(" ", ""), fact.id
