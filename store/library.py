"""The library: a directory of TinyDB files, safe against crashes and other processes.

``Library`` is a small front over parts split by concern, each in its own module:

    store/files.py     LibraryFiles: the directory, locks, schema-checked reads, cached views
    store/catalog.py   Catalog: saving and reading articles, summaries, ids, read marks
    store/notes.py     NoteBook: the reviewer's notes
    store/reviews.py   Reviews: quotes with the reviewer's verdicts applied, and verdicts
    store/speakers.py  Speakers: speaker identities and the reviewer's speaker decisions
    store/feeds.py     FeedStore: feed subscriptions (feeds.json)
    store/trails.py    quote trails (trails.json)

The catalog is derived data: ``doctor`` can rebuild it from the article files. User state
(notes, reviews, read marks, speaker decisions) lives only in the notes shards (notes/,
store/note_shards.py), so saving a note rewrites its article's shard alone: neither the
catalog, nor any article text, nor another article's notes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from platformdirs import user_data_dir

from saidwho.core import settings
from saidwho.store.catalog import Catalog
from saidwho.store.errors import RecordError
from saidwho.store.files import LibraryFiles
from saidwho.store.notes import NoteBook, draft_edit, draft_note
from saidwho.store.provenance import Provenance
from saidwho.store.reviews import Reviews, default_reviewer
from saidwho.store.speakers import Speakers

__all__ = ["Library", "default_library_dir", "default_reviewer", "draft_edit", "draft_note"]

P = ParamSpec("P")
R = TypeVar("R")


def default_library_dir() -> Path:
    """``$SAIDWHO_DB`` if set, else the platform's per-user data dir (``user_data_dir``)."""
    env = settings.library_dir()
    if env:
        return env
    return Path(user_data_dir("saidwho"))


class _By(Generic[P, R]):
    """A public method of ``Library`` that one of its parts carries out: ``lib.add_note``
    is ``lib._notes.add_note`` (same signature, same docstring)."""

    def __init__(self, part: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.part = part
        self.name = method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, obj: None, owner: type) -> _By[P, R]: ...

    @overload
    def __get__(self, obj: object, owner: type) -> Callable[P, R]: ...

    def __get__(self, obj: object | None, owner: type) -> Any:
        if obj is None:
            return self
        method: Callable[P, R] = getattr(getattr(obj, self.part), self.name)
        return method


class Library:
    """A saidwho library directory. Thread-safe; several processes may share one directory."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 60.0) -> None:
        self.root = Path(path).expanduser()
        #: the files, locks and caches every part shares: for the store's own modules
        #: (trails, feeds), not for callers
        self.files = LibraryFiles(self.root, lock_timeout=lock_timeout)
        self._speakers = Speakers(self.files)
        self._catalog = Catalog(self.files, self._speakers)
        self._notes = NoteBook(self.files)
        self._reviews = Reviews(self.files, self._speakers)
        self._provenance = Provenance(self.files)

    def __repr__(self) -> str:
        return f"Library({str(self.root)!r})"

    @property
    def record_errors(self) -> list[RecordError]:
        """Records skipped because they have the wrong shape, in the files read so far: one
        line each for the user (the rest of the library works without them)."""
        return self.files.record_errors

    @property
    def identities_built(self) -> bool:
        """Whether this instance has built the speaker identities (listing the library from
        a current speaker-names.json builds none)."""
        return self._speakers.built

    # catalog and articles (store/catalog.py)
    is_empty = _By("_catalog", Catalog.is_empty)
    has_text = _By("_catalog", Catalog.has_text)
    has_url = _By("_catalog", Catalog.has_url)
    save_article = _By("_catalog", Catalog.save_article)
    save_articles = _By("_catalog", Catalog.save_articles)
    article = _By("_catalog", Catalog.article)
    articles = _By("_catalog", Catalog.articles)
    summary = _By("_catalog", Catalog.summary)
    resolve_id = _By("_catalog", Catalog.resolve_id)
    mark_read = _By("_catalog", Catalog.mark_read)

    # versions, diffs, the archive and rechecks (store/provenance.py)
    versions = _By("_provenance", Provenance.versions)
    version_text = _By("_provenance", Provenance.version_text)
    diff = _By("_provenance", Provenance.diff)
    archived = _By("_provenance", Provenance.archived)
    last_check = _By("_provenance", Provenance.last_check)
    record_check = _By("_provenance", Provenance.record_check)
    fetch_validators = _By("_provenance", Provenance.validators)
    version_header = _By("_provenance", Provenance.header)
    version_view = _By("_provenance", Provenance.version_view)
    quotes_changed_on_recheck = _By("_provenance", Provenance.quotes_changed_on_recheck)

    # quotes and the reviewer's verdicts (store/reviews.py)
    quotes = _By("_reviews", Reviews.quotes)
    all_quotes = _By("_reviews", Reviews.all_quotes)
    review_quote = _By("_reviews", Reviews.review_quote)
    reviewed_quotes = _By("_reviews", Reviews.reviewed_quotes)
    resolve_quote = _By("_reviews", Reviews.resolve_quote)
    quote = _By("_reviews", Reviews.quote)
    quote_ids_starting = _By("_reviews", Reviews.quote_ids_starting)

    # speakers and the reviewer's speaker decisions (store/speakers.py)
    speakers = _By("_speakers", Speakers.speakers)
    identities = _By("_speakers", Speakers.identities)
    identity = _By("_speakers", Speakers.identity)
    speaker_decisions = _By("_speakers", Speakers.decisions)
    merge_speakers = _By("_speakers", Speakers.merge_speakers)
    split_speaker = _By("_speakers", Speakers.split_speaker)
    rename_speaker = _By("_speakers", Speakers.rename_speaker)
    undo_speaker_decision = _By("_speakers", Speakers.undo_speaker_decision)
    set_speaker_kind = _By("_speakers", Speakers.set_speaker_kind)
    restore_speaker_decision = _By("_speakers", Speakers.restore_decision)
    # the speaker index (store/speaker_index.py), around a write of reviews it is not told of
    speakers_changing = _By("_speakers", Speakers.before_change)
    speakers_changed = _By("_speakers", Speakers.after_change)

    # the reviewer's notes (store/notes.py)
    add_note = _By("_notes", NoteBook.add_note)
    update_note = _By("_notes", NoteBook.update_note)
    save_note_edit = _By("_notes", NoteBook.save_note_edit)
    restore_note = _By("_notes", NoteBook.restore_note)
    delete_note = _By("_notes", NoteBook.delete_note)
    notes = _By("_notes", NoteBook.notes)
