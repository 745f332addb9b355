"""Quote trails, the index as a whole in memory: ``QuoteIndex``, the reference that the
index on disk (``store/trail_shards.py``, what the library uses) must agree with, and the
steps both share (``body_entries``, ``version_of``).

Quotes with the same words share one wording entry (``exact`` copies, however many outlets
print them: the index grows with the distinct wordings, not with pairs of copies); linked
wordings (``store/trail_words.py``'s ``relation``) are found through an inverted index of
word bigrams, so a new wording is compared with the few wordings that share words with it.
Up to format 3 this index was the library's, loaded whole from ``trails.json`` (750 MB of
memory at 100,000 articles); ``to_json``/``from_json`` still read and write that shape.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store import records
from saidwho.store.errors import CorruptFileError
from saidwho.store.storage import Tables
from saidwho.store.trail_graph import TrailGraph
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
    spoken_text,
    traceable,
)

if TYPE_CHECKING:
    pass

INDEX_FILE = "trails.json"
INDEX_VERSION = 3  # 3: wordings shared by their copies (2 linked every pair of copies)


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
        return traceable(self.norm, self.quoted)


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
                    for s in shingles(wording.norm):
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
            for s in shingles(norm):
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
            for s in shingles(wording.norm):
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
        for s in shingles(wording.norm):
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

    def graph(self, quote_id: str) -> TrailGraph | None:
        """What ``store/trails.py`` builds a quote's trail from (None: not indexed)."""
        if quote_id not in self.quotes:
            return None
        core = self.cores().get(quote_id, frozenset({quote_id}))
        members = self.members(quote_id)
        wids = {self.wording_of[q] for q in members}
        return TrailGraph(
            core=core,
            article_of={q: self.quotes[q].article_id for q in members},
            wording_of={q: str(self.wording_of[q]) for q in members},
            links={str(w): {str(o): r for o, r in self.links.get(w, {}).items()} for w in wids},
            traceable={str(w): self.wordings[w].traceable for w in wids},
            inside=all(self._inside(q) for q in core),
        )

    def trail_graphs(self) -> list[TrailGraph]:
        """Every trail's graph, as ``trails`` lists them."""
        out = []
        for core in self.trails():
            graph = self.graph(next(iter(core)))
            assert graph is not None
            out.append(graph)
        return out

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
                if a not in index.wordings or b not in index.wordings or rel not in RELATIONS:
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
