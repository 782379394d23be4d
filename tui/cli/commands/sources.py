"""``povtui sources``: the articles, their dates, and how many facts each backs."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.args import check_width
from tui.cli.common import Exit, emit_json, find_county
from tui.cli.output import emit, none
from tui.domain.model import Source
from tui.present.textfmt import sanitize, wrap
from tui.present.views import date_text, source_summaries
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    county = find_county(base, args.county).id if args.county else None
    summaries = source_summaries(base, county)
    if args.json:
        emit_json({"sources": [dict(source_json(s.source), county=s.county.id, facts=s.facts) for s in summaries]})
    else:
        width = check_width(args.width)
        lines: list[str] = []
        for item in summaries:
            plural = "" if item.facts == 1 else "s"
            count = f"{item.facts} 条" if args.lang == "zh" else f"{item.facts} fact{plural}"
            head = f"{item.source.id}  {date_text(item.source, args.lang)}  {item.county.short}  {count}"
            lines += wrap(sanitize(head), width) + wrap(sanitize(item.source.title), width, "  ")
            if item.source.outlet:
                lines += wrap(sanitize(f"outlet: {item.source.outlet}"), width, "  ")
        emit(lines)
    return Exit.OK if summaries else none("no sources")


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "date": source.date,
        "date_estimated": source.date_estimated,
        "date_note": source.date_note,
        "file": source.file,
    }
