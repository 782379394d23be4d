"""``python -m tui``: the same as the ``povtui`` command."""

from .cli import run

run()
