"""The new output paths keep data as text: the timeline, before -> after, compare as CSV and
Markdown, the article around a quote and the candidates of an ambiguous name carry no control,
bidi or format character from a hostile fact tree (the tree of tests/cli/test_hostile_text.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.cli.test_hostile_text import _evil_fact, hostile  # noqa: F401 - the fixture
from tests.helpers import leaked, run_cli

NEW_PATHS = [
    ["show", "evil", "--metric", "people_lifted"],
    ["show", "evil", "--metric", "evil.cadres", "--width", "40"],
    ["show", "evil", "--ids"],
    ["show", "evil", "--metric", "poverty.people_lifted", "--json"],
    ["compare", "evil", "alpha", "beta"],
    ["compare", "evil", "alpha", "--format", "md"],
    ["compare", "evil", "alpha", "--format", "json"],
    ["search", "脱贫", "--width", "40", "--ids"],
]


@pytest.mark.parametrize("argv", NEW_PATHS, ids=" ".join)
def test_new_paths_escape_hostile_text(hostile: Path, argv: list[str]) -> None:  # noqa: F811
    code, out, err = run_cli(argv, hostile)
    assert code == 0, err
    assert not leaked(out) and not leaked(err), (leaked(out), leaked(err))
    if "--json" in argv or "json" in argv:
        json.loads(out)
    else:
        width = int(argv[argv.index("--width") + 1]) if "--width" in argv else 80
        assert "md" in argv or all(cell_len(line) <= width for line in out.splitlines()), [
            line for line in out.splitlines() if cell_len(line) > width
        ]


def test_compare_csv_is_escaped_and_formula_safe(hostile: Path) -> None:  # noqa: F811
    code, out, _ = run_cli(["compare", "evil", "alpha", "--format", "csv"], hostile)
    assert code == 0 and not leaked(out.removeprefix("\ufeff").replace("\r\n", "\n"))  # RFC 4180 row ends
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert rows[0][2].startswith("恶\\x1b]0;pwned\\x07")
    assert all(len(row) == 4 for row in rows)


def test_cite_context_escapes_the_article(hostile: Path) -> None:  # noqa: F811
    fact = _evil_fact(hostile, "poverty.people_lifted")
    code, out, err = run_cli(["cite", fact, "--context"], hostile)
    assert code == 0 and not leaked(out) and not leaked(err)
    assert "【[bold red]粗[/]" in out and "\\x1b]52;c;cG93bmVk\\x07" in out


def test_an_ambiguous_name_lists_its_candidates_escaped(hostile: Path) -> None:  # noqa: F811
    code, out, err = run_cli(["compare", "evil", "alpha", "--metric", "别名"], hostile)
    assert not leaked(err) and code in (0, 2)
    code, _, err = run_cli(["show", "evil", "--theme", "恶"], hostile)
    assert not leaked(err)
