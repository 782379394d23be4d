"""The app's result line and comparison cells write values through the one vocabulary."""

from __future__ import annotations

import dataclasses

import pytest

from tests.helpers import MINI
from tui.app.widgets.compare_layout import _value_pieces
from tui.app.widgets.search import result_line
from tui.domain.vocab import Lang, bound_word, value_text
from tui.factfiles.loader import load
from tui.search.scoring import Hit

BASE, _ = load(MINI / "facts")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_line_writes_value_kind_and_bound_as_the_vocabulary(lang: Lang) -> None:
    more = next(f for f in BASE.facts if f.bound == "more_than")
    target = dataclasses.replace(more, kind="target", bound="about")
    for fact in (more, target, *BASE.facts):
        assert value_text(fact, lang) in result_line(BASE, Hit(fact, 1, ()), lang).plain
    assert ("目标 约 " if lang == "zh" else "target: about ") in result_line(BASE, Hit(target, 1, ()), lang).plain


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_value_bound_in_words_then_as_the_vocabulary_symbol(lang: Lang) -> None:
    for bound in ("more_than", "at_least", "about", "nearly"):
        fact = dataclasses.replace(next(f for f in BASE.facts if f.bound == "more_than"), bound=bound)
        assert _value_pieces(fact, lang, 40) == ["", value_text(fact, lang, with_kind=False)]
        assert _value_pieces(fact, lang, 3) == ["", f"{bound_word(bound, lang, symbol=True)} 6000人"]
