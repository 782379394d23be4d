"""What a quick build would give: the same facts in an Input, a Tree and a DataTable, with
Textual's default settings (animations, mouse, blinking cursor, truecolor/256 colours)."""

import sys
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Tree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.factfiles.loader import load  # noqa: E402
from tui.paths import resolve_facts_dir  # noqa: E402


class Plain(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.base, _ = load(resolve_facts_dir())

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="search")
        with Horizontal():
            yield Tree("facts")
            yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.root.expand()
        for county in self.base.counties:
            node = tree.root.add(Text(county.short), expand=True)
            for metric in sorted({f.metric for f in self.base.select(county=county.id)}):
                node.add_leaf(Text(self.base.metric(metric).zh))
        table = self.query_one(DataTable)
        table.add_columns("county", "metric", "value", "when")
        for fact in self.base.facts:
            table.add_row(
                Text(fact.county),
                Text(self.base.metric(fact.metric).zh),
                Text(f"{fact.value}{fact.unit}"),
                Text(fact.when),
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for fact in self.base.facts:
            if event.value in fact.quote or event.value in self.base.metric(fact.metric).zh:
                table.add_row(
                    Text(fact.county),
                    Text(self.base.metric(fact.metric).zh),
                    Text(f"{fact.value}{fact.unit}"),
                    Text(fact.when),
                )


if __name__ == "__main__":
    Plain().run()
