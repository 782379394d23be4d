"""Load a fact tree: parse every TOML file once, validate it, and return the model plus problems.

One broken county file is reported and the others still load. Nothing here raises on bad
data: every problem names its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from tui.domain.model import BOUNDS, KINDS, County, Fact, FactBase, Metric, Problem, Skip, Source
from tui.domain.units import DATE, UnitError, convert, to_number
from tui.factfiles.ids import COUNTY_ID_RE, derived_id, id_problem
from tui.factfiles.metrics import read_metrics
from tui.factfiles.schema import DATE_RE, WHEN_RE, TableReader, accepts, brief, did_you_mean, nearest, unknown_tables
from tui.factfiles.tomlfile import is_dir, read_toml, unreadable
from tui.paths import label_path as _label

__all__ = ["CountyFile", "county_paths", "fact_id", "load", "load_county", "nearest"]


def fact_id(county: str, raw: dict[str, Any], occurrence: int = 0) -> str:
    """The id derived for a fact that gives none: see :func:`tui.factfiles.ids.derived_id`."""
    return derived_id(county, str(raw.get("source", "")), str(raw.get("quote", "")), occurrence)


class _CountyLoader:
    """Turns one county file into records, reporting what is wrong with it."""

    def __init__(self, reader: TableReader, metrics: dict[str, Metric], root: Path) -> None:
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
                f"county id {brief(raw['id'])} must be lower-case ascii letters and digits (no '-': "
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
            message = f"unknown source '{name}'{did_you_mean(name, list(sources))}"
        self.reader.problem(self.reader.line(table, index, "source"), message, "source")

    def _fact(
        self, county: County, index: int, raw: dict[str, Any], sources: dict[str, Source], occurrence: int
    ) -> Fact | None:
        problem = self.reader.problem
        line = self.reader.line
        if "id" in raw:
            why = id_problem(raw["id"], county.id)
            if why is not None:  # shown in terminals and cited in reports: refused, never only warned about
                problem(line("fact", index, "id"), f"fact id {brief(raw['id'])} {why}; this fact is not loaded", "id")
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
                problem(line("fact", index, "former_ids"), f"former id {brief(old)} {why}", "former_ids")
            else:
                former.append(old)
        metric = self.metrics.get(raw["metric"])
        if metric is None:
            problem(
                line("fact", index, "metric"),
                f"unknown metric '{raw['metric']}'{did_you_mean(raw['metric'], list(self.metrics))}",
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
            accept=accepts(self.reader, "fact", index, raw),
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
    reader = TableReader(file, problems)
    unknown_tables(reader, {"county", "source", "fact", "skip"})
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
    themes, metrics = read_metrics(facts_dir, problems)
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
