"""``povtui`` with no command where the app cannot run (a pipe, TERM=dumb, a non-UTF-8 locale,
or ``--json``): the counties and the commands."""

from __future__ import annotations

import argparse
import sys

from tui.cli.args import WIDTH
from tui.cli.common import Exit, emit_json
from tui.present.export import county_record
from tui.present.textfmt import sanitize, wrap
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    encoding = (sys.stdout.encoding or "").lower().replace("_", "-")
    utf8 = encoding in ("utf-8", "utf8")
    if not utf8:
        # Chinese still reaches the terminal in its own encoding; what it cannot show is escaped
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        if sys.stdin.isatty() and sys.stdout.isatty():
            print(
                f"povtui: the terminal's encoding is {encoding or 'unknown'}; the full-screen app needs UTF-8 "
                "(set LANG=C.UTF-8 or zh_CN.UTF-8). Here is the plain view.",
                file=sys.stderr,
            )
    if args.json:
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
    facts = "条" if args.lang == "zh" else "facts"
    lines = [
        line
        for county in base.counties
        for line in wrap(sanitize(f"{county.short} {county.en}: {len(base.select(county=county.id))} {facts}"), WIDTH)
    ]
    lines.append("commands: search show compare sheet cite sources check export index (--help)")
    print("\n".join(lines))
    return Exit.OK if base.counties else Exit.NONE
