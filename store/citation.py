"""One way to cite a quote, for the reader's ``c`` and ``saidwho cite``.

A citation keeps the speaker's words apart from the reporter's: verbatim pieces in their
quotation marks with an ellipsis where narration was cut; reported speech without marks,
labelled a paraphrase; a paraphrase holding some of the speaker's words ("said the board
had “wasted years” on studies") as the reporter's sentence, labelled, where only the
marked pieces are verbatim; then who said it, where it was printed, and what a reviewer
decided.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from saidwho import seeds
from saidwho.core.quote import Quote
from saidwho.core.safe_text import dumps, inert_line
from saidwho.core.text import squash
from saidwho.readers.article import Article
from saidwho.store.views import QuoteView, ReviewState

if TYPE_CHECKING:
    from saidwho.store.versions import Version

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[str, ...] = ("text", "markdown", "json")

ELLIPSIS = " … "


@dataclass(frozen=True)
class Citation:
    quote_id: str
    article_id: str | None
    kind: str
    act: str
    verbatim: bool  # every piece is the speaker's own words (a direct quote)
    # a direct quote: each quoted piece with its marks; reported speech: the paraphrase;
    # a partial quote: the reporter's words and the quoted pieces, in order
    pieces: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    piece_verbatim: tuple[bool, ...]  # per piece: the speaker's own words, or the reporter's
    speaker: str | None
    role: str | None
    machine_speaker: str | None
    review: ReviewState
    title: str
    source: str | None
    author: str | None
    date: str | None
    url: str | None
    path: str | None
    paragraph: int | None  # 1-based paragraph of the first piece
    # the version of the article quoted: when it was read and the bytes it was read from
    version: Version | None = None

    @property
    def words(self) -> str:
        if self.verbatim:
            return ELLIPSIS.join(self.pieces)
        return " ".join(self.pieces)  # one sentence of the reporter's

    @property
    def mixed(self) -> bool:
        """A paraphrase that holds some of the speaker's own words."""
        return not self.verbatim and any(self.piece_verbatim)

    def review_line(self) -> str | None:
        if self.review == "disputed":
            return "Attribution disputed by a reviewer."
        if self.review == "corrected":
            was = self.machine_speaker or "unattributed"
            return f"Attribution corrected by a reviewer (machine: {was})."
        if self.review == "confirmed":
            return "Attribution confirmed by a reviewer."
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "quote_id": self.quote_id,
            "article_id": self.article_id,
            "kind": self.kind,
            "act": self.act,
            "verbatim": self.verbatim,
            "words": self.words,
            "pieces": [
                {"text": text, "start": start, "end": end, "verbatim": own}
                for text, (start, end), own in zip(
                    self.pieces, self.spans, self.piece_verbatim, strict=True
                )
            ],
            "speaker": self.speaker,
            "role": self.role,
            "machine_speaker": self.machine_speaker,
            "review": self.review,
            "title": self.title,
            "source": self.source,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "path": self.path,
            "paragraph": self.paragraph,
            "version": self.version.version if self.version else None,
            "read_at": self.version.read_at if self.version else None,
            "payload_sha256": self.version.payload_sha256 if self.version else None,
            "archive": (
                self.version.archive.to_json() if self.version and self.version.archive else None
            ),
        }

    def provenance_line(self) -> str | None:
        """ "read 2026-12-07 14:05 UTC, v2, sha256:3f1c…" (None: no version known)."""
        v = self.version
        if v is None:
            return None
        stamp = v.read_at
        if len(stamp) >= 16 and stamp[10] == "T":
            stamp = f"{stamp[:10]} {stamp[11:16]} UTC"
        parts = [f"read {stamp}" if stamp else "read (time unknown)", f"v{v.version}"]
        if v.payload_sha256:
            parts.append(f"sha256:{v.payload_sha256[:16]}…")
        else:
            parts.append("not archived")
        return ", ".join(parts)


def paragraph_number(article: Article, offset: int) -> int | None:
    """The 1-based paragraph holding ``offset`` (None before the first)."""
    starts = [start for start, _ in article.paragraphs]
    return bisect_right(starts, offset) or None


def build_citation(
    article: Article,
    quote: Quote,
    *,
    quote_id: str,
    article_id: str | None = None,
    speaker: str | None = None,
    machine_speaker: str | None = None,
    review: ReviewState = "unreviewed",
) -> Citation:
    """``speaker`` is the effective speaker (a reviewer's fix wins); None: the machine's."""
    spans, own = _runs(article.text, quote)
    # whitespace inside a piece (a quote running over a line break) is one space
    pieces = tuple(squash(article.text[start:end]) for start, end in spans)
    verbatim = all(own)
    return Citation(
        quote_id=quote_id,
        article_id=article_id,
        kind=quote.kind,
        act=quote.act,
        verbatim=verbatim,
        pieces=pieces,
        spans=spans,
        piece_verbatim=own,
        speaker=speaker if speaker is not None else quote.speaker,
        role=quote.role,
        machine_speaker=machine_speaker if machine_speaker is not None else quote.speaker,
        review=review,
        title=article.title,
        source=article.source,
        author=article.author,
        date=article.date,
        url=article.url,
        path=article.path,
        paragraph=paragraph_number(article, spans[0][0]),
    )


def _runs(text: str, quote: Quote) -> tuple[tuple[tuple[int, int], ...], tuple[bool, ...]]:
    """The spans a citation shows and whether each is the speaker's own words: a direct
    quote's pieces (all verbatim); reported speech's content (paraphrase); a partial
    quote's statement cut into the reporter's runs and the quoted pieces."""
    segments = [(seg.start, seg.end) for seg in quote.segments]
    if quote.kind == "direct":
        # a quotation run over paragraphs is one passage: join pieces only space apart
        joined: list[tuple[int, int]] = []
        for start, end in segments:
            if joined and not text[joined[-1][1] : start].strip():
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        return tuple(joined), (True,) * len(joined)
    if quote.kind == "indirect":  # the content, without the frame ("officials said")
        return tuple(segments), (False,) * len(segments)
    spans: list[tuple[int, int]] = []
    own: list[bool] = []
    pos = quote.start
    for start, end in sorted(segments):
        if text[pos:start].strip(" \t\n,;:"):
            spans.append(_trimmed(text, pos, start))
            own.append(False)
        spans.append((start, end))
        own.append(True)
        pos = max(pos, end)
    if text[pos : quote.end].strip(" \t\n,;:"):
        spans.append(_trimmed(text, pos, quote.end))
        own.append(False)
    return tuple(spans), tuple(own)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def citation_of(article: Article, quote: QuoteView) -> Citation:
    """The citation of a stored quote, with the reviewer's speaker and decision."""
    return build_citation(
        article,
        quote.quote,
        quote_id=quote.id,
        article_id=quote.article_id,
        speaker=quote.speaker,
        machine_speaker=quote.machine_speaker,
        review=quote.review,
    )


def cite_view(
    article: Article, quote: QuoteView, fmt: Format = "text", version: Version | None = None
) -> str:
    """The citation as ``format_citation`` writes it; ``version``: the article version
    quoted (its read time, number and payload digest are cited too)."""
    citation = citation_of(article, quote)
    if version is not None:
        citation = replace(citation, version=version)
    return format_citation(citation, fmt)


def _who(citation: Citation) -> str:
    who = citation.speaker or "unattributed"
    return f"{who} ({citation.role})" if citation.role else who


def _where(citation: Citation, *, markdown: bool) -> list[str]:
    title = citation.title or "untitled"
    if markdown:
        title = f"[*{title}*]({citation.url})" if citation.url else f"*{title}*"
    else:
        title = f"“{title}”"
    parts = [title]
    parts += [value for value in (citation.source, citation.date) if value]
    if citation.paragraph:
        parts.append(f"paragraph {citation.paragraph}")
    if not markdown or not citation.url:
        location = citation.url or citation.path
        if not citation.url and seeds.is_seed(citation.path):  # not a path inside the venv
            location = f"{seeds.BUNDLED} ({Path(citation.path or '').name})"
        if location:
            parts.append(location)
    return parts


def format_citation(citation: Citation, fmt: Format = "text") -> str:
    """The citation as plain text, Markdown or JSON. Text and Markdown are safe to print and
    to put on a clipboard: every control character is made visible."""
    if fmt == "json":
        return dumps(citation.to_json())
    markdown = fmt == "markdown"
    if citation.verbatim:
        words = citation.words
    elif citation.mixed:
        words = f"Paraphrase, only the words in quotation marks verbatim: {citation.words}"
    else:
        words = f"Paraphrase (reported speech, not verbatim): {citation.words}"
    # Markdown: a blank line ends the blockquote (else the next line would continue it)
    lines = [f"> {words}", ""] if markdown else [words]
    who = f"**{_who(citation)}**" if markdown else _who(citation)
    lines.append(f"— {who}, in " + ", ".join(_where(citation, markdown=markdown)))
    review = citation.review_line()
    if review:
        lines.append(review)
    provenance = citation.provenance_line()
    if provenance:
        lines.append(provenance)
    return "\n".join(inert_line(line) for line in lines)
