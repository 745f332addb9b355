"""Articles saved straight into a library with quotes given by hand (no spaCy): the
speaker tests build their libraries with these."""

from __future__ import annotations

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library


def said(text: str, phrase: str, speaker: str, role: str | None = None) -> Quote:
    start = text.index(phrase)
    return Quote(
        kind="direct",
        start=start,
        end=start + len(phrase),
        sentence_start=0,
        sentence_end=start + len(phrase),
        confidence=0.8,
        speaker=speaker,
        role=role,
    )


def add(lib: Library, path: str, text: str, quotes: list[tuple[str, str]]) -> str:
    article = Article(text=text, title=path, path=path, paragraphs=paragraph_spans(text))
    aid, _ = lib.save_article(article, [said(text, phrase, who) for phrase, who in quotes])
    return aid
