"""Speaker identities across the library: one person, one name, with the variants seen.

Attribution names a speaker per article ("Trump", "Donald J. Trump", "Mr. Trump"); here
every (article, name) pair is resolved to one identity:

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
   quotes of the runner-up.
4. The reviewer's decisions (merge, split, rename; stored in notes.json) are applied last,
   in the order they were made, and win over all of the above.

Pure functions on plain data: the library feeds them the catalog and the decisions.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from saidwho.attribution.lexicon import FEMALE_NAMES, MALE_NAMES
from saidwho.attribution.names import NameInfo, analyse
from saidwho.store.views import SpeakerSummary

_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES
DOMINANCE = 5
ARTICLE_DOMINANCE = 3
MAX_ROLES = 5


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
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name, n in art.counts.items():
        spellings[" ".join(name.split()).casefold()][name] += n
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


def _last(name: str) -> str:
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


@dataclass
class _Identity:
    key: str
    kind: str
    units: dict[tuple[str, str], int] = field(default_factory=dict)  # (article, name) -> n
    names: Counter[str] = field(default_factory=Counter)  # canonical spellings, weighted
    display: str | None = None  # set by a reviewer's rename/merge

    def name(self) -> str:
        if self.display:
            return self.display
        return min(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def quotes(self) -> int:
        return sum(self.units.values())


class Identities:
    """The library's speakers as identities; look-ups by any name or alias."""

    def __init__(
        self,
        articles: Iterable[ArticleSpeakers],
        decisions: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self._roles: dict[tuple[str, str], list[str]] = {}
        self._spelling: dict[tuple[str, str], str] = {}  # unit -> the name as written
        self._mentions: dict[tuple[str, str], list[str]] = {}  # unit -> other spellings
        self._machine: dict[tuple[str, str], str] = {}  # unit -> machine identity key
        self._by_key: dict[str, _Identity] = {}
        self._resolve([a for a in articles])
        self.problems: list[str] = []
        for decision in decisions:
            try:
                self._apply(decision)
            except LookupError as exc:  # a name since gone from the library: skip, say so
                self.problems.append(str(exc))
        self._index()

    # ------------------------------------------------------------- machine

    def _resolve(self, articles: list[ArticleSpeakers]) -> None:
        full_quotes: dict[str, Counter[str]] = defaultdict(Counter)  # surname -> key -> n
        full_names: dict[str, str] = {}  # person key -> a spelling of the full name
        pending: list[tuple[str, str, int, NameInfo, set[str]]] = []
        articles = [_fold_case(art) for art in articles]
        for art in articles:
            for name, n in art.counts.items():
                info = analyse(name)
                if info.kind == "person" and info.first:
                    full_quotes[info.last.casefold()][info.key] += n
                    full_names.setdefault(info.key, info.name)
        quoted = set(full_names)
        for art in articles:
            infos = {name: analyse(name) for name in art.counts}
            here: dict[str, Counter[str]] = defaultdict(Counter)
            for name, info in infos.items():
                if info.kind == "person" and info.first:
                    here[info.last.casefold()][info.key] += art.counts[name]
            for surname, names in art.context.items():
                for full, n in names.items():
                    found = analyse(full)
                    # "As Trump", "When Trump": a capitalised word before a surname is a
                    # first name only if it is a known one or someone is quoted by it
                    if found.key in quoted or found.first.casefold() in _FIRST_NAMES:
                        here[surname][found.key] += n
                        full_names.setdefault(found.key, found.name)
            for name, n in art.counts.items():
                info = infos[name]
                unit = (art.article_id, name.casefold())
                self._roles[unit] = [r for r in art.roles.get(name, ()) if _is_role(r)]
                if info.role:
                    self._roles[unit].append(info.role)
                self._mentions[unit] = _same_name(info, art.mentions.get(name, ()))
                if info.surname_only:
                    ranked = here.get(info.last.casefold(), Counter()).most_common(2)
                    if ranked and (
                        len(ranked) == 1 or ranked[0][1] >= ARTICLE_DOMINANCE * ranked[1][1]
                    ):
                        full = full_names[ranked[0][0]]
                        self._add(unit, "person:" + ranked[0][0], info, n, full=full)
                    else:  # none or several in its article: the library decides below
                        candidates = set(here.get(info.last.casefold(), ()))
                        pending.append((art.article_id, name, n, info, candidates))
                    continue
                self._add(unit, f"{info.kind}:{info.key}", info, n)
        for article_id, name, n, info, candidates in pending:
            # the candidates of its article, else every full name of that surname, by the
            # quotes they have in the library (surnames resolved in their articles count)
            keys = candidates or set(full_quotes.get(info.last.casefold(), ()))
            ranked = Counter(
                {
                    k: self._by_key[f"person:{k}"].quotes() if f"person:{k}" in self._by_key else 0
                    for k in keys
                }
            ).most_common(2)
            unit = (article_id, name.casefold())
            if ranked and (len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]):
                full = full_names[ranked[0][0]]
                self._add(unit, "person:" + ranked[0][0], info, n, full=full)
            else:
                self._add(unit, "person:" + info.key, info, n)

    def _add(
        self, unit: tuple[str, str], key: str, info: NameInfo, n: int, *, full: str | None = None
    ) -> None:
        ident = self._by_key.get(key)
        if ident is None:
            ident = self._by_key[key] = _Identity(key, info.kind)
        ident.units[unit] = ident.units.get(unit, 0) + n
        # a surname joined to a full name lends it the full name, not its own spelling
        if full:
            ident.names[full] += 0
        else:
            ident.names[info.name] += n
        self._machine[unit] = key
        # the alias shown: the name as written, without the role words around it
        self._spelling[unit] = (info.written or info.name) if info.named else info.text

    # ------------------------------------------------------------- decisions

    def _find_key(self, name: str, *, exact: bool = False) -> str | None:
        """The identity called ``name``; else (unless ``exact``) one with it as an alias,
        else the one its quotes went to; the most quoted first."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return None
        # a name typed in lowercase ("trump") is still a name when looking it up
        info = analyse(string.capwords(name) if name == name.lower() else name)
        machine_key = f"{info.kind}:{info.key}"
        last = info.last.casefold()
        best: tuple[int, int, str] | None = None
        for key, ident in self._by_key.items():
            if not ident.units:
                continue
            if ident.name().casefold() == wanted:
                rank = 0
            elif exact:
                continue
            elif any(wanted in self._written(u) for u in ident.units):
                rank = 1
            elif any(self._machine[u] == machine_key for u in ident.units):
                rank = 2  # "Ron Johnson" after a merge: where his quotes went
            elif analyse(ident.name()).key == info.key and ident.kind == info.kind:
                rank = 3  # "donald j. trump" typed for "Donald Trump"
            elif info.surname_only and ident.kind == "person" and _last(ident.name()) == last:
                rank = 4  # "trump": the most quoted person of that surname
            else:
                continue
            candidate = (rank, -ident.quotes(), key)
            if best is None or candidate < best:
                best = candidate
        return best[2] if best else None

    def _written(self, unit: tuple[str, str]) -> set[str]:
        written = {self._spelling[unit].casefold(), unit[1]}
        return written | {m.casefold() for m in self._mentions[unit]}

    def _need(self, name: str) -> _Identity:
        key = self._find_key(name)
        if key is None:
            raise LookupError(f"no speaker named {name!r}")
        return self._by_key[key]

    def _merge(self, names: list[str], into: str) -> None:
        sources = [self._need(n) for n in names]
        target_key = self._find_key(into, exact=True) or "merged:" + into.casefold()
        target = self._by_key.get(target_key) or _Identity(target_key, sources[0].kind)
        self._by_key[target_key] = target
        for ident in sources:
            if ident is target:
                continue
            for unit, n in ident.units.items():
                target.units[unit] = target.units.get(unit, 0) + n
            target.names.update(ident.names)
            ident.units.clear()
        target.display = " ".join(into.split())

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
            ident.display = " ".join(decision["new"].split())
        elif op == "split":
            ident = self._need(decision["name"])
            alias = " ".join(decision["alias"].split())
            wanted = alias.casefold()
            # the alias itself, and every variant that was one identity with it before
            # a merge: splitting undoes the merge whole
            machine_keys = {self._machine[u] for u in ident.units if wanted in self._written(u)}
            machine_keys |= {
                k for k, i in self._by_key.items() if i.names and i.name().casefold() == wanted
            }
            machine_keys.discard(ident.key)
            moved = {
                u: n
                for u, n in ident.units.items()
                if wanted in self._written(u) or self._machine[u] in machine_keys
            }
            if not moved:
                raise LookupError(f"{alias!r} is no alias of {decision['name']!r}")
            for unit in moved:
                del ident.units[unit]
            key = "split:" + wanted
            new = self._by_key.get(key) or _Identity(key, analyse(alias).kind)
            self._by_key[key] = new
            new.units.update(moved)
            new.display = alias
        else:
            raise LookupError(f"unknown speaker decision {op!r}")

    # ------------------------------------------------------------- read

    def _index(self) -> None:
        self._of: dict[tuple[str, str], str] = {}  # unit -> canonical name
        for ident in self._by_key.values():
            if ident.units:
                name = ident.name()
                for unit in ident.units:
                    self._of[unit] = name
        live = [i for i in self._by_key.values() if i.units]
        self.summaries: list[SpeakerSummary] = []
        for ident in live:
            name = ident.name()
            spellings: Counter[str] = Counter()
            roles: Counter[str] = Counter()
            for unit, n in ident.units.items():
                spellings[self._spelling[unit]] += n
                for mention in self._mentions.get(unit, ()):
                    spellings[mention] += 0
                roles.update(self._roles.get(unit, ()))
            aliases: list[str] = []
            for spelling, _ in sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0])):
                if spelling.casefold() != name.casefold() and spelling.casefold() not in {
                    a.casefold() for a in aliases
                }:
                    aliases.append(spelling)
            self.summaries.append(
                SpeakerSummary(
                    speaker=name,
                    quotes=ident.quotes(),
                    articles=len({a for a, _ in ident.units}),
                    aliases=tuple(aliases),
                    kind=ident.kind,
                    roles=tuple(r for r, _ in roles.most_common(MAX_ROLES)),
                )
            )
        self.summaries.sort(key=lambda s: (-s.quotes, -s.articles, s.speaker.casefold()))

    def of(self, article_id: str, name: str | None) -> str | None:
        """The identity (canonical name) a speaker name of this article belongs to."""
        if not name:
            return None
        return self._of.get((article_id, " ".join(name.split()).casefold()))

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
    return f"{op}"


def decisions_markdown(decisions: Iterable[Mapping[str, Any]]) -> str:
    """The reviewer's speaker decisions as a Markdown section ("" when there are none)."""
    lines = [f"- {describe(d)} ({d.get('at', '')})" for d in decisions]
    return "\n".join(["## Speaker decisions", "", *lines, ""]) if lines else ""
