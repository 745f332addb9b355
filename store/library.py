"""The library: a directory of TinyDB files, safe against crashes and other processes.

    catalog.json                 TinyDB: meta (schema_version), articles (summaries, no text)
    notes.json                   TinyDB: notes, reviews, reads (everything the user wrote)
    articles/<id[:2]>/<id>.json  one TinyDB per article: its text, paragraphs and quotes
    .lock                        cross-process lock held around every read-modify-write

The catalog is derived data: ``doctor`` can rebuild it from the article files. User state
(notes, reviews, read marks) lives only in notes.json, so saving a note rewrites neither the
catalog nor any article text.
"""

from __future__ import annotations

import bisect
import dataclasses
import getpass
import os
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from platformdirs import user_data_dir
from tinydb import TinyDB
from tinydb.table import Document

from saidwho.core import settings
from saidwho.core.heap import paused_gc
from saidwho.core.quote import KINDS, Quote
from saidwho.core.text import squash
from saidwho.readers.article import Article
from saidwho.store import records, speaker_names
from saidwho.store.anchoring import Selector, follow_text, reanchor, select
from saidwho.store.errors import (
    CorruptFileError,
    LibraryError,
    NoteConflictError,
    NotFoundError,
    RecordError,
    SchemaError,
)
from saidwho.store.identities import ArticleSpeakers, Identities
from saidwho.store.journal import JournaledStorage
from saidwho.store.records import CATALOG, LOCK, NOTES
from saidwho.store.schema import MIGRATIONS, SCHEMA_VERSION
from saidwho.store.storage import (
    AtomicJSONStorage,
    Tables,
    atomic_write,
    backup_path,
    dumps,
    is_temp_file,
    make_dirs,
    parse_tables,
)
from saidwho.store.validate import CATALOG_SCHEMAS, NOTES_SCHEMAS, valid_body, valid_records
from saidwho.store.views import (
    UNSET,
    ArticleSummary,
    Note,
    QuoteView,
    SpeakerSummary,
    revise_review,
)


def default_reviewer() -> str:
    """Who a review is by: ``$SAIDWHO_REVIEWER``, else the login name."""
    name = settings.reviewer()
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "reviewer"
    return squash(name) or "reviewer"


def default_library_dir() -> Path:
    """``$SAIDWHO_DB`` if set, else the platform's per-user data dir (``user_data_dir``)."""
    env = settings.library_dir()
    if env:
        return env
    return Path(user_data_dir("saidwho"))


def _clean_tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, str):
        raise ValueError("tags must be a list of strings, not one string")
    out: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValueError(f"tag {tag!r} is not a string")
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {value!r}")
    return value


def _with_speakers(summary: ArticleSummary, speakers: tuple[str, ...]) -> ArticleSummary:
    """``replace(summary, speakers=speakers)`` without its per-call field walk: at 10,000
    articles ``dataclasses.replace`` alone cost ~100 ms of the library's first paint."""
    out = object.__new__(ArticleSummary)
    out.__dict__.update(summary.__dict__)
    object.__setattr__(out, "speakers", speakers)
    return out


def _effective_counts(entry: dict[str, Any], reviews: list[dict[str, Any]]) -> Counter[str]:
    """Machine speaker counts of one article with the reviewer's reassignments applied."""
    counts: Counter[str] = Counter(entry.get("speaker_counts") or {})
    for review in reviews:
        if review.get("orphaned") or review.get("speaker_override") is None:
            continue
        machine = review.get("machine_speaker")
        if machine:
            counts[machine] -= 1
        counts[review["speaker_override"]] += 1
    return +counts  # drops zero and negative counts


def _note_input(start: object, end: object, text: object, tags: Iterable[str]) -> list[str]:
    """A new note's arguments checked (ValueError); its tags cleaned."""
    _check_int("start", start)
    _check_int("end", end)
    if not isinstance(text, str):
        raise ValueError("note text must be a string")
    clean_tags = _clean_tags(tags)
    if not text.strip() and not clean_tags:
        raise ValueError("an empty note (no text, no tags) is not saved")
    return clean_tags


def _note_record(
    article_id: str,
    article_text: str,
    text_sha256: str,
    quote_ids: Iterable[str],
    *,
    start: int,
    end: int,
    text: str,
    tags: list[str],
    quote_id: str | None,
    note_id: str,
    stamp: str,
) -> dict[str, Any]:
    """The stored record of a new note (``add_note`` writes it, ``draft_note`` shows it)."""
    length = len(article_text)
    if not (0 <= start <= end <= length):
        raise ValueError(
            f"note span [{start}, {end}) is outside article {article_id} "
            f"(need 0 <= start <= end <= {length})"
        )
    if quote_id is not None and quote_id not in set(quote_ids):
        raise NotFoundError(f"article {article_id} has no quote {quote_id!r}")
    sel = select(article_text, start, end)
    return {
        "id": note_id,
        "article_id": article_id,
        "text": text,
        "tags": tags,
        "created": stamp,
        "updated": stamp,
        "start": start,
        "end": end,
        "exact": sel.exact,
        "prefix": sel.prefix,
        "suffix": sel.suffix,
        "quote_id": quote_id,
        "orphaned": False,
        "text_sha256": text_sha256,
    }


def draft_note(
    article: Article,
    article_id: str,
    *,
    start: int,
    end: int,
    text: str,
    tags: Iterable[str] = (),
    quote_id: str | None = None,
    quote_ids: Iterable[str] | None = None,
) -> Note:
    """The note ``add_note(article_id, ..., note_id=draft.id, at=draft.created)`` will store,
    made without the disk (a new id and time; the same checks, ValueError): the reader shows
    it at once and writes it in a worker. ``quote_ids``: the article's, to check ``quote_id``
    against (None: not checked here; ``add_note`` still does)."""
    clean_tags = _note_input(start, end, text, tags)
    known = quote_ids if quote_ids is not None else ([quote_id] if quote_id else [])
    doc = _note_record(
        article_id, article.text, article.sha256, known, start=start, end=end, text=text,
        tags=clean_tags, quote_id=quote_id, note_id=str(uuid.uuid4()), stamp=records.now(),
    )  # fmt: skip
    return Note.from_stored(doc)


def draft_edit(note: Note, *, text: str, tags: Iterable[str] = ()) -> Note:
    """``note`` as ``save_note_edit(note, ..., at=draft.updated)`` leaves it when nobody
    touched it meanwhile (the same checks, ValueError), made without the disk."""
    if not isinstance(text, str):
        raise ValueError("note text must be a string")
    clean_tags = _clean_tags(tags)
    if not text.strip() and not clean_tags:
        raise ValueError("an empty note (no text, no tags) is not saved")
    return replace(note, text=text, tags=tuple(clean_tags), updated=records.now())


class Library:
    """A saidwho library directory. Thread-safe; several processes may share one directory."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 60.0) -> None:
        self.root = Path(path).expanduser()
        try:
            make_dirs(self.root)
        except FileExistsError:
            raise LibraryError(f"{self.root} is a file; a library is a folder") from None
        except OSError as exc:
            raise LibraryError(
                f"cannot create library directory {self.root}: {exc.strerror or exc}"
            ) from None
        # Three locks, always taken in this order: _writer (one writing thread per process),
        # the file lock (one writing process), _mutex (guards the parse caches, which writes
        # edit in place). Readers take only _mutex, so a reader never waits for another
        # process's write, only for this process's write to finish.
        self._writer = threading.RLock()
        self._mutex = threading.RLock()
        # filelock polls a held lock; its 50 ms default would add up to 50 ms to a note save
        # that queues behind another process's write
        self._flock = FileLock(
            str(self.root / LOCK), timeout=lock_timeout, thread_local=False, poll_interval=0.005
        )
        self._views: dict[str, tuple[tuple[int, int], Any]] = {}
        self._identities: tuple[tuple[int, int, tuple[str, ...]], Identities] | None = None
        self._names_written: str | None = None  # the key speaker-names.json was last written at
        # (key, names) of the last _with_identities: notes and read marks rebuild the
        # summaries but never change a speaker's name (~0.3 s at 10,000 articles)
        self._names: tuple[str | None, speaker_names.Names] = (None, {})
        # article id -> (summary, the same named): reused while both stay the same
        self._named: tuple[str | None, dict[str, tuple[ArticleSummary, ArticleSummary]]] = (
            None,
            {},
        )
        # per file: the records that failed their schema (skipped, reported, kept on disk)
        self._record_errors: dict[Path, list[RecordError]] = {}
        self._checked: dict[str, tuple[int, Tables]] = {}
        self._passed: dict[str, Tables] = {}  # see _valid
        # article id -> (catalog entry, its reassignments, ArticleSpeakers): _identity_inputs
        self._inputs: dict[str, tuple[dict[str, Any], tuple[Any, ...], ArticleSpeakers]] = {}
        self._swept = False  # temp files of dead writers are removed once per instance
        self._catalog_db = TinyDB(self.root / CATALOG, storage=AtomicJSONStorage)
        # every write of notes.json is also journaled (store/journal.py)
        self._notes_db = TinyDB(self.root / NOTES, storage=JournaledStorage)
        self._notes = self._notes_db.table("notes", cache_size=0)
        self._reviews = self._notes_db.table("reviews", cache_size=0)
        self._reads = self._notes_db.table("reads", cache_size=0)
        self._decisions = self._notes_db.table("speakers", cache_size=0)
        self._open()

    def __repr__(self) -> str:
        return f"Library({str(self.root)!r})"

    # ----------------------------------------------------------------- plumbing

    @property
    def _catalog_storage(self) -> AtomicJSONStorage:
        return self._catalog_db.storage  # type: ignore[return-value]

    @property
    def _notes_storage(self) -> AtomicJSONStorage:
        return self._notes_db.storage  # type: ignore[return-value]

    def _invalidate(self) -> None:
        self._catalog_storage.invalidate()
        self._notes_storage.invalidate()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold both locks for a read-modify-write; drop caches if anything fails midway."""
        with self._writer:
            try:
                self._flock.acquire()
            except Timeout:
                raise LibraryError(
                    f"{self.root} is locked by another saidwho process; try again later"
                ) from None
            except OSError as exc:  # a read-only library: reading works, changing it cannot
                raise LibraryError(
                    f"cannot write to the library {self.root}: {exc.strerror or exc}"
                ) from None
            try:
                with self._mutex:
                    if not self._swept:
                        self._clean_temp_files()
                        self._swept = True
                    try:
                        yield
                    except BaseException:
                        # TinyDB edits the cached tables in place before writing them
                        self._invalidate()
                        raise
            finally:
                self._flock.release()

    def _open(self) -> None:
        tables = self._catalog_storage.read()
        if tables is None or self._schema_version(tables) != SCHEMA_VERSION:
            with self._locked():
                self._initialise_or_migrate()
        if self._notes_storage.read() is None:
            self._refuse_if_backup_only(self.root / NOTES)
            with self._locked():
                if self._notes_storage.read() is None:
                    self._notes_storage.write({"notes": {}, "reviews": {}, "reads": {}})

    def _schema_version(self, tables: Tables) -> int:
        meta = tables.get("meta") or {}
        doc: dict[str, Any] = next(iter(meta.values()), {})
        version = doc.get("schema_version")
        if not isinstance(version, int):
            raise CorruptFileError(self.root / CATALOG, "no schema_version in table meta")
        if version > SCHEMA_VERSION:
            raise SchemaError(
                f"{self.root} was written by a newer saidwho (library schema {version}, this "
                f"version understands up to {SCHEMA_VERSION}); upgrade saidwho to open it. "
                "Nothing was changed."
            )
        return version

    def _initialise_or_migrate(self) -> None:
        tables = self._catalog_storage.read()
        if tables is None:
            self._refuse_if_backup_only(self.root / CATALOG)
            bodies = self.root / records.ARTICLES_DIR
            if bodies.is_dir() and any(bodies.glob("*/*.json")):
                raise LibraryError(
                    f"{self.root / CATALOG} is missing but {bodies} holds articles; "
                    "run `saidwho doctor --repair` to rebuild the catalog"
                )
            self._catalog_storage.write(
                {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "articles": {}}
            )
            return
        version = self._schema_version(tables)
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise SchemaError(f"no migration from library schema {version} in {self.root}")
            step(self.root)
            version += 1
            self._catalog_storage.invalidate()
            tables = self._catalog_storage.read() or {}
            tables["meta"] = {"1": {"schema_version": version}}
            self._catalog_storage.write(tables)

    def _refuse_if_backup_only(self, path: Path) -> None:
        # Creating a fresh file here would soon push the last good copy out of .bak.
        if backup_path(path).exists():
            raise LibraryError(
                f"{path} is missing but its last good copy {backup_path(path).name} exists; "
                "run `saidwho doctor --repair` to restore it"
            )

    def _clean_temp_files(self) -> None:
        # Under the lock no other writer is mid-write, so any temp file is a dead write.
        for path in self.root.iterdir():
            if is_temp_file(path):
                path.unlink(missing_ok=True)

    def _valid(
        self, storage: AtomicJSONStorage, schemas: dict[str, Any], *, replaced: bool = False
    ) -> Tables:
        """The file's tables without the records that fail their schema (checked once per
        version of the file). Writes go through TinyDB on the raw tables, so a bad record
        stays on disk, untouched, until ``doctor --repair`` moves it aside. ``replaced``:
        the file's records are replaced, never edited in place (the catalog: see
        ``save_articles``), so after this process's own write only the new ones are
        checked (10,000 catalog entries took ~100 ms)."""
        tables = storage.read() or {}
        name = storage.path.name
        hit = self._checked.get(name)
        if hit is not None and hit[0] == storage.generation:
            return hit[1]
        passed = self._passed.get(name) if replaced else None
        good, errors = valid_records(storage.path, tables, schemas, passed)
        self._note_errors(storage.path, errors)
        self._checked[name] = (storage.generation, good)
        if replaced:  # copies: a write adds to the very tables it read
            self._passed[name] = {table: dict(docs) for table, docs in good.items()}
        return good

    def _note_errors(self, path: Path, errors: list[RecordError]) -> None:
        if errors:
            self._record_errors[path] = errors
        else:
            self._record_errors.pop(path, None)

    @property
    def record_errors(self) -> list[RecordError]:
        """Records skipped because they have the wrong shape, in the files read so far: one
        line each for the user (the rest of the library works without them)."""
        with self._mutex:
            return [e for errors in self._record_errors.values() for e in errors]

    def _catalog(self) -> dict[str, dict[str, Any]]:
        """Catalog entries that pass their schema (shared with the cache: never mutate)."""
        return self._valid(self._catalog_storage, CATALOG_SCHEMAS, replaced=True).get(
            "articles", {}
        )

    def _notes_tables(self) -> Tables:
        """notes.json's records that pass their schema (shared with the cache: never mutate)."""
        return self._valid(self._notes_storage, NOTES_SCHEMAS)

    def _entry(self, article_id: str) -> dict[str, Any]:
        if not isinstance(article_id, str) or not records.is_article_id(article_id):
            raise NotFoundError(f"no article {article_id!r}")
        entry = self._catalog().get(str(records.article_doc_id(article_id)))
        if entry is None:
            raise NotFoundError(f"no article {article_id!r}")
        return entry

    def _body(self, article_id: str, entry: dict[str, Any] | None = None) -> Tables:
        if entry is None:
            entry = self._entry(article_id)
        path = records.body_path(self.root, article_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise LibraryError(
                f"the text of article {article_id} ({path}) is missing; re-add "
                f"{entry.get('path') or 'the article'} or run `saidwho doctor --repair`"
            ) from None
        tables = parse_tables(raw, path)
        # a bad article record makes the file unusable; a bad quote is skipped alone
        tables, errors, fatal = valid_body(path, tables)
        if fatal is not None:
            raise CorruptFileError(path, fatal)
        self._note_errors(path, errors)
        problem = records.check_body(tables, article_id, verify_sha=False)
        if problem:
            raise CorruptFileError(path, problem)
        return tables

    def _reviews_by_article(self) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for review in self._notes_tables().get("reviews", {}).values():
            grouped[review["article_id"]].append(review)
        return grouped

    # ----------------------------------------------------------------- articles

    def is_empty(self) -> bool:
        with self._mutex:
            return not self._catalog()

    def has_text(self, text_sha256: str) -> str | None:
        """The id of the article whose text has exactly this sha256, if any."""
        with self._mutex:
            by_sha: dict[str, str] = self._view(
                "by_sha",
                lambda: {
                    e["text_sha256"]: e["id"]
                    for e in self._catalog().values()
                    if not e.get("body_missing")
                },
            )
            return by_sha.get(text_sha256)

    def has_url(self, url: str) -> str | None:
        """The id of the article kept under this URL, if any (feeds skip known links)."""
        with self._mutex:
            by_url: dict[str, str] = self._view(
                "by_url",
                lambda: {e["url"]: e["id"] for e in self._catalog().values() if e.get("url")},
            )
            return by_url.get(url)

    def save_article(self, article: Article, quotes: Iterable[Quote]) -> tuple[str, str]:
        """Store an article and its quotes: ``(article_id, "added"|"updated"|"unchanged")``.

        Identical text anywhere in the library is "unchanged" (nothing written). New text for a
        path already in the library keeps that article's id and re-anchors its notes and reviews.
        """
        return self.save_articles([(article, quotes)])[0]

    def save_articles(
        self, items: Iterable[tuple[Article, Iterable[Quote]]]
    ) -> list[tuple[str, str]]:
        """``save_article`` for several articles with one catalog write (for bulk ingest).

        The catalog is rewritten once per call instead of once per article, which matters at
        thousands of articles. Other writers wait for the whole batch: keep batches small (~50).
        """
        batch = [(article, list(quotes)) for article, quotes in items]
        for article, quotes in batch:
            for q in quotes:
                if not (0 <= q.start <= q.end <= len(article.text)):
                    raise ValueError(
                        f"quote [{q.start}, {q.end}) lies outside the text of {article.title!r}"
                    )
        results: list[tuple[str, str]] = []
        with self._locked():
            catalog = dict(self._catalog())  # a private view that sees this batch's entries
            pending: dict[str, dict[str, Any]] = {}

            def write_catalog() -> None:
                tables = self._catalog_storage.read() or {}
                tables.setdefault("articles", {}).update(pending)
                self._catalog_storage.write(tables)

            try:
                for article, quotes in batch:
                    entry, status = self._save_one(catalog, article, quotes)
                    if status != "unchanged":
                        key = str(records.article_doc_id(entry["id"]))
                        catalog[key] = pending[key] = entry
                    results.append((entry["id"], status))
            except BaseException:
                # Ctrl-C or a failure midway: list the article files already written, so the
                # catalog still describes exactly what is on disk (doctor stays quiet)
                if pending:
                    self._catalog_storage.invalidate()
                    write_catalog()
                raise
            if pending:
                # one write for the batch; article files were written first, so a crash here
                # leaves files that the next save (or doctor) picks up, never a dangling entry
                write_catalog()
        return results

    def _save_one(
        self, catalog: dict[str, dict[str, Any]], article: Article, quotes: list[Quote]
    ) -> tuple[dict[str, Any], str]:
        sha = article.sha256
        lost = None
        for entry in catalog.values():
            if entry["text_sha256"] == sha:
                if not entry.get("body_missing"):
                    return entry, "unchanged"
                lost = entry  # its text was lost (see doctor): this restores it, same id
        existing = lost or self._same_source(catalog, article)
        stamp = records.now()
        if existing is not None:
            article_id, status, added = existing["id"], "updated", existing.get("added")
        else:
            article_id, status, added = self._new_id(catalog, sha), "added", stamp
        body = records.body_tables(article_id, article, quotes, added or stamp, stamp)
        if existing is not None:
            # notes first: re-anchoring is stamped with the new sha, so it is idempotent if
            # we die before the body is written and the file is saved again
            self._reanchor(article_id, body)
        path = records.body_path(self.root, article_id)
        atomic_write(path, dumps(body), backup=existing is not None)
        return records.summary(body), status

    @staticmethod
    def _same_source(catalog: dict[str, dict[str, Any]], article: Article) -> dict[str, Any] | None:
        """The entry this article is a new version of: same file path (or same URL if no path)."""
        for key in ("path", "url"):
            value = getattr(article, key)
            if value:
                for entry in catalog.values():
                    if entry.get(key) == value:
                        return entry
                return None
        return None

    @staticmethod
    def _new_id(catalog: dict[str, dict[str, Any]], sha: str) -> str:
        article_id = sha[:16]
        salt = 0
        # Taken when another file once had this text and has changed since (ids are kept).
        while str(records.article_doc_id(article_id)) in catalog:
            salt += 1
            article_id = records.text_id(f"{sha}:{salt}")
        return article_id

    def article(self, article_id: str) -> Article:
        """The full article (text and paragraphs), read from its own file."""
        with self._mutex:
            return Article.from_json(records.body_article(self._body(article_id)))

    def _view(self, name: str, build: Callable[[], Any]) -> Any:
        """A value derived from the catalog and notes, rebuilt only when either file changed."""
        self._catalog()
        self._notes_tables()  # both reads refresh the storages' generations
        key = (self._catalog_storage.generation, self._notes_storage.generation)
        hit = self._views.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        self._views[name] = (key, value)
        return value

    def _catalog_view(self, name: str, build: Callable[[], Any]) -> Any:
        """A value derived from the catalog alone, rebuilt only when the catalog changed."""
        self._catalog()
        key = (self._catalog_storage.generation, -1)
        hit = self._views.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        self._views[name] = (key, value)
        return value

    def _speaker_counts(self, entry: dict[str, Any], reviews: list[dict[str, Any]]) -> Any:
        if not reviews:
            return entry.get("speaker_counts") or {}
        return _effective_counts(entry, reviews)

    def articles(self, *, named: bool = True) -> list[ArticleSummary]:
        """Summaries of every article, newest first. Never opens an article file.
        ``named=False``: each article's speakers as its quotes name them, without the
        library's speaker identities (merges, surnames) -- for callers that do not show them."""
        # 10,000 summaries, none in a cycle: no collector passes over the catalog meanwhile
        with self._mutex, paused_gc():
            if named:
                view: list[ArticleSummary] = self._view("articles", self._build_articles)
            else:
                view = self._view("plain_articles", self._build_plain_articles)
        return list(view)  # the records are immutable: only the list is copied

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's entry of ``articles()``, without building the whole list for it."""
        with self._mutex:
            self._entry(article_id)
            index: dict[str, ArticleSummary] = self._view(
                "by_id", lambda: {a.id: a for a in self._view("articles", self._build_articles)}
            )
            return index[article_id]

    def _build_articles(self) -> list[ArticleSummary]:
        return self._with_identities(self._view("plain_articles", self._build_plain_articles))

    def _build_plain_articles(self) -> list[ArticleSummary]:
        # The catalog part (10,000 summaries: ~150 ms) is kept until the catalog changes; a
        # note, read mark or review only re-makes the summaries of the articles it touches.
        base: list[ArticleSummary] = self._catalog_view("base_articles", self._base_articles)
        notes_tables = self._notes_tables()
        note_counts = Counter(n["article_id"] for n in notes_tables.get("notes", {}).values())
        read = {r["article_id"] for r in notes_tables.get("reads", {}).values()}
        reviews = self._reviews_by_article()
        touched = note_counts.keys() | read | reviews.keys()
        if not touched:
            return base
        catalog = self._catalog()
        out: list[ArticleSummary] = []
        for summary in base:
            aid = summary.id
            if aid in touched:
                speakers = summary.speakers
                if aid in reviews:
                    entry = catalog[str(records.article_doc_id(aid))]
                    counts = Counter(self._speaker_counts(entry, reviews[aid]))
                    speakers = tuple(name for name, _ in records.group_names(counts))
                summary = dataclasses.replace(
                    summary, notes=note_counts.get(aid, 0), read=aid in read, speakers=speakers
                )
            out.append(summary)
        return out

    def _with_identities(self, summaries: list[ArticleSummary]) -> list[ArticleSummary]:
        """Each article's speakers as the library's identities name them (merges applied).
        A process that has not built the identities reads them from speaker-names.json
        when it was made from this very catalog, reassignments and decisions."""
        _, reviews, decisions = self._identity_key()  # the catalog: by its bytes, below
        digest = self._catalog_storage.digest()
        made_from = speaker_names.key(digest, reviews, decisions) if digest else None
        names = None
        if made_from is not None and self._names[0] == made_from:
            names = self._names[1]  # a note or read mark changes no speaker's name
        elif self._identities is None and made_from is not None:
            names = speaker_names.read(self.root, made_from)
        if names is None:
            identities = self.identities()
            names = {}
            for summary in summaries:
                named = tuple(
                    dict.fromkeys(identities.of(summary.id, n) or n for n in summary.speakers)
                )
                if named != summary.speakers:
                    names[summary.id] = named
            if made_from is not None and made_from != self._names_written:
                speaker_names.write(self.root, made_from, names)
                self._names_written = made_from
        if made_from is not None:
            self._names = (made_from, names)
        # an article whose summary and names are unchanged keeps its named summary
        before = self._named if self._named[0] == made_from else (made_from, {})
        made: dict[str, tuple[ArticleSummary, ArticleSummary]] = {}
        out = []
        for summary in summaries:
            speakers = names.get(summary.id)
            if speakers is None:
                out.append(summary)
                continue
            hit = before[1].get(summary.id)
            if hit is None or hit[0] is not summary:
                hit = (summary, _with_speakers(summary, speakers))
            made[summary.id] = hit
            out.append(hit[1])
        self._named = (made_from, made)
        return out

    def _base_articles(self) -> list[ArticleSummary]:
        """Every summary as the catalog alone has it: no notes, unread, machine speakers."""
        out: list[ArticleSummary] = []
        for entry in self._catalog().values():
            if "speakers" in entry:
                speakers = entry["speakers"]  # precomputed when the article was saved
            else:
                counts = Counter(entry.get("speaker_counts") or {})
                speakers = [name for name, _ in records.group_names(counts)]
            out.append(
                ArticleSummary(
                    id=entry["id"],
                    title=entry.get("title") or "",
                    subtitle=entry.get("subtitle"),
                    source=entry.get("source"),
                    author=entry.get("author"),
                    date=entry.get("date"),
                    url=entry.get("url"),
                    path=entry.get("path"),
                    text_sha256=entry["text_sha256"],
                    quotes=entry.get("quotes", 0),
                    notes=0,
                    read=False,
                    speakers=tuple(speakers),
                    added=entry.get("added"),
                    updated=entry.get("updated"),
                )
            )
        out.sort(key=lambda a: (a.added or "", a.id), reverse=True)
        return out

    def resolve_id(self, prefix: str) -> str:
        """The one article id starting with ``prefix`` (case-insensitive)."""
        wanted = (prefix or "").strip().lower()
        if not wanted:
            raise NotFoundError("an empty id matches no article")
        with self._mutex:
            ids: list[str] = self._view(
                "ids", lambda: sorted(e["id"] for e in self._catalog().values())
            )
        lo = bisect.bisect_left(ids, wanted)
        matches: list[str] = []
        for i in ids[lo:]:
            if not i.startswith(wanted) or len(matches) > 5:
                break
            matches.append(i)
        if wanted in matches:
            return wanted
        if not matches:
            raise NotFoundError(f"no article id starts with {prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise LibraryError(
                f"id prefix {prefix!r} is ambiguous: several articles match ({shown})"
            )
        return matches[0]

    def mark_read(self, article_id: str, read: bool = True) -> None:
        with self._locked():
            self._entry(article_id)
            doc_id = records.article_doc_id(article_id)
            if read:
                self._reads.upsert(
                    Document({"article_id": article_id, "at": records.now()}, doc_id=doc_id)
                )
            elif self._reads.contains(doc_id=doc_id):
                self._reads.remove(doc_ids=[doc_id])

    # ----------------------------------------------------------------- quotes

    def _merged_quotes(
        self, article_id: str, body: Tables, reviews: list[dict[str, Any]]
    ) -> list[QuoteView]:
        by_quote = {r["quote_id"]: r for r in reviews if not r.get("orphaned")}
        identities = self.identities()
        out = []
        for q in records.body_quotes(body):
            view = QuoteView.from_stored(q, article_id, by_quote.get(q["id"]))
            identity = identities.of(article_id, view.speaker)
            out.append(replace(view, identity=identity) if identity else view)
        return out

    def quotes(self, article_id: str) -> list[QuoteView]:
        """The article's quotes (``Quote.to_json``) with the reviewer's verdict applied."""
        with self._mutex:
            body = self._body(article_id)
            return self._merged_quotes(
                article_id, body, self._reviews_by_article().get(article_id, [])
            )

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
        with self._mutex:
            identities = self.identities()
            units: set[tuple[str, str]] | None = None
            if speaker is not None:
                found = identities.find(speaker)
                units = identities.units(found) if found else set()
            reviews = self._reviews_by_article()
            # the order of articles(): newest first, then text order within an article
            entries = sorted(
                self._catalog().values(),
                key=lambda e: (e.get("added") or "", e["id"]),
                reverse=True,
            )
            out: list[QuoteView] = []
            for entry in entries:
                aid = entry["id"]
                if entry.get("body_missing") or not entry.get("quotes"):
                    continue
                if units is not None and not units:
                    break  # a name nobody in the library has
                if units is not None:
                    counts = self._speaker_counts(entry, reviews.get(aid, []))
                    if not any((aid, name.casefold()) in units for name in counts):
                        continue
                try:
                    body = self._body(aid, entry)
                except LibraryError as exc:
                    if on_error is None:
                        raise
                    on_error(aid, exc)
                    continue
                for q in self._merged_quotes(aid, body, reviews.get(aid, [])):
                    name = squash(q.speaker).casefold()
                    if units is None or (aid, name) in units:
                        out.append(q)
        return out

    def speakers(self) -> list[SpeakerSummary]:
        """Every speaker identity (store/identities.py) with its aliases, kind, roles and
        quote and article counts, most quoted first; the reviewer's decisions applied."""
        return list(self.identities().summaries)

    def identities(self) -> Identities:
        """The library's speaker identities, rebuilt only when the catalog, a speaker
        reassignment or a speaker decision changed (not on every note saved)."""
        with self._mutex:
            generation, reviews, decisions = self._identity_key()
            key = (generation, hash(reviews), decisions)
            if self._identities is None:
                self._identities = (key, self._build_identities())
            elif self._identities[0] != key:
                # one ingested article re-resolves its names and their surname groups, not
                # the library (~1.5 s at 10,000 articles)
                updated = self._identities[1].updated(
                    self._identity_inputs(), self.speaker_decisions()
                )
                self._identities = (key, updated)
            return self._identities[1]

    def _identity_key(self) -> tuple[int, tuple[Any, ...], tuple[str, ...]]:
        """What the identities are made from: the catalog (its generation), the speaker
        reassignments and the reviewer's decisions."""
        with self._mutex:
            self._catalog()
            tables = self._notes_tables()
            reviews = tuple(
                sorted(
                    (r["article_id"], r["quote_id"], r.get("speaker_override") or "",
                     r.get("machine_speaker") or "", bool(r.get("orphaned")))
                    for r in tables.get("reviews", {}).values()
                    if r.get("speaker_override") is not None
                )
            )  # fmt: skip
            decisions = tuple(sorted(tables.get("speakers", {})))
            return self._catalog_storage.generation, reviews, decisions

    def identity(self, name: str) -> str | None:
        """The canonical name of the speaker called ``name`` (or having it as an alias)."""
        return self.identities().find(name)

    def _build_identities(self) -> Identities:
        return Identities(self._identity_inputs(), self.speaker_decisions())

    # ----------------------------------------------------------------- speaker decisions

    def speaker_decisions(self) -> list[dict[str, Any]]:
        """The reviewer's merges, splits and renames, oldest first."""
        with self._mutex:
            docs = list(self._notes_tables().get("speakers", {}).values())
        return sorted((dict(d) for d in docs), key=lambda d: (d.get("at") or "", d.get("id") or ""))

    def _decide(self, decision: dict[str, Any]) -> dict[str, Any]:
        decision = {"id": str(uuid.uuid4()), "at": records.now(), **decision}
        with self._locked():
            # check it against the library as it is now: a bad name is refused, not stored
            trial = self.identities().updated(
                self._identity_inputs(), [*self.speaker_decisions(), decision]
            )
            if len(trial.problems) > len(self.identities().problems):
                raise NotFoundError(trial.problems[-1])
            self._decisions.insert(Document(decision, doc_id=records.note_doc_id(decision["id"])))
        return decision

    def _identity_inputs(self) -> list[ArticleSpeakers]:
        """What the identities are made of, one per catalog entry. An entry that is the
        same object as last time (catalog entries are replaced, never edited) with the same
        reassignments gives the same ``ArticleSpeakers``: ``Identities.updated`` then finds
        the changed articles by an identity check each."""
        reviews = self._reviews_by_article()
        before, kept = self._inputs, {}
        out = []
        for entry in self._catalog().values():
            aid = entry["id"]
            mine = reviews.get(aid)
            reassigned = (
                tuple(
                    (bool(r.get("orphaned")), r.get("speaker_override"), r.get("machine_speaker"))
                    for r in mine
                )
                if mine
                else ()
            )
            hit = before.get(aid)
            if hit is not None and hit[0] is entry and hit[1] == reassigned:
                art = hit[2]
            else:
                art = ArticleSpeakers(
                    aid,
                    self._speaker_counts(entry, mine or []),
                    entry.get("speaker_context") or {},
                    entry.get("speaker_roles") or {},
                    entry.get("speaker_mentions") or {},
                )
            kept[aid] = (entry, reassigned, art)
            out.append(art)
        self._inputs = kept
        return out

    def merge_speakers(self, names: Iterable[str], into: str) -> SpeakerSummary:
        """One identity from several: every name (canonical or alias) joins ``into``."""
        clean = [squash(n) for n in names if n and n.strip()]
        into = squash(into)
        if not clean or not into:
            raise ValueError("merge needs at least one speaker name and a name to merge into")
        self._decide({"op": "merge", "names": clean, "into": into})
        return self._summary_of(into)

    def split_speaker(self, name: str, alias: str) -> SpeakerSummary:
        """Undo a merge: ``alias`` (and what was one identity with it) leaves ``name``."""
        name, alias = squash(name), squash(alias)
        if not name or not alias:
            raise ValueError("split needs a speaker name and one of its aliases")
        self._decide({"op": "split", "name": name, "alias": alias})
        return self._summary_of(alias)

    def rename_speaker(self, name: str, new: str) -> SpeakerSummary:
        name, new = squash(name), squash(new)
        if not name or not new:
            raise ValueError("rename needs a speaker name and a new name")
        self._decide({"op": "rename", "name": name, "new": new})
        return self._summary_of(new)

    def undo_speaker_decision(self) -> dict[str, Any] | None:
        """Forget the reviewer's latest merge, split or rename; returns it (None: none)."""
        with self._locked():
            decisions = self.speaker_decisions()
            last = decisions[-1] if decisions else None
            if last is not None:
                self._decisions.remove(doc_ids=[records.note_doc_id(last["id"])])
        return last

    def _summary_of(self, name: str) -> SpeakerSummary:
        identities = self.identities()
        canonical = identities.find(name)
        for summary in identities.summaries:
            if summary.speaker == canonical:
                return summary
        raise NotFoundError(f"no speaker named {name!r}")

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
    ) -> QuoteView:
        """Record a reviewer's verdict on a quote; returns the quote as ``quotes()`` shows it.

        ``confirmed``/``disputed``: True sets that verdict (confirming clears a dispute),
        False withdraws it, None leaves it. ``speaker``/``kind``: UNSET leaves it, a value
        corrects the quote (it wins over the machine's guess, also after re-ingest; a
        corrected quote is no longer disputed), None removes the correction. ``revert``: back
        to the machine's speaker and kind. ``reviewer``: who (default ``default_reviewer()``);
        ``at``: when (ISO 8601; default now, given by ``notes import``).
        """
        if speaker is not UNSET and speaker is not None:
            if not isinstance(speaker, str) or not speaker.strip():
                raise ValueError("speaker must be a non-empty name (or None to clear it)")
            speaker = squash(speaker)
        if kind is not UNSET and kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if confirmed and disputed:
            raise ValueError("a quote cannot be confirmed and disputed at once")
        with self._locked():
            body = self._body(article_id)
            quote = next((q for q in records.body_quotes(body) if q["id"] == quote_id), None)
            if quote is None:
                raise NotFoundError(f"article {article_id} has no quote {quote_id!r}")
            text = records.body_article(body)["text"]
            doc_id = records.review_doc_id(article_id, quote_id)
            stamp = records.now()
            review = dict(self._reviews.get(doc_id=doc_id) or {})
            if not review:
                sel = select(text, quote["start"], quote["end"])
                review = {
                    "article_id": article_id,
                    "quote_id": quote_id,
                    "speaker_override": None,
                    "disputed": False,
                    "created": stamp,
                    "start": sel.start,
                    "end": sel.end,
                    "exact": sel.exact,
                    "prefix": sel.prefix,
                    "suffix": sel.suffix,
                    "text_sha256": records.body_article(body)["text_sha256"],
                    "orphaned": False,
                }
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
            self._reviews.upsert(Document(review, doc_id=doc_id))
            merged = self._merged_quotes(article_id, body, [review])
        return next(q for q in merged if q.id == quote_id)

    def reviewed_quotes(self, article_id: str | None = None) -> list[QuoteView]:
        """Quotes with a review record (any state), opening only the articles that have one:
        of one article in text order, or of the whole library in ``articles()`` order."""
        with self._mutex:
            reviews = self._reviews_by_article()
            if article_id is not None:
                ids = [article_id] if article_id in reviews else []
            else:
                ids = [
                    a.id for a in self._view("articles", self._build_articles) if a.id in reviews
                ]
            out: list[QuoteView] = []
            for aid in ids:
                live = {r["quote_id"] for r in reviews[aid] if not r.get("orphaned")}
                body = self._body(aid)
                out += [q for q in self._merged_quotes(aid, body, reviews[aid]) if q.id in live]
        return out

    def resolve_quote(self, prefix: str) -> QuoteView:
        """The one quote in the library whose id starts with ``prefix`` (any case).
        Opens every article file: for the CLI, not for loops."""
        wanted = (prefix or "").strip().lower()
        if not wanted:
            raise NotFoundError("an empty id matches no quote")
        matches = [q for q in self.all_quotes() if q.id.startswith(wanted)]
        exact = [q for q in matches if q.id == wanted]
        if exact:
            return exact[0]
        if not matches:
            raise NotFoundError(f"no quote id starts with {prefix!r}")
        if len({q.id for q in matches}) > 1:
            shown = ", ".join(sorted({q.id for q in matches})[:5])
            raise LibraryError(f"quote id prefix {prefix!r} is ambiguous ({shown}, ...)")
        return matches[0]

    # ----------------------------------------------------------------- notes

    def add_note(
        self,
        article_id: str,
        *,
        start: int,
        end: int,
        text: str,
        tags: Iterable[str] = (),
        quote_id: str | None = None,
        note_id: str | None = None,
        at: str | None = None,
    ) -> Note:
        """Attach a note to ``[start, end)`` of the article text (optionally to a quote).
        ``note_id`` and ``at`` (created time): those of a ``draft_note`` the caller already
        shows; default a new uuid4 and now."""
        clean_tags = _note_input(start, end, text, tags)
        if note_id is not None and not records.is_note_id(note_id):
            raise ValueError(f"note id {note_id!r} is not a UUID")
        with self._locked():
            body = self._body(article_id)
            art = records.body_article(body)
            quote_ids = {q["id"] for q in records.body_quotes(body)}
            note_id = note_id or str(uuid.uuid4())
            if self._notes.contains(doc_id=records.note_doc_id(note_id)):
                raise ValueError(f"a note {note_id} exists already")
            doc = _note_record(
                article_id, art["text"], art["text_sha256"], quote_ids, start=start, end=end,
                text=text, tags=clean_tags, quote_id=quote_id, note_id=note_id,
                stamp=at or records.now(),
            )  # fmt: skip
            self._notes.insert(Document(doc, doc_id=records.note_doc_id(note_id)))
        return Note.from_stored(doc)

    def _note_doc_id(self, note_id: str) -> int:
        if not isinstance(note_id, str) or not records.is_note_id(note_id):
            raise NotFoundError(f"no note {note_id!r}")
        doc_id = records.note_doc_id(note_id)
        if not self._notes.contains(doc_id=doc_id):
            raise NotFoundError(f"no note {note_id!r}")
        return doc_id

    def update_note(
        self,
        note_id: str,
        *,
        text: str | None = None,
        tags: Iterable[str] | None = None,
        expect_updated: str | None = None,
        at: str | None = None,
    ) -> Note:
        """Change a note's text or tags. ``expect_updated``: the ``updated`` stamp the caller
        edited; if the note changed since, ``NoteConflictError`` (nothing written). ``at``:
        the new ``updated`` stamp (default now)."""
        fields: dict[str, Any] = {}
        if text is not None:
            if not isinstance(text, str):
                raise ValueError("note text must be a string")
            fields["text"] = text
        if tags is not None:
            fields["tags"] = _clean_tags(tags)
        with self._locked():
            doc_id = self._note_doc_id(note_id)
            current = dict(self._notes.get(doc_id=doc_id))  # type: ignore[arg-type]
            merged = {**current, **fields}
            if not (merged.get("text") or "").strip() and not merged.get("tags"):
                raise ValueError("an empty note (no text, no tags) is not saved")
            if expect_updated is not None and current.get("updated") != expect_updated:
                raise NoteConflictError(Note.from_stored(current))
            fields["updated"] = at or records.now()
            self._notes.update(fields, doc_ids=[doc_id])
            doc = self._notes.get(doc_id=doc_id)
        return Note.from_stored(dict(doc))  # type: ignore[arg-type]

    def save_note_edit(
        self, note: Note, *, text: str, tags: Iterable[str] = (), at: str | None = None
    ) -> tuple[Note, str]:
        """Save an edit of ``note`` (as it was when editing began) without ever losing it:
        ``"updated"`` when nobody touched the note meanwhile; ``"recreated"`` (a new note at
        the same place) when it was deleted; ``"kept both"`` (the edit as a new note beside
        the other version) when it was changed elsewhere. ``at``: the edit's time (default
        now)."""
        tags = list(tags)
        try:
            updated = self.update_note(
                note.id, text=text, tags=tags, expect_updated=note.updated, at=at
            )
            return updated, "updated"
        except NotFoundError:
            outcome = "recreated"
        except NoteConflictError:
            outcome = "kept both"
        span = self._current_span(note)  # NotFoundError if the article itself is gone
        new = self.add_note(
            note.article_id,
            start=span[0],
            end=span[1],
            text=text,
            tags=tags,
            quote_id=note.quote_id if span == (note.start, note.end) else None,
        )
        return new, outcome

    def _current_span(self, note: Note) -> tuple[int, int]:
        """Where ``note``'s words are in its article's current text (its old span if the text
        is the same, else re-anchored; a point where they were if they are gone)."""
        article = self.article(note.article_id)
        pos = reanchor(
            article.text, Selector(note.start, note.end, note.exact, note.prefix, note.suffix)
        )
        if pos is None:
            point = min(note.start, len(article.text))
            return point, point
        return pos

    def restore_note(self, note: Note) -> bool:
        """Put ``note`` back as it was (id, times, selectors): for ``notes import``. Its span
        is re-anchored on the article's current text. False when a note with its id exists."""
        if not records.is_note_id(note.id):
            raise ValueError(f"note id {note.id!r} is not a UUID")
        clean_tags = _clean_tags(note.tags)
        with self._locked():
            body = self._body(note.article_id)
            art = records.body_article(body)
            doc_id = records.note_doc_id(note.id)
            if self._notes.contains(doc_id=doc_id):
                return False
            text = art["text"]
            sel = Selector(note.start, note.end, note.exact, note.prefix, note.suffix)
            pos = reanchor(text, sel)
            quote_ids = {q["id"] for q in records.body_quotes(body)}
            doc = {
                "id": note.id,
                "article_id": note.article_id,
                "text": note.text,
                "tags": clean_tags,
                "created": note.created or records.now(),
                "updated": note.updated or note.created or records.now(),
                "quote_id": note.quote_id if note.quote_id in quote_ids else None,
                "text_sha256": art["text_sha256"],
            }
            if pos is None:
                point = min(note.start, len(text))
                doc.update(
                    start=point, end=point, exact=note.exact, prefix=note.prefix,
                    suffix=note.suffix, orphaned=True,
                )  # fmt: skip
            else:
                new = select(text, *pos)
                doc.update(
                    start=new.start, end=new.end, exact=new.exact, prefix=new.prefix,
                    suffix=new.suffix, orphaned=False,
                )  # fmt: skip
            self._notes.insert(Document(doc, doc_id=doc_id))
        return True

    def delete_note(self, note_id: str) -> None:
        with self._locked():
            self._notes.remove(doc_ids=[self._note_doc_id(note_id)])

    def notes(self, article_id: str | None = None) -> list[Note]:
        """Notes of one article in text order, or of the whole library oldest first."""
        with self._mutex:
            docs = list(self._notes_tables().get("notes", {}).values())
            if article_id is None:
                return [Note.from_stored(d) for d in sorted(docs, key=lambda d: d["created"])]
            self._entry(article_id)
            mine = [d for d in docs if d["article_id"] == article_id]
        mine.sort(key=lambda d: (d["start"], d["end"], d["created"]))
        return [Note.from_stored(d) for d in mine]

    # ----------------------------------------------------------------- re-anchoring

    def _reanchor(self, article_id: str, new_body: Tables) -> None:
        """Move this article's notes and reviews onto its new text (one notes.json write)."""
        try:
            old_body: Tables | None = self._body(article_id)
        except LibraryError:
            old_body = None  # lost text: notes still carry their own selectors
        old_quotes = {q["id"]: q for q in records.body_quotes(old_body)} if old_body else {}

        raw = self._notes_storage.read() or {}
        # only records of the right shape move; bad ones stay as they are for doctor
        good, _ = valid_records(self._notes_storage.path, raw, NOTES_SCHEMAS)
        tables = {name: dict(table) for name, table in good.items()}
        if follow_text(tables, article_id, new_body, old_quotes):
            for name in ("notes", "reviews"):
                bad = {k: d for k, d in raw.get(name, {}).items() if k not in good.get(name, {})}
                raw[name] = {**tables.get(name, {}), **bad}
            self._notes_storage.write(raw)
