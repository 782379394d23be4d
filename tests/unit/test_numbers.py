"""Numbers in article text: digits, separators, full-width digits, Chinese numerals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tui.domain.numbers import arabic_numbers, chinese_numeral, values_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十", 10),
        ("十六", 16),
        ("两", 2),
        ("三", 3),
        ("二十", 20),
        ("三百二十", 320),
        ("一万二千", 12000),
        ("十万", 100000),
        ("二〇二〇", 2020),
        ("零", 0),
    ],
)
def test_chinese_numerals(text: str, expected: int) -> None:
    assert chinese_numeral(text) == expected


@pytest.mark.parametrize("text", ["一二三", "万", "", "abc", "三大"])
def test_not_chinese_numerals(text: str) -> None:
    assert chinese_numeral(text) is None


def test_values_in_article_text() -> None:
    text = "贫困户15758户54908人,贫困发生率12.7%，６３,１０１人，十六个指挥部，6.31万人"
    values = values_in(text)
    for wanted in ("15758", "54908", "12.7", "63101", "16", "6.31"):
        assert Decimal(wanted) in values
    assert Decimal(10000) not in values  # the 万 of 6.31万 is a unit, not a numeral


def test_commas_are_read_both_ways() -> None:
    grouped = [n.value for n in arabic_numbers("63,101人")]
    ungrouped = [n.value for n in arabic_numbers("63,101人", grouped=False)]
    assert grouped == [Decimal(63101)]
    assert ungrouped == [Decimal(63), Decimal(101)]
