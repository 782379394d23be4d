"""What povtui printed, read as a terminal would: stdout strictly UTF-8 (a lone surrogate fails
as it does on a real terminal), and the characters that must never reach one raw."""

from __future__ import annotations

import io
import os
import unicodedata
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from tui.cli import main as cli

from .conftest import MINI

_SEPARATORS = {"\x85", "\u2028", "\u2029"}


def leaked(text: str) -> list[str]:
    """Characters of ``text`` a terminal would act on or that hide text: controls (the line
    break aside), format characters (bidi, zero-width, BOM), lone surrogates, line separators."""
    return sorted(
        {
            f"U+{ord(c):04X}"
            for c in text
            if (c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs")) or c in _SEPARATORS
        }
    )


def run_cli(argv: list[str], facts: Path = MINI) -> tuple[int, str, str]:
    """``main(argv)`` reading ``facts`` unless argv names others; never the full-screen app."""
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n", write_through=True)
    with (
        mock.patch.dict(os.environ, {"POVTUI_FACTS": str(facts)}),
        mock.patch.object(cli, "_interactive", return_value=False),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        code = cli.main(argv)
        return code, raw.getvalue().decode("utf-8"), err.getvalue()
