"""The quote trail: one statement across the library, who printed it first, how it changed.

The index (``trails.json`` beside the catalog) holds, for every quote of every article, the
speaker's own words (its segments) normalised: case, punctuation, quote styles and whitespace
folded. Quotes with the same words share one wording entry (``exact`` copies, however many
outlets print them: the index grows with the distinct wordings, not with pairs of copies).
Two wordings are linked when they are

- the same words, one quoted and one reported (``exact``),
- one inside the other (``contains``: a partial quote of a longer one), or
- nearly the same (``near``: reworded, trimmed, a word changed; rapidfuzz on the words).

Candidates come from an inverted index of word bigrams, so a new wording is compared with the
few wordings that share words with it, not with all 150,000. A trail is a connected group of
linked quotes. The index is derived data: it records the version (``text_sha256|updated``) of
each article it covers and catches up lazily with the catalog on the next use; a missing or
damaged file is rebuilt, and ``saidwho doctor --repair`` rebuilds it from the article files.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from saidwho.core.heap import paused_gc
from saidwho.core.marks import (
    CLOSE_SINGLE,
    DOUBLE,
    OPEN_SINGLE,
    STRAIGHT_SINGLE,
    find_quoted,
)
from saidwho.core.text import squash
from saidwho.store import records
from saidwho.store.errors import CorruptFileError, LibraryError, NotFoundError
from saidwho.store.storage import Tables, atomic_write, dumps, loads

if TYPE_CHECKING:
    from saidwho.store.library import Library
    from saidwho.store.views import ArticleSummary, QuoteView

INDEX_FILE = "trails.json"
INDEX_VERSION = 3  # 3: wordings shared by their copies (2 linked every pair of copies)

MIN_WORDS = 5  # shorter quotes ("I don't know", "a disaster") repeat by chance: not traced
MIN_REPORTED_WORDS = 8  # ... and reported speech, the writer's own wording, needs more
SHINGLE = 2  # word bigrams: a changed word in a 5-word quote still leaves two shared
SHARED = 0.4  # a candidate shares at least this share of the shorter quote's bigrams
NEAR_RATIO = 85.0  # rapidfuzz ratio (0-100) of the normalised texts: a word or two changed
TRIM_MIN_WORDS = 8  # a trimmed quote that also changed a word: at least this long ...
TRIM_WORDS_PER_EDIT = 8  # ... with one word edit per this many words (word Levenshtein)
# a bigram in more quotes than this ("of the", "we are") finds no candidates: it says little
COMMON, COMMON_MIN = 0.005, 100

Relation = Literal["exact", "contains", "near"]
_RELATIONS = ("exact", "contains", "near")

# Quote styles: every single mark becomes an apostrophe (don’t == don't); double marks go.
_FOLD = str.maketrans(
    dict.fromkeys(OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE + "`´", "'")
    | dict.fromkeys(DOUBLE, " ")
)
# dots and commas inside words and numbers are style, not words: U.S. == US, 10,000 == 10000
_INNER = re.compile(r"(?<=\w)[.,](?=\w)")
_WORD = re.compile(r"\w+(?:'\w+)*")
_POSSESSIVE = re.compile(r"'s$")


def words(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for each word of ``text``, in order."""
    out: list[tuple[str, str]] = []
    for m in _WORD.finditer(_INNER.sub("", text.translate(_FOLD))):
        # a possessive is style too: "ISIS' best" and "ISIS's best" are one wording
        out.append((m.group(), _POSSESSIVE.sub("", m.group().casefold())))
    return out


def normalise(text: str) -> str:
    """The words of ``text``, folded and joined by single spaces (the index's key)."""
    return " ".join(norm for _, norm in words(text))


def spoken_text(text: str, segments: Iterable[tuple[int, int]], *, quoted: bool = False) -> str:
    """The speaker's own words of a quote: its segments, narration between them left out.
    ``quoted`` (direct and partial quotes): only what is inside quotation marks, so a partial
    quote is its quoted words, not the reported sentence around them."""
    pieces: list[str] = []
    for start, end in segments:
        piece = text[start:end]
        inner = [piece[q.start : q.end] for q in find_quoted(piece)] if quoted else []
        pieces.extend(inner or [piece])
    return " … ".join(p.strip() for p in pieces if p.strip())


def relation(a: str, b: str, *, pieces: bool = True) -> Relation | None:
    """How two normalised quotes relate, or None when they are different statements.
    ``pieces``: also a quote inside the other, or a trimmed one (both quoted words)."""
    if a == b:
        return "exact"
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if pieces and f" {short} " in f" {long} ":
        return "contains"
    if fuzz.ratio(a, b) >= NEAR_RATIO:
        return "near"
    if pieces and _trimmed_near(short.split(), long.split()):
        return "near"
    return None


def _trimmed_near(short: list[str], long: list[str]) -> bool:
    """``short`` is a window of ``long`` with a word or two changed (word-level Levenshtein
    against every window of the same length: characters would align across words)."""
    n = len(short)
    if n < TRIM_MIN_WORDS:
        return False
    allowed = max(1, n // TRIM_WORDS_PER_EDIT)
    return any(
        Levenshtein.distance(short, long[i : i + n], score_cutoff=allowed) <= allowed
        for i in range(len(long) - n + 1)
    )


def _shingles(norm: str) -> set[str]:
    w = norm.split()
    if len(w) < SHINGLE:
        return {norm} if norm else set()
    return {" ".join(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def _traceable(norm: str, quoted: bool) -> bool:
    # reported speech is the writer's words: short clauses ("he will run for president")
    # recur by chance far more often than quoted words do
    return bool(norm) and norm.count(" ") + 1 >= (MIN_WORDS if quoted else MIN_REPORTED_WORDS)


# ---------------------------------------------------------------------- the index


@dataclass(frozen=True)
class Indexed:
    """One quote in the index."""

    article_id: str
    norm: str  # the speaker's words, normalised
    quoted: bool  # direct or partial: words inside quotation marks


@dataclass
class Wording:
    """One distinct wording (its normalised words, quoted or not) and the quotes that print it.
    Copies of one wording are ``exact`` relatives of each other without a link apiece, so a
    wire quote printed by 400 outlets is one entry with 400 members, not 80,000 links."""

    norm: str
    quoted: bool
    members: set[str] = field(default_factory=set)  # quote ids

    @property
    def traceable(self) -> bool:
        return _traceable(self.norm, self.quoted)


@dataclass
class QuoteIndex:
    """Quotes by id with their normalised words, grouped into wordings, and the links between
    wordings.

    A trail's core is the quotes joined by ``exact`` and ``near`` relations (copies of one
    wording, and linked wordings); ``contains`` links attach a partial quote to the longer
    statements it is a piece of, without joining those statements to each other (a five-word
    phrase inside two speeches makes no trail of them).
    """

    articles: dict[str, str] = field(default_factory=dict)  # article id -> version indexed
    quotes: dict[str, Indexed] = field(default_factory=dict)
    by_article: dict[str, list[str]] = field(default_factory=dict)
    wordings: dict[int, Wording] = field(default_factory=dict)
    wording_of: dict[str, int] = field(default_factory=dict)  # quote id -> wording id
    links: dict[int, dict[int, Relation]] = field(default_factory=dict)  # wording <-> wording
    _ids: dict[tuple[str, bool], int] = field(default_factory=dict)  # (norm, quoted) -> id
    _next: int = 0
    _postings: dict[str, set[int]] | None = None  # bigram -> wording ids, built on first update
    _cores: dict[str, frozenset[str]] | None = None  # quote id -> its core (joined quotes only)
    _spread: dict[frozenset[str], int] = field(default_factory=dict)  # core -> articles

    # -- updates ------------------------------------------------------------------------

    def _ensure_postings(self) -> dict[str, set[int]]:
        if self._postings is None:
            postings: dict[str, set[int]] = {}
            for wid, wording in self.wordings.items():
                if wording.traceable:
                    for s in _shingles(wording.norm):
                        postings.setdefault(s, set()).add(wid)
            self._postings = postings
        return self._postings

    def _wording(self, norm: str, quoted: bool) -> int:
        """The id of this wording, a new entry (linked to its relatives) when it is new."""
        wid = self._ids.get((norm, quoted))
        if wid is not None:
            return wid
        postings = self._ensure_postings()  # before the new entry: it must not match itself
        wid, self._next = self._next, self._next + 1
        wording = self.wordings[wid] = Wording(norm, quoted)
        self._ids[(norm, quoted)] = wid
        if wording.traceable:
            for other, rel in self._matches(wording, postings):
                self.links.setdefault(wid, {})[other] = rel
                self.links.setdefault(other, {})[wid] = rel
            for s in _shingles(norm):
                postings.setdefault(s, set()).add(wid)
        return wid

    def _drop_wording(self, wid: int) -> None:
        wording = self.wordings.pop(wid)
        del self._ids[(wording.norm, wording.quoted)]
        for other in self.links.pop(wid, {}):
            linked = self.links.get(other)
            if linked is not None:
                linked.pop(wid, None)
                if not linked:
                    del self.links[other]
        if self._postings is not None and wording.traceable:
            for s in _shingles(wording.norm):
                bucket = self._postings.get(s)
                if bucket is not None:
                    bucket.discard(wid)
                    if not bucket:
                        del self._postings[s]

    def remove_article(self, article_id: str) -> None:
        for qid in self.by_article.pop(article_id, []):
            del self.quotes[qid]
            wid = self.wording_of.pop(qid)
            members = self.wordings[wid].members
            members.discard(qid)
            if not members:
                self._drop_wording(wid)
        self.articles.pop(article_id, None)
        self._cores = None
        self._spread = {}

    def add_article(
        self, article_id: str, version: str, quotes: Iterable[tuple[str, str, bool]]
    ) -> None:
        """Index one article's quotes, ``(quote id, spoken text, quoted)``; replaces what
        was there."""
        self.remove_article(article_id)
        mine: list[str] = []
        for qid, text, quoted in quotes:
            if qid in self.quotes:  # the same span twice: keep one
                continue
            norm = normalise(text)
            self._add(qid, Indexed(article_id, norm, quoted))
            mine.append(qid)
        self.by_article[article_id] = mine
        self.articles[article_id] = version
        self._cores = None
        self._spread = {}

    def _add(self, qid: str, entry: Indexed) -> None:
        wid = self._wording(entry.norm, entry.quoted)
        wording = self.wordings[wid]
        # one string for every copy of a wording: the index holds each wording once
        self.quotes[qid] = Indexed(entry.article_id, wording.norm, entry.quoted)
        self.wording_of[qid] = wid
        wording.members.add(qid)

    def _matches(
        self, wording: Wording, postings: dict[str, set[int]]
    ) -> list[tuple[int, Relation]]:
        common = max(COMMON_MIN, int(COMMON * len(self.wordings)))
        shared: Counter[int] = Counter()
        informative = 0
        for s in _shingles(wording.norm):
            bucket = postings.get(s)
            if not bucket or len(bucket) > common:
                continue
            informative += 1
            shared.update(bucket)
        floor = 2 if informative >= 2 else 1  # no pair passes SHARED with fewer: skip fast
        out: list[tuple[int, Relation]] = []
        for wid, n in shared.items():
            if n < floor:
                continue
            other = self.wordings[wid]
            theirs = other.norm.count(" ") + 2 - SHINGLE
            if n < math.ceil(SHARED * min(informative, theirs)):
                continue
            # reported speech carries the writer's noun phrases ("Clinton's use of a private
            # email server"): it joins a trail as a whole, never as a piece of another quote
            rel = relation(wording.norm, other.norm, pieces=wording.quoted and other.quoted)
            if rel is not None:
                out.append((wid, rel))
        return out

    # -- queries ------------------------------------------------------------------------

    def relation_of(self, a: str, b: str) -> Relation | None:
        """How two indexed quotes relate (None: not directly)."""
        wa, wb = self.wording_of.get(a), self.wording_of.get(b)
        if wa is None or wb is None or not self.wordings[wa].traceable:
            return None
        if wa == wb:
            return "exact" if a != b else None
        return self.links.get(wa, {}).get(wb)

    def _shared(self, wid: int) -> bool:
        """Printed more than once, or linked: part of a trail."""
        return self.wordings[wid].traceable and (
            len(self.wordings[wid].members) > 1 or wid in self.links
        )

    def cores(self) -> dict[str, frozenset[str]]:
        """Quote id -> its core: the copies of its wording and of the wordings joined to it by
        exact and near links (union-find over the wordings; a quote printed once with only
        ``contains`` links is its own core)."""
        if self._cores is None:
            parent: dict[int, int] = {}

            def find(x: int) -> int:
                root = x
                while parent.get(root, root) != root:
                    root = parent[root]
                while parent.get(x, x) != root:  # path compression
                    parent[x], x = root, parent[x]
                return root

            for a, linked in self.links.items():
                for b, rel in linked.items():
                    if rel != "contains" and (ra := find(a)) != (rb := find(b)):
                        parent[ra] = rb
            groups: dict[int, set[str]] = {}
            for wid, wording in self.wordings.items():
                if self._shared(wid):
                    groups.setdefault(find(wid), set()).update(wording.members)
            cores: dict[str, frozenset[str]] = {}
            for group in groups.values():
                core = frozenset(group)  # one set per trail, shared by its quotes
                cores.update(dict.fromkeys(core, core))
            self._cores = cores
        return self._cores

    def members(self, quote_id: str) -> frozenset[str]:
        """The quote ids of ``quote_id``'s trail: its core and the quotes that contain, or
        are contained in, one of the core's (itself alone when it has no trail)."""
        core = self.cores().get(quote_id, frozenset({quote_id}))
        out = set(core)
        for wid in {self.wording_of[q] for q in core if q in self.wording_of}:
            for other, rel in self.links.get(wid, {}).items():
                if rel == "contains":
                    out.update(self.wordings[other].members)
        return frozenset(out)

    def _inside(self, quote_id: str) -> bool:
        """A piece of a longer quote (it is listed with that one's trail)."""
        wid = self.wording_of[quote_id]
        length = len(self.wordings[wid].norm)
        return any(
            rel == "contains" and len(self.wordings[o].norm) > length
            for o, rel in self.links.get(wid, {}).items()
        )

    def spread(self, quote_id: str) -> int:
        """In how many articles the statement appears (1: only its own)."""
        core = self.cores().get(quote_id)
        if core is None:  # no copies: its own article and those of the quotes it contains
            return self._articles_of(self.members(quote_id))
        # the same for every quote of the core: a wire quote's 400 copies count once
        spread = self._spread.get(core)
        if spread is None:
            spread = self._spread[core] = self._articles_of(self.members(quote_id))
        return spread

    def prepare(self) -> None:
        """Work out every trail's spread now (a reader warming up), not on the first open."""
        for quote_id, core in self.cores().items():
            if core not in self._spread:
                self.spread(quote_id)

    def _articles_of(self, quote_ids: Iterable[str]) -> int:
        return len({self.quotes[q].article_id for q in quote_ids if q in self.quotes})

    def trails(self) -> list[frozenset[str]]:
        """The core of every trail, each once. A core made only of pieces of longer quotes
        shows up inside those quotes' trails instead of as a trail of its own."""
        return [
            core for core in set(self.cores().values()) if not all(self._inside(q) for q in core)
        ]

    def link_counts(self) -> Counter[str]:
        """Relations between distinct quotes, by kind (copies of one wording are ``exact``)."""
        out: Counter[str] = Counter()
        for wid, wording in self.wordings.items():
            if wording.traceable:
                out["exact"] += len(wording.members) * (len(wording.members) - 1) // 2
                for other, rel in self.links.get(wid, {}).items():
                    if wid < other:
                        out[rel] += len(wording.members) * len(self.wordings[other].members)
        return out

    # -- on disk --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        position = {wid: i for i, wid in enumerate(self.wordings)}
        pairs = sorted(
            [position[a], position[b], rel]
            for a, linked in self.links.items()
            for b, rel in linked.items()
            if a < b
        )
        return {
            "version": INDEX_VERSION,
            "articles": self.articles,
            "wordings": [[w.norm, int(w.quoted)] for w in self.wordings.values()],
            "quotes": {
                q: [e.article_id, position[self.wording_of[q]]] for q, e in self.quotes.items()
            },
            "links": pairs,
        }

    @classmethod
    def from_json(cls, data: Any, path: Path) -> QuoteIndex:
        try:
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if data.get("version") != INDEX_VERSION:
                raise ValueError(f"version {data.get('version')!r}, not {INDEX_VERSION}")
            index = cls(articles={str(k): str(v) for k, v in data["articles"].items()})
            for norm, quoted in data["wordings"]:
                if not isinstance(norm, str):
                    raise ValueError(f"wording {norm!r} is malformed")
                index._wording_from_disk(norm, bool(quoted))
            for qid, (aid, wid) in data["quotes"].items():
                if not isinstance(aid, str) or not isinstance(wid, int):
                    raise ValueError(f"quote {qid!r} is malformed")
                if wid not in index.wordings:
                    raise ValueError(f"quote {qid!r} is malformed")
                wording = index.wordings[wid]
                index.quotes[qid] = Indexed(aid, wording.norm, wording.quoted)
                index.wording_of[qid] = wid
                wording.members.add(qid)
                index.by_article.setdefault(aid, []).append(qid)
            for a, b, rel in data["links"]:
                if a not in index.wordings or b not in index.wordings or rel not in _RELATIONS:
                    raise ValueError(f"link {a}-{b} is malformed")
                index.links.setdefault(a, {})[b] = rel
                index.links.setdefault(b, {})[a] = rel
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorruptFileError(path, f"not a quote index: {exc}") from None
        for aid in index.articles:
            index.by_article.setdefault(aid, [])
        return index

    def _wording_from_disk(self, norm: str, quoted: bool) -> None:
        wid, self._next = self._next, self._next + 1
        self.wordings[wid] = Wording(norm, quoted)
        self._ids[(norm, quoted)] = wid


def index_path(root: Path) -> Path:
    return root / INDEX_FILE


def read_index(root: Path) -> QuoteIndex | None:
    """The index on disk; None when it is missing. CorruptFileError when it is damaged."""
    path = index_path(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorruptFileError(path, f"cannot be read: {exc}") from None
    return QuoteIndex.from_json(loads(raw, path), path)


def write_index(root: Path, index: QuoteIndex) -> None:
    # derived data: no .bak generation (a damaged index is rebuilt, never restored)
    with paused_gc():  # ~200,000 small lists at 10,000 articles, none in a cycle
        data = dumps(index.to_json())
    atomic_write(index_path(root), data, backup=False)


def body_entries(body: Tables) -> list[tuple[str, str, bool]]:
    """(quote id, spoken text, quoted) of every quote of an article file."""
    text = records.body_article(body)["text"]
    out: list[tuple[str, str, bool]] = []
    for q in records.body_quotes(body):
        segments = [(s["start"], s["end"]) for s in q.get("segments") or ()] or [
            (q["start"], q["end"])
        ]
        quoted = q["kind"] != "indirect"
        out.append((q["id"], spoken_text(text, segments, quoted=quoted), quoted))
    return out


def version_of(entry: Mapping[str, Any]) -> str:
    """Which version of an article the index covers (a catalog entry or summary)."""
    return f"{entry.get('text_sha256')}|{entry.get('updated')}"


def build_from_bodies(bodies: Mapping[str, Tables]) -> QuoteIndex:
    """A fresh index of these article files (``doctor --repair``)."""
    index = QuoteIndex()
    for article_id in sorted(bodies):
        body = bodies[article_id]
        index.add_article(article_id, version_of(records.summary(body)), body_entries(body))
    return index


# ---------------------------------------------------------------------- the library's index


@dataclass
class _Cached:
    index: QuoteIndex | None = None
    stamp: tuple[int, int, int] | None = None  # (mtime_ns, size, inode) of the file read
    # the catalog generation the index was last found caught up with: while neither it nor
    # the file changed, a look-up skips comparing 10,000 article versions (~20 ms)
    caught_up: int | None = None
    # held while the index is updated and while a trail is read from it: an update in one
    # worker thread must not change the dicts another is walking
    lock: threading.RLock = field(default_factory=threading.RLock)


_CACHE: weakref.WeakKeyDictionary[Library, _Cached] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _cached(lib: Library) -> _Cached:
    with _CACHE_LOCK:
        return _CACHE.setdefault(lib, _Cached())


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def quote_index(
    lib: Library, *, on_error: Callable[[str, LibraryError], None] | None = None
) -> QuoteIndex:
    """The library's quote index, caught up with the catalog (the caller must not mutate it).

    Articles added, changed or removed since the index was written are re-indexed here, then
    the index is written back under the library lock. A missing or damaged index is rebuilt.
    An article file that cannot be read is reported to ``on_error`` and skipped (tried again
    next time); without ``on_error`` it is skipped silently: the index is a convenience.
    """
    cached = _cached(lib)
    with cached.lock:
        path = index_path(lib.root)
        stamp = _stamp(path)
        if cached.index is None or stamp != cached.stamp:
            try:
                cached.index = read_index(lib.root)
            except CorruptFileError:
                cached.index = None  # rebuilt below, from the article files
            cached.stamp, cached.caught_up = stamp, None
        index = cached.index if cached.index is not None else QuoteIndex()
        with lib._mutex:  # the store's own package: the raw catalog says which bodies exist
            catalog = lib._catalog()
            generation = lib._catalog_storage.generation
            if cached.index is not None and cached.caught_up == generation:
                return index
            wanted = {e["id"]: version_of(e) for e in catalog.values() if not e.get("body_missing")}
        stale = [aid for aid in index.articles if wanted.get(aid) != index.articles[aid]]
        missing = [aid for aid, v in wanted.items() if index.articles.get(aid) != v]
        if cached.index is not None and not stale and not missing:
            cached.caught_up = generation
            return index
        for aid in stale:
            index.remove_article(aid)
        failed = False  # an unreadable article is tried again on the next look-up
        for aid in sorted(missing):
            try:
                with lib._mutex:
                    body = lib._body(aid)
            except LibraryError as exc:
                failed = True
                if on_error is not None:
                    on_error(aid, exc)
                continue
            index.add_article(aid, wanted[aid], body_entries(body))
        try:
            with lib._locked():
                write_index(lib.root, index)
        except (LibraryError, OSError):
            # a read-only library (or a full disk): the index still serves this process
            cached.index, cached.stamp = index, _stamp(path)
            return index
        cached.index, cached.stamp = index, _stamp(path)
        if not failed:
            cached.caught_up = generation
        return index


# ---------------------------------------------------------------------- trails

Change = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class DiffWord:
    """One word of a word-level diff against the first occurrence."""

    word: str
    change: Change  # same; added (not in the first); removed (in the first, not here)

    def to_json(self) -> dict[str, str]:
        return {"word": self.word, "change": self.change}


@dataclass(frozen=True)
class Occurrence:
    """One article's printing of a statement."""

    quote_id: str
    article_id: str
    title: str
    outlet: str | None  # the article's source, else its URL's host
    date: str | None  # the article's date, else a YYYY-MM-DD in its file name
    added: str | None  # when it was ingested: orders occurrences that have no date
    speaker: str | None  # the effective speaker (a reviewer's reassignment wins)
    kind: Literal["direct", "paraphrase"]
    quote_kind: str  # direct | partial | indirect
    text: str  # the speaker's words as this article printed them
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    first_seen: bool
    altered: bool  # quoted words changed against an earlier quoted printing of them
    diff_base: str  # the quote the diff is against: its earliest relative, else the first
    diff: tuple[DiffWord, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "quote_id": self.quote_id,
            "article_id": self.article_id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "added": self.added,
            "speaker": self.speaker,
            "kind": self.kind,
            "quote_kind": self.quote_kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "first_seen": self.first_seen,
            "altered": self.altered,
            "diff_base": self.diff_base,
            "diff": [d.to_json() for d in self.diff],
        }


@dataclass(frozen=True)
class Trail:
    """The occurrences of one statement, first seen first. ``id``: the first seen quote of
    its core (its exact and near copies; partial quotes attach to it but are not its core)."""

    id: str
    occurrences: tuple[Occurrence, ...]
    articles: int  # distinct articles
    altered: bool  # some direct occurrence changed words inside the quotation marks
    conflicting: bool  # credited to more than one speaker
    paraphrased: bool  # some occurrence is reported speech
    speakers: tuple[str, ...]  # credited speakers, most occurrences first

    @property
    def first(self) -> Occurrence:
        return self.occurrences[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "articles": self.articles,
            "altered": self.altered,
            "conflicting": self.conflicting,
            "paraphrased": self.paraphrased,
            "speakers": list(self.speakers),
            "occurrences": [o.to_json() for o in self.occurrences],
        }


_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def article_date(summary: ArticleSummary) -> str | None:
    """The article's date; else a YYYY-MM-DD in its file name (news archives name files so)."""
    if summary.date:
        return summary.date
    if summary.path:
        m = _FILE_DATE.search(Path(summary.path).name)
        if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
            return m.group()
    return None


def article_outlet(summary: ArticleSummary) -> str | None:
    if summary.source:
        return summary.source
    if summary.url:
        host = urlsplit(summary.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def speaker_identity(lib: Library) -> Callable[[str], str]:
    """Name -> who they are, for comparing credits: the speaker identity (store/identities)
    the name is the canonical name or an alias of, casefolded; else the name itself."""
    identities = lib.identities()

    @functools.cache
    def key(name: str) -> str:
        return (identities.find(name) or squash(name)).casefold()

    return key


def word_diff(base: list[tuple[str, str]], mine: list[tuple[str, str]]) -> list[DiffWord]:
    matcher = difflib.SequenceMatcher(None, [n for _, n in base], [n for _, n in mine], False)
    out: list[DiffWord] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [DiffWord(w, "same") for w, _ in mine[j1:j2]]
            continue
        out += [DiffWord(w, "removed") for w, _ in base[i1:i2]]
        out += [DiffWord(w, "added") for w, _ in mine[j1:j2]]
    return out


def is_altered(base: list[str], mine: list[str]) -> bool:
    """Words changed where the two overlap: trimming either end is not a change."""
    ops = difflib.SequenceMatcher(None, base, mine, False).get_opcodes()
    while ops and ops[0][0] in ("insert", "delete"):
        ops.pop(0)
    while ops and ops[-1][0] in ("insert", "delete"):
        ops.pop()
    same = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    return same >= 2 and any(op != "equal" for op, *_ in ops)


@dataclass
class _Loaded:
    """Articles read while building trails, each once."""

    lib: Library
    summaries: dict[str, ArticleSummary] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, dict[str, QuoteView]] = field(default_factory=dict)

    def load(self, article_id: str) -> None:
        if article_id in self.quotes:
            return
        self.summaries[article_id] = self.lib.summary(article_id)
        self.texts[article_id] = self.lib.article(article_id).text
        self.quotes[article_id] = {q.id: q for q in self.lib.quotes(article_id)}


def _build_trail(
    index: QuoteIndex,
    core: frozenset[str],
    loaded: _Loaded,
    identity: Callable[[str], str],
) -> Trail | None:
    rows: list[tuple[tuple[str, str, int], QuoteView, ArticleSummary, str]] = []
    for qid in index.members(next(iter(core))):
        aid = index.quotes[qid].article_id
        try:
            loaded.load(aid)
        except LibraryError:
            continue  # a damaged article file: the rest of the trail still shows
        quote = loaded.quotes[aid].get(qid)
        if quote is None:
            continue
        summary = loaded.summaries[aid]
        segments = [(s.start, s.end) for s in quote.segments]
        text = spoken_text(loaded.texts[aid], segments, quoted=quote.kind != "indirect")
        when = article_date(summary) or summary.added or ""
        rows.append(((when, summary.added or "", quote.start), quote, summary, text))
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1].article_id))
    ids = [q.id for _, q, _, _ in rows]
    tokens = [words(text) for *_, text in rows]
    norms = [[n for _, n in t] for t in tokens]
    occurrences: list[Occurrence] = []
    for i, (_, quote, summary, text) in enumerate(rows):
        related = [(j, index.relation_of(quote.id, ids[j])) for j in range(i)]
        earlier = [(j, rel) for j, rel in related if rel is not None]
        base = earlier[0][0] if earlier else 0  # its earliest relative; else the first seen
        quoted = quote.kind != "indirect"
        # words changed inside quotation marks against an earlier quoted printing of them
        altered = quoted and any(
            rel == "near" and rows[j][1].kind != "indirect" and is_altered(norms[j], norms[i])
            for j, rel in earlier
        )
        occurrences.append(
            Occurrence(
                quote_id=quote.id,
                article_id=quote.article_id,
                title=summary.title,
                outlet=article_outlet(summary),
                date=article_date(summary),
                added=summary.added,
                speaker=quote.speaker,
                kind="direct" if quoted else "paraphrase",
                quote_kind=quote.kind,
                text=text,
                start=quote.start,
                end=quote.end,
                sentence_start=quote.sentence_start,
                sentence_end=quote.sentence_end,
                first_seen=i == 0,
                altered=altered,
                diff_base=ids[base],
                diff=tuple(word_diff(tokens[base], tokens[i])),
            )
        )
    credited: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for occ in occurrences:
        if occ.speaker:
            key = identity(occ.speaker)
            credited[key] += 1
            spelling.setdefault(key, occ.speaker)
    credited = _join_surnames(credited)
    return Trail(
        id=next(o.quote_id for o in occurrences if o.quote_id in core),
        occurrences=tuple(occurrences),
        articles=len({o.article_id for o in occurrences}),
        altered=any(o.altered for o in occurrences),
        conflicting=len(credited) > 1,
        paraphrased=any(o.kind == "paraphrase" for o in occurrences),
        speakers=tuple(spelling[k] for k, _ in credited.most_common()),
    )


def _join_surnames(credited: Counter[str]) -> Counter[str]:
    """Within one trail, "trump" is the "donald trump" credited beside it when only one full
    name ends with it: the same words by "Trump" and "Donald Trump" are no conflict, even
    where the library's aliases leave a surname alone (several Trumps quoted)."""
    out: Counter[str] = Counter()
    for key, n in credited.items():
        if " " not in key:
            full = [k for k in credited if " " in k and k.split()[-1] == key]
            if len(full) == 1:
                key = full[0]
        out[key] += n
    return out


def trail(lib: Library, quote_id: str) -> Trail:
    """The trail of one quote (a trail of one when it appears nowhere else).

    NotFoundError when no article of the library holds the quote."""
    with _cached(lib).lock:
        index = quote_index(lib)
        if quote_id not in index.quotes:
            raise NotFoundError(f"no quote {quote_id!r} in the library")
        core = index.cores().get(quote_id, frozenset({quote_id}))
        built = _build_trail(index, core, _Loaded(lib), speaker_identity(lib))
    if built is None:
        raise NotFoundError(f"the article of quote {quote_id!r} cannot be read")
    return built


def trails(lib: Library, *, altered: bool = False, conflicting: bool = False) -> list[Trail]:
    """Every trail across more than one article, most widespread first; ``altered`` and
    ``conflicting`` keep only the trails with that flag."""
    out: list[Trail] = []
    with _cached(lib).lock:
        index = quote_index(lib)
        loaded, identity = _Loaded(lib), speaker_identity(lib)
        for core in index.trails():
            built = _build_trail(index, core, loaded, identity)
            if built is None or built.articles < 2:
                continue
            if (altered and not built.altered) or (conflicting and not built.conflicting):
                continue
            out.append(built)
    out.sort(key=lambda t: (-t.articles, -len(t.occurrences), t.first.date or "", t.id))
    return out


def prepare(lib: Library) -> None:
    """Load the library's index and work out every trail's spread (a reader warming up in
    the background, so that the first article opened does not wait for it)."""
    with _cached(lib).lock:
        quote_index(lib).prepare()


def trail_counts(lib: Library, quote_ids: Iterable[str]) -> dict[str, int]:
    """Quote id -> in how many articles its statement appears, for those in more than one."""
    out: dict[str, int] = {}
    with _cached(lib).lock:
        index = quote_index(lib)
        for qid in quote_ids:
            if qid in index.quotes:
                n = index.spread(qid)
                if n > 1:
                    out[qid] = n
    return out


def statement_keys(lib: Library, quote_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Quote id -> (its statement's key, articles the statement appears in). Quotes of one
    trail share a key, so a speaker's quotes fold into their distinct statements."""
    out: dict[str, tuple[str, int]] = {}
    with _cached(lib).lock:
        index = quote_index(lib)
        cores = index.cores()
        for qid in quote_ids:
            if qid in index.quotes:
                out[qid] = (min(cores.get(qid, frozenset({qid}))), index.spread(qid))
            else:
                out[qid] = (qid, 1)
    return out
