"""Parsing what the user typed into terms, filters and numeric comparisons.

``石柱 pkfsl``, ``county:奉节,黔江 kind:target``, ``when:2014..2016``, ``>=1亿``, ``1e4..5e4``, ``6.3万``, ``0.36%``.
Nothing here raises: what cannot be read as a filter or a number is searched as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tui.domain.units import MAX_EXPONENT, SCALES, UnitError, parse_unit

__all__ = ["FILTER_KEYS", "NumberTerm", "Query", "Range", "parse_number", "parse_query"]

FILTER_KEYS = ("county", "theme", "metric", "unit", "kind", "scope", "source", "when", "year")
MAX_QUERY = 200
"""Characters of a query that are read; the rest is ignored (nobody types more)."""

_NUMBER = re.compile(
    r"^(?P<num>[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"(?P<scale>十万|百万|千万|万亿|[十百千万亿])?(?P<unit>.*)$"
)
_COMPARE = re.compile(r"^(?P<op>>=|<=|>|<|＞|＜|≥|≤)(?P<rest>.+)$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＞＜：", "0123456789.,><:")


@dataclass(frozen=True, slots=True)
class NumberTerm:
    """A number as typed: its value, the place of its last digit, and the unit family if any."""

    text: str
    value: Decimal
    precision: Decimal
    """Half of this is how far a figure may be from ``value`` and still round to it."""
    family: str | None


@dataclass(frozen=True, slots=True)
class Range:
    """A comparison on the normalised value: ``low < v`` / ``low <= v`` …; None is open."""

    low: Decimal | None = None
    high: Decimal | None = None
    low_open: bool = False
    high_open: bool = False
    family: str | None = None

    def holds(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None and (value > self.high or (self.high_open and value == self.high)))


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. Empty when nothing searchable was typed."""

    text: tuple[str, ...] = ()
    """Text terms: runs of Chinese characters or of latin letters (lower-cased)."""
    numbers: tuple[NumberTerm, ...] = ()
    ranges: tuple[Range, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.numbers or self.ranges or self.filters)


def parse_number(token: str) -> NumberTerm | None:
    """``63,101`` / ``6.3万`` / ``3.75亿元`` / ``0.36%`` / ``1e4`` as a number, or None."""
    match = _NUMBER.match(token.translate(_FULLWIDTH))
    if not match:
        return None
    digits = match.group("num").replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None
    if abs(value.adjusted()) > MAX_EXPONENT:
        return None  # 1e999999999 would overflow the arithmetic below; read it as text
    scale = SCALES[match.group("scale")] if match.group("scale") else Decimal(1)
    family = None
    if match.group("unit"):
        try:
            unit = parse_unit(match.group("unit"))
        except UnitError:
            return None
        family, scale = unit.family, scale * unit.multiplier
    exponent = value.as_tuple().exponent
    place = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return NumberTerm(token, value * scale, place * scale, family)


def _parse_range(token: str) -> Range | None:
    token = token.translate(_FULLWIDTH)
    if ".." in token:
        low_text, _, high_text = token.partition("..")
        low = parse_number(low_text) if low_text else None
        high = parse_number(high_text) if high_text else None
        either = low or high
        if (low_text and low is None) or (high_text and high is None) or either is None:
            return None
        family = either.family
        return Range(low.value if low else None, high.value if high else None, family=family)
    match = _COMPARE.match(token)
    if not match:
        return None
    number = parse_number(match.group("rest"))
    if number is None:
        return None
    op = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<"}.get(match.group("op"), match.group("op"))
    if op.startswith(">"):
        return Range(low=number.value, low_open=op == ">", family=number.family)
    return Range(high=number.value, high_open=op == "<", family=number.family)


def _text_terms(token: str) -> list[str]:
    """Runs of Chinese and of latin letters: ``石柱pkfsl`` is two terms."""
    lowered = token.casefold()
    runs = [(m.start(), m.group()) for m in _CJK.finditer(lowered)]
    runs += [(m.start(), m.group()) for m in _LATIN.finditer(lowered)]
    return [run for _, run in sorted(runs)]


def parse_query(text: str) -> Query:
    """Parse a query; never raises."""
    terms: list[str] = []
    numbers: list[NumberTerm] = []
    ranges: list[Range] = []
    filters: list[tuple[str, str]] = []
    for token in text[:MAX_QUERY].split():
        key, colon, value = token.translate(_FULLWIDTH).partition(":")
        if colon and key.casefold() in FILTER_KEYS:
            if value:
                filters.append((key.casefold(), value))
            continue
        bounded = _parse_range(token)
        if bounded is not None:
            ranges.append(bounded)
            continue
        number = parse_number(token)
        if number is not None:
            numbers.append(number)
            continue
        terms.extend(_text_terms(token))
    return Query(tuple(terms), tuple(numbers), tuple(ranges), tuple(filters))
