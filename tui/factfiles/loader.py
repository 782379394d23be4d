"""Load a fact tree: parse every TOML file once, validate it, and return the model plus problems.

One broken county file is reported and the others still load. Nothing here raises on bad
data: every problem names its file and line.
"""

from __future__ import annotations

import difflib
import os
import re
import reprlib
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal

from tui.domain.model import (
    BOUNDS,
    KINDS,
    County,
    Fact,
    FactBase,
    Metric,
    Problem,
    Skip,
    Source,
    Theme,
)
from tui.domain.units import DATE, UnitError, convert, parse_unit, to_number
from tui.factfiles.ids import COUNTY_ID_RE, derived_id, id_problem
from tui.factfiles.rules import RULES
from tui.factfiles.tomlfile import TomlFile, is_dir, read_toml, unreadable
from tui.paths import label_path as _label

__all__ = ["CountyFile", "county_paths", "load", "load_county", "load_metrics", "nearest"]

_STR, _NUM, _INT, _BOOL, _LIST = "a string", "a number", "an integer", "true or false", "a list of strings"
_TABLE = 'a table of strings (rule = "reason")'

# table -> (required keys, optional keys), each key -> expected type
SCHEMA: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "theme": ({"id": _STR, "zh": _STR, "en": _STR, "order": _INT}, {}),
    "metric": ({"id": _STR, "zh": _STR, "en": _STR, "theme": _STR, "base": _STR}, {"aliases": _LIST, "accept": _TABLE}),
    "county": (
        {"id": _STR, "name": _STR, "short": _STR, "en": _STR, "pinyin": _STR, "level": _STR, "parent": _STR},
        {},
    ),
    "source": (
        {"id": _STR, "file": _STR, "title": _STR, "date": _STR},
        {"outlet": _STR, "date_estimated": _BOOL, "date_note": _STR},
    ),
    "fact": (
        {
            "metric": _STR,
            "value": _NUM,
            "unit": _STR,
            "bound": _STR,
            "scope": _STR,
            "kind": _STR,
            "when": _STR,
            "source": _STR,
            "quote": _STR,
        },
        {"value_max": _NUM, "when_note": _STR, "note": _STR, "id": _STR, "former_ids": _LIST, "accept": _TABLE},
    ),
    "skip": ({"source": _STR, "quote": _STR, "reason": _STR}, {}),
}

_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
DATE_RE = re.compile(rf"^{_DATE}$")
WHEN_RE = re.compile(rf"^{_DATE}(?:\.\.{_DATE})?$")

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 60, 60
_brief = _REPR.repr
"""repr() for messages: short, and safe on a table nested 3,000 deep (dotted keys can make one)."""


def control_characters(text: str) -> list[str]:
    """The control and format characters of ``text`` (``U+001B``, ``U+202E``, ``U+200B`` …)
    that a terminal could act on or that hide text; line breaks and tabs are allowed."""
    if text.isprintable():  # no character of categories C* or Z* (but the space): nothing to look at
        return []
    return sorted(
        {f"U+{ord(ch):04X}" for ch in text if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")}
    )


def nearest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The closest names to ``word``, for 'did you mean' messages."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = nearest(word, choices)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _type_ok(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == _BOOL:
        return isinstance(value, bool)
    if expected == _LIST:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if expected == _TABLE:
        return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    # numbers; a date-valued fact carries its value as a string
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


class _Reader:
    """Collects the problems of one file while its tables are checked."""

    def __init__(self, file: TomlFile, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, line: int, message: str, key: str = "", severity: Literal["error", "warning"] = "error") -> None:
        self.problems.append(Problem(self.file.path, line, message, key, severity))

    def tables(self, name: str, *, single: bool = False) -> list[tuple[int, dict[str, Any]]]:
        """The ``[[name]]`` tables (or the one ``[name]``) whose keys are complete and typed."""
        raw = self.file.data.get(name)
        if raw is None:
            return []
        items = [raw] if single and isinstance(raw, dict) else raw
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            shape = f"[{name}]" if single else f"[[{name}]]"
            self.problem(
                self.file.table_line(name) or self.file.key_line(name, 0, name),
                f"'{name}' must be written as {shape} tables",
                name,
            )
            return []
        return [(index, item) for index, item in enumerate(items) if self._fields_ok(name, index, item)]

    def _fields_ok(self, name: str, index: int, table: dict[str, Any]) -> bool:
        required, optional = SCHEMA[name]
        ok = True
        for key in required:
            if key not in table:
                self.problem(self.file.table_line(name, index), f"[{name}] is missing '{key}'", key)
                ok = False
        for key, value in table.items():
            expected = required.get(key) or optional.get(key)
            if expected is None:
                self.problem(
                    self.file.key_line(name, index, key),
                    f"unknown field '{key}' in [{name}]{_did_you_mean(key, [*required, *optional])}",
                    key,
                )
                ok = False
            elif not _type_ok(value, expected):
                self.problem(
                    self.file.key_line(name, index, key),
                    f"'{key}' must be {expected}, not {type(value).__name__} {_brief(value)}",
                    key,
                )
                ok = False
            else:
                self._warn_controls(name, index, key, value)
        return ok

    def _warn_controls(self, name: str, index: int, key: str, value: Any) -> None:
        """Text reaches other people's terminals: say where it hides control characters."""
        texts = [*value, *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else [value]
        found = sorted({c for text in texts if isinstance(text, str) for c in control_characters(text)})
        if found:
            self.problem(
                self.file.key_line(name, index, key),
                f"{key} in [{name}] holds control characters {', '.join(found)}",
                key,
                "warning",
            )

    def line(self, name: str, index: int, key: str = "") -> int:
        return self.file.key_line(name, index, key) if key else self.file.table_line(name, index)


def _load_metrics(facts_dir: Path, problems: list[Problem]) -> tuple[list[Theme], list[Metric]]:
    path = facts_dir / "metrics.toml"
    if not os.path.lexists(path):  # a broken link or a loop is there: read_toml says what it is
        problems.append(Problem(_label(path), 0, "missing: every fact tree needs a metrics.toml"))
        return [], []
    file, found = read_toml(path, _label(path))
    problems.extend(found)
    if file is None:
        return [], []
    reader = _Reader(file, problems)
    _unknown_tables(reader, {"theme", "metric"})
    themes: dict[str, Theme] = {}
    for index, raw in reader.tables("theme"):
        if raw["id"] in themes:
            reader.problem(reader.line("theme", index, "id"), f"theme '{raw['id']}' is defined twice", "id")
            continue
        themes[raw["id"]] = Theme(raw["id"], raw["zh"], raw["en"], raw["order"])
    metrics: dict[str, Metric] = {}
    for index, raw in reader.tables("metric"):
        if raw["id"] in metrics:
            reader.problem(reader.line("metric", index, "id"), f"metric '{raw['id']}' is defined twice", "id")
            continue
        if raw["theme"] not in themes:
            reader.problem(
                reader.line("metric", index, "theme"),
                f"unknown theme '{raw['theme']}'{_did_you_mean(raw['theme'], list(themes))}",
                "theme",
            )
            continue
        try:
            parse_unit(raw["base"])
        except UnitError as error:
            reader.problem(reader.line("metric", index, "base"), f"base: {error}", "base")
            continue
        metrics[raw["id"]] = Metric(
            raw["id"],
            raw["zh"],
            raw["en"],
            raw["theme"],
            raw["base"],
            tuple(raw.get("aliases", ())),
            _accepts(reader, "metric", index, raw),
        )
    return list(themes.values()), list(metrics.values())


def _unknown_tables(reader: _Reader, allowed: set[str]) -> None:
    for key in reader.file.data:
        if key not in allowed:
            line = reader.file.table_line(key) or reader.file.key_line(key, 0, key)
            reader.problem(line, f"unknown table or key '{key}'{_did_you_mean(key, sorted(allowed))}", key)


def _accepts(reader: _Reader, table: str, index: int, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The ``accept = { rule = "reason" }`` of a fact or metric: the check rules it is known to
    trip, each with the curator's reason."""
    found: list[tuple[str, str]] = []
    for rule, reason in raw.get("accept", {}).items():
        line = reader.line(table, index, "accept")
        if rule not in RULES:
            reader.problem(line, f"accept: unknown check rule '{rule}'{_did_you_mean(rule, list(RULES))}", "accept")
        elif not reason.strip():
            reader.problem(line, f"accept: the reason for '{rule}' is empty: say why the rule does not apply", "accept")
        else:
            found.append((rule, reason))
    return tuple(sorted(found))


def fact_id(county: str, raw: dict[str, Any], occurrence: int = 0) -> str:
    """The id derived for a fact that gives none: see :func:`tui.factfiles.ids.derived_id`."""
    return derived_id(county, str(raw.get("source", "")), str(raw.get("quote", "")), occurrence)


class _CountyLoader:
    """Turns one county file into records, reporting what is wrong with it."""

    def __init__(self, reader: _Reader, metrics: dict[str, Metric], root: Path) -> None:
        self.reader = reader
        self.metrics = metrics
        self.root = root
        self.rejected: dict[str, int] = {}
        """Sources of this file that were not loaded, by id, with the line of their problem."""

    def county(self, stem: str) -> County | None:
        tables = self.reader.tables("county", single=True)
        if not tables:
            if "county" not in self.reader.file.data:
                self.reader.problem(1, "missing the [county] table")
            return None
        raw = tables[0][1]
        if not COUNTY_ID_RE.match(raw["id"]):
            self.reader.problem(
                self.reader.line("county", 0, "id"),
                f"county id {_brief(raw['id'])} must be lower-case ascii letters and digits (no '-': "
                "it starts every fact id of the county, before a '-')",
                "id",
            )
            return None
        if raw["id"] != stem:
            self.reader.problem(
                self.reader.line("county", 0, "id"),
                f"county id '{raw['id']}' differs from the file name '{stem}.toml'",
                "id",
            )
        return County(
            raw["id"],
            raw["name"],
            raw["short"],
            raw["en"],
            raw["pinyin"],
            raw["level"],
            raw["parent"],
            self.reader.file.path,
        )

    def sources(self, county: County, known: dict[str, Source]) -> list[Source]:
        found: list[Source] = []
        for index, raw in self.reader.tables("source"):
            if raw["id"] in known or any(s.id == raw["id"] for s in found):
                self.reader.problem(
                    self.reader.line("source", index, "id"), f"source '{raw['id']}' is defined twice", "id"
                )
                continue
            if not DATE_RE.match(raw["date"]):
                self.reader.problem(
                    self.reader.line("source", index, "date"),
                    f"date {raw['date']!r} must be YYYY, YYYY-MM or YYYY-MM-DD",
                    "date",
                )
                continue
            why = _source_file_problem(self.root, raw["file"])
            if why is not None:
                self.reader.problem(self.reader.line("source", index, "file"), why, "file")
                self.rejected.setdefault(raw["id"], self.reader.line("source", index, "file"))
                continue
            found.append(
                Source(
                    raw["id"],
                    county.id,
                    raw["file"],
                    raw["title"],
                    raw.get("outlet", ""),
                    raw["date"],
                    raw.get("date_estimated", False),
                    raw.get("date_note", ""),
                )
            )
        return found

    def facts(self, county: County, sources: dict[str, Source]) -> list[Fact]:
        found: list[Fact] = []
        quotes: dict[tuple[str, str], int] = {}  # facts so far of each (source, quote): their derived ids differ
        for index, raw in self.reader.tables("fact"):
            key = (raw["source"], raw["quote"])
            occurrence = quotes[key] = quotes.get(key, -1) + 1
            fact = self._fact(county, index, raw, sources, occurrence)
            if fact is not None:
                found.append(fact)
        return found

    def skips(self, sources: dict[str, Source]) -> list[Skip]:
        found: list[Skip] = []
        for index, raw in self.reader.tables("skip"):
            if raw["source"] not in sources:
                self._unknown_source("skip", index, raw["source"], sources)
                continue
            found.append(
                Skip(raw["source"], raw["quote"], raw["reason"], self.reader.file.path, self.reader.line("skip", index))
            )
        return found

    def _unknown_source(self, table: str, index: int, name: str, sources: dict[str, Source]) -> None:
        if name in self.rejected:  # say why, rather than "unknown" for a source that is right there
            message = f"source '{name}' is not loaded: its file has a problem (line {self.rejected[name]})"
        else:
            message = f"unknown source '{name}'{_did_you_mean(name, list(sources))}"
        self.reader.problem(self.reader.line(table, index, "source"), message, "source")

    def _fact(
        self, county: County, index: int, raw: dict[str, Any], sources: dict[str, Source], occurrence: int
    ) -> Fact | None:
        problem = self.reader.problem
        line = self.reader.line
        if "id" in raw:
            why = id_problem(raw["id"], county.id)
            if why is not None:  # shown in terminals and cited in reports: refused, never only warned about
                problem(line("fact", index, "id"), f"fact id {_brief(raw['id'])} {why}; this fact is not loaded", "id")
                return None
            own_id = raw["id"]
        else:
            own_id = fact_id(county.id, raw, occurrence)
        former: list[str] = []
        for old in raw.get("former_ids", ()):
            why = id_problem(old, county.id)
            if why is None and old in (own_id, *former):
                why = "is the fact's own id" if old == own_id else "is listed twice"
            if why is not None:
                problem(line("fact", index, "former_ids"), f"former id {_brief(old)} {why}", "former_ids")
            else:
                former.append(old)
        metric = self.metrics.get(raw["metric"])
        if metric is None:
            problem(
                line("fact", index, "metric"),
                f"unknown metric '{raw['metric']}'{_did_you_mean(raw['metric'], list(self.metrics))}",
                "metric",
            )
            return None
        source = sources.get(raw["source"])
        if source is None:
            self._unknown_source("fact", index, raw["source"], sources)
            return None
        for key, allowed in (("bound", BOUNDS), ("kind", KINDS)):
            if raw[key] not in allowed:
                problem(line("fact", index, key), f"{key} {raw[key]!r} must be one of {', '.join(allowed)}", key)
                return None
        if not WHEN_RE.match(raw["when"]):
            problem(
                line("fact", index, "when"),
                f"when {raw['when']!r} must be YYYY, YYYY-MM, YYYY-MM-DD or a period FROM..TO",
                "when",
            )
            return None
        if not raw["quote"].strip():
            problem(line("fact", index, "quote"), "quote is empty", "quote")
            return None
        values = self._values(index, raw, metric)
        if values is None:
            return None
        value, value_max, canonical, canonical_max = values
        return Fact(
            id=own_id,
            county=county.id,
            metric=metric.id,
            value=value,
            value_max=value_max,
            unit=raw["unit"],
            bound=raw["bound"],
            scope=raw["scope"],
            kind=raw["kind"],
            when=raw["when"],
            source=source.id,
            quote=raw["quote"],
            canonical=canonical,
            canonical_max=canonical_max,
            base=metric.base,
            when_note=raw.get("when_note", ""),
            note=raw.get("note", ""),
            path=self.reader.file.path,
            line=line("fact", index),
            former_ids=tuple(former),
            accept=_accepts(self.reader, "fact", index, raw),
        )

    def _values(
        self, index: int, raw: dict[str, Any], metric: Metric
    ) -> tuple[Decimal | str, Decimal | None, Decimal | str, Decimal | None] | None:
        """(value, value_max, canonical, canonical_max), or None after reporting a problem."""
        problem, line = self.reader.problem, self.reader.line
        unit, value = raw["unit"], raw["value"]
        if metric.base == DATE or unit == DATE:
            if unit != DATE or metric.base != DATE:
                problem(
                    line("fact", index, "unit"),
                    f"unit '{unit}' does not convert to '{metric.base}' (metric {metric.id})",
                    "unit",
                )
                return None
            if not isinstance(value, str) or not DATE_RE.match(value):
                problem(
                    line("fact", index, "value"),
                    f"a date value must be a string YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}",
                    "value",
                )
                return None
            return value, None, value, None
        try:
            number = to_number(value)
        except UnitError as error:  # "abc", nan, inf, 1e999999999
            problem(line("fact", index, "value"), str(error), "value")
            return None
        try:
            canonical = convert(number, unit, metric.base)
        except UnitError as error:
            problem(line("fact", index, "unit"), f"{error} (metric {metric.id} is in {metric.base})", "unit")
            return None
        maximum = canonical_max = None
        if "value_max" in raw:
            try:  # checked like value: it was read without a look until a hostile file crashed here
                maximum = to_number(raw["value_max"])
                canonical_max = convert(maximum, unit, metric.base)
            except UnitError as error:
                problem(line("fact", index, "value_max"), f"value_max: {error}", "value_max")
                return None
            if raw["bound"] != "range" or maximum <= number:
                problem(
                    line("fact", index, "value_max"),
                    'value_max needs bound = "range" and must be above value',
                    "value_max",
                )
                return None
        elif raw["bound"] == "range":
            problem(line("fact", index, "bound"), 'bound "range" needs a value_max', "bound")
            return None
        return number, maximum, canonical, canonical_max


def _source_file_problem(root: Path, name: str) -> str | None:
    """Why a source's ``file`` cannot be used, or None. It must be a path inside the fact tree
    (``seeds/…``): a hostile county file must not make ``povtui check`` read, and quote back
    parts of, any file on the machine."""
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.anchor or ".." in pure.parts:
            return f"source file {name!r} must be a path inside the fact tree, such as 'seeds/….txt'"
    why = unreadable(root / name, "a text file")
    return None if why is None else f"source file {name!r} {why} (under {root})"


@dataclass
class CountyFile:
    """What one county file gave: its records and its problems."""

    county: County | None = None
    sources: list[Source] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_metrics(facts_dir: Path) -> tuple[list[Theme], list[Metric], list[Problem]]:
    """The themes and metrics of ``facts_dir/metrics.toml``, and its problems."""
    problems: list[Problem] = []
    themes, metrics = _load_metrics(facts_dir, problems)
    return themes, metrics, problems


def county_paths(facts_dir: Path) -> list[Path]:
    """The county files of a fact folder, in the order they load."""
    return sorted(p for p in facts_dir.glob("*.toml") if p.name != "metrics.toml")


def load_county(
    path: Path,
    metrics: dict[str, Metric],
    root: Path,
    *,
    counties: dict[str, County] | None = None,
    sources: dict[str, Source] | None = None,
    seen_ids: dict[str, Fact] | None = None,
) -> CountyFile:
    """Load one county file. ``counties``, ``sources`` and ``seen_ids`` hold what earlier files
    defined (a second definition is reported and skipped); they are updated in place."""
    counties = {} if counties is None else counties
    sources = {} if sources is None else sources
    seen_ids = {} if seen_ids is None else seen_ids
    result = CountyFile()
    problems = result.problems
    file, found = read_toml(path, _label(path))
    problems.extend(found)
    if file is None:
        return result
    reader = _Reader(file, problems)
    _unknown_tables(reader, {"county", "source", "fact", "skip"})
    loader = _CountyLoader(reader, metrics, root)
    county = loader.county(path.stem)
    if county is None:
        return result
    if county.id in counties:
        reader.problem(
            reader.line("county", 0, "id"),
            f"county '{county.id}' is already defined in {counties[county.id].path}; this file is skipped",
            "id",
        )
        return result
    counties[county.id] = result.county = county
    own: dict[str, Source] = {}
    for source in loader.sources(county, sources):
        own[source.id] = sources[source.id] = source
        result.sources.append(source)
    for fact in loader.facts(county, own):
        claimed = _claimed(fact.id, seen_ids)
        if claimed:  # never a silent replacement: the id keeps citing the first fact, and check fails
            reader.problem(fact.line, f"fact id '{fact.id}' {claimed}; this fact is not loaded", "id")
            continue
        kept = []
        for old in fact.former_ids:
            claimed = _claimed(old, seen_ids)
            if claimed:
                reader.problem(fact.line, f"former id '{old}' {claimed}", "former_ids")
            else:
                kept.append(old)
        if len(kept) < len(fact.former_ids):
            fact = replace(fact, former_ids=tuple(kept))
        for claim in (fact.id, *fact.former_ids):
            seen_ids[claim] = fact
        result.facts.append(fact)
    result.skips.extend(loader.skips(own))
    return result


def _claimed(fact_id: str, seen_ids: dict[str, Fact]) -> str:
    """How ``fact_id`` is already taken by an earlier fact, or "" when it is free."""
    other = seen_ids.get(fact_id)
    if other is None:
        return ""
    if other.id == fact_id:
        return f"is used twice (also {other.path}:{other.line})"
    return f"is already a former id of the fact at {other.path}:{other.line} ({other.id})"


def load(facts_dir: Path) -> tuple[FactBase, list[Problem]]:
    """Load every file of the fact tree in ``facts_dir``; return what loaded and every problem."""
    problems: list[Problem] = []
    root = facts_dir.parent
    if not is_dir(facts_dir):
        problems.append(Problem(_label(facts_dir), 0, "fact folder not found"))
        return FactBase(root=str(root)), problems
    themes, metrics = _load_metrics(facts_dir, problems)
    metric_index = {m.id: m for m in metrics}
    counties: dict[str, County] = {}
    sources: dict[str, Source] = {}
    facts: list[Fact] = []
    skips: list[Skip] = []
    seen_ids: dict[str, Fact] = {}
    paths = county_paths(facts_dir)
    if not paths:
        problems.append(Problem(_label(facts_dir), 0, "no county files (*.toml) in the fact folder"))
    for path in paths:
        loaded = load_county(path, metric_index, root, counties=counties, sources=sources, seen_ids=seen_ids)
        problems.extend(loaded.problems)
        facts.extend(loaded.facts)
        skips.extend(loaded.skips)
    base = FactBase(
        tuple(themes),
        tuple(metrics),
        tuple(counties.values()),
        tuple(sources.values()),
        tuple(facts),
        tuple(skips),
        str(root),
    )
    return base, problems
