"""``povtui cite FACT_ID``: one paragraph to paste into a report, naming every source of the
figure. Wrapped to the terminal's 80 columns (or ``--width``); one unbroken line into a file
or a pipe, so that the verbatim quote is pasted whole."""

from __future__ import annotations

import argparse
import sys

from tui.cli.args import WIDTH, UsageError, check_width
from tui.cli.commands.sources import source_json
from tui.cli.common import Exit, emit_json
from tui.cli.output import emit, fact_json
from tui.cli.timeline import timeline_lines
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.present.analysis import timeline
from tui.present.article import article_of, context_lines
from tui.present.export import county_record
from tui.present.textfmt import sanitize, wrap
from tui.present.views import citation, figure_of, nearest_fact_ids
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    if args.width is not None:
        check_width(args.width)
    current = base.current_id(args.fact_id)
    if current is None:
        close = nearest_fact_ids(base, args.fact_id)
        raise UsageError(f"unknown fact id {args.fact_id!r}; nearest: {', '.join(close) or 'none'}")
    if current != args.fact_id:  # a former id: the citation still holds, under its new id
        print(sanitize(_renamed(args.fact_id, current, args.lang)), file=sys.stderr)
    fact = base.fact(current)
    text = citation(base, fact, args.lang)
    if args.json:
        figure = figure_of(base, fact)
        emit_json(
            {
                "asked": args.fact_id,
                "citation": text,
                "fact": fact_json(base, fact, args.lang),
                "same": list(figure.ids[1:]),
                "county": county_record(base.county(fact.county)),
                "source": source_json(base.source(fact.source)),
                "sources": [source_json(base.source(one.source)) for one in figure.facts],
            }
        )
        return Exit.OK
    width = args.width or (WIDTH if sys.stdout.isatty() else 0)
    lines = wrap(sanitize(text), width) if width else [sanitize(text)]
    if args.context:
        lines += _context(store, fact, args.lang, width or WIDTH)
    emit(lines)
    return Exit.OK


def _renamed(old: str, new: str, lang: Lang) -> str:
    if lang == "zh":
        return f"povtui: {old} 现为 {new}（同一条数字，编号已更改；引用时请用新编号）"
    return f"povtui: {old} is now {new} (the same figure under a new id: cite the new one)"


def _context(store: Store, fact: Fact, lang: Lang, width: int) -> list[str]:
    """The county's other values of the metric (the cited one marked ▶), then the article's
    paragraphs around the quote, the quote in 【】."""
    base = store.base
    lines = ["", sanitize(label("timeline", lang))]
    lines += timeline_lines(base, timeline(base, fact), lang, width, mark=fact.id)
    source = base.source(fact.source)
    lines += [""] + wrap(sanitize(f"{label('article', lang)}: 《{source.title}》 {source.file}"), width)
    try:
        around = context_lines(article_of(base, fact))
    except (OSError, UnicodeDecodeError) as error:
        return [*lines, sanitize(f"  ({error})")]
    if not around:
        return [*lines, "  " + ("（原文中找不到这段引文）" if lang == "zh" else "(the quote is not in the article)")]
    for paragraph in around:
        lines += wrap(sanitize(paragraph), width, "  ")
    return lines
