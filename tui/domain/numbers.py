"""Numbers in Chinese text: Arabic digits (half- or full-width, with separators) and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Number", "arabic_numbers", "chinese_numeral", "numbers_in", "values_in"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

# Digits, optionally grouped by commas in threes, optionally with a decimal part.
_ARABIC = re.compile(r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_ARABIC_UNGROUPED = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text, with its span."""

    start: int
    end: int
    text: str
    value: Decimal


def _to_decimal(text: str) -> Decimal:
    return Decimal(text.translate(_FULLWIDTH).replace(",", ""))


def arabic_numbers(text: str, *, grouped: bool = True) -> list[Number]:
    """Every run of Arabic digits in ``text``.

    With ``grouped`` (the default) ``63,101`` is one number; without it, two. Articles use
    ASCII commas both as separators and as punctuation, so callers that must not miss a
    reading ask for both.
    """
    pattern = _ARABIC if grouped else _ARABIC_UNGROUPED
    return [Number(m.start(), m.end(), m.group(), _to_decimal(m.group())) for m in pattern.finditer(text)]


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral such as 十六, 两, 三百二十, 一万二千; None if it is not one."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch not in _CN_BIG for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        # 一二三 is a list, not a number; 二〇二〇 is a year written digit by digit.
        if all(ch in "零〇一二三四五六七八九" for ch in text) and len(text) == 4:
            return int("".join(str(_CN_DIGITS[ch]) for ch in text))
        return None
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            section += digit
            if section == 0:
                return None
            total += section * _CN_BIG[ch]
            section = digit = 0
    return total + section + digit


def numbers_in(text: str) -> list[Number]:
    """Every number in ``text``: Arabic (both readings of commas) and Chinese numerals."""
    found = arabic_numbers(text) + arabic_numbers(text, grouped=False)
    for match in _CN_RUN.finditer(text):
        run = match.group()
        # A lone scale word right after digits (6.31万) is a unit, not a numeral.
        if all(ch in _CN_BIG for ch in run):
            continue
        for piece in _numeral_pieces(run):
            value = chinese_numeral(piece)
            if value is not None:
                start = match.start() + run.index(piece)
                found.append(Number(start, start + len(piece), piece, Decimal(value)))
    return found


def _numeral_pieces(run: str) -> list[str]:
    """The run itself and its single characters, so 一二三产业 still yields 一, 二, 三."""
    pieces = [run]
    if len(run) > 1:
        pieces.extend(ch for ch in run if ch in _CN_DIGITS)
    return pieces


def values_in(text: str) -> set[Decimal]:
    """The set of numeric values written in ``text``."""
    return {number.value for number in numbers_in(text)}
