"""Line breaking that respects figures, checked on every shipped quote, title and citation at
any width: nothing is lost, no line is too wide, no figure, date, period or id is split unless
it alone is wider than the line, and the Chinese punctuation rules hold wherever they can."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.domain.units import FAMILIES, SCALES
from tui.factfiles.loader import load
from tui.paths import resolve_facts_dir
from tui.present.linebreak import wrap
from tui.present.textfmt import sanitize
from tui.present.views import citation

NO_START = set("。，、；：！？）」』”》")
NO_END = set("（「『“《")

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_BOUND = r"(?:(?:超过|约|近|逾|至少|不足|more than|at least|about|nearly|[>≥≈≲]) ?)?"
_UNIT = "(?:" + "|".join(sorted({w for f in FAMILIES.values() for w in f} | {"人次"}, key=len, reverse=True)) + ")"
_SCALE = "(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + ")"
TOKEN = re.compile(
    rf"\d{{4}}-\d{{2}}(?:-\d{{2}})?(?!\d)"  # a date
    rf"|\d{{4}}\.\.\d{{4}}"  # a period
    rf"|(?<![A-Za-z])[a-z]+-[a-z0-9]{{6,}}"  # a fact id
    rf"|{_BOUND}{_NUMBER}(?:余|多)?{_SCALE}?(?:余|多)?{_UNIT}?(?:余|多)?"  # a number, its bound and unit
)

BASE, _ = load(resolve_facts_dir())
TEXTS = sorted(
    {sanitize(f.quote) for f in BASE.facts}
    | {sanitize(s.title) for s in BASE.sources}
    | {sanitize(citation(BASE, f, lang)) for f in BASE.facts for lang in ("zh", "en")}
)


def _lines_in(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """Where each line is in ``text``: the lines are the text in order, only the spaces where
    a line breaks dropped."""
    spans, at = [], 0
    for line in lines:
        while at < len(text) and text[at] == " " and not line.startswith(" "):
            at += 1
        assert text.startswith(line, at), (text, lines)
        spans.append((at, at + len(line)))
        at += len(line)
    assert not text[at:].strip(" "), (text, lines)
    return spans


def _free(text: str, tokens: list[tuple[int, int]], at: int) -> bool:
    """Whether a line may break before ``text[at]`` by the rules alone."""
    if at <= 0 or at >= len(text):
        return True
    if any(start < at < end for start, end in tokens):
        return False
    before, after = text[at - 1], text[at]
    if after in NO_START or before in NO_END:
        return False
    return " " in (before, after) or (cell_len(before) == 2 and cell_len(after) == 2)


def check(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines), (width, lines)
    spans = _lines_in(text, lines)
    tokens = [m.span() for m in TOKEN.finditer(text)]
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        for token_start, token_end in tokens:
            if cell_len(text[token_start:token_end]) <= width:
                assert not token_start < end <= start < token_end, (text[token_start:token_end], width, lines)
        for at, broken in ((start, text[start] in NO_START), (end, text[end - 1] in NO_END)):
            if broken:  # allowed only inside a run with no free break that is wider than the line
                left = max(i for i in range(at) if _free(text, tokens, i))
                right = min(i for i in range(at + 1, len(text) + 1) if _free(text, tokens, i))
                assert cell_len(text[left:right].strip()) > width, (text[left:right], width, lines)


@given(st.sampled_from(TEXTS), st.integers(min_value=8, max_value=80))
def test_any_shipped_text_at_any_width(text: str, width: int) -> None:
    check(text, width)


@pytest.mark.parametrize("width", [8, 9, 11, 16, 23, 40, 80])
def test_every_shipped_text(width: int) -> None:
    for text in TEXTS:
        check(text, width)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("贫困发生率由摘帽之初的0.6%持续降低到0.06%", 40, ["贫困发生率由摘帽之初的0.6%持续降低到", "0.06%"]),
        ("资助贫困学生56.14万人次", 16, ["资助贫困学生", "56.14万人次"]),
        ("贫困村基数135个 2019-12-31", 20, ["贫困村基数135个", "2019-12-31"]),
        ("电商带动5000余户，户均增收2.5万元", 18, ["电商带动5000余户，", "户均增收2.5万元"]),
        ("蚕桑产业发展了30多年", 16, ["蚕桑产业发展了", "30多年"]),
        ("超过 6000人  2014..2020  shizhu-da7160", 14, ["超过 6000人", "2014..2020", "shizhu-da7160"]),
        ("more than 6000人", 10, ["more than", "6000人"]),  # wider than the line: at its bound
        ("「截至去年底,累计脱贫6000余人」", 10, ["「截至去年", "底,累计脱", "贫", "6000余人」"]),
        ("（甲乙丙丁戊）。", 6, ["（甲乙", "丙丁", "戊）。"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ],
)
def test_examples(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def test_indents_count_in_the_width() -> None:
    assert wrap("搬迁安置1854户6636人", 12, "  ", "    ") == ["  搬迁安置", "    1854户", "    6636人"]
