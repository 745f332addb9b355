"""Speaker identities partitioned by name group, so that they are kept per group on disk.

Identity resolution (store/identity_resolution.py) couples articles only through name
groups: a person's names (full or surname alone) are resolved within the group of their
surname, and every other name (an organisation, an unnamed source) is its own identity.
Here an article's speakers are cut into one *slice* per group (its names of that group, their
roles and mentions, and the names its text gives that surname), and the library's speakers are
the groups' identities side by side.

A group is resolved from its slices alone. Articles whose slices are alike (the same names,
quoted as often) resolve alike, so a group keeps each distinct slice once (a *rep*) with the
articles that have it, and is resolved on its reps with every count multiplied by the
number of articles sharing it: resolution adds counts and compares ratios, so the answer is
the one the whole build gives (tests/test_speaker_groups.py compares them).

Groups: a person (a first name or not) goes by the last word of the surname, casefolded (so
"Van Buren" alone and "Martin Van Buren" share a group, as they may share an identity); any
other name by its identity key ("organization:fbi").

Pure functions on plain data: store/speaker_index.py keeps the groups on disk.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from saidwho.attribution.names import analyse
from saidwho.store.identity_resolution import (
    ArticleSpeakers,
    Identity,
    MachineIdentities,
    _facts,
    _fold_case,
    aliases_and_roles,
)
from saidwho.store.views import SpeakerSummary

SEP = "|"  # rep id = group + SEP + slice hash (never in a group key's hash part)

Slice = dict[str, Any]  # {"c": counts, "x": context, "r": roles, "m": mentions}


def surname_group(surname: str) -> str:
    words = surname.casefold().split()
    return "s:" + (words[-1] if words else "")


def group_of(name: str) -> str:
    """The group a speaker name (as folded in its article) is resolved in."""
    info = _facts(name).info
    if info.kind == "person":
        return surname_group(info.last)
    return f"{info.kind}:{info.key}"


def slices(art: ArticleSpeakers) -> dict[str, Slice]:
    """One article's speakers cut by group (its names folded first, as resolution does)."""
    art = _fold_case(art)
    out: dict[str, Slice] = {}

    def part(group: str) -> Slice:
        return out.setdefault(group, {"c": {}, "x": {}, "r": {}, "m": {}})

    for name, n in art.counts.items():
        mine = part(group_of(name))
        mine["c"][name] = n
        roles = list(art.roles.get(name, ()))
        if roles:
            mine["r"][name] = roles
        mentions = list(art.mentions.get(name, ()))
        if mentions:
            mine["m"][name] = mentions
    for surname, found in art.context.items():
        part(surname_group(surname))["x"][surname] = dict(found)
    return out


def slice_hash(piece: Slice) -> str:
    raw = json.dumps(piece, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def rep_id(group: str, digest: str) -> str:
    return f"{group}{SEP}{digest}"


def rep_speakers(rid: str, piece: Slice, times: int) -> ArticleSpeakers:
    """A rep as one article, its counts multiplied by the articles that share it."""
    return ArticleSpeakers(
        rid,
        {name: n * times for name, n in piece["c"].items()},
        {s: {k: v * times for k, v in found.items()} for s, found in piece["x"].items()},
        piece["r"],
        piece["m"],
    )


@dataclass
class Group:
    """One group: its reps (slice hash -> slice) and how many articles have each. (An
    article has one slice per group, so a group's identities' article counts add up.)"""

    reps: dict[str, Slice] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # hash -> articles having it

    def to_json(self) -> dict[str, Any]:
        return {h: {"s": self.reps[h], "k": self.counts[h]} for h in sorted(self.reps)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Group:
        group = cls()
        for h, rep in data.items():
            if not (isinstance(rep["s"], dict) and isinstance(rep["k"], int) and rep["k"] > 0):
                raise ValueError(f"rep {h} of the wrong shape")
            group.reps[h] = rep["s"]
            group.counts[h] = rep["k"]
        return group

    def add(self, digest: str, piece: Slice, times: int = 1) -> None:
        self.reps.setdefault(digest, piece)
        self.counts[digest] = self.counts.get(digest, 0) + times

    def drop(self, digest: str) -> None:
        left = self.counts.get(digest, 0) - 1
        if left > 0:
            self.counts[digest] = left
        else:
            self.counts.pop(digest, None)
            self.reps.pop(digest, None)


def resolve(groups: Mapping[str, Group]) -> MachineIdentities:
    """The machine's identities of these groups, on their reps (units are (rep id, name))."""
    arts = [
        rep_speakers(rep_id(name, h), piece, group.counts[h])
        for name, group in groups.items()
        for h, piece in group.reps.items()
    ]
    machine = MachineIdentities()
    return machine.updated(machine.changes(arts))


def rep_counts(groups: Mapping[str, Group]) -> dict[str, int]:
    """Rep id -> how many articles share it."""
    return {rep_id(g, h): k for g, group in groups.items() for h, k in group.counts.items()}


def summary(
    ident: Identity,
    machine: MachineIdentities,
    counts: Mapping[str, int],
    articles: Callable[[set[str]], int] | None = None,
) -> SpeakerSummary:
    """``Identities._summary`` of an identity made of reps: quotes are already multiplied,
    roles count once per article. Its articles: the reps' counts added up when its reps
    are of one group (an article has one rep per group), else ``articles(rep ids)``."""
    names = machine.names
    name = ident.name()
    spellings: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    reps: set[str] = set()
    for unit, n in ident.units.items():
        nm = names[unit]
        times = counts[unit[0]]
        spellings[nm.spelling] += n
        for mention in nm.mentions:
            spellings[mention] += 0
        for role in nm.roles:
            roles[role] += times
        reps.add(unit[0])
    if articles is not None and len({r.rsplit(SEP, 1)[0] for r in reps}) > 1:
        in_articles = articles(reps)
    else:
        in_articles = sum(counts[r] for r in reps)
    aliases, top = aliases_and_roles(name, spellings, roles)
    return SpeakerSummary(
        speaker=name,
        quotes=ident.quotes(),
        articles=in_articles,
        aliases=aliases,
        kind=ident.kind,
        roles=top,
    )


def order(summaries: Iterable[SpeakerSummary]) -> list[SpeakerSummary]:
    """Most quoted first, as ``Identities.summaries``."""
    return sorted(
        summaries, key=lambda s: (-s.quotes, -s.articles, s.speaker.casefold(), s.speaker, s.kind)
    )


@dataclass(frozen=True)
class Resolved:
    """A group resolved: each rep's names' identity keys and each identity's summary."""

    keys: dict[str, dict[str, str]]  # slice hash -> casefolded name -> identity key
    summaries: dict[str, SpeakerSummary]  # identity key -> summary
    forms: tuple[str, ...] = ()  # what a look-up may match: names and spellings, casefolded

    def to_json(self) -> dict[str, Any]:
        return {
            "keys": self.keys,
            "ids": {k: s.to_json() for k, s in sorted(self.summaries.items())},
            "forms": list(self.forms),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Resolved:
        summaries = {}
        for key, s in data["ids"].items():
            summaries[key] = SpeakerSummary(
                speaker=s["speaker"],
                quotes=int(s["quotes"]),
                articles=int(s["articles"]),
                aliases=tuple(s["aliases"]),
                kind=s["kind"],
                roles=tuple(s["roles"]),
            )
        forms = data["forms"]
        if not isinstance(forms, list):
            raise ValueError("forms of the wrong shape")
        return cls({h: dict(names) for h, names in data["keys"].items()}, summaries, tuple(forms))


def resolve_group(name: str, group: Group) -> Resolved:
    machine = resolve({name: group})
    counts = rep_counts({name: group})
    keys: dict[str, dict[str, str]] = {}
    for (rid, cf), key in machine.key_of.items():
        keys.setdefault(rid.rsplit(SEP, 1)[1], {})[cf] = key
    summaries = {
        key: summary(ident, machine, counts) for key, ident in machine.by_key.items() if ident.units
    }
    forms = {f for ident in machine.by_key.values() for f in ident.written}
    forms |= {ident.name().casefold() for ident in machine.by_key.values() if ident.units}
    return Resolved(keys, summaries, tuple(sorted(forms)))


def groups_named(name: str) -> set[str]:
    """The groups an identity called ``name`` (or with it as an alias) can be in: where
    the name itself, typed in any case, would be resolved."""
    out = set()
    for form in {name, string.capwords(name)}:
        info = analyse(form)
        if info.kind == "person":
            out.add(surname_group(info.last))
            out.add(surname_group(info.name))
        out.add(f"{info.kind}:{info.key}")
        out.add(group_of(form))
    return out


def decision_names(decisions: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every name a reviewer's decision looks up."""
    out: set[str] = set()
    for d in decisions:
        for field_ in ("name", "into", "new", "alias"):
            value = d.get(field_)
            if isinstance(value, str):
                out.add(value)
        names = d.get("names")
        if isinstance(names, (list, tuple)):
            out.update(n for n in names if isinstance(n, str))
    return out
