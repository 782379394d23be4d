"""What the detail pane shows, as Rich renderables built from the model's answers.

Every string from the data goes through :func:`tui.present.textfmt.sanitize` and into a
``rich.text.Text`` (never markup), so ``[/]`` in a quote is text and an ESC is shown as
``\\x1b``, not sent.

Values come first: a value, its bound and its date sit in columns that never wrap, so when
the pane is narrow the names beside them wrap instead; every other text is a :class:`Flow`,
which breaks only where the shared wrap allows (never inside a number and its unit, a date,
a period or a fact id).
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui.app.flow import Flow
from tui.app.widgets.timeline import Timeline
from tui.domain.facts import Facts
from tui.domain.model import County, Fact, Metric, Theme
from tui.domain.numbers import numbers_in
from tui.domain.vocab import (
    Lang,
    kind_word,
    label,
    normalised,
    sources_text,
    value_parts,
    value_text,
    when_text,
    written,
)
from tui.present.headlines import headlines
from tui.present.textfmt import sanitize
from tui.present.views import (
    by_theme,
    date_text,
    figure_of,
    figures,
    ordered,
    source_summaries,
)

__all__ = ["county_view", "fact_view", "metric_view", "name_of", "quote_text", "theme_view", "value_label"]


def name_of(item: Metric | Theme, lang: Lang) -> str:
    return sanitize(item.zh if lang == "zh" else item.en)


def county_title(county: County) -> str:
    """Both names, always: 石柱 Shizhu."""
    return sanitize(f"{county.short} {county.en}")


def value_label(fact: Fact, lang: Lang) -> Text:
    """The value as written with its bound in words and, unless achieved, its kind:
    ``超过 6000人``, ``目标 30万亩``. A target never looks like an achievement."""
    kind, bound, value = value_parts(fact, lang)
    text = Text()
    text.append(kind, style="italic")
    text.append(bound)
    text.append(sanitize(value), style="bold")
    return text


def quote_text(fact: Fact) -> Text:
    """The verbatim quote, its figure highlighted."""
    quote = sanitize(fact.quote)
    text = Text(f"「{quote}」")
    wanted = {fact.value, fact.value_max}
    if isinstance(fact.value, str):
        wanted = {Decimal(int(part)) for part in fact.value.split("-")}
    for number in numbers_in(quote):
        if number.value in wanted:
            text.stylize("bold reverse", number.start + 1, number.end + 1)
    return text


def _fact_block(base: Facts, fact: Fact, lang: Lang, *, with_metric: bool = False) -> RenderableType:
    county = base.county(fact.county)
    figure = figure_of(base, fact)
    head = Text()
    if with_metric:
        head.append(name_of(base.metric(fact.metric), lang) + "  ", style="bold")
    head.append_text(value_label(fact, lang))
    extra = normalised(fact)
    if extra and extra != sanitize(written(fact)):
        head.append(f"  ({extra})", style="dim")
    if figure.sources > 1:
        head.append(f"  {sources_text(figure.sources, lang)}", style="dim")
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    scope = label("county_wide", lang) if fact.is_county_wide else sanitize(fact.scope)
    when = sanitize(fact.when + (f" ({fact.when_note})" if fact.when_note else ""))
    rows = [
        ("scope", f"{county_title(county)} · {scope}"),
        ("kind", kind_word(fact.kind, lang)),
        ("when", when),
    ]
    for key, value in rows:
        table.add_row(label(key, lang), Flow(value))
    for one in figure.facts:  # every source of the figure, each with its own quote, note and id
        source = base.source(one.source)
        where = f"{source.title} · {date_text(source, lang)}" + (f" · {source.outlet}" if source.outlet else "")
        table.add_row(label("source", lang), Flow(sanitize(where)))
        table.add_row(label("quote", lang), Flow(quote_text(one)))
        if one.note:
            table.add_row(label("note", lang), Flow(sanitize(one.note), style="dim"))
        table.add_row("id", Flow(sanitize(one.id), style="dim"))
    parts: list[RenderableType] = [Flow(head), table]
    others = [other for other in base.disagreements(fact) if other.id not in figure.ids]
    if others:
        warning = Text(label("disagree", lang) + ": ", style="bold reverse")
        for other in others:  # each value keeps its bound: 5000余户 is never shown as 5000户
            warning.append(
                f" {sanitize(value_text(other, lang))} ({sanitize(base.source(other.source).title[:12])}…,"
                f" {sanitize(other.id)})"
            )
        parts.append(Flow(warning))
    return Group(*parts)


def fact_view(base: Facts, fact_id: str, lang: Lang) -> RenderableType:
    fact = base.fact(fact_id)
    metric = base.metric(fact.metric)
    title = Text(f"{county_title(base.county(fact.county))} · {name_of(metric, lang)}", style="bold underline")
    line = Timeline(base, fact, lang)  # the county's other values of the metric, in time order
    return Group(Flow(title), *((Text(""), line) if line else ()), Text(""), _fact_block(base, fact, lang))


METRIC_FACTS = 40
"""A metric across all counties shows this many facts (the tree opens each county's)."""


def metric_view(base: Facts, county: str, metric_id: str, lang: Lang) -> RenderableType:
    """Every fact of a metric, for one county (or every county when ``county`` is empty).
    Disagreeing sources appear side by side, each with its marker."""
    metric = base.metric(metric_id)
    facts = ordered(base.select(county=county or None, metric=metric_id))
    title = Text(name_of(metric, lang), style="bold underline")
    title.append(
        f"  {sanitize(metric.zh if lang == 'en' else metric.en)} · {len(facts)} {label('facts', lang)}", style="dim"
    )
    parts: list[RenderableType] = [Flow(title)]
    line = Timeline(base, facts[0], lang) if county and facts else None
    if line:  # one county's metric: its values in time order first
        parts += [Text(""), line]
    for figure in figures(facts)[:METRIC_FACTS]:  # a figure stated by several sources once, with every quote
        parts += [Text(""), _fact_block(base, figure.fact, lang)]
    if len(facts) > METRIC_FACTS:
        parts += [Text(""), Flow(label("more_in_tree", lang).format(n=len(facts) - METRIC_FACTS), style="dim")]
    return Group(*parts)


def theme_view(base: Facts, county: str, theme_id: str, lang: Lang) -> RenderableType:
    """A table of a theme's metrics for one county."""
    theme = base.theme(theme_id)
    groups = by_theme(base, county, theme_id)
    title = Text(f"{county_title(base.county(county))} · {name_of(theme, lang)}", style="bold underline")
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="dim")
    for key in ("metric", "value", "when", "scope"):  # the figure's columns never wrap: the names do
        table.add_column(Flow(label(key, lang)), no_wrap=key in ("value", "when"))
    for group in groups:
        for figure in group.figures:  # a figure stated by several sources is one row
            fact = figure.fact
            scope = "" if fact.is_county_wide else sanitize(fact.scope)
            marker = " ⚠" if any(f.id not in figure.ids for f in base.disagreements(fact)) else ""
            marker += f" {sources_text(figure.sources, lang)}" if figure.sources > 1 else ""
            table.add_row(
                Flow(name_of(base.metric(fact.metric), lang) + marker),
                value_label(fact, lang),
                Text(sanitize(when_text(fact))),
                Flow(scope),
            )
    return Group(Flow(title), Text(""), table)


def county_view(base: Facts, county_id: str, lang: Lang) -> RenderableType:
    """A county's headline figures and its sources."""
    county = base.county(county_id)
    title = Text(f"{sanitize(county.name)} {sanitize(county.en)}", style="bold underline")
    title.append(
        f"  {sanitize(county.level)} · {sanitize(county.parent)} · "
        f"{len(base.select(county=county_id))} {label('facts', lang)}",
        style="dim",
    )
    table = Table(box=None, padding=(0, 1), show_edge=False, show_header=False)
    table.add_column()  # a narrow pane shortens the name (one line a figure); the value and its date never
    table.add_column(no_wrap=True)
    table.add_column(style="dim", no_wrap=True)
    for item in headlines(base, county_id):
        fact = item.fact
        when = sanitize(when_text(fact))
        value = value_label(fact, lang)
        name = Text(sanitize(item.name(lang)), no_wrap=True, overflow="ellipsis")
        table.add_row(name, value, "" if when == value.plain else Text(when))
    sources = Table(box=None, padding=(0, 1), show_edge=False, show_header=False)
    sources.add_column(style="dim", no_wrap=True)
    sources.add_column()
    for summary in source_summaries(base, county_id):
        sources.add_row(
            Text(date_text(summary.source, lang)),
            Flow(f"{sanitize(summary.source.title)} ({summary.facts} {label('facts', lang)})"),
        )
    return Group(
        Flow(title),
        Text(""),
        Text(label("headline", lang), style="bold"),
        table,
        Text(""),
        Text(label("sources", lang), style="bold"),
        sources,
    )
