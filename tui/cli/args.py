"""The arguments of ``povtui``'s reading commands, apart from their code: the command line
builds its parser from this light module, so that starting the app imports none of the
commands' code."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["READING", "WIDTH", "register"]

WIDTH = 80
"""No text line is wider than this many columns."""

READING = ("show", "compare", "sources", "sheet", "search", "cite")
"""The reading commands, handled by :mod:`tui.cli.commands`."""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the reading commands to ``povtui``'s subparsers (``common`` carries --facts, --json)."""

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return subparsers.add_parser(name, parents=[common], help=help, description=help[0].upper() + help[1:] + ".")

    show = add("show", "a county's figures grouped by theme")
    show.add_argument("county", metavar="COUNTY", help="id, short or full name, pinyin or English name")
    show.add_argument("--theme", metavar="T", help="only this theme (id, Chinese or English name)")
    compare = add("compare", "compare counties metric by metric")
    compare.add_argument("counties", metavar="COUNTY", nargs="+", help="two or more counties")
    compare.add_argument("--theme", metavar="T", help="only this theme")
    compare.add_argument("--metric", metavar="M", help="only this metric (id, name or alias)")
    sources = add("sources", "the source articles and how many facts each backs")
    sources.add_argument("--county", metavar="COUNTY", help="only this county's articles")
    sheet = add("sheet", "a plain-text fact sheet of a county's headline figures")
    sheet.add_argument("county", metavar="COUNTY", help="id, short or full name, pinyin or English name")
    sheet.add_argument("--width", type=int, default=40, help="line width in columns, 20 to 80 (default 40)")
    search = add("search", "find figures by Chinese, pinyin, English, numbers or filters")
    search.add_argument(
        "query", metavar="QUERY", nargs="+", help="e.g. 石柱 pkfsl, 6.3万, county:奉节 kind:target, >=1亿"
    )
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    search.add_argument("--ids", action="store_true", help="end each line with the fact id, for povtui cite")
    cite = add("cite", "a citation of one fact, ready to paste into a report")
    cite.add_argument("fact_id", metavar="FACT_ID", help="the fact's id, as show and compare print it")
