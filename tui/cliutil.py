"""What every ``povtui`` command shares: exit codes, usage errors, loading, naming a county."""

from __future__ import annotations

import argparse
import json
import sys
from enum import IntEnum

from .cache import load_cached, search_index_cached
from .loader import load, nearest
from .model import County, FactBase, Problem
from .paths import resolve_facts_dir
from .textfmt import json_safe, sanitize

__all__ = ["Exit", "UsageError", "emit_json", "find_county", "load_args", "search_index",
           "warn_problems"]


class Exit(IntEnum):
    OK = 0
    NONE = 1
    USAGE = 2


class UsageError(Exception):
    """Bad usage detected after parsing (an unknown county, say): one line on stderr, exit 2."""


def load_args(args: argparse.Namespace, *, fresh: bool = False) -> tuple[FactBase, list[Problem]]:
    """The fact base named by ``--facts`` (or $POVTUI_FACTS, or the bundled one), from the
    cache when no file changed; ``fresh`` reads the files whatever the cache holds."""
    facts_dir = resolve_facts_dir(args.facts)
    if fresh:
        return load(facts_dir)
    base, problems, _ = load_cached(facts_dir)
    return base, problems


def search_index(args: argparse.Namespace, base: FactBase):  # type: ignore[no-untyped-def]
    """The search index of the fact tree named by ``args``, from the cache when it is current."""
    return search_index_cached(base, resolve_facts_dir(args.facts))


def warn_problems(problems: list[Problem]) -> None:
    """One line on stderr when the fact tree has errors: the data shown may be incomplete."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(sanitize(f"povtui: {len(errors)} problem(s) in the fact tree, first: {errors[0]}; run 'povtui check'"),
              file=sys.stderr)


def emit_json(data: object, indent: int | None = 1) -> None:
    """JSON on stdout, UTF-8 kept readable, every character a terminal acts on escaped."""
    print(json_safe(json.dumps(data, ensure_ascii=False, indent=indent)))


def find_county(base: FactBase, name: str) -> County:
    """A county by any of its names, or by the start of one when only one county fits.

    Raises:
        UsageError: no county (or more than one) fits; the message lists the nearest names.
    """
    wanted = name.casefold().replace(" ", "")
    exact = [c for c in base.counties if wanted in c.names()]
    if len(exact) == 1:
        return exact[0]
    started = [c for c in base.counties if wanted and any(n.startswith(wanted) for n in c.names())]
    if len(started) == 1:
        return started[0]
    if not base.counties:
        raise UsageError(f"unknown county {name!r}: no county is loaded (see povtui check)")
    every = [n for c in base.counties for n in (c.id, c.short, c.en)]
    close = [c.id for c in started] or nearest(name, every) or [c.id for c in base.counties]
    raise UsageError(f"unknown county {name!r}; nearest: {', '.join(close)}")
