"""Keep notes attached to the right words when an article's text changes.

A note stores a W3C TextPositionSelector (start, end) and a TextQuoteSelector (exact plus
32 characters of prefix and suffix). After the text changes we look for ``exact`` again and
score each occurrence the way the Hypothesis client does (match-quote.ts):
50·quote + 20·prefix + 20·suffix + 2·position. Only exact matches of the quote are accepted;
a note whose words are gone is kept and flagged orphaned rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saidwho.store.records import review_doc_id as review_key

CONTEXT = 32
# Scoring every occurrence of a very common string ("the") costs time for no benefit: those
# nearest to the old position are the plausible ones.
MAX_CANDIDATES = 200


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


def _edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _similarity(expected: str, actual: str) -> float:
    """1.0 for identical strings, falling with the edit distance (Hypothesis' textMatchScore)."""
    if not expected:
        return 1.0
    if expected == actual:
        return 1.0
    return 1.0 - min(_edit_distance(expected, actual), len(expected)) / len(expected)


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    pos = text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def _score(text: str, sel: Selector, start: int, end: int) -> float:
    prefix = text[max(0, start - len(sel.prefix)) : start]
    suffix = text[end : end + len(sel.suffix)]
    position = 1.0 - abs(start - sel.start) / max(len(text), 1)
    return (
        50.0
        + 20.0 * _similarity(sel.prefix, prefix)
        + 20.0 * _similarity(sel.suffix, suffix)
        + 2.0 * position
    )


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
    if not starts:
        return None
    starts = sorted(set(starts), key=lambda s: abs(s - sel.start))[:MAX_CANDIDATES]
    length = len(sel.exact)
    best = max(starts, key=lambda s: (_score(text, sel, s, s + length), -abs(s - sel.start)))
    return best, best + length


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


def follow_text(
    tables: dict[str, dict[str, Any]],
    article_id: str,
    new_body: dict[str, dict[str, Any]],
    old_quotes: dict[str, dict[str, Any]],
) -> bool:
    """Move an article's notes and reviews (notes.json ``tables``, edited in place) onto its
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
        quote = None
        if pos is not None:
            quote = next((q for q in new_quotes if (q["start"], q["end"]) == pos), None)
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
