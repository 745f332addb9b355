"""Speaker identities across the library: one person, one name, with the variants seen.

Attribution names a speaker per article ("Trump", "Donald J. Trump", "Mr. Trump"); here
every (article, name) pair is resolved to one identity:

1-3. The machine's identities (names folded, a surname alone joined to its full name in
   its article or across the library): ``store/identity_resolution.py`` says how.
4. The reviewer's decisions (merge, split, rename; stored in notes/shared.json) are applied last,
   in the order they were made, and win over all of the above.

Nothing depends on the order the articles come in (ties go by name), so the index can be
updated rather than rebuilt: ``Identities.updated`` works out only the articles that
changed and the surname groups they touch (everything about a surname alone is decided
within the group of that surname), and applies the decisions again to copies. One
ingested article costs ~35 ms at 10,000 articles; a full build ~0.9 s.

This module applies step 4 on top of steps 1-3 and answers look-ups.
Pure functions on plain data: the library feeds them the catalog and the decisions.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from saidwho.attribution.names import NameInfo, analyse
from saidwho.core.text import squash
from saidwho.store.identity_resolution import (
    ArticleSpeakers,
    Identity,
    MachineIdentities,
    Unit,
    aliases_and_roles,
    last_name,
    text_context,
)
from saidwho.store.views import SpeakerSummary

__all__ = ["ArticleSpeakers", "Identities", "decisions_markdown", "describe", "text_context"]


class _Lookup(NamedTuple):
    """Identity keys by what a look-up may match: canonical name, a spelling written, a
    machine key, a name's key and kind, a person's surname (all casefolded)."""

    names: dict[str, list[str]]
    written: dict[str, list[str]]
    machine: dict[str, list[str]]
    keys: dict[tuple[str, str], list[str]]
    surnames: dict[str, list[str]]


class Identities:
    """The library's speakers as identities; look-ups by any name or alias."""

    def __init__(
        self,
        articles: Iterable[ArticleSpeakers],
        decisions: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        machine = MachineIdentities()
        self._finish(machine.updated(machine.changes(articles)), decisions)

    def updated(
        self, articles: Iterable[ArticleSpeakers], decisions: Iterable[Mapping[str, Any]] = ()
    ) -> Identities:
        """The identities of ``articles`` with ``decisions``, as ``Identities(articles,
        decisions)`` would build them, made from these: only the articles that changed
        (and the surname groups they touch) are resolved again; the decisions are
        applied again, to copies. This object is left as it was."""
        changes = self._machine.changes(articles)
        machine = self._machine.updated(changes) if changes else self._machine
        out = Identities.__new__(Identities)
        out._finish(machine, decisions)
        return out

    @classmethod
    def from_machine(
        cls, machine: MachineIdentities, decisions: Iterable[Mapping[str, Any]] = ()
    ) -> Identities:
        """The identities of ``machine`` (some name groups: store/stored_identities.py)
        with ``decisions`` applied."""
        out = cls.__new__(cls)
        out._finish(machine, decisions)
        return out

    @property
    def machine(self) -> MachineIdentities:
        """The machine's identities these were made from (read only)."""
        return self._machine

    def by_key(self) -> Mapping[str, Identity]:
        """Every identity by key, the decisions applied (read only)."""
        return self._by_key

    def _finish(self, machine: MachineIdentities, decisions: Iterable[Mapping[str, Any]]) -> None:
        self._machine = machine
        self._by_key = machine.by_key  # shared until a decision changes something
        self._key_of = machine.key_of
        self._own: set[str] = set()
        self._summaries: list[SpeakerSummary] | None = None
        self._names: dict[str, str] | None = None  # key -> canonical name (see of)
        self._lookup: _Lookup | None = None  # see _candidates
        self.problems: list[str] = []
        for decision in decisions:
            try:
                self._apply(decision)
            except LookupError as exc:  # a name since gone from the library: skip, say so
                self.problems.append(str(exc))

    def _owned(self, key: str, kind: str | None = None) -> Identity:
        """This version's own copy of an identity (made on first change), or a new one."""
        self._lookup = None  # an identity is about to change: names are looked up afresh
        if not self._own:  # the first change: the maps become this version's own
            self._by_key = dict(self._by_key)
            self._key_of = dict(self._key_of)
        if key not in self._own:
            old = self._by_key.get(key)
            self._by_key[key] = old.copy() if old else Identity(key, kind or "person")
            self._own.add(key)
        return self._by_key[key]

    # ------------------------------------------------------------- decisions

    def _find_key(self, name: str, *, exact: bool = False) -> str | None:
        """The identity called ``name``; else (unless ``exact``) one with it as an alias,
        else the one its quotes went to; the most quoted first."""
        wanted = squash(name).casefold()
        if not wanted:
            return None
        # a name typed in lowercase ("trump") is still a name when looking it up
        info = analyse(string.capwords(name) if name == name.lower() else name)
        machine_key = f"{info.kind}:{info.key}"
        last = info.last.casefold()
        best: tuple[int, int, str] | None = None
        for key in self._candidates(wanted, machine_key, info, exact):
            ident = self._by_key[key]
            if ident.name().casefold() == wanted:
                rank = 0
            elif exact:
                continue
            elif wanted in ident.written:
                rank = 1
            elif machine_key in ident.machine:
                rank = 2  # "Ron Johnson" after a merge: where his quotes went
            elif analyse(ident.name()).key == info.key and ident.kind == info.kind:
                rank = 3  # "donald j. trump" typed for "Donald Trump"
            elif info.surname_only and ident.kind == "person" and last_name(ident.name()) == last:
                rank = 4  # "trump": the most quoted person of that surname
            else:
                continue
            candidate = (rank, -ident.quotes(), key)
            if best is None or candidate < best:
                best = candidate
        return best[2] if best else None

    def _candidates(self, wanted: str, machine_key: str, info: NameInfo, exact: bool) -> set[str]:
        """The identities ``_find_key`` may rank for a name, from tables made once per
        version (a scan of every identity per look-up cost 16 ms at 840 articles)."""
        if self._lookup is None:
            tables = _Lookup({}, {}, {}, {}, {})
            for key, ident in self._by_key.items():
                if not ident.units:
                    continue
                name = ident.name()
                tables.names.setdefault(name.casefold(), []).append(key)
                for form in ident.written:
                    tables.written.setdefault(form, []).append(key)
                for machine in ident.machine:
                    tables.machine.setdefault(machine, []).append(key)
                tables.keys.setdefault((analyse(name).key, ident.kind), []).append(key)
                if ident.kind == "person":
                    tables.surnames.setdefault(last_name(name), []).append(key)
            self._lookup = tables
        t = self._lookup
        out = set(t.names.get(wanted, ()))
        if not exact:
            out.update(t.written.get(wanted, ()), t.machine.get(machine_key, ()))
            out.update(t.keys.get((info.key, info.kind), ()))
            if info.surname_only:
                out.update(t.surnames.get(info.last.casefold(), ()))
        return out

    def _need(self, name: str) -> Identity:
        key = self._find_key(name)
        if key is None:
            raise LookupError(f"no speaker named {name!r}")
        return self._by_key[key]

    def _move(self, source: Identity, units: Mapping[Unit, int], target: Identity) -> None:
        units = dict(units)  # often source.units itself, which this empties
        target.take(source, units, self._machine.names, self._machine.key_of)
        self._key_of.update(dict.fromkeys(units, target.key))

    def _merge(self, names: list[str], into: str) -> None:
        sources = [self._need(n).key for n in names]
        target_key = self._find_key(into, exact=True) or "merged:" + into.casefold()
        target = self._owned(target_key, self._by_key[sources[0]].kind)
        for key in sources:
            if key == target_key:
                continue
            ident = self._owned(key)
            self._move(ident, ident.units, target)
            target.names.update(ident.names)  # kept by the source too: see split
            target.refs.update(ident.refs)
        target.display = squash(into)
        target.changed()

    def _apply(self, decision: Mapping[str, Any]) -> None:
        op = decision.get("op")
        if op == "merge":
            self._merge(list(decision["names"]), decision["into"])
        elif op == "rename":
            ident = self._need(decision["name"])
            other = self._find_key(decision["new"])
            if other is not None and other != ident.key:
                # renamed to the name of another identity: the reviewer means one person
                self._merge([decision["name"]], decision["new"])
                return
            ident = self._owned(ident.key)
            ident.display = squash(decision["new"])
            ident.changed()
        elif op == "kind":  # the reviewer says what the speaker is: a person, an organization
            ident = self._owned(self._need(decision["name"]).key)
            ident.kind = str(decision["kind"])
            ident.changed()
        elif op == "split":
            ident = self._need(decision["name"])
            alias = squash(decision["alias"])
            wanted = alias.casefold()
            names, machine = self._machine.names, self._machine.key_of
            # the alias itself, and every variant that was one identity with it before
            # a merge: splitting undoes the merge whole
            machine_keys = {machine[u] for u in ident.units if wanted in names[u].written}
            machine_keys |= {
                k for k, i in self._by_key.items() if i.names and i.name().casefold() == wanted
            }
            machine_keys.discard(ident.key)
            moved = {
                u: n
                for u, n in ident.units.items()
                if wanted in names[u].written or machine[u] in machine_keys
            }
            if not moved:
                raise LookupError(f"{alias!r} is no alias of {decision['name']!r}")
            ident = self._owned(ident.key)
            new = self._owned("split:" + wanted, analyse(alias).kind)
            self._move(ident, moved, new)
            new.display = alias
            new.changed()
        else:
            raise LookupError(f"unknown speaker decision {op!r}")

    # ------------------------------------------------------------- read

    def _summary(self, ident: Identity) -> SpeakerSummary:
        names = self._machine.names

        def make() -> SpeakerSummary:
            name = ident.name()
            spellings: Counter[str] = Counter()
            roles: Counter[str] = Counter()
            for unit, n in ident.units.items():
                nm = names[unit]
                spellings[nm.spelling] += n
                for mention in nm.mentions:
                    spellings[mention] += 0
                roles.update(nm.roles)
            aliases, top = aliases_and_roles(name, spellings, roles)
            return SpeakerSummary(
                speaker=name,
                quotes=ident.quotes(),
                articles=len({a for a, _ in ident.units}),
                aliases=aliases,
                kind=ident.kind,
                roles=top,
            )

        summary: SpeakerSummary = ident.cached("summary", make)
        return summary

    @property
    def summaries(self) -> list[SpeakerSummary]:
        """Every identity with quotes, most quoted first (made on first use; an identity
        that did not change keeps its summary from the version before)."""
        if self._summaries is None:
            out = [self._summary(i) for i in self._by_key.values() if i.units]
            out.sort(
                key=lambda s: (-s.quotes, -s.articles, s.speaker.casefold(), s.speaker, s.kind)
            )
            self._summaries = out
        return self._summaries

    def of(self, article_id: str, name: str | None) -> str | None:
        """The identity (canonical name) a speaker name of this article belongs to."""
        if not name:
            return None
        key = self._key_of.get((article_id, squash(name).casefold()))
        if key is None:
            return None
        if self._names is None:  # articles() asks for every speaker of every article
            self._names = {k: i.name() for k, i in self._by_key.items() if i.units}
        return self._names.get(key)

    def find(self, name: str) -> str | None:
        """The canonical name of the identity called ``name`` or having it as an alias."""
        key = self._find_key(name)
        return self._by_key[key].name() if key else None

    def units(self, canonical: str) -> set[tuple[str, str]]:
        """(article id, casefolded speaker name) pairs of the identity with this name."""
        key = self._find_key(canonical)
        return set(self._by_key[key].units) if key else set()


def describe(decision: Mapping[str, Any]) -> str:
    """One line for a reviewer's decision (exports, notifications)."""
    op = decision.get("op")
    if op == "merge":
        names = ", ".join(str(n) for n in decision.get("names", ()))
        return f"merged {names} into {decision.get('into')}"
    if op == "split":
        return f"split {decision.get('alias')} off {decision.get('name')}"
    if op == "rename":
        return f"renamed {decision.get('name')} to {decision.get('new')}"
    if op == "kind":
        return f"set {decision.get('name')} as {decision.get('kind')}"
    return f"{op}"


def decisions_markdown(decisions: Iterable[Mapping[str, Any]]) -> str:
    """The reviewer's speaker decisions as a Markdown section ("" when there are none)."""
    lines = [f"- {describe(d)} ({d.get('at', '')})" for d in decisions]
    return "\n".join(["## Speaker decisions", "", *lines, ""]) if lines else ""
