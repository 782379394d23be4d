"""``povtui show COUNTY``: a county's figures by theme, one line each (values first), the
quote of every source under a figure that several articles state, and the figure's note."""

from __future__ import annotations

import argparse

from tui.cli.args import check_width
from tui.cli.common import Exit, emit_json, find_county
from tui.cli.output import county_title, differs_text, emit, figure_json, metric_arg, none, sources_mark, theme_arg
from tui.cli.timeline import timeline_json, timeline_lines
from tui.domain.facts import Facts
from tui.domain.model import County
from tui.domain.vocab import Lang, label, scope_text, value_text, when_text
from tui.present.analysis import metric_timelines
from tui.present.export import county_record
from tui.present.textfmt import cell_len, pack, sanitize, wrap
from tui.present.views import Figure, by_theme, short_title
from tui.store.store import Store

NAME_WIDTH = 20
"""The metric names' column is at most this wide (and a quarter of the line); a longer name
wraps, indented."""
MIN_NAME_WIDTH = 6
"""The narrowest the names' column gets when the values need the room."""


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    county = find_county(base, args.county)
    lang: Lang = args.lang
    width = check_width(args.width)
    theme = theme_arg(base, args.theme)
    if args.metric is not None:
        return _timelines(args, store, county, metric_arg(base, args.metric, theme) or "", width)
    groups = by_theme(base, county.id, theme)
    if args.json:
        emit_json(
            {
                "county": county_record(county),
                "themes": [
                    {
                        "id": g.theme.id,
                        "zh": g.theme.zh,
                        "en": g.theme.en,
                        "facts": [figure_json(base, figure, lang) for figure in g.figures],
                    }
                    for g in groups
                ],
            }
        )
    if not groups:
        return none(f"no facts for {county.short}" + (f" in theme {args.theme}" if args.theme else ""))
    if args.json:
        return Exit.OK
    count = sum(len(g.facts) for g in groups)
    lines = wrap(f"{county_title(base, county.id)}: {count} {label('facts', lang)}", width)
    shown = [figure for group in groups for figure in group.figures]
    names = [sanitize(base.metric(figure.fact.metric).zh) for figure in shown]
    # the names give way to the widest value, period or id of any figure: those are never broken
    # (a scope and a "differs from" list may wrap, between places and between ids)
    widest = max(cell_len(sanitize(p)) for f in shown for i, p in enumerate(_pieces(base, f, lang)) if i in (0, 1, 3))
    name_width = min(max(cell_len(n) for n in names), NAME_WIDTH, width // 4, width - 4 - widest)
    if name_width < MIN_NAME_WIDTH:  # too narrow for two columns: each name above its figure
        name_width = 0
    for group in groups:
        lines += [""] + wrap(sanitize(f"{group.theme.zh} {group.theme.en}"), width)
        for figure in group.figures:
            lines += figure_lines(base, figure, lang, name_width, width, ids=args.ids)
    emit(lines)
    return Exit.OK


def _timelines(args: argparse.Namespace, store: Store, county: County, metric: str, width: int) -> int:
    """``show COUNTY --metric M``: the county's values of the metric in time order, per scope."""
    base, lang = store.base, args.lang
    found = metric_timelines(base, county.id, metric)
    item = base.metric(metric)
    if args.json:
        emit_json(
            {
                "county": county_record(county),
                "metric": {"id": item.id, "zh": item.zh, "en": item.en, "theme": item.theme, "base": item.base},
                "timelines": [timeline_json(base, scope, points, lang) for scope, points in found],
            }
        )
    if not found:
        return none(f"no figures of {item.zh} ({item.id}) for {county.short}")
    if args.json:
        return Exit.OK
    lines = wrap(sanitize(f"{county_title(base, county.id)} · {item.zh} {item.en} ({item.id})"), width)
    for scope, points in found:
        where = label("county_wide", lang) if scope == "county" else scope
        lines += [""] + wrap(sanitize(where), width) + timeline_lines(base, points, lang, width)
    emit(lines)
    return Exit.OK


def _pieces(base: Facts, figure: Figure, lang: Lang) -> list[str]:
    """What follows a figure's name, each piece never broken: value, period, scope, id or the
    number of sources, and whether another source differs."""
    fact = figure.fact
    return [
        value_text(fact, lang),
        when_text(fact),
        scope_text(fact, lang),
        sources_mark(figure, lang) if figure.sources > 1 else fact.id,
        differs_text(base, figure, lang),
    ]


def figure_lines(
    base: Facts, figure: Figure, lang: Lang, name_width: int, width: int, *, ids: bool = False
) -> list[str]:
    """One figure: its name, then value, period, scope and id (or its number of sources) packed
    so that none of them is ever broken; under it each source's quote, and the note. A
    ``name_width`` of 0 puts the name on a line of its own, the figure under it."""
    fact = figure.fact
    several = figure.sources > 1
    pieces = [sanitize(p) for p in _pieces(base, figure, lang)] + ([sanitize(fact.metric)] if ids else [])
    if not name_width:  # a name of its own line(s), the figure under it
        lines = wrap(sanitize(base.metric(fact.metric).zh), width, "  ", "   ")
        lines += ["    " + line for line in pack(pieces, width - 4)]
        name, detail = [], []
    else:
        name = wrap(sanitize(base.metric(fact.metric).zh), name_width, subsequent=" ")
        detail = pack(pieces, width - 2 - name_width - 2)
        lines = []
    for index in range(max(len(name), len(detail))):
        left = name[index] if index < len(name) else ""
        right = detail[index] if index < len(detail) else ""
        lines.append(("  " + left + " " * (name_width - cell_len(left)) + "  " + right).rstrip())
    if several:
        for one in figure.facts:
            head = f"{one.id}  {short_title(base.source(one.source))}: 「{one.quote}」"
            lines += wrap(sanitize(head), width, "    ", "      ")
    notes = dict.fromkeys(one.note for one in figure.facts if one.note)
    for note in notes:
        lines += wrap(sanitize(f"{label('note', lang)}: {note}"), width, "    ", "      ")
    return lines
