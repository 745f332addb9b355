"""What the store writes: one shape per table (store/shape.py), the article files, catalog
summaries, paths and timestamps.

    catalog/       meta: SchemaMeta            articles: CatalogEntry
    notes/<xx>     notes: NoteRecord            reviews: ReviewRecord
                   reads: ReadMark              (notes/shared) speakers: SpeakerDecision
    articles/...   article: BodyArticle         quotes: StoredQuote (``Quote.to_json``)

Each shape is the one definition of its record: ``validate.py`` derives the table's schema
from it, and the store writes records through it (``to_doc``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from saidwho.core.quote import Quote, QuoteKind
from saidwho.readers.article import Article
from saidwho.store.identity_resolution import text_context
from saidwho.store.ids import (
    ARTICLE_ID,
    article_doc_id,
    is_article_id,
    is_note_id,
    note_doc_id,
    review_doc_id,
    text_id,
)
from saidwho.store.shape import NULLABLE, SPARSE, Check, to_doc
from saidwho.store.views import ArticleHead, Note

__all__ = [
    "ARTICLE_ID",
    "BodyArticle",
    "CatalogEntry",
    "NoteRecord",
    "ReadMark",
    "ReviewRecord",
    "SchemaMeta",
    "SpeakerDecision",
    "StoredQuote",
    "article_doc_id",
    "is_article_id",
    "is_note_id",
    "note_doc_id",
    "review_doc_id",
    "text_id",
]

CATALOG = "catalog.json"
NOTES = "notes.json"
ARTICLES_DIR = "articles"
LOCK = ".lock"
DAMAGED_DIR = "damaged"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def body_path(root: Path, article_id: str) -> Path:
    # Two-hex-digit fan-out keeps directories small at 10,000+ articles.
    return root / ARTICLES_DIR / article_id[:2] / f"{article_id}.json"


# ---------------------------------------------------------------------- the shapes


@dataclass(frozen=True)
class SchemaMeta:
    """catalog.json ``meta``: the library's schema version (store/schema.py)."""

    schema_version: int


@dataclass(frozen=True, kw_only=True)
class CatalogEntry(ArticleHead):
    """catalog.json ``articles``: an article's summary, never its text (derived from the
    article file: ``summary``)."""

    chars: int = 0
    quotes: int = 0
    # machine speakers only; reviews (in notes.json) are applied when reading
    speaker_counts: dict[str, int] = field(default_factory=dict)
    speakers: tuple[str, ...] = ()  # grouped spellings, most quoted first
    # for speaker identities (store/identities.py): full names a surname may stand for
    speaker_context: dict[str, dict[str, int]] = field(default_factory=dict)
    speaker_roles: dict[str, list[str]] = field(default_factory=dict)
    speaker_mentions: dict[str, list[str]] = field(default_factory=dict)  # as written
    added: str | None = None
    updated: str | None = None
    body_missing: Annotated[bool, SPARSE] = False  # its file is lost (doctor keeps the entry)


@dataclass(frozen=True, kw_only=True)
class NoteRecord(Note):
    """notes.json ``notes``: a ``Note`` and the sha256 of the text it was anchored on."""

    text_sha256: str = ""


Verdict = Literal["confirmed", "disputed"]


@dataclass(frozen=True, kw_only=True)
class ReviewRecord:
    """notes.json ``reviews``: a reviewer's verdict on one quote, with the words it was made
    on (re-anchored like a note). ``views.revise_review`` sets the verdict and corrections;
    ``views.review_state`` reads them (records from before states have only ``disputed``
    and ``speaker_override``)."""

    article_id: str
    quote_id: str
    speaker_override: str | None = None
    disputed: bool = False  # verdict == "disputed", kept for older readers
    created: str = ""
    start: int = 0
    end: int = 0
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    text_sha256: str = ""
    orphaned: bool = False
    kind_override: Annotated[QuoteKind | None, SPARSE] = None
    verdict: Annotated[Verdict | None, SPARSE] = None
    machine_speaker: Annotated[str | None, SPARSE] = None
    reviewer: Annotated[str | None, SPARSE] = None
    reviewed_at: Annotated[str | None, SPARSE] = None
    updated: Annotated[str, SPARSE] = ""
    version: Annotated[int | None, SPARSE] = None  # the article version it was made on


@dataclass(frozen=True)
class ReadMark:
    """notes.json ``reads``: an article marked read."""

    article_id: str
    at: str = ""


@dataclass(frozen=True, kw_only=True)
class SpeakerDecision:
    """notes.json ``speakers``: a reviewer's merge (names, into), split (name, alias),
    rename (name, new) or kind (name, kind: person, organization, ...) of speaker
    identities."""

    id: Annotated[str, Check(is_note_id)]
    at: str
    op: Literal["merge", "split", "rename", "kind"]
    names: Annotated[tuple[str, ...], SPARSE] = ()
    into: Annotated[str, SPARSE] = ""
    name: Annotated[str, SPARSE] = ""
    alias: Annotated[str, SPARSE] = ""
    new: Annotated[str, SPARSE] = ""
    kind: Annotated[str, SPARSE] = ""


@dataclass(frozen=True, kw_only=True)
class BodyArticle:
    """An article file's ``article`` record: its id and times, then ``Article.to_json``."""

    id: str
    added: str | None = None
    updated: str | None = None
    title: Annotated[str, NULLABLE] = ""
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    fetched: str | None = None  # when it was read from its URL; absent for files
    text_sha256: str
    text: str
    paragraphs: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, kw_only=True)
class StoredQuote(Quote):
    """An article file's ``quotes`` record: ``Quote.to_json``, every ``Quote`` field plus the
    quote's public id and its words (a shape for validation: written by ``to_json``)."""

    id: str
    text: str = ""


# ---------------------------------------------------------------------- article files


def body_tables(
    article_id: str, article: Article, quotes: list[Quote], added: str, updated: str
) -> dict[str, dict[str, Any]]:
    """One article file, laid out as a TinyDB database (tables ``article`` and ``quotes``)."""
    sha = article.sha256
    quote_docs = [q.to_json(article.text, sha) for q in sorted(quotes, key=lambda q: q.start)]
    # a field Article gains is a TypeError here until BodyArticle has it too
    record = BodyArticle(id=article_id, added=added, updated=updated, **article.to_json())
    return {
        "article": {"1": to_doc(record)},
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
    """The catalog entry (``CatalogEntry``) for an article body: metadata and counts,
    never the text."""
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
    entry = CatalogEntry(
        id=art["id"],
        title=art.get("title") or "",
        subtitle=art.get("subtitle"),
        source=art.get("source"),
        author=art.get("author"),
        date=art.get("date"),
        url=art.get("url"),
        path=art.get("path"),
        text_sha256=art["text_sha256"],
        chars=len(art["text"]),
        quotes=len(quotes),
        speaker_counts=dict(counts),
        speakers=tuple(name for name, _ in group_names(counts)),
        speaker_context=text_context(art["text"], counts),
        speaker_roles=roles,
        speaker_mentions=mentions,  # the names as written where they differ ("Mr. Trump")
        added=art.get("added"),
        updated=art.get("updated"),
    )
    return to_doc(entry)


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
