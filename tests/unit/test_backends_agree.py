"""The in-memory and the on-disk search give the very same hits, for random queries made of the
fixture facts' own words, pinyin, initials, numbers and filters, alone and combined."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import MINI
from tui.domain.units import format_plain
from tui.factfiles.loader import load
from tui.search.memory import MemorySearch
from tui.search.pinyin import read
from tui.search.sqlite import SqliteSearch
from tui.store.indexed import IndexedBase
from tui.store.store import open_store

BASE = load(MINI / "facts")[0]
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _pieces(text: str) -> Iterator[str]:
    """Every run of one to four Chinese characters in ``text``."""
    for run in _CJK.findall(text):
        for size in range(1, 5):
            yield from (run[i : i + size] for i in range(len(run) - size + 1))


def _vocabulary() -> dict[str, list[str]]:
    names = [c.short for c in BASE.counties] + [c.name for c in BASE.counties] + [m.zh for m in BASE.metrics]
    texts = names + [f.quote for f in BASE.facts] + [f.scope for f in BASE.facts] + [t.zh for t in BASE.themes]
    readings = [read(t) for t in names + [f.quote for f in BASE.facts]]
    numbers: list[str] = []
    for fact in BASE.facts:
        if not fact.is_date:
            numbers += [str(fact.value), format_plain(fact.canonical), f"{fact.value}{fact.unit}"]
    numbers += ["2014", "2020", "1", "12", "63101", "6.3万"]
    years = sorted({f.when[:4] for f in BASE.facts} | {"2016", "2030"})
    values = sorted({str(f.canonical) for f in BASE.facts if not f.is_date})
    filters = [f"county:{n}" for c in BASE.counties for n in c.names()]
    filters += [f"county:{a.id},{b.short}" for a in BASE.counties for b in BASE.counties]
    filters += [f"kind:{k}" for k in ("achieved", "baseline", "target", "plan", "a", "目标", "成效", "成果", "基数")]
    filters += [f"{key}:{y}" for key in ("when", "year") for y in years]
    filters += [f"when:{a}..{b}" for a in years for b in years]
    filters += [f"theme:{t.id}" for t in BASE.themes] + [f"theme:{t.zh[:2]}" for t in BASE.themes]
    filters += [f"metric:{m.id.split('.')[0]}" for m in BASE.metrics] + [f"metric:{m.zh[:2]}" for m in BASE.metrics]
    filters += [f"unit:{f.unit}" for f in BASE.facts] + [f"unit:{f.base}" for f in BASE.facts]
    filters += ["scope:county"] + [f"scope:{f.scope[:2]}" for f in BASE.facts if not f.is_county_wide]
    filters += [f"source:{s.id}" for s in BASE.sources]
    filters += (
        [f">{v}" for v in values] + [f"<={v}" for v in values] + [f"{a}..{b}" for a in values[:4] for b in values]
    )
    return {
        "chinese": sorted({p for t in texts for p in _pieces(t)}),
        "pinyin": sorted({r.joined[:n] for r in readings for n in range(2, len(r.joined) + 1, 3) if r.joined}),
        "initials": sorted({r.initials.replace(" ", "")[:n] for r in readings for n in (2, 3, 4)} - {""}),
        "english": sorted(
            {w.casefold() for m in BASE.metrics for w in m.en.split()} | {c.en.casefold() for c in BASE.counties}
        ),
        "number": sorted(set(numbers)),
        "filter": sorted(set(filters)),
    }


WORDS = _vocabulary()
part = st.one_of(*(st.sampled_from(words) for words in WORDS.values() if words))
typo = st.sampled_from(WORDS["english"]).map(lambda w: w[:-2] + w[-1] if len(w) > 4 else w)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MemorySearch, SqliteSearch]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POVTUI_INDEX_DIR", str(tmp_path_factory.mktemp("index")))
        store = open_store(Path(MINI / "facts"), in_memory=False)
    assert isinstance(store.base, IndexedBase)
    yield MemorySearch(BASE), SqliteSearch(store.base)
    store.base.conn.close()


def test_the_vocabulary_covers_every_kind_of_part() -> None:
    assert all(WORDS.values()), {k for k, v in WORDS.items() if not v}


@given(parts=st.lists(st.one_of(part, typo), min_size=1, max_size=4), limit=st.sampled_from([None, 1, 5]))
def test_both_back_ends_give_the_same_hits(
    both: tuple[MemorySearch, SqliteSearch], parts: list[str], limit: int | None
) -> None:
    memory, indexed = both
    query = " ".join(parts)
    assert indexed.search(query, limit=limit) == memory.search(query, limit=limit)
