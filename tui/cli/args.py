"""``povtui``'s one argument parser.

It imports nothing but argparse: the app's start builds it too, and the commands' code is
imported only by the command that runs (see :data:`tui.cli.main.COMMANDS`).
"""

from __future__ import annotations

import argparse

__all__ = ["MIN_WIDTH", "WIDTH", "UsageError", "check_width", "parser"]

WIDTH = 80
"""No text line is wider than this many columns (unless ``--width`` says fewer)."""
MIN_WIDTH = 20
"""The narrowest ``--width``."""


class UsageError(Exception):
    """Bad usage (an unknown option, an unknown county): one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def check_width(width: int) -> int:
    """``width`` if it is an allowed ``--width``.

    Raises:
        UsageError: it is not between :data:`MIN_WIDTH` and :data:`WIDTH`.
    """
    if not MIN_WIDTH <= width <= WIDTH:
        raise UsageError(f"--width must be between {MIN_WIDTH} and {WIDTH}, not {width}")
    return width


def _width(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--width",
        type=int,
        default=WIDTH,
        help=f"line width in columns, {MIN_WIDTH} to {WIDTH} (default {WIDTH}); names wrap, values never",
    )


def _common(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, argument_default=default)
    common.add_argument(
        "--facts", metavar="DIR", help="fact tree to read (default: $POVTUI_FACTS, else the bundled facts)"
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument("--lang", choices=("zh", "en"), help="language of the words around the data (default zh)")
    return common


def parser() -> argparse.ArgumentParser:
    """The parser of ``povtui`` and every command."""
    # The commands' copy of the common options has no defaults (SUPPRESS), so that it does not
    # reset an option given before the command (`povtui --json show 石柱`).
    common = _common(argparse.SUPPRESS)
    top = _Parser(
        prog="povtui",
        description="Poverty-alleviation figures of Chongqing counties, from the terminal.",
        parents=[_common(None)],
    )
    top.set_defaults(lang=None)  # None: not given (the app then keeps the saved language); commands read zh
    top.add_argument("--version", action="store_true", help="print the version and exit")
    field = top.add_mutually_exclusive_group()
    field.add_argument(
        "--field",
        dest="field",
        action="store_true",
        default=None,
        help="field mode: fewest bytes on the wire (default when over SSH)",
    )
    field.add_argument("--no-field", dest="field", action="store_false", help="full-colour mode even over SSH")
    top.add_argument("--mouse", action="store_true", help="mouse support in field mode (off by default there)")
    top.add_argument("--fresh", action="store_true", help="start clean instead of where you left off")
    commands: argparse._SubParsersAction[argparse.ArgumentParser] = top.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )

    def add(name: str, help: str, description: str = "") -> argparse.ArgumentParser:
        return commands.add_parser(
            name, parents=[common], help=help, description=description or help[0].upper() + help[1:] + "."
        )

    show = add("show", "a county's figures grouped by theme")
    show.add_argument("county", metavar="COUNTY", help="id, short or full name, pinyin or English name")
    show.add_argument("--theme", metavar="T", help="only this theme (id, Chinese or English name, pinyin)")
    show.add_argument(
        "--metric",
        metavar="M",
        help="the county's values of this metric over time (id, name, alias, pinyin or initials: pkfsl)",
    )
    show.add_argument("--ids", action="store_true", help="print each figure's metric id, for --metric")
    _width(show)
    compare = add("compare", "compare counties metric by metric")
    compare.add_argument("counties", metavar="COUNTY", nargs="+", help="two or more counties")
    compare.add_argument("--theme", metavar="T", help="only this theme (id, name, pinyin)")
    compare.add_argument("--metric", metavar="M", help="only this metric (id, name, alias, pinyin or initials)")
    compare.add_argument(
        "--format",
        choices=("text", "csv", "md", "json"),
        default="text",
        help="csv (with a BOM, for a spreadsheet) and md: one column per county, the fact ids in each cell",
    )
    _width(compare)
    sources = add("sources", "the source articles and how many facts each backs")
    sources.add_argument("--county", metavar="COUNTY", help="only this county's articles")
    _width(sources)
    sheet = add("sheet", "a plain-text fact sheet of a county's headline figures")
    sheet.add_argument("county", metavar="COUNTY", help="id, short or full name, pinyin or English name")
    sheet.add_argument("--width", type=int, default=40, help="line width in columns, 20 to 80 (default 40)")
    search = add("search", "find figures by Chinese, pinyin, English, numbers or filters")
    search.add_argument(
        "query", metavar="QUERY", nargs="+", help="e.g. 石柱 pkfsl, 6.3万, county:奉节 kind:target, >=1亿"
    )
    search.add_argument("--limit", type=int, default=20, help="at most this many figures (default 20)")
    search.add_argument("--ids", action="store_true", help="end each line with the fact id, for povtui cite")
    _width(search)
    cite = add("cite", "a citation of one figure, ready to paste into a report")
    cite.add_argument("fact_id", metavar="FACT_ID", help="a fact's id, as show, sheet and search --ids print it")
    cite.add_argument(
        "--context",
        action="store_true",
        help="also the county's other values of the metric, and the article's paragraphs around the quote",
    )
    cite.add_argument(
        "--width",
        type=int,
        default=None,
        help="wrap at this many columns, 20 to 80 (default: 80 on a terminal, one unbroken line otherwise)",
    )
    check = add(
        "check",
        "validate the fact tree; exit 1 on any problem",
        "Validate every file of the fact tree and list each problem with file:line.",
    )
    check.add_argument(
        "--coverage",
        action="store_true",
        help="also list every number in the sources that no fact or skip entry covers",
    )
    export = add(
        "export", "write all facts with normalised values", "Write all facts with normalised values to stdout."
    )
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--county", metavar="COUNTY", help="only this county (id, short name, pinyin or English)")
    bom = export.add_mutually_exclusive_group()
    bom.add_argument(
        "--bom",
        dest="bom",
        action="store_true",
        default=None,
        help="start the CSV with a UTF-8 byte order mark (default: only when writing to a file)",
    )
    bom.add_argument("--no-bom", dest="bom", action="store_false", help="never write a byte order mark")
    index = add(
        "index",
        "bring the fact tree's index up to date and show it (--status, --rebuild)",
        "The index (in $XDG_CACHE_HOME/povtui, or $POVTUI_INDEX_DIR) is kept up to date by every "
        "command. 'povtui index' brings it up to date now (re-indexing only the county files that "
        "changed) and shows its state; --status only shows it (exit 1 when stale or absent); "
        "--rebuild builds it again from every file.",
    )
    what = index.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="only show the index's state; change nothing")
    what.add_argument("--rebuild", action="store_true", help="build the index again from every file")
    return top
