"""The catalog as shards with a small index: a write touches what it changes, a read loads
what it shows.

    catalog/index.json   TinyDB: meta (the schema version), shards (each shard's entry count
                         and the hash of its bytes), articles (per article: when it was added,
                         the first 16 hex of its text's sha256, hashes of its path and URL)
    catalog/<xx>.json    TinyDB: articles, the summaries of the articles whose id starts xx

Up to schema 1 the catalog was one file, ``catalog.json``, parsed and rewritten whole on
every write: 16 MB at 10,000 articles. Here saving one article rewrites its shard (1/256 of
the summaries) and the index; looking up one article reads its shard alone; listing newest
first reads the index, then each shard when its first article is due.

``ShardedCatalogStorage`` is a TinyDB ``Storage``: ``read()`` still gives every summary as
the one ``articles`` table (for the views that show the whole library), and ``write()``
rewrites only the shards whose entries changed. Each file is an ``AtomicJSONStorage``
(atomic replace, ``.bak``, the stamp-and-bytes cache). Shards are written before the
index; the index names each shard's hash, so a reader re-reads exactly the shards that
changed when the index did, and ``doctor`` sees a shard the index does not describe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from saidwho.store.errors import CorruptFileError, RecordError
from saidwho.store.ids import article_doc_id
from saidwho.store.storage import AtomicJSONStorage, Tables, parse_tables

CATALOG_DIR = "catalog"
INDEX = "index.json"
SHARDS = [f"{i:02x}" for i in range(256)]  # by the id's first two hex digits
SHARD_SET = frozenset(SHARDS)

Entries = dict[str, dict[str, Any]]  # doc_id -> catalog entry


def catalog_dir(root: Path) -> Path:
    return root / CATALOG_DIR


def shard_of(article_id: str) -> str:
    return article_id[:2]


def shard_path(root: Path, shard: str) -> Path:
    return catalog_dir(root) / f"{shard}.json"


def index_path(root: Path) -> Path:
    return catalog_dir(root) / INDEX


def source_key(value: str | None) -> str:
    """What the index keeps of a path or URL: a short hash, enough to find the one shard to
    look in (the entry itself is then compared)."""
    if not value:
        return ""
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def index_row(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One article's row in the index: added, text sha256 prefix, path and URL hashes."""
    row = {"a": entry.get("added"), "s": str(entry.get("text_sha256", ""))[:16]}
    for field, key in (("path", "p"), ("url", "u")):
        if entry.get(field):
            row[key] = source_key(entry[field])
    return row


def shard_digests(index: Mapping[str, Any] | None) -> dict[str, str]:
    """Each shard's digest as the catalog's index tables name it (shard -> digest): what a
    file derived from a shard is keyed to."""
    out = {}
    for row in ((index or {}).get("shards") or {}).values():
        if isinstance(row, dict) and row.get("name") in SHARD_SET and row.get("digest"):
            out[str(row["name"])] = str(row["digest"])
    return out


def digest_of(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def split(entries: Mapping[str, dict[str, Any]]) -> dict[str, Entries]:
    """Entries by shard (an entry without a usable id goes by its doc_id's digits)."""
    out: dict[str, Entries] = {}
    for key, entry in entries.items():
        aid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(aid, str) or len(aid) < 2:
            try:
                aid = f"{int(key):016x}"
            except ValueError:
                aid = "00"
        out.setdefault(shard_of(aid), {})[key] = entry
    return out


class ShardedCatalogStorage(Storage):
    """TinyDB storage for the catalog: ``{meta, articles}`` kept as ``catalog/index.json``
    and ``catalog/<xx>.json``. Thread-safety and the cross-process lock are the caller's
    (``LibraryFiles``), as for ``AtomicJSONStorage``."""

    def __init__(self, path: str | os.PathLike[str], *, backup: bool = True) -> None:
        super().__init__()
        self.path = Path(path)  # the catalog directory
        self.root = self.path.parent
        self.backup = backup
        self.index = AtomicJSONStorage(self.path / INDEX, backup=backup, root=self.path.parent)
        self._shards: dict[str, AtomicJSONStorage] = {}
        self._data: Tables | None = None  # every summary, assembled
        self._assembled_at = -1  # the index generation it was assembled at
        self.generation = 0

    # ----------------------------------------------------------------- files

    def shard(self, name: str) -> AtomicJSONStorage:
        storage = self._shards.get(name)
        if storage is None:
            storage = self._shards[name] = AtomicJSONStorage(
                self.path / f"{name}.json", backup=self.backup, root=self.path.parent
            )
        return storage

    def index_tables(self) -> Tables | None:
        """The index (None when there is none: a new library, or one of schema 1)."""
        return self.index.read()

    def shard_entries(self, name: str) -> Entries:
        """One shard's entries, read alone (its stamp decides whether it is parsed again)."""
        tables = self.shard(name).read()
        return (tables or {}).get("articles", {})

    def entry(self, article_id: str) -> dict[str, Any] | None:
        """One article's entry, reading its shard alone (not the index, not other shards)."""
        return self.shard_entries(shard_of(article_id)).get(str(article_doc_id(article_id)))

    def locate(self, error: RecordError) -> RecordError:
        """The same record error naming the file the record is in: its shard (an entry) or
        the index (meta)."""
        if error.table != "articles":
            return RecordError(self.index.path, error.table, error.key, error.reason)
        try:
            name = f"{int(error.key):016x}"[:2]
        except ValueError:
            name = "00"
        return RecordError(self.shard(name).path, error.table, error.key, error.reason)

    def rows(self) -> dict[str, dict[str, Any]]:
        """The index's article rows: doc_id -> {"a": added, "s": sha prefix, "k": source}."""
        return (self.index_tables() or {}).get("articles", {})

    # ----------------------------------------------------------------- Storage

    def read(self) -> Tables | None:
        index = self.index_tables()
        if index is None:
            if self._data is not None:
                self._drop()
            return None
        if self._data is not None and self._assembled_at == self.index.generation:
            return self._data
        articles: Entries = {}
        for row in sorted((index.get("shards") or {}).values(), key=lambda r: str(r.get("name"))):
            name = row.get("name")
            if isinstance(name, str) and name in SHARD_SET:
                articles.update(self.shard_entries(name))
        self._data = {"meta": index.get("meta") or {}, "articles": articles}
        self._assembled_at = self.index.generation
        self.generation += 1
        return self._data

    def write(self, data: Tables) -> None:
        """Replace the catalog with ``data``: the shards whose entries differ, then the index."""
        current = self.read() or {}
        old = split(current.get("articles") or {})
        articles = data.get("articles") or {}
        new = split(articles)
        # entries are replaced, never edited in place: `!=` compares by identity first
        changed = {name: new.get(name, {}) for name in set(old) | set(new)}
        changed = {name: e for name, e in changed.items() if old.get(name) != e}
        rows = {key: index_row(e) for key, e in articles.items()}
        self._write(changed, data.get("meta") or {}, rows, assembled=dict(articles), previous=old)

    def put_entries(self, entries: Mapping[str, dict[str, Any]]) -> None:
        """Add or replace these entries (doc_id -> entry): their shards (read alone), then
        the index. The other shards are neither read nor written."""
        index = self.index_tables() or {}
        previous = {name: self.shard_entries(name) for name in split(entries)}
        shards = {name: {**previous[name], **mine} for name, mine in split(entries).items()}
        rows = {**(index.get("articles") or {})}
        rows.update({key: index_row(e) for key, e in entries.items()})
        assembled = None
        if self._data is not None and self._assembled_at == self.index.generation:
            assembled = {**self._data["articles"], **entries}  # still current: kept up to date
        self._write(shards, index.get("meta") or {}, rows, assembled=assembled, previous=previous)

    def _write(
        self,
        shards: Mapping[str, Entries],
        meta: dict[str, Any],
        rows: dict[str, dict[str, Any]],
        *,
        assembled: Entries | None,
        fresh: bool = False,
        previous: Mapping[str, Entries] | None = None,
    ) -> None:
        # fresh: the whole layout is written (a migration, doctor), never the old index read
        shard_rows = {} if fresh else dict((self.index_tables() or {}).get("shards") or {})
        written: list[str] = []
        try:
            for name, entries in sorted(shards.items()):
                storage = self.shard(name)
                storage.write({"articles": dict(entries)})
                written.append(name)
                shard_rows[str(int(name, 16) + 1)] = {
                    "name": name,
                    "count": len(entries),
                    "digest": storage.digest(),
                }
            self.index.write({"meta": meta, "shards": shard_rows, "articles": rows})
        except BaseException:
            # a full disk at the index: the shards written go back to what the index still
            # describes, so no entry outlives a failed save (best effort: they are smaller)
            for name in written:
                with contextlib.suppress(Exception):
                    self.shard(name).write({"articles": dict((previous or {}).get(name, {}))})
            self.invalidate()
            raise
        if assembled is None:
            self._drop()  # assembled again by the next read() that wants every summary
        else:
            self._data = {"meta": meta, "articles": assembled}
            self._assembled_at = self.index.generation
            self.generation += 1

    def digest(self) -> str | None:
        """A hash naming this version of the whole catalog: the index's, which holds every
        shard's hash (derived files record it, as they did catalog.json's bytes)."""
        self.index_tables()
        return self.index.digest()

    def invalidate(self) -> None:
        self.index.invalidate()
        for storage in self._shards.values():
            storage.invalidate()
        self._drop()

    def _drop(self) -> None:
        self._data = None
        self._assembled_at = -1
        self.generation += 1

    def close(self) -> None:
        pass


def write_layout(root: Path, meta: dict[str, Any], entries: Mapping[str, dict[str, Any]]) -> None:
    """Lay ``entries`` out as shards and an index (a migration, ``doctor`` rebuilding)."""
    storage = ShardedCatalogStorage(catalog_dir(root))
    rows = {key: index_row(e) for key, e in entries.items()}
    storage._write(split(entries), meta, rows, assembled=None, fresh=True)  # noqa: SLF001


def key_id(key: str) -> str | None:
    """The article id a doc_id stands for (None for a key no article has)."""
    try:
        value = int(key)
    except ValueError:
        return None
    return f"{value:016x}" if 0 <= value < 16**16 else None


def newest_first(rows: Mapping[str, dict[str, Any]]) -> list[str]:
    """Article ids in ``Library.articles()`` order (newest added first, then by id); a row
    of the wrong shape is left out (``doctor`` reports the index)."""
    keyed = []
    for key, row in rows.items():
        aid = key_id(key)
        added = row.get("a") if isinstance(row, dict) else None
        if aid is not None:
            keyed.append((added if isinstance(added, str) else "", aid))
    keyed.sort(reverse=True)
    return [aid for _, aid in keyed]


def iter_entries(storage: ShardedCatalogStorage, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The entries of ``ids`` in that order, each shard read once, when first needed."""
    for aid in ids:
        entry = storage.entry(aid)
        if entry is not None:
            yield entry


def check_shard(path: Path, raw: bytes) -> str | None:
    """Why one shard file is unusable, or None."""
    try:
        tables = parse_tables(raw, path)
    except CorruptFileError as exc:
        return exc.reason
    if set(tables) - {"articles"}:
        return None  # a newer saidwho's extra table: not damage
    wrong = [
        key
        for key, entry in (tables.get("articles") or {}).items()
        if isinstance(entry.get("id"), str) and not str(entry["id"]).startswith(path.stem)
    ]
    if wrong:
        return f"holds {len(wrong)} entries of another shard"
    return None


_SCANS = 4  # look-ups per index generation answered by a scan before the maps are built


class RowIndex:
    """Look-ups over the index's rows (text sha prefix, source, ids), rebuilt only when the
    index changed: which entries to read, never the entries themselves."""

    def __init__(self, storage: ShardedCatalogStorage) -> None:
        self.storage = storage
        self._at = -1
        self._by_sha: dict[str, list[str]] = {}
        self._by_source: dict[tuple[str, str], list[str]] = {}  # ("p"|"u", hash) -> keys
        self._scanned = (-1, 0)  # (generation, look-ups answered by a scan at it)

    def _keys(self, field: str, value: str) -> list[str]:
        """The keys of the rows whose ``field`` is ``value``. The first few look-ups at an
        index generation scan the rows (a process that ingests one article asks two or
        three: building both maps cost 0.5 s at 100,000 articles); later ones build them."""
        generation = self.storage.index.generation
        if self._at != generation:
            at, done = self._scanned
            done = done + 1 if at == generation else 1
            self._scanned = (generation, done)
            if done <= _SCANS:
                rows = self.storage.rows()
                # the index writes these fields as strings (index_row): compared as they are
                return [
                    key
                    for key, row in rows.items()
                    if isinstance(row, dict) and row.get(field) == value
                ]
        self._fresh()
        if field == "s":
            return self._by_sha.get(value, [])
        return self._by_source.get((field, value), [])

    def _fresh(self) -> dict[str, dict[str, Any]]:
        rows = self.storage.rows()
        if self._at != self.storage.index.generation:
            by_sha: dict[str, list[str]] = {}
            by_source: dict[tuple[str, str], list[str]] = {}
            for key, row in rows.items():
                if not isinstance(row, dict):
                    continue
                by_sha.setdefault(str(row.get("s")), []).append(key)
                for field in ("p", "u"):
                    if row.get(field):
                        by_source.setdefault((field, str(row[field])), []).append(key)
            self._by_sha, self._by_source = by_sha, by_source
            self._at = self.storage.index.generation
        return rows

    def _entries(self, keys: list[str]) -> list[dict[str, Any]]:
        out = []
        for key in keys:
            aid = key_id(key)
            entry = self.storage.entry(aid) if aid is not None else None
            if entry is not None:
                out.append(entry)
        return out

    def with_sha(self, sha: str) -> list[dict[str, Any]]:
        """Entries whose text has this sha256."""
        entries = self._entries(self._keys("s", sha[:16]))
        return [e for e in entries if e.get("text_sha256") == sha]

    def with_source(self, field: str, value: str) -> list[dict[str, Any]]:
        """Entries whose ``path`` (or ``url``) is ``value``."""
        # "path" -> "p", "url" -> "u"
        entries = self._entries(self._keys(field[0], source_key(value)))
        return [e for e in entries if e.get(field) == value]

    def has_key(self, key: str) -> bool:
        return key in self.storage.rows()  # no look-up maps needed

    def count(self) -> int:
        return len(self.storage.rows())  # no look-ups built: the reader's start asks this

    def ids_starting(self, prefix: str) -> list[str]:
        """Article ids starting with ``prefix`` (lower case hex), from the shards it can be in."""
        names = [prefix[:2]] if len(prefix) >= 2 else [n for n in SHARDS if n[0] == prefix]
        out: list[str] = []
        for name in names:
            for entry in self.storage.shard_entries(name).values():
                aid = entry.get("id")
                if isinstance(aid, str) and aid.startswith(prefix):
                    out.append(aid)
        return sorted(out)
