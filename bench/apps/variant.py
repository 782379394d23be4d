"""povtui with one field-mode measure taken away, to see what it still buys:
``variant.py nowriter ARGS`` (Textual's own driver instead of the screen-diff writer),
``variant.py nohold ARGS`` (no first-frame hold)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.app import povapp  # noqa: E402

which = sys.argv.pop(1)
if which == "nowriter":

    def get_driver_class(self):  # type: ignore[no-untyped-def]
        return povapp.App.get_driver_class(self)

    povapp.PovApp.get_driver_class = get_driver_class  # type: ignore[method-assign]
elif which == "nohold":
    original = povapp.PovApp.get_default_screen

    def get_default_screen(self):  # type: ignore[no-untyped-def]
        screen = original(self)
        self.main.holding = False
        return screen

    povapp.PovApp.get_default_screen = get_default_screen  # type: ignore[method-assign]
else:
    raise SystemExit(f"unknown variant {which}")

from tui.start import main  # noqa: E402

raise SystemExit(main())
