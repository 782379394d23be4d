"""``povtui export --format json|csv [--county X]``: every fact with its normalised value, streamed."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import Exit, find_county
from tui.present.export import write_csv, write_json
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    counties = [find_county(base, args.county)] if args.county else list(base.counties)
    facts = base.select(county=counties[0].id) if args.county else base.facts
    if args.format == "csv":
        count = write_csv(base, facts, sys.stdout)
    else:
        count = write_json(base, facts, sys.stdout, counties)
    return Exit.OK if count else Exit.NONE
