"""The library's files and what every part of the library shares.

    catalog/index.json           TinyDB: meta (schema_version), shards, articles (a row each)
    catalog/<xx>.json            TinyDB: articles (summaries, no text) whose id starts xx
    notes/<xx>.json, shared.json TinyDB: notes, reviews, reads, speakers (what the user wrote),
                                 by article id like the catalog, each with its journal
    articles/<id[:2]>/<id>.json  one TinyDB per article: its text, paragraphs and quotes
    .lock                        cross-process lock held around every read-modify-write

``LibraryFiles`` opens (creates, migrates) the directory and holds the locks, the catalog's
and the notes' shards, their schema-checked reads and the values derived from them, cached
on the files' generations. The parts of ``Library`` (catalog, notes, reviews, speakers:
store/library.py) share one instance; nothing here knows what the records mean beyond their
schemas.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Table

from saidwho.store import notes_migration, records
from saidwho.store.errors import (
    CorruptFileError,
    LibraryError,
    NotFoundError,
    RecordError,
    SchemaError,
)
from saidwho.store.note_shards import SHARED, NoteShards, merge, notes_dir, shard_of
from saidwho.store.quote_map import QuoteMap, map_dir
from saidwho.store.records import CATALOG, LOCK, NOTES
from saidwho.store.schema import MIGRATIONS, SCHEMA_VERSION, peek_meta
from saidwho.store.shape import to_doc
from saidwho.store.shard_migration import set_aside
from saidwho.store.shards import ShardedCatalogStorage, catalog_dir, index_path, write_layout
from saidwho.store.speaker_index import SpeakerIndex
from saidwho.store.storage import (
    AtomicJSONStorage,
    Tables,
    backup_path,
    is_temp_file,
    make_dirs,
    parse_tables,
    read_tables,
)
from saidwho.store.validate import CATALOG_SCHEMAS, NOTES_SCHEMAS, valid_body, valid_records


class LibraryFiles:
    """A library directory's files, locks and caches. Thread-safe; several processes may
    share one directory."""

    def __init__(self, root: Path, *, lock_timeout: float = 60.0) -> None:
        self.root = root
        try:
            make_dirs(self.root)
        except FileExistsError:
            raise LibraryError(f"{self.root} is a file; a library is a folder") from None
        except OSError as exc:
            raise LibraryError(
                f"cannot create library directory {self.root}: {exc.strerror or exc}"
            ) from None
        # Three locks, always taken in this order: _writer (one writing thread per process),
        # the file lock (one writing process), mutex (guards the parse caches, which writes
        # edit in place). Readers take only mutex, so a reader never waits for another
        # process's write, only for this process's write to finish.
        self._writer = threading.RLock()
        self.mutex = threading.RLock()
        # filelock polls a held lock; its 50 ms default would add up to 50 ms to a note save
        # that queues behind another process's write
        self._flock = FileLock(
            str(self.root / LOCK), timeout=lock_timeout, thread_local=False, poll_interval=0.005
        )
        self._views: dict[str, tuple[tuple[int, int], Any]] = {}
        # per file: the records that failed their schema (skipped, reported, kept on disk)
        self._record_errors: dict[Path, list[RecordError]] = {}
        self._checked: dict[str, tuple[int, Tables]] = {}
        self._passed: dict[str, Tables] = {}  # see _valid
        self._swept = False  # temp files of dead writers are removed once per instance
        # the catalog: shards and an index (store/shards.py), one TinyDB over all of them
        self._catalog_db = TinyDB(catalog_dir(self.root), storage=ShardedCatalogStorage)
        # what the user wrote: shards by article id, each journaled (store/note_shards.py)
        self.note_shards = NoteShards(self.root)
        # (the shards' parts it was merged from, the merged tables): see notes_tables
        self._merged: tuple[list[tuple[str, Tables]], Tables] | None = None
        self._per_shard: dict[str, dict[str, tuple[Tables, Any]]] = {}
        self.notes_generation = 0  # bumped when the merged notes tables change
        self.quote_map = QuoteMap(self.root)  # which article holds each quote (derived)
        self._open()

    # ----------------------------------------------------------------- locks and storages

    @property
    def catalog_storage(self) -> ShardedCatalogStorage:
        return self._catalog_db.storage  # type: ignore[return-value]

    def user_table(self, name: str, article_id: str | None) -> Table:
        """Table ``name`` of the notes shard that holds ``article_id``'s records (None: the
        shared shard, for records of no article): a write rewrites that shard alone."""
        return self.note_shards.table(name, article_id)

    def invalidate(self) -> None:
        self.catalog_storage.invalidate()
        self.note_shards.invalidate()
        self._merged = None

    @contextmanager
    def locked(self) -> Iterator[None]:
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
                with self.mutex:
                    if not self._swept:
                        self._clean_temp_files()
                        self._swept = True
                    try:
                        yield
                    except BaseException:
                        # TinyDB edits the cached tables in place before writing them
                        self.invalidate()
                        raise
            finally:
                self._flock.release()

    # ----------------------------------------------------------------- opening

    def _open(self) -> None:
        # the index alone says the schema: opening never reads the catalog's shards, and
        # a current library not even the whole index (read when first needed)
        meta = peek_meta(index_path(self.root))
        if (
            meta is not None
            and self._schema_version({"meta": meta}, index_path(self.root)) == SCHEMA_VERSION
            and not (self.root / CATALOG).exists()
            and not (self.root / NOTES).exists()
        ):
            return
        index = self.catalog_storage.index_tables()
        if index is None:
            # schema 1 (or a newer saidwho's one-file catalog): refused before any lock file
            legacy = read_tables(self.root / CATALOG)
            if legacy is not None:
                self._schema_version(legacy, self.root / CATALOG)
        if index is None or self._schema_version(index, index_path(self.root)) != SCHEMA_VERSION:
            with self.locked():
                self._initialise_or_migrate()
        if (self.root / CATALOG).exists() and self.catalog_storage.index_tables() is not None:
            with self.locked():  # a migration stopped after writing the index: finish it
                set_aside(self.root)
        if (self.root / NOTES).exists():
            with self.locked():  # notes.json at schema 3: its records join the shards
                notes_migration.finish(self.root)

    def _schema_version(self, tables: Tables, path: Path) -> int:
        meta = tables.get("meta") or {}
        doc: dict[str, Any] = next(iter(meta.values()), {})
        version = doc.get("schema_version")
        if not isinstance(version, int):
            raise CorruptFileError(path, "no schema_version in table meta")
        if version > SCHEMA_VERSION:
            raise SchemaError(
                f"{self.root} was written by a newer saidwho (library schema {version}, this "
                f"version understands up to {SCHEMA_VERSION}); upgrade saidwho to open it. "
                "Nothing was changed."
            )
        return version

    def _initialise_or_migrate(self) -> None:
        storage = self.catalog_storage
        storage.invalidate()  # another process may have done it while we waited for the lock
        index = storage.index_tables()
        if index is not None:
            version = self._schema_version(index, index_path(self.root))
        else:
            self._refuse_if_backup_only(index_path(self.root))
            legacy = read_tables(self.root / CATALOG)  # schema 1: one file
            if legacy is None:
                self._refuse_if_backup_only(self.root / CATALOG)
                bodies = self.root / records.ARTICLES_DIR
                if bodies.is_dir() and any(bodies.glob("*/*.json")):
                    raise LibraryError(
                        f"the catalog ({catalog_dir(self.root)}) is missing but {bodies} holds "
                        "articles; run `saidwho doctor --repair` to rebuild the catalog"
                    )
                write_layout(self.root, {"1": to_doc(records.SchemaMeta(SCHEMA_VERSION))}, {})
                self.quote_map.write_all({})
                SpeakerIndex(self.root).build([])  # kept with every save from now on
                storage.invalidate()
                return
            version = self._schema_version(legacy, self.root / CATALOG)
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise SchemaError(f"no migration from library schema {version} in {self.root}")
            step(self.root)
            version += 1
            # the version lives in the index: bumped there alone, never the shards read
            storage.invalidate()
            index = storage.index_tables() or {}
            storage.index.write({**index, "meta": {"1": to_doc(records.SchemaMeta(version))}})
            storage.invalidate()

    def _refuse_if_backup_only(self, path: Path) -> None:
        # Creating a fresh file here would soon push the last good copy out of .bak.
        if backup_path(path).exists():
            raise LibraryError(
                f"{path} is missing but its last good copy {backup_path(path).name} exists; "
                "run `saidwho doctor --repair` to restore it"
            )

    def _clean_temp_files(self) -> None:
        # Under the lock no other writer is mid-write, so any temp file is a dead write.
        folders = [self.root, catalog_dir(self.root), notes_dir(self.root), map_dir(self.root)]
        for path in (p for folder in folders if folder.is_dir() for p in folder.iterdir()):
            if is_temp_file(path):
                path.unlink(missing_ok=True)

    # ----------------------------------------------------------------- schema-checked reads

    def _valid(
        self,
        storage: AtomicJSONStorage | ShardedCatalogStorage,
        schemas: dict[str, Any],
        *,
        replaced: bool = False,
    ) -> Tables:
        """The file's tables without the records that fail their schema (checked once per
        version of the file). Writes go through TinyDB on the raw tables, so a bad record
        stays on disk, untouched, until ``doctor --repair`` moves it aside. ``replaced``:
        the file's records are replaced, never edited in place (the catalog: see
        ``Catalog.save_articles``), so after this process's own write only the new ones are
        checked (10,000 catalog entries took ~100 ms)."""
        tables = storage.read() or {}
        name = str(storage.path)  # notes/00.json and catalog/00.json are two files
        hit = self._checked.get(name)
        if hit is not None and hit[0] == storage.generation:
            return hit[1]
        passed = self._passed.get(name) if replaced else None
        good, errors = valid_records(storage.path, tables, schemas, passed)
        if isinstance(storage, ShardedCatalogStorage):
            # each error names the shard its record is in (the entries are read as one table)
            errors = [storage.locate(e) for e in errors]
            for path in [p for p in self._record_errors if p.parent == storage.path]:
                del self._record_errors[path]
            for path in {e.path for e in errors}:
                self._note_errors(path, [e for e in errors if e.path == path])
        else:
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
        """Records skipped because they have the wrong shape, in the files read so far."""
        with self.mutex:
            return [e for errors in self._record_errors.values() for e in errors]

    def catalog(self) -> dict[str, dict[str, Any]]:
        """Catalog entries that pass their schema (shared with the cache: never mutate)."""
        return self._valid(self.catalog_storage, CATALOG_SCHEMAS, replaced=True).get("articles", {})

    def notes_parts(self) -> list[tuple[str, Tables]]:
        """Each notes shard's records that pass their schema, in shard order (the cache's
        own objects: never mutate; the same object while the shard is unchanged). Each
        shard is stat'ed, and parsed (and checked) only when its bytes changed: a file
        changed by any hand is seen, as notes.json was."""
        shards = self.note_shards
        return [(n, self._valid(shards.storage(n), NOTES_SCHEMAS)) for n in shards.names()]

    def notes_tables(self) -> Tables:
        """What the user wrote, every shard's records that pass their schema, as one set of
        tables (shared with the cache: never mutate). A write changes one shard: only its
        records are taken out of the merged tables and put back."""
        parts = self.notes_parts()
        if self._merged is not None:
            before, merged = self._merged
            if [n for n, _ in before] == [n for n, _ in parts]:
                pairs = zip(before, parts, strict=True)
                changed = [(old, new) for (_, old), (_, new) in pairs if old is not new]
                if not changed:
                    return merged
                merged = {table: dict(docs) for table, docs in merged.items()}  # copy on write
                for old, new in changed:
                    for table, docs in old.items():
                        for key in docs:
                            merged[table].pop(key, None)
                    for table, docs in new.items():
                        merged.setdefault(table, {}).update(docs)
                self._merged = (parts, merged)
                self.notes_generation += 1
                return merged
        self._merged = (parts, merge([tables for _, tables in parts]))
        self.notes_generation += 1
        return self._merged[1]

    def per_notes_shard(self, name: str, build: Callable[[Tables], Any]) -> list[Any]:
        """``build`` of each notes shard's records, in shard order, made again only for the
        shards that changed (a value of the whole library made in time of the change)."""
        cache = self._per_shard.setdefault(name, {})
        out = []
        for shard, tables in self.notes_parts():
            hit = cache.get(shard)
            if hit is None or hit[0] is not tables:
                hit = cache[shard] = (tables, build(tables))
            out.append(hit[1])
        return out

    def article_notes_tables(self, article_id: str) -> Tables:
        """The records of the notes shard that holds ``article_id``'s (schema-checked; the
        caller picks the article's own): one shard read, not the library."""
        return self._valid(self.note_shards.storage(shard_of(article_id)), NOTES_SCHEMAS)

    def shared_notes_tables(self) -> Tables:
        """The records of no article (the speaker decisions): the shared shard alone."""
        return self._valid(self.note_shards.storage(SHARED), NOTES_SCHEMAS)

    def reviews_of(self, article_id: str) -> list[dict[str, Any]]:
        """One article's review records, from its notes shard alone."""
        reviews = self.article_notes_tables(article_id).get("reviews", {}).values()
        return [r for r in reviews if r["article_id"] == article_id]

    def entry(self, article_id: str) -> dict[str, Any]:
        """One article's catalog entry, read from its shard alone; NotFoundError when there
        is none (or it fails its schema: skipped, as in ``catalog()``)."""
        if not isinstance(article_id, str) or not records.is_article_id(article_id):
            raise NotFoundError(f"no article {article_id!r}")
        key = str(records.article_doc_id(article_id))
        entry = self.catalog_storage.entry(article_id)
        if entry is not None:
            path = self.catalog_storage.shard(article_id[:2]).path
            good, errors = valid_records(path, {"articles": {key: entry}}, CATALOG_SCHEMAS)
            if errors:  # one line for this record, however often it is looked up
                kept = [e for e in self._record_errors.get(path, []) if e.key != key]
                self._record_errors[path] = kept + errors
            entry = good["articles"].get(key)
        if entry is None:
            raise NotFoundError(f"no article {article_id!r}")
        return entry

    def body(self, article_id: str, entry: dict[str, Any] | None = None) -> Tables:
        """One article file's tables, its bad quotes left out (CorruptFileError when the
        file is unusable, LibraryError when it is missing)."""
        if entry is None:
            entry = self.entry(article_id)
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

    def reviews_by_article(self) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for review in self.notes_tables().get("reviews", {}).values():
            grouped[review["article_id"]].append(review)
        return grouped

    # ----------------------------------------------------------------- derived views

    def view(self, name: str, build: Callable[[], Any]) -> Any:
        """A value derived from the catalog and notes, rebuilt only when either file changed."""
        self.catalog()
        self.notes_tables()  # both reads refresh the storages' generations
        key = (self.catalog_storage.generation, self.notes_generation)
        return self._cached(name, key, build)

    def catalog_view(self, name: str, build: Callable[[], Any]) -> Any:
        """A value derived from the catalog alone, rebuilt only when the catalog changed."""
        self.catalog()
        return self._cached(name, (self.catalog_storage.generation, -1), build)

    def _cached(self, name: str, key: tuple[int, int], build: Callable[[], Any]) -> Any:
        hit = self._views.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        self._views[name] = (key, value)
        return value

    def newest_first(self) -> list[dict[str, Any]]:
        """The catalog entries in the order of ``articles()``: newest first, then by id."""
        entries: list[dict[str, Any]] = self.catalog_view(
            "newest_first",
            lambda: sorted(
                self.catalog().values(),
                key=lambda e: (e.get("added") or "", e["id"]),
                reverse=True,
            ),
        )
        return entries
