"""Pausing Python's cycle collector while povtui starts, and resuming it once it works.

A leaf module: anything may import it. Why and what it saves: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "pause_gc", "resume_gc"]

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
