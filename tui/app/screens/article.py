"""The article around a quote: the source article the figure was read from, scrolled to the
quote (a few lines of what comes before it stay in view), the quote highlighted. Esc goes back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.app.widgets.keybar import KeyBar
from tui.app.wire import QuietScreen
from tui.domain.facts import Facts
from tui.domain.model import Fact
from tui.domain.vocab import Lang, label
from tui.present.article import Article, article_of
from tui.present.textfmt import sanitize
from tui.present.views import date_text

__all__ = ["ArticleScreen", "CONTEXT_LINES"]

CONTEXT_LINES = 3
"""Lines of the article above the quote left in view."""


def _paragraphs(article: Article, indexes: range) -> Text:
    text = Text(overflow="fold")  # Chinese has no spaces to wrap at: fold, never cut
    marks: dict[int, tuple[int, int]] = {}
    for index, start, end in article.spans:
        marks[index] = (start, end)
    for number, index in enumerate(indexes):
        if number:
            text.append("\n\n")
        paragraph = article.paragraphs[index]
        start, end = marks.get(index, (len(paragraph), len(paragraph)))
        text.append(sanitize(paragraph[:start]))
        text.append(sanitize(paragraph[start:end]), style="bold reverse")  # the quote
        text.append(sanitize(paragraph[end:]))
    return text


class ArticleScreen(QuietScreen[None]):
    """The article ``fact`` quotes, at the quote."""

    BINDINGS = [Binding("escape,q,o", "dismiss", "Back", id="compare-back")]
    DEFAULT_CSS = """
    ArticleScreen #article-head { height: auto; padding: 0 1; text-style: bold; }
    ArticleScreen #article { height: 1fr; padding: 0 1; }
    ArticleScreen #article Static { width: 1fr; }
    """

    def __init__(self, base: Facts, fact: Fact, *, lang: Lang = "zh") -> None:
        super().__init__()
        self.fact = fact
        self.lang = lang
        source = base.source(fact.source)
        self.head = Text(sanitize(f"{label('article', lang)} · {source.title} · {date_text(source, lang)}"))
        self.problem = ""
        self.article: Article | None = None
        try:
            self.article = article_of(base, fact)
        except (OSError, UnicodeDecodeError) as error:
            self.problem = label("article_unreadable", lang) + sanitize(str(error))
        if self.article is not None and self.article.first < 0:
            self.problem = label("quote_not_found", lang)

    def compose(self) -> ComposeResult:
        yield Static(self.head, id="article-head")
        with VerticalScroll(id="article"):
            article = self.article
            if self.problem:
                yield Static(Text(self.problem, style="bold"), id="article-problem")
            if article is not None:
                first, last = max(article.first, 0), max(article.last, 0)
                if article.first < 0:  # the whole article, from the top
                    first, last = 0, len(article.paragraphs) - 1
                if first:
                    yield Static(_paragraphs(article, range(first)), id="article-before")
                yield Static(_paragraphs(article, range(first, last + 1)), id="article-quote")
                if last + 1 < len(article.paragraphs):
                    yield Static(_paragraphs(article, range(last + 1, len(article.paragraphs))), id="article-after")
        yield KeyBar([b for b in self.BINDINGS if isinstance(b, Binding)], lang=self.lang)

    def on_mount(self) -> None:
        scroll = self.query_one("#article", VerticalScroll)
        scroll.focus()
        self.call_after_refresh(self._to_quote)

    def _to_quote(self) -> None:
        """The quote's paragraph near the top, a few lines of the one before above it."""
        scroll = self.query_one("#article", VerticalScroll)
        quote = self.query("#article-quote")
        if quote:
            y = quote.first().virtual_region.y
            scroll.scroll_to(y=max(y - CONTEXT_LINES - 1, 0), animate=False, immediate=True)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()
