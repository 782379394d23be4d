"""Units as Chinese articles write them: scale words, compound units, conversion and display.

A unit is an optional scale word (十 百 千 万 十万 百万 千万 亿 万亿) followed by a unit word
(人, 户, 元, 亩, 公斤 …). Unit words belong to a family with one base word; a value converts
between two units only when their families are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, DecimalException, InvalidOperation
from functools import lru_cache

__all__ = [
    "DATE",
    "MAX_EXPONENT",
    "Unit",
    "UnitError",
    "convert",
    "format_plain",
    "format_zh",
    "parse_unit",
    "to_number",
]

DATE = "date"
"""The unit of a figure that is a date (a string ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

MAX_EXPONENT = 30
"""A number must be finite with its leading digit's exponent within ±30 (1e-30 ≤ |x| < 1e31, or a
plain 0): far beyond any figure, and arithmetic on it never overflows or hangs (``1e999999999``)."""

_WIDE = Context(prec=2 * MAX_EXPONENT + 20)
"""Enough digits to write any accepted number (times any unit) out in full."""

SCALES: dict[str, Decimal] = {
    "十": Decimal(10),
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "万亿": Decimal(1_000_000_000_000),
}

_COUNT_WORDS = "个 家 所 座 项 处 支 件 台 批 场 期 种 块 栋 间 套 辆 条 口 本 篇 份 次 类 级".split()

# family base -> {word: factor to the base}
FAMILIES: dict[str, dict[str, Decimal]] = {
    "人": {"人": Decimal(1), "名": Decimal(1), "位": Decimal(1)},
    "人次": {"人次": Decimal(1)},
    "户": {"户": Decimal(1)},
    "个": {word: Decimal(1) for word in _COUNT_WORDS},
    "元": {"元": Decimal(1)},
    "亩": {"亩": Decimal(1), "公顷": Decimal(15)},
    "平方米": {"平方米": Decimal(1), "平方公里": Decimal(1_000_000)},
    "公斤": {
        "公斤": Decimal(1),
        "千克": Decimal(1),
        "斤": Decimal("0.5"),
        "吨": Decimal(1000),
        "担": Decimal(50),
    },
    "公里": {"公里": Decimal(1), "千米": Decimal(1), "米": Decimal("0.001")},
    "张": {"张": Decimal(1)},
    "头": {"头": Decimal(1)},
    "只": {"只": Decimal(1)},
    "群": {"群": Decimal(1)},
    "%": {"%": Decimal(1)},
    "个百分点": {"个百分点": Decimal(1)},
    "倍": {"倍": Decimal(1)},
    "年": {"年": Decimal(1)},
    "天": {"天": Decimal(1)},
}

_WORDS: dict[str, tuple[str, Decimal]] = {
    word: (family, factor) for family, words in FAMILIES.items() for word, factor in words.items()
}


class UnitError(ValueError):
    """A unit that is not understood, or two units that do not convert."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A parsed unit such as 万人 or 亿元."""

    text: str
    """The unit as written."""
    scale: Decimal
    """The scale word's multiplier (1 when there is none)."""
    word: str
    """The unit word after the scale (人, 元, 公斤 …)."""
    family: str
    """The base word of the unit's family; two units convert only within a family."""
    factor: Decimal
    """How many of the family's base the unit word is worth (吨 is 1000 公斤)."""

    @property
    def multiplier(self) -> Decimal:
        """The value of one of this unit in the family's base."""
        return self.scale * self.factor


@lru_cache(maxsize=512)
def parse_unit(text: str) -> Unit:
    """Parse a unit as written: ``"亿元"`` -> scale 1e8 of 元.

    Raises:
        UnitError: the unit is not understood.
    """
    text = text.strip()
    if text == DATE:
        return Unit(DATE, Decimal(1), DATE, DATE, Decimal(1))
    if text in _WORDS:
        family, factor = _WORDS[text]
        return Unit(text, Decimal(1), text, family, factor)
    # Longest scale word first, so that 十万元 is 十万 + 元, not 十 + 万元.
    for scale in sorted(SCALES, key=len, reverse=True):
        rest = text[len(scale) :]
        if text.startswith(scale) and rest in _WORDS:
            family, factor = _WORDS[rest]
            return Unit(text, SCALES[scale], rest, family, factor)
    raise UnitError(f"unknown unit {text!r}")


def to_number(value: object) -> Decimal:
    """Turn a TOML number (or a numeric string) into an exact Decimal.

    Floats go through ``str`` so that 6.31 stays 6.31 and not 6.30999….

    Raises:
        UnitError: the value is not a number, not finite (``nan``, ``inf`` are valid TOML), or
            out of range (see :data:`MAX_EXPONENT`).
    """
    number = _decimal(value)
    if number is None:
        raise UnitError(f"{_brief(value)} is not a number")
    if not number.is_finite():
        raise UnitError(f"{_brief(value)} is not a finite number")
    if abs(number.adjusted()) > MAX_EXPONENT:
        raise UnitError(
            f"{_brief(value)} is out of range: povtui reads numbers"
            f" from 1e-{MAX_EXPONENT} to below 1e{MAX_EXPONENT + 1}"
        )
    return number


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        if isinstance(value, int):
            return Decimal(value)  # exact, whatever its length
        if isinstance(value, float):
            return Decimal(str(value))
        if isinstance(value, str):
            return Decimal(value.replace(",", ""))
    except InvalidOperation:
        pass
    return None


def _brief(value: object) -> str:
    """The value for a message: a hostile value may be megabytes long."""
    if isinstance(value, int) and value.bit_length() > 128:  # repr() refuses ints of 4300+ digits
        return f"a number of about {value.bit_length() * 30103 // 100000 + 1} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def convert(value: object, unit: str, base: str) -> Decimal:
    """Convert ``value`` written in ``unit`` to ``base``: ``convert(3.75, "亿元", "元")`` is 375000000.

    Raises:
        UnitError: a unit is unknown, or the two units are of different families.
    """
    source = parse_unit(unit)
    target = parse_unit(base)
    if source.family != target.family:
        raise UnitError(f"unit {unit!r} does not convert to {base!r}")
    # the result is checked like any number: 1e30 万亿元 fits no base unit
    return to_number(_normal(to_number(value) * source.multiplier / target.multiplier))


def _normal(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    try:
        if number == number.to_integral_value():
            return number.quantize(Decimal(1), context=_WIDE)
        return number.normalize()
    except DecimalException:  # too many digits to write out: leave it as it is
        return number


def _digits(number: Decimal, places: int) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), context=_WIDE)  # round() fails past 28 digits
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_plain(number: Decimal | float | int, unit: str = "") -> str:
    """Plain digits with thousands separators: ``63101`` -> ``63,101``; ``12.7`` + % -> ``12.7%``."""
    number = to_number(number)
    return _digits(number, max(0, -_normal(number).as_tuple().exponent)) + unit  # type: ignore[operator]


def format_zh(number: Decimal | float | int, unit: str = "") -> str:
    """Readable Chinese with 万/亿: ``63101`` + 人 -> ``6.31万人``; ``375000000`` + 元 -> ``3.75亿元``.

    Values below 10,000 and non-additive units (%, 倍) are written out in full.
    """
    number = to_number(number)
    if unit in ("%", "个百分点", "倍", "年", "天") or abs(number) < 10_000:
        return format_plain(number, unit)
    for word, scale in (("亿", SCALES["亿"]), ("万", SCALES["万"])):
        if abs(number) >= scale:
            return _digits(number / scale, 2) + word + unit
    return format_plain(number, unit)  # pragma: no cover - unreachable
