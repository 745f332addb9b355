"""The quotes as the reviewer sees them, and the reviewer's verdicts on them (table
``reviews`` in notes.json): confirmed, disputed, or corrected (another speaker or kind).

A review record keeps the words it was made on, like a note, so it follows its quote when
the text changes (store/anchoring.py). ``views.revise_review`` is the one code path from a
reviewer's action to the record, shared with ``preview_review`` (the reader shows first).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from tinydb.table import Document

from saidwho.core import settings
from saidwho.core.quote import KINDS
from saidwho.core.text import squash
from saidwho.store import records, versions
from saidwho.store.anchoring import select
from saidwho.store.errors import LibraryError, NotFoundError
from saidwho.store.files import LibraryFiles
from saidwho.store.quote_map import MapDamaged
from saidwho.store.records import ReviewRecord
from saidwho.store.shape import to_doc
from saidwho.store.shards import key_id
from saidwho.store.speakers import Named, Speakers
from saidwho.store.storage import Tables
from saidwho.store.views import UNSET, QuoteView, revise_review


def default_reviewer() -> str:
    """Who a review is by: ``$SAIDWHO_REVIEWER``, else the login name."""
    name = settings.reviewer()
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "reviewer"
    return squash(name) or "reviewer"


def fresh_review(
    article_id: str,
    quote: dict[str, Any],
    article: dict[str, Any],
    stamp: str,
    version: int | None = None,
) -> dict[str, Any]:
    """The record of a quote not reviewed before, with the words it is on (to re-anchor)
    and the article version it was reviewed on."""
    sel = select(article["text"], quote["start"], quote["end"])
    record = ReviewRecord(
        article_id=article_id,
        quote_id=quote["id"],
        created=stamp,
        start=sel.start,
        end=sel.end,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        text_sha256=article["text_sha256"],
        version=version,
    )
    return to_doc(record)


class Reviews:
    """The quotes-and-reviews part of a library."""

    def __init__(self, files: LibraryFiles, speakers: Speakers) -> None:
        self.files = files
        self.speakers = speakers

    def _merged_quotes(
        self,
        article_id: str,
        body: Tables,
        reviews: list[dict[str, Any]],
        named: bool = True,
        of_library: Named | None = None,
    ) -> list[QuoteView]:
        by_quote = {r["quote_id"]: r for r in reviews if not r.get("orphaned")}
        of: Callable[[str | None], str | None] | None = None
        if of_library is not None:
            of = partial(of_library.of, article_id)
        elif named:
            of = self.speakers.namer(article_id, reviews)
        out = []
        for q in records.body_quotes(body):
            view = QuoteView.from_stored(q, article_id, by_quote.get(q["id"]))
            identity = of(view.speaker) if of else None
            out.append(replace(view, identity=identity) if identity else view)
        return out

    def quotes(self, article_id: str, *, named: bool = True) -> list[QuoteView]:
        """The article's quotes (``Quote.to_json``) with the reviewer's verdict applied.
        ``named=False``: without the library's speaker identities (``identity`` is None),
        which are built from the whole catalog -- for callers that do not show them."""
        if named:  # the speaker index checked first, outside the mutex (it may lock)
            self.speakers.ensure_article(article_id)
        with self.files.mutex:
            body = self.files.body(article_id)
            return self._merged_quotes(article_id, body, self.files.reviews_of(article_id), named)

    def all_quotes(
        self,
        speaker: str | None = None,
        *,
        on_error: Callable[[str, LibraryError], None] | None = None,
    ) -> list[QuoteView]:
        """Quotes across the library; ``speaker`` matches the effective speaker, any case.

        With a speaker, only the articles whose catalog counts mention them are opened.
        An article file that is damaged or missing raises, unless ``on_error`` is given: then
        it is called with the article id and the error, and the other articles' quotes are
        still returned (one bad file must not hide the whole library).
        """
        identities = self.speakers.identities()  # (before the mutex: it may build the index)
        with self.files.mutex:
            units: set[tuple[str, str]] | None = None
            if speaker is not None:
                found = identities.find(speaker)
                units = identities.units(found) if found else set()
            reviews = self.files.reviews_by_article()
            out: list[QuoteView] = []
            # the order of articles(): newest first, then text order within an article
            for entry in self.files.newest_first():
                aid = entry["id"]
                if entry.get("body_missing") or not entry.get("quotes"):
                    continue
                if units is not None and not units:
                    break  # a name nobody in the library has
                if units is not None:
                    counts = records.speaker_counts(entry, reviews.get(aid, []))
                    if not any((aid, name.casefold()) in units for name in counts):
                        continue
                try:
                    body = self.files.body(aid, entry)
                except LibraryError as exc:
                    if on_error is None:
                        raise
                    on_error(aid, exc)
                    continue
                for q in self._merged_quotes(
                    aid, body, reviews.get(aid, []), of_library=identities
                ):
                    name = squash(q.speaker).casefold()
                    if units is None or (aid, name) in units:
                        out.append(q)
        return out

    def review_quote(
        self,
        article_id: str,
        quote_id: str,
        *,
        disputed: bool | None = None,
        speaker: str | None = UNSET,
        confirmed: bool | None = None,
        kind: str | None = UNSET,
        revert: bool = False,
        reviewer: str | None = None,
        at: str | None = None,
        named: bool = True,
    ) -> QuoteView:
        """Record a reviewer's verdict on a quote; returns the quote as ``quotes()`` shows it.

        ``confirmed``/``disputed``: True sets that verdict (confirming clears a dispute),
        False withdraws it, None leaves it. ``speaker``/``kind``: UNSET leaves it, a value
        corrects the quote (it wins over the machine's guess, also after re-ingest; a
        corrected quote is no longer disputed), None removes the correction. ``revert``: back
        to the machine's speaker and kind. ``reviewer``: who (default ``default_reviewer()``);
        ``at``: when (ISO 8601; default now, given by ``notes import``). ``named=False``:
        the quote returned without the library's speaker identity (built from the whole
        catalog), for callers that do not show it; the write is the same.
        """
        if speaker is not UNSET and speaker is not None:
            if not isinstance(speaker, str) or not speaker.strip():
                raise ValueError("speaker must be a non-empty name (or None to clear it)")
            speaker = squash(speaker)
        if kind is not UNSET and kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if confirmed and disputed:
            raise ValueError("a quote cannot be confirmed and disputed at once")
        table = self.files.user_table("reviews", article_id)
        with self.files.locked():
            body = self.files.body(article_id)
            quote = next((q for q in records.body_quotes(body) if q["id"] == quote_id), None)
            if quote is None:
                raise NotFoundError(f"article {article_id} has no quote {quote_id!r}")
            doc_id = records.review_doc_id(article_id, quote_id)
            stamp = records.now()
            review = dict(table.get(doc_id=doc_id) or {}) or fresh_review(
                article_id,
                quote,
                records.body_article(body),
                stamp,
                versions.current_version(self.files, article_id),
            )
            review = revise_review(
                review,
                quote.get("speaker"),
                quote["kind"],
                confirmed=confirmed,
                disputed=disputed,
                speaker=speaker,
                kind=kind,
                revert=revert,
                reviewer=reviewer or default_reviewer(),
                at=at or stamp,
                stamp=stamp,
            )
            reassigns = speaker is not UNSET or revert
            if reassigns:  # the speaker index lists the article as changing, then updates it
                self.speakers.before_change([article_id])
            table.upsert(Document(review, doc_id=doc_id))
            if reassigns:
                self.speakers.after_change([article_id])
            # the article's reviews (this one included) name its speakers
            mine = self.files.reviews_of(article_id)
            merged = self._merged_quotes(article_id, body, mine, named)
        return next(q for q in merged if q.id == quote_id)

    def reviewed_quotes(self, article_id: str | None = None) -> list[QuoteView]:
        """Quotes with a review record (any state), opening only the articles that have one:
        of one article in text order, or of the whole library in ``articles()`` order."""
        with self.files.mutex:
            reviews = self.files.reviews_by_article()
            if article_id is not None:
                ids = [article_id] if article_id in reviews else []
            else:
                ids = [e["id"] for e in self.files.newest_first() if e["id"] in reviews]
            out: list[QuoteView] = []
            for aid in ids:
                live = {r["quote_id"] for r in reviews[aid] if not r.get("orphaned")}
                body = self.files.body(aid)
                out += [q for q in self._merged_quotes(aid, body, reviews[aid]) if q.id in live]
        return out

    def quote_ids_starting(self, prefix: str) -> list[tuple[str, str]]:
        """(quote id, article id) of every quote whose id starts with ``prefix`` (any case),
        sorted, from the quote map (store/quote_map.py): no article file is opened. A
        library without a usable map (written before it existed, or its map deleted or
        damaged) has it built first, once, under the lock; a library that cannot be
        written (read-only) is searched article by article instead."""
        wanted = (prefix or "").strip().lower()
        qmap = self.files.quote_map
        with self.files.mutex:
            try:
                return qmap.starting(wanted)
            except MapDamaged:
                pass
        try:
            with self.files.locked():
                try:  # another process may have built it while we waited for the lock
                    return qmap.starting(wanted)
                except MapDamaged:
                    # the ids from the index: the shards (the whole catalog) are not read
                    rows = self.files.catalog_storage.rows()
                    qmap.build(aid for aid in map(key_id, rows) if aid is not None)
                return qmap.starting(wanted)
        except LibraryError:
            pass  # read-only, or locked by a long write: the map cannot be built now
        # so every article file is opened, as before the map
        quotes = self.all_quotes(on_error=lambda _aid, _exc: None)
        return sorted((q.id, q.article_id) for q in quotes if q.id.startswith(wanted))

    def quote(self, article_id: str, quote_id: str, *, named: bool = True) -> QuoteView:
        """One quote of one article, as ``quotes()`` shows it (NotFoundError: none such)."""
        for q in self.quotes(article_id, named=named):
            if q.id == quote_id:
                return q
        raise NotFoundError(f"article {article_id} has no quote {quote_id!r}")

    def resolve_quote(self, prefix: str) -> QuoteView:
        """The one quote in the library whose id starts with ``prefix`` (any case), found
        through the quote map: only the article that holds it is opened."""
        wanted = (prefix or "").strip().lower()
        if not wanted:
            raise NotFoundError("an empty id matches no quote")
        matches = dict(self.quote_ids_starting(wanted))
        if wanted in matches:
            return self.quote(matches[wanted], wanted)
        if not matches:
            raise NotFoundError(f"no quote id starts with {prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(sorted(matches)[:5])
            raise LibraryError(f"quote id prefix {prefix!r} is ambiguous ({shown}, ...)")
        qid, aid = next(iter(matches.items()))
        return self.quote(aid, qid)
