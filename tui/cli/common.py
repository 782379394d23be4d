"""What every ``povtui`` command shares: exit codes, opening the fact tree, JSON, naming a county."""

from __future__ import annotations

import json
import sys
import time
from enum import IntEnum
from typing import TYPE_CHECKING

from tui.cli.args import UsageError
from tui.domain.facts import Facts
from tui.domain.model import County, Problem
from tui.paths import resolve_facts_dir
from tui.present.textfmt import json_safe, sanitize
from tui.store.store import Store, open_store

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = [
    "BuildProgress",
    "Exit",
    "UsageError",
    "emit_json",
    "find_county",
    "open_facts",
    "warn_problems",
]


class Exit(IntEnum):
    """The exit codes of every command."""

    OK = 0
    """Results (or, for ``check``, no problem)."""
    NONE = 1
    """Nothing found (or, for ``check``, problems found)."""
    USAGE = 2
    """Bad usage: one line on stderr says what was wrong."""


def open_facts(facts: str | None, *, fresh: bool = False, still: bool = False, check_files: bool = True) -> Store:
    """The fact tree named by ``--facts`` (or $POVTUI_FACTS, or the bundled one), opened through
    its index (see :mod:`tui.store.store`).

    Args:
        facts: the ``--facts`` folder, if given.
        fresh: read the files whatever the index holds (``check``).
        still: show an index build as one line rewritten at most once a second, not an animated
            bar (before the app starts, for slow links).
        check_files: ``False`` trusts an existing index without looking at every county file
            (the app looks right after its first screen).
    """
    facts_dir = resolve_facts_dir(facts)
    if fresh:
        from tui.factfiles.loader import load

        base, problems = load(facts_dir)
        return Store(base, problems)
    return open_store(facts_dir, progress=BuildProgress(still=still), check_files=check_files, notice=tell)


def tell(line: str) -> None:
    """One line for the user on stderr (a damaged index rebuilt, a shared index folder refused …)."""
    print(sanitize(f"povtui: {line}"), file=sys.stderr)


class BuildProgress:
    """Progress of an index build on stderr, shown only once the build has taken a second: a
    Rich progress bar on a terminal, or (``still``, before the app starts, for slow links) one
    line rewritten at most once a second; one plain line when stderr is not a terminal."""

    def __init__(self, delay: float = 1.0, *, still: bool = False) -> None:
        self.started = time.monotonic()
        self.delay = delay
        self.still = still
        self.bar: Progress | None = None
        self.finished = False
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.finished or (self.bar is None and not self.shown and now - self.started < self.delay):
            return
        if not sys.stderr.isatty():
            print(f"povtui: indexing {total} county files (once: later starts reuse the index)", file=sys.stderr)
            self.finished = True
            return
        if self.still:
            if done >= total:
                sys.stderr.write("\r\x1b[K")
                self.finished = True
            elif now - self.shown >= 1.0:
                sys.stderr.write(f"\rpovtui: indexing the fact tree, {done:,} of {total:,} county files…")
                self.shown = now
            sys.stderr.flush()
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("povtui: indexing county files"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
                refresh_per_second=2,
            )
            self.bar.start()
            self.task = self.bar.add_task("index", total=total)
        self.bar.update(self.task, completed=done, total=total)
        if done >= total:
            self.bar.stop()
            self.finished = True


def warn_problems(problems: list[Problem]) -> None:
    """One line on stderr when the fact tree has errors: the data shown may be incomplete."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(
            sanitize(f"povtui: {len(errors)} problem(s) in the fact tree, first: {errors[0]}; run 'povtui check'"),
            file=sys.stderr,
        )


def emit_json(data: object, indent: int | None = 1) -> None:
    """JSON on stdout, UTF-8 kept readable, every character a terminal acts on escaped."""
    print(json_safe(json.dumps(data, ensure_ascii=False, indent=indent)))


def find_county(base: Facts, name: str) -> County:
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
    from tui.factfiles.loader import nearest

    every = [n for c in base.counties for n in (c.id, c.short, c.en)]
    close = [c.id for c in started] or nearest(name, every) or [c.id for c in base.counties]
    raise UsageError(f"unknown county {name!r}; nearest: {', '.join(close)}")
