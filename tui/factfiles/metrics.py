"""Reading ``facts/metrics.toml``: the themes and the metrics every county shares."""

from __future__ import annotations

import os
from pathlib import Path

from tui.domain.model import Metric, Problem, Theme
from tui.domain.units import UnitError, parse_unit
from tui.factfiles.schema import TableReader, accepts, did_you_mean, unknown_tables
from tui.factfiles.tomlfile import read_toml
from tui.paths import label_path as _label

__all__ = ["load_metrics", "read_metrics"]


def read_metrics(facts_dir: Path, problems: list[Problem]) -> tuple[list[Theme], list[Metric]]:
    path = facts_dir / "metrics.toml"
    if not os.path.lexists(path):  # a broken link or a loop is there: read_toml says what it is
        problems.append(Problem(_label(path), 0, "missing: every fact tree needs a metrics.toml"))
        return [], []
    file, found = read_toml(path, _label(path))
    problems.extend(found)
    if file is None:
        return [], []
    reader = TableReader(file, problems)
    unknown_tables(reader, {"theme", "metric"})
    themes: dict[str, Theme] = {}
    for index, raw in reader.tables("theme"):
        if raw["id"] in themes:
            reader.problem(reader.line("theme", index, "id"), f"theme '{raw['id']}' is defined twice", "id")
            continue
        themes[raw["id"]] = Theme(raw["id"], raw["zh"], raw["en"], raw["order"])
    metrics: dict[str, Metric] = {}
    for index, raw in reader.tables("metric"):
        if raw["id"] in metrics:
            reader.problem(reader.line("metric", index, "id"), f"metric '{raw['id']}' is defined twice", "id")
            continue
        if raw["theme"] not in themes:
            reader.problem(
                reader.line("metric", index, "theme"),
                f"unknown theme '{raw['theme']}'{did_you_mean(raw['theme'], list(themes))}",
                "theme",
            )
            continue
        try:
            parse_unit(raw["base"])
        except UnitError as error:
            reader.problem(reader.line("metric", index, "base"), f"base: {error}", "base")
            continue
        metrics[raw["id"]] = Metric(
            raw["id"],
            raw["zh"],
            raw["en"],
            raw["theme"],
            raw["base"],
            tuple(raw.get("aliases", ())),
            accepts(reader, "metric", index, raw),
        )
    return list(themes.values()), list(metrics.values())


def load_metrics(facts_dir: Path) -> tuple[list[Theme], list[Metric], list[Problem]]:
    """The themes and metrics of ``facts_dir/metrics.toml``, and its problems."""
    problems: list[Problem] = []
    themes, metrics = read_metrics(facts_dir, problems)
    return themes, metrics, problems
