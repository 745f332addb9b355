"""Feed subscriptions, kept in the library directory as ``feeds.json``.

Written like notes: under the library's lock, to a temp file that is fsynced and renamed over
the old one (the previous copy kept as ``feeds.json.bak``), so a crash leaves the old list or
the new one, never half of either. Laid out as TinyDB tables (``meta``, ``feeds``) so
``doctor`` checks and restores it with the same tools as the other files.

    from saidwho.store.feeds import FeedStore
    feeds = FeedStore(library)
    feeds.add("https://example.com/rss", name="Example")
    for feed in feeds.feeds(): ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store import records
from saidwho.store.errors import CorruptFileError, LibraryError, NotFoundError
from saidwho.store.shape import from_doc, to_doc
from saidwho.store.storage import Tables, atomic_write, dumps, read_tables
from saidwho.store.validate import problem, schema_of

if TYPE_CHECKING:
    from saidwho.store.library import Library

FEEDS = "feeds.json"
FEEDS_VERSION = 1
# Entry keys remembered per feed; a feed lists its latest 10-100 items, so this is years.
SEEN_MAX = 5000
RETRY_MAX = 100  # failed entries retried per feed (more is a broken feed, said once a run)


@dataclass(frozen=True)
class FeedRecord:
    url: str
    name: str | None  # the user's name for it
    title: str | None  # the feed's own title, from its last update
    added: str = ""
    checked: str | None = None  # last successful update (ISO 8601 UTC)
    etag: str | None = None
    last_modified: str | None = None
    # the entries already ingested, one item each: its keys (FeedEntry.keys) joined by a
    # newline (libraries from before kept one key per item)
    seen: tuple[str, ...] = ()
    retry: tuple[str, ...] = ()  # links of entries that failed: retried on their own

    @property
    def label(self) -> str:
        return self.name or self.title or self.url

    @property
    def seen_keys(self) -> set[str]:
        """Every key of every entry seen."""
        return {key for item in self.seen for key in item.split("\n")}

    def to_json(self, *, with_seen: bool = True) -> dict[str, Any]:
        """The record as stored (``with_seen``), or as ``feeds list`` shows it: the entries
        counted, not listed."""
        data = to_doc(self)
        if not with_seen:
            del data["seen"], data["retry"]
            data["entries_seen"] = len(self.seen)
            data["entries_to_retry"] = len(self.retry)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedRecord:
        """A stored record, checked against the shape (ValueError: what is wrong)."""
        reason = problem(data, _SCHEMA)
        if reason is not None:
            raise ValueError(reason)
        return from_doc(cls, data)


_SCHEMA = schema_of(FeedRecord)


def records_of(tables: Tables, path: Path) -> list[FeedRecord]:
    """The subscriptions in a parsed ``feeds.json``, in the order added; CorruptFileError
    (LibraryError for a newer format) when they cannot be read."""
    meta = tables.get("meta", {}).get("1", {})
    if int(meta.get("version", 1)) > FEEDS_VERSION:
        raise LibraryError(f"{path} was written by a newer saidwho; upgrade saidwho")
    try:
        docs = sorted(tables.get("feeds", {}).items(), key=lambda kv: int(kv[0]))
        return [FeedRecord.from_json(doc) for _, doc in docs]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptFileError(path, f"malformed feed record ({exc!r})") from None


def feeds_ok(tables: Tables) -> bool:
    """For ``doctor``: does a parsed ``feeds.json`` hold readable subscriptions?"""
    try:
        records_of(tables, Path(FEEDS))
    except LibraryError:
        return False
    return True


class FeedStore:
    """The subscriptions of one library. Every change is a locked read-modify-write."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.path = library.root / FEEDS

    def _read(self) -> list[FeedRecord]:
        tables = read_tables(self.path)
        if tables is None:
            return []
        return records_of(tables, self.path)

    def _write(self, feeds: list[FeedRecord]) -> None:
        tables = {
            "meta": {"1": {"version": FEEDS_VERSION}},
            "feeds": {str(i): f.to_json() for i, f in enumerate(feeds, 1)},
        }
        atomic_write(self.path, dumps(tables))

    def feeds(self) -> list[FeedRecord]:
        """Subscriptions in the order they were added."""
        return self._read()

    def get(self, url: str) -> FeedRecord:
        for feed in self._read():
            if feed.url == url:
                return feed
        raise NotFoundError(f"not subscribed to {url}")

    def add(self, url: str, name: str | None = None) -> FeedRecord:
        with self.library.files.locked():  # the library's own lock, shared with notes
            feeds = self._read()
            if any(f.url == url for f in feeds):
                raise LibraryError(f"already subscribed to {url}")
            feed = FeedRecord(url=url, name=name or None, title=None, added=records.now())
            self._write([*feeds, feed])
            return feed

    def remove(self, url: str) -> FeedRecord:
        with self.library.files.locked():
            feeds = self._read()
            kept = [f for f in feeds if f.url != url]
            if len(kept) == len(feeds):
                raise NotFoundError(f"not subscribed to {url}")
            self._write(kept)
            return next(f for f in feeds if f.url == url)

    def record_update(
        self,
        url: str,
        *,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        seen: Iterable[str] = (),
        retry: Iterable[str] = (),
    ) -> FeedRecord:
        """Remember an update: the feed's title, its cache validators, the entries now in
        the library (``seen``) and the links of those that failed (``retry``: they are
        fetched again on their own, so the feed keeps its conditional GET)."""
        return self._change(
            url,
            lambda feed: replace(
                feed,
                title=title or feed.title,
                checked=records.now(),
                etag=etag,
                last_modified=last_modified,
                seen=_merged(feed.seen, seen),
                retry=tuple(dict.fromkeys(retry))[:RETRY_MAX],
            ),
        )

    def remember(self, url: str, seen: Iterable[str], done: Iterable[str] = ()) -> FeedRecord:
        """Entries stored during an update (``done``: retried links that worked), kept as
        they land: an interrupted update loses none of them."""
        finished = set(done)
        return self._change(
            url,
            lambda feed: replace(
                feed,
                seen=_merged(feed.seen, seen),
                retry=tuple(link for link in feed.retry if link not in finished),
            ),
        )

    def _change(self, url: str, change: Callable[[FeedRecord], FeedRecord]) -> FeedRecord:
        with self.library.files.locked():
            feeds = self._read()
            for i, feed in enumerate(feeds):
                if feed.url == url:
                    feeds[i] = change(feed)
                    self._write(feeds)
                    return feeds[i]
            raise NotFoundError(f"not subscribed to {url}")


def _merged(old: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    known = dict.fromkeys(old)
    known.update(dict.fromkeys(new))
    return tuple(known)[-SEEN_MAX:]
