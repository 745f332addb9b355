"""Plain text: the article text is the file's text, unchanged, so offsets match the file."""

from __future__ import annotations

from saidwho.readers.article import Article, paragraph_spans
from saidwho.readers.common import clip_title, find_byline, guess_subtitle


def parse_text(text: str) -> Article:
    """Title: the first non-blank line. Subtitle: a short dek paragraph right after a
    one-line title paragraph (see ``guess_subtitle``). Author: a ``By ...`` line near
    the top. Paragraphs: runs of non-blank lines."""
    spans = paragraph_spans(text)
    paragraphs = [text[start:end] for start, end in spans[:5]]
    first = paragraphs[0] if paragraphs else ""
    first_line = first.splitlines()[0] if first else ""
    title_first = len(first.splitlines()) == 1
    return Article(
        text=text,
        title=clip_title(first_line),
        subtitle=guess_subtitle(paragraphs, title_first=title_first),
        author=find_byline(paragraphs) if title_first else None,
        paragraphs=spans,
    )
