"""The machine's speaker identities on disk, by name group (store/speaker_groups.py), so that
one article's change rewrites the groups it touches and naming one article's quotes reads
the few groups its speakers are in, not the library.

    speakers/state.json          TinyDB: meta (format), pending (articles being changed)
    speakers/<xx>.json           TinyDB: groups, the name groups whose key hashes to xx: each
                                 group's reps (a slice of speakers and the articles having
                                 it) and what they resolve to (identity keys, summaries)
    speakers/articles/<xx>.json  TinyDB: articles, for each article whose id starts xx (as
                                 the catalog's shards) the slice hash of each of its groups and
                                 the group of each of its speaker names
    speakers/names/<xx>.json     TinyDB: names, each name or spelling of an identity
                                 (casefolded, hashing to xx) -> the groups it is in: where a
                                 look-up by name ("fbi", an alias) finds its candidates

All derived from the catalog and the speaker reassignments (the reviewer's decisions are
applied on top when read: store/stored_identities.py). A writer holds the library lock:
it lists the articles it changes under ``pending`` before writing the catalog or the notes,
then rewrites the groups they leave or join, their registry shards, and clears them. A
reader that finds articles pending waits for the lock (the writer finishes); still pending
then, the writer died midway and the index is built again. A library without these files,
or with a damaged one, has them built from the catalog once, on first need, under the
lock; ``doctor`` compares them with a whole build and ``--repair`` rebuilds them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from saidwho.store.errors import CorruptFileError
from saidwho.store.identity_resolution import ArticleSpeakers
from saidwho.store.shards import SHARDS
from saidwho.store.speaker_groups import Group, Resolved, resolve_group, slice_hash, slices
from saidwho.store.storage import AtomicJSONStorage, Tables
from saidwho.store.views import SpeakerSummary

SPEAKERS_DIR = "speakers"
REGISTRY_DIR = "articles"
NAMES_DIR = "names"
STATE = "state.json"
FORMAT = 1
BUCKETS = SHARDS  # 256, by the first byte of a hash of the group key
_META = {"1": {"format": FORMAT}}


class IndexDamaged(Exception):
    """The index is missing, of another format, or one of its files is damaged: build it."""


def speakers_dir(root: Path) -> Path:
    return root / SPEAKERS_DIR


def bucket_of(group: str) -> str:
    return hashlib.blake2b(group.encode("utf-8", "surrogatepass"), digest_size=1).hexdigest()


def _format_ok(tables: Tables) -> bool:
    meta: Any = next(iter((tables.get("meta") or {}).values()), {})
    return isinstance(meta, dict) and meta.get("format") == FORMAT


GroupRecord = tuple[Group, Resolved]
Registry = dict[str, dict[str, Any]]  # article id -> {"g": {group: hash}, "n": {name: group}}


def _record(name: str, group: Group) -> dict[str, Any]:
    return {"reps": group.to_json(), "res": resolve_group(name, group).to_json()}


def registry_record(pieces: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    names = {name.casefold(): g for g, piece in pieces.items() for name in piece["c"]}
    return {"g": {g: slice_hash(piece) for g, piece in sorted(pieces.items())}, "n": names}


class SpeakerIndex:
    """The index of one library. Reads take no lock (each file is replaced atomically and
    read by its stamp); ``build``, ``mark`` and ``apply`` run under the library lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = speakers_dir(root)
        self.state = AtomicJSONStorage(self.dir / STATE, backup=False, root=root)
        self._buckets: dict[str, AtomicJSONStorage] = {}
        self._registry: dict[str, AtomicJSONStorage] = {}
        self._names: dict[str, AtomicJSONStorage] = {}
        # bucket -> (its generation, its groups parsed): one parse per version of the file
        self._parsed: dict[str, tuple[int, dict[str, GroupRecord]]] = {}

    def bucket(self, name: str) -> AtomicJSONStorage:
        return self._storage(self._buckets, self.dir, name)

    def registry(self, shard: str) -> AtomicJSONStorage:
        return self._storage(self._registry, self.dir / REGISTRY_DIR, shard)

    def names(self, bucket: str) -> AtomicJSONStorage:
        return self._storage(self._names, self.dir / NAMES_DIR, bucket)

    def _storage(
        self, kept: dict[str, AtomicJSONStorage], folder: Path, name: str
    ) -> AtomicJSONStorage:
        """One storage per file, made on first use (derived: no ``.bak``)."""
        storage = kept.get(name)
        if storage is None:
            storage = kept[name] = AtomicJSONStorage(
                folder / f"{name}.json", backup=False, root=self.root
            )
        return storage

    def invalidate(self) -> None:
        for storage in [
            self.state,
            *self._buckets.values(),
            *self._registry.values(),
            *self._names.values(),
        ]:
            storage.invalidate()
        self._parsed.clear()

    # ----------------------------------------------------------------- reading

    def _read(self, storage: AtomicJSONStorage) -> Tables | None:
        try:
            tables = storage.read()
        except CorruptFileError as exc:
            raise IndexDamaged(f"{storage.path.name}: {exc.reason}") from None
        if tables is not None and not _format_ok(tables):
            raise IndexDamaged(f"{storage.path.name}: not of format {FORMAT}")
        return tables

    def pending(self) -> set[str]:
        """The articles being changed; IndexDamaged when there is no usable index."""
        tables = self._read(self.state)
        if tables is None:
            raise IndexDamaged("missing")
        return set(tables.get("pending") or {})

    def ready(self) -> bool:
        """Built, of this format, and nothing pending."""
        try:
            return not self.pending()
        except IndexDamaged:
            return False

    def built(self) -> bool:
        try:
            self.pending()
        except IndexDamaged:
            return False
        return True

    def groups_in(self, bucket: str) -> dict[str, GroupRecord]:
        """Every group of one bucket, parsed (IndexDamaged for a damaged file)."""
        storage = self.bucket(bucket)
        tables = self._read(storage)
        hit = self._parsed.get(bucket)
        if hit is not None and hit[0] == storage.generation and tables is not None:
            return hit[1]
        out: dict[str, GroupRecord] = {}
        try:
            for name, record in ((tables or {}).get("groups") or {}).items():
                out[name] = (Group.from_json(record["reps"]), Resolved.from_json(record["res"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IndexDamaged(f"{storage.path.name}: group of the wrong shape ({exc})") from None
        self._parsed[bucket] = (storage.generation, out)
        return out

    def group(self, name: str) -> GroupRecord | None:
        return self.groups_in(bucket_of(name)).get(name)

    def registry_records(self, shard: str) -> Registry:
        """One registry shard's records (IndexDamaged for a damaged file)."""
        tables = self._read(self.registry(shard)) or {}
        records: Registry = tables.get("articles") or {}
        return records

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article's registry record: its groups' slice hashes and its names' groups."""
        tables = self._read(self.registry(article_id[:2])) or {}
        record = (tables.get("articles") or {}).get(article_id)
        if record is not None and not (
            isinstance(record.get("g"), dict) and isinstance(record.get("n"), dict)
        ):
            raise IndexDamaged(f"registry {article_id[:2]}: record of the wrong shape")
        return record

    def groups_with(self, form: str) -> set[str]:
        """The groups with an identity called ``form`` or spelled so (casefolded)."""
        tables = self._read(self.names(bucket_of(form))) or {}
        found = (tables.get("names") or {}).get(form) or {}
        return set(found)

    def summaries(self, skip: frozenset[str] = frozenset()) -> list[tuple[str, SpeakerSummary]]:
        """(identity key, summary) of every group's identities but ``skip``'s."""
        out: list[tuple[str, SpeakerSummary]] = []
        for bucket in BUCKETS:
            for name, (_, resolved) in self.groups_in(bucket).items():
                if name not in skip:
                    out.extend(resolved.summaries.items())
        return out

    # ----------------------------------------------------------------- writing

    def mark(self, article_ids: Iterable[str]) -> None:
        """List articles as being changed (before their catalog entry or reviews are
        written); an index not built yet is left alone (built on first need)."""
        try:
            pending = self.pending()
        except IndexDamaged:
            return
        added = set(article_ids) - pending
        if added:
            self._write_state(pending | added)

    def _write_state(self, pending: set[str], format_: int = FORMAT) -> None:
        self.state.write(
            {"meta": {"1": {"format": format_}}, "pending": {a: {} for a in sorted(pending)}}
        )

    def build(self, articles: Iterable[ArticleSpeakers]) -> None:
        """Build the whole index from every article's speakers (a migration, a repair)."""
        self._write_state(set(), format_=0)  # not usable until every file is written
        groups, registry = _groups_of(articles)
        by_bucket: dict[str, dict[str, Any]] = {b: {} for b in BUCKETS}
        names: dict[str, dict[str, dict[str, int]]] = {b: {} for b in BUCKETS}
        for g, group in groups.items():
            record = by_bucket[bucket_of(g)][g] = _record(g, group)
            for form in record["res"]["forms"]:
                names[bucket_of(form)].setdefault(form, {})[g] = 1
        # only files with something in them (a missing one is empty), and those on disk;
        # not fsynced one by one (hundreds of files): the state, written last, is
        writes: list[tuple[AtomicJSONStorage, Tables]] = []
        on_disk = {p.relative_to(self.dir).as_posix() for p in self.dir.rglob("*.json")}
        for bucket, records in by_bucket.items():
            if records or f"{bucket}.json" in on_disk:
                writes.append((self.bucket(bucket), {"meta": _META, "groups": records}))
        for bucket, found in names.items():
            if found or f"{NAMES_DIR}/{bucket}.json" in on_disk:
                writes.append((self.names(bucket), {"meta": _META, "names": found}))
        for shard in SHARDS:
            if shard in registry or f"{REGISTRY_DIR}/{shard}.json" in on_disk:
                data = {"meta": _META, "articles": registry.get(shard, {})}
                writes.append((self.registry(shard), data))
        for storage, data in writes:
            storage.sync = False
            try:
                storage.write(data)
            finally:
                storage.sync = True
        if writes:
            os.sync()  # every file on disk before the state says the index is usable
        self._parsed.clear()
        self._write_state(set())

    def apply(self, changes: Mapping[str, ArticleSpeakers | None]) -> None:
        """Bring the index up to date with these articles (None: gone): only the groups they
        leave or join are resolved again and rewritten; then they are no longer pending.
        IndexDamaged when a file it needs is damaged (the caller builds the index)."""
        pending = self.pending()
        shards: dict[str, Registry] = {}
        edits: dict[str, list[tuple[str, str | None, str | None, dict[str, Any] | None]]] = {}
        changed_shards: set[str] = set()
        for aid, art in changes.items():
            shard = aid[:2]
            if shard not in shards:
                shards[shard] = dict((self._read(self.registry(shard)) or {}).get("articles") or {})
            old = (shards[shard].get(aid) or {}).get("g") or {}
            pieces = slices(art) if art is not None else {}
            record = registry_record(pieces)
            for g in set(old) | set(pieces):
                before, after = old.get(g), record["g"].get(g)
                edits.setdefault(g, []).append((aid, before, after, pieces.get(g)))
            if shards[shard].get(aid) != (record if art is not None else None):
                changed_shards.add(shard)
            if art is None:
                shards[shard].pop(aid, None)
            else:
                shards[shard][aid] = record
        touched: dict[str, dict[str, Any]] = {}  # bucket -> its groups' records, edited
        forms: dict[str, tuple[set[str], set[str]]] = {}  # group -> its forms before, after
        for g, moves in sorted(edits.items()):
            if all(before == after for _, before, after, _ in moves):
                continue
            bucket = bucket_of(g)
            if bucket not in touched:
                touched[bucket] = dict((self._read(self.bucket(bucket)) or {}).get("groups") or {})
            current = self.groups_in(bucket).get(g)
            group = Group.from_json(current[0].to_json()) if current else Group()
            before_forms = set(current[1].forms) if current else set()
            for _, before, after, piece in moves:
                if before == after:
                    continue
                if before is not None:
                    group.drop(before)
                if after is not None and piece is not None:
                    group.add(after, piece)
            if group.reps:
                touched[bucket][g] = _record(g, group)
                forms[g] = (before_forms, set(touched[bucket][g]["res"]["forms"]))
            else:
                touched[bucket].pop(g, None)
                forms[g] = (before_forms, set())
        lookups: dict[str, dict[str, dict[str, int]]] = {}  # names bucket -> form -> groups
        for g, (before_forms, after_forms) in sorted(forms.items()):
            for form in before_forms ^ after_forms:
                nb = bucket_of(form)
                if nb not in lookups:
                    found = (self._read(self.names(nb)) or {}).get("names") or {}
                    lookups[nb] = {f: dict(gs) for f, gs in found.items()}
                holders = lookups[nb].setdefault(form, {})
                if form in after_forms:
                    holders[g] = 1
                else:
                    holders.pop(g, None)
                    if not holders:
                        del lookups[nb][form]
        for bucket, records in sorted(touched.items()):
            self.bucket(bucket).write({"meta": _META, "groups": records})
        for nb, found in sorted(lookups.items()):
            self.names(nb).write({"meta": _META, "names": found})
        for shard in sorted(changed_shards):
            records = shards[shard]
            self.registry(shard).write({"meta": _META, "articles": records})
        left = pending - set(changes)
        if left != pending:
            self._write_state(left)

    # ----------------------------------------------------------------- doctor

    def problem(self, articles: Iterable[ArticleSpeakers]) -> str | None:
        """Why the index on disk does not describe these articles (every catalog entry's
        speakers), or None."""
        groups, registry = _groups_of(articles)
        try:
            if self.pending():
                return "articles are pending an update"
            for shard in SHARDS:
                got = (self._read(self.registry(shard)) or {}).get("articles") or {}
                if got != registry.get(shard, {}):
                    return f"registry {shard} does not list the articles' speakers"
            found: dict[str, GroupRecord] = {}
            for bucket in BUCKETS:
                found.update(self.groups_in(bucket))
            if set(found) != set(groups):
                return "the name groups differ from the catalog's"
            want_names: dict[str, dict[str, dict[str, int]]] = {}
            for g, (_, resolved) in found.items():
                for form in resolved.forms:
                    want_names.setdefault(bucket_of(form), {}).setdefault(form, {})[g] = 1
            for bucket in BUCKETS:
                got_names = (self._read(self.names(bucket)) or {}).get("names") or {}
                if got_names != want_names.get(bucket, {}):
                    return f"names {bucket} does not list the identities' names"
            for g, group in groups.items():
                stored, resolved = found[g]
                if stored != group:
                    return f"group {g!r} does not hold its articles' speakers"
                if resolved != resolve_group(g, group):
                    return f"group {g!r} is not resolved as its speakers say"
        except IndexDamaged as exc:
            return str(exc)
        return None


def _groups_of(articles: Iterable[ArticleSpeakers]) -> tuple[dict[str, Group], dict[str, Registry]]:
    """Every name group these articles make, and each article's registry record by shard:
    what a whole build writes and what doctor compares the index with."""
    groups: dict[str, Group] = {}
    registry: dict[str, Registry] = {}
    for art in articles:
        pieces = slices(art)
        record = registry_record(pieces)
        registry.setdefault(art.article_id[:2], {})[art.article_id] = record
        for g, piece in pieces.items():
            groups.setdefault(g, Group()).add(record["g"][g], piece)
    return groups, registry
