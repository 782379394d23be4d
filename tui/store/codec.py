"""Records as the index stores them, and back: facts, counties, sources, skips, problems, readings.

Each record is one JSON array in a ``data`` column; a pinyin reading is stored compactly
(:func:`reading_text`). Nothing here writes to the index.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from tui.domain.model import County, Fact, Metric, Problem, Skip, Source, Theme
from tui.paths import label_path
from tui.search.pinyin import Reading

__all__ = [
    "county_data",
    "county_of",
    "county_readings",
    "fact_data",
    "fact_of",
    "iter_rows",
    "model_of",
    "model_readings",
    "problems_of",
    "reading_of",
    "reading_text",
    "relabel",
    "relative",
    "skip_data",
    "skip_of",
    "source_data",
    "source_of",
]

Row = tuple[Any, ...]


def reading_text(reading: Reading | None) -> str:
    """A reading stored compactly: joined syllables, then each syllable's length as a digit."""
    if reading is None:
        return ""
    lengths = "".join(chr(48 + b - a) for a, b in pairwise(reading.starts))
    return f"{reading.joined}\x1f{lengths}\x1f{reading.initials}"


def reading_of(stored: str) -> Reading | None:
    """The reading :func:`reading_text` stored (None for the empty string)."""
    if not stored:
        return None
    joined, lengths, initials = stored.split("\x1f")
    starts, offset = [0], 0
    for ch in lengths:
        offset += ord(ch) - 48
        starts.append(offset)
    return Reading(joined, tuple(starts), initials, frozenset(starts))


def fact_data(fact: Fact) -> str:
    return json.dumps(
        [
            fact.id,
            fact.county,
            fact.metric,
            str(fact.value),
            fact.is_date,
            None if fact.value_max is None else str(fact.value_max),
            fact.unit,
            fact.bound,
            fact.scope,
            fact.kind,
            fact.when,
            fact.source,
            fact.quote,
            str(fact.canonical),
            None if fact.canonical_max is None else str(fact.canonical_max),
            fact.base,
            fact.when_note,
            fact.note,
            fact.line,
            list(fact.former_ids),
            [list(pair) for pair in fact.accept],
        ],
        ensure_ascii=False,
    )


def fact_of(data: str, path: str) -> Fact:
    (
        id_,
        county,
        metric,
        value,
        is_date,
        value_max,
        unit,
        bound,
        scope,
        kind,
        when,
        source,
        quote,
        canonical,
        canonical_max,
        base,
        when_note,
        note,
        line,
        former_ids,
        accept,
    ) = json.loads(data)
    return Fact(
        id_,
        county,
        metric,
        value if is_date else Decimal(value),
        None if value_max is None else Decimal(value_max),
        unit,
        bound,
        scope,
        kind,
        when,
        source,
        quote,
        canonical if is_date else Decimal(canonical),
        None if canonical_max is None else Decimal(canonical_max),
        base,
        when_note,
        note,
        path,
        line,
        tuple(former_ids),
        tuple((rule, reason) for rule, reason in accept),
    )


def county_data(county: County) -> str:
    """A county's record; its region (``parent``) is the seventh field, which SQL reads as ``$[6]``."""
    return json.dumps(
        [county.id, county.name, county.short, county.en, county.pinyin, county.level, county.parent],
        ensure_ascii=False,
    )


def county_of(data: str, path: str) -> County:
    id_, name, short, en, pinyin, level, parent = json.loads(data)
    return County(id_, name, short, en, pinyin, level, parent, path)


def source_data(source: Source) -> str:
    s = source
    return json.dumps(
        [s.id, s.county, s.file, s.title, s.outlet, s.date, s.date_estimated, s.date_note], ensure_ascii=False
    )


def source_of(data: str) -> Source:
    id_, county, file, title, outlet, date, estimated, note = json.loads(data)
    return Source(id_, county, file, title, outlet, date, estimated, note)


def skip_data(skip: Skip) -> str:
    return json.dumps([skip.source, skip.quote, skip.reason, skip.line], ensure_ascii=False)


def skip_of(data: str, path: str) -> Skip:
    source, quote, reason, line = json.loads(data)
    return Skip(source, quote, reason, path, line)


def model_of(conn: sqlite3.Connection) -> tuple[tuple[Theme, ...], tuple[Metric, ...]]:
    """The themes (in their order) and metrics the index holds."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('themes', 'metrics')").fetchall())
    themes = tuple(sorted((Theme(*t) for t in json.loads(meta["themes"])), key=lambda t: (t.order, t.id)))
    metrics = tuple(
        Metric(id_, zh, en, theme, base, tuple(aliases), tuple((rule, why) for rule, why in accept))
        for id_, zh, en, theme, base, aliases, accept in json.loads(meta["metrics"])
    )
    return themes, metrics


def model_readings(conn: sqlite3.Connection) -> dict[str, str]:
    """The stored readings of the names of themes and metrics, by text."""
    readings: dict[str, str] = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'readings'").fetchone()[0])
    return readings


def county_readings(conn: sqlite3.Connection, counties: Sequence[County]) -> Iterator[tuple[str, str]]:
    """(text, stored reading) of each county's short and full name; ``counties`` in file order,
    as the index holds them."""
    rows = conn.execute("SELECT c.reading FROM counties c JOIN files f ON f.id = c.file ORDER BY f.name")
    for county, (stored,) in zip(counties, rows, strict=True):
        for text, one in zip((county.short, county.name), stored.split("\x1e"), strict=False):
            if one:
                yield text, one


def iter_rows(conn: sqlite3.Connection, sql: str, params: Iterable[object] = (), size: int = 512) -> Iterator[Row]:
    """Rows of a query, fetched ``size`` at a time."""
    cursor = conn.execute(sql, tuple(params))
    while rows := cursor.fetchmany(size):
        yield from rows


def relative(label: str, root: Path) -> str:
    """A problem's path, stored relative to the fact tree's root so it can be shown from anywhere."""
    try:
        return str(Path(label).resolve().relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):
        return label


def relabel(stored: str, root: Path) -> str:
    """A stored path (relative to the fact tree's root) as the user would type it here."""
    if os.path.isabs(stored):
        return stored
    return label_path(root / stored)


def problems_of(conn: sqlite3.Connection, root: Path) -> list[Problem]:
    """Every problem the index recorded, in file order, with paths as the user would type them."""
    labels: dict[str, str] = {}
    found = []
    for path, line, message, key, severity in conn.execute(
        "SELECT p.path, p.line, p.message, p.key, p.severity FROM problems p "
        "LEFT JOIN files f ON f.id = p.file ORDER BY coalesce(f.name, ''), p.rowid"
    ):
        if path not in labels:
            labels[path] = relabel(path, root)
        found.append(Problem(labels[path], line, message, key, severity))
    return found
