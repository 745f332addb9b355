"""What the user writes (notes, reviews, read marks, speaker decisions) as shards, each
with its own journal, so that a write touches what it changes.

    notes/<xx>.json            TinyDB: notes, reviews, reads of the articles whose id starts xx
    notes/<xx>.journal.jsonl   that shard's journal (store/journal.py)
    notes/shared.json          TinyDB: records of no article (the speaker decisions), + journal
    notes/index.json           each shard's record count and the hash of its bytes

Up to schema 2 all of it was one file, ``notes.json``, parsed, diffed against its journal
and rewritten whole on every write (15.7 MB at 100,000 articles with work on 1 in 20:
3.7 s per note). Here a note, a review or a read mark reads and rewrites its article's
shard alone (1/256 of the work) and appends to that shard's journal; library-wide views
merge every shard, each parsed only when its bytes changed.

A record goes to the shard of its ``article_id`` (the same two hex digits as the catalog
and ``articles/``), or to ``shared`` when it has none. Each shard is a ``JournaledStorage``
(atomic replace, ``.bak``, the journal appended and fsynced before the write returns),
each its own TinyDB, so every write path journals without being edited. The index is
derived: written after the shard, it is the one file whose stamp says that something the
user wrote changed (the reader watches it) and lets ``doctor`` see a shard written
without it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from saidwho.store.errors import CorruptFileError, LibraryError
from saidwho.store.journal import JournaledStorage
from saidwho.store.shards import SHARD_SET, SHARDS
from saidwho.store.storage import AtomicJSONStorage, Tables, backup_path
from saidwho.store.targets import check_target

NOTES_DIR = "notes"
SHARED = "shared"  # records that belong to no article: the speaker decisions
NAMES = [*SHARDS, SHARED]
INDEX = "index.json"
JOURNAL_SUFFIX = ".journal.jsonl"
_NAME_SET = frozenset(NAMES)


def notes_dir(root: Path) -> Path:
    return root / NOTES_DIR


def shard_path(root: Path, name: str) -> Path:
    return notes_dir(root) / f"{name}.json"


def journal_path(root: Path, name: str) -> Path:
    return notes_dir(root) / f"{name}{JOURNAL_SUFFIX}"


def index_path(root: Path) -> Path:
    return notes_dir(root) / INDEX


def shard_name(path: Path) -> str | None:
    """The shard a file of notes/ belongs to (its data, .bak or journal), or None."""
    name = path.name.removesuffix(".bak")
    for suffix in (JOURNAL_SUFFIX, ".json"):
        if name.endswith(suffix) and name.removesuffix(suffix) in _NAME_SET:
            return name.removesuffix(suffix)
    return None


def shard_of(article_id: str | None) -> str:
    """The shard of an article's records (``shared`` for none)."""
    if isinstance(article_id, str) and article_id[:2] in SHARD_SET:
        return article_id[:2]
    return SHARED


def shard_for(doc: Any) -> str:
    """The shard a record is kept in: its article's, else ``shared``."""
    return shard_of(doc.get("article_id") if isinstance(doc, dict) else None)


def split(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, Tables]:
    """Tables by shard (empty tables are left out)."""
    out: dict[str, Tables] = {}
    for table, docs in tables.items():
        for key, doc in docs.items():
            out.setdefault(shard_for(doc), {}).setdefault(table, {})[key] = doc
    return out


def merge(parts: list[Tables]) -> Tables:
    """Shards' tables as one set of tables (keys are unique across shards: uuids, article
    and quote ids)."""
    out: Tables = {"notes": {}, "reviews": {}, "reads": {}}
    for tables in parts:
        for table, docs in tables.items():
            out.setdefault(table, {}).update(docs)
    return out


def index_row(storage: AtomicJSONStorage) -> dict[str, Any]:
    tables = storage.read() or {}
    return {"count": sum(len(t) for t in tables.values()), "digest": storage.digest()}


class ShardStorage(JournaledStorage):
    """One shard: a journaled atomic file; ``on_write`` runs after each write (the index)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        journal: Path,
        root: Path,
        on_write: Callable[[ShardStorage], None],
    ) -> None:
        super().__init__(path, journal=journal, root=root)
        self.on_write = on_write

    def read(self) -> Tables | None:
        data = super().read()
        if data is None and backup_path(self.path).exists():
            # a fresh file here would soon push the last good copy out of .bak
            raise LibraryError(
                f"{self.path} is missing but its last good copy {backup_path(self.path).name} "
                "exists; run `saidwho doctor --repair` to restore it"
            )
        return data

    def write(self, data: Tables) -> None:
        # the index is written after the shard: a link in its place refuses the write first
        check_target(index_path(self.root or self.path.parent.parent), self.root)
        super().write(data)
        self.on_write(self)


class NoteShards:
    """The shards of what the user wrote, each a TinyDB opened when first used. Thread-safety
    and the cross-process lock are the caller's (``LibraryFiles``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = notes_dir(root)
        # derived, and reads never depend on it: not fsynced (two fsyncs less per write)
        self.index = AtomicJSONStorage(index_path(root), backup=False, root=root, sync=False)
        self._dbs: dict[str, TinyDB] = {}

    def db(self, name: str) -> TinyDB:
        db = self._dbs.get(name)
        if db is None:
            db = self._dbs[name] = TinyDB(
                shard_path(self.root, name),
                storage=ShardStorage,
                journal=journal_path(self.root, name),
                root=self.root,
                on_write=self._written,
            )
        return db

    def storage(self, name: str) -> ShardStorage:
        return self.db(name).storage  # type: ignore[return-value]

    def table(self, table: str, article_id: str | None) -> Table:
        """``table`` of the shard holding ``article_id``'s records (``None``: shared)."""
        return self.db(shard_of(article_id)).table(table, cache_size=0)

    def names(self) -> list[str]:
        """The shards on disk (a file or its last good copy), in order."""
        try:
            entries = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        found = {shard_name(Path(n)) for n in entries if n.endswith((".json", ".json.bak"))}
        return [n for n in NAMES if n in found]

    def read_all(self) -> list[tuple[str, Tables]]:
        """Every shard's raw tables (the storages' own: never mutate)."""
        out = []
        for name in self.names():
            tables = self.storage(name).read()
            if tables is not None:
                out.append((name, tables))
        return out

    def find(self, table: str, key: str) -> str | None:
        """The shard whose ``table`` holds ``key`` (reads every shard: for a record whose
        article is not known)."""
        for name, tables in self.read_all():
            if key in (tables.get(table) or {}):
                return name
        return None

    def _written(self, storage: ShardStorage) -> None:
        """After a shard's write: its row in the index (the one file the reader watches)."""
        name = shard_name(storage.path)
        assert name is not None
        try:
            rows = dict((self.index.read() or {}).get("shards") or {})
        except CorruptFileError:  # derived: a damaged one is made again from the shards
            self.write_index()
            return
        rows[name] = index_row(storage)
        self.index.write({"shards": rows})

    def write_index(self) -> None:
        """The index made again from the shards (a migration, ``doctor``)."""
        rows = {name: index_row(self.storage(name)) for name in self.names()}
        self.index.write({"shards": rows})

    def replace_all(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        """Make the records exactly ``tables``: each shard whose records differ is rewritten
        (and journaled). If one write fails, the shards already written are put back (best
        effort), so the change is all or nothing (``notes import``)."""
        current = dict(self.read_all())
        new = split(tables)
        written: list[tuple[str, Tables]] = []
        try:
            for name in [n for n in NAMES if n in new or n in current]:
                before = current.get(name) or {}
                after = new.get(name, {})
                if _same(before, after):
                    continue
                previous = {t: dict(d) for t, d in before.items()}
                self.storage(name).write({t: dict(d) for t, d in after.items()})
                written.append((name, previous))
        except BaseException:
            for name, previous in reversed(written):
                with contextlib.suppress(Exception):
                    self.storage(name).write(previous)
            self.invalidate()
            raise

    def invalidate(self) -> None:
        self.index.invalidate()
        for db in self._dbs.values():
            db.storage.invalidate()  # type: ignore[attr-defined]


def _same(a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]]) -> bool:
    keep = [t for t in set(a) | set(b) if (a.get(t) or b.get(t))]
    return all(a.get(t) == b.get(t) for t in keep)
