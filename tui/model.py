"""What the screens show of the store's records: grouping, colours, quote text. No widgets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from saidwho.attribution.lexicon import is_title
from saidwho.core import settings
from saidwho.core.marks import (
    CLOSE_DOUBLE,
    CLOSE_SINGLE,
    DOUBLE,
    OPEN_DOUBLE,
    OPEN_SINGLE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
)
from saidwho.core.safe_text import inert_line
from saidwho.core.text import clip as text_clip
from saidwho.core.text import squash
from saidwho.store import QuoteView

# Below this the attribution is shown as a guess: italic, lighter, "?" and the number.
LOW_CONFIDENCE = settings.UNCERTAIN_DEFAULT
UNKNOWN = "Unattributed"

# Tableau 10: distinct hues that stay legible as a light tint behind text in dark and
# light themes (the text keeps the theme's foreground; only the background is tinted).
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)
UNKNOWN_COLOR = "#bab0ac"
# Dim text in a Content style. Not "$text-muted": that is "auto 60%", which a Content style
# (Textual 8.2) renders as plain white, brighter than the text it should sit under.
MUTED = "$foreground-muted"
DISPUTED_COLOR = "#e15759"  # red is kept for disputed attributions only


def is_uncertain(quote: QuoteView) -> bool:
    """Set apart in the quotes panel, collapsed: quoted words nobody is credited with, or
    an attribution below the uncertain threshold ($SAIDWHO_UNCERTAIN) no reviewer has looked
    at. Never mixed in with the trusted ones."""
    if quote.scare_quote:
        return True
    return quote.confidence < settings.uncertain_below() and quote.review == "unreviewed"


def is_low(quote: QuoteView) -> bool:
    """Shown as a guess: the machine was unsure and no reviewer has looked at it."""
    return quote.confidence < LOW_CONFIDENCE and not quote.reviewed


def speaker_of(quote: QuoteView) -> str | None:
    """The speaker as the library knows them: the identity (merges and aliases applied)."""
    return quote.identity or quote.speaker


def who(quote: QuoteView) -> str:
    """The speaker's name as shown: the identity's (inert: a name is untrusted text)."""
    return inert_line(speaker_of(quote) or UNKNOWN)


@dataclass(frozen=True)
class SpeakerGroup:
    speaker: str | None
    role: str | None
    color: str
    quotes: tuple[QuoteView, ...]


def group_by_speaker(
    quotes: Sequence[QuoteView], colors: dict[str | None, str] | None = None
) -> list[SpeakerGroup]:
    """Most quoted first, unattributed last; quotes in text order within a group.
    ``colors``: the article's (when ``quotes`` is a filtered part of it)."""
    counts = Counter(speaker_of(q) for q in quotes)
    named = sorted((s for s in counts if s), key=lambda s: (-counts[s], s.lower()))
    order: list[str | None] = [*named, *([None] if None in counts else [])]
    colors = colors if colors is not None else speaker_colors(quotes)
    groups = []
    for speaker in order:
        mine = tuple(sorted((q for q in quotes if speaker_of(q) == speaker), key=lambda q: q.start))
        roles = Counter(q.role for q in mine if q.role)
        role = roles.most_common(1)[0][0] if roles else None
        color = colors.get(mine[0].speaker, UNKNOWN_COLOR) if speaker else UNKNOWN_COLOR
        groups.append(SpeakerGroup(speaker, role, color, mine))
    return groups


# The quotes panel's review filters ("w"): what each keeps.
QUEUES: dict[str, str] = {
    "all": "all quotes",
    "unreviewed": "unreviewed",
    "low": "low confidence",
    "unattributed": "unattributed",
    "disputed": "disputed",
}


def in_queue(quote: QuoteView, queue: str) -> bool:
    if queue == "unreviewed":
        return quote.review == "unreviewed"
    if queue == "low":
        return quote.confidence < LOW_CONFIDENCE and quote.review == "unreviewed"
    if queue == "unattributed":
        return quote.speaker is None and quote.review != "confirmed"
    if queue == "disputed":
        return quote.review == "disputed"
    if queue == "needs review":  # the library-wide queue's default: all four above
        return quote.review in ("unreviewed", "disputed")
    return True


def progress(quotes: Sequence[QuoteView]) -> str:
    """ "12 of 31 reviewed": how far the reviewer got (disputes count: they were looked at)."""
    done = sum(1 for q in quotes if q.review != "unreviewed")
    return f"{done} of {len(quotes)} reviewed"


def speaker_colors(quotes: Iterable[QuoteView]) -> dict[str | None, str]:
    """Distinct colours within one article: by rank, most quoted speaker first. Keyed by
    the quote's own speaker name; the names of one identity share its colour."""
    quotes = [q for q in quotes if q.speaker]
    counts = Counter(speaker_of(q) for q in quotes)
    ranked = sorted(counts, key=lambda s: (-counts[s], (s or "").lower()))
    rank = {speaker: i for i, speaker in enumerate(ranked)}
    colors: dict[str | None, str] = {None: UNKNOWN_COLOR}
    for q in quotes:
        colors[q.speaker] = PALETTE[rank[speaker_of(q)] % len(PALETTE)]
    return colors


QUOTE_MARKS = DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE
_STRIP = QUOTE_MARKS + " \n\t"  # marks and the spaces around them
_OPEN = OPEN_DOUBLE + STRAIGHT_DOUBLE  # double marks only: ’ is also an apostrophe
_CLOSE = CLOSE_DOUBLE + STRAIGHT_DOUBLE
_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"), ('"', '"'), ("'", "'"))


def unquote(text: str) -> str:
    """Drop the quotation marks around a span, but only unmatched or enclosing ones:
    ``an end to the “war”`` keeps its marks, ``“total panic”`` loses them."""
    t = squash(text)
    for left, right in _PAIRS:
        if len(t) >= 2 and t[0] == left and t[-1] == right:
            inner = t[1:-1]
            if left == right or inner.count(left) == inner.count(right):
                t = inner.strip()
    for left, right in _PAIRS:
        if left == right:
            if t.count(left) % 2 and (t[:1] == left or t[-1:] == left):
                t = t[1:] if t[:1] == left else t[:-1]
        elif t[:1] == left and t.count(left) > t.count(right):
            t = t[1:]
        elif t[-1:] == right and t.count(right) > t.count(left):
            t = t[:-1]
    return t.strip()


def spoken_parts(quote: QuoteView) -> list[tuple[str, str]]:
    """The quote's text as (kind, text) parts: ``said`` for the speaker's words, ``gap``
    where the attribution interrupts a direct quote (``…loved ones,” said Trump on Sunday.
    “Hopefully…``: shown as an elision), ``cue`` for a mention or cue inside reported
    speech (shown dimmed: there are no marks to tell the words apart)."""
    text = quote.text
    inside = [
        (s - quote.start, e - quote.start)
        for s, e in ((quote.speaker_start, quote.speaker_end), (quote.cue_start, quote.cue_end))
        if s is not None and e is not None and quote.start <= s and e <= quote.end and e > s
    ]
    if not inside or len(text) != quote.end - quote.start:
        return [("said", text)]
    lo, hi = min(s for s, _ in inside), max(e for _, e in inside)
    if quote.kind == "indirect":
        return [p for p in (("said", text[:lo]), ("cue", text[lo:hi]), ("said", text[hi:])) if p[1]]
    close = max(text.rfind(mark, 0, lo) for mark in _CLOSE)
    opens = [i for i in (text.find(mark, hi) for mark in _OPEN) if i >= 0]
    start = close if close >= 0 else lo
    end = min(opens) + 1 if opens else len(text)
    if not opens and close < 0:
        return [("said", text)]  # a mention with no marks around it: leave the span alone
    parts = [("said", text[:start]), ("gap", text[start:end]), ("said", text[end:])]
    return [p for p in parts if p[1].strip(_STRIP + ",.;:")]


def clip(text: str, limit: int) -> str:
    """One line, at most ``limit`` characters, ellipsis when cut; untrusted text made inert
    (controls visible), so every title, cell and label that goes through here is safe."""
    return text_clip(inert_line(text), limit)


# -- sentences --------------------------------------------------------------------------

# A period after one of these ends no sentence. Titles ("Sen.", "Sgt.") come from the
# attribution lexicon, their one home; these are the other abbreviations news text uses.
_ABBREV = frozenset({
    "st", "jr", "sr", "inc", "co", "corp", "ltd", "vs", "etc", "no", "jan", "feb", "mar",
    "apr", "aug", "sept", "sep", "oct", "nov", "dec", "mt", "ft",
})  # fmt: skip
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def _regex_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for m in _END.finditer(text, start, end):
        word = re.search(r"(\S+)$", text[pos : m.start()])
        token = word.group(1).lower().strip("\"'“‘(") if word else ""
        if m.group().startswith(".") and (
            token in _ABBREV or is_title(token) or len(token) == 1 or "." in token  # U.S.
        ):
            continue
        spans.append((pos, m.end()))
        pos = m.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentence_spans(
    text: str, paragraphs: Sequence[tuple[int, int]], quotes: Iterable[QuoteView]
) -> list[tuple[int, int]]:
    """Sentences for the reading cursor: spaCy's (from the quotes) where known, a small
    splitter between them. Cheap enough for the UI thread; never crosses a paragraph."""
    known = sorted(
        {(q.sentence_start, q.sentence_end) for q in quotes if q.sentence_end > q.sentence_start}
    )
    # the spans a paragraph can hold, by bisection: 200 quotes x 200 paragraphs is 40k tests
    starts = [s for s, _ in known]
    reach = list(accumulate((e for _, e in known), max))  # furthest end so far
    out: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs or [(0, len(text))]:
        lo, hi = bisect_right(reach, p_start), bisect_left(starts, p_end)
        inside = [(max(s, p_start), min(e, p_end)) for s, e in known[lo:hi] if e > p_start]
        pos = p_start
        for s, e in inside:
            if s < pos:  # overlapping spaCy spans (rare): keep the first
                continue
            if s > pos:
                out.extend(_regex_sentences(text, pos, s))
            out.append((s, e))
            pos = e
        if pos < p_end:
            out.extend(_regex_sentences(text, pos, p_end))
    return out


def span_index(spans: Sequence[tuple[int, int]], offset: int) -> int | None:
    """Index of the span containing ``offset`` (or the last one starting before it)."""
    if not spans:
        return None
    i = bisect_right([s for s, _ in spans], offset) - 1
    return max(0, i)
