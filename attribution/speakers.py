"""Speaker mentions and canonical speakers within one article.

"U.S. Ambassador to Israel Mike Huckabee" -> speaker "Mike Huckabee", role "U.S.
Ambassador to Israel"; a later "Huckabee", "the ambassador" or "he" -> "Mike Huckabee".
Organisations and offices stay as written ("Netanyahu’s office", "The Washington Post").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter, itemgetter

from spacy.tokens import Doc, Span, Token

from .lexicon import (
    ABSTRACT_SOURCES,
    CALENDAR_WORDS,
    DOCUMENT_NOUNS,
    EVIDENCE_NOUNS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    GENERIC_ORG_NOUNS,
    ISSUING_VERBS,
    MALE_NAMES,
    MALE_WORDS,
    MEDIUM_NOUNS,
    NON_SPEAKERS,
    ORG_HEADS,
    PEOPLE_NOUNS,
    POLL_NOUNS,
    PRONOUN_GENDER,
    SHARE_NOUNS,
    SOURCE_NOUNS,
    SUBORDINATE_TITLES,
    TITLES,
    is_title,
    word_list,
)

ORG_ENTS = frozenset({"ORG", "NORP", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "LOC"})
_LEFT_DEPS = frozenset({"det", "compound", "amod", "poss", "nmod", "case", "nummod", "prep",
                        "pobj", "punct", "cc", "conj", "advmod", "quantmod", "npadvmod",
                        "nsubj", "appos"})  # fmt: skip
_RIGHT_DEPS = frozenset({"compound", "case", "nmod", "poss", "flat"})
_OF_PREPS = frozenset({"for", "of", "at", "to", "from", "with"})
_ARTICLES = frozenset({"the", "a", "an"})
_WH_OBJECTS = frozenset({"what", "whatever", "whom"})
_LEAD_CUES = frozenset({"said", "says", "added", "adds", "asked", "asks", "wrote", "writes"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_NOT_ROLE = frozenset({"u.s.", "us", "former", "american", "late", "acting", "interim"})


@dataclass(frozen=True)
class Speaker:
    name: str | None  # canonical; None when only the mention ("he", "they") is known
    start: int  # the mention in the text
    end: int
    role: str | None = None
    kind: str = "name"  # name | org | pronoun | role
    distance: int = 0  # sentences back to the antecedent (pronouns, roles)


@dataclass
class _Person:
    at: int  # token index of the mention
    name: str
    gender: str  # m | f | ?
    subject: bool


KNOWN_ORGANISATIONS = frozenset(word_list("organisations"))
KIN_NOUNS = frozenset(word_list("kin_nouns"))
INSTITUTION_WORDS = frozenset(word_list("institution_words"))
_AT = attrgetter("at")  # bisect the mentions by token index without a list of them


@dataclass
class SpeakerRegistry:
    """People named in the article: surname -> full name, role word -> person, mentions."""

    doc: Doc
    unit_of: list[int]
    by_last: dict[str, str] = field(default_factory=dict)
    # lowercase surname -> (token index, full name) of every full name with it, in order:
    # "Bill Clinton" and "Hillary Clinton" in one article; a bare "Clinton" is the one
    # named last before it
    by_last_at: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # lowercase first name -> the full names the article gives it ("Hillary" is "Hillary
    # Clinton" when she is the only Hillary named in full)
    by_first: dict[str, set[str]] = field(default_factory=dict)
    # lowercase role word -> (token index, name) of each person named with it, in order
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    mentions: list[_Person] = field(default_factory=list)  # sorted by token index
    ent_at: dict[int, Span] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)  # head word -> organisation
    places: set[str] = field(default_factory=set)
    # [opening mark, closing mark) of every quotation, sorted: set by extract_quotes
    quoted: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""  # doc.text, once: spaCy rebuilds it from every token on each access
    chained: bool = False  # whether subject pronouns and roles joined the mentions

    def _before_quote(self, pronoun: Token) -> int:
        """Where the context of "“...,” he said" lies: the token that opens the quotation
        just before the pronoun (however many sentences it holds), else the pronoun."""
        k = bisect_right(self.quoted, (pronoun.idx, 1 << 62)) - 1
        if k >= 0 and self.quoted[k][1] <= pronoun.idx <= self.quoted[k][1] + 4:
            opener = bisect_right(self._starts, self.quoted[k][0]) - 1
            return max(0, opener)
        return pronoun.i

    @property
    def _starts(self) -> list[int]:
        if self.__dict__.get("_token_starts") is None:
            self.__dict__["_token_starts"] = [t.idx for t in self.doc]
        return self.__dict__["_token_starts"]

    def quote_at(self, char: int) -> int | None:
        """Index of the quotation holding ``char``, or None outside quotes."""
        k = bisect_right(self.quoted, (char, 1 << 62)) - 1
        if k >= 0 and self.quoted[k][0] < char < self.quoted[k][1]:
            return k
        return None

    @classmethod
    def build(
        cls,
        doc: Doc,
        unit_of: list[int],
        text: str | None = None,
        aside: Sequence[tuple[int, int]] = (),
    ) -> SpeakerRegistry:
        """``aside``: char spans whose names are no one's antecedent (link lines to other
        stories: "READ MORE: What we know about X's plot" does not bring X into the story)."""
        reg = cls(doc, unit_of, text=doc.text if text is None else text)

        def set_aside(char: int) -> bool:
            return any(s <= char < e for s, e in aside)

        persons: list[Span] = []
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                reg.ent_at[i] = ent
            if ent.label_ == "PERSON":
                persons.append(ent)
            elif ent.label_ in ("GPE", "LOC", "NORP") and len(ent) == 1:
                reg.places.add(ent.text.lower())
        # full names first so "Trump" before "Donald Trump" still resolves
        for ent in persons:
            name = clean_name(list(ent))
            if len(name.split()) >= 2:
                reg._learn(name, ent)
                reg._named_at(name, ent.start)
        for ent in persons:
            before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
            name = reg.canonical(clean_name(list(ent)), ent.start, _honorific_gender(before))
            for word in _title_words_before(ent) + _appos_title_words(ent):
                reg._titled(word, ent.start, name)  # "U.S. Ambassador to Canada Jane Smith"
            if name and not set_aside(ent.start_char):
                head = ent.root
                reg.mentions.append(
                    _Person(ent.end - 1, name, reg._gender_of(name, ent),
                            main_subject(head))
                )  # fmt: skip
        # once the article has named "Ava DuVernay", a bare "DuVernay" is her whatever
        # label the NER gives it this time (ORG, GPE, none)
        for tok in doc:
            if tok.dep_ == "compound" or tok.ent_type_ == "PERSON" or not reg.known_surname(tok):
                continue  # a PERSON entity is a mention already
            if set_aside(tok.idx):
                continue
            name = reg.canonical(tok.text, tok.i)
            reg.mentions.append(_Person(tok.i, name, reg._gender_of(name), main_subject(tok)))
        reg.mentions.sort(key=lambda p: p.at)
        return reg

    def known_surname(self, tok: Token) -> bool:
        """A lone proper name that is the surname of a person the article named in full."""
        ent = self.ent_at.get(tok.i)
        return (
            tok.pos_ == "PROPN"
            and tok.lower_ in self.by_last
            and (ent is None or ent.label_ == "PERSON" or len(ent) == 1)
        )

    def _learn(self, name: str, ent: Span | list[Token] | None = None, role: str = "") -> None:
        words = name.split()
        if len(words) >= 2:
            self.by_last.setdefault(words[-1].lower(), name)
            self.by_first.setdefault(words[0].lower(), set()).add(self.by_last[words[-1].lower()])
        g = self._gender_of(name, ent, role)
        if g != "?":
            self.gender.setdefault(name, g)

    def _gender_of(self, name: str, ent: Span | list[Token] | None = None, role: str = "") -> str:
        if name in self.gender:
            return self.gender[name]
        first = name.split()[0].lower() if name.split() else ""
        if first in MALE_NAMES:
            return "m"
        if first in FEMALE_NAMES:
            return "f"
        context = role.lower().split()
        if ent is not None:
            tokens = list(ent)
            if tokens and tokens[0].i > 0:
                context.append(self.doc[tokens[0].i - 1].lower_)
        if any(w in MALE_WORDS for w in context):
            return "m"
        if any(w in FEMALE_WORDS for w in context):
            return "f"
        return "?"

    def add_person(
        self, name: str, at: int, role: str | None, subject: bool, want: str = "?"
    ) -> str:
        canon = self.canonical(name, at, want)
        self._learn(canon, None, role or "")
        if len(canon.split()) >= 2:
            self._named_at(canon, at)
        if role:
            words = role.lower().split()
            for before, word in zip(["", *words], words, strict=False):
                if is_title(word) and word not in _NOT_ROLE:
                    # "Vice President" is the role "vice president", not "president"
                    key = f"{before} {word}" if before in SUBORDINATE_TITLES else word
                    self._titled(key, at, canon)
        g = self._gender_of(canon, None, role or "")
        pos = bisect_left(self.mentions, at, key=_AT)
        self.mentions.insert(pos, _Person(at, canon, g, subject))
        return canon

    def _titled(self, word: str, at: int, name: str) -> None:
        entries = self.roles.setdefault(word, [])
        if (at, name) not in entries:
            insort(entries, (at, name))

    def role_at(self, word: str, at: int) -> str | None:
        """The person "the <word>" at token ``at`` stands for: the last one the article
        named with that title before it (or, before any, the first named after it: a
        lead that names the person further down), not whoever the article names last."""
        entries = self.roles.get(word)
        if not entries:
            return None
        k = bisect_right(entries, at, key=itemgetter(0))
        return entries[k - 1][1] if k else entries[0][1]

    def _named_at(self, name: str, at: int) -> None:
        entries = self.by_last_at.setdefault(name.split()[-1].lower(), [])
        if (at, name) not in entries:
            insort(entries, (at, name))

    def canonical(self, name: str, at: int | None = None, want: str = "?") -> str:
        """The fullest form of a person's name in the article ("Trump" -> "Donald Trump",
        "Hillary" -> "Hillary Clinton" when she is the only Hillary it names in full); given
        the token index ``at``, a surname two people share is the one named last before it."""
        words = name.split()
        if not words:
            return name
        full = self.by_last.get(words[-1].lower())
        entries = self.by_last_at.get(words[-1].lower(), [])
        if at is not None and len({n for _, n in entries}) > 1:
            # "Mr. Clinton" is the man of the two, whoever was named last
            fits = [e for e in entries if want == "?" or self.gender.get(e[1], "?") in ("?", want)]
            k = bisect_right(fits, at, key=itemgetter(0))
            full = fits[k - 1][1] if k else (fits[0][1] if fits else full)
        if full is None:
            firsts = self.by_first.get(words[0].lower(), set()) if len(words) == 1 else set()
            return next(iter(firsts)) if len(firsts) == 1 else name
        if len(words) == 1 or full.split()[0].lower() == words[0].lower():
            return full
        return name

    def antecedent(self, pronoun: Token) -> tuple[str, int] | None:
        """The person a "he"/"she" most likely refers to: the latest compatible person,
        preferring one in subject position in the last two sentences."""
        if not self.chained:
            self._chain()
        want = PRONOUN_GENDER.get(pronoun.lower_, "?")
        unit = self.unit_of[self._before_quote(pronoun)]
        pos = bisect_left(self.mentions, pronoun.i, key=_AT)
        fallback: _Person | None = None
        subject: _Person | None = None
        weak: _Person | None = None
        own_quote = self.quote_at(pronoun.idx)
        said_before = _content_before(pronoun)
        for p in reversed(self.mentions[max(0, pos - 40) : pos]):
            if want != "?" and p.gender not in ("?", want):
                continue
            if said_before[0] <= p.at < said_before[1]:
                continue  # "... compared with Mr. Trump, he said": Trump is in what he said
            at_char = self.doc[p.at].idx
            if self.quote_at(at_char) not in (None, own_quote):
                continue  # a person named inside someone's quote is not the one speaking
            if _in_participle_adjunct(self.doc[p.at]):
                # "Asked about Clinton's chances, she said": the question's topic, not the
                # one who answers it -- only when no one else fits
                weak = weak or p
                continue
            if unit - self.unit_of[p.at] > 6:
                break
            if fallback is None:
                fallback = p
            if p.subject and unit - self.unit_of[p.at] <= 2:
                if fallback is not p and self.unit_of[fallback.at] == unit != self.unit_of[p.at]:
                    break  # "For Morgan Lee, ... she turned 25": named in her own sentence
                return p.name, p.at
            if p.subject and subject is None:
                subject = p  # the sentence's subject, not the nearest name in an object
        if (
            subject is not None
            and fallback is not None
            and self.unit_of[subject.at] == self.unit_of[fallback.at]
        ):
            fallback = subject  # same sentence: its subject, not a name in its object
        fallback = fallback or weak
        if fallback is None:
            return None
        return fallback.name, fallback.at

    def sole_person_before(self, at: int, units: int = 2) -> str | None:
        """The person the last ``units`` sentences before token ``at`` are about: the
        latest person mentioned and the latest subject are the same one, and no one else is
        named in between."""
        if not self.chained:
            self._chain()  # the same mentions whichever look-up comes first
        pos = bisect_left(self.mentions, at, key=_AT)
        unit = self.unit_of[at]
        names: list[str] = []
        subject: str | None = None
        for p in reversed(self.mentions[max(0, pos - 20) : pos]):
            if unit - self.unit_of[p.at] > units:
                break
            if self.quote_at(self.doc[p.at].idx) is not None:
                continue
            names.append(p.name)
            if p.subject:
                subject = p.name
                break
        if subject is None or set(names) != {subject}:
            return None
        return subject

    def _chain(self) -> None:
        """The person each subject "he"/"she" and "the <role>" outside quotes stands for,
        in article order, joins the mentions: "The actress said ... She appeared to imply
        that ... Clinton ... “...,” she said" keeps to the actress, the subject a reader
        follows, not the last woman named in an object."""
        self.chained = True
        for tok in self.doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or self.quote_at(tok.idx) is not None:
                continue
            name: str | None = None
            gender = PRONOUN_GENDER.get(tok.lower_)
            if gender is not None:
                found = self.antecedent(tok)
                name = found[0] if found else None
            elif tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
                name = self.role_at(role_key(tok), tok.i)
                gender = self._gender_of(name) if name else None
            if name is not None:
                pos = bisect_left(self.mentions, tok.i, key=_AT)
                self.mentions.insert(pos, _Person(tok.i, name, gender or "?", True))


def _content_before(pronoun: Token) -> tuple[int, int]:
    """The words a pronoun's cue reports when they come before it ("The slogan feels
    bloodless compared with Mr. Trump, he said"): the clause the cue hangs on its left."""
    verb = pronoun.head
    if pronoun.dep_ != "nsubj" or verb.i <= pronoun.i:
        return (0, 0)
    said = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < pronoun.i), None)
    if said is None:
        return (0, 0)
    lo, hi = said.left_edge.i, said.right_edge.i + 1
    if any(t.is_quote for t in pronoun.doc[lo:hi]):
        return (0, 0)  # a quotation: its names are set aside already, and the parse of
        # what leads to it ("McCaskill scolded him: “...,” she said") is no content
    return (lo, hi)


def _in_participle_adjunct(name: Token) -> bool:
    """``name`` sits in a participle clause without a subject of its own that opens its
    sentence's clause ("Asked about X, she replied"; "Speaking of X, he said"): its
    understood subject is the clause's subject, and X is only talked about."""
    for anc in name.ancestors:
        if (
            anc.dep_ == "advcl"
            and anc.tag_ in ("VBN", "VBG")
            and anc.i < anc.head.i
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in anc.children)
        ):
            return True
    return False


def _honorific_gender(words: str) -> str:
    """ "m" after "Mr.", "f" after "Mrs."/"Ms.", else "?"."""
    said = words.split()
    if any(w in MALE_WORDS for w in said[-1:]):
        return "m"
    if any(w in FEMALE_WORDS for w in said[-1:]):
        return "f"
    return "?"


def main_subject(tok: Token) -> bool:
    """The subject of a main clause ("Sanders went further in trying to hold Snyder
    accountable": Sanders, not Snyder, whom a "he" next is most likely about)."""
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "ROOT":
        return True
    # a clause before the root ("Manafort went further: he said ..."), not one after a
    # reporting verb ("said that Mr. Trump wanted ..."): reported content
    return verb.dep_ in ("ccomp", "parataxis") and verb.head.dep_ == "ROOT" and verb.i < verb.head.i


def _title_words_before(ent: Span) -> list[str]:
    doc = ent.doc
    words = []
    for k in range(ent.start - 1, max(-1, ent.start - 7), -1):
        tok = doc[k]
        if tok.is_punct or tok.pos_ in ("VERB", "AUX") or tok.is_space:
            break
        if tok.dep_ == "cc" or tok.ent_type_ == "PERSON":
            break  # "Vice President Joe Biden and Colin Powell": Biden's title, not Powell's
        if is_title(tok.text) and tok.lower_ not in _NOT_ROLE:
            words.append(role_key(tok))
        elif tok.lower_ in KIN_NOUNS and k == ent.start - 1:
            words.append(tok.lower_)  # "his brother Alastair Osman"
    if ent.start >= 2 and doc[ent.start - 1].text == "," and doc[ent.start - 2].lower_ in KIN_NOUNS:
        words.append(doc[ent.start - 2].lower_)  # "her husband, John Lee,"
    return words


def role_key(tok: Token) -> str:
    """The role a title word names: a "Vice" or a "Deputy" before it makes it another
    office ("Vice President" -> "vice president", never "the president")."""
    before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    return f"{before} {tok.lower_}" if before in SUBORDINATE_TITLES else tok.lower_


def _appos_title_words(ent: Span) -> list[str]:
    """Jane Smith, the party's nominee: the apposition's title words name her too; so does
    its head when it describes a person ("Tom Baker, a Republican" -> "the Republican")."""
    words: list[str] = []
    for child in ent.root.rights:
        if child.dep_ == "appos" and child.lower_ in PEOPLE_NOUNS | TITLES:
            words.append(role_key(child))
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words.extend(
                role_key(t) for t in child.subtree
                if (is_title(t.text) or t.lower_ in PEOPLE_NOUNS)
                and t.lower_ not in _NOT_ROLE
                and t.i <= child.i
            )  # fmt: skip
    return words


def clean_name(tokens: list[Token]) -> str:
    """A name without titles, possessive marks or surrounding punctuation."""
    tokens = [t for t in tokens if (not t.is_punct or _inner_hyphen(t)) and t.dep_ != "case"]
    while tokens and (
        is_title(tokens[0].text) or tokens[0].lower_ in _ARTICLES or tokens[0].lower_ in _LEAD_CUES
    ):
        tokens = tokens[1:]  # "Said Ellis": the NER takes an inverted cue into the name
    while tokens and tokens[-1].lower_ in _POSSESSIVE:
        tokens = tokens[:-1]
    if len(tokens) >= 2 and tokens[-1].lower_ in _LEAD_CUES - {"said"}:
        tokens = tokens[:-1]  # a headline's "Obama Says ...": the cue is no part of the name
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    out = ""
    for k, t in enumerate(tokens):
        joined = k + 1 < len(tokens) and tokens[k + 1].i == t.i + 1 and not t.whitespace_
        out += t.text + ("" if joined else " ")
    return out.replace("'", "’").strip()


def _inner_hyphen(tok: Token) -> bool:
    """The hyphen of a double-barrelled name ("Wilson-Raybould"), written without spaces."""
    doc = tok.doc
    return (
        tok.text in ("-", "‐", "‑")
        and not tok.whitespace_
        and 0 < tok.i < len(doc) - 1
        and not doc[tok.i - 1].whitespace_
    )


def mention_tokens(head: Token) -> list[Token]:
    """The noun phrase a subject token heads, without relative clauses, appositions or
    trailing prepositional phrases ("Trump in a post on Truth Social" -> "Trump")."""
    keep: list[Token] = [head]
    for child in head.lefts:
        if child.dep_ in _LEFT_DEPS:
            keep.extend(child.subtree)
    for child in head.rights:
        if child.dep_ in _RIGHT_DEPS:
            keep.extend(child.subtree)
        elif child.dep_ == "prep" and head.pos_ != "PROPN" and child.lower_ in _OF_PREPS:
            keep.extend(_phrase(child))  # "a spokesman for the ministry"
        elif child.dep_ == "prep" and _inside_name(head, child):
            keep.extend(_phrase(child))  # "The Riverside Chamber of Commerce": one name
        else:
            break
    # a second subject right before this one is usually the title the parser split off:
    # "U.S. Ambassador to Israel" + "Mike Huckabee"
    verb = head.head
    doc = head.doc
    lo = head.left_edge.i
    for sib in verb.lefts:
        if sib.dep_ != "nsubj" or sib.i == head.i:
            continue
        if sib.right_edge.i == lo - 1:
            keep.extend(sib.subtree)
        elif sib.right_edge.i == lo - 2 and _inner_hyphen(doc[lo - 1]):
            keep.extend([*sib.subtree, doc[lo - 1]])  # "Wilson" "-" "Raybould": one name
    keep = sorted(set(keep), key=lambda t: t.i)
    i = keep.index(head)
    lo = i
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    hi = i
    while hi + 1 < len(keep) and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo : hi + 1]
    while run and (
        run[0].is_punct or run[0].is_space or run[0].dep_ == "cc" or run[0].lower_ in _WH_OBJECTS
    ):
        run = run[1:]  # "do what a partner told them": "what" is the verb's object
    while run and (run[-1].is_punct or run[-1].is_space):
        run = run[:-1]
    # stop at a comma: "Smith, a spokesman" -> "Smith"
    if head in run:
        k = run.index(head)
        for j in range(k - 1, -1, -1):
            if run[j].text == ",":
                run = run[j + 1 :]
                break
        k = run.index(head)
        for j in range(k + 1, len(run)):
            if run[j].text == ",":
                run = run[:j]
                break
        # the cut may leave a quote's closing mark at the edge (“..., ” the pope said)
        while run and run[0].is_punct and run[0] is not head:
            run = run[1:]
    return run or [head]


def _inside_name(head: Token, prep: Token) -> bool:
    """The preposition continues the name entity ``head`` is in ("Bank of Canada")."""
    return bool(head.ent_type_) and prep.ent_iob_ == "I" and prep.ent_type_ == head.ent_type_


_CLAUSE_DEPS = frozenset({"acl", "relcl", "prep", "appos", "advcl"})


def _phrase(prep: Token) -> list[Token]:
    """A kept prepositional phrase without what hangs off its object: "the section of the
    debate devoted to X" -> "the section of the debate"."""
    out = [prep]
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        out.append(obj)
        for c in obj.children:
            if c.dep_ not in _CLAUSE_DEPS or c.i < obj.i:
                out.extend(c.subtree)
    # "Critics of what's known as ...": a clause, no object: the phrase is not the name's
    return out if len(out) > 1 else []


def _name_run(head: Token, tokens: list[Token], reg: SpeakerRegistry) -> list[Token]:
    """Capitalised words ending at ``head`` that form a name, without titles or the
    object of a preceding preposition ("Ambassador to Israel Mike Huckabee")."""
    doc = head.doc
    run = [head]
    j = head.i - 1
    first = tokens[0].i
    while j >= first:
        tok = doc[j]
        if _inner_hyphen(tok) and j - 1 >= first and doc[j - 1].text[:1].isupper():
            run.insert(0, tok)  # "Wilson-Raybould": one surname
            j -= 1
            continue
        if not (tok.pos_ == "PROPN" or tok.text[:1].isupper()) or tok.is_punct:
            break
        if is_title(tok.text):
            break
        run.insert(0, tok)
        j -= 1
    if j >= first and doc[j].pos_ == "ADP" and len(run) >= 2:
        # "to Israel Mike Huckabee": the preposition's object is not part of the name
        while len(run) >= 2 and (run[0].lower_ in reg.places or len(run) >= 3):
            run = run[1:]
    return run


def _text(tokens: list[Token]) -> str:
    return balanced(tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text)


def _close_paren(tokens: list[Token]) -> list[Token]:
    """Tokens that stop inside parentheses run on to the closing one, if it is near:
    "Ann Lee (D" -> "Ann Lee (D-Ohio)"."""
    if not tokens:
        return tokens
    depth = sum((t.text == "(") - (t.text == ")") for t in tokens)
    if depth <= 0:
        return tokens
    doc = tokens[0].doc
    end = tokens[-1].i
    for k in range(end + 1, min(len(doc), end + 8)):
        if doc[k].is_space or "\n" in doc[k].text:
            break
        if doc[k].text == ")":
            depth -= 1
            if depth == 0:
                return list(doc[tokens[0].i : k + 1])
    return tokens


def balanced(name: str) -> str:
    """A name never ends inside parentheses: "Ann Lee (D" -> "Ann Lee"."""
    depth, cut = 0, None
    for k, ch in enumerate(name):
        if ch == "(":
            if depth == 0:
                cut = k
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    if depth and cut is not None:
        name = name[:cut].rstrip(" ,;:—–-")
    return name


_JUNK_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def junk_name(name: str | None) -> bool:
    """A canonical speaker that cannot be anyone: a number, a date, or glued page debris
    ("23", "March 4, 2016", "NameFlagShareLikeReply")."""
    if name is None:
        return False
    words = name.split()
    if not words or not any(ch.isalpha() for ch in name):
        return True
    if all(
        w.lower().strip(".,") in CALENDAR_WORDS or not any(c.isalpha() for c in w) for w in words
    ):
        return True
    # page debris: one "word" with many capitals glued together
    return any(len(w) > 15 and sum(c.isupper() for c in w[1:]) >= 3 for w in words)


def has_word(doc: Doc, start: int, end: int) -> bool:
    """Chars ``[start, end)`` of ``doc`` cover a token with a letter or a share ("42%"): a
    mention is a name, a noun phrase or a pronoun, never punctuation alone."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if any(any(ch.isalpha() for ch in t.text) for t in span):
        return True
    return span[-1].text == "%" and any(t.like_num for t in span)


def resolve(head: Token, reg: SpeakerRegistry) -> Speaker | None:
    """Canonical speaker for the subject token ``head``; None when it names no speaker
    (and never a number, a date or other junk as the canonical name)."""
    if head.tag_ == "VBG" and head.pos_ == "VERB":
        return None  # "Conceding ..., Obama said" parsed with the participle as subject
    sp = _resolve(head, reg)
    if sp is not None:
        sp = _without_markup(reg.text or head.doc.text, sp)
    if sp is not None and not has_word(head.doc, sp.start, sp.end):
        return None  # "[" or "—" parsed as the subject: punctuation mentions no one
    if sp is None or sp.name is None:
        return sp
    ent = reg.ent_at.get(head.i)
    if junk_name(sp.name) or (ent is not None and ent.label_ in _JUNK_ENTS):
        # keep the mention ("one of them said"), drop the impossible canonical name
        return Speaker(None, sp.start, sp.end, None, "pronoun", 9)
    return sp


_MARKUP_CHARS = "<>="


def _without_markup(text: str, sp: Speaker) -> Speaker | None:
    """Markup left in a plain-text article glued to the name ('<a href="x">Sanders', the
    tokenizer's one token): the mention and the name start after it."""
    mention = text[sp.start : sp.end]
    cut = max(mention.rfind(c) for c in _MARKUP_CHARS)
    if cut < 0 and not (sp.name and any(c in sp.name for c in _MARKUP_CHARS)):
        return sp
    start = sp.start + cut + 1
    while start < sp.end and not text[start].isalnum():
        start += 1  # the quote mark or space after the markup
    name = sp.name
    if name is not None and any(c in name for c in _MARKUP_CHARS):
        name = name[max(name.rfind(c) for c in _MARKUP_CHARS) + 1 :].strip(" \"'“”")
    if start >= sp.end or (name is not None and not any(ch.isalpha() for ch in name)):
        return None
    return replace(sp, name=name or None, start=start)


class _NoOne:
    """A strategy's verdict that the subject names nobody ("there", "what"): stop looking."""


NO_ONE = _NoOne()


@dataclass
class Mention:
    """The subject being resolved: its head token and noun-phrase tokens. The refining
    strategies move the head to the name the parser hid ("CLEVELAND — Mike Smith")."""

    head: Token
    tokens: list[Token]
    conj: list[Token]
    appos_role: str = ""

    @property
    def lower(self) -> str:
        return self.head.lower_


Verdict = Speaker | _NoOne | None  # None: not this strategy's case, try the next
Strategy = Callable[[Mention, SpeakerRegistry], Verdict]


def _unnamed(tok: Token, distance: int = 9) -> Speaker:
    """The mention is known, the canonical speaker is not."""
    return Speaker(None, tok.idx, tok.idx + len(tok), None, "pronoun", distance)


def outer_subject_of_relative(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "The council pledged sanctions against what it called “a threat”": the "it" of a
    relative clause is the main clause's subject, the speaker a reader wants."""
    if m.lower in ("it", "they") and _in_relative(m.head):
        outer = _main_subject(m.head)
        clause = m.head.head
        if outer is not None and clause.dep_ == "relcl" and clause.head.i == outer.i:
            outer = None  # "Apps that it said “may not work” included ...": not the apps
        if outer is not None and not _agrees(m.head, outer):
            outer = None
        if outer is not None:
            sp = resolve(outer, reg)
            if sp is not None and sp.name is not None and sp.kind != "pronoun":
                return sp
    return None


def gendered_pronoun(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "he"/"she": the latest compatible person, preferring a recent subject."""
    if m.lower not in PRONOUN_GENDER:
        return None
    head = m.head
    found = reg.antecedent(head)
    if found is None:
        return _unnamed(head)
    name, at = found
    dist = reg.unit_of[head.i] - reg.unit_of[at]
    return Speaker(name, head.idx, head.idx + len(head), None, "pronoun", dist)


def relative_pronoun(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "Sanders, who said ...": the mention is "who", the speaker its antecedent."""
    head = m.head
    if not (
        m.lower in ("who", "which", "that")
        and head.head.dep_ == "relcl"
        and head.head.head.i != head.i
    ):
        return None
    noun = head.head.head
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        noun = noun.head  # "Acme Group, a chain that said ...": the name, not the gloss
    first = noun
    while first.dep_ in ("conj", "appos") and first.head.i != first.i:
        first = first.head
    if first.dep_ == "attr" and first.head.lemma_ == "be":
        # "Trump is a serial liar, rampant xenophobe and birther who has pledged ...":
        # the nouns describe the copula's subject, who speaks
        subj = next((c for c in first.head.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            noun = subj
    if m.lower == "which" and not _can_speak(noun):
        return NO_ONE  # "brain cancer, which confirmed what I knew": a thing says nothing
    antecedent = resolve(noun, reg)
    if antecedent is None or antecedent.kind == "pronoun":
        return NO_ONE
    return Speaker(antecedent.name, head.idx, head.idx + len(head), antecedent.role,
                   antecedent.kind)  # fmt: skip


# common nouns for things that can say something: organisations, documents, outlets, polls
_SPEAKING_THINGS = (
    GENERIC_ORG_NOUNS | ORG_HEADS | DOCUMENT_NOUNS | EVIDENCE_NOUNS | MEDIUM_NOUNS
    | POLL_NOUNS | SOURCE_NOUNS
)  # fmt: skip


def _can_speak(noun: Token) -> bool:
    """A thing named by a common noun speaks only when it is an organisation, a document,
    an outlet or a poll; a name (of a company, a group) may."""
    if noun.pos_ != "NOUN" or noun.ent_type_ in ORG_ENTS:
        return True
    return noun.lemma_.lower() in _SPEAKING_THINGS or noun.lower_ in _SPEAKING_THINGS


def _agrees(pronoun: Token, noun: Token) -> bool:
    """ "they" is not a singular thing ("Their fantasy extends to where they believe"),
    "it" not a plural; a collective organisation may be either ("the council, they say")."""
    if noun.ent_type_ in ORG_ENTS or noun.lemma_.lower() in _SPEAKING_THINGS:
        return True
    if any(c.dep_ == "conj" for c in noun.children):
        return pronoun.lower_ == "they"
    if pronoun.lower_ == "they":
        return noun.tag_ not in ("NN", "NNP")
    return noun.tag_ not in ("NNS", "NNPS")


def not_a_speaker(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "there is", "what matters", "nobody knows": no one speaks."""
    if m.head.dep_ == "expl" or m.lower in ("there", "what", "whatever", "nothing", "nobody"):
        return NO_ONE
    return None


def share_of_people(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "42% say", "46 percent of voters said", "a majority said": a poll's share of its
    respondents speaks; the mention is the whole phrase, but a share is nobody's identity
    (no canonical speaker, so it joins no speaker group)."""
    if m.lower not in SHARE_NOUNS:
        return None
    tokens = sorted({*m.tokens, m.head}, key=lambda t: t.i)
    return Speaker(None, tokens[0].idx, tokens[-1].idx + len(tokens[-1]), None, "pronoun", 9)


def unnamed_pronoun(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "it said", "one of them said", "we", "they": the writer, a group or a thing --
    a mention without a canonical speaker."""
    head = m.head
    if m.lower in NON_SPEAKERS or head.pos_ in ("PRON", "NUM"):
        return _unnamed(head)
    if head.lemma_.lower() in ABSTRACT_SOURCES:
        return _unnamed(head)  # "common belief says": no one to hold the words
    if m.lower in ("i", "we", "they", "me", "us"):
        return _unnamed(head)
    return None


def described_person(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "The former secretary of state and current nominee": a description of one person
    the article has named with one of those titles."""
    return _role_person(m.head, m.tokens, m.conj, reg)


def coordinated_group(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "Both Hamas and Israeli officials": the group speaks, as written."""
    head = m.head
    if not (m.conj and head.dep_ == "nsubj"):
        return None
    doc = head.doc
    first = m.tokens[0].i
    while first < head.i and doc[first].lower_ in ("both", "either", "neither"):
        first += 1
    group = list(doc[first : m.conj[-1].right_edge.i + 1])
    while group and (group[-1].is_punct or group[-1].dep_ in ("relcl", "appos")):
        group = group[:-1]
    group = _close_paren(group)
    if not group:
        return None
    return Speaker(_org_name(group), group[0].idx, group[-1].idx + len(group[-1]), None, "org")


def document_author(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "A statement e-mailed to reporters by Ann Lee said", "a release from the union
    said", "according to excerpts of his speech": the author or owner named beside the
    document speaks through it (a document with no one named speaks as written: "the
    complaint said")."""
    head = m.head
    if head.pos_ != "NOUN" or head.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    author = _author_of(head) or _owner_of(head)
    if author is None:
        return None
    sp = resolve(author, reg)
    return sp if sp is not None and sp.name is not None else None


def _owner_of(head: Token) -> Token | None:
    """The owner of the words: "his prepared remarks", "excerpts of Obama's speech"."""
    for tok in (head, *(p for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj")):  # fmt: skip
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None and (owner.pos_ == "PROPN" or owner.lower_ in ("his", "her")):
            return owner
    return None


# "an interview he gave", "a speech she delivered", "remarks he made"
_GIVING_VERBS = frozenset({"give", "grant", "deliver", "make", "record"})


def _author_of(head: Token) -> Token | None:
    """The object of "from"/"by" on the noun or on a participle that qualifies it
    ("sent ... from", "issued by", "e-mailed ... by")."""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            return next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.dep_ == "relcl" and child.lemma_.lower() in ISSUING_VERBS | _GIVING_VERBS:
            # "an interview his brother gave to ITV", "a statement the union released"
            subj = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return subj
        # "e-mailed" may come out as a past tense; "by"/"from" still makes it the author
        issued = child.tag_ in ("VBN", "VBD") and child.lemma_.lower() in ISSUING_VERBS
        if child.dep_ == "acl" and issued:
            for c in child.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "from"):
                    pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
    return None


def named_person(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "An agency official in the province named Jhony told": the description gives the
    person's name (the parser may hang "named" on any noun of the phrase)."""
    head = m.head
    if head.pos_ != "NOUN":
        return None
    for tok in head.subtree:
        if tok.i <= head.i or tok.dep_ != "acl" or tok.lemma_ not in ("name", "call"):
            continue
        for c in tok.children:
            ent = reg.ent_at.get(c.i)
            if c.dep_ in ("oprd", "attr", "dobj") and ent is not None and ent.label_ == "PERSON":
                name = clean_name(list(ent))
                if name:
                    canon = reg.add_person(name, c.i, None, head.dep_ == "nsubj")
                    return Speaker(canon, m.tokens[0].idx, ent.end_char, None, "name")
    return None


def refine_to_person_after_subject(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """Refines, never decides: "Sirius XM Vice President for news Dave Gorab said",
    "CLEVELAND — Mike Smith told": the parser made a title or dateline the subject; the
    person named between it and the verb is the head."""
    person = _person_before_verb(m.head, reg)
    if person is None:
        return None
    doc = m.head.doc
    lo = m.head.left_edge.i
    for k in range(person.start - 1, lo - 1, -1):
        if doc[k].text in _BREAKS:
            lo = k + 1
            break
    m.tokens = list(doc[lo : person.end])
    m.head = person[-1]
    return None


def apposition(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """An apposition beside the subject: "Ambassador to Israel Mike Huckabee" parsed as
    title + apposition (the name is the head); "Smith, a spokesman for X" (the role);
    "the other candidate, Senator Ann Lee, said" (the apposition names the speaker)."""
    head = m.head
    for child in _appositions(head):
        comma = any(t.text == "," for t in head.doc[head.i : child.left_edge.i])
        if not comma and child.pos_ == "PROPN" and is_title(head.text):
            m.tokens = list(head.doc[m.tokens[0].i : child.right_edge.i + 1])
            m.head = child
        elif comma and child.pos_ == "NOUN" and head.pos_ == "PROPN":
            m.appos_role = _role_text(list(child.subtree))
        elif comma and child.pos_ == "PROPN" and (head.pos_ == "NOUN" or _unnamed_title(head, reg)):
            person = reg.ent_at.get(child.i)
            if person is not None and person.label_ == "PERSON":
                name = clean_name(list(person))
                if name:
                    role = _role_text(m.tokens)
                    canon = reg.add_person(name, child.i, role or None, head.dep_ == "nsubj")
                    return Speaker(canon, m.tokens[0].idx, person.end_char, role or None, "name")
        break
    if m.head.pos_ == "PROPN":
        m.tokens = _titles_before(m.tokens)
    return None


def _unnamed_title(head: Token, reg: SpeakerRegistry) -> bool:
    """A capitalised title that names no one ("Keeper of the Seal, Omar Haddad, said")."""
    ent = reg.ent_at.get(head.i)
    return head.pos_ == "PROPN" and (ent is None or ent.label_ not in ("PERSON", "ORG", "GPE"))


def _appositions(head: Token) -> list[Token]:
    """The appositions of ``head``; for a role noun with none, a person's name the parser
    hung on the role's own phrase ("the senator from Ohio, Rob Portman": on "Ohio")."""
    own = [c for c in head.rights if c.dep_ == "appos"]
    # "Keeper of the Ruler's Seal, X": a capitalised title that names no one
    titled = head.pos_ == "PROPN" and head.ent_type_ not in ("PERSON", "ORG", "GPE")
    if own or not (head.pos_ == "NOUN" or titled):
        return own
    return [
        c
        for prep in head.rights
        if prep.dep_ == "prep"
        for pobj in prep.children
        if pobj.dep_ == "pobj" and (pobj.ent_type_ not in ("PERSON", "") or titled)
        for c in pobj.rights
        if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.i == c.head.right_edge.i
    ][:1]


def person_name(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """A proper name that is a person (or not an organisation): the name without its
    titles, the titles as the role ("U.S. Ambassador to Israel"), learned for later
    surname and role-word mentions."""
    head, tokens = m.head, m.tokens
    if head.pos_ != "PROPN":
        return None
    ent = reg.ent_at.get(head.i)
    org_like = (
        head.lower_ in ORG_HEADS
        or (ent is not None and ent.label_ in ORG_ENTS and not _titled(tokens, head))
        or (tokens[0].lower_ in _ARTICLES and not _titled(tokens, head))
    )
    written = clean_name(tokens)
    is_person = (
        (ent is not None and ent.label_ == "PERSON")
        or (len([t for t in tokens if t.dep_ != "case"]) == 1 and reg.known_surname(head))
        or (" " not in written and written.lower() in reg.by_last)  # "Wilson-Raybould"
    )
    if not (is_person or not org_like):
        return None
    run = _name_run(head, tokens, reg)
    if is_person and ent is not None:
        inside = [t for t in ent if t.i >= run[0].i and t.i <= head.i]
        if inside:
            # the NER cut a first name off ("Detective Bo Kim" -> "Kim"): one untyped
            # capitalised word that starts the run is the name too
            k = run.index(inside[0])
            if k == 1 and _first_name(run[0]):
                inside.insert(0, run[0])
        run = inside or run
    name = clean_name(run)
    if not name:
        return None
    breaks = [k for k, t in enumerate(tokens) if t.i < run[0].i and t.text in _BREAKS]
    if breaks:
        tokens = tokens[breaks[-1] + 1 :]  # "SPRINGFIELD, Ill. — Mayor Ann Ruiz": a dateline
    role = _role_text([t for t in tokens if t.i < run[0].i]) or m.appos_role
    if is_person or len(name.split()) >= 2 or _titled(tokens, head):
        want = _honorific_gender(" ".join(t.lower_ for t in tokens if t.i < run[0].i))
        canon = reg.add_person(name, head.i, role or None, head.dep_ == "nsubj", want)
    else:
        canon = reg.canonical(name, head.i)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return Speaker(canon, start, end, role or None, "name")


def role_noun(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "the ambassador": the person the article named with that title."""
    tokens = m.tokens
    name = reg.role_at(role_key(m.head), m.head.i)
    first = tokens[0].lower_
    kin = m.head.lower_ in KIN_NOUNS and first in ("his", "her", "their")
    if name is not None and len(tokens) <= 3 and (first == "the" or kin):
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return Speaker(name, start, end, _text(tokens[1:]), "role")
    if name is None and first == "the" and len(tokens) <= 5 and is_title(m.head.text):
        # "Marco Rubio spoke ... The Florida senator sought to calm": an epithet for the
        # person the sentences are about, when nobody else is in sight
        name = reg.sole_person_before(tokens[0].i)
        if name is not None:
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            return Speaker(name, start, end, _text(tokens[1:]), "role")
    return None


def known_organisation(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "the committee" after "The council’s transport committee": the body named before."""
    tokens = m.tokens
    if len(tokens) <= 2 and tokens[0].lower_ == "the" and m.lower in reg.orgs:
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return Speaker(reg.orgs[m.lower], start, end, None, "org")
    return None


def organisation_named_before(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """ "the company said" after "Tesla ...": a generic noun for an organisation is the one
    the article named last, within a few sentences, outside any quotation; so is "it said"
    when an organisation was named in the sentence or the one before."""
    tokens, head = m.tokens, m.head
    if m.lower == "it" and head.dep_ == "nsubj":
        name = _organisation_before(reg, head.i, 1)
    elif _generic_org(tokens, head):
        name = _organisation_before(reg, tokens[0].i, 6, head.lemma_.lower())
    else:
        return None
    if name is None:
        return None
    return Speaker(name, tokens[0].idx, tokens[-1].idx + len(tokens[-1]), None, "org")


def _generic_org(tokens: list[Token], head: Token) -> bool:
    """ "the company", "the social media company", "the ride-hailing firm": a generic noun
    for an organisation, with at most a few common words before it (no name)."""
    return (
        len(tokens) <= 5
        and tokens[0].lower_ == "the"
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in GENERIC_ORG_NOUNS
        and not any(t.pos_ == "PROPN" for t in tokens)
    )


def _is_org_ent(ent: Span) -> bool:
    """An organisation the NER saw, or a one-word name we know is one ("Twitter", which
    the small model often calls a person)."""
    return ent.label_ == "ORG" or (len(ent) == 1 and ent.text.lower() in KNOWN_ORGANISATIONS)


def _organisation_before(
    reg: SpeakerRegistry, at: int, units: int, noun: str | None = None
) -> str | None:
    """The organisation named last before token ``at``, at most ``units`` sentences back;
    for "the company" (``noun``, a business word), never an institution."""
    unit = reg.unit_of[at]
    found: list[tuple[Span, str]] = []
    business = noun is not None and noun not in INSTITUTION_WORDS and noun in GENERIC_ORG_NOUNS
    for ent in _organisations_back(reg, at, unit - units):
        if reg.quote_at(ent.start_char) is not None:
            continue
        last = next((t.lower_ for t in reversed(ent) if t.is_alpha), "")
        if business and last in INSTITUTION_WORDS:
            continue  # "the company" after "New York University's": not the university
        name = _org_name([t for t in ent if not t.is_space])
        if name and name[:1].isupper() and not junk_name(name):  # not "iPhones"
            found.append((ent, name))
    # the organisation the sentences are about (a subject or an owner) before one they
    # merely mention
    actor = next((n for e, n in found if e.root.dep_ in ("nsubj", "nsubjpass", "poss")), None)
    return actor or (found[0][1] if found else None)


def _organisations_back(reg: SpeakerRegistry, at: int, first_unit: int) -> Iterator[Span]:
    """Organisations named before token ``at``, nearest first, back to sentence
    ``first_unit``: the NER's, and one-word names we know ("Twitter") it left untagged."""
    doc = reg.doc
    k = at - 1
    while k >= 0 and reg.unit_of[k] >= first_unit:
        ent = reg.ent_at.get(k)
        if ent is not None:
            if ent.end <= at and _is_org_ent(ent):
                yield ent
            k = ent.start - 1
            continue
        tok = doc[k]
        if tok.pos_ == "PROPN" and tok.lower_ in KNOWN_ORGANISATIONS:
            yield doc[k : k + 1]
        k -= 1


def organisation_as_written(m: Mention, reg: SpeakerRegistry) -> Verdict:
    """Anything else speaks as written: "Netanyahu’s office", "a spokesman for the
    ministry" (learned, so a later "the office" finds it)."""
    tokens, head = m.tokens, m.head
    name = _org_name(tokens)
    known = reg.orgs.get(m.lower)
    if known is not None and _same_org(known, name):
        name = known  # "the Chamber", "the Riverside Chamber" after "The Riverside Chamber of ..."
    if len(tokens) >= 2 and head.pos_ in ("PROPN", "NOUN"):
        reg.orgs.setdefault(m.lower, name)
    return Speaker(name, tokens[0].idx, tokens[-1].idx + len(tokens[-1]), None, "org")


def _same_org(known: str, name: str) -> bool:
    """``name`` is ``known`` written shorter: without "The", or cut before "of ..."."""
    a, b = known.removeprefix("The "), name.removeprefix("The ")
    return a == b or a.startswith(b + " ") or a.endswith(" " + b)


# Tried in order; the first verdict that is not None wins (NO_ONE: nobody speaks).
STRATEGIES: tuple[Strategy, ...] = (
    outer_subject_of_relative,
    gendered_pronoun,
    relative_pronoun,
    not_a_speaker,
    share_of_people,
    organisation_named_before,
    unnamed_pronoun,
    described_person,
    coordinated_group,
    document_author,
    named_person,
    refine_to_person_after_subject,
    apposition,
    person_name,
    role_noun,
    known_organisation,
    organisation_as_written,
)


def _resolve(head: Token, reg: SpeakerRegistry) -> Speaker | None:
    conj = [c for c in head.rights if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
    mention = Mention(head, mention_tokens(head), conj)
    for strategy in STRATEGIES:
        verdict = strategy(mention, reg)
        if isinstance(verdict, _NoOne):
            return None
        if verdict is not None:
            return verdict
    return None


def _role_person(
    head: Token, tokens: list[Token], conj: list[Token], reg: SpeakerRegistry
) -> Speaker | None:
    """The former secretary of state and current nominee: a description of one person
    the article has named with one of those titles."""
    if head.pos_ != "NOUN" or tokens[0].lower_ != "the" or not is_title(head.text):
        return None
    heads = [head] + [c for c in conj if c.pos_ == "NOUN"]
    if len(heads) != len(conj) + 1 or not all(is_title(h.text) for h in heads):
        return None
    doc = head.doc
    last = heads[-1]
    end = max(last.i, tokens[-1].i)
    for c in last.rights:
        if c.dep_ == "prep" and c.lower_ in _OF_PREPS:
            end = max(end, max(t.i for t in _phrase(c)))
    span = list(doc[tokens[0].i : end + 1])
    if len(span) > ROLE_MAX or any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in span):
        return None
    for h in heads:
        name = reg.role_at(role_key(h), h.i)
        if name is not None:
            last_tok = span[-1]
            return Speaker(name, span[0].idx, last_tok.idx + len(last_tok), _role_text(span),
                           "role")  # fmt: skip
    return None


ROLE_MAX = 12


_BREAKS = frozenset({",", "—", "–", "--", "―", "(", ")", ":", ";"})


_DATELINE_DASHES = frozenset({"—", "–", "--", "-", "―"})


def _person_before_verb(head: Token, reg: SpeakerRegistry) -> Span | None:
    """A PERSON name between a non-person subject head and its verb, with only words (no
    clause) in between: the parser picked a title or dateline as the subject."""
    verb = head.head
    if head.dep_ != "nsubj" or verb.i <= head.i + 1:
        return None
    own = reg.ent_at.get(head.i)
    if own is not None and own.label_ == "PERSON":
        return None
    doc = head.doc
    dateline = _after_dateline(head, verb, reg)
    if dateline is not None:
        return dateline
    found = None
    k = head.i + 1
    while k < verb.i:
        tok = doc[k]
        if tok.pos_ in ("VERB", "AUX") or tok.lower_ in ("who", "which", "that"):
            return None
        ent = reg.ent_at.get(k)
        if ent is not None and ent.label_ == "PERSON" and ent.start == k:
            found = ent
            k = ent.end
            continue
        k += 1
    if found is None:
        return None
    tail = [t for t in doc[found.end : verb.i] if not _in_parens(t, found.end, verb.i)]
    if any(not (t.pos_ in ("ADV", "PART") or t.is_space) for t in tail):
        return None
    return found


def _in_parens(tok: Token, lo: int, hi: int) -> bool:
    """``tok`` is inside (or is) a parenthesis within ``[lo, hi)``: "Sen. Ann Lee (D-MA)"."""
    doc = tok.doc
    if tok.text in ("(", ")"):
        return True
    opened = any(doc[k].text == "(" for k in range(lo, tok.i))
    closed = any(doc[k].text == ")" for k in range(tok.i + 1, hi))
    return opened and closed


_MODIFIERS = frozenset({"npadvmod", "amod", "nmod"})


def _after_dateline(head: Token, verb: Token, reg: SpeakerRegistry) -> Span | None:
    """ "WASHINGTON -- President Obama, dedicating the museum on Saturday, said": a caps
    dateline and a dash before the subject; the first person named after the dash speaks,
    whatever clause follows the name."""
    doc = head.doc
    k = head.i + 1
    while k < verb.i and (doc[k].is_space or doc[k].text == ","):
        k += 1
    if k < verb.i and doc[k].text == "(":
        # "New York (AFP) –": the agency in brackets between the place and the dash
        close = next((j for j in range(k + 1, min(verb.i, k + 6)) if doc[j].text == ")"), None)
        k = close + 1 if close is not None else k
    place = reg.ent_at.get(head.i)
    in_caps = head.text.isupper() and len(head.text) > 2
    first = min(place.start, head.left_edge.i) if place is not None else head.left_edge.i
    at_start = first == 0 or doc[first - 1].is_space  # a dateline opens its paragraph
    if not (in_caps or (place is not None and place.label_ == "GPE" and at_start)):
        return None
    if k >= verb.i or doc[k].text not in _DATELINE_DASHES:
        return None
    for m in range(k + 1, min(verb.i, k + 8)):
        ent = reg.ent_at.get(m)
        if ent is not None and ent.label_ == "PERSON" and ent.root.dep_ not in _MODIFIERS:
            return ent  # not the "Oscar" of "Oscar-winning actress Susan Sarandon"
    return None


def _titles_before(tokens: list[Token]) -> list[Token]:
    """Capitalised titles right before a name belong to its mention, however the parser
    attached them: it hangs "Col." in "“...,” Col. Bo Kim told" on the quote."""
    doc = tokens[0].doc
    k = tokens[0].i - 1
    while k >= 0 and doc[k].text[:1].isupper() and is_title(doc[k].text):
        k -= 1
    return list(doc[k + 1 : tokens[0].i]) + tokens if k + 1 < tokens[0].i else tokens


def _first_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and not tok.ent_type_ and tok.is_alpha and tok.text[:1].isupper()


def _titled(tokens: list[Token], head: Token) -> bool:
    return any(is_title(t.text) for t in tokens if t.i < head.i)


def _role_text(tokens: list[Token]) -> str:
    while tokens and (tokens[0].lower_ in _ARTICLES or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "case"):
        tokens = tokens[:-1]
    return _text(tokens) if tokens else ""


def _org_name(tokens: list[Token]) -> str:
    """An organisation or description as written, without its article (one surface
    wherever it stands in a sentence), except a name's own capital "The"."""
    while len(tokens) > 1 and tokens[-1].lower_ in _POSSESSIVE:
        tokens = tokens[:-1]  # "Politifact’s fact-check": the owner is "Politifact"
    # "the Chamber"; a description without it wherever it stands ("The mayor said" and
    # "said the mayor" are both "mayor"); "The Washington Post" keeps its own "The"
    article = len(tokens) > 1 and tokens[0].lower_ in _ARTICLES
    if article and (tokens[0].text in _ARTICLES or tokens[-1].pos_ != "PROPN"):
        tokens = tokens[1:]
    return _text(tokens).replace("'", "’")


def _in_relative(subj: Token) -> bool:
    """The subject of a "what it called" / "which they call" clause."""
    verb = subj.head
    return verb.i != subj.i and (
        verb.dep_ == "relcl"
        or any(c.lower_ in ("what", "which") and c.dep_ == "dobj" for c in verb.children)
    )


def _main_subject(subj: Token) -> Token | None:
    """The nearest non-pronoun subject of a verb above the clause of ``subj``."""
    cur = subj.head
    for _ in range(8):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.pos_ not in ("VERB", "AUX"):
            continue
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i < cur.i:
                return None if c.pos_ == "PRON" else c
    return None
