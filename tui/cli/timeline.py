"""A county's values of one metric over time, as the text output writes them (``show --metric``,
``cite --context``): a ``12.7% (2014) → 0% (2020)`` line with the derived change, then one line
per value with its kind, bound, period, a plain-character bar and its sources."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tui.cli.output import figure_json
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, kind_word, value_text, when_text
from tui.present.analysis import bar, change_of, timeline_line
from tui.present.textfmt import cell_len, pack, pad, sanitize, wrap
from tui.present.views import Figure, date_text, short_title

__all__ = ["BAR_WIDTH", "change_json", "change_words", "timeline_json", "timeline_lines"]

BAR_WIDTH = 12
"""The widest bar, in columns."""


def change_words(points: tuple[Figure, ...], lang: Lang) -> str:
    """``−12.7个百分点（推算）`` / ``−12.7 pts (derived)``; empty without a baseline and a result."""
    change = change_of(f for point in points for f in point.facts)
    if change is None:
        return ""
    return f"{change.text(lang)}（推算）" if lang == "zh" else f"{change.text(lang)} (derived)"


def change_json(points: tuple[Figure, ...]) -> dict[str, Any] | None:
    change = change_of(f for point in points for f in point.facts)
    if change is None:
        return None
    return {
        "baseline": change.baseline.id,
        "result": change.result.id,
        "delta": float(change.delta.quantize(Decimal("0.1"))),
        "unit": "percentage points" if change.points else "percent",
        "approximate": change.approximate,
        "derived": True,
    }


def timeline_lines(base: Facts, points: tuple[Figure, ...], lang: Lang, width: int, mark: str = "") -> list[str]:
    """The timeline's lines; ``mark`` is the id of a fact to point at (``cite``)."""
    lines: list[str] = []
    line = timeline_line(points, lang)
    if line:
        change = change_words(points, lang)
        lines += pack([sanitize(line), change], width - 2)
        lines = ["  " + text for text in lines]
    numbers = [p.fact.canonical for p in points if isinstance(p.fact.canonical, Decimal)]
    top = max(numbers, default=Decimal(0))
    bars = width >= 60 and len(numbers) >= 2
    value_width = max(cell_len(sanitize(value_text(p.fact, lang, with_kind=False))) for p in points)
    for point in points:
        fact = point.fact
        kind = kind_word(fact.kind, lang)
        value = sanitize(value_text(fact, lang, with_kind=False))
        shown = bar(fact.canonical, top, BAR_WIDTH) if bars and isinstance(fact.canonical, Decimal) else ""
        sources = "; ".join(
            f"{short_title(base.source(one.source))} {date_text(base.source(one.source), lang)} {one.id}"
            for one in point.facts
        )
        pointer = "▶" if mark and mark in point.ids else " "
        head = f"{pointer} {kind}  {pad(value, value_width)}  {sanitize(when_text(fact) or fact.when)}"
        if bars:
            head += "  " + pad(shown, BAR_WIDTH)
        lines += wrap(head.rstrip(), width) if cell_len(head) > width else [head.rstrip()]
        lines += wrap(sanitize(sources), width, "      ")
    return lines


def timeline_json(base: Facts, scope: str, points: tuple[Figure, ...], lang: Lang) -> dict[str, Any]:
    return {
        "scope": scope,
        "line": timeline_line(points, lang),
        "change": change_json(points),
        "points": [figure_json(base, point, lang) for point in points],
    }
