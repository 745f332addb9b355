"""The library's speaker identities answered from the index on disk (store/speaker_index.py),
never built from every catalog entry: the same answers as ``Identities(every article,
decisions)`` (store/identities.py), from the name groups a question needs.

- ``of(article, name)``: the article's registry record says the group and slice of the name,
  the group's record its identity: one registry shard and one bucket per group.
- ``find``/``units``: the groups the name can be in (``speaker_groups.groups_named``) are
  resolved with the decisions, as ``Identities`` would.
- ``summaries``: every group's stored summaries, those of the groups the decisions touch
  made again with the decisions applied.

The reviewer's decisions (few) are applied at read time, on the groups their names can be
in: a decision only moves or renames identities it finds by name, and every identity a
name can find lives in those groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from saidwho.core.text import squash
from saidwho.store.identities import Identities
from saidwho.store.identity_resolution import MachineIdentities
from saidwho.store.shards import SHARDS
from saidwho.store.speaker_groups import (
    SEP,
    Group,
    decision_names,
    groups_named,
    order,
    rep_counts,
    rep_id,
    resolve,
    summary,
)
from saidwho.store.speaker_index import GroupRecord, IndexDamaged, SpeakerIndex
from saidwho.store.views import SpeakerSummary

T = TypeVar("T")


@dataclass(frozen=True)
class _Partial:
    """Some groups resolved in memory, the decisions applied."""

    identities: Identities
    machine: MachineIdentities
    counts: dict[str, int]  # rep id -> articles


class StoredIdentities:
    """Look-ups by article and name, by name, and the list: see the module's docstring.
    ``repair`` builds the index again (under the lock) when a file of it is found damaged."""

    def __init__(
        self,
        index: SpeakerIndex,
        decisions: Iterable[Mapping[str, Any]],
        repair: Callable[[], None],
    ) -> None:
        self._index = index
        self._decisions = list(decisions)
        self._repair = repair
        self._partials: dict[frozenset[str], _Partial] = {}
        # what this view read, kept: naming every article of the list asks ~8 names each
        self._records: dict[str, dict[str, Any]] = {}  # registry shard -> its records
        self._groups: dict[str, GroupRecord | None] = {}
        self._decided: frozenset[str] = self._retry(
            lambda: frozenset().union(*map(self._groups_named, decision_names(self._decisions)))
        )
        self._summaries: list[SpeakerSummary] | None = None
        self.problems: list[str] = (
            list(self._retry(lambda: self._partial(self._decided)).identities.problems)
            if self._decisions
            else []
        )

    def _groups_named(self, name: str) -> frozenset[str]:
        """Where an identity a look-up of ``name`` may find can be: where the name would be
        resolved, and the groups with an identity named or spelled so."""
        return frozenset(groups_named(name) | self._index.groups_with(squash(name).casefold()))

    def _retry(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except IndexDamaged:
            self._partials.clear()
            self._records.clear()
            self._groups.clear()
            self._repair()
            return read()

    def _partial(self, groups: frozenset[str]) -> _Partial:
        hit = self._partials.get(groups)
        if hit is None:
            loaded: dict[str, Group] = {}
            for name in groups:
                record = self._index.group(name)
                if record is not None:
                    loaded[name] = record[0]
            machine = resolve(loaded)
            hit = _Partial(
                Identities.from_machine(machine, self._decisions), machine, rep_counts(loaded)
            )
            self._partials[groups] = hit
        return hit

    # ----------------------------------------------------------------- look-ups

    def of(self, article_id: str, name: str | None) -> str | None:
        """The identity (canonical name) a speaker name of this article belongs to."""
        if not name:
            return None
        return self._retry(lambda: self._of(article_id, name))

    def _record(self, article_id: str) -> dict[str, Any] | None:
        shard = article_id[:2]
        records = self._records.get(shard)
        if records is None:
            records = self._records[shard] = self._index.registry_records(shard)
        record = records.get(article_id)
        if record is not None and not all(isinstance(record.get(k), dict) for k in "gn"):
            raise IndexDamaged(f"registry {shard}: record of the wrong shape")
        return record

    def _group(self, name: str) -> GroupRecord | None:
        if name not in self._groups:
            self._groups[name] = self._index.group(name)
        return self._groups[name]

    def _of(self, article_id: str, name: str) -> str | None:
        wanted = squash(name).casefold()
        record = self._record(article_id)
        group = record["n"].get(wanted) if record else None
        digest = record["g"].get(group) if record and group else None
        if group is None or digest is None:
            return None
        if group in self._decided:
            return self._partial(self._decided).identities.of(rep_id(group, digest), name)
        found = self._group(group)
        key = found[1].keys.get(digest, {}).get(wanted) if found else None
        known = found[1].summaries.get(key) if found and key else None
        return known.speaker if known else None

    def find(self, name: str) -> str | None:
        """The canonical name of the identity called ``name`` or having it as an alias."""
        return self._retry(
            lambda: self._partial(self._decided | self._groups_named(name)).identities.find(name)
        )

    def units(self, canonical: str) -> set[tuple[str, str]]:
        """(article id, casefolded speaker name) pairs of the identity with this name (reads
        the registry: for a search across the library)."""

        def read() -> set[tuple[str, str]]:
            partial = self._partial(self._decided | self._groups_named(canonical))
            wanted: dict[tuple[str, str], set[str]] = {}
            for rid, name in partial.identities.units(canonical):
                group, digest = rid.rsplit(SEP, 1)
                wanted.setdefault((group, digest), set()).add(name)
            out: set[tuple[str, str]] = set()
            for aid, record in self._registry():
                for name, group in record["n"].items():
                    names = wanted.get((group, record["g"].get(group)))
                    if names and name in names:
                        out.add((aid, name))
            return out

        return self._retry(read) if canonical else set()

    def _registry(self) -> Iterable[tuple[str, dict[str, Any]]]:
        for shard in SHARDS:
            yield from self._index.registry_records(shard).items()

    def _articles(self, reps: set[str]) -> int:
        """Articles having any of these reps (of several groups: the registry says)."""
        wanted = {tuple(r.rsplit(SEP, 1)) for r in reps}
        return sum(
            1
            for _, record in self._registry()
            if any((g, h) in wanted for g, h in record["g"].items())
        )

    @property
    def summaries(self) -> list[SpeakerSummary]:
        """Every identity with quotes, most quoted first, the decisions applied."""
        if self._summaries is None:
            self._summaries = self._retry(self._all_summaries)
        return self._summaries

    def _all_summaries(self) -> list[SpeakerSummary]:
        out = [s for _, s in self._index.summaries(self._decided)]
        if self._decisions:
            partial = self._partial(self._decided)
            out.extend(
                summary(ident, partial.machine, partial.counts, self._articles)
                for ident in partial.identities.by_key().values()
                if ident.units
            )
        return order(out)
