"""Reading pinyin stays linear in a quote's length: a long run of characters is read in pieces
(reliability M8: one 1.5M-character quote held the index build for 152 s)."""

from __future__ import annotations

import random

import pytest

from tui.search import pinyin


def _han(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(count))


def test_a_long_run_is_read_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = pinyin._read_run

    def recording(run: str) -> tuple[str, ...]:
        asked.append(len(run))
        return real(run)

    monkeypatch.setattr(pinyin, "_read_run", recording)
    text = "截至2020年底，" + _han(5 * pinyin.RUN_CHUNK + 7) + "。"
    reading = pinyin.read(text)
    assert max(asked) <= pinyin.RUN_CHUNK and sum(asked) == len(text) - 6  # all but 2020 and the two marks
    assert len(reading.starts) == len(text) + 1 and len(reading.initials) == len(text)


def test_a_sentence_reads_as_before() -> None:
    """Runs no longer than a piece are read whole: ordinary quotes keep their phrase readings."""
    assert pinyin.read("重庆市石柱县贫困发生率").joined == "chongqingshishizhuxianpinkunfashenglv"
    text = _han(pinyin.RUN_CHUNK)
    assert pinyin.read(text).joined == "".join(pinyin._read_run(text))


def test_spellings_give_the_name_its_pinyin_and_initials_each_mapped_to_its_characters() -> None:
    text = "贫困发生率 Poverty"
    (itself, same), (joined, owners), (initials, aligned) = pinyin.spellings(text)
    assert (itself, joined, initials) == (text, "pinkunfashenglvpoverty", "pkfsl poverty")
    assert same == aligned == tuple(range(len(text)))
    assert len(owners) == len(joined)
    assert [text[owners[joined.index(part)]] for part in ("kun", "sheng", "lv", "poverty")] == ["困", "生", "率", "P"]
    assert pinyin.spellings("石柱县", {"石柱": ("shi", "zhu")})[1][0] == "shizhuxian"  # the curated reading wins
