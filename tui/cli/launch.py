"""Starting the full-screen app: the only place the command line imports Textual."""

from __future__ import annotations

import argparse

from tui.cli.common import Exit
from tui.paths import resolve_facts_dir
from tui.store.store import Store

__all__ = ["run_app"]


def run_app(args: argparse.Namespace, store: Store) -> int:
    """Run the app on ``store`` with the options of ``args``; the exit code once it quits."""
    from tui.app.terminal import field_wanted, prepare_terminal

    field = field_wanted(args.field)
    prepare_terminal(field)  # before Textual is imported: it reads these settings then
    from tui.app import build_app  # Textual is imported here and nowhere else in the CLI
    from tui.app.persist import load_state

    saved, notice = (None, "") if args.fresh else load_state()
    facts = str(resolve_facts_dir(args.facts))
    kept = saved.lang if saved is not None and saved.facts == facts else ""
    app = build_app(
        store.base,
        store.problems,
        lang=args.lang or kept or "zh",  # --lang wins over the language kept from last time
        field=field,
        saved=saved,
        notice=notice,
        facts=facts,
        search=store.search_index,
        recheck=True,
        changed=store.changed,  # polled while the app runs: a corrected fact file is shown at once
    )
    app.run(mouse=args.mouse or not field)
    return Exit.OK
