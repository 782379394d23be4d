"""The README is a contract: its county file example is valid, and every command is documented."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.helpers import REPO
from tui.cli.args import parser
from tui.factfiles.check import check
from tui.factfiles.loader import load


def test_readme_county_example_is_a_valid_fact_file(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[county]" in block)
    (tmp_path / "facts").mkdir()
    shutil.copy(REPO / "facts" / "metrics.toml", tmp_path / "facts")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "facts" / "shizhu.toml").write_text(example, encoding="utf-8")
    base, problems = load(tmp_path / "facts")
    problems += check(base)
    assert [str(p) for p in problems] == []
    assert len(base.facts) == 2 and len(base.skips) == 1


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in parser()._actions if a.dest == "command")
    names = list(subparsers.choices)  # type: ignore[union-attr]
    assert {"check", "export", "search", "show", "compare", "sources", "sheet", "cite"} <= set(names)
    helps = {action.dest: action.help for action in subparsers._choices_actions}  # type: ignore[attr-defined]
    for name in names:
        assert helps.get(name), f"{name} has no help text"
        assert f"povtui {name}" in readme, f"{name} is not in the README"


def test_every_option_of_every_command_is_in_the_cli_doc() -> None:
    doc = (REPO / "docs" / "CLI.md").read_text(encoding="utf-8")
    usage: dict[str, str] = {}
    for line in doc.splitlines():
        if line.startswith("$ povtui "):
            usage[line.split()[2]] = usage.get(line.split()[2], "") + line
    common = {"--facts", "--json", "--lang", "-h", "--help"}
    subparsers = next(a for a in parser()._actions if a.dest == "command")
    for name, command in subparsers.choices.items():  # type: ignore[union-attr]
        assert name in usage, f"povtui {name} has no usage line in docs/CLI.md"
        for action in command._actions:
            for option in set(action.option_strings) - common:
                assert option in usage[name], f"povtui {name} {option} is not in its usage lines"
    for option in common - {"-h", "--help"}:
        assert f"`{option}" in doc, f"{option} is not described"
