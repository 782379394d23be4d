"""`povtui export`: the JSON shape other tools read, and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import MINI
from tui.cli.main import main

REQUIRED = {
    "id",
    "county",
    "county_short",
    "county_en",
    "theme",
    "metric",
    "metric_zh",
    "metric_en",
    "value",
    "value_max",
    "unit",
    "canonical",
    "base",
    "bound",
    "scope",
    "kind",
    "when",
    "source",
    "quote",
}


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["export", "--facts", str(MINI), *args])
    return code, capsys.readouterr().out


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _export(capsys)
    data = json.loads(out)
    assert code == 0
    assert [c["id"] for c in data["counties"]] == ["alpha", "beta"]
    assert len(data["facts"]) == 13
    for fact in data["facts"]:
        assert REQUIRED <= fact.keys()
    fund = next(f for f in data["facts"] if f["metric"] == "funding.total_invested" and f["county"] == "alpha")
    assert (fund["value"], fund["unit"], fund["canonical"], fund["base"]) == (3.75, "亿元", 375000000, "元")
    assert fund["county_short"] == "甲县" and fund["source"] == "seeds/alpha.txt"
    near = next(f for f in data["facts"] if f["metric"] == "poverty.beneficiaries")
    assert (near["bound"], near["canonical"]) == ("nearly", 63000)


def test_json_one_county(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _export(capsys, "--county", "Beta")
    data = json.loads(out)
    assert code == 0 and {f["county"] for f in data["facts"]} == {"beta"}
    assert [c["id"] for c in data["counties"]] == ["beta"]


def test_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _export(capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 13
    assert REQUIRED <= rows[0].keys()
    assert next(r for r in rows if r["metric"] == "funding.cadres")["value_max"] == "3"


def test_unknown_county_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--facts", str(MINI), "--county", "Betta"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "unknown county 'Betta'" in err and "Beta" in err


def test_shipped_export_has_all_four_counties(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {c["id"] for c in data["counties"]} >= {"shizhu", "fengjie", "tongnan", "qianjiang"}
    assert all(f["quote"] for f in data["facts"])
