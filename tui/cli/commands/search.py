"""``povtui search QUERY…``: one line per figure found, values first: county, metric, value
(with its bound and kind), period, scope when not the whole county, number of sources, and
the matched part in 【】; a last line says how many more ``--limit`` left out."""

from __future__ import annotations

import argparse

from tui.cli.args import UsageError, check_width
from tui.cli.common import Exit, emit_json
from tui.cli.output import emit, fact_json, none
from tui.domain.facts import Facts
from tui.domain.vocab import Lang, sources_text, value_text, when_text
from tui.present.linebreak import clip, clip_start
from tui.present.textfmt import cell_len, pad, sanitize, truncate
from tui.present.views import Figure, figures
from tui.search.memory import Hit
from tui.store.store import Store

_SNIPPET_MARK = ("【", "】")
COUNTED = 1000
"""Hits counted for the "… N more" line; beyond this many it says "at least"."""
MIN_SNIPPET = 8
"""Columns kept for the matched part before any name gives way."""
ECHO = 60
"""At most this many characters of the query are repeated in "nothing found"."""


def snippet(hit: Hit, width: int) -> str:
    """The matched part of a hit: the quote around its first matched span, the match in 【】,
    cut to ``width`` columns; or the name that matched when no quote did."""
    fact = hit.fact
    quote_spans = [s for s in hit.spans if s.field == "quote" and s.end > s.start]
    if not quote_spans:  # a name matched: it is in the columns already; show what the article says
        return clip(sanitize(fact.quote), width)
    span = quote_spans[0]
    left, middle, right = fact.quote[: span.start], fact.quote[span.start : span.end], fact.quote[span.end :]
    marked = f"{_SNIPPET_MARK[0]}{middle}{_SNIPPET_MARK[1]}"
    room = width - cell_len(marked)
    before = room // 3
    if cell_len(left) > before:
        left = "…" + clip_start(left, before - 1)
    return clip(sanitize(left + marked + right), width)


def hit_figures(hit: Hit) -> tuple[Figure, ...]:
    """The figures of a hit: its fact and the facts of other sources folded into it."""
    return figures((hit.fact, *hit.same))


def run(args: argparse.Namespace, store: Store) -> int:
    base = store.base
    lang: Lang = args.lang
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {args.limit}")
    query = " ".join(args.query)
    width = check_width(args.width)
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
        return none(f"nothing found for {_echo(query)}")
    lines = _lines(base, hits, lang, width, ids=args.ids)
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


def _echo(query: str) -> str:
    """The query quoted as typed, its first :data:`ECHO` characters when it is longer."""
    return repr(query) if len(query) <= ECHO else repr(query[:ECHO]) + f"… ({len(query):,} characters)"


def _lines(base: Facts, hits: tuple[Hit, ...], lang: Lang, width: int, *, ids: bool) -> list[str]:
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
    # the metric's and the county's names give way, then the matched part. When the number of
    # sources and the id do not fit beside them, they go on a second line with the matched part.
    full = [max(cell_len(cells[i]) for cells, _, _ in rows) for i in range(5)]
    full[1] = min(full[1], 22)  # long enough to tell 易地扶贫搬迁人口 from 易地扶贫搬迁户数
    tail = max(cell_len(sanitize(f.fact.id)) + 2 for _, _, f in rows) if ids else 0
    tail += max((cell_len(sources_text(f.sources, lang)) + 2 for _, _, f in rows if f.sources > 1), default=0)
    widths = _fit(full, tail + MIN_SNIPPET, width)
    two_lines = _overflow(widths, tail, width) > 0
    if two_lines:
        widths = _fit(full, 0, width)
    overflow = _overflow(widths, 0 if two_lines else tail, width)
    if overflow > 0:  # only a scope wider than the whole line is left: it is cut
        widths[4] = max(3, widths[4] - overflow)
    lines = []
    for cells, hit, figure in rows:
        line = "".join(pad(truncate(text, w), w) + "  " for text, w in zip(cells, widths, strict=True) if w)
        mark = sources_text(figure.sources, lang)
        fact_id = sanitize(figure.fact.id) if ids else ""
        if two_lines:
            lines.append(line.rstrip())
            line = "    " + "".join(f"{piece}  " for piece in (mark, fact_id) if piece)
            room = max(0, width - cell_len(line))
            text = snippet(hit, room) if figure.fact is hit.fact else ""
            if (line + text).strip():
                lines.append((line + text).rstrip())
            continue
        line += f"{mark}  " if mark else ""
        end = f"  {fact_id}" if ids else ""
        room = max(0, width - cell_len(line) - cell_len(end))
        text = snippet(hit, room) if figure.fact is hit.fact else ""
        lines.append((line + pad(text, room)).rstrip() + end if end else (line + text).rstrip())
    return lines


def _overflow(widths: list[int], extra: int, width: int) -> int:
    return sum(widths) + 2 * sum(1 for w in widths if w) + extra - width


def _fit(full: list[int], extra: int, width: int) -> list[int]:
    """The columns' widths with ``extra`` columns left over: the metric's name gives way (down
    to 6), then the county's (down to 4), then the metric's again (down to 4)."""
    widths = list(full)
    for column, floor in ((1, 6), (0, 4), (1, 4)):
        overflow = _overflow(widths, extra, width)
        if overflow > 0 and widths[column] > floor:
            widths[column] = max(floor, widths[column] - overflow)
    return widths
