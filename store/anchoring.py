"""Keep notes attached to the right words when an article's text changes.

A note stores a W3C TextPositionSelector (start, end) and a TextQuoteSelector (exact plus
32 characters of prefix and suffix). After the text changes we look for ``exact`` again and
score each candidate the way the Hypothesis client does (match-quote.ts):
50·quote + 20·prefix + 20·suffix + 2·position, each part a similarity in [0, 1].
Exact occurrences come first; when the words themselves changed (a typo fixed, a word
rewritten) rapidfuzz finds the closest passage. A candidate below ``MIN_QUOTE`` similarity
or ``MIN_SCORE`` overall is no match: the note is kept, flagged orphaned, rather than
guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

from saidwho.store.records import review_doc_id as review_key

CONTEXT = 32
# Scoring every occurrence of a very common string ("the") costs time for no benefit: those
# nearest to the old position are the plausible ones.
MAX_CANDIDATES = 200
# An approximate match must keep most of the words (Hypothesis allows half the characters
# to differ; a reviewer's note on a rewritten sentence is better orphaned than misplaced)
MIN_QUOTE = 0.75
MIN_SCORE = 0.75  # of the best possible 92 points
WEIGHTS = (50.0, 20.0, 20.0, 2.0)  # quote, prefix, suffix, position
MAX_FUZZY = 2000  # longer passages are only found exactly: approximate search is quadratic


@dataclass(frozen=True)
class Selector:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def select(text: str, start: int, end: int) -> Selector:
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def similarity(expected: str, actual: str) -> float:
    """1.0 for identical strings, falling with the edit distance (Hypothesis' textMatchScore)."""
    if not expected:
        return 1.0
    if expected == actual:
        return 1.0
    distance = Levenshtein.distance(expected, actual, score_cutoff=len(expected))
    return 1.0 - min(distance, len(expected)) / len(expected)


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    pos = text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def _parts(text: str, sel: Selector, start: int, end: int) -> tuple[float, float, float, float]:
    prefix = text[max(0, start - len(sel.prefix)) : start]
    suffix = text[end : end + len(sel.suffix)]
    position = 1.0 - abs(start - sel.start) / max(len(text), 1)
    return (
        similarity(sel.exact, text[start:end]),
        similarity(sel.prefix, prefix),
        similarity(sel.suffix, suffix),
        position,
    )


def score(text: str, sel: Selector, start: int, end: int) -> float:
    """The Hypothesis score of ``text[start:end]`` as the new place of ``sel``, in [0, 1]."""
    parts = _parts(text, sel, start, end)
    return sum(w * p for w, p in zip(WEIGHTS, parts, strict=True)) / sum(WEIGHTS)


def _score(text: str, sel: Selector, start: int, end: int) -> float:
    return score(text, sel, start, end)


def _refine(text: str, sel: Selector, start: int, end: int) -> tuple[int, int]:
    """Move the ends of an approximate match to where the words and their context are most
    alike (an alignment of equal length misses a word that grew or shrank)."""
    slack = max(2, min(len(sel.exact) // 4, 40))
    best_end = max(
        range(max(start + 1, end - slack), min(len(text), end + slack) + 1),
        key=lambda e: (score(text, sel, start, e), -abs(e - end)),
        default=end,
    )
    best_start = max(
        range(max(0, start - slack), min(best_end - 1, start + slack) + 1),
        key=lambda s: (score(text, sel, s, best_end), -abs(s - start)),
        default=start,
    )
    return best_start, best_end


def _fuzzy_candidates(text: str, sel: Selector) -> list[tuple[int, int]]:
    """Places where the words may be now: the best approximate alignment in the whole text
    and near the old place, and the stretch the old prefix and suffix still enclose."""
    exact = sel.exact
    out: list[tuple[int, int]] = []
    if not exact.strip() or len(exact) > MAX_FUZZY or not text:
        return out
    windows = [(0, len(text))]
    reach = 2 * len(exact) + 200
    windows.append((max(0, sel.start - reach), min(len(text), sel.start + reach)))
    for lo, hi in windows:
        hit = partial_ratio_alignment(exact, text[lo:hi], score_cutoff=MIN_QUOTE * 100 - 10)
        if hit is not None and hit.dest_end > hit.dest_start:
            out.append(_refine(text, sel, lo + hit.dest_start, lo + hit.dest_end))
    if len(sel.prefix) >= 8 and len(sel.suffix) >= 8:
        for p in _occurrences(text, sel.prefix)[:MAX_CANDIDATES]:
            s = p + len(sel.prefix)
            e = text.find(sel.suffix, s)
            if e != -1 and e - s <= 2 * len(exact) + 20:
                out.append((s, e))
    return out


def reanchor(text: str, sel: Selector) -> tuple[int, int] | None:
    """The new [start, end) of ``sel`` in ``text``, or None when the quoted words are gone."""
    if text[sel.start : sel.end] == sel.exact and sel.end <= len(text):
        here = select(text, sel.start, sel.end)
        if here.prefix == sel.prefix and here.suffix == sel.suffix:
            return sel.start, sel.end
    if sel.exact:
        starts = _occurrences(text, sel.exact)
    else:
        # A point note (start == end) is found by its context alone.
        starts = [p + len(sel.prefix) for p in _occurrences(text, sel.prefix)] if sel.prefix else []
        if sel.suffix:
            starts += _occurrences(text, sel.suffix)
        if not sel.prefix and not sel.suffix:
            starts = [min(sel.start, len(text))]
    if starts:
        starts = sorted(set(starts), key=lambda s: abs(s - sel.start))[:MAX_CANDIDATES]
        length = len(sel.exact)
        best = max(starts, key=lambda s: (_score(text, sel, s, s + length), -abs(s - sel.start)))
        return best, best + length
    candidates = _fuzzy_candidates(text, sel)
    if not candidates:
        return None
    best_span = max(candidates, key=lambda c: (score(text, sel, *c), -abs(c[0] - sel.start)))
    quote = similarity(sel.exact, text[best_span[0] : best_span[1]])
    if quote < MIN_QUOTE or score(text, sel, *best_span) < MIN_SCORE:
        return None
    return best_span


# ---------------------------------------------------------------- notes and reviews


def _selector(doc: dict[str, Any]) -> Selector:
    return Selector(doc["start"], doc["end"], doc["exact"], doc["prefix"], doc["suffix"])


def _selector_fields(sel: Selector) -> dict[str, Any]:
    return {
        "start": sel.start,
        "end": sel.end,
        "exact": sel.exact,
        "prefix": sel.prefix,
        "suffix": sel.suffix,
    }


def _match_quote(
    new_quotes: list[dict[str, Any]], old_quote: dict[str, Any] | None, span: tuple[int, int]
) -> str | None:
    """The new quote a note's quote became: same words nearest the note, else one covering it."""
    if old_quote is not None:
        same = [q for q in new_quotes if q["text"] == old_quote["text"]]
        if same:
            return min(same, key=lambda q: abs(q["start"] - span[0]))["id"]
    covering = [q for q in new_quotes if q["start"] <= span[0] and span[1] <= q["end"]]
    if covering:
        return min(covering, key=lambda q: q["end"] - q["start"])["id"]
    return None


def _quote_at(quotes: list[dict[str, Any]], span: tuple[int, int]) -> dict[str, Any] | None:
    """The quote at a re-anchored span: the same span, else the one overlapping it most
    (a typo fixed inside a quote moves its end), if it shares most of its length."""
    same = next((q for q in quotes if (q["start"], q["end"]) == span), None)
    if same is not None:
        return same

    def overlap(q: dict[str, Any]) -> float:
        shared = min(q["end"], span[1]) - max(q["start"], span[0])
        return shared / max(q["end"] - q["start"], span[1] - span[0], 1)

    best = max(quotes, key=overlap, default=None)
    return best if best is not None and overlap(best) >= 0.8 else None


def follow_text(
    tables: dict[str, dict[str, Any]],
    article_id: str,
    new_body: dict[str, dict[str, Any]],
    old_quotes: dict[str, dict[str, Any]],
) -> bool:
    """Move an article's notes and reviews (its notes shard's ``tables``, edited in place) onto its
    new text. Quote ids hash the text, so reviews are re-keyed to the quote now at their span.

    Each record is stamped with the text's sha256, which makes this idempotent: records
    already on this text are skipped. Returns whether anything changed.
    """
    art = next(iter(new_body["article"].values()))
    text, sha = art["text"], art["text_sha256"]
    new_quotes = sorted(new_body.get("quotes", {}).values(), key=lambda q: q["start"])
    changed = False

    for doc in tables.setdefault("notes", {}).values():
        if doc["article_id"] != article_id or doc.get("text_sha256") == sha:
            continue
        changed = True
        old_span = (doc["start"], doc["end"])
        pos = reanchor(text, _selector(doc))
        if pos is None:
            # keep exact/prefix/suffix for a later version; the span becomes an empty one
            # near the old place so that no reader highlights unrelated words
            point = min(doc["start"], len(text))
            doc.update(start=point, end=point, orphaned=True)
        else:
            doc.update(_selector_fields(select(text, *pos)), orphaned=False)
        if doc.get("quote_id"):
            hint = pos if pos is not None else old_span
            doc["quote_id"] = _match_quote(new_quotes, old_quotes.get(doc["quote_id"]), hint)
        doc["text_sha256"] = sha

    reviews = tables.setdefault("reviews", {})
    for key, doc in list(reviews.items()):
        if doc["article_id"] != article_id or doc.get("text_sha256") == sha:
            continue
        changed = True
        doc["text_sha256"] = sha
        pos = reanchor(text, _selector(doc))
        quote = _quote_at(new_quotes, pos) if pos is not None else None
        if pos is None or quote is None:
            doc["orphaned"] = True  # kept: the verdict may apply again to a later version
            continue
        new_key = str(review_key(article_id, quote["id"]))
        if new_key != key and new_key in reviews:
            doc["orphaned"] = True  # another review already speaks for that quote
            continue
        doc.update(
            _selector_fields(select(text, *pos)),
            quote_id=quote["id"],
            machine_speaker=quote.get("speaker"),
            orphaned=False,
        )
        if new_key != key:
            del reviews[key]
            reviews[new_key] = doc
    return changed
