"""Speaker identities as the machine finds them, before the reviewer's decisions.

Every (article, speaker name) pair is resolved to one identity:

1. ``attribution.names.analyse`` folds titles, honorifics, middle names and initials, and
   tells persons from organisations, groups and unnamed sources. Persons with a first
   name are keyed by first + last (+ suffix): "Donald J. Trump" = "Donald Trump".
2. A surname alone ("Clinton") takes the full name it belongs to *in its own article*:
   the full names with that surname among the article's speakers and in its text (counted
   when the article was saved, ``speaker_context`` in the catalog). One of them, or one
   named at least ``ARTICLE_DOMINANCE`` times as often as the next, wins; otherwise the
   surname is ambiguous there and stays apart ("Clinton" where Bill and Hillary are both
   named alike is neither).
3. A surname whose article names nobody with it joins the full name it unambiguously
   belongs to across the library: the only one, or one with ``DOMINANCE`` times the
   quotes of the runner-up (quotes by the full name, and by surnames their own articles
   resolved; with none at all it stays apart).

Nothing depends on the order the articles come in (ties go by name), so the result can be
updated rather than rebuilt: ``MachineIdentities.updated`` works out only the articles that
changed and the surname groups they touch (everything about a surname alone is decided
within the group of that surname). ``store/identities.py`` applies the reviewer's decisions
on top and answers look-ups.

Pure functions on plain data: the library feeds them the catalog.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from saidwho.attribution.lexicon import FEMALE_NAMES, MALE_NAMES
from saidwho.attribution.names import NameInfo, analyse
from saidwho.core.heap import paused_gc
from saidwho.core.text import squash

_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES
BULK = 500  # changed articles from which an update pauses the garbage collector
DOMINANCE = 5
ARTICLE_DOMINANCE = 3


@dataclass(frozen=True)
class ArticleSpeakers:
    """What identity resolution needs of one article (all from its catalog entry)."""

    article_id: str
    counts: Mapping[str, int]  # effective speaker name -> quotes
    context: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # surname -> names
    roles: Mapping[str, Iterable[str]] = field(default_factory=dict)  # speaker -> roles seen
    mentions: Mapping[str, Iterable[str]] = field(default_factory=dict)  # speaker -> as written


def text_context(text: str, names: Iterable[str]) -> dict[str, dict[str, int]]:
    """For each surname-only person among ``names``: the full names ending in that surname
    in ``text``, with how often each is written ("Bill Clinton": 2)."""
    out: dict[str, dict[str, int]] = {}
    for name in names:
        info = analyse(name)
        if not info.surname_only or info.last.casefold() in out:
            continue
        found: Counter[str] = Counter()
        pattern = r"((?:[A-Z][\w.'’-]*\s+){1,3})" + re.escape(info.last) + r"\b"
        for match in re.finditer(pattern, text):
            full = analyse(match.group(0))
            if full.kind == "person" and full.first and full.last == info.last:
                found[full.name] += 1
        out[info.last.casefold()] = dict(found)
    return out


def _fold_case(art: ArticleSpeakers) -> ArticleSpeakers:
    """One spelling per name within an article ("Ana Ruiz", "ana ruiz"): the capitalised
    one, else the most quoted."""
    folded = {squash(name).casefold() for name in art.counts}
    if len(folded) == len(art.counts):  # the common case: nothing to fold
        return art
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name, n in art.counts.items():
        spellings[squash(name).casefold()][name] += n
    if all(len(s) == 1 for s in spellings.values()):
        return art
    counts: dict[str, int] = {}
    roles: dict[str, list[str]] = {}
    for names in spellings.values():
        best = min(names.items(), key=lambda kv: (not kv[0][:1].isupper(), -kv[1], kv[0]))[0]
        counts[best] = sum(names.values())
        roles[best] = [r for name in names for r in art.roles.get(name, ())]
    mentions = {
        best: [m for name in names for m in art.mentions.get(name, ())]
        for best, names in zip(counts, spellings.values(), strict=True)
    }
    return ArticleSpeakers(art.article_id, counts, art.context, roles, mentions)


def last_name(name: str) -> str:
    return analyse(name).last.casefold()


def _is_role(role: str) -> bool:
    """A role worth listing: not a bare honorific ("Mr.") or pronoun-like scrap."""
    words = role.split()
    return bool(words) and not (len(words) == 1 and analyse(f"{role} Smith").role is None)


def _gender(info: NameInfo) -> str:
    title = info.title.lower().rstrip(".")
    first = info.first.casefold()
    if title in ("mr", "messrs") or first in MALE_NAMES:
        return "m"
    if title in ("mrs", "ms", "miss") or first in FEMALE_NAMES:
        return "f"
    return ""


def _same_name(info: NameInfo, mentions: Iterable[str]) -> list[str]:
    """The mentions that name the same person or body ("Mr. Trump" for "Donald Trump"),
    not pronouns or descriptions ("he", "the candidate")."""
    out = []
    for mention in mentions:
        m = analyse(mention)
        if m.kind != info.kind or m.kind not in ("person", "organization"):
            continue
        if m.kind == "person" and (m.last.casefold() != info.last.casefold()):
            continue
        if m.kind == "person" and m.first and info.first and m.key != info.key:
            continue
        if _gender(m) and _gender(info) and _gender(m) != _gender(info):
            continue  # "Mrs. Clinton" is no mention of Bill Clinton
        out.append(m.written or m.name)
    return out


Unit = tuple[str, str]  # (article id, the speaker name there, casefolded)


class _Name(NamedTuple):
    """One (article, speaker name) pair as resolution needs it, worked out once. (Named
    tuples: a full build makes ~100,000 of them at 10,000 articles.)"""

    unit: Unit
    n: int  # quotes
    kind: str
    name: str  # the canonical form (``NameInfo.name``)
    key: str  # ``NameInfo.key``
    surname: str  # for a surname alone, casefolded: resolved in its surname's group; else ""
    spelling: str  # the alias shown: the name as written, without the role words around it
    roles: tuple[str, ...]
    mentions: tuple[str, ...]  # other spellings that name the same one ("Mr. Trump")
    written: frozenset[str]  # casefolded spellings a reviewer may use for it


class _Part(NamedTuple):
    """One article's share of the identities, from its catalog entry alone."""

    names: tuple[_Name, ...]
    # surname -> the full names with it quoted here: (key, quotes, canonical name)
    full: Mapping[str, tuple[tuple[str, int, str], ...]]
    # surname -> full names with it in the text: (key, times, name, a known first name)
    context: Mapping[str, tuple[tuple[str, int, str, bool], ...]]
    alone: Mapping[str, tuple[_Name, ...]]  # surname -> its names that are that surname alone
    surnames: frozenset[str]  # the surname groups it feeds or needs


class _Facts(NamedTuple):
    """What a speaker name says on its own, wherever it is used (cached per string)."""

    info: NameInfo
    key: str
    spelling: str
    surname: str  # surname alone: casefolded; else ""
    full_last: str  # a person with a first name: the surname, casefolded; else ""


@lru_cache(maxsize=65536)
def _facts(name: str) -> _Facts:
    info = analyse(name)
    spelling = (info.written or info.name) if info.named else info.text
    return _Facts(
        info,
        info.key,
        spelling,
        info.last.casefold() if info.surname_only else "",
        info.last.casefold() if info.kind == "person" and info.first else "",
    )


@lru_cache(maxsize=65536)
def _role_kept(role: str) -> bool:
    return _is_role(role)


@lru_cache(maxsize=65536)
def _mentions(name: str, mentions: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_same_name(analyse(name), mentions))


@lru_cache(maxsize=65536)
def _context_entry(full_name: str) -> tuple[str, str, bool]:
    info = analyse(full_name)
    return info.key, info.name, info.first.casefold() in _FIRST_NAMES


def _part(art: ArticleSpeakers) -> _Part:
    art = _fold_case(art)
    aid = art.article_id
    names: list[_Name] = []
    full: dict[str, list[tuple[str, int, str]]] = {}
    alone: dict[str, list[_Name]] = {}
    for name, n in art.counts.items():
        facts = _facts(name)
        info = facts.info
        unit = (aid, name.casefold())
        roles = tuple(r for r in art.roles.get(name, ()) if _role_kept(r))
        if info.role:
            roles += (info.role,)
        mentions = _mentions(name, tuple(art.mentions.get(name, ())))
        written = frozenset((facts.spelling.casefold(), unit[1], *(m.casefold() for m in mentions)))
        nm = _Name(
            unit, n, info.kind, info.name, facts.key, facts.surname, facts.spelling, roles,
            mentions, written,
        )  # fmt: skip
        names.append(nm)
        if facts.full_last:
            full.setdefault(facts.full_last, []).append((facts.key, n, info.name))
        if facts.surname:
            alone.setdefault(facts.surname, []).append(nm)
    context: dict[str, tuple[tuple[str, int, str, bool], ...]] = {}
    for surname, found_names in art.context.items():
        context[surname] = tuple(
            (key, times, canonical, known)
            for (key, canonical, known), times in zip(
                map(_context_entry, found_names), found_names.values(), strict=True
            )
        )
    return _Part(
        tuple(names),
        {k: tuple(v) for k, v in full.items()},
        context,
        {k: tuple(v) for k, v in alone.items()},
        frozenset(full).union(context, alone),
    )


def _ranked(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """The two with the most, ties by key: never by the order things were seen."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]


def _most_used(spellings: Counter[str] | None) -> str | None:
    if not spellings:
        return None
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _resolve_group(
    surname: str, articles: Iterable[str], parts: Mapping[str, _Part]
) -> dict[Unit, tuple[str, str | None]]:
    """Where each surname alone of this surname goes: (identity key, the full name it is
    joined to, or None). Reads only this surname's group: the full names with it quoted in
    the library, and the articles that quote it alone or name someone with it."""
    quoted: Counter[str] = Counter()  # person key -> quotes by the full name, library-wide
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    in_text: dict[str, Counter[str]] = defaultdict(Counter)
    members = [parts[aid] for aid in articles]
    for part in members:
        for key, n, name in part.full.get(surname, ()):
            quoted[key] += n
            spelled[key][name] += n
    resolved: dict[Unit, tuple[str, int]] = {}  # unit -> (person key, its quotes)
    pending: list[tuple[_Name, set[str]]] = []
    for part in members:
        alone = part.alone.get(surname)
        context = part.context.get(surname, ())
        here: Counter[str] = Counter()
        for key, n, _ in part.full.get(surname, ()):
            here[key] += n
        for key, times, name, known_first in context:
            # "As Trump", "When Trump": a capitalised word before a surname is a first
            # name only if it is a known one or someone is quoted by it
            if key in quoted or known_first:
                here[key] += times
                in_text[key][name] += times
        if not alone:
            continue
        ranked = _ranked(here)
        dominant = bool(ranked) and (
            len(ranked) == 1 or ranked[0][1] >= ARTICLE_DOMINANCE * ranked[1][1]
        )
        for nm in alone:
            if dominant:
                resolved[nm.unit] = (ranked[0][0], nm.n)
            else:  # none or several in its article: the library decides below
                pending.append((nm, set(here)))

    def full_name(key: str) -> str | None:
        return _most_used(spelled.get(key)) or _most_used(in_text.get(key))

    out: dict[Unit, tuple[str, str | None]] = {
        unit: ("person:" + key, full_name(key)) for unit, (key, _) in resolved.items()
    }
    # the library's count of each full name: quoted by it, or by a surname its article
    # resolved (not by the ambiguous ones: the order they are met in must not matter)
    totals = Counter(quoted)
    for key, n in resolved.values():
        totals[key] += n
    for nm, candidates in pending:
        keys = candidates or set(quoted)
        ranked = _ranked({key: totals[key] for key in keys})
        if ranked and (
            len(ranked) == 1 or (ranked[0][1] > 0 and ranked[0][1] >= DOMINANCE * ranked[1][1])
        ):
            out[nm.unit] = ("person:" + ranked[0][0], full_name(ranked[0][0]))
        else:
            out[nm.unit] = ("person:" + nm.key, None)
    return out


class Identity:
    """One identity: its units (quotes each) and the names they give it. Shared between
    versions of the index once made: only a fresh copy (``copy``) is ever changed."""

    __slots__ = (
        "_cache", "display", "key", "kind", "machine", "names", "refs", "units", "written",
    )  # fmt: skip

    def __init__(self, key: str, kind: str) -> None:
        self.key = key
        self.kind = kind
        self.units: dict[Unit, int] = {}
        self.names: Counter[str] = Counter()  # canonical spellings, weighted by quotes
        self.refs: Counter[str] = Counter()  # how many units give each spelling
        self.written: Counter[str] = Counter()  # the units' written forms (how many units)
        self.machine: Counter[str] = Counter()  # the units' machine identities (how many)
        self.display: str | None = None  # set by a reviewer's rename/merge
        self._cache: dict[str, Any] = {}

    def copy(self) -> Identity:
        new = Identity(self.key, self.kind)
        new.units = dict(self.units)
        new.names = Counter(self.names)
        new.refs = Counter(self.refs)
        new.written = Counter(self.written)
        new.machine = Counter(self.machine)
        new.display = self.display
        return new

    def take(self, other: Identity, units: Mapping[Unit, int], names: Mapping[Unit, _Name],
             machine: Mapping[Unit, str]) -> None:  # fmt: skip
        """Move ``units`` (of ``other``) here, with what they say (a reviewer's decision)."""
        if len(units) == len(other.units):  # all of them (a merge): whole maps, C speed
            self.units.update(other.units)
            self.written.update(other.written)
            self.machine.update(other.machine)
            other.units, other.written, other.machine = {}, Counter(), Counter()
        else:
            for unit, n in units.items():
                del other.units[unit]
                self.units[unit] = n
                for form in names[unit].written:
                    other.written[form] -= 1
                    self.written[form] += 1
                other.machine[machine[unit]] -= 1
                self.machine[machine[unit]] += 1
            other.written, other.machine = +other.written, +other.machine  # drop the zeros
        self._cache.clear()
        other._cache.clear()

    def changed(self) -> None:
        self._cache.clear()

    def add(self, nm: _Name, full: str | None) -> None:
        """A unit the machine puts here (this is its machine identity)."""
        self.units[nm.unit] = nm.n
        # a surname joined to a full name lends it the full name, not its own spelling
        spelling, weight = (full, 0) if full else (nm.name, nm.n)
        self.names[spelling] += weight
        self.refs[spelling] += 1
        written = self.written
        for form in nm.written:
            written[form] += 1
        self.machine[self.key] += 1
        self._cache.clear()

    def remove(self, nm: _Name, full: str | None) -> None:
        del self.units[nm.unit]
        spelling, weight = (full, 0) if full else (nm.name, nm.n)
        self.names[spelling] -= weight
        self.refs[spelling] -= 1
        if self.refs[spelling] <= 0:
            del self.refs[spelling], self.names[spelling]
        self.written.subtract(nm.written)
        self.written = +self.written
        self.machine[self.key] -= 1
        self.machine = +self.machine
        self._cache.clear()

    def name(self) -> str:
        if self.display:
            return self.display
        if "name" not in self._cache:
            self._cache["name"] = min(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return str(self._cache["name"])

    def quotes(self) -> int:
        if "quotes" not in self._cache:
            self._cache["quotes"] = sum(self.units.values())
        return int(self._cache["quotes"])

    def cached(self, what: str, make: Any) -> Any:
        if what not in self._cache:
            self._cache[what] = make()
        return self._cache[what]


class MachineIdentities:
    """The identities the machine finds, before the reviewer's decisions: kept per
    article, per surname group and per unit, so one changed article re-resolves its own
    names and the surname groups it touches, not the library."""

    def __init__(self) -> None:
        self.inputs: dict[str, ArticleSpeakers] = {}
        self.parts: dict[str, _Part] = {}
        self.groups: dict[str, frozenset[str]] = {}  # surname -> articles in its group
        self.names: dict[Unit, _Name] = {}
        self.assigned: dict[Unit, tuple[str, str | None]] = {}  # unit -> (key, full name)
        self.key_of: dict[Unit, str] = {}
        self.by_key: dict[str, Identity] = {}

    def changes(self, articles: Iterable[ArticleSpeakers]) -> dict[str, ArticleSpeakers | None]:
        """The articles added, changed (None: removed) since these inputs."""
        out: dict[str, ArticleSpeakers | None] = {}
        seen: set[str] = set()
        for art in articles:
            seen.add(art.article_id)
            before = self.inputs.get(art.article_id)
            if before is not art and before != art:
                out[art.article_id] = art
        for gone in self.inputs.keys() - seen:
            out[gone] = None
        return out

    def updated(self, changes: Mapping[str, ArticleSpeakers | None]) -> MachineIdentities:
        """A new version with ``changes`` applied; this one is left as it is (readers in
        other threads may hold it). Flat maps are copied (C speed); identities only when
        they change."""
        if len(changes) < BULK:
            return self._updated(changes)
        # A full build makes ~500,000 objects at 10,000 articles, none of them in a cycle
        with paused_gc():
            return self._updated(changes)

    def _updated(self, changes: Mapping[str, ArticleSpeakers | None]) -> MachineIdentities:
        new = MachineIdentities()
        new.inputs, new.parts, new.groups = dict(self.inputs), dict(self.parts), dict(self.groups)
        new.names, new.assigned = dict(self.names), dict(self.assigned)
        new.key_of, new.by_key = dict(self.key_of), dict(self.by_key)
        fresh: set[str] = set()

        def own(key: str) -> Identity:
            if key not in fresh:
                old = new.by_key.get(key)
                new.by_key[key] = old.copy() if old else Identity(key, key.split(":", 1)[0])
                fresh.add(key)
            return new.by_key[key]

        def unassign(unit: Unit) -> None:
            key, full = new.assigned.pop(unit)
            ident = own(key)
            ident.remove(new.names[unit], full)
            del new.key_of[unit]
            if not ident.units:
                del new.by_key[key]
                fresh.discard(key)

        def assign(nm: _Name, key: str, full: str | None) -> None:
            own(key).add(nm, full)
            new.assigned[nm.unit] = (key, full)
            new.key_of[nm.unit] = key

        groups: dict[str, set[str]] = {}  # the groups this update changes, editable

        def group(surname: str) -> set[str]:
            if surname not in groups:
                groups[surname] = set(new.groups.get(surname, ()))
            return groups[surname]

        for aid, art in changes.items():
            before = new.parts.pop(aid, None)
            if before is not None:
                new.inputs.pop(aid, None)
                for nm in before.names:
                    if nm.unit in new.assigned:
                        unassign(nm.unit)
                    del new.names[nm.unit]
                for surname in before.surnames:
                    group(surname).discard(aid)
            if art is None:
                continue
            part = _part(art)
            new.inputs[aid], new.parts[aid] = art, part
            for surname in part.surnames:
                group(surname).add(aid)
            for nm in part.names:
                new.names[nm.unit] = nm
                if not nm.surname:
                    assign(nm, f"{nm.kind}:{nm.key}", None)
        for surname, members in groups.items():
            if members:
                new.groups[surname] = frozenset(members)
            else:
                new.groups.pop(surname, None)
            for unit, (key, full) in _resolve_group(surname, members, new.parts).items():
                if new.assigned.get(unit) != (key, full):
                    if unit in new.assigned:
                        unassign(unit)
                    assign(new.names[unit], key, full)
        return new


MAX_ROLES = 5  # the roles a speaker summary lists


def aliases_and_roles(
    name: str, spellings: Mapping[str, int], roles: Mapping[str, int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A speaker summary's aliases (every other spelling, the most used first, each once
    whatever its case) and its most used roles (at most ``MAX_ROLES``)."""
    aliases: list[str] = []
    seen = {name.casefold()}
    for spelling, _ in sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0])):
        if spelling.casefold() not in seen:
            seen.add(spelling.casefold())
            aliases.append(spelling)
    top = sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ROLES]
    return tuple(aliases), tuple(r for r, _ in top)
