"""The shapes of what the store writes: article bodies, catalog summaries, ids, timestamps."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.readers.article import Article
from saidwho.store.identity_resolution import text_context

# Only for type hints: importing attribution at runtime would load spaCy (seconds) in
# every process that merely opens the library.
if TYPE_CHECKING:
    from saidwho.core.quote import Quote

CATALOG = "catalog.json"
NOTES = "notes.json"
ARTICLES_DIR = "articles"
LOCK = ".lock"
DAMAGED_DIR = "damaged"

ARTICLE_ID = re.compile(r"[0-9a-f]{16}")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def body_path(root: Path, article_id: str) -> Path:
    # Two-hex-digit fan-out keeps directories small at 10,000+ articles.
    return root / ARTICLES_DIR / article_id[:2] / f"{article_id}.json"


# TinyDB doc_ids are derived from the public ids: lookups are O(1) dict hits, and TinyDB's
# reuse of the highest doc_id after a delete cannot hand one record's id to another.
def article_doc_id(article_id: str) -> int:
    return int(article_id, 16)


def note_doc_id(note_id: str) -> int:
    return uuid.UUID(note_id).int


def review_doc_id(article_id: str, quote_id: str) -> int:
    return int(hashlib.sha256(f"{article_id}:{quote_id}".encode()).hexdigest()[:16], 16)


def text_id(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def is_article_id(value: str) -> bool:
    return bool(ARTICLE_ID.fullmatch(value))


def is_note_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (ValueError, AttributeError, TypeError):
        return False


def body_tables(
    article_id: str, article: Article, quotes: list[Quote], added: str, updated: str
) -> dict[str, dict[str, Any]]:
    """One article file, laid out as a TinyDB database (tables ``article`` and ``quotes``)."""
    sha = article.sha256
    quote_docs = [q.to_json(article.text, sha) for q in sorted(quotes, key=lambda q: q.start)]
    return {
        "article": {
            "1": {"id": article_id, "added": added, "updated": updated, **article.to_json()}
        },
        "quotes": {str(i): q for i, q in enumerate(quote_docs, 1)},
    }


def body_article(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return next(iter(tables.get("article", {}).values()))


def body_quotes(tables: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(tables.get("quotes", {}).values(), key=lambda q: (q["start"], q["end"]))


def group_names(counts: Counter[str]) -> list[tuple[str, int]]:
    """Merge spellings of one name case-insensitively: (most common spelling, total), by total."""
    spellings: dict[str, Counter[str]] = {}
    for name, n in counts.items():
        spellings.setdefault(name.casefold(), Counter())[name] += n
    grouped = [
        (min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0], sum(names.values()))
        for names in spellings.values()
    ]
    grouped.sort(key=lambda g: (-g[1], g[0].casefold()))
    return grouped


def speaker_counts(entry: dict[str, Any], reviews: list[dict[str, Any]]) -> Mapping[str, int]:
    """An article's speaker counts (its catalog entry) with the reviewer's reassignments
    (its review records) applied: the machine's counts as they are when there are none."""
    if not reviews:
        return entry.get("speaker_counts") or {}
    counts: Counter[str] = Counter(entry.get("speaker_counts") or {})
    for review in reviews:
        if review.get("orphaned") or review.get("speaker_override") is None:
            continue
        machine = review.get("machine_speaker")
        if machine:
            counts[machine] -= 1
        counts[review["speaker_override"]] += 1
    return +counts  # drops zero and negative counts


def summary(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The catalog entry for an article body: metadata and counts, never the text."""
    art = body_article(tables)
    quotes = body_quotes(tables)
    counts = Counter(q["speaker"] for q in quotes if q.get("speaker"))
    roles: dict[str, list[str]] = {}
    mentions: dict[str, list[str]] = {}
    for q in quotes:
        who = q.get("speaker")
        if not who:
            continue
        if q.get("role") and q["role"] not in roles.get(who, []):
            roles.setdefault(who, []).append(q["role"])
        start, end = q.get("speaker_start"), q.get("speaker_end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            mention = " ".join(art["text"][start:end].split())[:80]
            seen = mentions.setdefault(who, [])
            if mention and mention != who and mention not in seen and len(seen) < 10:
                seen.append(mention)
    return {
        "id": art["id"],
        "title": art.get("title") or "",
        "subtitle": art.get("subtitle"),
        "source": art.get("source"),
        "author": art.get("author"),
        "date": art.get("date"),
        "url": art.get("url"),
        "path": art.get("path"),
        "text_sha256": art["text_sha256"],
        "chars": len(art["text"]),
        "quotes": len(quotes),
        # machine speakers only; reviews (in notes.json) are applied when reading
        "speaker_counts": dict(counts),
        "speakers": [name for name, _ in group_names(counts)],
        # for speaker identities (store/identities.py): full names a surname may stand for
        "speaker_context": text_context(art["text"], counts),
        "speaker_roles": roles,
        "speaker_mentions": mentions,  # the names as written where they differ ("Mr. Trump")
        "added": art.get("added"),
        "updated": art.get("updated"),
    }


def check_body(
    tables: dict[str, dict[str, Any]], article_id: str | None = None, *, verify_sha: bool = True
) -> str | None:
    """Why this article file is unusable, or None when it is fine.

    Hashing the text is for ``doctor``; readers skip it (JSON that parses was written whole).
    """
    try:
        art = body_article(tables)
        text = art["text"]
        if not isinstance(text, str):
            return "article text is not a string"
        if verify_sha and Article.from_json(art).sha256 != art["text_sha256"]:
            return "text does not match its sha256"
        if article_id is not None and art["id"] != article_id:
            return f"holds article {art['id']}, expected {article_id}"
        for q in tables.get("quotes", {}).values():
            if not (0 <= q["start"] <= q["end"] <= len(text)):
                return f"quote {q.get('id')} lies outside the text"
    except (StopIteration, KeyError, TypeError, ValueError) as exc:
        return f"malformed article record ({exc!r})"
    return None
