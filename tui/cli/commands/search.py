"""``povtui search QUERY…``: one line per figure found, values first: county, metric, value
(with its bound and kind), period, scope when not the whole county, number of sources, and
the matched part in 【】; a last line says how many more ``--limit`` left out."""

from __future__ import annotations

import argparse

from tui.cli.args import WIDTH, UsageError
from tui.cli.common import Exit, emit_json
from tui.cli.output import emit, fact_json, none
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, sources_text, value_text, when_text
from tui.present.textfmt import cell_len, pad, sanitize, truncate
from tui.present.views import Figure, figures
from tui.search.memory import Hit
from tui.store.store import Store

_SNIPPET_MARK = ("【", "】")
COUNTED = 1000
"""Hits counted for the "… N more" line; beyond this many it says "at least"."""
MIN_SNIPPET = 8
"""Columns kept for the matched part before any name gives way."""


def snippet(hit: Hit, width: int) -> str:
    """The matched part of a hit: the quote around its first matched span, the match in 【】,
    cut to ``width`` columns; or the name that matched when no quote did."""
    fact = hit.fact
    quote_spans = [s for s in hit.spans if s.field == "quote" and s.end > s.start]
    if not quote_spans:  # a name matched: it is in the columns already; show what the article says
        return truncate(sanitize(fact.quote), width)
    span = quote_spans[0]
    left, middle, right = fact.quote[: span.start], fact.quote[span.start : span.end], fact.quote[span.end :]
    marked = f"{_SNIPPET_MARK[0]}{middle}{_SNIPPET_MARK[1]}"
    room = width - cell_len(marked)
    before = room // 3
    if cell_len(left) > before:
        left = "…" + _tail(left, before - 1)
    return truncate(sanitize(left + marked + right), width)


def _tail(text: str, width: int) -> str:
    """The end of ``text`` that fits in ``width`` columns."""
    kept = ""
    for char in reversed(text):
        if cell_len(char + kept) > width:
            break
        kept = char + kept
    return kept


def hit_figures(hit: Hit) -> tuple[Figure, ...]:
    """The figures of a hit: its fact and the facts of other sources folded into it."""
    return figures((hit.fact, *hit.same))


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    lang: Lang = args.lang
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    query = " ".join(args.query)
    asked = max(args.limit + 1, COUNTED)
    found = store.search_index().search(query, limit=asked)  # the last line says how many are left out
    hits = found[: args.limit]
    if args.json:
        emit_json(
            {
                "query": query,
                "hits": [
                    dict(
                        fact_json(base, h.fact, lang),
                        score=h.score,
                        same=[f.id for f in h.same],
                        spans=[{"field": s.field, "start": s.start, "end": s.end} for s in h.spans],
                    )
                    for h in hits
                ],
                "more": len(found) - len(hits),
            }
        )
        return Exit.OK if hits else Exit.NONE
    if not hits:
        return none(f"nothing found for {query!r}")
    lines = _lines(base, hits, lang, ids=args.ids)
    left_out = len(found) - len(hits)
    if left_out and len(found) < asked:
        lines.append(
            f"… 另有 {left_out} 条：--limit {len(found)} 显示全部"
            if lang == "zh"
            else f"… {left_out} more: --limit {len(found)} shows them all"
        )
    elif left_out:
        lines.append(f"… 另有至少 {left_out} 条" if lang == "zh" else f"… at least {left_out} more")
    emit(lines)
    return Exit.OK


def _lines(base: Facts, hits: tuple[Hit, ...], lang: Lang, *, ids: bool) -> list[str]:
    rows = []
    for hit in hits:
        for figure in hit_figures(hit):
            fact = figure.fact
            cells = [
                sanitize(base.county(fact.county).short),
                sanitize(base.metric(fact.metric).zh),
                sanitize(value_text(fact, lang)),
                sanitize(when_text(fact)),
                sanitize("" if fact.is_county_wide else fact.scope),
            ]
            rows.append((cells, hit, figure))
    # a value, its date and its scope are never cut: their columns are as wide as the widest;
    # the metric's and the county's names give way, then the matched part
    widths = [max(cell_len(cells[i]) for cells, _, _ in rows) for i in range(5)]
    widths[1] = min(widths[1], 14)
    id_width = max(cell_len(sanitize(f.fact.id)) + 2 for _, _, f in rows) if ids else 0
    # room for the number of sources, never cut, on the lines that have one
    id_width += max((cell_len(sources_text(f.sources, lang)) + 2 for _, _, f in rows if f.sources > 1), default=0)
    for column, floor in ((1, 6), (0, 4), (1, 4)):
        overflow = sum(widths) + 2 * sum(1 for w in widths if w) + id_width + MIN_SNIPPET - WIDTH
        if overflow > 0 and widths[column] > floor:
            widths[column] = max(floor, widths[column] - overflow)
    overflow = sum(widths) + 2 * sum(1 for w in widths if w) + id_width - WIDTH
    if overflow > 0:  # only a scope wider than the whole line is left: it is cut
        widths[4] = max(3, widths[4] - overflow)
    lines = []
    for cells, hit, figure in rows:
        line = "".join(
            pad(truncate(text, width), width) + "  " for text, width in zip(cells, widths, strict=True) if width
        )
        mark = sources_text(figure.sources, lang)
        line += f"{mark}  " if mark else ""
        tail = f"  {sanitize(figure.fact.id)}" if ids else ""
        room = max(0, WIDTH - cell_len(line) - cell_len(tail))
        text = snippet(hit, room) if figure.fact is hit.fact else ""
        lines.append((line + pad(text, room)).rstrip() + tail if tail else (line + text).rstrip())
    return lines
