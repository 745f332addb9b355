"""Pieces every reader shares: the error type, block joining, title and dek heuristics."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from saidwho.core.marks import QUOTE_CHARS
from saidwho.core.text import squash


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The longest title we keep whole; a longer first line is clipped at a word boundary.
TITLE_MAX = 150
# A second paragraph shorter than this (and not looking like body text) is the dek.
SUBTITLE_MAX = 300

_BYLINE = re.compile(r"[Bb][Yy]:?\s+(?P<name>\S.{0,79})")
# Lowercase words that may appear inside a person's name in a byline.
_NAME_PARTICLES = word_set(", and & de del della der di da van von la le du bin al y")


class ReadError(Exception):
    """A file that cannot become an article. ``str(err)`` is a short reason, no path."""


def clip_title(text: str) -> str:
    title = squash(text)
    if len(title) <= TITLE_MAX:
        return title
    cut = title.rfind(" ", 0, TITLE_MAX)
    if cut < TITLE_MAX // 2:
        cut = TITLE_MAX - 1
    return title[:cut].rstrip() + "…"


def join_blocks(blocks: Iterable[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join plain-text blocks into one article text, a blank line between paragraphs.

    A block that itself holds blank lines (code, a ``<pre>``) becomes several paragraphs,
    and each paragraph is stripped, so the spans returned are exactly what
    ``article.paragraph_spans`` finds in the joined text.
    """
    pieces: list[str] = []
    for block in blocks:
        run: list[str] = []
        # splitlines() and strip() are the same notions of "line" and "blank" that
        # paragraph_spans uses, which keeps the two in agreement.
        for line in block.splitlines():
            if line.strip():
                run.append(line)
            elif run:
                pieces.append("\n".join(run).strip())
                run = []
        if run:
            pieces.append("\n".join(run).strip())
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 2
    return "\n\n".join(pieces), tuple(spans)


def byline_author(paragraph: str) -> str | None:
    """``By Jane Doe and Al Roe`` -> ``Jane Doe and Al Roe``; anything else -> None."""
    match = _BYLINE.fullmatch(paragraph.strip())
    if match is None:
        return None
    name = squash(match["name"]).rstrip(".,;")
    words = re.findall(r"[^\s,]+|,", name)
    if not words or len(words) > 10 or name[-1] in "!?:":
        return None
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not word[0].isupper():
            return None
    return name


def guess_subtitle(paragraphs: Sequence[str], *, title_first: bool) -> str | None:
    """The dek: a short paragraph right after a title paragraph, before the body.

    ``title_first`` says the first paragraph is the title itself. The candidate must be
    short (< SUBTITLE_MAX characters, at most three lines, at least three words), must
    not open with a quotation mark (a lede that starts with a quote is body text), must
    not be a byline or end with a colon, and there must be body text after it.
    """
    if not title_first or len(paragraphs) < 3:
        return None
    candidate = paragraphs[1].strip()
    if (
        not candidate
        or len(candidate) >= SUBTITLE_MAX
        or candidate.count("\n") > 2
        or candidate[0] in QUOTE_CHARS
        or candidate.endswith(":")
        or len(candidate.split()) < 3
        or byline_author(candidate) is not None
    ):
        return None
    if not any(byline_author(p) is None and p.strip() for p in paragraphs[2:]):
        return None
    return squash(candidate)


def find_byline(paragraphs: Sequence[str]) -> str | None:
    """An author from a ``By ...`` line among the paragraphs just after the title."""
    for paragraph in paragraphs[1:4]:
        author = byline_author(paragraph)
        if author is not None:
            return author
    return None
