"""The layers of ``tui``, read from the source with ``ast``: imports inside functions count too.

- no import cycle among tui modules;
- the domain imports nothing of povtui's but the domain (and the gc leaf);
- nothing outside ``tui.app`` imports Textual, and nothing outside ``tui.app`` imports ``tui.app``
  but the CLI's launcher.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tui"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The tui modules (and top-level third-party packages) that ``path`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # ``from tui.store import index`` imports the module tui.store.index
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.startswith("tui"):
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                found.add(target)
            else:
                found.add(target.partition(".")[0])
    found.discard(name)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among tui modules, as a path, or None."""
    # a package's __init__ runs before its modules: importing tui.a.b imports tui.a first
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(t for t in graph.get(node, ()) if t.startswith("tui")):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"tui.a": {"tui.b"}, "tui.b": {"tui.c"}, "tui.c": {"tui.a"}}) == ["tui.a", "tui.b", "tui.c", "tui.a"]
    assert _cycle({"tui.a": {"tui.b"}, "tui.b": set()}) is None


def test_the_domain_imports_only_the_domain(graph: dict[str, set[str]]) -> None:
    for name, targets in graph.items():
        if name.startswith("tui.domain"):
            ours = {t for t in targets if t.startswith("tui")}
            assert all(t.startswith("tui.domain") or t == "tui.gcpause" for t in ours), (name, ours)


def test_only_the_app_imports_textual(graph: dict[str, set[str]]) -> None:
    for name, targets in graph.items():
        if not name.startswith("tui.app"):
            assert "textual" not in targets, name


def test_only_the_launcher_imports_the_app(graph: dict[str, set[str]]) -> None:
    importers = {
        name
        for name, targets in graph.items()
        if not name.startswith("tui.app") and any(t.startswith("tui.app") for t in targets)
    }
    # the CLI sets field mode's import-time switches (tui.app.terminal) and builds the app
    assert all(name.startswith("tui.cli") for name in importers), importers
