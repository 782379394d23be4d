"""``python -m tui``: the same as the ``povtui`` command."""

from tui.start import main

raise SystemExit(main())
