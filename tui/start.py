"""The ``povtui`` command's entry point, and the pause of the cycle collector at start.

Python's cyclic garbage collector runs every 700 allocations. While povtui starts it
allocates hundreds of thousands of objects that live as long as the process (modules,
classes, Textual's styles, the fact tree's records), and the collector walks them over and
over: about 40 ms of a start on the four counties and 75 ms at 280,000 facts, one full
collection included, against a first screen of about 0.4 s. The command therefore starts
with the collector paused. A command resumes it before it does its work; the app resumes
it once its first screen is out, after moving everything made so far into the collector's
permanent generation (:func:`gc.freeze`), so that no later collection walks it again.
Objects freed by reference counting (nearly all) are freed as usual while it is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "main", "pause_gc", "resume_gc"]

_paused = False


def pause_gc() -> None:
    """Stop cyclic collection until :func:`resume_gc` (when it is on: tests may have it off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc(*, freeze: bool = False) -> None:
    """Collect cycles again, if :func:`pause_gc` stopped it; ``freeze`` first exempts every
    object alive now from later collections (the start-up's long-lived objects)."""
    global _paused
    if _paused:
        _paused = False
        if freeze:
            gc.freeze()
        gc.enable()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside (if it was on): for loading large tables that live as long
    as the process, such as pypinyin's dictionaries."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def main() -> int:
    """``povtui``: the command line of :mod:`tui.cli`, with the collector paused while it starts."""
    pause_gc()
    from .cli import main as cli_main

    return cli_main()
