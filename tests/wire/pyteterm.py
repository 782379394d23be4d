"""A terminal emulator (pyte) to compare what reaches the screen through two paths."""

from __future__ import annotations

import re

import pyte

# kitty keyboard pushes and pops: pyte draws their final "u" as text; a real terminal never does
_MISREAD = re.compile(r"\x1b\[[<=][0-9;]*u")


class DimScreen(pyte.Screen):  # type: ignore[misc]
    """pyte's screen, which drops SGR 2 (dim): kept here in the foreground, so a lost dim shows."""

    def __init__(self, columns: int, lines: int) -> None:
        self.dim = False
        super().__init__(columns, lines)

    def select_graphic_rendition(self, *attrs: int, private: bool = False) -> None:
        codes = list(attrs) or [0]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48):
                i += 3 if i + 1 < len(codes) and codes[i + 1] == 5 else 5
                continue
            if code == 0:
                self.dim = False
            elif code == 2:
                self.dim = True
            elif code == 22:
                self.dim = False
            i += 1
        fg = self.cursor.attrs.fg
        self.cursor.attrs = self.cursor.attrs._replace(fg=fg[0] if isinstance(fg, tuple) else fg)
        super().select_graphic_rendition(*attrs)
        fg = self.cursor.attrs.fg
        self.cursor.attrs = self.cursor.attrs._replace(fg=(fg, "dim") if self.dim else fg)


class Term:
    """One emulated terminal of ``columns`` x ``lines``."""

    def __init__(self, columns: int, lines: int) -> None:
        self.screen = DimScreen(columns, lines)
        self.stream = pyte.Stream(self.screen)

    def feed(self, data: str) -> None:
        self.stream.feed(_MISREAD.sub("", data))

    def resize(self, columns: int, lines: int) -> None:
        self.screen.resize(lines, columns)

    def cells(self) -> list[list[tuple[object, ...]]]:
        screen = self.screen
        return [[tuple(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)]

    def cursor(self) -> tuple[int, int]:
        return self.screen.cursor.x, self.screen.cursor.y

    def differences(self, other: Term) -> list[str]:
        """Where the two screens differ, cell by cell (chars and attributes) and the cursor."""
        found = []
        for y, (mine, theirs) in enumerate(zip(self.cells(), other.cells(), strict=True)):
            for x, (a, b) in enumerate(zip(mine, theirs, strict=True)):
                if a != b:
                    found.append(f"({x},{y}): {a} != {b}")
        if self.cursor() != other.cursor():
            found.append(f"cursor {self.cursor()} != {other.cursor()}")
        return found
