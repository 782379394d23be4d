"""``povtui index [--status | --rebuild]``: bring the fact tree's index up to date and show its state."""

from __future__ import annotations

import argparse
import sqlite3
import time

from tui.cli.common import BuildProgress, Exit, emit_json, tell
from tui.paths import resolve_facts_dir
from tui.present.textfmt import sanitize


def run(args: argparse.Namespace) -> int:
    from tui.store.open import open_index
    from tui.store.status import status as index_status

    facts_dir = resolve_facts_dir(args.facts)
    started = time.monotonic()
    notices: list[str] = []
    if not args.status:  # bring it up to date (or build it anew), then say how it is
        progress = BuildProgress(delay=0 if args.rebuild else 1)
        try:
            open_index(facts_dir, rebuild=args.rebuild, progress=progress, notice=notices.append).close()
        except (OSError, sqlite3.Error) as error:  # no index can be kept anywhere
            tell(f"no index can be kept: {error}")
            return Exit.USAGE
    seconds = time.monotonic() - started
    state = index_status(facts_dir)
    if state.fallback:  # one line: the cache cannot hold it (the notices said as much)
        tell(f"the index cannot be kept in the cache ({state.fallback}): it is kept in {state.path.parent}")
    else:
        for line in notices:
            tell(line)
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
    if state.fallback:
        return Exit.USAGE
    return Exit.OK if state.current else Exit.NONE
