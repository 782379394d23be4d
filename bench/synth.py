"""A synthetic fact tree for scale benchmarks: N counties of M facts each, shaped like the real ones.

Run: ``python bench/synth.py OUT --counties 2800 --facts 100 [--seed 1]``, or import
:func:`generate`. Nothing it writes is meant to be committed. OUT must be empty or absent; it gets:

- ``OUT/facts/metrics.toml``: a copy of the real ``facts/metrics.toml``;
- ``OUT/facts/<county>.toml``: a ``[county]`` record (a made-up Chinese place name with its
  pinyin, id such as ``anping0001``), one or two ``[[source]]`` tables and M ``[[fact]]`` tables;
- ``OUT/seeds/<source>.txt``: one article per source, its title and then every quote of its
  facts, one a line, so that ``povtui check`` finds each quote and each value.

Why it looks real: every fact is a copy of a real fact (its metric, unit, bound, kind, when,
when_note and quote) with its value scaled by a random factor of 0.3-3, rounded to as many
decimals as the real one was written with, and written into the quote where the real value
stood ("3.75亿元" becomes "5.12亿元"). Quotes therefore keep the real length distribution and
their mix of Arabic and Chinese numerals (a value written in Chinese, such as 三大, or a date
is kept as it is). Real county names in the text become the synthetic county's; townships and
villages named by real scopes (中益乡, 宝龙镇严寨村) become made-up 乡/镇/村 names, the same
within one county. About 2% of the counties get a conflict: a second source that gives a
different value for a measure the first source already has, as two articles sometimes do.

The files are written as plain strings, not through a TOML library, so that 2,800 counties of
100 facts take seconds. Facts carry no ``id``: the loader derives one, as for the real files.
The real files' ``note`` and ``[[skip]]`` entries are not copied: they speak of the real numbers.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tui.domain.model import Fact, FactBase  # noqa: E402
from tui.domain.units import DATE, convert  # noqa: E402
from tui.factfiles.loader import fact_id, load  # noqa: E402

__all__ = ["generate"]

PLACE_CHARS: dict[str, str] = {
    "安": "an",
    "平": "ping",
    "宁": "ning",
    "江": "jiang",
    "山": "shan",
    "河": "he",
    "阳": "yang",
    "城": "cheng",
    "昌": "chang",
    "丰": "feng",
    "兴": "xing",
    "华": "hua",
    "新": "xin",
    "德": "de",
    "福": "fu",
    "永": "yong",
    "清": "qing",
    "泉": "quan",
    "石": "shi",
    "龙": "long",
    "凤": "feng",
    "云": "yun",
    "水": "shui",
    "林": "lin",
    "东": "dong",
    "西": "xi",
    "南": "nan",
    "北": "bei",
    "通": "tong",
    "远": "yuan",
    "定": "ding",
    "武": "wu",
    "文": "wen",
    "庆": "qing",
    "隆": "long",
    "盛": "sheng",
    "寿": "shou",
    "泰": "tai",
    "宝": "bao",
    "金": "jin",
    "玉": "yu",
    "桃": "tao",
    "梅": "mei",
    "松": "song",
    "湖": "hu",
    "溪": "xi",
    "川": "chuan",
    "峰": "feng",
    "岭": "ling",
    "源": "yuan",
    "明": "ming",
    "光": "guang",
    "荣": "rong",
    "康": "kang",
    "广": "guang",
    "顺": "shun",
    "吉": "ji",
    "合": "he",
    "仁": "ren",
    "崇": "chong",
    "高": "gao",
    "黄": "huang",
    "白": "bai",
    "青": "qing",
    "桂": "gui",
    "柳": "liu",
    "岩": "yan",
    "坪": "ping",
    "峡": "xia",
    "潭": "tan",
    "洪": "hong",
    "竹": "zhu",
    "茶": "cha",
    "桥": "qiao",
    "沙": "sha",
    "鹤": "he",
    "枫": "feng",
    "秀": "xiu",
    "嘉": "jia",
    "宜": "yi",
    "彭": "peng",
    "霞": "xia",
    "望": "wang",
    "陵": "ling",
}
"""Characters common in Chinese place names, each with its one reading. None is a numeral
(一, 万 …) or reads with ü, so names add no numbers to quotes and their pinyin is plain ascii."""

PROVINCES = (
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "湖南省",
    "湖北省",
    "广西壮族自治区",
    "甘肃省",
    "陕西省",
    "河南省",
    "河北省",
    "山西省",
    "江西省",
    "安徽省",
    "宁夏回族自治区",
    "青海省",
    "西藏自治区",
    "新疆维吾尔自治区",
    "内蒙古自治区",
    "黑龙江省",
    "吉林省",
)
"""Parents, cycled through in county order."""

FACTOR = (0.3, 3.0)
"""The range of the random factor applied to each real value."""
TWO_SOURCES = 0.3
"""The share of counties whose facts come from two articles rather than one."""
CONFLICTS = 0.02
"""The share of counties with a conflicting figure from a second source."""

# Parts of a text: literal text, a name replaced per county, the value, the upper value.
LIT, NAME, VALUE, VALUE_MAX = range(4)
Parts = tuple[tuple[int, str], ...]
FULL, SHORT = "\x00full", "\x00short"
"""Keys of the county's own full and short names in a county's name map."""

_PLACE_SCOPE = re.compile(r"([\u4e00-\u9fff]{2}[乡镇])?([\u4e00-\u9fff]{2}(?:村|社区))?|([\u4e00-\u9fff]{2}景区)")
_ESCAPES = {
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\b"): "\\b",
    ord("\t"): "\\t",
    ord("\n"): "\\n",
    ord("\f"): "\\f",
    ord("\r"): "\\r",
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F) if code not in (8, 9, 10, 12, 13)},
}


def _str(text: str) -> str:
    """``text`` as a TOML basic string."""
    return f'"{text.translate(_ESCAPES)}"'


@dataclass(frozen=True, slots=True)
class Template:
    """A real fact, taken apart so that a county can fill in its names and a new value."""

    metric: str
    unit: str
    bound: str
    kind: str
    when: str
    value: str
    """As written in the real file: a number, or a date string."""
    value_max: str | None
    decimals: int
    """How many decimals the value is written with; -1 when the value cannot be changed."""
    scale: Decimal
    """What one of ``unit`` is in the metric's base unit (1 for dates)."""
    scope: Parts
    quote: Parts
    when_note: Parts | None


@dataclass(frozen=True, slots=True)
class SourceTemplate:
    suffix: str
    """The real source id without its county (``award`` of ``shizhu-award``)."""
    title: Parts
    date: str
    date_estimated: bool


@dataclass(slots=True)
class Row:
    """One fact of a synthetic county, before it is written."""

    template: Template
    value: str
    value_max: str | None
    scope: str
    quote: str
    source: int
    """Index of the county's source."""


def _render(parts: Parts, names: dict[str, str], value: str = "", value_max: str = "") -> str:
    return "".join(
        text if kind == LIT else names[text] if kind == NAME else value if kind == VALUE else value_max
        for kind, text in parts
    )


class _Texts:
    """Splits real texts into parts: real county and place names become NAME parts."""

    def __init__(self, base: FactBase) -> None:
        self.keys: dict[str, str] = {}
        for county in base.counties:
            for full in (county.name, f"{county.short}县", f"{county.short}区"):
                self.keys[full] = FULL
            self.keys[county.short] = SHORT
        self.places = sorted(
            {
                place
                for fact in base.facts
                if (match := _PLACE_SCOPE.fullmatch(fact.scope))
                for place in match.groups()
                if place
            }
        )
        self.keys.update((place, place) for place in self.places)
        self._names = re.compile("|".join(map(re.escape, sorted(self.keys, key=len, reverse=True))))

    def parts(self, text: str) -> Parts:
        found: list[tuple[int, str]] = []
        start = 0
        for match in self._names.finditer(text):
            found += [(LIT, text[start : match.start()]), (NAME, self.keys[match.group()])]
            start = match.end()
        found.append((LIT, text[start:]))
        return tuple(part for part in found if part != (LIT, ""))

    def quote(self, fact: Fact) -> tuple[Parts, int]:
        """The quote's parts with VALUE (and VALUE_MAX) where the value is written, and the
        value's decimals; -1 decimals when the value is not written in digits (三大, dates)."""
        if isinstance(fact.value, str):
            return self.parts(fact.quote), -1
        spans: list[tuple[int, int]] = []
        start = 0
        for number in (fact.value, fact.value_max):
            if number is None:
                continue
            written = re.compile(rf"(?<![0-9.]){re.escape(format(number, 'f'))}(?![.]?[0-9])")
            match = written.search(fact.quote, start)
            if match is None:
                return self.parts(fact.quote), -1
            spans.append(match.span())
            start = match.end()
        parts: list[tuple[int, str]] = []
        start = 0
        for slot, (begin, end) in zip((VALUE, VALUE_MAX), spans, strict=False):
            parts += [*self.parts(fact.quote[start:begin]), (slot, "")]
            start = end
        parts += self.parts(fact.quote[start:])
        return tuple(parts), max(0, -fact.value.as_tuple().exponent)  # type: ignore[operator]


def _templates(base: FactBase) -> tuple[_Texts, list[list[Template]], list[SourceTemplate]]:
    """The real texts, the real facts grouped by measure (metric, scope, kind and when: the
    facts that two real articles, or two real counties, both give) and the real sources."""
    texts = _Texts(base)
    measures: dict[tuple[str, ...], list[Template]] = {}
    for fact in base.facts:
        quote, decimals = texts.quote(fact)
        measures.setdefault((fact.metric, fact.scope, fact.kind, fact.when), []).append(
            Template(
                fact.metric,
                fact.unit,
                fact.bound,
                fact.kind,
                fact.when,
                fact.value if isinstance(fact.value, str) else format(fact.value, "f"),
                None if fact.value_max is None else format(fact.value_max, "f"),
                decimals,
                Decimal(1) if fact.unit == DATE else convert(1, fact.unit, fact.base),
                texts.parts(fact.scope),
                quote,
                texts.parts(fact.when_note) if fact.when_note else None,
            )
        )
    sources = [
        SourceTemplate(
            source.id.removeprefix(f"{source.county}-"), texts.parts(source.title), source.date, source.date_estimated
        )
        for source in base.sources
    ]
    return texts, list(measures.values()), sources


def _county_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct short names: two characters while pairs last, then three."""
    chars = list(PLACE_CHARS)
    pairs = [a + b for a in chars for b in chars if a != b]
    rng.shuffle(pairs)
    names = pairs[:count]
    used = set(names)
    while len(names) < count:
        name = "".join(rng.sample(chars, 3))
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def _place_names(rng: random.Random, places: list[str]) -> dict[str, str]:
    """A distinct made-up name for each real township, village or scenic area, same suffix."""
    chars = list(PLACE_CHARS)
    found: dict[str, str] = {}
    used: set[str] = set()
    for place in places:
        name = place
        while name == place or name in used:
            name = "".join(rng.sample(chars, 2)) + place[2:]
        used.add(name)
        found[place] = name
    return found


def _perturb(rng: random.Random, template: Template) -> tuple[str, str | None]:
    """A new value (and upper value) for ``template``, written with the same decimals."""
    if template.decimals < 0:
        return template.value, template.value_max
    decimals = template.decimals
    step = 10.0**-decimals
    factor = rng.uniform(*FACTOR)
    real = float(template.value)
    low = max(round(real * factor, decimals), step)
    if template.unit == "%" and real <= 100:
        low = min(low, 100.0)
    value = f"{low:.{decimals}f}"
    if template.value_max is None:
        return value, None
    high = max(round(float(template.value_max) * factor, decimals), low + step)
    return value, f"{high:.{decimals}f}"


def _canonical(template: Template, value: str) -> Decimal | str:
    """``value`` in the metric's base unit, as ``povtui check`` compares facts for duplicates."""
    return value if template.unit == DATE else Decimal(value) * template.scale


def _parsed(template: Template, value: str) -> object:
    """``value`` as the loader reads it from the file: a date string, an int or a float."""
    if template.unit == DATE:
        return value
    return float(value) if "." in value else int(value)


def _rows(
    rng: random.Random,
    measures: list[list[Template]],
    county: str,
    names: dict[str, str],
    facts: int,
    sources: list[str],
    conflict: bool,
) -> list[Row]:
    """``facts`` facts for one county. Each measure is drawn once, from one of its real facts,
    until all have been drawn (then again, with other values): one article never gives two
    figures for one measure. With ``conflict`` the last fact gives another value for the
    measure of a fact of source 0, from source 1. ``sources`` are the county's source ids.

    No two facts are duplicates in ``povtui check``'s sense, and no two share the id the loader
    derives (it is 6 hex digits of a hash: at 280,000 facts a clash or two is likely)."""
    rows: list[Row] = []
    seen: set[tuple[object, ...]] = set()
    ids: set[str] = set()

    def add(template: Template, value: str, value_max: str | None, source: int) -> bool:
        scope = _render(template.scope, names)
        key = (
            template.metric,
            scope,
            template.kind,
            template.when,
            source,
            _canonical(template, value),
            None if value_max is None else _canonical(template, value_max),
        )
        quote = _render(template.quote, names, value, value_max or "")
        raw = {
            "source": sources[source],
            "metric": template.metric,
            "scope": scope,
            "kind": template.kind,
            "when": template.when,
            "value": _parsed(template, value),
            "quote": quote,
        }
        derived = fact_id(county, raw)
        if key in seen or derived in ids:
            return False
        seen.add(key)
        ids.add(derived)
        rows.append(Row(template, value, value_max, scope, quote, source))
        return True

    deck: list[list[Template]] = []

    def fill(target: int) -> None:
        for _ in range(50 * facts):
            if len(rows) == target:
                return
            if not deck:
                deck.extend(rng.sample(measures, len(measures)))
            template = rng.choice(deck.pop())
            source = 0 if len(sources) == 1 or rng.random() < 0.6 else 1
            add(template, *_perturb(rng, template), source)
        raise RuntimeError(f"cannot draw {facts} distinct facts from {len(measures)} measures")

    fill(facts - 1 if conflict else facts)
    candidates = [row for row in rows if row.source == 0 and row.template.decimals >= 0]
    for _ in range(50 if conflict and candidates else 0):
        row = rng.choice(candidates)
        value, value_max = _perturb(rng, row.template)
        if value != row.value and add(row.template, value, value_max, 1):
            break
    fill(facts)  # no conflict could be drawn: a plain fact instead
    return rows


def _county_file(
    county: dict[str, str], sources: list[tuple[str, SourceTemplate]], rows: list[Row], names: dict[str, str]
) -> tuple[str, dict[int, list[str]]]:
    """The county file's text, and the quotes of each source in order."""
    lines = ["[county]", *(f"{key} = {_str(value)}" for key, value in county.items()), ""]
    for source_id, template in sources:
        lines += [
            "[[source]]",
            f"id = {_str(source_id)}",
            f'file = "seeds/{source_id}.txt"',
            f"title = {_str(_render(template.title, names))}",
            'outlet = ""',
            f"date = {_str(template.date)}",
            f"date_estimated = {'true' if template.date_estimated else 'false'}",
            "",
        ]
    quotes: dict[int, list[str]] = {index: [] for index in range(len(sources))}
    for row in rows:
        template = row.template
        quotes[row.source].append(row.quote)
        lines += [
            "[[fact]]",
            f"metric = {_str(template.metric)}",
            f"value = {_str(row.value) if template.unit == DATE else row.value}",
        ]
        if row.value_max is not None:
            lines.append(f"value_max = {row.value_max}")
        lines += [
            f"unit = {_str(template.unit)}",
            f"bound = {_str(template.bound)}",
            f"scope = {_str(row.scope)}",
            f"kind = {_str(template.kind)}",
            f"when = {_str(template.when)}",
        ]
        if template.when_note is not None:
            lines.append(f"when_note = {_str(_render(template.when_note, names))}")
        lines += [f"source = {_str(sources[row.source][0])}", f"quote = {_str(row.quote)}", ""]
    return "\n".join(lines), quotes


def generate(out: Path, counties: int, facts: int, seed: int = 1) -> None:
    """Write a synthetic fact tree of ``counties`` counties of ``facts`` facts each under ``out``
    (``out/facts``, ``out/seeds``), the same for the same arguments.

    Raises:
        FileExistsError: ``out`` exists and is not an empty folder.
        RuntimeError: the real fact tree has errors, or holds too few facts to draw from.
    """
    _write(out, counties, facts, seed)


def _write(out: Path, counties: int, facts: int, seed: int) -> int:
    """:func:`generate`, returning the number of bytes written."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not empty: give a new or empty folder")
    base, problems = load(REPO / "facts")
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise RuntimeError(f"the real fact tree has errors, first: {errors[0]}")
    texts, measures, source_templates = _templates(base)
    rng = random.Random(seed)
    facts_dir, seeds_dir = out / "facts", out / "seeds"
    facts_dir.mkdir(parents=True)
    seeds_dir.mkdir()
    shutil.copyfile(REPO / "facts" / "metrics.toml", facts_dir / "metrics.toml")
    written = (facts_dir / "metrics.toml").stat().st_size
    width = max(4, len(str(counties)))
    conflicts = set(rng.sample(range(counties), min(counties, max(1, round(counties * CONFLICTS)))))
    for index, short in enumerate(_county_names(rng, counties)):
        syllables = [PLACE_CHARS[char] for char in short]
        county_id = f"{''.join(syllables)}{index + 1:0{width}d}"
        county = {
            "id": county_id,
            "name": f"{short}县",
            "short": short,
            "en": "".join(syllables).capitalize(),
            "pinyin": " ".join(syllables),
            "level": "县",
            "parent": PROVINCES[index % len(PROVINCES)],
        }
        names = {FULL: county["name"], SHORT: short, **_place_names(rng, texts.places)}
        conflict = index in conflicts
        count = 2 if conflict or rng.random() < TWO_SOURCES else 1
        sources = [
            (f"{county_id}-{template.suffix}", template)
            for template in rng.sample(source_templates, min(count, len(source_templates)))
        ]
        rows = _rows(
            rng,
            measures,
            county_id,
            names,
            facts,
            [source_id for source_id, _ in sources],
            conflict and len(sources) > 1,
        )
        text, quotes = _county_file(county, sources, rows, names)
        data = text.encode("utf-8")
        (facts_dir / f"{county_id}.toml").write_bytes(data)
        written += len(data)
        for number, (source_id, template) in enumerate(sources):
            article = "\n".join([_render(template.title, names), "", *dict.fromkeys(quotes[number]), ""])
            data = article.encode("utf-8")
            (seeds_dir / f"{source_id}.txt").write_bytes(data)
            written += len(data)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, metavar="OUT", help="new or empty folder to write facts/ and seeds/ into")
    parser.add_argument("--counties", type=int, required=True, metavar="N", help="number of counties")
    parser.add_argument("--facts", type=int, required=True, metavar="M", help="facts per county")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.counties < 1 or args.facts < 1:
        parser.error("--counties and --facts must be at least 1")
    started = time.perf_counter()
    try:
        written = _write(args.out, args.counties, args.facts, args.seed)
    except (FileExistsError, RuntimeError) as error:
        print(f"synth: {error}", file=sys.stderr)
        return 1
    print(
        f"{args.counties} counties, {args.counties * args.facts} facts, {written:,} bytes "
        f"in {time.perf_counter() - started:.1f} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
