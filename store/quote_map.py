"""Which article holds each quote, so that a quote id (or a prefix of one) resolves by
opening one article instead of every article file.

    quote-map/index.json  TinyDB: meta (this map's format), buckets (the bucket files
                          written so far)
    quote-map/<xx>.json   TinyDB: quotes, one record ``{quote id: article id, ...}`` for
                          the quote ids starting with the two hex digits xx (one flat
                          record: a bucket parses and writes several times faster than
                          with a record per quote)

Derived from the article files, like the catalog. Saving articles rewrites the buckets of
the quote ids that came or went (an article's 15 quotes: at most 15 small files, whatever
the library's size), under the library lock, after the article files and before the
catalog's shards, so the map is never behind the catalog. A library written before the map
existed, or one whose map was deleted or damaged, has it built from the article files once,
on first use (under the lock; the index is written last, so an interrupted build is built
again); ``doctor`` checks it against the article files and ``--repair`` rebuilds it.

A quote id's first digits are a hash, so a prefix of two digits or more reads one bucket; a
one-digit prefix reads the 16 buckets it can be in.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from saidwho.store import records
from saidwho.store.errors import CorruptFileError
from saidwho.store.storage import AtomicJSONStorage, Tables

MAP_DIR = "quote-map"
MAP_INDEX = "index.json"
FORMAT = 2  # 2: a bucket is one flat record
HEX = "0123456789abcdef"
BUCKETS = [a + b for a in HEX for b in HEX]
_NAMES = frozenset(BUCKETS)
_PREFIX = re.compile(r"[0-9a-f]{1,64}")

QuoteIds = dict[str, frozenset[str]]  # article id -> the ids of its quotes
Changes = dict[str, tuple[frozenset[str], frozenset[str]]]  # article id -> (before, after)


def map_dir(root: Path) -> Path:
    return root / MAP_DIR


def bucket_of(quote_id: str) -> str:
    return quote_id[:2]


def quote_ids(body: Mapping[str, Any]) -> frozenset[str]:
    """The quote ids of one article file's tables."""
    quotes = body.get("quotes")
    if not isinstance(quotes, dict):
        return frozenset()
    return frozenset(
        q["id"] for q in quotes.values() if isinstance(q, dict) and isinstance(q.get("id"), str)
    )


def quote_ids_in_file(path: Path) -> frozenset[str]:
    """The quote ids in an article file (empty when it is missing or unreadable: its ids are
    then only known to the map, which a look-up checks against the article anyway)."""
    try:
        return quote_ids(json.loads(path.read_bytes().decode("utf-8", "surrogatepass")))
    except (OSError, ValueError, AttributeError):
        return frozenset()


class MapDamaged(Exception):
    """The map is missing, of another format, or one of its files is damaged: build it."""


class QuoteMap:
    """The quote map of one library. Reads take no lock; ``update`` and ``build`` run under
    the library lock (the caller's)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = map_dir(root)
        # derived data: rebuilt, never restored, so no .bak (as trails.json)
        self.index = AtomicJSONStorage(self.path / MAP_INDEX, backup=False, root=root)
        self._buckets: dict[str, AtomicJSONStorage] = {}

    def bucket(self, name: str) -> AtomicJSONStorage:
        storage = self._buckets.get(name)
        if storage is None:
            storage = self._buckets[name] = AtomicJSONStorage(
                self.path / f"{name}.json", backup=False, root=self.root
            )
        return storage

    # ----------------------------------------------------------------- reading

    def _listed(self) -> set[str]:
        """The buckets the index names; MapDamaged when there is no usable index."""
        try:
            tables = self.index.read()
        except CorruptFileError as exc:
            raise MapDamaged(exc.reason) from None
        if tables is None:
            raise MapDamaged("missing")
        meta: dict[str, Any] = next(iter((tables.get("meta") or {}).values()), {})
        if meta.get("format") != FORMAT:
            raise MapDamaged(f"format {meta.get('format')!r}, not {FORMAT}")
        rows = (tables.get("buckets") or {}).values()
        return {row["name"] for row in rows if isinstance(row, dict) and row.get("name") in _NAMES}

    def _entries(self, name: str, listed: set[str]) -> dict[str, str]:
        try:
            tables = self.bucket(name).read()
        except CorruptFileError as exc:
            raise MapDamaged(exc.reason) from None
        if tables is None:
            if name in listed:
                raise MapDamaged(f"bucket {name} is missing")
            return {}  # no quote id starts with these digits (yet)
        docs = tables.get("quotes") or {}
        record = docs.get("1") or {}
        if set(docs) - {"1"} or not all(isinstance(aid, str) for aid in record.values()):
            raise MapDamaged(f"bucket {name} holds something else than article ids")
        return record

    def ready(self) -> bool:
        """Whether the map can be used as it is (built, of this format, its index readable)."""
        try:
            self._listed()
        except MapDamaged:
            return False
        return True

    def starting(self, prefix: str) -> list[tuple[str, str]]:
        """(quote id, article id) of every quote whose id starts with ``prefix`` (lower-case
        hex), sorted; MapDamaged when the map cannot answer (it must be built first)."""
        if not _PREFIX.fullmatch(prefix):
            return []
        listed = self._listed()
        names = [prefix[:2]] if len(prefix) >= 2 else [prefix + d for d in HEX]
        out = []
        for name in names:
            for qid, aid in self._entries(name, listed).items():
                if qid.startswith(prefix):
                    out.append((qid, aid))
        return sorted(out)

    # ----------------------------------------------------------------- writing

    def update(self, changes: Changes) -> None:
        """Bring the map up to date with articles saved (their quote ids before and after):
        only the buckets of ids that came or went are rewritten. A map not built yet is
        left alone (built on first use); one found damaged is marked for a rebuild."""
        try:
            listed = self._listed()
        except MapDamaged:
            return
        edits: dict[str, dict[str, str | None]] = {}  # bucket -> quote id -> article id/None
        for aid, (before, after) in changes.items():
            for qid in before - after:
                edits.setdefault(bucket_of(qid), {}).setdefault(qid, None)
            for qid in after:
                edits.setdefault(bucket_of(qid), {})[qid] = aid
        try:
            for name, edit in sorted(edits.items()):
                current = self._entries(name, listed)
                entries = dict(current)
                for qid, holder in edit.items():
                    if holder is not None:
                        entries[qid] = holder
                    elif qid in entries and qid in changes.get(entries[qid], ((),))[0]:
                        del entries[qid]  # gone from the article that had it
                if entries != current:
                    self.bucket(name).write({"quotes": {"1": entries}})
        except MapDamaged:
            self._write_index(set(), format_=0)  # a damaged bucket: rebuilt on next use
            return
        if not set(edits) <= listed:
            self._write_index(listed | set(edits))

    def build(self, articles: Iterable[str]) -> int:
        """Build the map from the article files of ``articles`` (ids); the number of quotes."""
        ids: QuoteIds = {}
        for aid in articles:
            ids[aid] = quote_ids_in_file(records.body_path(self.root, aid))
        return self.write_all(ids)

    def write_all(self, ids: QuoteIds) -> int:
        """Write the whole map for these articles' quote ids: every bucket, then the index."""
        buckets: dict[str, dict[str, str]] = {}
        for aid, qids in sorted(ids.items()):
            for qid in qids:
                buckets.setdefault(bucket_of(qid), {})[qid] = aid
        stale = {p.stem for p in self.path.glob("*.json") if p.stem in BUCKETS}
        with contextlib.suppress(MapDamaged):
            stale |= self._listed()
        self._write_index(set(), format_=0)  # not usable until every bucket is written
        for name in sorted(set(buckets) | (stale & _NAMES)):
            self.bucket(name).write({"quotes": {"1": buckets.get(name, {})}})
        self._write_index(set(buckets) | (stale & _NAMES))
        return sum(len(b) for b in buckets.values())

    def _write_index(self, names: set[str], format_: int = FORMAT) -> None:
        rows = {str(int(n, 16) + 1): {"name": n} for n in sorted(names)}
        self.index.write({"meta": {"1": {"format": format_}}, "buckets": rows})

    # ----------------------------------------------------------------- doctor

    def problem(self, expected: QuoteIds) -> str | None:
        """Why the map on disk does not describe ``expected`` (every article's quote ids),
        or None."""
        try:
            listed = self._listed()
            want: dict[str, dict[str, str]] = {}
            for aid, qids in expected.items():
                for qid in qids:
                    want.setdefault(bucket_of(qid), {})[qid] = aid
            for name in sorted(set(want) | listed):
                if self._entries(name, listed) != want.get(name, {}):
                    return f"bucket {name} does not list the quotes of the article files"
        except MapDamaged as exc:
            return str(exc)
        return None


def tables_ids(bodies: Mapping[str, Tables]) -> QuoteIds:
    """Every article's quote ids, from article files already read (doctor's)."""
    return {aid: quote_ids(body) for aid, body in bodies.items()}
