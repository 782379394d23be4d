"""``povtui export --format json|csv [--county X]``: every fact with its normalised value, streamed.

A CSV written to a file (``> facts.csv``) starts with a UTF-8 byte order mark, so that a
spreadsheet on Chinese Windows reads it as UTF-8; into a pipe it has none, since the tools that
read a stream take a BOM for part of the first column's name. ``--bom`` / ``--no-bom`` decide."""

from __future__ import annotations

import argparse
import os
import stat
import sys

from tui.cli.common import Exit, find_county
from tui.present.export import write_csv, write_json
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    counties = [find_county(base, args.county)] if args.county else list(base.counties)
    facts = base.select(county=counties[0].id) if args.county else base.facts
    if args.format == "csv":
        bom = _to_a_file() if args.bom is None else args.bom
        count = write_csv(base, facts, sys.stdout, bom=bom)
    else:
        count = write_json(base, facts, sys.stdout, counties)
    return Exit.OK if count else Exit.NONE


def _to_a_file() -> bool:
    """Whether stdout is a regular file (not a terminal, a pipe or a socket)."""
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # io.StringIO and the like have no file number
        return False
