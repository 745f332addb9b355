"""Re-fetch articles read from the web and keep what changed: ``recheck``.

Each article's page is asked for again with a conditional GET (the ETag and Last-Modified
of its current version): a 304, or a page whose text is the same, is "unchanged" and adds
nothing; a new text is attributed and saved as the article's next version (its bytes
archived), and the event says what changed in its quotes ("2 quotes altered, 1 removed").
The fetches run a few at once under the fetcher's limits, like ingest; parsing and saving
run here, one article at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from saidwho.extract_stream import attribute_parallel
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
    url: str
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
                emit(RecheckEvent(article_id, url, "error", str(exc), http_status=result.status))
    finally:
        if fetcher is None:
            client.close()
    return events


def _fetch_all(
    library: Library,
    article_ids: Sequence[str],
    client: Fetcher,
    cancel: threading.Event | None,
) -> Iterator[tuple[str, str, Fetched | str]]:
    """(article id, URL, the response or why there is none), in input order."""

    def one(article_id: str) -> tuple[str, str, Fetched | str]:
        try:
            fetched_url, etag, modified = library.fetch_validators(article_id)
            url = fetched_url or library.summary(article_id).url or ""
        except LibraryError as exc:
            return article_id, "", str(exc)
        if not url:
            return article_id, "", "not read from a URL (nothing to recheck)"
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
    fetched: Fetched,
    pipeline: Callable[[], Language | str | None],
) -> RecheckEvent:
    current = library.versions(article_id)[-1]
    if fetched.not_modified:
        return _unchanged(library, article_id, url, current.version, 304)
    page = page_of(fetched)
    if page.article.sha256 == current.text_sha256:
        return _unchanged(library, article_id, url, current.version, fetched.status)
    # filed under the article's own URL: a page that changed its canonical link is still
    # the same article
    article = replace(page.article, url=library.summary(article_id).url or page.article.url)
    [(_, quotes, error)] = list(attribute_parallel(pipeline(), [(article.text, article)], 1))
    if quotes is None:
        raise LibraryError(error or "attribution failed")
    [(saved_id, status)] = library.save_articles([(article, quotes)], captures=[page.capture])
    if saved_id != article_id or status == "unchanged":
        # the new text is another article's: nothing of this one changed
        return _unchanged(library, article_id, url, current.version, fetched.status)
    found = library.diff(article_id)
    check = LastCheck(now(), "changed", found.quotes_changed, found.summary())
    library.record_check(article_id, check)
    return RecheckEvent(
        article_id,
        url,
        "changed",
        found.summary(),
        found.to_version,
        fetched.status,
        found.quotes_changed,
    )


def _unchanged(
    library: Library, article_id: str, url: str, version: int, http_status: int
) -> RecheckEvent:
    library.record_check(article_id, LastCheck(now(), "unchanged"))
    return RecheckEvent(article_id, url, "unchanged", "unchanged", version, http_status)
