"""The reading commands of ``povtui``: show, compare, sources, sheet and cite.

Each handler loads the fact base, asks :mod:`tui.present.views` for the data and only formats it:
plain text at most 80 columns wide (a 汉字 counts 2), or JSON with ``--json``. Data is
printed as text, never as markup, and its control characters are escaped. The JSON shapes
are documented in ``docs/CLI.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import Any

from tui.cli.args import WIDTH
from tui.cli.common import (
    Exit,
    UsageError,
    emit_json,
    find_county,
    load_args,
    search_index,
    warn_problems,
)
from tui.domain.model import Fact, FactBase, Source
from tui.factfiles.loader import nearest
from tui.present.export import county_record, fact_record
from tui.present.textfmt import cell_len, columns, pad, sanitize, truncate, wrap
from tui.present.views import (
    Cell,
    CompareRow,
    by_theme,
    citation,
    compare_rows,
    date_text,
    display_value,
    find_metric,
    find_theme,
    headlines,
    nearest_fact_ids,
    short_title,
    source_summaries,
)
from tui.search.memory import Hit

__all__ = ["COMMANDS", "WIDTH"]

Handler = Callable[[argparse.Namespace], int]


# --- output -------------------------------------------------------------------------------


def _emit(lines: Iterable[str]) -> None:
    for line in lines:
        print(sanitize(line))


def _none(message: str) -> int:
    print(f"povtui: {sanitize(message)}", file=sys.stderr)
    return Exit.NONE


def _fact_json(base: FactBase, fact: Fact) -> dict[str, Any]:
    return dict(
        fact_record(base, fact),
        display=display_value(fact),
        disagrees_with=[other.id for other in base.disagreements(fact)],
    )


def _kind_prefix(fact: Fact) -> str:
    """A target or a baseline is never shown like an achievement."""
    return "" if fact.kind == "achieved" else f"{fact.kind}: "


def _county_title(base: FactBase, county: str) -> str:
    c = base.county(county)
    return sanitize(f"{c.name} {c.short} {c.en} ({c.id})")


def _theme_arg(base: FactBase, name: str | None) -> str | None:
    if name is None:
        return None
    theme = find_theme(base, name)
    if theme is None:
        raise UsageError(f"unknown theme {name!r}; themes: {', '.join(t.id for t in base.themes)}")
    return theme.id


def _loaded(args: argparse.Namespace) -> FactBase:
    base, problems = load_args(args)
    warn_problems(problems)
    return base


# --- show ---------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> int:
    base = _loaded(args)
    county = find_county(base, args.county)
    groups = by_theme(base, county.id, _theme_arg(base, args.theme))
    if args.json:
        emit_json(
            {
                "county": county_record(county),
                "themes": [
                    {
                        "id": g.theme.id,
                        "zh": g.theme.zh,
                        "en": g.theme.en,
                        "facts": [_fact_json(base, f) for f in g.facts],
                    }
                    for g in groups
                ],
            }
        )
    elif groups:
        count = sum(len(g.facts) for g in groups)
        lines = wrap(f"{_county_title(base, county.id)}: {count} facts", WIDTH)
        names = [sanitize(base.metric(f.metric).zh) for g in groups for f in g.facts]
        name_width = min(max(cell_len(n) for n in names), 20)
        detail_width = WIDTH - 2 - name_width - 2
        for group in groups:
            lines += [""] + wrap(sanitize(f"{group.theme.zh} {group.theme.en}"), WIDTH)
            for fact in group.facts:
                row = columns(
                    [[sanitize(base.metric(fact.metric).zh)], [_show_detail(base, fact)]], [name_width, detail_width]
                )
                lines += ["  " + line for line in row]
        _emit(lines)
    if not groups:
        return _none(f"no facts for {county.short}" + (f" in theme {args.theme}" if args.theme else ""))
    return Exit.OK


def _show_detail(base: FactBase, fact: Fact) -> str:
    parts = [_kind_prefix(fact) + display_value(fact), _when(fact)]
    if not fact.is_county_wide:
        parts.append(f"in {fact.scope}")
    parts.append(fact.id)
    differs = base.disagreements(fact)
    if differs:
        parts.append("! differs from " + ", ".join(other.id for other in differs))
    return sanitize("  ".join(part for part in parts if part))


def _when(fact: Fact) -> str:
    """The period, unless a date figure already says it."""
    return "" if fact.when == fact.value else fact.when


# --- compare ------------------------------------------------------------------------------

_NAME_WIDTH = 18
_MIN_COLUMN = 12
_MAX_COLUMN = 24


def cmd_compare(args: argparse.Namespace) -> int:
    base = _loaded(args)
    counties: list[str] = []
    for name in args.counties:
        county = find_county(base, name).id
        if county not in counties:
            counties.append(county)
    if len(counties) < 2:
        raise UsageError("compare needs two or more different counties")
    metric = None
    if args.metric is not None:
        found = find_metric(base, args.metric)
        if found is None:
            close = nearest(args.metric, [m.id for m in base.metrics])
            raise UsageError(f"unknown metric {args.metric!r}; nearest: {', '.join(close) or 'see povtui show'}")
        metric = found.id
    rows = compare_rows(base, counties, _theme_arg(base, args.theme), metric)
    if args.json:
        emit_json(
            {
                "counties": [county_record(base.county(c)) for c in counties],
                "rows": [
                    {
                        "metric": r.metric.id,
                        "zh": r.metric.zh,
                        "en": r.metric.en,
                        "theme": r.metric.theme,
                        "base": r.metric.base,
                        "highest": r.highest,
                        "cells": [_cell_json(base, c) for c in r.cells],
                    }
                    for r in rows
                ],
            }
        )
    elif rows:
        per_table = max(1, (WIDTH - _NAME_WIDTH) // (_MIN_COLUMN + 2))
        lines: list[str] = []
        for start in range(0, len(counties), per_table):
            chunk = counties[start : start + per_table]
            lines += ([""] if lines else []) + _compare_table(base, rows, start, chunk)
        lines += [""] + wrap(
            "! sources disagree   +N more facts for the county (povtui show)   "
            "— no figure   highest: the largest normalised value",
            WIDTH,
        )
        _emit(lines)
    return Exit.OK if rows else _none("no figures for these counties")


def _compare_table(base: FactBase, rows: tuple[CompareRow, ...], start: int, chunk: list[str]) -> list[str]:
    width = min(_MAX_COLUMN, (WIDTH - _NAME_WIDTH - 2 * len(chunk)) // len(chunk))
    widths = [_NAME_WIDTH] + [width] * len(chunk)
    head = [["metric"]] + [[sanitize(f"{base.county(c).short} {base.county(c).en}")] for c in chunk]
    lines = columns(head, widths) + ["  ".join("-" * w for w in widths)]
    for row in rows:
        cells = row.cells[start : start + len(chunk)]
        left = [sanitize(row.metric.zh), sanitize(row.metric.en)]
        lines += columns([left] + [_cell_lines(c, row.highest) for c in cells], widths)
        lines.append("")
    return lines[:-1]


def _cell_lines(cell: Cell, highest: str | None) -> list[str]:
    fact = cell.fact
    if fact is None:
        return ["—"]
    lines = [_kind_prefix(fact) + display_value(fact), _when(fact)]
    if not fact.is_county_wide:
        lines.append(f"in {fact.scope}")
    if cell.disagreements:
        lines.append(f"! {len(cell.disagreements) + 1} sources differ")
    if cell.more:
        lines.append(f"+{cell.more} more")
    if highest == cell.county.id:
        lines.append("highest")
    return [sanitize(line) for line in lines if line]


def _cell_json(base: FactBase, cell: Cell) -> dict[str, Any]:
    return {
        "county": cell.county.id,
        "fact": _fact_json(base, cell.fact) if cell.fact else None,
        "more": [f.id for f in cell.facts[1:]],
        "disagrees_with": [f.id for f in cell.disagreements],
    }


# --- sources ------------------------------------------------------------------------------


def cmd_sources(args: argparse.Namespace) -> int:
    base = _loaded(args)
    county = find_county(base, args.county).id if args.county else None
    summaries = source_summaries(base, county)
    if args.json:
        emit_json({"sources": [dict(_source_json(s.source), county=s.county.id, facts=s.facts) for s in summaries]})
    else:
        lines: list[str] = []
        for item in summaries:
            plural = "" if item.facts == 1 else "s"
            head = f"{item.source.id}  {date_text(item.source)}  {item.county.short}  {item.facts} fact{plural}"
            lines += wrap(sanitize(head), WIDTH) + wrap(sanitize(item.source.title), WIDTH, "  ")
            if item.source.outlet:
                lines += wrap(sanitize(f"outlet: {item.source.outlet}"), WIDTH, "  ")
        _emit(lines)
    return Exit.OK if summaries else _none("no sources")


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "date": source.date,
        "date_estimated": source.date_estimated,
        "date_note": source.date_note,
        "file": source.file,
    }


# --- sheet --------------------------------------------------------------------------------


def cmd_sheet(args: argparse.Namespace) -> int:
    base = _loaded(args)
    county = find_county(base, args.county)
    if not 20 <= args.width <= WIDTH:
        raise UsageError(f"--width must be between 20 and {WIDTH}, not {args.width}")
    items = headlines(base, county.id)
    if args.json:
        emit_json(
            {
                "county": county_record(county),
                "items": [
                    {
                        "section": h.section,
                        "label": h.label,
                        "fact": _fact_json(base, h.fact),
                        "citation": _footer_json(base.source(h.fact.source), h.fact),
                    }
                    for h in items
                ],
            }
        )
    elif items:
        width = args.width
        lines = wrap(sanitize(f"{county.name} {county.en}"), width) + ["=" * width]
        for index, item in enumerate(items):
            if index and item.section != items[index - 1].section:
                lines += ["", "-" * width]
            fact = item.fact
            kind = " (baseline)" if fact.kind == "baseline" else ""
            metric = base.metric(fact.metric)
            when = f", {fact.when}" if _when(fact) else ""
            text = f"{metric.zh} {item.label}: {display_value(fact)}{kind}{when}"
            if base.disagreements(fact):
                text += " (! another source differs)"
            source = base.source(fact.source)
            footer = f"[{short_title(source)}, {date_text(source)}, {fact.id}]"
            lines += [""] + wrap(sanitize(text), width) + wrap(sanitize(footer), width, "  ")
        _emit(lines)
    return Exit.OK if items else _none(f"no headline figures for {county.short}")


def _footer_json(source: Source, fact: Fact) -> dict[str, Any]:
    return {
        "source": source.id,
        "short_title": short_title(source),
        "date": source.date,
        "date_estimated": source.date_estimated,
        "fact": fact.id,
    }


# --- cite ---------------------------------------------------------------------------------


def cmd_cite(args: argparse.Namespace) -> int:
    base = _loaded(args)
    if not base.has_fact(args.fact_id):
        close = nearest_fact_ids(base, args.fact_id)
        raise UsageError(f"unknown fact id {args.fact_id!r}; nearest: {', '.join(close) or 'none'}")
    fact = base.fact(args.fact_id)
    text = citation(base, fact)
    if args.json:
        emit_json(
            {
                "citation": text,
                "fact": _fact_json(base, fact),
                "county": county_record(base.county(fact.county)),
                "source": _source_json(base.source(fact.source)),
            }
        )
    else:
        _emit(wrap(sanitize(text), WIDTH))
    return Exit.OK


# --- search -------------------------------------------------------------------------------

_SNIPPET_MARK = ("【", "】")


def snippet(hit: Hit, width: int) -> str:
    """The matched part of a hit: the quote around its first matched span, the match in 【】,
    cut to ``width`` columns; or the name that matched when no quote did."""
    fact = hit.fact
    quote_spans = [s for s in hit.spans if s.field == "quote" and s.end > s.start]
    if not quote_spans:  # a name matched: it is in the columns already; show what the article says
        return truncate(sanitize(fact.quote), width)
    span = quote_spans[0]
    left, middle, right = fact.quote[: span.start], fact.quote[span.start : span.end], fact.quote[span.end :]
    marked = f"{_SNIPPET_MARK[0]}{middle}{_SNIPPET_MARK[1]}"
    room = width - cell_len(marked)
    before = room // 3
    if cell_len(left) > before:
        left = "…" + _tail(left, before - 1)
    return truncate(sanitize(left + marked + right), width)


def _tail(text: str, width: int) -> str:
    """The end of ``text`` that fits in ``width`` columns."""
    kept = ""
    for char in reversed(text):
        if cell_len(char + kept) > width:
            break
        kept = char + kept
    return kept


def cmd_search(args: argparse.Namespace) -> int:
    base = _loaded(args)
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    hits = search_index(args, base).search(" ".join(args.query), limit=args.limit)
    if args.json:
        emit_json(
            {
                "query": " ".join(args.query),
                "hits": [
                    dict(
                        _fact_json(base, h.fact),
                        score=h.score,
                        same=[f.id for f in h.same],
                        spans=[{"field": s.field, "start": s.start, "end": s.end} for s in h.spans],
                    )
                    for h in hits
                ],
            }
        )
        return Exit.OK if hits else Exit.NONE
    if not hits:
        return _none(f"nothing found for {' '.join(args.query)!r}")
    rows = [
        (
            base.county(h.fact.county).short,
            base.metric(h.fact.metric).zh,
            _kind_prefix(h.fact) + display_value(h.fact),
            _when(h.fact),
            h,
        )
        for h in hits
    ]
    # a value is never cut: its column is as wide as the widest value; names give way instead
    widths = [max(cell_len(sanitize(row[i])) for row in rows) for i in range(4)]
    widths[1] = min(widths[1], 14)
    # measured as printed: a fact id is curator text, and its escapes take room
    id_width = max(cell_len(sanitize(h.fact.id)) + 2 for h in hits) if args.ids else 0
    overflow = sum(widths) + 2 * len(widths) + id_width + 8 - WIDTH  # keep 8 columns for the match
    if overflow > 0:
        widths[1] = max(4, widths[1] - overflow)
    lines = []
    for county, metric, value, when, hit in rows:
        cells = [
            pad(truncate(sanitize(text), width), width)
            for text, width in zip((county, metric, value, when), widths, strict=False)
        ]
        line = "  ".join(cells) + "  "
        tail = f"  {sanitize(hit.fact.id)}" if args.ids else ""
        room = max(0, WIDTH - cell_len(line) - cell_len(tail))
        lines.append(
            (line + pad(snippet(hit, room), room)).rstrip() + tail if tail else (line + snippet(hit, room)).rstrip()
        )
    _emit(lines)
    return Exit.OK


# --- registration -------------------------------------------------------------------------

COMMANDS: dict[str, Handler] = {
    "show": cmd_show,
    "compare": cmd_compare,
    "sources": cmd_sources,
    "sheet": cmd_sheet,
    "cite": cmd_cite,
    "search": cmd_search,
}
"""Command name -> handler, merged into :data:`tui.cli.main.COMMANDS`' dispatch."""
