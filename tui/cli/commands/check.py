"""``povtui check [--coverage]``: every problem of the fact tree as ``file:line``; exit 1 on any error."""

from __future__ import annotations

import argparse

from tui.cli.common import Exit, emit_json
from tui.domain.model import Problem
from tui.present.textfmt import sanitize
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    from tui.factfiles.check import check

    base = store.base
    problems = store.problems + check(base, with_coverage=args.coverage)  # type: ignore[arg-type]
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
