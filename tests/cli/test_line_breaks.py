"""Every command breaks lines through the one line breaker: on the shipped facts, a figure, a
date, a period or an id that fits on a line is printed whole on one line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.helpers import REPO, run_cli
from tests.unit.test_linebreak import TOKEN

FACTS = ["shizhu-0e3096", "tongnan-b86c5e", "shizhu-376ab1", "shizhu-b7c5d7", "tongnan-26a7d7"]
"""56.14万人次, 0.06%, 超过 6000户 (6000余户), 超过 5000户, 0.6%: figures the old wrap split."""


def _whole(unbroken: str, lines: list[str], width: int) -> None:
    for match in TOKEN.finditer(unbroken):
        if cell_len(match.group()) <= width:
            assert any(match.group() in line for line in lines), (match.group(), lines)


@pytest.mark.parametrize("width", [20, 27, 41])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cite_width_keeps_every_figure_whole(width: int, lang: str) -> None:
    for fact in FACTS:
        code, one_line, _ = run_cli(["cite", fact, "--lang", lang], REPO)
        assert code == 0 and one_line.count("\n") == 1  # into a pipe: one line
        code, out, _ = run_cli(["cite", fact, "--lang", lang, "--width", str(width)], REPO)
        lines = out.splitlines()
        assert code == 0 and max(cell_len(line) for line in lines) <= width
        _whole(one_line, lines, width)


@pytest.mark.parametrize("width", [20, 33])
def test_sheet_keeps_every_figure_whole(width: int) -> None:
    for county in ("石柱", "黔江", "潼南", "奉节"):
        code, out, _ = run_cli(["sheet", county, "--width", str(width)], REPO)
        code, wide, _ = run_cli(["sheet", county, "--width", "80"], REPO)
        lines = out.splitlines()
        assert code == 0 and max(cell_len(line) for line in lines) <= width
        _whole(" ".join(wide.split()), lines, width)


@pytest.mark.parametrize("command", [["show", "石柱"], ["show", "潼南"], ["sources"], ["compare", "石柱", "潼南"]])
def test_eighty_column_commands_keep_every_quote_figure_whole(command: list[str]) -> None:
    code, out, _ = run_cli(command, REPO)
    lines = out.splitlines()
    assert code == 0 and max(cell_len(line) for line in lines) <= 80
    for line in lines:  # the punctuation rules, where a line is one text
        assert not line.endswith(tuple("（「『“《")), line
    for before, after in zip(lines, lines[1:], strict=False):
        assert not after.lstrip().startswith(tuple("。，、；：！？）」』”》")), (before, after)


@pytest.mark.parametrize("width", [50, 60, 80])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_legend_keeps_each_phrase_whole(width: int, lang: str) -> None:
    from tui.domain.vocab import label

    code, out, _ = run_cli(
        ["compare", "石柱", "黔江", "潼南", "奉节", "--theme", "poverty", "--lang", lang, "--width", str(width)], REPO
    )
    assert code == 0
    lines = out.splitlines()
    for key in ("legend.disagree", "legend.missing", "legend.highest"):
        assert any(label(key, lang) in line for line in lines), (key, lines[-3:])
