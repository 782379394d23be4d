"""Field mode's driver, recording what Textual writes and what the writer sends for it: each
``write`` is one JSON line ``[textual, sent]`` in ``$POVTUI_WIRE_LOG``. Chosen by
``TEXTUAL_DRIVER=tests.wire.recorder:RecordingDriver``."""

from __future__ import annotations

import json
import os
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from tui.app.diffdriver import DiffDriver


class RecordingDriver(DiffDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._log = open(os.environ["POVTUI_WIRE_LOG"], "a", encoding="utf-8")  # noqa: SIM115

    def write(self, data: str) -> None:
        sent: list[str] = []
        original = LinuxDriver.write

        def keep(driver: LinuxDriver, out: str) -> None:
            sent.append(out)
            original(driver, out)

        LinuxDriver.write = keep  # type: ignore[method-assign]
        try:
            super().write(data)
        finally:
            LinuxDriver.write = original  # type: ignore[method-assign]
        self._log.write(json.dumps([data, "".join(sent), list(self.screen_diff.size)]) + "\n")
        self._log.flush()

    def repaint(self) -> None:
        sent: list[str] = []
        original = LinuxDriver.write

        def keep(driver: LinuxDriver, out: str) -> None:
            sent.append(out)
            original(driver, out)

        LinuxDriver.write = keep  # type: ignore[method-assign]
        try:
            super().repaint()
        finally:
            LinuxDriver.write = original  # type: ignore[method-assign]
        self._log.write(json.dumps(["", "".join(sent), list(self.screen_diff.size)]) + "\n")
        self._log.flush()
