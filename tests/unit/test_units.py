"""Units: scale words, compound units, conversion to a metric's base, and display."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tui.domain.units import UnitError, convert, format_plain, format_zh, parse_unit

# value, unit as written, metric base, expected canonical value
CONVERSIONS = [
    (3.75, "亿元", "元", "375000000"),
    (6.31, "万人", "人", "63100"),
    (6000, "人", "人", "6000"),
    (2, "名", "人", "2"),
    (869, "名", "人", "869"),
    (1.2, "亿元", "元", "120000000"),
    (35.59, "亿元", "元", "3559000000"),
    (3731.84, "万元", "元", "37318400"),
    (1380, "万元", "元", "13800000"),
    (7, "万担", "公斤", "3500000"),
    (98.52, "万公斤", "公斤", "985200"),
    (10047, "吨", "公斤", "10047000"),
    (2500, "吨", "公斤", "2500000"),
    (4.46, "万亩", "亩", "44600"),
    (6, "万亩", "亩", "60000"),
    (3.16, "万张", "张", "31600"),
    (1933.65, "张", "张", "1933.65"),
    (12.7, "%", "%", "12.7"),
    (0.36, "%", "%", "0.36"),
    (100, "%", "%", "100"),
    (3.2, "个百分点", "个百分点", "3.2"),
    (5, "万人次", "人次", "50000"),
    (33, "个", "个", "33"),
    (16, "家", "个", "16"),
    (222, "个", "个", "222"),
    (1.5, "万个", "个", "15000"),
    (200, "亿元", "元", "20000000000"),
    (10, "亿元", "元", "1000000000"),
    (5.9, "亿元", "元", "590000000"),
    (1, "公顷", "亩", "15"),
    (3, "千米", "公里", "3"),
    (500, "米", "公里", "0.5"),
    (2, "十万元", "元", "200000"),
    (4, "千万元", "元", "40000000"),
    (1.45, "万元", "元", "14500"),
    (8, "万头", "头", "80000"),
    (3, "千元", "元", "3000"),
    (4, "斤", "公斤", "2"),
]


@pytest.mark.parametrize(("value", "unit", "base", "expected"), CONVERSIONS)
def test_convert_to_base(value: float, unit: str, base: str, expected: str) -> None:
    assert convert(value, unit, base) == Decimal(expected)


def test_at_least_thirty_conversion_cases() -> None:
    assert len(CONVERSIONS) >= 30


@pytest.mark.parametrize(
    ("unit", "base"),
    [("万元", "人"), ("户", "人"), ("%", "个百分点"), ("亩", "公斤"), ("人次", "人"), ("张", "个")],
)
def test_units_of_other_families_do_not_convert(unit: str, base: str) -> None:
    with pytest.raises(UnitError, match="does not convert"):
        convert(1, unit, base)


@pytest.mark.parametrize("unit", ["万", "元元", "kg", "", "亿万元", "百分"])
def test_unknown_units_are_errors(unit: str) -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(unit)


def test_parse_keeps_scale_and_word_apart() -> None:
    unit = parse_unit("十万元")
    assert (unit.scale, unit.word, unit.family) == (Decimal(100000), "元", "元")
    assert parse_unit("千米").word == "千米"  # a unit word of its own, not 千 x 米


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        (63101, "人", "6.31万人"),
        (375000000, "元", "3.75亿元"),
        (6000, "人", "6,000人"),
        (12.7, "%", "12.7%"),
        (120000000, "元", "1.2亿元"),
        (10000, "户", "1万户"),
        (0.36, "%", "0.36%"),
    ],
)
def test_format_zh(number: float, unit: str, expected: str) -> None:
    assert format_zh(number, unit) == expected


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [(63101, "", "63,101"), (375000000, "元", "375,000,000元"), (1933.65, "张", "1,933.65张"), (12.7, "%", "12.7%")],
)
def test_format_plain(number: float, unit: str, expected: str) -> None:
    assert format_plain(number, unit) == expected


def test_values_are_exact_decimals() -> None:
    # 6.31 * 10000 in floating point is 63099.99999999999
    assert convert(6.31, "万人", "人") == 63100
    assert str(convert(0.1, "万元", "元")) == "1000"
