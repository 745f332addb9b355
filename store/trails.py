"""The quote trail: one statement across the library, who printed it first, how it changed.

The index (``trail-index/``, store/trail_shards.py) holds, for every quote of every article,
the speaker's own words (its segments) normalised: case, punctuation, quote styles and
whitespace folded. Quotes with the same words share one wording entry (``exact`` copies,
however many outlets print them: the index grows with the distinct wordings, not with pairs
of copies). Two wordings are linked when they are

- the same words, one quoted and one reported (``exact``),
- one inside the other (``contains``: a partial quote of a longer one), or
- nearly the same (``near``: reworded, trimmed, a word changed; rapidfuzz on the words).

Candidates come from an inverted index of word bigrams, so a new wording is compared with the
few wordings that share words with it, not with all 150,000. A trail is a connected group of
linked quotes. The index is kept with each save and read bucket by bucket: one quote's trail
reads its quote's bucket, its trail's wordings and their articles; the library-wide view
reads the small trail buckets, then each trail's. Here the trail is built from what the index
gives (a ``TrailGraph``) and the articles' own files.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from saidwho.core.text import squash
from saidwho.store import records
from saidwho.store import trail_shards as shards
from saidwho.store.errors import CorruptFileError, LibraryError, NotFoundError
from saidwho.store.shape import to_doc
from saidwho.store.storage import Tables, parse_tables
from saidwho.store.trail_index import QuoteIndex, build_from_bodies
from saidwho.store.trail_shards import TrailGraph
from saidwho.store.trail_words import normalise, relation, shown_words, spoken_text, words
from saidwho.store.validate import valid_body

if TYPE_CHECKING:
    from saidwho.store.library import Library
    from saidwho.store.views import ArticleSummary, QuoteView

# the index and the words, for callers that know trails by this module alone
__all__ = [
    "DiffWord",
    "Occurrence",
    "QuoteIndex",
    "Trail",
    "TrailGraph",
    "build_from_bodies",
    "graphs",
    "normalise",
    "prepare",
    "relation",
    "shown_words",
    "speaker_identity",
    "statement_keys",
    "trail",
    "trail_counts",
    "trail_of",
    "trails",
    "trails_of",
]


# ---------------------------------------------------------------------- trails

Change = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class DiffWord:
    """One word of a word-level diff against the first occurrence."""

    word: str
    change: Change  # same; added (not in the first); removed (in the first, not here)

    def to_json(self) -> dict[str, Any]:
        return to_doc(self)


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
        return to_doc(self)  # the fields in order; the diff's words as objects


@dataclass(frozen=True)
class Trail:
    """The occurrences of one statement, first seen first. ``id``: the first seen quote of
    its core (its exact and near copies; partial quotes attach to it but are not its core)."""

    id: str
    articles: int  # distinct articles
    altered: bool  # some direct occurrence changed words inside the quotation marks
    conflicting: bool  # credited to more than one speaker
    paraphrased: bool  # some occurrence is reported speech
    speakers: tuple[str, ...]  # credited speakers, most occurrences first
    occurrences: tuple[Occurrence, ...]  # last: the JSON reads summary first

    @property
    def first(self) -> Occurrence:
        return self.occurrences[0]

    def to_json(self) -> dict[str, Any]:
        return to_doc(self)


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

    @functools.cache
    def key(name: str) -> str:
        return (lib.identities().find(name) or squash(name)).casefold()

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
    """Articles read while building trails, each once: an article's file alone (its
    metadata, text and quotes) and its notes shard's reviews, never a library-wide view."""

    lib: Library
    summaries: dict[str, ArticleSummary] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, dict[str, QuoteView]] = field(default_factory=dict)

    def load(self, article_id: str, wanted: Iterable[str] = ()) -> None:
        """Read one article; with ``wanted``, only those of its quotes are checked and kept
        (a trail of 11,000 copies reads 11,000 files: checking their other quotes against
        the schema was half the time)."""
        if article_id in self.quotes:
            return
        from saidwho.store.views import ArticleSummary, QuoteView

        files = self.lib.files
        body = _read_body(files.root, article_id, frozenset(wanted))
        with files.mutex:
            reviews = files.reviews_of(article_id)
        by_quote = {r["quote_id"]: r for r in reviews if not r.get("orphaned")}
        self.summaries[article_id] = ArticleSummary.from_entry(records.summary(body), ())
        self.texts[article_id] = records.body_article(body)["text"]
        self.quotes[article_id] = {
            q["id"]: QuoteView.from_stored(q, article_id, by_quote.get(q["id"]))
            for q in records.body_quotes(body)
        }

    def forget(self, article_id: str) -> None:
        """A long trail keeps what it built, not thousands of article texts."""
        self.texts.pop(article_id, None)
        self.quotes.pop(article_id, None)


def _read_body(root: Path, article_id: str, wanted: frozenset[str]) -> Tables:
    """An article file's tables as ``LibraryFiles.body`` checks them, its quotes cut to
    ``wanted`` (all when empty) before they are checked."""
    path = records.body_path(root, article_id)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LibraryError(
            f"the text of article {article_id} ({path}) cannot be read: {exc}"
        ) from None
    tables = parse_tables(raw, path)
    quotes = tables.get("quotes")
    if wanted and isinstance(quotes, dict):
        kept = {k: q for k, q in quotes.items() if isinstance(q, dict) and q.get("id") in wanted}
        tables = {**tables, "quotes": kept}
    tables, _, fatal = valid_body(path, tables)
    if fatal is None:
        fatal = records.check_body(tables, article_id, verify_sha=False)
    if fatal is not None:
        raise CorruptFileError(path, fatal)
    return tables


class _Relatives:
    """Occurrence i's earliest relative and whether it altered an earlier quoted printing,
    by wording: copies of one wording relate alike, so a trail of 6,000 copies costs 6,000
    steps, not 18 million pairs (``QuoteIndex.relation_of`` for every earlier one)."""

    def __init__(self, graph: TrailGraph) -> None:
        self.graph = graph
        self.first: dict[str, int] = {}  # wording -> its first occurrence
        self.quoted: dict[str, dict[tuple[str, ...], int]] = {}  # wording -> quoted norms seen
        self.alters: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    def step(self, i: int, quote_id: str, quoted: bool, norms: list[str]) -> tuple[int, bool]:
        graph = self.graph
        wid = graph.wording_of.get(quote_id)
        base, altered = 0, False
        if wid is not None and graph.traceable.get(wid, False):
            linked = graph.links.get(wid, {})
            firsts = [self.first[w] for w in (wid, *linked) if w in self.first]
            base = min(firsts) if firsts else 0
            if quoted:
                mine = tuple(norms)
                for other, rel in linked.items():
                    if rel != "near":
                        continue
                    for theirs in self.quoted.get(other, {}):
                        key = (theirs, mine)
                        hit = self.alters.get(key)
                        if hit is None:
                            hit = self.alters[key] = is_altered(list(theirs), norms)
                        if hit:
                            altered = True
                            break
                    if altered:
                        break
        if wid is not None:
            self.first.setdefault(wid, i)
            if quoted:
                self.quoted.setdefault(wid, {}).setdefault(tuple(norms), i)
        return base, altered


def _build_trail(
    graph: TrailGraph,
    loaded: _Loaded,
    identity: Callable[[str], str],
) -> Trail | None:
    rows: list[tuple[tuple[str, str, int], QuoteView, ArticleSummary, str]] = []
    by_article: dict[str, list[str]] = {}
    for qid, aid in graph.article_of.items():
        by_article.setdefault(aid, []).append(qid)
    for aid, qids in by_article.items():
        try:
            loaded.load(aid, qids)
        except LibraryError:
            continue  # a damaged article file: the rest of the trail still shows
        summary = loaded.summaries[aid]
        for qid in qids:
            quote = loaded.quotes[aid].get(qid)
            if quote is None:
                continue
            segments = [(s.start, s.end) for s in quote.segments]
            text = spoken_text(loaded.texts[aid], segments, quoted=quote.kind != "indirect")
            when = article_date(summary) or summary.added or ""
            rows.append(((when, summary.added or "", quote.start), quote, summary, text))
        loaded.forget(aid)
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1].article_id, r[1].start, r[1].id))
    ids = [q.id for _, q, _, _ in rows]
    shown_of: dict[str, list[tuple[str, str]]] = {}  # copies print the same text: once each
    diffs: dict[tuple[str, str], tuple[DiffWord, ...]] = {}
    relatives = _Relatives(graph)
    occurrences: list[Occurrence] = []
    for i, (_, quote, summary, text) in enumerate(rows):
        quoted = quote.kind != "indirect"
        norms = [n for _, n in words(text)]
        base, altered = relatives.step(i, quote.id, quoted, norms)
        base_text = rows[base][3]
        for t in (base_text, text):
            if t not in shown_of:
                shown_of[t] = shown_words(t)  # the diff keeps each article's marks
        diff = diffs.get((base_text, text))
        if diff is None:
            diff = diffs[(base_text, text)] = tuple(word_diff(shown_of[base_text], shown_of[text]))
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
                diff=diff,
            )
        )
    credited: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    # one name throughout: one key whatever the identities say (they are built from the
    # whole library, the one costly step of a trail, only when names differ)
    same = len({squash(o.speaker).casefold() for o in occurrences if o.speaker}) < 2
    for occ in occurrences:
        if occ.speaker:
            key = squash(occ.speaker).casefold() if same else identity(occ.speaker)
            credited[key] += 1
            spelling.setdefault(key, occ.speaker)
    credited = _join_surnames(credited)
    return Trail(
        id=next(o.quote_id for o in occurrences if o.quote_id in graph.core),
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


# ---------------------------------------------------------------------- the library's trails

R = TypeVar("R")


def _with_index(lib: Library, look: Callable[[shards.Reader], R], say: shards.Say | None) -> R:
    """``look`` on the library's index on disk: built first when there is none. A damaged
    bucket is looked at again once the saves under way are done (a save replaces its
    buckets one by one: a reader may catch a trail half moved), and the index is built
    again only when nothing was saved meanwhile."""
    for _ in range(3):
        shards.ensure(lib.files, say=say)
        seen = shards.meta_stamp(lib.root)
        try:
            return look(shards.Reader(lib.root))
        except shards.IndexDamaged as exc:
            shards.rebuild_when_damaged(lib.files, exc, seen, say=say)
    return look(shards.Reader(lib.root))


def trail(lib: Library, quote_id: str, *, say: shards.Say | None = None) -> Trail:
    """The trail of one quote (a trail of one when it appears nowhere else): the quote's
    bucket, its trail's wordings and their articles are read, nothing else.

    NotFoundError when no article of the library holds the quote. ``say``: told when the
    index has to be built first."""
    graph = _with_index(lib, lambda reader: reader.graph_of_quote(quote_id), say)
    if graph is None:
        raise NotFoundError(f"no quote {quote_id!r} in the library")
    return trail_of(lib, graph)


def trail_of(lib: Library, graph: TrailGraph) -> Trail:
    """The trail an index gives (``graph``), its articles read (either index: the tests
    compare the one on disk with ``QuoteIndex.graph``)."""
    built = _build_trail(graph, _Loaded(lib), speaker_identity(lib))
    if built is None:
        raise NotFoundError(f"the article of quote {min(graph.core)!r} cannot be read")
    return built


def graphs(lib: Library, *, say: shards.Say | None = None) -> list[TrailGraph]:
    """Every trail's graph (the trail buckets, then each trail's wordings)."""

    def look(reader: shards.Reader) -> list[TrailGraph]:
        return [reader.graph(tid) for tid in reader.trail_ids()]

    return _with_index(lib, look, say)


def trails(
    lib: Library,
    *,
    altered: bool = False,
    conflicting: bool = False,
    say: shards.Say | None = None,
) -> list[Trail]:
    """Every trail across more than one article, most widespread first; ``altered`` and
    ``conflicting`` keep only the trails with that flag."""
    return trails_of(lib, graphs(lib, say=say), altered=altered, conflicting=conflicting)


def trails_of(
    lib: Library, found: Iterable[TrailGraph], *, altered: bool = False, conflicting: bool = False
) -> list[Trail]:
    """``trails`` of the trails an index gives."""
    out: list[Trail] = []
    loaded, identity = _Loaded(lib), speaker_identity(lib)
    for graph in found:
        # a trail made only of pieces of longer quotes shows up inside those quotes' trails
        if graph.inside or graph.spread() < 2:
            continue
        built = _build_trail(graph, loaded, identity)
        if built is None or built.articles < 2:
            continue
        if (altered and not built.altered) or (conflicting and not built.conflicting):
            continue
        out.append(built)
    out.sort(key=lambda t: (-t.articles, -len(t.occurrences), t.first.date or "", t.id))
    return out


def prepare(lib: Library) -> None:
    """Make sure the index is built (a reader warming up in the background, so that the
    first article opened does not wait for a build)."""
    shards.ensure(lib.files)


def _graphs_of(lib: Library, quote_ids: Iterable[str]) -> dict[str, TrailGraph]:
    """Quote id -> its trail's graph, for the indexed ones (each trail read once)."""

    def look(reader: shards.Reader) -> dict[str, TrailGraph]:
        out: dict[str, TrailGraph] = {}
        by_trail: dict[str, TrailGraph] = {}
        for qid in quote_ids:
            found = reader.quote(qid)
            if found is None:
                continue
            aid, wid = found
            trail_id = reader.word(wid).get("t")
            if not trail_id:
                out[qid] = shards.alone(qid, aid, wid)
                continue
            if trail_id not in by_trail:
                by_trail[trail_id] = reader.graph(trail_id)
            out[qid] = by_trail[trail_id]
        return out

    return _with_index(lib, look, None)


def trail_counts(lib: Library, quote_ids: Iterable[str]) -> dict[str, int]:
    """Quote id -> in how many articles its statement appears, for those in more than one."""
    out: dict[str, int] = {}
    spreads: dict[int, int] = {}
    for qid, graph in _graphs_of(lib, list(quote_ids)).items():
        n = spreads.get(id(graph))
        if n is None:
            n = spreads[id(graph)] = graph.spread()
        if n > 1:
            out[qid] = n
    return out


def statement_keys(lib: Library, quote_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Quote id -> (its statement's key, articles the statement appears in). Quotes of one
    trail share a key, so a speaker's quotes fold into their distinct statements."""
    wanted = list(quote_ids)
    found = _graphs_of(lib, wanted)
    out: dict[str, tuple[str, int]] = {}
    keys: dict[int, tuple[str, int]] = {}
    for qid in wanted:
        graph = found.get(qid)
        if graph is None:
            out[qid] = (qid, 1)
            continue
        key = keys.get(id(graph))
        if key is None:
            key = keys[id(graph)] = (min(graph.core), graph.spread())
        out[qid] = key
    return out
