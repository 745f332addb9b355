"""The library list without the catalog: what the reader's list shows of each article, kept
per shard in small derived files, and the list's first page from the index alone.

    catalog/list/<xx>.json          {"from": the digest of catalog/<xx>.json it was made
                                     from, "rows": {id: [title, subtitle, ..., updated]}}
    catalog/list/<xx>.counts.json   {"from": ..., "counts": {id: machine speaker counts}}
    catalog/list/head.json          {"from": the index's digest, "total": how many
                                     articles, "rows": the newest articles' rows}

A catalog shard holds each article's speaker roles, mentions and contexts (580 KB per shard
at 100,000 articles); its list file holds the fields a row of the list shows (~260 KB).
The first page reads ``head.json`` (or the index, for the order, and the list files of the
articles on that page); the whole list reads the 256 list files, never a shard that has
not changed. A list file is derived: it names the shard bytes it was made from, and one
that does not match the index's digest for its shard (or is missing, or damaged) is made
again from that shard alone, on read, and written back for the next process (best effort).

``ListRow`` is a typed tuple (no dict per row; sources and speaker names interned):
100,000 of them hold ~127 MB, and ``row.summary()`` is the ``ArticleSummary``.
``article_list`` applies the user's state (notes, read marks, speaker reassignments) and
the speaker identities' names exactly as ``Library.articles()`` does, from the notes and
speaker-names.json; it builds the identities only when speaker-names.json is stale.
"""

from __future__ import annotations

import contextlib
import heapq
import sys
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from saidwho.core.heap import paused_gc
from saidwho.store import records, speaker_names
from saidwho.store.errors import CorruptFileError, NotFoundError
from saidwho.store.shards import (
    SHARD_SET,
    SHARDS,
    catalog_dir,
    digest_of,
    key_id,
    shard_digests,
    shard_of,
)
from saidwho.store.speakers import naming_inputs
from saidwho.store.storage import atomic_write, dumps, loads, parse_tables
from saidwho.store.targets import UnsafeTargetError
from saidwho.store.validate import CATALOG_SCHEMAS, valid_records
from saidwho.store.views import ArticleSummary

if TYPE_CHECKING:
    from saidwho.store.files import LibraryFiles
    from saidwho.store.library import Library

LIST_DIR = "list"  # inside catalog/
HEAD = "head.json"  # the newest articles' rows, for the list's first paint
FORMAT = 1


def list_path(root: Path, shard: str) -> Path:
    return catalog_dir(root) / LIST_DIR / f"{shard}.json"


def counts_path(root: Path, shard: str) -> Path:
    return catalog_dir(root) / LIST_DIR / f"{shard}.counts.json"


def is_list_file(name: str) -> bool:
    """A file name this module writes in ``catalog/list/``."""
    stem = name.removesuffix(".json").removesuffix(".counts")
    return name == HEAD or (name.endswith(".json") and stem in SHARD_SET)


class ListRow(NamedTuple):
    """One row of the library list: ``ArticleSummary``'s fields, in its order."""

    id: str
    title: str
    subtitle: str | None
    source: str | None
    author: str | None
    date: str | None
    url: str | None
    path: str | None
    text_sha256: str
    quotes: int
    notes: int
    read: bool
    speakers: tuple[str, ...]
    added: str | None
    updated: str | None

    def summary(self) -> ArticleSummary:
        """The same article as ``Library.articles()`` gives it."""
        return ArticleSummary(**self._asdict())

    @classmethod
    def of(cls, summary: ArticleSummary) -> ListRow:
        return cls(**{name: getattr(summary, name) for name in cls._fields})


_intern = sys.intern


_STORED = 12  # the fields a list file stores of a row


def _row(aid: str, values: list[Any]) -> ListRow:
    """A row as a list file stores it (without id, notes and read); names and sources repeat
    across thousands of articles: interned, they are kept once."""
    title, subtitle, source, author, date, url, path, sha, quotes, speakers, added, updated = values
    return ListRow(
        aid,
        title,
        subtitle,
        _intern(source) if source else source,
        _intern(author) if author else author,
        _intern(date) if date else date,
        url,
        path,
        sha,
        quotes,
        0,
        False,
        tuple(_intern(name) for name in speakers),
        added,
        updated,
    )


def _stored(summary: ArticleSummary) -> list[Any]:
    s = summary
    return [s.title, s.subtitle, s.source, s.author, s.date, s.url, s.path, s.text_sha256,
            s.quotes, list(s.speakers), s.added, s.updated]  # fmt: skip


def _machine_speakers(entry: Mapping[str, Any]) -> tuple[str, ...]:
    if "speakers" in entry:
        return tuple(entry["speakers"])  # precomputed when the article was saved
    counts = Counter(entry.get("speaker_counts") or {})
    return tuple(name for name, _ in records.group_names(counts))


class ShardRows:
    """One shard's rows as its list file stores them, made into ``ListRow`` when asked for
    (the stored lists are then let go)."""

    def __init__(self, digest: str, stored: dict[str, list[Any]]) -> None:
        self.digest = digest
        self.stored = stored
        self._rows: dict[str, ListRow] | None = None

    def row(self, aid: str) -> ListRow | None:
        if self._rows is not None:
            return self._rows.get(aid)
        values = self.stored.get(aid)
        return None if values is None else _row(aid, values)

    def rows(self) -> dict[str, ListRow]:
        if self._rows is None:
            self._rows = {aid: _row(aid, values) for aid, values in self.stored.items()}
            self.stored = {}
        return self._rows


Counts = dict[str, dict[str, int]]  # article id -> its machine speaker counts


def derive(root: Path, shard: str) -> tuple[ShardRows, Counts] | None:
    """A shard's rows and speaker counts made from the shard file itself (its bad records
    left out, as the catalog leaves them out); None when it is missing or unusable (doctor
    reports it)."""
    path = catalog_dir(root) / f"{shard}.json"
    try:
        raw = path.read_bytes()
        tables = parse_tables(raw, path)
    except (OSError, CorruptFileError):
        return None
    good, _ = valid_records(path, {"articles": tables.get("articles") or {}}, CATALOG_SCHEMAS)
    stored: dict[str, list[Any]] = {}
    counts: Counts = {}
    for entry in good.get("articles", {}).values():
        summary = ArticleSummary.from_entry(entry, _machine_speakers(entry))
        stored[summary.id] = _stored(summary)
        counts[summary.id] = dict(entry.get("speaker_counts") or {})
    return ShardRows(digest_of(raw), stored), counts


def _write(root: Path, shard: str, made: ShardRows, counts: Counts) -> None:
    # derived and keyed by its shard's digest: a read-only library or a full disk only costs
    # the next process a derive; a link in its place is refused (store/targets.py)
    for path, key, value in (
        (counts_path(root, shard), "counts", counts),
        (list_path(root, shard), "rows", made.stored),
    ):
        data = {"format": FORMAT, "from": made.digest, key: value}
        with contextlib.suppress(OSError, UnsafeTargetError):
            atomic_write(path, dumps(data), backup=False, root=root)


def _read(path: Path, key: str, digest: str) -> dict[str, Any] | None:
    """``key``'s table of the derived file at ``path`` when it was made from the shard bytes
    named ``digest``."""
    data = _derived(path, digest)
    table = data.get(key) if data is not None else None
    return table if isinstance(table, dict) else None


def _derived(path: Path, digest: str) -> dict[str, Any] | None:
    """The derived file at ``path``, if it is this format and was made from ``digest``."""
    try:
        data = loads(path.read_bytes(), path)
    except (OSError, CorruptFileError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("from") != digest:
        return None
    return data


def _read_rows(root: Path, shard: str, digest: str) -> ShardRows | None:
    stored = _read(list_path(root, shard), "rows", digest)
    if stored is None or not all(
        isinstance(v, list) and len(v) == _STORED for v in stored.values()
    ):
        return None  # missing, stale or damaged: made again
    return ShardRows(digest, stored)


class ArticleRows:
    """The list files of one library, each kept parsed until its shard changes."""

    def __init__(self, files: LibraryFiles) -> None:
        self.files = files
        self.root = files.root
        self._shards: dict[str, ShardRows] = {}
        self._lock = threading.Lock()
        #: speaker-names.json as last read, with the key it was made from
        self.names: tuple[str, Mapping[str, tuple[str, ...]]] | None = None
        #: the user's state, with the notes generation and index digest it was made at
        self.state: tuple[tuple[int, str | None], UserState] | None = None

    def digests(self) -> dict[str, str]:
        """Each shard's digest as the catalog's index names it (shard -> digest)."""
        with self.files.mutex:
            return shard_digests(self.files.catalog_storage.index_tables())

    def newest(self, size: int) -> tuple[int, list[str]]:
        """How many articles the index lists, and the ids of the ``size`` newest (the order
        of ``Library.articles()``, without sorting or naming the other 100,000)."""
        with self.files.mutex:
            rows = self.files.catalog_storage.rows()
        keyed = heapq.nlargest(size, rows.items(), key=_newest_key)
        ids = [aid for aid in (key_id(key) for key, _ in keyed) if aid is not None]
        return len(rows), ids

    def shard(self, name: str, digest: str | None) -> ShardRows | None:
        with self._lock:
            kept = self._shards.get(name)
        if kept is not None and kept.digest == digest:
            return kept
        made = _read_rows(self.root, name, digest) if digest else None
        if made is None:
            derived = self._derive(name, digest)
            if derived is None:
                return None
            made = derived[0]
        with self._lock:
            self._shards[name] = made
        return made

    def _derive(self, name: str, digest: str | None) -> tuple[ShardRows, Counts] | None:
        derived = derive(self.root, name)
        if derived is not None and derived[0].digest == digest:
            _write(self.root, name, *derived)  # the index describes these bytes: kept
        return derived

    def counts(self, ids: Iterable[str]) -> Counts:
        """The machine speaker counts of ``ids``, from the counts files of their shards
        (read for this call only: only an article with reassigned speakers needs them)."""
        digests = self.digests()
        wanted: dict[str, list[str]] = {}
        for aid in ids:
            wanted.setdefault(shard_of(aid), []).append(aid)
        out: Counts = {}
        for name, aids in wanted.items():
            digest = digests.get(name)
            table = _read(counts_path(self.root, name), "counts", digest) if digest else None
            if table is None:
                derived = self._derive(name, digest)
                table = derived[1] if derived is not None else {}
            out.update({aid: table[aid] for aid in aids if isinstance(table.get(aid), dict)})
        return out

    def rows(self, ids: Sequence[str]) -> dict[str, ListRow]:
        """The rows of ``ids`` (catalog fields only), reading only the list files they are in."""
        digests = self.digests()
        out: dict[str, ListRow] = {}
        for aid in ids:
            made = self.shard(shard_of(aid), digests.get(shard_of(aid)))
            row = made.row(aid) if made is not None else None
            if row is not None:
                out[aid] = row
        return out

    def all_shards(self) -> list[ShardRows]:
        digests = self.digests()
        out = []
        with paused_gc():  # 100,000 rows, none in a cycle
            for name in SHARDS:
                if name in digests:
                    made = self.shard(name, digests[name])
                    if made is not None:
                        out.append(made)
        with self._lock:  # shards gone from the index are forgotten
            for name in set(self._shards) - set(digests):
                del self._shards[name]
        return out


_ROWS: weakref.WeakKeyDictionary[LibraryFiles, ArticleRows] = weakref.WeakKeyDictionary()
_ROWS_LOCK = threading.Lock()


def article_rows(lib: Library) -> ArticleRows:
    """The one ``ArticleRows`` of this library instance."""
    with _ROWS_LOCK:
        made = _ROWS.get(lib.files)
        if made is None:
            made = _ROWS[lib.files] = ArticleRows(lib.files)
        return made


class FirstPage(NamedTuple):
    """How many articles the library holds and the rows of the newest ``len(rows)``."""

    total: int
    rows: list[ListRow]


def first_page(lib: Library, size: int) -> FirstPage:
    """What the list shows first: the ``size`` newest articles' rows and how many there
    are, from ``catalog/list/head.json`` when it was made from this very index, else from
    the index and the list files of those articles (and head.json is written for the next
    start). The user's state (notes, read marks, names) is not applied: ``article_list``."""
    with lib.files.mutex:
        lib.files.catalog_storage.index_tables()
        digest = lib.files.catalog_storage.digest()
    head = _read_head(lib.files.root, digest, size) if digest else None
    if head is not None:
        return head
    made = article_rows(lib)
    total, page = made.newest(size)
    found = made.rows(page)
    head = FirstPage(total, [found[aid] for aid in page if aid in found])
    if digest:
        data = {
            "format": FORMAT,
            "from": digest,
            "total": total,
            "rows": [[row.id, *_stored(row.summary())] for row in head.rows],
        }
        with contextlib.suppress(OSError, UnsafeTargetError):
            atomic_write(_head_path(lib.files.root), dumps(data), backup=False, root=lib.files.root)
    return head


def _head_path(root: Path) -> Path:
    return catalog_dir(root) / LIST_DIR / HEAD


def _read_head(root: Path, digest: str, size: int) -> FirstPage | None:
    data = _derived(_head_path(root), digest)
    if data is None:
        return None
    total, stored = data.get("total"), data.get("rows")
    if not isinstance(total, int) or not isinstance(stored, list):
        return None
    if len(stored) < min(size, total):
        return None  # made for a smaller window
    if not all(isinstance(v, list) and len(v) == _STORED + 1 for v in stored):
        return None
    return FirstPage(total, [_row(v[0], v[1:]) for v in stored[:size]])


def _newest_key(item: tuple[str, Any]) -> tuple[str, int]:
    # newest_first's order: added, then the id (16 hex digits: the doc_id's order)
    key, row = item
    added = row.get("a") if isinstance(row, dict) else None
    try:
        number = int(key)
    except ValueError:
        number = -1
    return (added if isinstance(added, str) else "", number)


class UserState(NamedTuple):
    """What the user's notes change in a row: note counts, read marks, verdicts by article, and
    the key the identities' names are stored under (speaker_names.key)."""

    notes: Counter[str]
    read: set[str]
    reviews: dict[str, list[dict[str, Any]]]
    made_from: str | None


def user_state(lib: Library) -> UserState:
    """The user's state of every article, made again only when the notes or the catalog's
    index changed (a note saved, then one article opened: no pass over every note)."""
    files = lib.files
    made = article_rows(lib)
    with files.mutex:
        tables = files.notes_tables()
        files.catalog_storage.index_tables()
        digest = files.catalog_storage.digest()
        key = (files.notes_generation, digest)
        kept = made.state
        if kept is not None and kept[0] == key:
            return kept[1]
        note_counts = Counter(n["article_id"] for n in tables.get("notes", {}).values())
        read = {r["article_id"] for r in tables.get("reads", {}).values()}
        reviews = files.reviews_by_article()
        naming = naming_inputs(tables)
    made_from = speaker_names.key(digest, *naming) if digest else None
    state = UserState(note_counts, read, reviews, made_from)
    made.state = (key, state)
    return state


def article_list(lib: Library) -> list[ListRow]:
    """Every article as ``Library.articles()`` gives it, in its order, as rows: the list files
    (a shard's is made again only when the shard changed), the notes and speaker-names.json."""
    made = article_rows(lib)
    shards = made.all_shards()
    with paused_gc():
        rows = [row for shard in shards for row in shard.rows().values()]
        rows.sort(key=lambda r: (r.added or "", r.id), reverse=True)
        return _with_state(lib, rows)


def _reviewed_speakers(counts: dict[str, int], reviews: list[dict[str, Any]]) -> tuple[str, ...]:
    grouped = Counter(records.speaker_counts({"speaker_counts": counts}, reviews))
    return tuple(name for name, _ in records.group_names(grouped))


def _with_state(lib: Library, rows: list[ListRow]) -> list[ListRow]:
    note_counts, read, reviews, made_from = user_state(lib)
    listed = {row.id for row in rows}
    reassigned = [
        aid
        for aid, rs in reviews.items()
        if aid in listed and any(r.get("speaker_override") is not None for r in rs)
    ]
    counts = article_rows(lib).counts(reassigned)
    plain: list[ListRow] = []
    for row in rows:
        aid = row.id
        if aid in note_counts or aid in read or aid in reviews:
            speakers = row.speakers
            if aid in counts:
                speakers = _reviewed_speakers(counts[aid], reviews[aid])
            row = row._replace(notes=note_counts.get(aid, 0), read=aid in read, speakers=speakers)
        plain.append(row)
    names = _names(lib, plain, made_from)
    if not names:
        return plain
    return [row._replace(speakers=names[row.id]) if row.id in names else row for row in plain]


def _names(
    lib: Library, plain: Iterable[ListRow], made_from: str | None
) -> Mapping[str, tuple[str, ...]]:
    """Each article's speakers as the identities name them, where that differs: from
    speaker-names.json when it was made from this catalog, reassignments and decisions
    (what ``Library.articles()`` reads too), else from the identities, built."""
    if made_from is not None:
        made = article_rows(lib)
        if made.names is not None and made.names[0] == made_from:
            return made.names[1]  # a note or a read mark changes no name
        names = speaker_names.read(lib.files.root, made_from)
        if names is not None:
            made.names = (made_from, names)
            return names
    identities = lib.identities()
    out: dict[str, tuple[str, ...]] = {}
    each: dict[str, tuple[str, ...]] = {}  # one name per speaker, as the file keeps them
    for row in plain:
        per = tuple(identities.of(row.id, n) or n for n in row.speakers)
        if per != row.speakers:
            each[row.id] = per
            named = tuple(dict.fromkeys(per))
            if named != row.speakers:
                out[row.id] = named
    if made_from is not None:
        # for the next process (and this one): named once after each change, not per read
        speaker_names.write(lib.files.root, made_from, each)
        article_rows(lib).names = (made_from, out)
    return out


def article_summary(lib: Library, article_id: str) -> ArticleSummary:
    """One article as ``Library.summary()`` gives it, from its shard's list file and the
    user's state of that article alone (``Library.summary`` builds every summary first).
    NotFoundError when the library has no such article."""
    lib.files.entry(article_id)  # NotFoundError, and a bad record reported, as summary()
    row = article_rows(lib).rows([article_id]).get(article_id)
    if row is None:
        raise NotFoundError(f"no article {article_id!r}")
    return _with_state(lib, [row])[0].summary()
