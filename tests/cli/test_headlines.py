"""The county sheet's headline figures on the shipped facts: every county that states its exit
date shows it, from the national list or, where that is what it left, the municipal one."""

from __future__ import annotations

import json

import pytest

from tests.helpers import REPO, run_cli


@pytest.mark.parametrize(
    ("county", "metric", "date"),
    [
        ("石柱", "poverty.national_poverty_county_exit_date", "2019-04"),
        ("黔江", "poverty.national_poverty_county_exit_date", "2017"),
        ("潼南", "poverty.municipal_key_county_exit_date", "2016-04"),
    ],
)
def test_sheet_shows_the_exit_date(county: str, metric: str, date: str) -> None:
    code, out, _ = run_cli(["sheet", county, "--json"], REPO)
    assert code == 0
    shown = [(i["section"], i["fact"]["metric"], i["fact"]["value"]) for i in json.loads(out)["items"]]
    assert ("headline", metric, date) in shown
    code, out, _ = run_cli(["sheet", county], REPO)
    assert code == 0 and f"：{date}\n" in out
