"""Update feed subscriptions: fetch each feed, ingest its new entries, remember what was seen.

Used by ``saidwho feeds update`` and the TUI. An unchanged feed costs one conditional GET
(answered 304). An entry is known, and skipped without a request, when its id or its link
was seen before in this feed or its link is an article's URL in the library; a fetched
entry whose text is already in the library is "unchanged" (ingest's text-hash check). One
failing feed or entry is reported and the rest go on.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from saidwho.ingest import IngestEvent, ingest_paths
from saidwho.readers.feeds import FEED_ACCEPT, FeedEntry, parse_feed
from saidwho.readers.fetch import Fetcher, FetchError
from saidwho.store.feeds import FeedRecord, FeedStore

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.store import Library

FeedStatus = Literal["updated", "unchanged", "error", "cancelled"]


@dataclass(frozen=True)
class FeedResult:
    """What one feed's update did. ``entries`` holds one ingest event per fetched entry."""

    url: str
    label: str
    status: FeedStatus
    added: int = 0  # new articles
    known: int = 0  # entries skipped: seen before, or already in the library
    failed: int = 0  # entries that could not be fetched or read
    error: str | None = None  # the feed itself failed
    entries: tuple[IngestEvent, ...] = field(default=())

    @property
    def path(self) -> str:
        """What failed, for screens that show ingest events and feed results alike."""
        return self.url

    def to_json(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["entries"] = [e.to_json() for e in self.entries]
        return data


def update_feeds(
    library: Library,
    load_nlp: Callable[[], Language],
    *,
    urls: Sequence[str] | None = None,
    fetcher: Fetcher | None = None,
    on_entry: Callable[[IngestEvent], None] | None = None,
    on_feed: Callable[[FeedResult], object] | None = None,
    cancel: threading.Event | None = None,
) -> list[FeedResult]:
    """Update the given subscriptions (all when ``urls`` is None), in the order added.

    ``load_nlp`` is called once, and only when some feed has a new entry: a library whose
    feeds are all unchanged never loads spaCy.
    """
    store = FeedStore(library)
    feeds = store.feeds()
    if urls is not None:
        wanted = set(urls)
        feeds = [f for f in feeds if f.url in wanted]
    nlp: list[Language] = []

    def pipeline() -> Language:
        if not nlp:
            nlp.append(load_nlp())
        return nlp[0]

    client = fetcher or Fetcher()
    results: list[FeedResult] = []
    try:
        for feed in feeds:
            if cancel is not None and cancel.is_set():
                result = FeedResult(feed.url, feed.label, "cancelled")
            else:
                result = _update_one(store, feed, client, pipeline, on_entry, cancel)
            results.append(result)
            if on_feed is not None:
                on_feed(result)
    finally:
        if fetcher is None:
            client.close()
    return results


def _update_one(
    store: FeedStore,
    feed: FeedRecord,
    client: Fetcher,
    pipeline: Callable[[], Language],
    on_entry: Callable[[IngestEvent], None] | None,
    cancel: threading.Event | None,
) -> FeedResult:
    library = store.library
    try:
        fetched = client.get(
            feed.url,
            accept=FEED_ACCEPT,
            etag=feed.etag,
            last_modified=feed.last_modified,
            cancel=cancel,
        )
        if fetched.not_modified:
            store.record_update(
                feed.url,
                etag=fetched.etag or feed.etag,
                last_modified=fetched.last_modified or feed.last_modified,
            )
            return FeedResult(feed.url, feed.label, "unchanged")
        parsed = parse_feed(fetched)
    except FetchError as exc:
        return FeedResult(feed.url, feed.label, "error", error=str(exc))
    label = feed.name or parsed.title or feed.url

    seen = set(feed.seen)
    remember: list[str] = []
    todo: dict[str, FeedEntry] = {}  # link -> entry, in feed order, each link once
    known = 0
    events: list[IngestEvent] = []
    for entry in parsed.entries:
        keys = entry.keys()
        if any(k in seen for k in keys):
            known += 1
        elif entry.link is not None and library.has_url(entry.link) is not None:
            known += 1
            remember.extend(keys)
        elif entry.link is None:
            name = entry.title or entry.id or "an entry"
            event = IngestEvent(name, "error", error="feed entry has no http(s) link")
            events.append(event)
            if on_entry is not None:
                on_entry(event)
        elif entry.link in todo:
            remember.extend(keys)  # listed twice under two ids
        else:
            todo[entry.link] = entry

    if todo:
        events.extend(
            ingest_paths(
                library,
                list(todo),
                pipeline(),
                fetcher=client,
                cancel=cancel,
                on_event=on_entry,
            )
        )
    added = 0
    failed = 0
    for event in events:
        entry_for = todo.get(event.path)
        if event.status == "error":
            failed += 1
        elif entry_for is not None:
            remember.extend(entry_for.keys())
            if event.status == "added":
                added += 1
            else:
                known += 1
    cancelled = cancel is not None and cancel.is_set()
    # With failures (or a cancel) the validators are dropped so the next update re-reads
    # the feed and retries the entries that failed, instead of getting a 304.
    store.record_update(
        feed.url,
        title=parsed.title,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        seen=remember,
        validators=not failed and not cancelled and len(events) >= len(todo),
    )
    status: FeedStatus = "cancelled" if cancelled else "updated" if added else "unchanged"
    return FeedResult(feed.url, label, status, added, known, failed, entries=tuple(events))
