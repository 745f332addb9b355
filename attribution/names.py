"""Name analysis: a speaker string -> what kind of source it is and the name inside it.

A pure function on strings (no spaCy, no I/O beyond the package's word lists), shared by
attribution (trimming clause-like speaker names) and the store (speaker identities):

    analyse("Republican nominee Donald J. Trump")
    -> NameInfo(name="Donald Trump", kind="person", role="Republican nominee",
                first="Donald", middle="J.", last="Trump", key="donald trump", ...)

Kinds: ``person`` (a personal name), ``organization`` ("The Washington Post", "FBI"),
``group`` ("Democrats", "several employees", "voters") and ``unnamed`` ("a spokesman",
"officials", a bare title, the transcript labels "A"/"Q", anything that is not a name).

Why nameparser: splitting a personal name into first, middle, last and suffix is the part
with the long tail (initials "J.K.", suffixes "Jr."/"III", particles "de la", conjoined
titles), and nameparser (maintained, pure Python, no model, already in the lock) does it
well once it is handed only the name. It does not know what is *not* a name: it reads
"Republican nominee Donald Trump" as first name "Republican", and a lowercase noun phrase as
a person. So this module first cuts the string to its trailing run of name-like words
(relative clauses and appositives off, titles and role words kept as the role, common
nouns and organisations recognised from word lists) and only then asks nameparser.

Word lists: titles, organisation heads and first names come from ``attribution.lexicon``
(the attribution engineer's data files); the lists only names need live beside them in
``attribution/data/``: group_nouns.txt, unnamed_nouns.txt, quantifiers.txt, org_words.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from nameparser import HumanName

from saidwho.attribution.lexicon import ORG_HEADS, is_title

KINDS = ("person", "organization", "group", "unnamed")


@cache
def _data(name: str) -> frozenset[str]:
    text = files(__package__).joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    items = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(item for item in items if item)


def _plural_base(word: str) -> str:
    """'officials' -> 'official', 'spokespeople' kept; crude, for list look-ups only."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# Honorifics fold away without being a role; other titles ("President", "Sen.") are kept
# as the role as well.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "messrs"})
_DETERMINERS = frozenset({"a", "an", "the", "one", "another", "this", "that", "his", "her"})
_RELATIVE = re.compile(
    r",?\s+(?:who|whom|whose|which|where|when|while|because|after|before)\b.*$", re.S
)
_APPOSITIVE = re.compile(r"\s*(?:,|\(|—|–| - |;|:)\s*")
_TRANSCRIPT = re.compile(r"[AQ][.:]?|Q\s*(?:&|and)\s*A", re.I)
_NAME_WORD = re.compile(r"[A-Z][\w.'’-]*|[A-Z]\.|(?:de|da|del|della|van|von|der|la|le|bin|al)")
_CONJUNCTIONS = frozenset({"and", "&", "or", "nor"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_CLAUSE_WORDS = frozenset(
    {"who", "whom", "whose", "which", "that", "said", "says", "is", "was", "has", "had"}
)


@dataclass(frozen=True)
class NameInfo:
    """What a speaker string names. ``name`` is the canonical form within the kind: for a
    person "First Last[ Suffix]" (titles, honorifics and middle names folded), or only
    "Last" when no first name was given."""

    text: str  # the input, whitespace normalised
    name: str
    kind: str  # one of KINDS
    role: str | None = None  # title/role words and appositives trimmed off ("U.S. Ambassador")
    title: str = ""  # the title or honorific before the name ("Mr.", "President")
    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""
    written: str = ""  # the name as written, with the one title word before it ("Mr. Trump")

    @property
    def key(self) -> str:
        """Compare names by this: a person by first + last (+ suffix), casefolded."""
        if self.kind == "person":
            parts = [self.first, self.last, self.suffix.rstrip(".")]
            return " ".join(p for p in parts if p).replace(".", "").casefold()
        words = self.name.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        return " ".join(words).casefold()

    @property
    def surname_only(self) -> bool:
        return self.kind == "person" and not self.first

    @property
    def named(self) -> bool:
        """A person or organisation: someone the reader could look up by name."""
        return self.kind in ("person", "organization")


def _clean(text: str) -> str:
    text = " ".join(str(text).split()).strip(" \"'“”‘’,;:-—–")
    last = text.rsplit(" ", 1)[-1]
    if text.endswith(".") and len(last) > 4:  # a sentence's full stop, not "Jr." or "J."
        text = text[:-1]
    return text


def _role_of(parts: list[str]) -> str | None:
    role = " ".join(p for p in parts if p.lower().rstrip(".") not in _HONORIFICS).strip(" ,")
    return role or None


# titles a person is addressed by ("President Trump", "Sen. Sanders"), kept in an alias
_ADDRESS = frozenset(
    {"president", "senator", "governor", "speaker", "ambassador", "director", "mayor",
     "judge", "secretary", "leader", "chairman", "chairwoman", "general", "pope", "king",
     "queen", "prince", "princess", "rabbi", "father", "professor", "justice"}
)  # fmt: skip


def _address(word: str) -> bool:
    w = word.lower().rstrip(".")
    if not word[:1].isupper() or not is_title(word):
        return False
    return w in _HONORIFICS or w in _ADDRESS or (word.endswith(".") and len(w) <= 5)


def _is_name_word(word: str) -> bool:
    return bool(_NAME_WORD.fullmatch(word)) and not is_title(word)


def _org_word(word: str) -> bool:
    w = word.lower().rstrip(".")
    if w in _data("unnamed_nouns") or _plural_base(w) in _data("unnamed_nouns"):
        return False  # "Clinton spokesman" is a person's role, not an organisation
    return w in _data("org_words") or w in ORG_HEADS


def _acronym(word: str) -> bool:
    bare = word.replace(".", "").replace("&", "")
    return len(bare) >= 2 and bare.isupper() and bare.isalpha() and len(word) <= 8


def _common(words: list[str], text: str, role: str | None) -> NameInfo:
    """A phrase whose head is a common noun: a group or an unnamed source."""
    lowered = [w.lower().strip(".,") for w in words]
    bases = [_plural_base(w) for w in lowered]
    name = " ".join(words)
    content = [w for w in words if w.lower() not in _DETERMINERS]
    if content and content[0][:1].isupper() and _org_word(lowered[-1]):
        org = " ".join(w for w in words if w.lower() != "the")
        return NameInfo(text, org, "organization", role)
    if any(w in _data("unnamed_nouns") for w in lowered + bases):
        return NameInfo(text, name, "unnamed", role)
    plural = bool(lowered) and _plural_base(lowered[-1]) != lowered[-1]
    grouped = any(w in _data("group_nouns") for w in lowered) or (
        lowered and lowered[0] in _data("quantifiers")
    )
    return NameInfo(text, name, "group" if grouped or plural else "unnamed", role)


@lru_cache(maxsize=65536)
def analyse(text: str) -> NameInfo:
    """What ``text`` (a speaker name or mention as attribution found it) names."""
    raw = " ".join(str(text or "").split())
    cleaned = _clean(raw)
    if not cleaned or _TRANSCRIPT.fullmatch(cleaned):
        return NameInfo(raw, cleaned, "unnamed")
    # a relative clause is dropped; an appositive after a comma or dash is the role
    head = _RELATIVE.sub("", cleaned).strip(" ,")
    pieces = [p for p in _APPOSITIVE.split(head, maxsplit=1) if p]
    head = pieces[0] if pieces else head
    appositive = _clean(pieces[1].rstrip(")")) if len(pieces) > 1 else ""
    phrase = head.split()
    words = list(phrase)
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words:
        return NameInfo(raw, cleaned, "unnamed")
    listed = appositive.split()
    if any(w.lower() in _CONJUNCTIONS for w in words[1:]) or (
        listed
        and listed[0][:1].isupper()
        and not is_title(listed[0])
        and any(w.lower() in _CONJUNCTIONS for w in listed)
    ):
        # "Ryan and Trump", "Trump, Ryan and Priebus": several speakers, no one name
        return NameInfo(raw, head if not listed else f"{head}, {appositive}", "group")
    # the trailing run of name-like words is the name; what precedes it is title or role
    run_start = len(words)
    while run_start > 0 and (
        _is_name_word(words[run_start - 1]) or words[run_start - 1].lower() in _SUFFIXES
    ):
        run_start -= 1
    prefix, run = words[:run_start], words[run_start:]
    while run and run[0].islower():  # a particle ("de") cannot start a name
        prefix, run = prefix + run[:1], run[1:]
    while prefix and prefix[-1].lower() in ("of", "for") and len(run) >= 3:
        prefix, run = prefix + run[:1], run[1:]  # "Secretary of State Hillary Clinton"
    extra = [appositive] if appositive else []
    if not run:
        # no name at all: "the president", "officials", "several employees"
        return _common(phrase, raw, _role_of(extra) if extra else None)
    if any(w[:1].islower() and w.lower() not in _DETERMINERS for w in prefix) and not any(
        is_title(w) or w[:1].isupper() for w in prefix
    ):
        # lowercase words with no title before a capitalised tail are a common noun
        # phrase that happens to end in a name-like word ("people in Ohio")
        return _common(phrase, raw, None)
    if prefix and prefix[-1].lower() == "of" and any(_org_word(w) for w in prefix):
        # "Bank of America", "Department of Justice": the whole phrase names the body
        return NameInfo(raw, " ".join(words), "organization")
    role = _role_of(prefix + extra)
    title = " ".join(w for w in prefix if is_title(w) or w.lower().rstrip(".") in _HONORIFICS)
    joined = " ".join(run)
    if len(run) > 1 and all(w.isupper() for w in run) and not any(_org_word(w) for w in run):
        return analyse(" ".join(prefix + [w.title() for w in run]))  # "ANA RUIZ": shouting
    if any(_org_word(w) for w in run) or (len(run) == 1 and _acronym(run[0])):
        if phrase[0] == "The":  # "The Washington Post" is the paper's own name
            joined = f"The {joined}"
        return NameInfo(raw, joined, "organization", role, title)
    if len(run) == 1 and run[0].lower() in _data("organisations"):
        return NameInfo(raw, joined, "organization", role, title)  # "Axios", "Reuters"
    if len(run) == 1 and run[0].lower() in _data("group_nouns"):
        return NameInfo(raw, joined, "group", role)
    if len(run) > 5 or (len(run) == 1 and len(run[0].rstrip(".")) < 2):
        return NameInfo(raw, joined, "unnamed", role, title)
    before = prefix[-1:] if prefix and _address(prefix[-1]) else []
    written = " ".join(before + run)
    if len(run) == 1:
        return NameInfo(raw, run[0], "person", role, title, last=run[0], written=written)
    parsed = HumanName(joined)
    first, middle, last, suffix = parsed.first, parsed.middle, parsed.last, parsed.suffix
    if parsed.title and not title:
        title = parsed.title
    if not last:  # nameparser put a lone word in "first"
        first, last = "", first
    name = " ".join(p for p in (first, last, suffix) if p)
    return NameInfo(raw, name, "person", role, title, first, middle, last, suffix, written)


def is_lowercase(name: str) -> bool:
    """A speaker shown as a lowercase phrase ("people", "report")."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and letters[0].islower()


def is_clause_like(name: str) -> bool:
    """A speaker name that holds a clause or an appositive rather than a name."""
    words = name.split()
    if any(c in name for c in ",;()—–") or len(words) > 5:
        return True
    return any(w.lower() in _CLAUSE_WORDS for w in words[1:])
