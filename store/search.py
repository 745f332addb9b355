"""Search across every quote and every article text of a library (the TUI's search screen
and the CLI share it). Plain substring search, case-insensitive: a fact-checker looks for
exact words, and every hit is an exact ``[start, end)`` span of one article's text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from saidwho.core.text import clip
from saidwho.store.errors import LibraryError
from saidwho.store.views import QuoteView

if TYPE_CHECKING:
    from saidwho.store.library import Library

MAX_HITS = 300
CONTEXT = 60  # characters of text either side of a hit in its snippet
QUOTE_SNIPPET = 200
MIN_QUERY = 2  # one letter matches nearly everything


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str
    start: int  # the hit in the article text (a quote hit: the quote's span)
    end: int
    snippet: str  # the text around the hit, one line
    hit_start: int  # the hit inside the snippet
    hit_end: int
    quote: QuoteView | None = None  # a quote hit (its text or its speaker matched)
    paragraph: int | None = None  # 1-based, what a person reads instead of the offsets


@dataclass(frozen=True)
class Corpus:
    """Everything searched, loaded once (disk work: call ``load`` in a worker)."""

    titles: dict[str, str]
    texts: dict[str, str]
    quotes: list[QuoteView]
    damaged: list[str]  # ids of articles whose file could not be read: searched without them
    paragraphs: dict[str, tuple[int, ...]] = field(default_factory=dict)  # each one's starts

    def paragraph(self, article_id: str, offset: int) -> int | None:
        return bisect_right(self.paragraphs.get(article_id, ()), offset) or None

    @classmethod
    def load(cls, library: Library) -> Corpus:
        summaries = library.articles()
        titles = {a.id: a.title or a.id for a in summaries}
        damaged: list[str] = []
        texts: dict[str, str] = {}
        paragraphs: dict[str, tuple[int, ...]] = {}
        for a in summaries:
            try:
                article = library.article(a.id)
            except LibraryError:  # one damaged file must not hide the rest of the library
                damaged.append(a.id)
                continue
            texts[a.id] = article.text
            paragraphs[a.id] = tuple(start for start, _ in article.paragraphs)
        quotes = library.all_quotes(on_error=lambda article_id, _exc: None)
        return cls(titles, texts, quotes, damaged, paragraphs)

    def search(self, query: str) -> list[Hit]:
        """Quotes first (by their text or speaker), then passages of article text; at most
        ``MAX_HITS``. Queries shorter than ``MIN_QUERY`` find nothing."""
        needle = query.strip().lower()
        if len(needle) < MIN_QUERY:
            return []
        hits: list[Hit] = []
        for q in self.quotes:
            if needle in q.text.lower() or needle in (q.speaker or "").lower():
                flat = clip(q.text, QUOTE_SNIPPET)
                at = flat.lower().find(needle)
                hits.append(
                    Hit(
                        q.article_id,
                        self.titles.get(q.article_id, ""),
                        q.start,
                        q.end,
                        flat,
                        max(at, 0),
                        max(at, 0) + len(needle) if at >= 0 else 0,
                        q,
                        self.paragraph(q.article_id, q.start),
                    )
                )
        for article_id, text in self.texts.items():
            lower = text.lower()
            at = lower.find(needle)
            while at >= 0 and len(hits) < MAX_HITS:
                start = max(0, at - CONTEXT)
                end = min(len(text), at + len(needle) + CONTEXT)
                lead = "…" if start else ""
                # whitespace becomes spaces one for one, so offsets inside stay exact
                window = "".join(" " if ch.isspace() else ch for ch in text[start:end])
                snippet = lead + window + ("…" if end < len(text) else "")
                hit_start = len(lead) + at - start
                hits.append(
                    Hit(
                        article_id,
                        self.titles.get(article_id, ""),
                        at,
                        at + len(needle),
                        snippet,
                        hit_start,
                        hit_start + len(needle),
                        None,
                        self.paragraph(article_id, at),
                    )
                )
                at = lower.find(needle, at + len(needle))
        return hits[:MAX_HITS]
