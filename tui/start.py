"""The ``povtui`` command's entry point: the command line, with the cycle collector paused while
it starts (:mod:`tui.gcpause`)."""

from __future__ import annotations

from tui.gcpause import pause_gc

__all__ = ["main"]


def main() -> int:
    """``povtui``: the command line of :mod:`tui.cli.main`, with the collector paused while it starts."""
    pause_gc()
    from tui.cli.main import main as cli_main

    return cli_main()
