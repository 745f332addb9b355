"""Public ids and the TinyDB doc_ids derived from them.

Public ids are strings: article = first 16 hex of sha256(text) (kept when the file at the
same path changes), note and speaker decision = uuid4, quote = ``core.quote.quote_id``.
TinyDB doc_ids are derived from them: look-ups are O(1) dict hits, and TinyDB's reuse of
the highest doc_id after a delete cannot hand one record's id to another.
"""

from __future__ import annotations

import hashlib
import re
import uuid

ARTICLE_ID = re.compile(r"[0-9a-f]{16}")


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
