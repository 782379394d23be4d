"""The ``povtui`` command line: ``main(argv) -> int``.

stdout carries data only; diagnostics go to stderr. Exit codes: 0 results, 1 none (or
problems found by ``check``), 2 bad usage. The Textual app is imported only when it starts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from tui.cli import args as cliargs
from tui.cli.common import (
    BuildProgress,
    Exit,
    UsageError,
    emit_json,
    find_county,
    load_args,
    warn_problems,
)
from tui.domain.model import Problem
from tui.gcpause import resume_gc
from tui.paths import resolve_facts_dir
from tui.present.textfmt import sanitize, wrap

__all__ = ["Exit", "UsageError", "find_county", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _common(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, argument_default=default)
    common.add_argument(
        "--facts", metavar="DIR", help="fact tree to read (default: $POVTUI_FACTS, else the bundled facts)"
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    return common


def _parser() -> argparse.ArgumentParser:
    # The subcommands' copy of the common options has no defaults (SUPPRESS), so that it
    # does not reset an option given before the subcommand (`povtui --json show 石柱`).
    common = _common(argparse.SUPPRESS)
    parser = _Parser(
        prog="povtui",
        description="Poverty-alleviation figures of Chongqing counties, from the terminal.",
        parents=[_common(None)],
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="interface language of the app (default zh)")
    field = parser.add_mutually_exclusive_group()
    field.add_argument(
        "--field",
        dest="field",
        action="store_true",
        default=None,
        help="field mode: fewest bytes on the wire (default when over SSH)",
    )
    field.add_argument("--no-field", dest="field", action="store_false", help="full-colour mode even over SSH")
    parser.add_argument("--mouse", action="store_true", help="mouse support in field mode (off by default there)")
    parser.add_argument("--fresh", action="store_true", help="start clean instead of where you left off")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check_cmd = commands.add_parser(
        "check",
        parents=[common],
        help="validate the fact tree; exit 1 on any problem",
        description="Validate every file of the fact tree and list each problem with file:line.",
    )
    check_cmd.add_argument(
        "--coverage",
        action="store_true",
        help="also list every number in the sources that no fact or skip entry covers",
    )
    export_cmd = commands.add_parser(
        "export",
        parents=[common],
        help="write all facts with normalised values",
        description="Write all facts with normalised values to stdout.",
    )
    export_cmd.add_argument("--format", choices=("json", "csv"), default="json")
    export_cmd.add_argument("--county", metavar="COUNTY", help="only this county (id, short name, pinyin or English)")
    index_cmd = commands.add_parser(
        "index",
        parents=[common],
        help="bring the fact tree's index up to date and show it (--status, --rebuild)",
        description="The index (in $XDG_CACHE_HOME/povtui, or $POVTUI_INDEX_DIR) is kept up to date by every "
        "command. 'povtui index' brings it up to date now (re-indexing only the county files that "
        "changed) and shows its state; --status only shows it (exit 1 when stale or absent); "
        "--rebuild builds it again from every file.",
    )
    what = index_cmd.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="only show the index's state; change nothing")
    what.add_argument("--rebuild", action="store_true", help="build the index again from every file")
    cliargs.register(commands, common)
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    from tui.factfiles.check import check

    base, problems = load_args(args, fresh=True)
    problems = problems + check(base, with_coverage=args.coverage)
    errors = sum(p.severity == "error" for p in problems)
    if args.json:
        emit_json(
            {"problems": [_problem_record(p) for p in problems], "facts": len(base), "counties": len(base.counties)}
        )
    else:
        for problem in problems:
            print(sanitize(str(problem)))  # a message may quote the hostile text it is about
        uncovered = sum(1 for p in problems if "is not covered" in p.message)
        tail = f", {uncovered} uncovered numbers" if args.coverage else ""
        print(
            f"{errors} problems, {len(problems) - errors} warnings{tail}; "
            f"{len(base)} facts in {len(base.counties)} counties, {len(base.skips)} skip entries"
        )
    return Exit.NONE if errors else Exit.OK


def _problem_record(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.path,
        "line": problem.line,
        "key": problem.key,
        "severity": problem.severity,
        "message": problem.message,
    }


def cmd_index(args: argparse.Namespace) -> int:
    from tui.store.index import open_index
    from tui.store.index import status as index_status

    facts_dir = resolve_facts_dir(args.facts)
    started = time.monotonic()
    if not args.status:  # bring it up to date (or build it anew), then say how it is
        open_index(facts_dir, rebuild=args.rebuild, progress=BuildProgress(delay=0 if args.rebuild else 1)).close()
    seconds = time.monotonic() - started
    state = index_status(facts_dir)
    if args.json:
        emit_json(
            {
                "path": str(state.path),
                "exists": state.exists,
                "current": state.current,
                "files": state.files,
                "facts": state.facts,
                "bytes": state.size,
                "built": state.built,
                "stale": list(state.stale),
            }
        )
    else:
        print(sanitize(f"index: {state.path}"))
        if not state.exists:
            print("not built yet: the next povtui command builds it")
        else:
            built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(state.built)) if state.built else "?"
            print(f"{state.facts} facts from {state.files} county files, {state.size / 1e6:.1f} MB, built {built}")
            print("up to date" if state.current else "stale (the next povtui command updates it):")
            for reason in state.stale[:20]:
                print(sanitize(f"  {reason}"))
            if len(state.stale) > 20:
                print(f"  … and {len(state.stale) - 20} more")
        if args.rebuild:
            print(f"rebuilt in {seconds:.1f} s")
        elif not args.status:
            print(f"checked in {seconds:.1f} s")
    return Exit.OK if state.current else Exit.NONE


def cmd_export(args: argparse.Namespace) -> int:
    from tui.present.export import write_csv, write_json

    base, problems = load_args(args)
    warn_problems(problems)
    counties = [find_county(base, args.county)] if args.county else list(base.counties)
    facts = base.select(county=counties[0].id) if args.county else base.facts
    if args.format == "csv":
        count = write_csv(base, facts, sys.stdout)
    else:
        count = write_json(base, facts, sys.stdout, counties)
    return Exit.OK if count else Exit.NONE


def cmd_overview(args: argparse.Namespace) -> int:
    """No command: the app on a terminal; the list of counties and commands otherwise."""
    encoding = (sys.stdout.encoding or "").lower().replace("_", "-")
    utf8 = encoding in ("utf-8", "utf8")
    if not args.json and _interactive() and utf8:
        return _run_app(args)
    if not utf8:
        # Chinese still reaches the terminal in its own encoding; what it cannot show is escaped
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        if _interactive():
            print(
                f"povtui: the terminal's encoding is {encoding or 'unknown'}; the full-screen app needs UTF-8 "
                "(set LANG=C.UTF-8 or zh_CN.UTF-8). Here is the plain view.",
                file=sys.stderr,
            )
    resume_gc()
    base, problems = load_args(args)
    warn_problems(problems)
    if args.json:
        from tui.present.export import county_record

        emit_json(
            {"counties": [dict(county_record(c), facts=len(base.select(county=c.id))) for c in base.counties]},
            indent=None,
        )
        return Exit.OK if base.counties else Exit.NONE
    if sys.stdout.isatty() and utf8:
        print(
            "povtui: this terminal cannot show the app (TERM is dumb or unset); here is the plain view.",
            file=sys.stderr,
        )
    lines = [
        line
        for county in base.counties
        for line in wrap(
            sanitize(f"{county.short} {county.en}: {len(base.select(county=county.id))} facts"), cliargs.WIDTH
        )
    ]
    lines.append("commands: search show compare sheet cite sources check export index (--help)")
    print("\n".join(lines))
    return Exit.OK if base.counties else Exit.NONE


def _run_app(args: argparse.Namespace) -> int:
    from tui.app.terminal import field_wanted, prepare_terminal

    field = field_wanted(args.field)
    prepare_terminal(field)  # before Textual is imported: it reads these settings then
    # an existing index is trusted for the first screen; the app looks at every county file
    # right after it (2,800 files cost a start 15 ms) and reloads if one changed
    base, problems = load_args(args, still=True, check_files=False)
    from tui.app import build_app  # Textual is imported here and nowhere else in the CLI
    from tui.app.persist import load_state

    saved, notice = (None, "") if args.fresh else load_state()
    app = build_app(
        base,
        problems,
        lang=args.lang,
        field=field,
        saved=saved,
        notice=notice,
        facts=str(resolve_facts_dir(args.facts)),
        search=args.store.search_index,
        recheck=True,
    )
    app.run(mouse=args.mouse or not field)
    return Exit.OK


def _interactive() -> bool:
    """Whether a full-screen app can run: both ends are terminals that can draw it."""
    term = os.environ.get("TERM", "")
    return sys.stdin.isatty() and sys.stdout.isatty() and term not in ("", "dumb")


COMMANDS = {"check": cmd_check, "export": cmd_export, "index": cmd_index, None: cmd_overview}


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
            args = _parser().parse_args(argv)
        except SystemExit as done:  # --help printed the help and exits; errors raise UsageError
            return int(done.code or 0)
        if args.version:
            from importlib.metadata import version

            print(f"povtui {version('povtui')}")
            return Exit.OK
        if args.command is not None:
            resume_gc()  # paused while starting (see tui.start); the app resumes it itself
        if args.command in cliargs.READING:
            from tui.cli.commands import COMMANDS as READING

            return READING[args.command](args)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"povtui: {sanitize(str(error))}", file=sys.stderr)  # it may echo what was typed
        return Exit.USAGE
    except BrokenPipeError:
        # `povtui export | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
