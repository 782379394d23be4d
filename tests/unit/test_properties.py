"""Properties over arbitrary input, with hypothesis: units round trip, the loader never raises,
search never raises and answers fast, the command line never dies.

The ``ci`` profile (tests/conftest.py) fixes the seed and bounds the examples; run
``pytest tests/unit/test_properties.py --hypothesis-profile=long`` to dig deeper.
"""

from __future__ import annotations

import json
import shutil
import time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers import MINI, leaked, run_cli
from tui.domain.model import BOUNDS, KINDS
from tui.domain.units import DATE, FAMILIES, SCALES, convert, format_plain, format_zh, parse_unit, to_number
from tui.factfiles.check import check
from tui.factfiles.loader import load
from tui.factfiles.schema import SCHEMA
from tui.paths import bundled_root
from tui.search.memory import MemorySearch
from tui.search.query import parse_number

# pytest-timeout's 120 s is per test: the long profile's thousands of examples need longer
pytestmark = pytest.mark.timeout(120 * max(1, settings.default.max_examples // 100))


def scaled(share: float) -> settings:
    """A share of the profile's examples, for tests whose example costs a load or a process."""
    return settings(max_examples=max(10, int(settings.default.max_examples * share)))


# --- units ------------------------------------------------------------------------------------

WORDS = sorted(word for words in FAMILIES.values() for word in words)
UNITS = [(scale, word) for scale in ["", *SCALES] for word in WORDS]
NUMBERS = st.decimals(min_value=0, max_value=Decimal("1e13"), places=3, allow_nan=False, allow_infinity=False)


def test_every_unit_word_with_every_scale_parses_and_converts() -> None:
    """Not sampled: all 10 scales (and none) times every unit word."""
    assert len(UNITS) >= 400
    for scale, word in UNITS:
        unit = parse_unit(scale + word)
        family, factor = next((f, words[word]) for f, words in FAMILIES.items() if word in words)
        assert unit.multiplier == SCALES.get(scale, Decimal(1)) * factor, scale + word
        assert unit.family == family
        assert convert(7, scale + word, family) == to_number(7) * unit.multiplier
    assert parse_unit(DATE).family == DATE


@given(value=NUMBERS, unit=st.sampled_from(UNITS))
def test_convert_to_the_base_and_back_is_exact(value: Decimal, unit: tuple[str, str]) -> None:
    text = "".join(unit)
    family = parse_unit(text).family
    there = convert(value, text, family)
    assert there == value * parse_unit(text).multiplier
    assert convert(there, family, text) == value


@given(
    value=st.decimals(
        min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4, allow_nan=False, allow_infinity=False
    ),
    unit=st.sampled_from(["", *WORDS]),
)
def test_format_plain_reads_back_exactly(value: Decimal, unit: str) -> None:
    text = format_plain(value, unit)
    assert text.endswith(unit)
    assert to_number(text[: len(text) - len(unit)]) == value


@given(value=NUMBERS, base=st.sampled_from(sorted(FAMILIES)))
def test_format_zh_reads_back_as_the_same_figure(value: Decimal, base: str) -> None:
    """What the app prints (6.31万人) a user can type back and find the figure it rounds."""
    shown = format_zh(value, base)
    typed = parse_number(shown)
    assert typed is not None, shown
    assert typed.family == parse_unit(base).family, shown
    assert abs(typed.value - value) <= typed.precision / 2, shown


@example(1e28)  # found by the long profile: format_plain rounded it with 28 digits of precision
@example(9.999e30)
@example("1e-30")
@given(
    st.one_of(
        st.floats(),
        st.integers(),
        st.text(max_size=40),
        st.booleans(),
        st.none(),
        st.sampled_from(["nan", "-inf", "sNaN", "1e999999999", "1e-999999999", "0e-99999999"]),
    )
)
def test_to_number_accepts_finite_numbers_or_raises_unit_error(value: object) -> None:
    try:
        number = to_number(value)
    except ValueError as error:  # UnitError is a ValueError; nothing else may escape
        assert type(error).__name__ == "UnitError"
        return
    assert number.is_finite() and abs(number.adjusted()) <= 30
    format_plain(number)
    format_zh(number)


# --- the loader -------------------------------------------------------------------------------

TABLES = ["county", "source", "fact", "skip", "theme", "metric"]
KEYS = sorted({key for required, optional in SCHEMA.values() for key in (*required, *optional)})

scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def toml_key(key: str) -> str:
    return key if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string; control characters (which TOML forbids raw) as \\u escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        return repr(value) if abs(value) != float("inf") else "inf" if value > 0 else "-inf"
    if isinstance(value, int):
        return str(value) if value.bit_length() < 13_000 else "0"  # str() refuses 4300+ digits
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return value.isoformat()  # type: ignore[attr-defined]


def toml_document(tables: list[tuple[str, bool, dict[str, object]]]) -> str:
    lines = []
    for name, many, table in tables:
        lines.append(f"[[{toml_key(name)}]]" if many else f"[{toml_key(name)}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
        lines.append("")
    return "\n".join(lines)


# Tables a curator might write: right but for one or two fields, which hold anything at all.
RIGHT: dict[str, list[object]] = {
    "value": [
        4800,
        3.75,
        2,
        "6.3",
        0,
        -5,
        float("inf"),
        float("-inf"),
        float("nan"),
        "NaN",
        "sNaN",
        "1e999999999",
        "1e-999999999",
        "0e-99999999",
        10**40,
        10**3000,
        1e-300,
        1e300,
        "abc",
        "",
        "2019-04",
    ],
    "bound": list(BOUNDS),
    "scope": ["county", "甲镇", ""],
    "kind": list(KINDS),
    "when": ["2014", "2014..2020", "2020-12-31"],
    "source": ["zz-news", "beta-news", "nowhere"],
    "quote": ["乙区2014年识别贫困户800户3000人", "投入资金1.2亿元", " "],
}
METRIC_UNITS = [
    ("poverty.poor_people", "人"),
    ("poverty.poor_people", "万亿人"),
    ("funding.total_invested", "亿元"),
    ("poverty.incidence", "%"),
    ("poverty.exit_date", "date"),
    ("funding.cadres", "名"),
    ("poverty.poor_people", "亿元"),
]
OPTIONAL: dict[str, list[object]] = {
    "value_max": [3, 5000, 10**40, float("inf"), float("nan"), "x", "1e999999999"],
    "id": ["alpha-exit", "zz-1", ""],
    "note": ["", "注"],
    "when_note": ["去年"],
}


@st.composite
def fact_tables(draw: st.DrawFn) -> dict[str, object]:
    metric, unit = draw(st.sampled_from(METRIC_UNITS))
    fact: dict[str, object] = {
        "metric": metric,
        "unit": unit,
        **{k: draw(st.sampled_from(v)) for k, v in RIGHT.items()},
    }
    for key in draw(st.lists(st.sampled_from(sorted(OPTIONAL)), max_size=2, unique=True)):
        fact[key] = draw(st.sampled_from(OPTIONAL[key]))
    if "value_max" in fact and draw(st.booleans()):
        fact["bound"] = "range"
    for key in draw(st.lists(st.sampled_from([*fact, *KEYS, "extra"]), max_size=2, unique=True)):
        fact[key] = draw(values)
    return fact


COUNTY = {
    "id": "zz",
    "name": "泽泽县",
    "short": "泽泽",
    "en": "Zz",
    "pinyin": "ze ze",
    "level": "县",
    "parent": "重庆市",
}
SOURCE_FILES = [
    "seeds/zz.txt",
    "seeds/beta.txt",
    "/etc/hostname",
    "../tree/seeds/zz.txt",
    "seeds/../seeds/zz.txt",
    "seeds",
    "seeds/\x00",
    "a" * 5000,
    "C:\\x.txt",
    "",
]


@st.composite
def plausible_documents(draw: st.DrawFn) -> list[tuple[str, bool, dict[str, object]]]:
    county: dict[str, object] = dict(COUNTY)
    source: dict[str, object] = {
        "id": "zz-news",
        "file": draw(st.sampled_from(SOURCE_FILES)),
        "title": "泽泽新闻",
        "date": draw(st.sampled_from(["2021-01", "2021-13", "21"])),
    }
    for table in (county, source):
        for key in draw(st.lists(st.sampled_from([*table, "extra"]), max_size=1)):
            table[key] = draw(values | st.sampled_from(["alpha", "beta", "zz", "ZZ"]))
    facts = draw(st.lists(fact_tables(), min_size=1, max_size=4))
    return [("county", False, county), ("source", True, source)] + [("fact", True, f) for f in facts]


arbitrary_documents = st.lists(
    st.tuples(
        st.sampled_from(TABLES) | st.text(min_size=1, max_size=8),
        st.booleans(),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=6),
    ),
    max_size=5,
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tree plus a seed for the county file each example writes (facts/zz.toml)."""
    root = tmp_path_factory.mktemp("prop") / "tree"
    shutil.copytree(MINI, root)
    (root / "seeds" / "zz.txt").write_bytes((root / "seeds" / "beta.txt").read_bytes())
    return root


ZZ = (MINI / "facts" / "beta.toml").read_text(encoding="utf-8").replace("beta", "zz")
"""A clean county file, ready to be mutated: beta's file under another id."""


def _assert_loads_around(root: Path, data: bytes, name: str = "zz.toml") -> None:
    """Writing ``data`` as facts/<name>: no exception; every problem names a file of the tree
    and a line of it; alpha and beta lose nothing; check runs on whatever loaded."""
    path = root / "facts" / name
    path.write_bytes(data)
    try:
        base, problems = load(root / "facts")
        problems = problems + check(base, with_coverage=True)
    finally:
        path.unlink()
    lines = data.count(b"\n") + 1
    for problem in problems:
        assert isinstance(problem.line, int) and problem.severity in ("error", "warning"), problem
        if problem.path.endswith(f"facts/{name}"):
            assert 0 <= problem.line <= lines, problem
        else:  # only coverage speaks of another file: a seed, if the county file used one
            assert problem.path.startswith("seeds/") and "is not covered" in problem.message, problem
    assert len(base.select(county="alpha")) == 8 and len(base.select(county="beta")) == 5
    for fact in base.facts:  # whatever loaded is a number that can be shown and compared
        assert isinstance(fact.canonical, str) or fact.canonical.is_finite()
        if isinstance(fact.canonical, Decimal):
            format_zh(fact.canonical, fact.base)


@pytest.mark.slow  # heavy; the full suite runs it, the quick loop (-m 'not slow') does not
@scaled(2)
@given(doc=plausible_documents())
def test_loader_on_plausible_county_files(tree: Path, doc: list[tuple[str, bool, dict[str, object]]]) -> None:
    _assert_loads_around(tree, toml_document(doc).encode("utf-8"))


@given(doc=arbitrary_documents)
def test_loader_on_arbitrary_toml_documents(tree: Path, doc: list[tuple[str, bool, dict[str, object]]]) -> None:
    _assert_loads_around(tree, toml_document(doc).encode("utf-8"))


@given(data=st.binary(max_size=3000))
def test_loader_on_arbitrary_bytes(tree: Path, data: bytes) -> None:
    _assert_loads_around(tree, data)


@given(data=st.text(max_size=1500))
def test_loader_on_arbitrary_text(tree: Path, data: str) -> None:
    _assert_loads_around(tree, data.encode("utf-8"))


@scaled(2)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(ZZ.encode("utf-8"))),
            st.integers(0, 6),
            st.binary(max_size=6)
            | st.sampled_from([b"[", b"]", b'"', b"=", b"\n", b"\\u001b", b"nan", b"1e999", b"[[fact]]\n", b"\xff"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_loader_on_a_county_file_with_bytes_changed(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(ZZ.encode("utf-8"))
    for at, cut, insert in edits:
        data[at : at + cut] = insert
    _assert_loads_around(tree, bytes(data))


@given(data=st.binary(max_size=2000) | st.text(max_size=800).map(str.encode))
def test_loader_on_an_arbitrary_metrics_file(tree: Path, data: bytes) -> None:
    path = tree / "facts" / "metrics.toml"
    kept = path.read_bytes()
    path.write_bytes(data)
    try:
        base, problems = load(tree / "facts")
        check(base)
    finally:
        path.write_bytes(kept)
    assert all(isinstance(p.line, int) and p.path.endswith((".toml", "facts")) for p in problems)
    assert all(0 <= p.line <= data.count(b"\n") + 1 for p in problems if p.path.endswith("metrics.toml"))


# --- search -----------------------------------------------------------------------------------


@cache
def _index(which: str) -> MemorySearch:
    return MemorySearch(load(MINI / "facts" if which == "mini" else bundled_root() / "facts")[0])


ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates and controls too
SYNTAX = st.sampled_from(
    [
        "county:",
        "county:石柱",
        "theme:",
        "metric:",
        "unit:户",
        "kind:target",
        "scope:",
        "source:",
        ":",
        "county:>=",
        ">=",
        ">",
        "<",
        "<=",
        "≥1亿",
        "＞",
        "..",
        "1..",
        "..1",
        "1e4..5e4",
        "5..1",
        "1e999999999",
        "1e-999999999",
        ">1e999999",
        "0..0",
        "-1",
        "6.3万",
        "63,101",
        "0.36%",
        "3.75亿",
        "１２",
        "1e4亿元",
        "9" * 300,
        "(.*)+",
        "[",
        "\\",
        "*?",
        "^$",
        "(?P<x>",
        "\\x00",
        "%s",
        "{0}",
        "石柱",
        "pkfsl",
        "qianjang",
        "shizhu",
        "\x1b[2J",
        "\x1b]52;c;aGk=\x07",
        "\u202e",
        "\u200b",
        "\x00",
        "\ud800",
        "\udcff",
        "[bold]",
        "[@click=app.quit]",
    ]
)
queries = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(SYNTAX | st.text(ANY_CHAR, max_size=6), max_size=8).map(" ".join),
    st.tuples(st.text(ANY_CHAR, min_size=1, max_size=12), st.integers(1, 10_000)).map(lambda t: (t[0] * t[1])[:10_000]),
    st.just("a" * 10_000),
    st.just("石" * 10_000),
    st.just("1" * 10_000),
    st.just("county:" * 1500),
)


@pytest.mark.parametrize("which", ["mini", "shipped"])
@given(query=queries, limit=st.none() | st.integers(1, 50))
def test_search_never_raises_and_answers_fast(which: str, query: str, limit: int | None) -> None:
    index = _index(which)
    started = time.process_time()  # CPU time: other processes on the machine do not count
    hits = index.search(query, limit=limit)
    assert time.process_time() - started < 2.0, f"{len(query)} characters took too long"
    assert limit is None or len(hits) <= limit
    for hit in hits:
        for span in hit.spans:
            if span.field == "quote":
                assert 0 <= span.start <= span.end <= len(hit.fact.quote)


# --- the command line -------------------------------------------------------------------------

WORDS_OF_THE_CLI = st.sampled_from(
    [
        "search",
        "show",
        "compare",
        "sources",
        "sheet",
        "cite",
        "check",
        "export",
        "--json",
        "--ids",
        "--limit",
        "--width",
        "--theme",
        "--metric",
        "--county",
        "--format",
        "--coverage",
        "--facts",
        "--version",
        "--lang",
        "--help",
        "-h",
        "--",
        "-",
        "csv",
        "json",
        "zh",
        "en",
        "alpha",
        "beta",
        "甲县",
        "jx",
        "Beta",
        "poverty",
        "funding",
        "people_lifted",
        "alpha-exit",
        "beta-7t7wnqfswd",
        "0",
        "-1",
        "20",
        "80",
        "1e999999999",
        "6.3万",
        ">=1亿",
        "county:",
        str(MINI),
        "/",
        ".",
        "/nonexistent",
        "~nobody",
    ]
)
argvs = st.lists(WORDS_OF_THE_CLI | st.text(ANY_CHAR, max_size=8) | SYNTAX, max_size=7)


@scaled(3)
@given(argv=argvs)
def test_the_command_line_exits_0_1_or_2_on_any_argv(argv: list[str]) -> None:
    code, out, err = run_cli(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert not leaked(out) and not leaked(err), (argv, leaked(out), leaked(err))
    if code == 2:  # one line saying what was wrong (after any warning about the fact tree)
        assert err.endswith("\n") and err.splitlines()[-1].startswith("povtui: "), err
    if "--json" in argv and code in (0, 1) and out and not {"-h", "--help", "--version"} & set(argv):
        json.loads(out)
