"""Update feed subscriptions: fetch each feed, ingest its new entries, remember what was seen.

Used by ``saidwho feeds update`` and the TUI. An unchanged feed costs one conditional GET
(answered 304); an entry that failed is retried on its own, so it never costs the feed its
304. At most ``MAX_ENTRIES`` entries are read per feed, and entries are remembered as they
are stored. An entry is known, and skipped without a request, when its id or its link
was seen before in this feed or its link is an article's URL in the library; a fetched
entry whose text is already in the library is "unchanged" (ingest's text-hash check). One
failing feed or entry is reported and the rest go on.
"""

from __future__ import annotations

import dataclasses
import threading
import time
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

# Entries read per feed and update: a feed lists its latest 10-100; 50,000 would be ~15 h
MAX_ENTRIES = 300


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
    first: bool = False  # the feed's first update since it was added
    notice: str | None = None  # worth a line: the feed was cut at MAX_ENTRIES
    retrying: int = 0  # failed entries to be fetched again on their own next time

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
    first = feed.checked is None
    try:
        fetched = client.get(
            feed.url,
            accept=FEED_ACCEPT,
            etag=feed.etag,
            last_modified=feed.last_modified,
            cancel=cancel,
        )
        parsed = None if fetched.not_modified else parse_feed(fetched)
    except FetchError as exc:
        return FeedResult(feed.url, feed.label, "error", error=str(exc), first=first)
    label = feed.name or (parsed.title if parsed else None) or feed.label
    entries = list(parsed.entries) if parsed else []
    notice = None
    if len(entries) > MAX_ENTRIES:
        notice = f"the feed lists {len(entries)} entries: only its first {MAX_ENTRIES} are read"
        entries = entries[:MAX_ENTRIES]

    seen = feed.seen_keys
    remember: list[str] = []  # entries now known (their keys, one item each)
    todo: dict[str, FeedEntry | None] = {}  # link -> entry (None: a retry), each link once
    known = 0
    unlinked: list[FeedEntry] = []
    for entry in entries:
        keys = entry.keys()
        if any(_key(k) in seen for k in keys):
            known += 1
        elif entry.link is not None and library.has_url(entry.link) is not None:
            known += 1
            remember.append(_item(entry))
        elif entry.link is None:
            unlinked.append(entry)
        elif entry.link in todo:
            remember.append(_item(entry))  # listed twice under two ids
        else:
            todo[entry.link] = entry
    # entries that failed before are fetched again on their own: the feed's 304 still holds
    for link in feed.retry:
        if link not in todo and library.has_url(link) is None:
            todo[link] = None
    retried_ok = [link for link in feed.retry if link not in todo]

    events: list[IngestEvent] = []
    if unlinked:  # one line for them all: a feed of 50,000 file: links is one mistake
        first_one = unlinked[0].title or unlinked[0].id or "an entry"
        event = IngestEvent(
            feed.url,
            "error",
            error=f"{len(unlinked)} entries have no http(s) link (the first: {first_one[:60]})",
        )
        events.append(event)
        if on_entry is not None:
            on_entry(event)
    progress = _Progress(store, feed.url, todo)
    if retried_ok:
        progress.done.extend(retried_ok)
    if todo:

        def landed(event: IngestEvent) -> None:
            progress.landed(event)
            if on_entry is not None:
                on_entry(event)

        try:
            ingest_paths(
                library, list(todo), pipeline(), fetcher=client, cancel=cancel, on_event=landed
            )
        finally:  # interrupted (Ctrl-C, an error): what was stored stays remembered
            progress.flush()
    progress.flush()
    events.extend(progress.events)
    added = sum(1 for e in progress.events if e.status == "added")
    known += sum(1 for e in progress.events if e.status not in ("added", "error"))
    failed = len(unlinked) + sum(1 for e in progress.events if e.status == "error")
    cancelled = cancel is not None and cancel.is_set()
    # failed links, and on a cancel those never reached, are retried next time on their own
    retry = [link for link in todo if link in progress.failed or link not in progress.reached]
    store.record_update(
        feed.url,
        title=parsed.title if parsed else None,
        etag=fetched.etag or feed.etag,
        last_modified=fetched.last_modified or feed.last_modified,
        seen=remember,
        retry=retry,
    )
    status: FeedStatus = "cancelled" if cancelled else "updated" if added or first else "unchanged"
    return FeedResult(
        feed.url, label, status, added, known, failed, entries=tuple(events), first=first,
        notice=notice, retrying=len(retry),
    )  # fmt: skip


def _item(entry: FeedEntry) -> str:
    """How an entry is kept in ``FeedRecord.seen``: its keys on one item."""
    return "\n".join(_key(key) for key in entry.keys())  # noqa: SIM118 - not a dict


def _key(key: str) -> str:
    return key.replace("\n", " ")


class _Progress:
    """What an update has stored so far, written to feeds.json as it lands (at most twice
    a second): an interrupted update keeps every entry it stored."""

    INTERVAL = 0.5

    def __init__(self, store: FeedStore, url: str, todo: dict[str, FeedEntry | None]) -> None:
        self.store, self.url, self.todo = store, url, todo
        self.events: list[IngestEvent] = []
        self.reached: set[str] = set()
        self.failed: set[str] = set()
        self.seen: list[str] = []
        self.done: list[str] = []  # retried links that are now in the library
        self._last = time.monotonic()

    def landed(self, event: IngestEvent) -> None:
        self.events.append(event)
        self.reached.add(event.path)
        if event.path not in self.todo:
            return
        if event.status == "error":
            self.failed.add(event.path)
            return
        entry = self.todo[event.path]
        if entry is not None:
            self.seen.append(_item(entry))
        self.done.append(event.path)
        if time.monotonic() - self._last > self.INTERVAL:
            self.flush()

    def flush(self) -> None:
        if self.seen or self.done:
            self.store.remember(self.url, self.seen, self.done)
        self.seen, self.done = [], []
        self._last = time.monotonic()
