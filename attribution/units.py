"""Token-level helpers shared by the extractors: sentence units and char->token lookup."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from saidwho.core.marks import DOUBLE, count_double, line_spans

# At most this many quoted stretches, reported-speech candidates and quotes per article: a
# page of 400,000 quoted table cells yields the first 5,000, not 400,000 "quotes".
MAX_CANDIDATES = 5000

_STRIP = frozenset(" \t\r\n\u00a0,.;:—–-()[]")


@dataclass
class DocIndex:
    """One pass over the Doc: token starts for bisecting, and sentence units that never
    cross a paragraph break (whatever the pipeline's sentence splitter did)."""

    doc: Doc
    text: str = ""  # doc.text, once: spaCy rebuilds it on every access
    starts: list[int] = field(default_factory=list)
    units: list[tuple[int, int]] = field(default_factory=list)  # token [start, end)
    unit_of: list[int] = field(default_factory=list)  # token index -> unit index
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # char spans
    para_starts: list[int] = field(default_factory=list)
    # token [start, end) of quoted names of works ("on CBS’s “Face the Nation”"), found
    # by the direct quotes' pass: no one's words, and never the start of a reported clause
    works: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Doc) -> DocIndex:
        index = cls(doc, doc.text)
        index.starts = [t.idx for t in doc]
        units: list[tuple[int, int]] = []
        has_sents = doc.has_annotation("SENT_START")
        start = 0
        for tok in doc:
            i = tok.i
            if i > start and ((has_sents and tok.is_sent_start) or "\n" in doc[i - 1].text_with_ws):
                units.append((start, i))
                start = i
        if start < len(doc):
            units.append((start, len(doc)))
        index.units = units
        unit_of = [0] * len(doc)
        for u, (s, e) in enumerate(units):
            for i in range(s, e):
                unit_of[i] = u
        index.unit_of = unit_of
        index.paragraphs = line_spans(index.text)
        index.para_starts = [s for s, _ in index.paragraphs]
        return index

    def para_of(self, char: int) -> int:
        return max(0, bisect_right(self.para_starts, char) - 1)

    def token_at(self, char: int) -> int:
        """Index of the token that contains (or last starts before) ``char``."""
        return max(0, bisect_right(self.starts, char) - 1)

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens ``[i, j)`` overlapping chars ``[start, end)``."""
        i = self.token_at(start)
        if i < len(self.doc) and self.doc[i].idx + len(self.doc[i]) <= start:
            i += 1
        j = bisect_right(self.starts, max(start, end - 1)) if end > start else i
        return i, max(i, j)

    def unit_chars(self, u: int) -> tuple[int, int]:
        """Char span of a unit, without trailing whitespace."""
        s, e = self.units[u]
        doc = self.doc
        while e > s + 1 and doc[e - 1].is_space:
            e -= 1
        return doc[s].idx, doc[e - 1].idx + len(doc[e - 1])


def span_chars(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def tidy(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and clause punctuation from both ends; drop a quote mark at an end only
    when it has no partner inside (an odd number of double marks)."""
    while True:
        while start < end and text[start] in _STRIP:
            start += 1
        while end > start and text[end - 1] in _STRIP:
            end -= 1
        if count_double(text[start:end]) % 2 == 0 or start >= end:
            return start, end
        if text[start] in DOUBLE:
            start += 1
        elif text[end - 1] in DOUBLE:
            end -= 1
        elif end - start >= 3 and text[end - 2 : end] == "''" and text[end - 3].isspace():
            end -= 2  # "was simple. ''Just put ...": the next quotation's opening mark
        else:
            return start, end


def content_span(text: str, tokens: list[Token], min_words: int = 1) -> tuple[int, int] | None:
    """Char span of ``tokens`` tidied; None when fewer than ``min_words`` words remain."""
    if not tokens:
        return None
    start, end = tidy(text, *span_chars(tokens))
    if end <= start:
        return None
    if sum(1 for t in tokens if t.is_alpha and start <= t.idx < end) < min_words:
        return None
    return start, end


_COMPLEMENTIZERS = ("that ", "whether ", "if ")


def content_segments(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The reported words of ``tokens`` as runs of adjacent tokens, each tidied: what the
    cue's own clause cuts out ("The plan, officials said, will cost more") is in none.
    A leading "that" the parser marks as complementizer belongs to the frame, not to the
    words reported."""
    runs: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    out: list[tuple[int, int]] = []
    for run in runs:
        start, end = tidy(text, *span_chars(run))
        if end > start and any(ch.isalpha() for ch in text[start:end]):
            out.append((start, end))
    first = min(tokens, key=lambda t: t.i) if tokens else None
    if out and first is not None and first.dep_ == "mark" and first.head.dep_ != "advcl":
        # "said that the bridge ...", not "said that is the definition" (a pronoun), nor
        # the "If" of "If A, he argues, B" (a condition the speaker set)
        s, e = out[0]
        head = text[s:e].lower()
        for word in _COMPLEMENTIZERS:
            if head.startswith(word) and len(head) > len(word) + 1:
                out[0] = (s + len(word), e)
                break
    return out
