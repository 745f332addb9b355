"""The review queue without opening every article: what the queue sorts and filters on,
kept per catalog shard in small derived files, and the whole library's queue as columns.

    queue/<xx>.json   {"format": 2, "from": the digest of catalog/<xx>.json it was made
                       from, then a column per field, an article's or a quote's: "articles"
                       (their ids run together), "added", "keys", "titles" (run together)
                       and "title_lengths", "counts" (quotes per article), "quotes"
                       (12-character ids run together), "conf" (float64, little-endian,
                       base64: exact, and no float objects to parse), "flags"}

Columns, not a record per article: a shard's file parses in ~0.3 ms, not 1.7 ms.
``flags`` has one digit per quote: 1 = the machine credits nobody, 2 = the machine read a
partial quote (3 = both). What a reviewer said is not in these files: verdicts, speakers
and kinds given by a reviewer are applied when the queue is read, from the notes (the
reviews of 1 article in 20 at 100,000 articles), so a review rewrites no queue file and
the queue is never behind a verdict. An article's ``key`` is its text digest and its
``updated`` stamp: a queue file made from other shard bytes is made again reading only the
articles whose key changed (saving an article refreshes its shard's file under the lock;
a file that is missing is built on first use; ``doctor`` compares each with the articles).

The library's queue (``QueueIndex``) is a few numpy columns over every quote in the order
of ``Library.all_quotes()``: 1.5 million quotes at 100,000 articles in ~40 MB, a filter and
its order in milliseconds. ``QueueIndex.order`` gives the same rows in the same order as a
full scan filtered with ``tui.model.in_queue`` and sorted uncertain first (the test
``tests/test_queue_index.py`` checks it on a library it builds).
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import hashlib
import operator
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from saidwho.core import settings
from saidwho.core.heap import paused_gc
from saidwho.store import records
from saidwho.store.errors import CorruptFileError, LibraryError
from saidwho.store.shards import SHARDS, catalog_dir, digest_of, shard_digests
from saidwho.store.storage import atomic_write, dumps, loads, parse_tables
from saidwho.store.targets import UnsafeTargetError
from saidwho.store.validate import CATALOG_SCHEMAS, valid_records
from saidwho.store.views import QuoteView, review_state

if TYPE_CHECKING:
    from saidwho.store.files import LibraryFiles
    from saidwho.store.library import Library

QUEUE_DIR = "queue"
FORMAT = 2  # 2: columns
ID_WIDTH = 12  # core.quote.quote_id: 12 hex digits
NOBODY, PARTIAL = 1, 2  # the flag bits
STATES = ("unreviewed", "confirmed", "disputed", "corrected")
_STATE = {name: i for i, name in enumerate(STATES)}
#: the queue's filters, as ``tui.model.in_queue`` names them
FILTERS = ("needs review", "unreviewed", "low", "unattributed", "disputed", "all")

Stored = list[Any]  # [added, key, title, ids, confidences, flags]
Articles = dict[str, Stored]


def queue_dir(root: Path) -> Path:
    return root / QUEUE_DIR


def queue_path(root: Path, shard: str) -> Path:
    return queue_dir(root) / f"{shard}.json"


def entry_key(entry: Mapping[str, Any]) -> str:
    """What says an article's quotes may have changed: its text and its last save (16 hex
    digits of a hash of both)."""
    made = f"{entry.get('text_sha256')}:{entry.get('updated')}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(made, digest_size=8).hexdigest()


def stored_article(entry: Mapping[str, Any], body: Mapping[str, Any]) -> Stored | None:
    """An article's line in its queue file, from its catalog entry and article file (None
    when it shows nothing in the queue, as ``all_quotes`` skips it)."""
    if entry.get("body_missing") or not entry.get("quotes"):
        return None
    ids, conf, flags = [], [], []
    for q in records.body_quotes(dict(body)):
        qid = q["id"]
        if not (isinstance(qid, str) and len(qid) == ID_WIDTH and qid.isascii()):
            continue  # not an id this version makes: no row
        ids.append(qid)
        conf.append(float(q["confidence"]))
        bits = (NOBODY if q.get("speaker") is None else 0) | (
            PARTIAL if q["kind"] == "partial" else 0
        )
        flags.append(str(bits))
    title = records.body_article(dict(body)).get("title") or ""
    return [entry.get("added") or "", entry_key(entry), title, "".join(ids), conf, "".join(flags)]


class ShardColumns(NamedTuple):
    """One shard's queue lines as columns: what its file holds and a process keeps."""

    digest: str
    ids: list[str]  # articles
    added: list[str]
    keys: list[str]
    titles: list[str]
    counts: np.ndarray  # quotes per article
    qids: np.ndarray  # |S12, every quote
    conf: np.ndarray  # float64
    flags: np.ndarray  # uint8

    def articles(self) -> Articles:
        """Each article's line (to edit one and write the file again)."""
        out: Articles = {}
        at = 0
        for i, aid in enumerate(self.ids):
            n = int(self.counts[i])
            out[aid] = [
                self.added[i],
                self.keys[i],
                self.titles[i],
                self.qids[at : at + n].tobytes().decode("ascii"),
                self.conf[at : at + n].tolist(),
                "".join(str(int(f)) for f in self.flags[at : at + n]),
            ]
            at += n
        return out


def columns(digest: str, articles: Articles) -> ShardColumns:
    lines = list(articles.values())
    conf: list[float] = []
    for line in lines:
        conf += line[4]
    return _columns(
        digest,
        list(articles),
        [line[0] for line in lines],
        [line[1] for line in lines],
        [line[2] for line in lines],
        [len(line[4]) for line in lines],
        "".join(line[3] for line in lines),
        conf,
        "".join(line[5] for line in lines),
    )


def _columns(
    digest: str,
    ids: list[str],
    added: list[str],
    keys: list[str],
    titles: list[str],
    counts: list[int],
    qids: str,
    conf: list[float] | np.ndarray,
    flags: str,
) -> ShardColumns:
    return ShardColumns(
        digest,
        ids,
        added,
        keys,
        titles,
        np.asarray(counts, dtype=np.int64),
        np.frombuffer(qids.encode("ascii"), dtype=f"S{ID_WIDTH}").copy(),
        np.asarray(conf, dtype=np.float64),
        np.frombuffer(flags.encode("ascii"), dtype=np.uint8) - ord("0"),
    )


def _all(values: list[Any], kind: type) -> bool:
    return set(map(type, values)) <= {kind}


def read_file(root: Path, shard: str) -> ShardColumns | None:
    """A queue file's columns (its ``digest`` is the shard's it was made from); None when
    it is missing, of another format or damaged."""
    path = queue_path(root, shard)
    try:
        data = loads(path.read_bytes(), path)
    except (OSError, CorruptFileError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    ids, added, keys, joined = (data.get(k) for k in ("articles", "added", "keys", "titles"))
    counts, qids, packed, flags = (data.get(k) for k in ("counts", "quotes", "conf", "flags"))
    lengths, made_from = data.get("title_lengths"), data.get("from")
    strings, lists = (ids, keys, joined, qids, packed, flags), (added, lengths, counts)
    if not (
        isinstance(made_from, str)
        and all(isinstance(v, str) for v in strings)
        and all(isinstance(v, list) for v in lists)
    ):
        return None
    assert isinstance(ids, str) and isinstance(keys, str)  # for mypy: checked above
    assert isinstance(qids, str) and isinstance(flags, str)
    assert isinstance(joined, str) and isinstance(packed, str)
    assert isinstance(added, list) and isinstance(lengths, list) and isinstance(counts, list)
    try:
        conf = np.frombuffer(base64.b64decode(packed, validate=True), dtype="<f8")
    except ValueError:  # binascii.Error, or not a whole number of doubles
        return None
    n = len(added)
    if not (
        len(ids) == 16 * n == len(keys)
        and len(counts) == n == len(lengths)
        and _all(added, str)
        and _all(lengths, int)
        and _all(counts, int)
        and sum(lengths) == len(joined)
        and min(lengths, default=0) >= 0
        and sum(counts) == len(conf) == len(flags)
        and len(qids) == ID_WIDTH * len(conf)
        and min(counts, default=0) >= 0
        and qids.isascii()
        and set(flags) <= set("0123")
    ):
        return None
    titles, at = [], 0
    for length in lengths:
        titles.append(joined[at : at + length])
        at += length
    return _columns(
        made_from,
        [ids[i : i + 16] for i in range(0, len(ids), 16)],
        added,
        [keys[i : i + 16] for i in range(0, len(keys), 16)],
        titles,
        counts,
        qids,
        conf,
        flags,
    )


def derive(
    files: LibraryFiles, shard: str, kept: ShardColumns | None = None
) -> tuple[str, Articles] | None:
    """A shard's queue lines made from the catalog shard and its article files, reusing the
    lines of ``kept`` whose article did not change; the digest of the shard bytes read.
    None when the shard is missing or unusable (doctor reports it)."""
    path = catalog_dir(files.root) / f"{shard}.json"
    try:
        raw = path.read_bytes()
        tables = parse_tables(raw, path)
    except (OSError, CorruptFileError):
        return None
    good, _ = valid_records(path, {"articles": tables.get("articles") or {}}, CATALOG_SCHEMAS)
    before = kept.articles() if kept is not None else {}
    out: Articles = {}
    for entry in good.get("articles", {}).values():
        aid = entry["id"]
        old = before.get(aid)
        if old is not None and old[1] == entry_key(entry):
            out[aid] = old
            continue
        if entry.get("body_missing") or not entry.get("quotes"):
            continue
        try:
            with files.mutex:
                body = files.body(aid, entry)
        except LibraryError:
            continue  # a damaged article file: skipped, as the full scan skips it
        line = stored_article(entry, body)
        if line is not None:
            out[aid] = line
    return digest_of(raw), out


def write_file(root: Path, shard: str, digest: str, articles: Articles) -> None:
    """Best effort: derived and keyed by its shard's digest, a queue file that cannot be
    written costs the next reader a derive; a link in its place is refused."""
    lines = list(articles.values())
    conf: list[float] = []
    for line in lines:
        conf += line[4]
    data = {
        "format": FORMAT,
        "from": digest,
        "articles": "".join(articles),
        "added": [line[0] for line in lines],
        "keys": "".join(line[1] for line in lines),
        "titles": "".join(line[2] for line in lines),
        "title_lengths": [len(line[2]) for line in lines],
        "counts": [len(line[4]) for line in lines],
        "quotes": "".join(line[3] for line in lines),
        "conf": base64.b64encode(np.asarray(conf, dtype="<f8").tobytes()).decode("ascii"),
        "flags": "".join(line[5] for line in lines),
    }
    with contextlib.suppress(OSError, UnsafeTargetError):
        atomic_write(queue_path(root, shard), dumps(data), backup=False, root=root, sync=False)


class QueueShards:
    """The queue files of one library, each kept as columns until its shard changes."""

    def __init__(self, files: LibraryFiles) -> None:
        self.files = files
        self.root = files.root
        self._kept: dict[str, ShardColumns] = {}
        self._lock = threading.Lock()
        self._machine: tuple[tuple[str, ...], Machine] | None = None

    def digests(self) -> dict[str, str]:
        """Each shard's digest as the catalog's index names it (shard -> digest)."""
        with self.files.mutex:
            return shard_digests(self.files.catalog_storage.index_tables())

    def shard(self, name: str, digest: str, *, write: bool = True) -> ShardColumns | None:
        with self._lock:
            kept = self._kept.get(name)
        if kept is not None and kept.digest == digest:
            return kept
        found = read_file(self.root, name)
        if found is not None and found.digest == digest:
            made = found
        else:
            derived = derive(self.files, name, found)
            if derived is None:
                return None
            made_from, articles = derived
            if made_from == digest and write:
                write_file(self.root, name, digest, articles)
            made = columns(made_from, articles)
        with self._lock:
            self._kept[name] = made
        return made

    def refresh(self, shards: Iterable[str]) -> None:
        """After a save (under the lock): the queue files of these shards brought up to
        date, reading only the articles that changed (a shard whose file was lost: all its
        articles, a few hundred at 100,000)."""
        digests = self.digests()
        for name in sorted(set(shards)):
            digest = digests.get(name)
            if digest is not None:
                self.shard(name, digest)

    def machine(self) -> Machine:
        """Every shard's columns in the queue's order, assembled again only when a shard
        changed (a verdict changes none: it is applied from the notes)."""
        shards = self.all_shards()
        key = tuple(s.digest for s in shards)
        with self._lock:
            kept = self._machine
        if kept is not None and kept[0] == key:
            return kept[1]
        made = assemble(shards)
        with self._lock:
            self._machine = (key, made)
        return made

    def all_shards(self) -> list[ShardColumns]:
        digests = self.digests()
        out = []
        with paused_gc():
            for name in SHARDS:
                if name in digests:
                    made = self.shard(name, digests[name])
                    if made is not None:
                        out.append(made)
        with self._lock:
            for name in set(self._kept) - set(digests):
                del self._kept[name]
        return out


_SHARDS: weakref.WeakKeyDictionary[LibraryFiles, QueueShards] = weakref.WeakKeyDictionary()
_SHARDS_LOCK = threading.Lock()


def queue_shards(files: LibraryFiles) -> QueueShards:
    """The one ``QueueShards`` of this library instance."""
    with _SHARDS_LOCK:
        made = _SHARDS.get(files)
        if made is None:
            made = _SHARDS[files] = QueueShards(files)
        return made


class QueueIndex:
    """Every quote of the library in ``all_quotes()`` order, as columns, with the
    reviewers' verdicts applied; ``order(filter)`` is the review queue."""

    def __init__(
        self,
        articles: list[str],
        titles: list[str],
        article_of: np.ndarray,
        qids: np.ndarray,
        conf: np.ndarray,
        flags: np.ndarray,
    ) -> None:
        self.articles = articles
        self.titles = titles
        self.article_of = article_of  # per quote: its article's index in ``articles``
        counts = np.bincount(article_of, minlength=len(articles))
        self.bounds = np.concatenate(([0], np.cumsum(counts)))  # article k: its rows
        self.qids = qids
        self.conf = conf
        self.machine = flags  # the machine's NOBODY/PARTIAL bits
        self.state = np.zeros(len(qids), dtype=np.uint8)
        self.nobody = (flags & NOBODY).astype(bool)  # as the reviewer leaves it
        self.partial = (flags & PARTIAL).astype(bool)
        self._at: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.qids)

    # ----------------------------------------------------------------- reading

    def ref(self, row: int) -> tuple[str, str]:
        """(article id, quote id) of quote ``row``."""
        return self.articles[int(self.article_of[row])], self.qids[row].decode("ascii")

    def title(self, row: int) -> str:
        return self.titles[int(self.article_of[row])]

    def row_of(self, article_id: str, quote_id: str) -> int | None:
        """The row of a quote (None: not in the queue)."""
        if self._at is None:
            self._at = dict(zip(self.articles, range(len(self.articles)), strict=True))
        k = self._at.get(article_id)
        if k is None:
            return None
        lo, hi = int(self.bounds[k]), int(self.bounds[k + 1])
        try:
            return lo + self.qids[lo:hi].tolist().index(quote_id.encode("ascii", "replace"))
        except ValueError:
            return None

    def reviewed(self) -> int:
        return int(np.count_nonzero(self.state))

    def progress(self) -> str:
        """ "12 of 31 reviewed", as ``tui.model.progress`` says it of every quote."""
        return f"{self.reviewed()} of {len(self)} reviewed"

    def uncertain(self) -> np.ndarray:
        """``tui.model.is_uncertain`` of every quote."""
        scare = self.partial & self.nobody
        return scare | ((self.conf < settings.uncertain_below()) & (self.state == 0))

    def matches(self, name: str, low: float = settings.UNCERTAIN_DEFAULT) -> np.ndarray:
        """``tui.model.in_queue`` of every quote (``low``: its LOW_CONFIDENCE)."""
        state = self.state
        if name == "unreviewed":
            return state == 0
        if name == "low":
            return (self.conf < low) & (state == 0)
        if name == "unattributed":
            return self.nobody & (state != _STATE["confirmed"])
        if name == "disputed":
            return state == _STATE["disputed"]
        if name == "needs review":
            return (state == 0) | (state == _STATE["disputed"])
        return np.ones(len(self), dtype=bool)

    def order(self, name: str, low: float = settings.UNCERTAIN_DEFAULT) -> np.ndarray:
        """The rows the queue shows for filter ``name``, in its order: the uncertain first,
        least confident first, then the rest in the library's order (a stable sort)."""
        wanted = self.matches(name, low)
        uncertain = self.uncertain()
        first = np.flatnonzero(wanted & uncertain)
        first = first[np.argsort(self.conf[first], kind="stable")]
        rest = np.flatnonzero(wanted & ~uncertain)
        return np.concatenate((first, rest)).astype(np.int32)  # half the bytes to move

    def sort_key(self, row: int) -> tuple[bool, float, int]:
        """Where ``row`` sits in ``order``: (not uncertain, its confidence if uncertain, the
        library's order)."""
        unsure = bool(self.uncertain_row(row))
        return (not unsure, float(self.conf[row]) if unsure else 0.0, row)

    def uncertain_row(self, row: int) -> bool:
        if self.partial[row] and self.nobody[row]:
            return True
        return bool(self.conf[row] < settings.uncertain_below() and self.state[row] == 0)

    def matches_row(self, row: int, name: str, low: float = settings.UNCERTAIN_DEFAULT) -> bool:
        """``matches`` of one quote."""
        state = int(self.state[row])
        if name == "unreviewed":
            return state == 0
        if name == "low":
            return bool(self.conf[row] < low) and state == 0
        if name == "unattributed":
            return bool(self.nobody[row]) and state != _STATE["confirmed"]
        if name == "disputed":
            return state == _STATE["disputed"]
        if name == "needs review":
            return state in (0, _STATE["disputed"])
        return True

    # ----------------------------------------------------------------- a verdict

    def apply(self, row: int, quote: QuoteView) -> None:
        """Quote ``row`` as a verdict left it (``quote``: the store's or a preview)."""
        self.state[row] = _STATE[quote.review]
        self.nobody[row] = quote.speaker is None
        self.partial[row] = quote.kind == "partial"

    def moved(
        self,
        order: np.ndarray,
        row: int,
        name: str,
        low: float = settings.UNCERTAIN_DEFAULT,
        *,
        at: int | None = None,
    ) -> np.ndarray:
        """``order`` after quote ``row`` changed (``apply``): it leaves, and comes back where
        its sort key puts it if it still matches (what ``order(name)`` would give, without
        sorting the library again: a binary search, and the rows between moved in place).
        ``at``: where it is in ``order``, if known (else it is looked for)."""
        if at is None or not (0 <= at < len(order) and order[at] == row):
            hits = np.flatnonzero(order == row)
            at = int(hits[0]) if len(hits) else None
        if not self.matches_row(row, name, low):
            return order if at is None else np.delete(order, at)
        key = self.sort_key(row)

        def key_at(i: int) -> tuple[bool, float, int]:  # in order without the row
            return self.sort_key(int(order[i + 1 if at is not None and i >= at else i]))

        size = len(order) - (at is not None)
        where = bisect.bisect_left(range(size), key, key=key_at)
        if at is None:
            return np.insert(order, where, row)
        if where > at:
            order[at:where] = order[at + 1 : where + 1].copy()
        elif where < at:
            order[where + 1 : at + 1] = order[where:at].copy()
        order[where] = row
        return order

    def _review(self, row: int, review: Mapping[str, Any]) -> None:
        override = review.get("speaker_override")
        kind = review.get("kind_override")
        self.state[row] = _STATE[review_state(dict(review))]
        if override is not None:
            self.nobody[row] = False
        if kind:
            self.partial[row] = kind == "partial"


class Machine(NamedTuple):
    """What the queue files say of every quote, in ``all_quotes()`` order (no verdicts):
    kept by a process while no shard changes."""

    articles: list[str]
    titles: list[str]
    article_of: np.ndarray
    qids: np.ndarray
    conf: np.ndarray
    flags: np.ndarray


def assemble(shards: list[ShardColumns]) -> Machine:
    """The shards' columns put in the order of ``all_quotes()``: articles newest first,
    then by id (``newest_first``), quotes in text order."""
    if not any(s.ids for s in shards):
        empty = np.zeros(0, dtype=np.uint8)
        return Machine([], [], np.zeros(0, np.int32), np.zeros(0, "S12"), np.zeros(0), empty)
    with paused_gc():
        ids = [aid for s in shards for aid in s.ids]
        added = [a for s in shards for a in s.added]
        titles = [t for s in shards for t in s.titles]
        counts = np.concatenate([s.counts for s in shards])
        by = np.lexsort((np.array(ids), np.array(added)))[::-1]
        sorted_counts = counts[by]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        offsets = np.concatenate(([0], np.cumsum(sorted_counts)[:-1]))
        total = int(counts.sum())
        take = np.arange(total) + np.repeat(starts[by] - offsets, sorted_counts)
        return Machine(
            _pick(ids, by),
            _pick(titles, by),
            np.repeat(np.arange(len(by), dtype=np.int32), sorted_counts),
            np.concatenate([s.qids for s in shards])[take],
            np.concatenate([s.conf for s in shards])[take],
            np.concatenate([s.flags for s in shards])[take],
        )


def load(lib: Library) -> QueueIndex:
    """The library's queue: each shard's queue file (made again where its shard changed),
    put in the order of ``all_quotes()`` (kept while no shard changes), then every
    reviewer's verdict applied, from the notes."""
    files = lib.files
    machine = queue_shards(files).machine()
    with files.mutex:
        reviews = files.reviews_by_article()
    index = QueueIndex(*machine)
    for aid, records_ in reviews.items():
        live = {r["quote_id"]: r for r in records_ if not r.get("orphaned")}
        for qid, review in live.items():
            row = index.row_of(aid, qid)
            if row is not None:
                index._review(row, review)
    return index


def _pick(values: list[str], order: np.ndarray) -> list[str]:
    """``values`` in ``order`` (itemgetter: one pass in C, not a comprehension)."""
    if len(order) == 1:
        return [values[int(order[0])]]
    return list(operator.itemgetter(*order.tolist())(values))


def warm(lib: Library) -> None:
    """Read the queue's files ahead (the reader's start-up warm-up), if the queue was ever
    opened in this library: its first ``w`` then reads no file. A library without queue
    files is left alone (building them reads every article)."""
    if queue_dir(lib.files.root).is_dir():
        queue_shards(lib.files).machine()


def page(lib: Library, index: QueueIndex, rows: Sequence[int] | np.ndarray) -> list[QuoteView]:
    """The quotes of ``rows`` as ``Library.quotes()`` shows them, reading only their
    articles; a quote gone since the index was read is left out. The identities are asked
    for once for the page (``Library.quotes`` asks once per article: 13 ms each)."""
    wanted: dict[str, list[str]] = {}
    for row in rows:
        aid, qid = index.ref(int(row))
        wanted.setdefault(aid, []).append(qid)
    identities = lib.identities() if wanted else None
    found: dict[tuple[str, str], QuoteView] = {}
    for aid in wanted:
        try:
            quotes = lib.quotes(aid, named=False)
        except LibraryError:
            continue
        for q in quotes:
            name = identities.of(aid, q.speaker) if identities is not None else None
            found[(aid, q.id)] = replace(q, identity=name) if name else q
    out = []
    for row in rows:
        got = found.get(index.ref(int(row)))
        if got is not None:
            out.append(got)
    return out


def doctor_check(
    root: Path, entries: Mapping[str, dict[str, Any]], bodies: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, str, Articles | None]]:
    """For doctor: (shard, why, the lines it should hold) of every queue file that is
    damaged, or made from the shard as it is now but not listing its articles' quotes as
    their files do. A missing or stale file is fine (made again on the next read).
    ``entries``: the catalog's entries (checked); ``bodies``: every usable article file."""
    by_shard: dict[str, list[dict[str, Any]]] = {}
    for entry in entries.values():
        by_shard.setdefault(str(entry["id"])[:2], []).append(entry)
    out: list[tuple[str, str, Articles | None]] = []
    for shard in SHARDS:
        path = queue_path(root, shard)
        if not path.exists():
            continue
        found = read_file(root, shard)
        try:
            digest = digest_of((catalog_dir(root) / f"{shard}.json").read_bytes())
        except OSError:
            digest = None
        expected: Articles = {}
        for entry in by_shard.get(shard, []):
            body = bodies.get(entry["id"])
            line = stored_article(entry, body) if body is not None else None
            if line is not None:
                expected[entry["id"]] = line
        if found is None:
            out.append((shard, "damaged", expected if digest else None))
        elif found.digest == digest and found.articles() != expected:
            out.append((shard, "does not list the quotes of its article files", expected))
    return out
