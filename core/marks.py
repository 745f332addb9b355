"""Quote-mark pairing on raw text: which marks open and close quotations.

Works on characters, not tokens, so that a stray or unbalanced mark can never swallow more
than the paragraph it sits in, and apostrophes (``shouldn‘t``, ``’90s``, ``Israel’s``) are
never taken for quote marks.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

OPEN_DOUBLE = "“„‟«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
DOUBLE = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE
OPEN_SINGLE = "‘‛‹"
CLOSE_SINGLE = "’›"
STRAIGHT_SINGLE = "'"
# corner brackets open and close quotations in Chinese and Japanese text
CORNER = "「」『』"
# every character that can open or close a quotation (the one home for quote-mark sets)
QUOTE_CHARS = DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE + CORNER
# characters after which a straight mark opens rather than closes
_OPEN_CONTEXT = set(" \t\r\n\u00a0([{—–-/:;")
_MAX_SINGLE = 300  # a single-quoted stretch longer than this is more likely apostrophes

# a double mark; two apostrophes stand for one in some archives (''like this'')
_MARK = re.compile("''|[" + DOUBLE + "]")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)*")


@dataclass(frozen=True)
class Quoted:
    """A quoted stretch: content ``[start, end)`` between ``open_at`` and ``close_at``.

    ``close_at`` is None when the quote was never closed (it then ends at the end of its
    paragraph). ``double`` is False for single-mark quotes. ``pieces`` > 1 when the quote
    runs over several paragraphs (each new paragraph reopening it)."""

    open_at: int
    close_at: int | None
    start: int
    end: int
    double: bool = True
    pieces: int = 1

    @property
    def closed(self) -> bool:
        return self.close_at is not None


def line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each non-blank line: for quote pairing every line break ends a
    paragraph (a quote never runs on across one unless the next line reopens it), unlike
    ``readers.article.paragraph_spans``, where only a blank line does."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _role_double(text: str, i: int, width: int = 1) -> str:
    """'open', 'close' or '?' for the double mark at ``i`` (``width`` 2 for ``''``)."""
    ch = text[i] if width == 1 else STRAIGHT_DOUBLE
    k = i - 1
    while k >= 0 and i - k <= 4 and unicodedata.category(text[k]) == "Cf":
        k -= 1  # an invisible direction or joiner mark (pasted posts) is no letter
    prev = text[k] if k >= 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    prev_space = prev in _OPEN_CONTEXT
    next_space = nxt.isspace() or nxt in ".,;:!?)]}—–-" or i + width == len(text)
    if ch in OPEN_DOUBLE:
        # a curly opener glued to a word on the left and followed by space is a typo closer
        if not prev_space and next_space:
            return "close"
        return "open"
    if ch in CLOSE_DOUBLE:
        if prev_space and not next_space:
            return "open"
        return "close"
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    return "?"


def _is_single_open(text: str, i: int) -> bool:
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch not in OPEN_SINGLE and ch != STRAIGHT_SINGLE:
        return False
    # shouldn‘t, rock ‘n’ roll, ‘90s: apostrophes, not openers
    if prev.isalnum() or not (nxt.isalpha() or nxt in DOUBLE):
        return False
    if ch == STRAIGHT_SINGLE or ch == "‘":
        tail = text[i + 1 : i + 4].lower()
        if tail.startswith(("n ", "n’", "n'", "em ", "cause ")) or tail[:2].isdigit():
            return False
    return prev in _OPEN_CONTEXT or prev in DOUBLE


def _is_single_close(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    if opener == STRAIGHT_SINGLE:
        if ch != STRAIGHT_SINGLE:
            return False
    elif ch not in CLOSE_SINGLE:
        return False
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and not nxt.isalnum()


def _pair_single(text: str, start: int, end: int) -> list[Quoted]:
    """Single-mark quotes in ``text[start:end]`` (a stretch outside double quotes)."""
    found: list[Quoted] = []
    i = start
    while i < end:
        ch = text[i]
        if (ch in OPEN_SINGLE or ch == STRAIGHT_SINGLE) and _is_single_open(text, i):
            limit = min(end, i + _MAX_SINGLE)
            for j in range(i + 2, limit):
                if _is_single_close(text, j, ch):
                    found.append(Quoted(i, j, i + 1, j, double=False))
                    i = j
                    break
        i += 1
    return found


def find_quoted(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[Quoted]:
    """All quoted stretches in ``text``, in order, never nested and never overlapping.

    Double marks pair within a paragraph; a paragraph that opens a quote without closing it
    continues into the next paragraph only if that paragraph opens with a quote mark (the
    newspaper convention). Otherwise the quote ends with its paragraph (``close_at=None``).
    Single marks count only outside double quotes."""
    if paragraphs is None:
        paragraphs = line_spans(text)
    # marks inside markup (<tweet author="X">) are attribute syntax, not quotation
    tags = [m.span() for m in _TAG.finditer(text)] if "<" in text else []
    result: list[Quoted] = []
    pending: Quoted | None = None  # open at the end of the previous paragraph, continued here
    glued = False  # the pending quote runs on over a stray line break (no mark reopens it)
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        cont, pending = pending, None
        open_at: int | None = None
        open_w = 1
        if cont is not None and glued:
            open_at, open_w = p_start, 0  # the quote is still open at this line's start
        glued = False
        last_close: int | None = None  # end of the last quote closed in this paragraph
        lost_opener = False
        p_last = p_end  # the paragraph's end without its trailing spaces
        while p_last > p_start and text[p_last - 1].isspace():
            p_last -= 1
        segments: list[tuple[int, int]] = []  # double-quoted stretches in this paragraph
        # “A “B” C”: an opener while one is open may nest; the inner quotes wait until the
        # outer closes (they are then part of it) or the paragraph ends (the outer opener
        # was a stray after all)
        outer: tuple[int, int] | None = None
        inner: list[tuple[Quoted, tuple[int, int]]] = []
        for m in _MARK.finditer(text, p_start, p_end):
            i = m.start()
            width = m.end() - i
            if tags and _in_tag(tags, i):
                continue
            role = _role_double(text, i, width)
            if role == "?":
                role = "close" if open_at is not None else "open"
            if role == "open":
                if cont is not None and i != p_start:
                    result.append(cont)  # the continued quote ended with its paragraph
                    cont = None
                    if open_w == 0:
                        open_at = None  # the run-on line had no mark of its own
                if (
                    open_at is not None
                    and cont is None
                    and outer is None
                    and _straight(text, open_at) == _straight(text, i)
                ):
                    outer = (open_at, open_w)  # "“A” ..." mixing styles is an artefact
                elif open_at is not None:
                    lost_opener = True  # an opener left unclosed: a later closer is its
                open_at, open_w = i, width
            elif open_at is not None:
                if cont is not None:
                    result.append(Quoted(cont.open_at, i, cont.start, i, True, cont.pieces + 1))
                    segments.append((open_at, i + width))
                    cont = None
                elif outer is not None:
                    inner.append((Quoted(open_at, i, open_at + open_w, i), (open_at, i + width)))
                else:
                    result.append(Quoted(open_at, i, open_at + open_w, i))
                    segments.append((open_at, i + width))
                open_at = None
                last_close = i + width if outer is None else None
            elif outer is not None:
                o_at, o_w = outer
                result.append(Quoted(o_at, i, o_at + o_w, i))
                segments.append((o_at, i + width))
                outer, inner = None, []
            elif (
                not lost_opener
                and i + width == p_last  # the paragraph's last mark
                and (orphan := _orphan_opening(text, last_close, i)) is not None
            ):
                result.append(Quoted(orphan, i, orphan, i))
                segments.append((orphan, i + width))
                last_close = i + width
            # else: a stray closer, ignored
        for q, seg in inner:
            result.append(q)
            segments.append(seg)
        if open_at is not None:
            segments.append((open_at, p_end))
            if cont is not None:
                piece = Quoted(cont.open_at, None, cont.start, p_end, True, cont.pieces + 1)
                cont = None
            else:
                piece = Quoted(open_at, None, open_at + open_w, p_end)
            nxt = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            if nxt is not None and _runs_on(text, p_end, nxt[0]):
                pending, glued = piece, True
            elif nxt is not None and _opens_with_mark(text, nxt[0], _straight(text, piece.open_at)):
                pending = piece
            else:
                result.append(piece)
        if cont is not None:
            result.append(cont)
        # single-mark quotes only in the stretches outside double quotes
        pos = p_start
        for s, e in segments:
            result.extend(_pair_single(text, pos, s))
            pos = e
        result.extend(_pair_single(text, pos, p_end))
    if pending is not None:
        result.append(pending)
    if any(ch in OPEN_DOUBLE for ch in text):
        # in a text quoted with typographic marks, a straight mark that never closes is
        # a stray (an HTML artefact opening each paragraph), not a quotation
        result = [q for q in result if q.closed or not q.double or not _straight(text, q.open_at)]
    result.sort(key=lambda q: q.start)
    return result


def count_double(text: str) -> int:
    """How many double marks ``text`` holds, two apostrophes counted as one."""
    return len(_MARK.findall(text))


def q_width(text: str, i: int) -> int:
    """Width of the quote mark at ``i`` (2 for ``''``)."""
    return 2 if text.startswith("''", i) else 1


def _in_tag(tags: list[tuple[int, int]], i: int) -> bool:
    k = bisect_right(tags, (i, len(tags) + 10**12)) - 1
    return k >= 0 and tags[k][0] <= i < tags[k][1]


def _straight(text: str, i: int) -> bool:
    """The double mark at ``i`` is straight (" or '') rather than typographic."""
    return text[i] == STRAIGHT_DOUBLE or text.startswith("''", i)


def _runs_on(text: str, p_end: int, nxt: int) -> bool:
    """An open quote's line ends mid-sentence (no closing punctuation) and the next line
    goes on in lower case: a stray line break inside the quotation, not a new paragraph."""
    k = p_end - 1
    while k >= 0 and text[k].isspace():
        k -= 1  # (not text[:p_end].rstrip(): a copy of the whole text per paragraph)
    tail = text[k] if k >= 0 else ""
    return bool(tail) and tail not in ".!?:;…" + QUOTE_CHARS and text[nxt : nxt + 1].islower()


# an attribution between two quotes of one paragraph: '..." Jones said. ' (short, one sentence)
_SENTENCE_END = re.compile(r"[.!?][ \t\u00a0]+(?=[A-Z])")
_MAX_ATTRIBUTION = 60


def _orphan_opening(text: str, last_close: int | None, i: int) -> int | None:
    """Where a quote whose opening mark was left out begins: a stray closer at ``i`` ends
    its paragraph after a quote and a short attribution sentence ('"A," Jones said. B C."'),
    so the words between that sentence and the closer are the same speaker's."""
    if last_close is None:
        return None
    m = _SENTENCE_END.search(text, last_close, i)
    if (
        m is None
        or m.end() - last_close > _MAX_ATTRIBUTION
        or any(ch in DOUBLE for ch in text[m.end() : i])
    ):
        return None
    return m.end()


def _opens_with_mark(text: str, start: int, straight: bool) -> bool:
    """The paragraph at ``start`` reopens a quote with a mark of the same style as the one
    that opened it: a paragraph of curly quotes does not continue a stray straight mark."""
    m = _MARK.match(text, start)
    return (
        m is not None
        and _straight(text, start) == straight
        and _role_double(text, start, m.end() - start) == "open"
    )
