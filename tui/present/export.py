"""Export facts with normalised values as JSON or CSV, streamed fact by fact."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from tui.domain.facts import Facts
from tui.domain.model import County, Fact
from tui.present.textfmt import formula_safe, json_safe

__all__ = ["FACT_FIELDS", "county_record", "fact_record", "write_csv", "write_json"]

FACT_FIELDS = (
    "id",
    "county",
    "county_short",
    "county_en",
    "theme",
    "metric",
    "metric_zh",
    "metric_en",
    "value",
    "value_max",
    "unit",
    "canonical",
    "canonical_max",
    "base",
    "bound",
    "scope",
    "kind",
    "when",
    "when_note",
    "source",
    "source_id",
    "source_title",
    "source_date",
    "quote",
    "note",
)


def plain_number(value: Decimal | str | None) -> int | float | str | None:
    """A JSON-friendly number: an int when integral, a float otherwise; dates stay strings."""
    if value is None or isinstance(value, str):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def county_record(county: County) -> dict[str, str]:
    return {
        "id": county.id,
        "name": county.name,
        "short": county.short,
        "en": county.en,
        "pinyin": county.pinyin,
        "level": county.level,
        "parent": county.parent,
    }


def fact_record(base: Facts, fact: Fact) -> dict[str, Any]:
    """One fact as a flat record, the shape other tools read."""
    county = base.county(fact.county)
    metric = base.metric(fact.metric)
    source = base.source(fact.source)
    return {
        "id": fact.id,
        "county": county.id,
        "county_short": county.short,
        "county_en": county.en,
        "theme": metric.theme,
        "metric": metric.id,
        "metric_zh": metric.zh,
        "metric_en": metric.en,
        "value": plain_number(fact.value),
        "value_max": plain_number(fact.value_max),
        "unit": fact.unit,
        "canonical": plain_number(fact.canonical),
        "canonical_max": plain_number(fact.canonical_max),
        "base": fact.base,
        "bound": fact.bound,
        "scope": fact.scope,
        "kind": fact.kind,
        "when": fact.when,
        "when_note": fact.when_note,
        "source": source.file,
        "source_id": source.id,
        "source_title": source.title,
        "source_date": source.date,
        "quote": fact.quote,
        "note": fact.note,
    }


def write_json(base: Facts, facts: Iterable[Fact], out: TextIO, counties: Iterable[County]) -> int:
    """Write ``{"counties": [...], "facts": [...]}``, one fact at a time; return the fact count.
    Characters a terminal would act on are ``\\u`` escapes: the JSON decodes to the data as is."""
    out.write('{"counties": ')
    out.write(json_safe(json.dumps([county_record(c) for c in counties], ensure_ascii=False)))
    out.write(', "facts": [')
    count = 0
    for count, fact in enumerate(facts, start=1):
        out.write("\n  " if count == 1 else ",\n  ")
        out.write(json_safe(json.dumps(fact_record(base, fact), ensure_ascii=False)))
    out.write("\n]}\n")
    return count


def _csv_rows(base: Facts, facts: Iterable[Fact]) -> Iterator[dict[str, Any]]:
    for fact in facts:
        yield {
            key: "" if value is None else formula_safe(value) if isinstance(value, str) else value
            for key, value in fact_record(base, fact).items()
        }


def write_csv(base: Facts, facts: Iterable[Fact], out: TextIO, *, bom: bool = False) -> int:
    """Write one CSV row per fact with a header; return the fact count. Control and format
    characters in the data are written as visible escapes (``\\x1b``), so a row is one line; a
    text cell a spreadsheet would run as a formula starts with ``'``; numbers stay numbers.
    ``bom`` starts the file with a UTF-8 byte order mark, which spreadsheets on Chinese Windows
    need to read UTF-8."""
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=FACT_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in _csv_rows(base, facts):
        writer.writerow(row)
        count += 1
    return count
