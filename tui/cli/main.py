"""The ``povtui`` command line: ``main(argv) -> int``.

stdout carries data only; diagnostics go to stderr; exit codes are :class:`~tui.cli.common.Exit`.
:data:`COMMANDS` is the one dispatch table: each command's module is imported only when it runs,
and the opened fact tree is handed to it. The Textual app is imported only when it starts.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Literal, NamedTuple

from tui.cli.args import UsageError, parser
from tui.cli.common import Exit, open_facts, warn_problems
from tui.gcpause import resume_gc
from tui.present.textfmt import sanitize

__all__ = ["COMMANDS", "Command", "Exit", "UsageError", "main"]


class Command(NamedTuple):
    module: str
    """The module under :mod:`tui.cli.commands` whose ``run`` handles the command."""
    opens: Literal["index", "files", "nothing"]
    """What ``run`` is given besides the arguments: the fact tree through its index (and its
    problems are reported first), the fact files read afresh, or nothing."""


COMMANDS: dict[str | None, Command] = {
    "show": Command("show", "index"),
    "compare": Command("compare", "index"),
    "search": Command("search", "index"),
    "sheet": Command("sheet", "index"),
    "cite": Command("cite", "index"),
    "sources": Command("sources", "index"),
    "export": Command("export", "index"),
    "check": Command("check", "files"),
    "index": Command("index", "nothing"),
    None: Command("overview", "index"),
}
"""Command name (None: no command) -> how it runs."""


def _interactive() -> bool:
    """Whether a full-screen app can run: both ends are terminals that can draw it."""
    term = os.environ.get("TERM", "")
    return sys.stdin.isatty() and sys.stdout.isatty() and term not in ("", "dumb")


def _utf8() -> bool:
    encoding = (sys.stdout.encoding or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None and not args.json and _interactive() and _utf8():
        from tui.cli.launch import run_app

        # an existing index is trusted for the first screen; the app looks at every county file
        # right after it and reloads if one changed
        return run_app(args, open_facts(args.facts, still=True, check_files=False))
    resume_gc()  # paused while starting (see tui.start); the app resumes it itself
    args.lang = args.lang or "zh"
    command = COMMANDS[args.command]
    run = import_module(f"tui.cli.commands.{command.module}").run
    if command.opens == "nothing":
        return int(run(args))
    store = open_facts(args.facts, fresh=command.opens == "files")
    if command.opens == "index":
        warn_problems(store.problems)
    return int(run(args, store))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    if argv is None:  # the console entry point, writing to the real terminal
        # A locale that cannot encode 汉字 (a latin-1 or ASCII terminal) gets escapes instead
        # of a UnicodeEncodeError: every command still answers.
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as done:  # --help printed the help and exits; errors raise UsageError
            return int(done.code or 0)
        if args.version:
            from importlib.metadata import version

            print(f"povtui {version('povtui')}")
            return Exit.OK
        return _dispatch(args)
    except UsageError as error:
        print(f"povtui: {sanitize(str(error))}", file=sys.stderr)  # it may echo what was typed
        return Exit.USAGE
    except sqlite3.DatabaseError as error:  # a damaged index found while reading it (see tui.store.guard)
        print(f"povtui: {sanitize(str(error))}", file=sys.stderr)
        return Exit.USAGE
    except BrokenPipeError:
        # `povtui export | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
