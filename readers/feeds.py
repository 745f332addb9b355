"""RSS 0.9x/1.0/2.0 and Atom feeds: bytes in (fetched by ``readers.fetch``), entries out.

feedparser only parses here: it is handed bytes, never a URL, so every request goes through
saidwho's one polite HTTP client with its limits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from saidwho.readers.common import squash
from saidwho.readers.fetch import HTML_TYPES, Fetched, FetchError, is_url

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


class FeedError(FetchError):
    """A response that is not a usable feed; ``str(err)`` is one line."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: what is needed to fetch it and to know it again."""

    id: str | None  # <guid> / <id>, as the feed gives it
    link: str | None  # the article's URL (absolute, http/https)
    title: str | None
    published: str | None

    def keys(self) -> tuple[str, ...]:
        """How this entry is recognised later: its id, then its link."""
        keys = []
        if self.id:
            keys.append("id:" + self.id)
        if self.link:
            keys.append("link:" + self.link)
        if not keys and self.title:  # neither: the title is all there is
            keys.append("title:" + hashlib.sha256(self.title.encode()).hexdigest()[:16])
        return tuple(keys)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    kind: str  # feedparser's version: rss20, rss10, rss091u, atom10, ...
    entries: tuple[FeedEntry, ...]


def parse_feed(fetched: Fetched) -> ParsedFeed:
    """Parse a fetched feed, or FeedError: not a feed at all, or too broken to hold entries."""
    import feedparser

    headers = {"content-location": fetched.final_url}
    if fetched.media_type:
        charset = f"; charset={fetched.charset}" if fetched.charset else ""
        headers["content-type"] = fetched.media_type + charset
    data: Any = feedparser.parse(fetched.body, response_headers=headers)
    entries = tuple(_entry(e) for e in data.entries)
    if not data.get("version"):
        head = fetched.body[:512].lstrip().lower()
        if fetched.media_type in HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
            raise FeedError("not an RSS or Atom feed (it is an HTML page)")
        if data.get("bozo"):
            raise FeedError(f"malformed feed ({_reason(data.get('bozo_exception'))})")
        raise FeedError("not an RSS or Atom feed")
    if data.get("bozo") and not entries:
        raise FeedError(f"malformed feed ({_reason(data.get('bozo_exception'))})")
    title = squash(str(data.feed.get("title") or "")) or None
    return ParsedFeed(title=title, kind=str(data.version), entries=entries)


def _reason(exc: object) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0] if text else "unreadable"


def _entry(raw: Any) -> FeedEntry:
    link = raw.get("link")
    if not is_url(link):
        # Atom: several <link>s; the alternate one is the article
        link = next(
            (
                candidate.get("href")
                for candidate in raw.get("links", ())
                if candidate.get("rel", "alternate") == "alternate"
                and is_url(candidate.get("href"))
            ),
            None,
        )
    entry_id = raw.get("id")
    return FeedEntry(
        id=squash(entry_id) if isinstance(entry_id, str) and entry_id.strip() else None,
        link=link.strip() if isinstance(link, str) else None,
        title=squash(str(raw.get("title") or "")) or None,
        published=raw.get("published") or raw.get("updated") or None,
    )
