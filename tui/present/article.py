"""The article around a quote: the source a fact quotes, in paragraphs, with the quote located,
for the app's article screen and ``povtui cite --context``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.domain.facts import Facts
from tui.domain.model import Fact, Source
from tui.factfiles.tomlfile import read_bounded, unreadable

__all__ = ["Article", "article_of", "context_lines"]


@dataclass(frozen=True, slots=True)
class Article:
    """A source article in paragraphs, and where a quote is in it."""

    source: Source
    paragraphs: tuple[str, ...]
    """The article's paragraphs (blank-line separated), each with its hard line breaks removed."""
    first: int
    """The paragraph the quote starts in (-1 when the quote is not found)."""
    last: int
    """The paragraph it ends in."""
    spans: tuple[tuple[int, int, int], ...]
    """(paragraph, start, end) of each piece of the quote, to highlight."""


def article_of(base: Facts, fact: Fact) -> Article:
    """The article ``fact`` quotes, split in paragraphs, with the quote located.

    Raises:
        OSError: the article cannot be read (missing, not a regular file, too large).
        UnicodeDecodeError: it is not UTF-8.
    """
    source = base.source(fact.source)
    path = Path(base.root) / source.file
    why = unreadable(path, "a text file")
    if why is not None:
        raise OSError(f"{source.file} {why}")
    raw = read_bounded(path).decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = tuple(block.replace("\n", "") for block in re.split(r"\n\s*\n", raw) if block.strip())
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph)
    joined = "".join(paragraphs)
    at = joined.find(fact.quote) if fact.quote else -1
    if at < 0:
        return Article(source, paragraphs, -1, -1, ())
    end = at + len(fact.quote)
    spans = []
    for index, (start, paragraph) in enumerate(zip(starts, paragraphs, strict=True)):
        low, high = max(at, start), min(end, start + len(paragraph))
        if low < high:
            spans.append((index, low - start, high - start))
    return Article(source, paragraphs, spans[0][0], spans[-1][0], tuple(spans))


def context_lines(article: Article, around: int = 2, marks: tuple[str, str] = ("【", "】")) -> list[str]:
    """The article's paragraphs around the quote: ``around`` before and after, and those the
    quote spans with it between ``marks``; ``…`` where paragraphs are left out. Empty when the
    quote is not in the article."""
    if article.first < 0:
        return []
    first, last = max(0, article.first - around), min(len(article.paragraphs) - 1, article.last + around)
    pieces: dict[int, list[tuple[int, int]]] = {index: [] for index in range(first, last + 1)}
    for index, start, end in article.spans:
        pieces[index].append((start, end))
    lines = ["…"] if first > 0 else []
    for index in range(first, last + 1):
        paragraph, at, marked = article.paragraphs[index], 0, ""
        for start, end in pieces[index]:
            opening = marks[0] if index == article.first and start == article.spans[0][1] else ""
            closing = marks[1] if index == article.last and end == article.spans[-1][2] else ""
            marked += paragraph[at:start] + opening + paragraph[start:end] + closing
            at = end
        lines.append(marked + paragraph[at:])
    if last < len(article.paragraphs) - 1:
        lines.append("…")
    return lines
