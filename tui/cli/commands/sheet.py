"""``povtui sheet COUNTY``: a county's headline figures as plain text to paste into a chat,
each with a short citation of every source that states it."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.args import check_width
from tui.cli.common import Exit, emit_json, find_county
from tui.cli.output import emit, figure_json, none
from tui.domain.model import Fact, Source
from tui.domain.vocab import Lang, kind_note, sources_text, value_text, when_text
from tui.present.export import county_record
from tui.present.headlines import headlines
from tui.present.textfmt import sanitize, wrap
from tui.present.views import date_text, short_title
from tui.store.store import Store


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    lang: Lang = args.lang
    county = find_county(base, args.county)
    check_width(args.width)
    items = headlines(base, county.id)
    if args.json:
        emit_json(
            {
                "county": county_record(county),
                "items": [
                    {
                        "section": h.section,
                        "label": h.name("en"),
                        "phase": h.phase,
                        "fact": figure_json(base, h.figure, lang),
                        "citation": _footer_json(base.source(h.fact.source), h.fact),
                    }
                    for h in items
                ],
            }
        )
    elif items:
        width = args.width
        lines = wrap(sanitize(f"{county.name} {county.en}"), width) + ["=" * width]
        for index, item in enumerate(items):
            if index and item.section != items[index - 1].section:
                lines += ["", "-" * width]
            fact = item.fact
            when = when_text(fact)
            if lang == "zh":
                text = f"{item.name('zh')}：{value_text(fact, lang, with_kind=False)}{kind_note(fact.kind, lang)}"
                text += f"，{when}" if when else ""
            else:
                text = f"{item.metric.zh} {item.name('en')}: {value_text(fact, lang, with_kind=False)}"
                text += kind_note(fact.kind, lang) + (f", {when}" if when else "")
            mark = sources_text(item.figure.sources, lang)
            text += f" {mark}" if mark else ""
            if [f for f in base.disagreements(fact) if f.id not in item.figure.ids]:
                text += " （! 另一来源的数字不同）" if lang == "zh" else " (! another source differs)"
            footer = "; ".join(
                f"{short_title(base.source(one.source))}, {date_text(base.source(one.source), lang)}, {one.id}"
                for one in item.figure.facts
            )
            lines += [""] + wrap(sanitize(text), width) + wrap(sanitize(f"[{footer}]"), width, "  ")
        emit(lines)
    return Exit.OK if items else none(f"no headline figures for {county.short}")


def _footer_json(source: Source, fact: Fact) -> dict[str, Any]:
    return {
        "source": source.id,
        "short_title": short_title(source),
        "date": source.date,
        "date_estimated": source.date_estimated,
        "fact": fact.id,
    }
