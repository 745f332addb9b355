"""The Article record: what a reader makes of a file, and what the rest of saidwho reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Article:
    """Immutable plain text plus metadata. Offsets everywhere index into ``text``."""

    text: str
    title: str
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None  # absolute path of the file it was read from
    # [start, end) of each paragraph in ``text``
    paragraphs: tuple[tuple[int, int], ...] = field(default=())
    # when it was fetched from ``url`` (ISO 8601 UTC); None for files
    fetched: str | None = None
    # what went wrong while reading, said rather than hidden (e.g. the HTML extractor failed
    # and all visible text was kept); reported at ingest, not stored
    warning: str | None = field(default=None, compare=False)

    @cached_property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @cached_property
    def content_id(self) -> str:
        """The id a new article gets: a hash of its text (kept when the file changes later)."""
        return self.sha256[:16]

    def meta_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "author": self.author,
            "date": self.date,
            "source": self.source,
            "url": self.url,
            "path": self.path,
            "fetched": self.fetched,
            "text_sha256": self.sha256,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.meta_json(),
            "text": self.text,
            "paragraphs": [list(p) for p in self.paragraphs],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        return cls(
            text=data["text"],
            title=data.get("title") or "",
            subtitle=data.get("subtitle"),
            author=data.get("author"),
            date=data.get("date"),
            source=data.get("source"),
            url=data.get("url"),
            path=data.get("path"),
            fetched=data.get("fetched"),  # absent in files written before URLs were read
            paragraphs=tuple(tuple(p) for p in data.get("paragraphs", ())),
        )


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Paragraphs are runs of non-blank lines; spans exclude surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    pos = 0
    last_end = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            if start is None:
                start = pos + lead
            last_end = pos + len(line.rstrip())
        elif start is not None:
            spans.append((start, last_end))
            start = None
        pos += len(line)
    if start is not None:
        spans.append((start, last_end))
    return tuple(spans)
