"""Side-by-side comparison of 2 to 4 counties, aligned by metric.

The picker on the left adds and removes counties; the table (Tab to it) has a cell cursor:
Enter opens every value and source behind a cell. ``v`` picks the value the cells show (latest
result, baseline, target), ``s`` sorts the rows (by metric, by the value of the cursor's county,
by the gap between the counties), ``h`` hides the rows only one county has, ``y`` copies the
table as text with a citation per value, ``w`` writes it to a CSV file and shows where.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.render import county_title, name_of
from tui.app.screens.article import ArticleScreen
from tui.app.screens.cell import CellScreen
from tui.app.widgets.compare_table import CompareTable
from tui.app.widgets.keybar import KeyBar
from tui.app.wire import QuietScreen
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.paths import label_path, state_dir
from tui.present.analysis import (
    PICKS,
    SORTS,
    Pick,
    Sort,
    only_one,
    picked,
    sort_rows,
)
from tui.present.compare_out import compare_lines, write_compare_file
from tui.present.textfmt import sanitize
from tui.present.views import CompareRow, compare_rows

__all__ = ["CompareScreen"]

MAX_COUNTIES = 4
MIN_COUNTIES = 2


class CompareScreen(QuietScreen[None]):
    """Pick 2 to 4 counties; the table shows them aligned by metric."""

    BINDINGS = [
        Binding("a", "add", "Add county", id="compare-add"),
        Binding("x", "remove", "Remove county", id="compare-remove"),
        Binding("t", "next_theme", "Theme", id="compare-theme"),
        Binding("v", "next_pick", "Value", id="compare-pick"),
        Binding("s", "next_sort", "Sort", id="compare-sort"),
        Binding("h", "toggle_single", "Single rows", id="compare-single"),
        Binding("y", "copy", "Copy", id="compare-copy"),
        Binding("w", "export", "Export", id="compare-export"),
        Binding("o", "article", "Article", id="article"),
        Binding("escape", "close", "Back", id="compare-back"),
    ]
    DEFAULT_CSS = """
    CompareScreen #picker { width: 16; border-right: vkey $panel; }
    CompareScreen #compare-head { height: auto; padding: 0 1; color: $text-muted; }
    CompareScreen #scroll { width: 1fr; }
    """

    counties: var[tuple[str, ...]] = var(())
    theme: var[str] = var("")
    """A theme id, or "" for every theme."""
    pick: var[Pick] = var("latest")
    """Which value the cells show."""
    sort: var[Sort] = var("metric")
    """How the rows are ordered."""
    single: var[bool] = var(True)
    """Whether rows that only one county has are shown."""
    rows: var[tuple[CompareRow, ...]] = var(())
    """Every row of the counties and theme, in metric order."""
    shown: var[tuple[CompareRow, ...]] = var(())
    """The rows the table shows: filtered and sorted."""
    lang: var[Lang] = var("zh")

    class Changed(Message):
        """The counties compared, or how they are shown, changed (they are kept with the place)."""

        def __init__(self, compare: CompareScreen, counties: tuple[str, ...]) -> None:
            super().__init__()
            self.compare = compare
            self.counties = counties

        @property
        def control(self) -> CompareScreen:
            return self.compare

        @property
        def theme(self) -> str:
            return self.compare.theme

        @property
        def sort(self) -> Sort:
            return self.compare.sort

    def __init__(
        self, base: Facts, counties: list[str], *, lang: Lang = "zh", theme: str = "", sort: str = "metric"
    ) -> None:
        super().__init__()
        self.base = base
        self.set_reactive(CompareScreen.lang, lang)
        self.set_reactive(CompareScreen.counties, tuple(counties[:MAX_COUNTIES]))
        self.set_reactive(CompareScreen.theme, theme if theme in {t.id for t in base.themes} else "")
        chosen: Sort = next((s for s in SORTS if s == sort), "metric")  # a kept sort may be anything
        self.set_reactive(CompareScreen.sort, chosen)
        # the rows exist before the first layout: the screen is drawn once, complete
        self.set_reactive(CompareScreen.rows, self._rows())
        self.set_reactive(CompareScreen.shown, self._shown())

    def compose(self) -> ComposeResult:
        yield Static(self._head(), id="compare-head")
        with Horizontal():
            yield OptionList(*self._picker_options(), id="picker")
            with VerticalScroll(id="scroll", can_focus=False):  # Tab goes from the picker to the table
                table = CompareTable(id="table")
                table.set_reactive(CompareTable.rows, self.shown)
                table.set_reactive(CompareTable.lang, self.lang)
                yield table.data_bind(rows=CompareScreen.shown, pick=CompareScreen.pick, lang=CompareScreen.lang)
        yield KeyBar([*self.BINDINGS, *self.app.BINDINGS], lang=self.lang).data_bind(CompareScreen.lang)

    def on_mount(self) -> None:
        self.query_one("#picker", OptionList).focus()

    @property
    def table(self) -> CompareTable:
        return self.query_one(CompareTable)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a county in the picker adds it, or removes it when it is shown."""
        if event.option.id in self.counties:
            self.action_remove()
        else:
            self.action_add()

    @on(CompareTable.Opened)
    def _open_cell(self, event: CompareTable.Opened) -> None:
        self.app.push_screen(CellScreen(self.base, event.cell.county.id, event.row.metric.id, lang=self.lang))

    def _picker_options(self) -> list[Option]:
        return [
            Option(Text(("✓ " if c.id in self.counties else "  ") + county_title(c)), id=c.id)
            for c in self.base.counties
        ]

    def _rows(self) -> tuple[CompareRow, ...]:
        return compare_rows(self.base, list(self.counties), theme=self.theme or None)

    def _shown(self) -> tuple[CompareRow, ...]:
        rows = self.rows if self.single else tuple(r for r in self.rows if not only_one(r))
        column = self.table.cursor[1] if self.is_mounted else 0
        return sort_rows(rows, self.sort, self.pick, column)

    def _recompute(self) -> None:
        self.rows = self._rows()
        self._reshow()
        picker = self.query_one("#picker", OptionList)
        for option in self._picker_options():  # the marks change, not the list: no new layout
            picker.replace_option_prompt(option.id, option.prompt)  # type: ignore[arg-type]

    def _reshow(self) -> None:
        self.shown = self._shown()
        self.query_one("#compare-head", Static).update(self._head())

    def _head(self) -> Text:
        lang = self.lang
        theme = name_of(self.base.theme(self.theme), lang) if self.theme else label("all_themes", lang)
        parts = [
            label("compare", lang),
            theme,
            f"{len(self.shown)} {label('rows', lang)}",
            label(f"pick.{self.pick}", lang),
            label(f"sort.{self.sort}", lang),
        ]
        if not self.single:
            parts.append(label("single_hidden", lang))
        return Text(" · ".join(parts))

    def watch_counties(self, counties: tuple[str, ...]) -> None:
        if self.is_mounted:
            self._recompute()
        self.post_message(self.Changed(self, counties))

    def watch_theme(self) -> None:
        if self.is_mounted:
            self._recompute()
            self.post_message(self.Changed(self, self.counties))

    def watch_sort(self) -> None:
        if self.is_mounted:
            self._reshow()
            self.post_message(self.Changed(self, self.counties))

    def watch_pick(self) -> None:
        if self.is_mounted:
            self._reshow()

    def watch_single(self) -> None:
        if self.is_mounted:
            self._reshow()

    def watch_lang(self, old: Lang, lang: Lang) -> None:
        if self.is_mounted and old != lang:
            self._recompute()

    def _picked(self) -> str | None:
        picker = self.query_one("#picker", OptionList)
        if picker.highlighted is None:
            return None
        return picker.get_option_at_index(picker.highlighted).id

    def action_add(self) -> None:
        county = self._picked()
        if county is None or county in self.counties:
            return
        if len(self.counties) >= MAX_COUNTIES:
            self.notify(label("compare.at_most", self.lang).format(n=MAX_COUNTIES), severity="warning", markup=False)
            return
        self.counties = (*self.counties, county)

    def action_remove(self) -> None:
        county = self._picked()
        if len(self.counties) <= MIN_COUNTIES:
            self.notify(label("compare.at_least", self.lang).format(n=MIN_COUNTIES), severity="warning", markup=False)
            return
        if county not in self.counties:
            county = self.counties[-1]
        self.counties = tuple(c for c in self.counties if c != county)

    def action_close(self) -> None:
        self.dismiss()

    def action_next_theme(self) -> None:
        ids = ["", *(t.id for t in self.base.themes)]
        self.theme = ids[(ids.index(self.theme) + 1) % len(ids)]

    def action_next_pick(self) -> None:
        self.pick = PICKS[(PICKS.index(self.pick) + 1) % len(PICKS)]

    def action_next_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def action_toggle_single(self) -> None:
        self.single = not self.single

    def table_text(self) -> str:
        """The comparison as text: a heading, then one line per row with a citation per value."""
        names = " ".join(sanitize(self.base.county(c).short) for c in self.counties)
        head = f"{sanitize(self._head().plain)} · {names}"
        return "\n".join([head, *compare_lines(self.base, self.shown, self.lang, self.pick)])

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.table_text())

    def action_export(self) -> Path | None:
        """Write the rows shown to a CSV file (the working folder, else the state folder)."""
        path = write_compare_file(self.base, self.shown, self.counties, self.pick, folders=(None, state_dir()))
        if path is None:
            self.notify(label("write_failed", self.lang), severity="error", markup=False)
        else:
            self.notify(label_path(path), title=label("written_to", self.lang), timeout=10, markup=False)
        return path

    def focused_fact(self) -> Fact | None:
        """The figure of the cell under the cursor (what o opens the article of)."""
        found = self.table.cell
        figure = picked(found[1], self.pick) if found is not None else None
        return figure.fact if figure is not None else None

    def action_article(self) -> None:
        """o: the source article of the cell's figure, at its quote."""
        fact = self.focused_fact()
        if fact is None:
            self.notify(label("no_figure_here", self.lang), severity="warning", markup=False)
            return
        self.app.push_screen(ArticleScreen(self.base, fact, lang=self.lang))

    @property
    def pane_counties(self) -> list[str]:
        """The counties shown, left to right (for tests and the status line)."""
        return list(self.counties)
