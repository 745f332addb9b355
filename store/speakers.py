"""The library's speakers: identities (store/identities.py) kept on disk by name group
(store/speaker_index.py, answered by store/stored_identities.py), and the reviewer's
decisions (merge, split, rename; table ``speakers`` of notes/shared.json).

Saving articles and reassigning a speaker update the index under the library lock (the
groups the articles leave or join); no read builds the identities from every catalog entry.
A library without the index has it built once, under the lock, on first need; a library
that cannot be locked (read-only) builds them in memory, as before the index.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tinydb.table import Document

from saidwho.attribution.names import KINDS
from saidwho.core.text import squash
from saidwho.store import records
from saidwho.store.errors import CorruptFileError, LibraryError, NotFoundError
from saidwho.store.files import LibraryFiles
from saidwho.store.identities import ArticleSpeakers, Identities
from saidwho.store.note_shards import SHARED, shard_path
from saidwho.store.shape import to_doc
from saidwho.store.speaker_groups import slices
from saidwho.store.speaker_index import IndexDamaged, SpeakerIndex, registry_record
from saidwho.store.storage import AtomicJSONStorage, Tables
from saidwho.store.stored_identities import StoredIdentities
from saidwho.store.validate import NOTES_SCHEMAS, valid_records
from saidwho.store.views import SpeakerSummary

# the British spelling a reviewer may type for the kind the machine calls "organization"
KIND_SPELLINGS = {"organisation": "organization", "org": "organization"}

# article id -> (catalog entry, its reassignments, ArticleSpeakers): see identity_inputs
InputCache = dict[str, tuple[dict[str, Any], tuple[Any, ...], ArticleSpeakers]]


def article_speakers(
    entry: dict[str, Any], reviews: list[dict[str, Any]] | None
) -> tuple[str, ...]:
    """An article's speakers as its summary lists them before the identities name them
    (``Catalog.articles(named=False)``): the catalog's, with the reviewer's reassignments."""
    if not reviews and "speakers" in entry:
        return tuple(entry["speakers"])  # precomputed when the article was saved
    counts = Counter(records.speaker_counts(entry, reviews or []))
    return tuple(name for name, _ in records.group_names(counts))


def article_input(entry: dict[str, Any], reviews: list[dict[str, Any]] | None) -> ArticleSpeakers:
    """What the identities need of one article: its catalog entry, its reassignments."""
    return ArticleSpeakers(
        entry["id"],
        records.speaker_counts(entry, reviews or []),
        entry.get("speaker_context") or {},
        entry.get("speaker_roles") or {},
        entry.get("speaker_mentions") or {},
    )


def identity_inputs(files: LibraryFiles, cache: InputCache | None = None) -> list[ArticleSpeakers]:
    """What the identities are made of, one per catalog entry. ``cache``: that of the last
    call, brought up to date here. An entry that is the same object as last time (catalog
    entries are replaced, never edited) with the same reassignments gives the same
    ``ArticleSpeakers``: ``Identities.updated`` then finds the changed articles by an
    identity check each."""
    reviews = files.reviews_by_article()
    before = cache if cache is not None else {}
    kept: InputCache = {}
    out = []
    for entry in files.catalog().values():
        aid = entry["id"]
        mine = reviews.get(aid)
        reassigned = (
            tuple(
                (bool(r.get("orphaned")), r.get("speaker_override"), r.get("machine_speaker"))
                for r in mine
            )
            if mine
            else ()
        )
        hit = before.get(aid)
        if hit is not None and hit[0] is entry and hit[1] == reassigned:
            art = hit[2]
        else:
            art = article_input(entry, mine)
        kept[aid] = (entry, reassigned, art)
        out.append(art)
    if cache is not None:
        cache.clear()
        cache.update(kept)
    return out


def naming_inputs(tables: Mapping[str, Any]) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """What the identities are made from besides the catalog, out of notes.json's tables:
    the speaker reassignments and the reviewer's decisions."""
    return _reassigned(tables), tuple(sorted(tables.get("speakers", {})))


Named = Identities | StoredIdentities  # what ``Speakers.identities`` answers with


class Speakers:
    """The speaker part of a library: identities and the reviewer's decisions."""

    def __init__(self, files: LibraryFiles) -> None:
        self.files = files
        self.index = SpeakerIndex(files.root)
        # the decisions' shard, read without the library's mutex (see _shared_tables)
        self._shared = AtomicJSONStorage(
            shard_path(files.root, SHARED), backup=False, root=files.root
        )
        self._shared_lock = threading.Lock()
        # a read-only library: built in memory, as before the index (see identities)
        self._identities: tuple[tuple[int, int, tuple[str, ...]], Identities] | None = None
        self._inputs: InputCache = {}

    @property
    def built(self) -> bool:
        """Whether this process has built the identities from every catalog entry (only a
        library that cannot be locked, to build its index, does)."""
        return self._identities is not None

    def identities(self) -> Named:
        """The library's speaker identities, from the index on disk (built first, once,
        when the library has none)."""
        try:
            self.ensure_index()  # (the lock before the mutex: the order locks are taken in)
        except LibraryError:  # read-only, or locked by a long write: in memory
            return self._whole()
        return StoredIdentities(self.index, self.decisions(), self.rebuild_index)

    def _whole(self) -> Identities:
        with self.files.mutex:
            generation, reviews, decisions = self.identity_key()
            key = (generation, hash(reviews), decisions)
            if self._identities is None:
                built = Identities(identity_inputs(self.files, self._inputs), self.decisions())
                self._identities = (key, built)
            elif self._identities[0] != key:
                updated = self._identities[1].updated(
                    identity_inputs(self.files, self._inputs), self.decisions()
                )
                self._identities = (key, updated)
            return self._identities[1]

    # ----------------------------------------------------------------- the index

    def ensure_index(self) -> None:
        """The index built and up to date: a library without one (or with a damaged one, or
        one a dead writer left pending) has it built under the lock (LibraryError: the
        library cannot be locked)."""
        if self.index.ready():
            return
        with self.files.locked():
            self.index.invalidate()
            if not self.index.ready():  # not built, or a writer died midway: build it
                self.index.build(identity_inputs(self.files))

    def rebuild_index(self) -> None:
        """Build the index again (a file of it was found damaged)."""
        with self.files.locked():
            self.index.invalidate()
            self.index.build(identity_inputs(self.files))

    def before_change(self, article_ids: Iterable[str]) -> None:
        """Under the lock, before these articles' entries or reassignments are written."""
        self.index.mark(article_ids)

    def after_change(self, article_ids: Iterable[str]) -> None:
        """Under the lock, after: their groups brought up to date (a damaged index is left
        pending, built by the next reader)."""
        if not self.index.built():
            return
        changes: dict[str, ArticleSpeakers | None] = {}
        for aid in article_ids:
            try:
                entry = self.files.entry(aid)
            except NotFoundError:
                changes[aid] = None
                continue
            changes[aid] = article_input(entry, self.files.reviews_of(aid))
        try:
            self.index.apply(changes)
        except (IndexDamaged, OSError):
            self.index.invalidate()

    def identity_key(self) -> tuple[int, tuple[Any, ...], tuple[str, ...]]:
        """What the identities are made from: the catalog (its generation), the speaker
        reassignments and the reviewer's decisions."""
        with self.files.mutex:
            self.files.catalog()
            tables = self.files.notes_tables()
            # each notes shard's reassignments, sorted, made again only for a changed shard;
            # shards go by article id, so joined in shard order they are already in order
            # (sorted again in linear time: exactly what naming_inputs(tables) gives)
            parts = self.files.per_notes_shard("reassigned", _reassigned)
            reviews = tuple(sorted(item for part in parts for item in part))
            decisions = tuple(sorted(tables.get("speakers", {})))
            return self.files.catalog_storage.generation, reviews, decisions

    def ensure_article(self, article_id: str) -> None:
        """Before naming an article's quotes (outside the mutex: it may take the lock): the
        index built, and the article's own record checked against its entry and reviews. A
        change no writer told the index about (another version of saidwho, a hand edit) is
        applied; an article missing from the index has it built again (its old groups are
        unknown: applying it would count it twice)."""
        try:
            self.ensure_index()
        except LibraryError:
            return  # named in memory (see identities)
        if self._article_current(article_id):
            return
        try:
            with self.files.locked():
                if self._article_current(article_id):
                    return
                art = article_input(self.files.entry(article_id), self.files.reviews_of(article_id))
                try:
                    if self.index.article(article_id) is None:
                        raise IndexDamaged("the article is not in the index")
                    self.index.apply({article_id: art})
                except IndexDamaged:
                    self.index.invalidate()
                    self.index.build(identity_inputs(self.files))
        except LibraryError:
            pass  # cannot be locked: named as the index has it

    def _article_current(self, article_id: str) -> bool:
        with self.files.mutex:
            try:
                entry = self.files.entry(article_id)
                reviews = self.files.reviews_of(article_id)
            except LibraryError:  # no such article (NotFoundError), a damaged shard
                return True  # nothing to check: the read reports it
            try:
                known = self.index.article(article_id)
            except IndexDamaged:
                return False
            return known == registry_record(slices(article_input(entry, reviews)))

    def namer(
        self, article_id: str, reviews: list[dict[str, Any]]
    ) -> Callable[[str | None], str | None]:
        """``identities().of`` for one article's speakers: its registry shard and the groups
        of its speakers (``ensure_article`` first, outside the mutex, checks its record).
        Never takes the lock: callers may hold the mutex. ``reviews``: the article's."""
        del reviews  # the index holds the article's reassignments (ensure_article)
        identities: Named
        if self.index.built():
            identities = StoredIdentities(self.index, self.decisions(), self.rebuild_index)
        else:  # built by the caller first; here only when that failed (read-only)
            identities = self._whole()
        return lambda name: identities.of(article_id, name)

    def speakers(self) -> list[SpeakerSummary]:
        """Every speaker identity (store/identities.py) with its aliases, kind, roles and
        quote and article counts, most quoted first; the reviewer's decisions applied."""
        return list(self.identities().summaries)

    def identity(self, name: str) -> str | None:
        """The canonical name of the speaker called ``name`` (or having it as an alias)."""
        return self.identities().find(name)

    # ----------------------------------------------------------------- decisions

    def decisions(self) -> list[dict[str, Any]]:
        """The reviewer's merges, splits and renames, oldest first (from the shared notes
        shard alone, where they are kept: not every shard)."""
        docs = list(self._shared_tables().get("speakers", {}).values())
        return sorted((dict(d) for d in docs), key=lambda d: (d.get("at") or "", d.get("id") or ""))

    def _shared_tables(self) -> Tables:
        """The shared notes shard's records. Through the library's caches when no other
        thread holds them; else read alone (the reader's speakers screen must not wait for
        its list, read under the mutex), its bad records skipped (the caches report them)."""
        if self.files.mutex.acquire(blocking=False):
            try:
                return self.files.shared_notes_tables()
            finally:
                self.files.mutex.release()
        with self._shared_lock:
            try:
                tables = self._shared.read() or {}
            except (CorruptFileError, LibraryError):
                with self.files.mutex:
                    return self.files.shared_notes_tables()
            good, _ = valid_records(self._shared.path, tables, NOTES_SCHEMAS)
            return good

    def _decide(self, **fields: Any) -> dict[str, Any]:
        record = records.SpeakerDecision(id=str(uuid.uuid4()), at=records.now(), **fields)
        decision = to_doc(record)
        with self.files.locked():
            # check it against the library as it is now: a bad name is refused, not stored
            now = self.identities()
            decisions = [*self.decisions(), decision]
            if isinstance(now, StoredIdentities):
                trial: Named = StoredIdentities(self.index, decisions, self.rebuild_index)
            else:
                trial = now.updated(identity_inputs(self.files, self._inputs), decisions)
            if len(trial.problems) > len(now.problems):
                raise NotFoundError(trial.problems[-1])
            self.files.user_table("speakers", None).insert(
                Document(decision, doc_id=records.note_doc_id(decision["id"]))
            )
        return decision

    def merge_speakers(self, names: Iterable[str], into: str) -> SpeakerSummary:
        """One identity from several: every name (canonical or alias) joins ``into``."""
        clean = [squash(n) for n in names if n and n.strip()]
        into = squash(into)
        if not clean or not into:
            raise ValueError("merge needs at least one speaker name and a name to merge into")
        self._decide(op="merge", names=tuple(clean), into=into)
        return self._summary_of(into)

    def split_speaker(self, name: str, alias: str) -> SpeakerSummary:
        """Undo a merge: ``alias`` (and what was one identity with it) leaves ``name``."""
        name, alias = squash(name), squash(alias)
        if not name or not alias:
            raise ValueError("split needs a speaker name and one of its aliases")
        self._decide(op="split", name=name, alias=alias)
        return self._summary_of(alias)

    def rename_speaker(self, name: str, new: str) -> SpeakerSummary:
        """The identity called ``name`` is called ``new`` from now on."""
        name, new = squash(name), squash(new)
        if not name or not new:
            raise ValueError("rename needs a speaker name and a new name")
        self._decide(op="rename", name=name, new=new)
        return self._summary_of(new)

    def set_speaker_kind(self, name: str, kind: str) -> SpeakerSummary:
        """The reviewer says what the speaker called ``name`` is (one of ``KINDS``: a
        person, an organization, ...); wins over the machine's guess, undoable."""
        name, kind = squash(name), squash(kind).casefold()
        kind = KIND_SPELLINGS.get(kind, kind)
        if not name:
            raise ValueError("kind needs a speaker name")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self._decide(op="kind", name=name, kind=kind)
        return self._summary_of(name)

    def restore_decision(self, decision: records.SpeakerDecision) -> bool:
        """Add a decision exported from a library (its id kept); False: already here."""
        doc = to_doc(decision)
        with self.files.locked():
            if any(d.get("id") == decision.id for d in self.decisions()):
                return False
            self.files.user_table("speakers", None).insert(
                Document(doc, doc_id=records.note_doc_id(decision.id))
            )
        return True

    def undo_speaker_decision(self) -> dict[str, Any] | None:
        """Forget the reviewer's latest merge, split, rename or kind; returns it (None:
        none)."""
        with self.files.locked():
            decisions = self.decisions()
            last = decisions[-1] if decisions else None
            if last is not None:
                table = self.files.user_table("speakers", None)
                table.remove(doc_ids=[records.note_doc_id(last["id"])])
        return last

    def _summary_of(self, name: str) -> SpeakerSummary:
        identities = self.identities()
        canonical = identities.find(name)
        for summary in identities.summaries:
            if summary.speaker == canonical:
                return summary
        raise NotFoundError(f"no speaker named {name!r}")


def _reassigned(tables: Mapping[str, Any]) -> tuple[tuple[Any, ...], ...]:
    """One notes shard's reviews that reassign a speaker, sorted (see ``identity_key``)."""
    return tuple(
        sorted(
            (r["article_id"], r["quote_id"], r.get("speaker_override") or "",
             r.get("machine_speaker") or "", bool(r.get("orphaned")))
            for r in tables.get("reviews", {}).values()
            if r.get("speaker_override") is not None
        )
    )  # fmt: skip
