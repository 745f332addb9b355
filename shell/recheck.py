"""Read articles again from their source and keep what changed: ``recheck``.

An article read from a file is read from it again; a page is asked for again with a
conditional GET (the ETag and Last-Modified of its current version). A 304, or a text
that is the same, is "unchanged" and adds nothing; a new text is attributed and saved as
the article's next version (its bytes archived), and the event says what changed in its
quotes ("2 quotes altered, 1 removed"). The fetches run a few at once under the fetcher's
limits, like ingest; parsing and saving run here, one article at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from saidwho.extract_stream import attribute_parallel
from saidwho.readers import read_article_capture
from saidwho.readers.capture import Page
from saidwho.readers.common import ReadError
from saidwho.readers.fetch import Fetched, Fetcher, FetchError, page_of
from saidwho.store.errors import LibraryError
from saidwho.store.records import now
from saidwho.store.versions import LastCheck

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.store import Library

__all__ = ["RecheckEvent", "recheck", "web_articles"]

Status = Literal["unchanged", "changed", "error"]


@dataclass(frozen=True)
class RecheckEvent:
    """What rechecking one article found (``saidwho recheck --json``)."""

    article_id: str
    url: str  # or the path of a file
    status: Status
    summary: str  # "unchanged", "2 quotes altered, 1 removed", or the error
    version: int | None = None  # the current version after the check
    http_status: int | None = None  # 200 or 304; None when the fetch failed
    quotes_changed: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "url": self.url,
            "status": self.status,
            "summary": self.summary,
            "version": self.version,
            "http_status": self.http_status,
            "quotes_changed": self.quotes_changed,
        }


def web_articles(library: Library) -> list[str]:
    """Every article read from a URL (``recheck --all``), newest first."""
    return [a.id for a in library.articles(named=False) if a.url and not a.path]


Read = Fetched | Page | str  # a response, a file read again, or why there is neither


def recheck(
    library: Library,
    article_ids: Sequence[str],
    load_nlp: Callable[[], Language | str | None],
    *,
    fetcher: Fetcher | None = None,
    on_event: Callable[[RecheckEvent], object] | None = None,
    cancel: threading.Event | None = None,
) -> list[RecheckEvent]:
    """Recheck each article, in order; one event each. ``load_nlp`` is called once, and
    only when some page changed."""
    client = fetcher or Fetcher()
    nlp: list[Language | str | None] = []
    events: list[RecheckEvent] = []

    def emit(event: RecheckEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    def pipeline() -> Language | str | None:
        if not nlp:
            nlp.append(load_nlp())
        return nlp[0]

    try:
        for article_id, url, result in _fetch_all(library, article_ids, client, cancel):
            if cancel is not None and cancel.is_set():
                break
            if isinstance(result, str):
                emit(RecheckEvent(article_id, url, "error", result))
                continue
            try:
                emit(_settle(library, article_id, url, result, pipeline))
            except (ReadError, LibraryError) as exc:
                status = result.status if isinstance(result, Fetched) else None
                emit(RecheckEvent(article_id, url, "error", str(exc), http_status=status))
    finally:
        if fetcher is None:
            client.close()
    return events


def _fetch_all(
    library: Library,
    article_ids: Sequence[str],
    client: Fetcher,
    cancel: threading.Event | None,
) -> Iterator[tuple[str, str, Read]]:
    """(article id, URL or path, what was read), in input order."""

    def one(article_id: str) -> tuple[str, str, Read]:
        try:
            fetched_url, etag, modified = library.fetch_validators(article_id)
            summary = library.summary(article_id)
        except LibraryError as exc:
            return article_id, "", str(exc)
        if summary.path:
            try:
                return article_id, summary.path, Page(*read_article_capture(summary.path))
            except ReadError as exc:
                return article_id, summary.path, str(exc)
        url = fetched_url or summary.url or ""
        if not url:
            return article_id, "", "neither a file nor a URL to read again"
        if cancel is not None and cancel.is_set():
            return article_id, url, "cancelled"
        try:
            return (
                article_id,
                url,
                client.get(url, etag=etag, last_modified=modified, cancel=cancel),
            )
        except FetchError as exc:
            return article_id, url, str(exc)

    with ThreadPoolExecutor(max_workers=max(1, client.limits.concurrency)) as pool:
        yield from pool.map(one, article_ids)


def _settle(
    library: Library,
    article_id: str,
    url: str,
    read: Fetched | Page,
    pipeline: Callable[[], Language | str | None],
) -> RecheckEvent:
    current = library.versions(article_id)[-1]
    status = None if isinstance(read, Page) else read.status
    if isinstance(read, Fetched) and read.not_modified:
        return _unchanged(library, article_id, url, current.version, 304)
    page = read if isinstance(read, Page) else page_of(read)
    if page.article.sha256 == current.text_sha256:
        return _unchanged(library, article_id, url, current.version, status)
    # filed under the article's own URL: a page that changed its canonical link is still
    # the same article
    if isinstance(read, Fetched):
        article = replace(page.article, url=library.summary(article_id).url or page.article.url)
    else:
        article = page.article
    [(_, quotes, error)] = list(attribute_parallel(pipeline(), [(article.text, article)], 1))
    if quotes is None:
        raise LibraryError(error or "attribution failed")
    [(saved_id, saved)] = library.save_articles([(article, quotes)], captures=[page.capture])
    if saved_id != article_id or saved == "unchanged":
        # the new text is another article's: nothing of this one changed
        return _unchanged(library, article_id, url, current.version, status)
    found = library.diff(article_id)
    check = LastCheck(now(), "changed", found.quotes_changed, found.summary())
    library.record_check(article_id, check)
    return RecheckEvent(
        article_id,
        url,
        "changed",
        found.summary(),
        found.to_version,
        status,
        found.quotes_changed,
    )


def _unchanged(
    library: Library, article_id: str, url: str, version: int, http_status: int | None
) -> RecheckEvent:
    library.record_check(article_id, LastCheck(now(), "unchanged"))
    return RecheckEvent(article_id, url, "unchanged", "unchanged", version, http_status)
