"""``povtui cite FACT_ID``: one paragraph to paste into a report, naming every source of the
figure. Wrapped to the terminal's 80 columns (or ``--width``); one unbroken line into a file
or a pipe, so that the verbatim quote is pasted whole."""

from __future__ import annotations

import argparse
import sys

from tui.cli.args import WIDTH, UsageError, check_width
from tui.cli.commands.sources import source_json
from tui.cli.common import Exit, emit_json
from tui.cli.output import emit, fact_json
from tui.present.export import county_record
from tui.present.textfmt import sanitize, wrap
from tui.present.views import citation, figure_of, nearest_fact_ids
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    if args.width is not None:
        check_width(args.width)
    if not base.has_fact(args.fact_id):
        close = nearest_fact_ids(base, args.fact_id)
        raise UsageError(f"unknown fact id {args.fact_id!r}; nearest: {', '.join(close) or 'none'}")
    fact = base.fact(args.fact_id)
    text = citation(base, fact, args.lang)
    if args.json:
        figure = figure_of(base, fact)
        emit_json(
            {
                "citation": text,
                "fact": fact_json(base, fact, args.lang),
                "same": list(figure.ids[1:]),
                "county": county_record(base.county(fact.county)),
                "source": source_json(base.source(fact.source)),
                "sources": [source_json(base.source(one.source)) for one in figure.facts],
            }
        )
        return Exit.OK
    width = args.width or (WIDTH if sys.stdout.isatty() else 0)
    emit(wrap(sanitize(text), width) if width else [sanitize(text)])
    return Exit.OK
