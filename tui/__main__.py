"""``python -m tui``: the same as the ``povtui`` command."""

from .start import main

raise SystemExit(main())
