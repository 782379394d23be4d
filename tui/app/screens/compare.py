"""Side-by-side comparison of 2 to 4 counties: one pane widget, bound once per county.

Rows are aligned by metric: every pane draws the same rows, three lines each, so that the
panes line up and scroll together inside one scroll view. Each row has a bar proportional to
the normalised value across the counties shown (all cells of a row are in the metric's base
unit, so they share one scale); dates get no bar; a missing figure is ``—``.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.render import county_title, name_of
from tui.app.widgets.keybar import KeyBar
from tui.app.wire import QuietScreen
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import KIND_WORDS, Lang, bound_word, label, word, written
from tui.present.textfmt import cell_len, sanitize, truncate
from tui.present.views import CompareRow, compare_rows

__all__ = ["ComparePane", "CompareScreen", "RowLabels"]

ROW_HEIGHT = 3
MAX_COUNTIES = 4
MIN_COUNTIES = 2


def _bar(value: Decimal, top: Decimal, width: int) -> str:
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    return "█" * max(1, round(float(value / top) * width))


def _value(fact: Fact, lang: Lang, width: int) -> Text:
    """The value as written with its bound: in words when it fits, else as a symbol (> ≥ ≈ ≲).
    A value is never cut: a pane too narrow for it shows it whole and lets it overflow."""
    bound = bound_word(fact.bound, lang)
    value = sanitize(written(fact))
    if bound and cell_len(f"{bound} {value}") > width:
        bound = bound_word(fact.bound, lang, symbol=True)
    text = Text(f"{bound} " if bound else "")
    text.append(value, style="bold")
    return text


class RowLabels(Widget):
    """The metric names down the left, row for row with the panes."""

    DEFAULT_CSS = """
    RowLabels { width: 16; height: auto; }
    """
    rows: reactive[tuple[CompareRow, ...]] = reactive((), layout=True)
    lang: reactive[Lang] = reactive("zh")

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return 1 + len(self.rows) * ROW_HEIGHT

    def render(self) -> Text:
        width = self.size.width - 1
        text = Text(label("metric", self.lang), style="dim")
        for row in self.rows:
            other = row.metric.en if self.lang == "zh" else row.metric.zh
            text.append("\n" + truncate(name_of(row.metric, self.lang), width), style="bold")
            text.append("\n" + truncate(sanitize(other), width), style="dim")
            text.append("\n")
        return text


class ComparePane(Widget, can_focus=True):
    """One county's column of the comparison; the same widget serves every county."""

    DEFAULT_CSS = """
    ComparePane { width: 1fr; height: auto; padding: 0 1 0 0; }
    ComparePane:focus { background: $boost; }
    """
    rows: reactive[tuple[CompareRow, ...]] = reactive((), layout=True)
    """The rows of the whole comparison, shared by every pane."""
    column: reactive[int] = reactive(0)
    """Which county of the rows this pane draws."""
    lang: reactive[Lang] = reactive("zh")

    def __init__(self, column: int) -> None:
        super().__init__()
        self.set_reactive(ComparePane.column, column)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return 1 + len(self.rows) * ROW_HEIGHT

    def render(self) -> Text:
        width = max(self.size.width - 1, 4)
        if not self.rows or self.column >= len(self.rows[0].cells):
            return Text("")
        county = self.rows[0].cells[self.column].county
        text = Text(truncate(county_title(county), width), style="bold underline")
        for row in self.rows:
            cell = row.cells[self.column]
            fact = cell.fact
            numbers = [
                c.fact.canonical for c in row.cells if c.fact is not None and isinstance(c.fact.canonical, Decimal)
            ]
            top = max(numbers, default=Decimal(0))
            if fact is None:
                text.append("\n" + label("missing", self.lang) + "\n\n", style="dim")
                continue
            text.append("\n")
            text.append_text(_value(fact, self.lang, width))
            notes = [word(KIND_WORDS, fact.kind, self.lang)] if fact.kind != "achieved" else []
            notes.append(sanitize(fact.when))
            if not fact.is_county_wide:
                notes.append(sanitize(fact.scope))
            if cell.more:
                notes.append(f"+{cell.more}")
            if cell.disagreements:
                notes.append("⚠")
            if row.highest == county.id:
                notes.append(label("highest", self.lang))
            text.append("\n" + truncate(" ".join(notes), width), style="dim")
            bar = _bar(fact.canonical, top, width) if isinstance(fact.canonical, Decimal) else ""
            text.append("\n" + bar, style="italic" if fact.kind == "target" else "")
        return text


class CompareScreen(QuietScreen[None]):
    """Pick 2 to 4 counties; their panes scroll together, aligned by metric."""

    BINDINGS = [
        Binding("a", "add", "Add county", id="compare-add"),
        Binding("x", "remove", "Remove county", id="compare-remove"),
        Binding("t", "next_theme", "Theme", id="compare-theme"),
        Binding("escape", "close", "Back", id="compare-back"),
    ]
    DEFAULT_CSS = """
    CompareScreen #picker { width: 16; border-right: vkey $panel; }
    CompareScreen #compare-head { height: 1; padding: 0 1; color: $text-muted; }
    CompareScreen #panes { height: auto; }
    """

    counties: var[tuple[str, ...]] = var(())
    theme: var[str] = var("")
    """A theme id, or "" for every theme."""
    rows: var[tuple[CompareRow, ...]] = var(())
    lang: var[Lang] = var("zh")

    class Changed(Message):
        """The counties compared changed (they are kept with the user's place)."""

        def __init__(self, compare: CompareScreen, counties: tuple[str, ...]) -> None:
            super().__init__()
            self.compare = compare
            self.counties = counties

        @property
        def control(self) -> CompareScreen:
            return self.compare

    def __init__(self, base: Facts, counties: list[str], *, lang: Lang = "zh") -> None:
        super().__init__()
        self.base = base
        self.set_reactive(CompareScreen.lang, lang)
        self.set_reactive(CompareScreen.counties, tuple(counties[:MAX_COUNTIES]))
        # the rows exist before the first layout: the screen is drawn once, complete
        self.set_reactive(CompareScreen.rows, compare_rows(base, list(self.counties)))

    def compose(self) -> ComposeResult:
        yield Static(self._head(), id="compare-head")
        with Horizontal():
            yield OptionList(*self._picker_options(), id="picker")
            with VerticalScroll(id="scroll"):
                with Horizontal(id="panes"):
                    yield RowLabels().data_bind(CompareScreen.rows, CompareScreen.lang)
                    for column in range(MAX_COUNTIES):
                        pane = ComparePane(column).data_bind(CompareScreen.rows, CompareScreen.lang)
                        pane.display = column < len(self.counties)
                        yield pane
        yield KeyBar([*self.BINDINGS, *self.app.BINDINGS], lang=self.lang).data_bind(CompareScreen.lang)

    def on_mount(self) -> None:
        self.query_one("#picker", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a county in the picker adds it, or removes it when it is shown."""
        if event.option.id in self.counties:
            self.action_remove()
        else:
            self.action_add()

    def _picker_options(self) -> list[Option]:
        return [
            Option(Text(("✓ " if c.id in self.counties else "  ") + county_title(c)), id=c.id)
            for c in self.base.counties
        ]

    def _recompute(self) -> None:
        self.rows = compare_rows(self.base, list(self.counties), theme=self.theme or None)
        for column, pane in enumerate(self.query(ComparePane)):
            shown = column < len(self.counties)
            if pane.display != shown:  # a change of layout: only when the number of panes changes
                pane.display = shown
        picker = self.query_one("#picker", OptionList)
        for option in self._picker_options():  # the marks change, not the list: no new layout
            picker.replace_option_prompt(option.id, option.prompt)  # type: ignore[arg-type]
        self.query_one("#compare-head", Static).update(self._head())

    def _head(self) -> Text:
        theme = name_of(self.base.theme(self.theme), self.lang) if self.theme else label("all_themes", self.lang)
        return Text(f"{label('compare', self.lang)} · {theme} · {len(self.rows)} · {label('compare_hint', self.lang)}")

    def watch_counties(self, counties: tuple[str, ...]) -> None:
        if self.is_mounted:
            self._recompute()
        self.post_message(self.Changed(self, counties))

    def watch_theme(self) -> None:
        if self.is_mounted:
            self._recompute()

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
            self.notify(f"≤ {MAX_COUNTIES}", severity="warning")
            return
        self.counties = (*self.counties, county)

    def action_remove(self) -> None:
        county = self._picked()
        if len(self.counties) <= MIN_COUNTIES:
            self.notify(f"≥ {MIN_COUNTIES}", severity="warning")
            return
        if county not in self.counties:
            county = self.counties[-1]
        self.counties = tuple(c for c in self.counties if c != county)

    def action_close(self) -> None:
        self.dismiss()

    def action_next_theme(self) -> None:
        ids = ["", *(t.id for t in self.base.themes)]
        self.theme = ids[(ids.index(self.theme) + 1) % len(ids)]

    @property
    def pane_counties(self) -> list[str]:
        """The counties shown, left to right (for tests and the status line)."""
        return list(self.counties)
