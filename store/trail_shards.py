"""Quote trails, the index on disk: ``trail-index/``, in buckets by what a look-up needs, so
that saving an article rewrites the few buckets its quotes touch and a look-up reads the few
it needs; no process loads the whole index.

    trail-index/meta.json            format, state, and how many wordings there are
    trail-index/quotes/<xxx>.json    quote id -> [article id, wording id, its members page]
    trail-index/articles/<xxx>.json  article id -> [version indexed, [quote id, ...]]
    trail-index/words/<xx>.json      wording id -> {"n": words, "q": quoted (0/1),
                                     "m": {quote id: article id}, "l": {wording id: relation},
                                     "t": its trail's id, when it is part of one, "k": full
                                     pages of members, "s": members in them}
    trail-index/members/<wording id>.<k>.json  {quote id: article id}: page k of a
                                     wording's members, once it has more than PAGE
    trail-index/postings/<xxx>.json  word bigram -> [wording id, ...]
    trail-index/trails/<xx>.json     trail id -> [wording id, ...]: the shared wordings that
                                     exact and near links join (the library-wide view)

``xx``/``xxx`` are the first two or three hex digits of the id (quote and article: three,
so that at 100,000 articles a quote's bucket holds ~340 quotes; wording, trail: two); for
postings three of a hash of the bigram (an article's new wordings add a few hundred
bigrams: 4,096 buckets keep each save to a few hundred small files rather than every
one). A wording's id is a hash of its words, so its bucket follows from them; a trail's id
is its smallest wording id.

The same index as ``store/trail_index.py``'s ``QuoteIndex`` (the whole index in memory,
kept as the reference the tests compare with): the same wordings, the same links found the
same way, the same trails. Derived data: saving articles updates it under the library lock
(``saved``, after the quote map, before the catalog's shards); a library without it, or
with the old single-file ``trails.json``, has it built once from the article files under the
lock (``ensure``); a damaged bucket is a miss that makes it built again; ``saidwho doctor``
checks it and ``--repair`` brings it up to date with the article files.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import shutil
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store import records
from saidwho.store.errors import CorruptFileError, LibraryError
from saidwho.store.storage import Tables, atomic_write, dumps, loads, parse_tables
from saidwho.store.trail_graph import TrailGraph, alone
from saidwho.store.trail_index import body_entries, version_of
from saidwho.store.trail_words import (
    COMMON,
    COMMON_MIN,
    RELATIONS,
    SHARED,
    SHINGLE,
    Relation,
    normalise,
    relation,
    shingles,
    traceable,
)

if TYPE_CHECKING:
    from saidwho.store.files import LibraryFiles

INDEX_DIR = "trail-index"
META = "meta.json"
FORMAT = 2  # 2: quotes and articles in 4,096 buckets, members in pages
OLD_FILE = "trails.json"  # the single-file index of earlier versions: replaced on first use
# family -> hex digits of its bucket names
FAMILIES = {"quotes": 3, "articles": 3, "words": 2, "postings": 3, "trails": 2}
HEX = "0123456789abcdef"
PROGRESS = 10_000  # a build says how far it got every this many articles
# a wording keeps its newest members in its record and the rest in pages of this many, so
# a save adds to a record of at most this many however many outlets printed the words
PAGE = 256

Entries = list[tuple[str, str, bool]]  # (quote id, spoken text, quoted) of one article
Say = Callable[[str], None]


class IndexDamaged(LibraryError):
    """The index is missing, half written, of another format, or a bucket is damaged."""


def index_dir(root: Path) -> Path:
    return root / INDEX_DIR


def wording_id(norm: str, quoted: bool) -> str:
    # 64 bits: a collision among millions of wordings is ~1e-7 (and would only join two)
    raw = f"{int(quoted)} {norm}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def posting_bucket(bigram: str) -> str:
    return f"{zlib.crc32(bigram.encode('utf-8', 'surrogatepass')) & 0xFFF:03x}"


def bucket_names(family: str) -> list[str]:
    digits = FAMILIES[family]
    names = [""]
    for _ in range(digits):
        names = [n + d for n in names for d in HEX]
    return names


def is_index_file(rel: Path) -> bool:
    """Whether ``rel`` (inside the library) is a file of the index (doctor's "known")."""
    parts = rel.parts
    if not parts or parts[0] != INDEX_DIR:
        return False
    if len(parts) == 2:
        return parts[1] == META
    if len(parts) == 3 and parts[1] == "members":
        wid, _, page = parts[2].removesuffix(".json").partition(".")
        return len(wid) == 16 and all(c in HEX for c in wid) and page.isdigit()
    if len(parts) == 3 and parts[1] in FAMILIES:
        name = parts[2].removesuffix(".json")
        return (
            parts[2].endswith(".json")
            and len(name) == FAMILIES[parts[1]]
            and all(c in HEX for c in name)
        )
    return False


def index_folders() -> set[str]:
    return {INDEX_DIR, *(f"{INDEX_DIR}/{family}" for family in (*FAMILIES, "members"))}


# ---------------------------------------------------------------------- buckets


class Buckets:
    """The bucket files one operation reads (each once) and those it changed."""

    def __init__(self, directory: Path, root: Path) -> None:
        self.dir = directory
        self.root = root
        self.loaded: dict[tuple[str, str], dict[str, Any]] = {}
        self.dirty: set[tuple[str, str]] = set()

    def path(self, family: str, name: str) -> Path:
        return self.dir / family / f"{name}.json"

    def get(self, family: str, name: str) -> dict[str, Any]:
        key = (family, name)
        data = self.loaded.get(key)
        if data is None:
            path = self.path(family, name)
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                data = {}  # nothing has landed in this bucket yet
            except OSError as exc:
                raise IndexDamaged(f"{family}/{name}.json cannot be read: {exc}") from None
            else:
                try:
                    data = loads(raw, path)
                except CorruptFileError as exc:
                    raise IndexDamaged(f"{family}/{name}.json: {exc.reason}") from None
                if not isinstance(data, dict):
                    raise IndexDamaged(f"{family}/{name}.json is not an object")
            self.loaded[key] = data
        return data

    def changed(self, family: str, name: str) -> None:
        self.dirty.add((family, name))

    def flush(self, family: str | None = None) -> None:
        """Write the changed buckets (of one family). Derived data: no .bak, and no fsync
        of each (a save can touch a few hundred postings buckets): the meta, written after
        them with an fsync, says when they are complete; a bucket a power cut left empty is
        damaged, and the index is built again."""
        for key in sorted(k for k in self.dirty if family is None or k[0] == family):
            data = dumps(self.loaded[key])
            atomic_write(self.path(*key), data, backup=False, root=self.root, sync=False)
            self.dirty.discard(key)

    def forget(self, family: str) -> None:
        """Drop this family's clean buckets from memory (a build keeps its memory bounded)."""
        for key in [k for k in self.loaded if k[0] == family and k not in self.dirty]:
            del self.loaded[key]


def read_meta(directory: Path) -> dict[str, Any] | None:
    """The index's meta; None when there is none. IndexDamaged when unusable."""
    path = directory / META
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexDamaged(f"{META} cannot be read: {exc}") from None
    try:
        meta = loads(raw, path)
    except CorruptFileError as exc:
        raise IndexDamaged(f"{META}: {exc.reason}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        got = meta.get("format") if isinstance(meta, dict) else None
        raise IndexDamaged(f"format {got!r}, not {FORMAT}")
    if not isinstance(meta.get("wordings"), int):
        raise IndexDamaged(f"{META} does not count the wordings")
    return meta


def write_meta(directory: Path, root: Path, state: str, wordings: int) -> None:
    data = dumps({"format": FORMAT, "state": state, "wordings": wordings})
    atomic_write(directory / META, data, backup=False, root=root)


def member_count(rec: Mapping[str, Any]) -> int:
    return len(rec["m"]) + int(rec.get("s", 0))


def page_name(wid: str, page: int) -> str:
    return f"{wid}.{page}"


def _shared(rec: Mapping[str, Any]) -> bool:
    """Printed more than once, or linked: part of a trail (``QuoteIndex._shared``)."""
    return traceable(rec["n"], bool(rec["q"])) and (member_count(rec) > 1 or bool(rec["l"]))


# ---------------------------------------------------------------------- updating


@dataclass
class Edit:
    """Changes to the index, bucket by bucket: ``QuoteIndex.add_article``/``remove_article``
    on the buckets they touch. ``finish`` works out the trails the changes touched."""

    buckets: Buckets
    wordings: int  # how many there are (a bigram in more than COMMON of them finds none)
    touched: set[str] = field(default_factory=set)  # wordings whose members or links changed
    gone_trails: set[str] = field(default_factory=set)  # ids of trails that may be no more
    # a build: quote bucket -> quote id -> [article, wording], written once at the end
    sink: dict[str, dict[str, list[Any]]] | None = None

    def word(self, wid: str) -> dict[str, Any] | None:
        rec: dict[str, Any] | None = self.buckets.get("words", wid[:2]).get(wid)
        return rec

    def _word_changed(self, wid: str) -> None:
        self.buckets.changed("words", wid[:2])

    def remove_article(self, article_id: str) -> None:
        articles = self.buckets.get("articles", article_id[:3])
        indexed = articles.pop(article_id, None)
        if indexed is None:
            return
        self.buckets.changed("articles", article_id[:3])
        for qid in indexed[1]:
            quotes = self.buckets.get("quotes", qid[:3])
            pair = quotes.pop(qid, None)
            self.buckets.changed("quotes", qid[:3])
            if pair is None:
                continue
            wid = pair[1]
            rec = self.word(wid)
            if rec is None:
                continue
            page = pair[2] if len(pair) > 2 else 0
            if page == rec.get("k", 0):
                rec["m"].pop(qid, None)
            else:  # a full page: rewritten without it
                members = self.buckets.get("members", page_name(wid, page))
                if members.pop(qid, None) is not None:
                    rec["s"] = rec.get("s", 0) - 1
                    self.buckets.changed("members", page_name(wid, page))
            self._word_changed(wid)
            self.touched.add(wid)
            if not member_count(rec):
                self._drop_wording(wid, rec)

    def _drop_wording(self, wid: str, rec: dict[str, Any]) -> None:
        del self.buckets.get("words", wid[:2])[wid]
        self._word_changed(wid)
        self.wordings -= 1
        self.touched.discard(wid)
        if rec.get("t"):
            self.gone_trails.add(rec["t"])
        for other in rec["l"]:
            linked = self.word(other)
            if linked is not None:
                linked["l"].pop(wid, None)
                self._word_changed(other)
                self.touched.add(other)
        if traceable(rec["n"], bool(rec["q"])):
            for s in shingles(rec["n"]):
                postings = self.buckets.get("postings", posting_bucket(s))
                listed = postings.get(s)
                if listed and wid in listed:
                    listed.remove(wid)
                    if not listed:
                        del postings[s]
                    self.buckets.changed("postings", posting_bucket(s))

    def add_article(
        self, article_id: str, version: str, entries: Iterable[tuple[str, str, bool]]
    ) -> None:
        """Index one article's quotes, ``(quote id, spoken text, quoted)``; replaces what
        was there."""
        self.remove_article(article_id)
        mine: list[str] = []
        for qid, text, quoted in entries:
            if self.sink is not None:
                quotes = self.sink.setdefault(qid[:3], {})
            else:
                quotes = self.buckets.get("quotes", qid[:3])
            if qid in quotes:  # the same span twice: keep one
                continue
            wid = self._wording(normalise(text), quoted)
            rec = self.word(wid)
            assert rec is not None
            if len(rec["m"]) >= PAGE:
                self._seal(wid, rec)
            rec["m"][qid] = article_id
            self._word_changed(wid)
            self.touched.add(wid)
            self.put_quote(qid, article_id, wid, rec.get("k", 0))
            mine.append(qid)
        self.buckets.get("articles", article_id[:3])[article_id] = [version, mine]
        self.buckets.changed("articles", article_id[:3])

    def _seal(self, wid: str, rec: dict[str, Any]) -> None:
        """The record's members become a page of their own (written once, rewritten only
        when one of them goes)."""
        page = rec.get("k", 0)
        self.buckets.loaded[("members", page_name(wid, page))] = rec["m"]
        self.buckets.changed("members", page_name(wid, page))
        rec["s"] = rec.get("s", 0) + len(rec["m"])
        rec["k"] = page + 1
        rec["m"] = {}

    def put_quote(self, qid: str, article_id: str, wid: str, page: int) -> None:
        entry: list[Any] = [article_id, wid, page] if page else [article_id, wid]
        if self.sink is not None:
            self.sink[qid[:3]][qid] = entry
            return
        self.buckets.get("quotes", qid[:3])[qid] = entry
        self.buckets.changed("quotes", qid[:3])

    def _wording(self, norm: str, quoted: bool) -> str:
        """The id of this wording, a new entry (linked to its relatives) when it is new."""
        wid = wording_id(norm, quoted)
        if self.word(wid) is not None:
            return wid
        self.wordings += 1  # counted before matching, as QuoteIndex counts the new entry
        rec: dict[str, Any] = {"n": norm, "q": int(quoted), "m": {}, "l": {}}
        self.buckets.get("words", wid[:2])[wid] = rec
        self._word_changed(wid)
        if traceable(norm, quoted):
            for other, rel in self._matches(norm, quoted):
                rec["l"][other] = rel
                linked = self.word(other)
                assert linked is not None
                linked["l"][wid] = rel
                self._word_changed(other)
                self.touched.add(other)
            for s in shingles(norm):
                name = posting_bucket(s)
                self.buckets.get("postings", name).setdefault(s, []).append(wid)
                self.buckets.changed("postings", name)
        return wid

    def _matches(self, norm: str, quoted: bool) -> list[tuple[str, Relation]]:
        """``QuoteIndex._matches``: the wordings sharing enough informative bigrams, and
        how they relate."""
        common = max(COMMON_MIN, int(COMMON * self.wordings))
        shared: Counter[str] = Counter()
        informative = 0
        for s in shingles(norm):
            listed = self.buckets.get("postings", posting_bucket(s)).get(s)
            if not listed or len(listed) > common:
                continue
            informative += 1
            shared.update(listed)
        floor = 2 if informative >= 2 else 1
        out: list[tuple[str, Relation]] = []
        for wid, n in shared.items():
            if n < floor:
                continue
            other = self.word(wid)
            if other is None:
                raise IndexDamaged(f"a posting names wording {wid}, which is not in the index")
            theirs = other["n"].count(" ") + 2 - SHINGLE
            if n < math.ceil(SHARED * min(informative, theirs)):
                continue
            rel = relation(norm, other["n"], pieces=quoted and bool(other["q"]))
            if rel is not None:
                out.append((wid, rel))
        return out

    def finish(self, every: Iterable[str] | None = None) -> None:
        """Work out again the trails of the wordings touched (``every``: of these wordings,
        a build's): each is the wordings joined by exact and near links, and its id (its
        smallest shared wording's) is written on each of them and in the trail buckets."""
        seen: set[str] = set()
        made: dict[str, list[str]] = {}
        gone = set(self.gone_trails)
        for start in sorted(self.touched if every is None else every):
            if start in seen or self.word(start) is None:
                continue
            seen.add(start)
            group: list[tuple[str, dict[str, Any]]] = []
            stack = [start]
            while stack:
                wid = stack.pop()
                rec = self.word(wid)
                if rec is None:
                    continue
                group.append((wid, rec))
                if rec.get("t"):
                    gone.add(rec["t"])
                for other, rel in rec["l"].items():
                    if rel != "contains" and other not in seen:
                        seen.add(other)
                        stack.append(other)
            shared = sorted(wid for wid, rec in group if _shared(rec))
            trail_id = shared[0] if shared else None
            members = set(shared)
            for wid, rec in group:
                want = trail_id if wid in members else None
                if rec.get("t") != want:
                    if want is None:
                        del rec["t"]
                    else:
                        rec["t"] = want
                    self._word_changed(wid)
            if trail_id is not None:
                made[trail_id] = shared
        for trail_id in gone - made.keys():
            bucket = self.buckets.get("trails", trail_id[:2])
            if bucket.pop(trail_id, None) is not None:
                self.buckets.changed("trails", trail_id[:2])
        for trail_id, wids in made.items():
            bucket = self.buckets.get("trails", trail_id[:2])
            if bucket.get(trail_id) != wids:
                bucket[trail_id] = wids
                self.buckets.changed("trails", trail_id[:2])
        self.touched.clear()
        self.gone_trails.clear()


# ---------------------------------------------------------------------- reading


class Reader:
    """Look-ups on the index as it is on disk, each bucket read once (no lock: a save
    replaces each bucket atomically, and a trail read meanwhile is a moment old)."""

    def __init__(self, root: Path) -> None:
        self.buckets = Buckets(index_dir(root), root)

    def quote(self, quote_id: str) -> tuple[str, str] | None:
        """(article id, wording id) of an indexed quote."""
        pair = self.buckets.get("quotes", quote_id[:3]).get(quote_id)
        if pair is None:
            return None
        try:
            aid, wid = pair[:2]
            if len(pair) > 3 or (len(pair) == 3 and not isinstance(pair[2], int)):
                raise ValueError(pair)
        except (TypeError, ValueError):
            raise IndexDamaged(
                f"quotes/{quote_id[:3]}.json: quote {quote_id} is malformed"
            ) from None
        if not isinstance(aid, str) or not isinstance(wid, str):
            raise IndexDamaged(f"quotes/{quote_id[:3]}.json: quote {quote_id} is malformed")
        return aid, wid

    def word(self, wid: str) -> dict[str, Any]:
        rec = self.buckets.get("words", wid[:2]).get(wid)
        if (
            not isinstance(rec, dict)
            or not isinstance(rec.get("n"), str)
            or not isinstance(rec.get("m"), dict)
            or not isinstance(rec.get("l"), dict)
            or not isinstance(rec.get("k", 0), int)
            or any(rel not in RELATIONS for rel in rec["l"].values())
        ):
            raise IndexDamaged(f"words/{wid[:2]}.json: wording {wid} is missing or malformed")
        return rec

    def members(self, wid: str, rec: Mapping[str, Any]) -> dict[str, str]:
        """Every member of a wording: its record's and its full pages'."""
        out: dict[str, str] = {}
        for page in range(int(rec.get("k", 0))):
            found = self.buckets.get("members", page_name(wid, page))
            if not all(isinstance(a, str) for a in found.values()):
                raise IndexDamaged(f"members/{page_name(wid, page)}.json is malformed")
            out.update(found)
        out.update(rec["m"])
        return out

    def trail_ids(self) -> list[str]:
        """Every trail's id (the library-wide view reads the 256 small trail buckets)."""
        out: list[str] = []
        for name in bucket_names("trails"):
            out.extend(self.buckets.get("trails", name))
        return sorted(out)

    def trail_wordings(self, trail_id: str) -> list[str]:
        wids = self.buckets.get("trails", trail_id[:2]).get(trail_id)
        if not isinstance(wids, list) or not all(isinstance(w, str) for w in wids):
            raise IndexDamaged(f"trails/{trail_id[:2]}.json: trail {trail_id} is malformed")
        return wids

    def graph_of_quote(self, quote_id: str) -> TrailGraph | None:
        """The trail of an indexed quote (None: the quote is not in the index)."""
        found = self.quote(quote_id)
        if found is None:
            return None
        aid, wid = found
        trail_id = self.word(wid).get("t")
        if not trail_id:
            return alone(quote_id, aid, wid)
        return self.graph(trail_id)

    def graph(self, trail_id: str) -> TrailGraph:
        """``QuoteIndex.members`` of a trail: its core (the copies of its wordings) and the
        quotes that contain, or are contained in, one of them."""
        core_wids = self.trail_wordings(trail_id)
        article_of: dict[str, str] = {}
        wording_of: dict[str, str] = {}
        links: dict[str, Mapping[str, str]] = {}
        trace: dict[str, bool] = {}
        core: set[str] = set()

        def take(wid: str) -> tuple[dict[str, Any], dict[str, str]]:
            rec = self.word(wid)
            members = self.members(wid, rec)
            for qid, aid in members.items():
                article_of[qid] = aid
                wording_of[qid] = wid
            links[wid] = rec["l"]
            trace[wid] = traceable(rec["n"], bool(rec["q"]))
            return rec, members

        inside = True
        for wid in core_wids:
            rec, members = take(wid)
            core.update(members)
            length = len(rec["n"])
            longer = False
            for other, rel in rec["l"].items():
                if rel == "contains":
                    linked = take(other)[0] if other not in links else self.word(other)
                    longer = longer or len(linked["n"]) > length
            inside = inside and longer
        return TrailGraph(frozenset(core), article_of, wording_of, links, trace, inside)


# ---------------------------------------------------------------------- the library's index


def _old_file(root: Path) -> Path:
    return root / OLD_FILE


def state(root: Path) -> str | None:
    """ "ready", "writing" (a save under way, or one that died), "building", or None (no
    index); IndexDamaged when its meta is unusable."""
    meta = read_meta(index_dir(root))
    return None if meta is None else str(meta.get("state"))


def _article_entries(root: Path) -> Iterator[tuple[str, str]]:
    """(article id, version) of every catalog entry with an article file, by id, one shard
    read at a time (the catalog is never held whole)."""
    from saidwho.store.shards import shard_path

    for name in bucket_names("trails"):  # the catalog's 256 shards have the same names
        path = shard_path(root, name)
        try:
            tables: Tables = parse_tables(path.read_bytes(), path)
        except FileNotFoundError:
            continue
        entries = tables.get("articles", {})
        for entry in sorted(entries.values(), key=lambda e: str(e.get("id"))):
            if isinstance(entry, dict) and entry.get("id") and not entry.get("body_missing"):
                yield str(entry["id"]), version_of(entry)


def build(
    root: Path,
    articles: Iterable[tuple[str, str]],
    read: Callable[[str], Entries],
    *,
    say: Say | None = None,
) -> int:
    """Build the index of ``articles`` ((article id, version), by id) from their quotes
    (``read``: ``body_entries`` of the article file), the caller holding the library lock:
    into a new folder, swapped in when complete, so that readers see the old index or the
    new one. Memory: the wordings and
    postings, not the articles (each written as its bucket is complete) nor the quote
    buckets (written once at the end). The number of articles indexed; a file that cannot
    be read is left out (doctor reports it)."""
    final = index_dir(root)
    fresh = root / f"{INDEX_DIR}.new"
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(fresh)  # a build that died: start again
    buckets = Buckets(fresh, root)
    edit = Edit(buckets, 0, sink={})
    count = 0
    shard = None
    for aid, version in articles:
        if aid[:3] != shard:  # articles come by id: a finished articles bucket is written
            for family in ("articles", "members"):  # (and a full page is never read again)
                buckets.flush(family)
                buckets.forget(family)
            shard = aid[:3]
        try:
            entries = read(aid)
        except LibraryError:
            continue
        edit.add_article(aid, version, entries)
        count += 1
        if say is not None and count % PROGRESS == 0:
            say(f"building the quote-trail index ({INDEX_DIR}/) once: {count} articles ...")
    buckets.flush("articles")
    buckets.forget("articles")
    assert edit.sink is not None
    for name in sorted(edit.sink):
        data = dumps(edit.sink.pop(name))
        atomic_write(buckets.path("quotes", name), data, backup=False, root=root, sync=False)
    words = [data for (family, _), data in buckets.loaded.items() if family == "words"]
    edit.finish([wid for data in words for wid in data])
    buckets.flush()
    os.sync()  # every bucket on disk before the meta says the index is complete
    write_meta(fresh, root, "ready", edit.wordings)
    _swap(final, fresh)
    old = _old_file(root)
    if old.is_file() and not old.is_symlink():
        old.unlink()  # the single-file index it replaces (derived: never read again)
    return count


def build_library(files: LibraryFiles, *, say: Say | None = None) -> int:
    """``build`` of every article in the catalog (the caller holds the lock)."""

    def read(article_id: str) -> Entries:
        return body_entries(files.body(article_id, {}))

    return build(files.root, _article_entries(files.root), read, say=say)


def _swap(final: Path, fresh: Path) -> None:
    aside = final.with_name(f"{INDEX_DIR}.old")
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(aside)
    if final.exists():
        os.rename(final, aside)
    os.rename(fresh, final)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(aside)


def ensure(files: LibraryFiles, *, say: Say | None = None) -> bool:
    """Make sure the library has a usable index: built once when it has none (or the old
    trails.json, or a damaged one, or one whose last save died midway), under the lock,
    saying so through ``say``. True when it was built here."""
    try:
        if state(files.root) == "ready":
            return False
    except IndexDamaged:
        pass
    with files.locked():
        reason = None
        try:
            now = state(files.root)
            if now == "ready":
                return False  # another process built it while this one waited
            reason = "it was not finished" if now else None
        except IndexDamaged as exc:
            reason = str(exc)
        old = _old_file(files.root)
        if reason is None and old.is_file() and not old.is_symlink():
            reason = "replacing trails.json"
        # a new library's index is built without a word (a few articles: a moment); a large
        # one's says how far it got every 10,000 articles
        if say is not None and reason is not None:
            say(f"building the quote-trail index ({INDEX_DIR}/) once: {reason} ...")
        count = build_library(files, say=say)
        if say is not None and (reason is not None or count >= PROGRESS):
            say(f"quote-trail index built: {count} articles")
    return True


def rebuild_when_damaged(
    files: LibraryFiles, exc: IndexDamaged, seen: Stamp, *, say: Say | None = None
) -> None:
    """A look-up met a damaged bucket: build the index again under the lock, unless another
    process did since ``seen`` (the meta's stamp when the look-up began)."""
    with files.locked():
        if meta_stamp(files.root) != seen:
            return
        if say is not None:
            say(f"the quote-trail index is damaged ({exc}): building it again ...")
        build_library(files, say=say)


Stamp = tuple[int, int] | None


def meta_stamp(root: Path) -> Stamp:
    """The meta file's (inode, mtime): a build or save since makes another."""
    try:
        st = os.stat(index_dir(root) / META)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def saved(files: LibraryFiles, article_ids: Iterable[str]) -> None:
    """Bring the index up to date with articles just saved (the caller holds the lock; their
    files are written): only the buckets their quotes touch are rewritten. An index not
    built yet is left alone (built on first use); one found damaged, or a failure midway,
    is left marked unfinished and built again on next use."""
    ids = sorted(set(article_ids))
    if not ids:
        return

    def change(edit: Edit) -> None:
        for aid in ids:
            try:
                body = files.body(aid, {})
            except LibraryError:
                edit.remove_article(aid)
                continue
            edit.add_article(aid, version_of(records.summary(body)), body_entries(body))

    update(files.root, change)


def update(root: Path, change: Callable[[Edit], None]) -> bool:
    """Apply ``change`` to a ready index (the caller holds the lock), then work out the
    trails it touched and write the buckets it changed. The meta says "writing" meanwhile:
    a process that dies midway leaves the index to be built again. False: no ready index."""
    directory = index_dir(root)
    try:
        meta = read_meta(directory)
    except IndexDamaged:
        return False
    if meta is None or meta.get("state") != "ready":
        return False
    write_meta(directory, root, "writing", meta["wordings"])
    edit = Edit(Buckets(directory, root), meta["wordings"])
    try:
        change(edit)
        edit.finish()
        edit.buckets.flush()
    except IndexDamaged:
        return False  # left "writing": built again on next use
    write_meta(directory, root, "ready", edit.wordings)
    return True


def indexed(root: Path) -> dict[str, str]:
    """Article id -> the version the index holds (doctor: every articles bucket)."""
    buckets = Buckets(index_dir(root), root)
    out: dict[str, str] = {}
    for name in bucket_names("articles"):
        for aid, entry in buckets.get("articles", name).items():
            if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[1], list):
                raise IndexDamaged(f"articles/{name}.json: article {aid} is malformed")
            out[aid] = str(entry[0])
    return out


def check_buckets(root: Path) -> None:
    """Read every bucket (one family at a time): IndexDamaged at the first unusable one."""
    reader = Reader(root)
    for family in ("quotes", "words", "trails", "postings"):
        for name in bucket_names(family):
            data = reader.buckets.get(family, name)
            if family == "quotes":
                for qid in data:
                    reader.quote(qid)
            elif family == "words":
                for wid in data:
                    reader.word(wid)
            elif family == "trails":
                for trail_id in data:
                    reader.trail_wordings(trail_id)
            elif not all(isinstance(v, list) for v in data.values()):
                raise IndexDamaged(f"postings/{name}.json holds something else than wordings")
        reader.buckets.forget(family)
    for path in sorted((index_dir(root) / "members").glob("*.json")):
        data = reader.buckets.get("members", path.stem)
        if not all(isinstance(v, str) for v in data.values()):
            raise IndexDamaged(f"members/{path.name} holds something else than articles")
        reader.buckets.forget("members")


def problem(root: Path, want: Mapping[str, str]) -> tuple[str, bool] | None:
    """Why the index does not describe ``want`` (article id -> version, from the article
    files), and whether only some articles are out of date (updated in place); None: it
    does."""
    try:
        meta = read_meta(index_dir(root))
        if meta is None:
            return "missing", False
        if meta.get("state") != "ready":
            return f"left {meta.get('state')} (a write that did not finish)", False
        have = indexed(root)
        check_buckets(root)
    except IndexDamaged as exc:
        return str(exc), False
    differ = {aid for aid, v in have.items() if want.get(aid) != v}
    differ |= {aid for aid, v in want.items() if have.get(aid) != v}
    if differ:
        return f"{len(differ)} articles out of date with their files", True
    return None


def sync(root: Path, want: Mapping[str, str], read: Callable[[str], Entries]) -> int:
    """Bring a ready index up to date with the article files (doctor --repair; the caller
    holds the lock): articles gone or changed taken out, new or changed ones added. The
    number of articles changed."""
    have = indexed(root)
    stale = sorted(aid for aid, v in have.items() if want.get(aid) != v)
    missing = sorted(aid for aid, v in want.items() if have.get(aid) != v)

    def change(edit: Edit) -> None:
        for aid in stale:
            edit.remove_article(aid)
        for aid in missing:
            try:
                entries = read(aid)
            except LibraryError:
                continue
            edit.add_article(aid, want[aid], entries)

    update(root, change)
    return len(set(stale) | set(missing))
