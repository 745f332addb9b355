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
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from saidwho.core.text import squash
from saidwho.store.errors import LibraryError, NotFoundError
from saidwho.store.shape import to_doc
from saidwho.store.trail_index import (
    INDEX_FILE,
    INDEX_VERSION,
    QuoteIndex,
    build_from_bodies,
    index_lock,
    index_path,
    quote_index,
    read_index,
    write_index,
)
from saidwho.store.trail_words import normalise, relation, shown_words, spoken_text, words

if TYPE_CHECKING:
    from saidwho.store.library import Library
    from saidwho.store.views import ArticleSummary, QuoteView

# the index and the words, for callers that know trails by this module alone
__all__ = [
    "INDEX_FILE",
    "INDEX_VERSION",
    "DiffWord",
    "Occurrence",
    "QuoteIndex",
    "Trail",
    "build_from_bodies",
    "index_path",
    "normalise",
    "prepare",
    "quote_index",
    "read_index",
    "relation",
    "shown_words",
    "speaker_identity",
    "statement_keys",
    "trail",
    "trail_counts",
    "trails",
    "write_index",
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
    shown = [shown_words(text) for *_, text in rows]  # the diff keeps each article's marks
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
                diff=tuple(word_diff(shown[base], shown[i])),
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
    with index_lock(lib):
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
    with index_lock(lib):
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
    with index_lock(lib):
        quote_index(lib).prepare()


def trail_counts(lib: Library, quote_ids: Iterable[str]) -> dict[str, int]:
    """Quote id -> in how many articles its statement appears, for those in more than one."""
    out: dict[str, int] = {}
    with index_lock(lib):
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
    with index_lock(lib):
        index = quote_index(lib)
        cores = index.cores()
        for qid in quote_ids:
            if qid in index.quotes:
                out[qid] = (min(cores.get(qid, frozenset({qid}))), index.spread(qid))
            else:
                out[qid] = (qid, 1)
    return out
