"""A figure's timeline in the detail pane: the county's other values of the same metric, baseline
to results to target, each with its bound, period and source, a compact ``12.7% (2014) → 0%
(2020)`` line and a bar per value in plain characters (readable without colour, in field mode).

A Rich renderable (the detail pane is a log of renderables), so the bars fit the pane's width.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, kind_word, label, value_text
from tui.present.analysis import change_of, timeline, timeline_line
from tui.present.textfmt import sanitize
from tui.present.views import Figure, short_title

__all__ = ["BAR_WIDTH", "Timeline", "bar"]

BAR_WIDTH = 12
"""The widest bar, in columns (narrower when the pane is)."""

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: Decimal, top: Decimal, width: int) -> str:
    """A bar of ``value`` against ``top`` in ``width`` columns, in eighths of a column; a value
    above zero always shows at least a sliver."""
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(float(value / top) * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


class Timeline:
    """The values of one county's metric over time, with ``fact`` marked as the one open."""

    def __init__(self, base: Facts, fact: Fact, lang: Lang) -> None:
        self.fact = fact
        self.lang = lang
        self.points: tuple[Figure, ...] = timeline(base, fact)
        self._titles = {
            g.fact.id: ", ".join(sanitize(short_title(base.source(f.source))) for f in g.facts) for g in self.points
        }
        self._change = change_of(g.fact for g in self.points)

    def __bool__(self) -> bool:
        """Worth showing: the figure has another value to set it against."""
        return len(self.points) >= 2

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        head = Text(label("timeline", lang), style="bold")
        line = timeline_line(self.points, lang)
        if line:
            head.append("  " + line)
        if self._change is not None:
            head.append(f"  ({self._change.text(lang)}, {label('derived', lang)})", style="dim")
        yield head
        numbers = [g.fact.canonical for g in self.points if isinstance(g.fact.canonical, Decimal)]
        top = max(numbers, default=Decimal(0))
        width = max(1, min(BAR_WIDTH, options.max_width // 5))
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)  # the marker of the open figure
        table.add_column(no_wrap=True, style="dim")  # kind
        table.add_column(no_wrap=True)  # value: never broken
        table.add_column(no_wrap=True)  # period
        table.add_column(no_wrap=True, width=width)  # bar
        table.add_column(overflow="fold", style="dim")  # sources
        for point in self.points:
            fact = point.fact
            shown = self.fact.id in point.ids
            canonical = fact.canonical
            table.add_row(
                "▶" if shown else " ",
                kind_word(fact.kind, lang),
                Text(sanitize(value_text(fact, lang, with_kind=False)), style="bold" if shown else ""),
                Text(sanitize(fact.when)),
                bar(canonical, top, width) if isinstance(canonical, Decimal) else "",
                Text(self._titles[fact.id]),
            )
        yield table
