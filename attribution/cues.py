"""Reporting cues on the parse: which tokens report speech, who their subject is, and which
tokens are the reported content."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from saidwho.core.marks import DOUBLE

from .lexicon import (
    ADDRESSEE_VERBS,
    ADJUNCT_PREPS,
    DIRECTIVE_VERBS,
    INVERTING_VERBS,
    MEDIUM_NOUNS,
    NO_COMMENT_VERBS,
    OBJECT_VERBS,
    PEOPLE_NOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    WEAK_VERBS,
    is_title,
    word_list,
)

COMPLEMENT_DEPS = frozenset(
    {
        "ccomp",
        "dobj",
        "dative",
        "xcomp",
        "prep",
        "oprd",
        "attr",
        "acomp",
        "pcomp",
        "advcl",
        "npadvmod",
        "conj",
    }
)
_TIME_ENTS = frozenset({"DATE", "TIME"})
_CAUSING = frozenset(word_list("verbs_causing"))
_PHRASAL_PREPS = frozenset({"for", "about", "of", "on", "to", "as", "against", "with"})


# every verb some word list names: the lemmas ``lemma`` may recover from a surface form
_LISTED_VERBS = (
    REPORTING_VERBS
    | WEAK_VERBS
    | DIRECTIVE_VERBS
    | OBJECT_VERBS
    | INVERTING_VERBS
    | ADDRESSEE_VERBS
    | NO_COMMENT_VERBS
)


def lemma(tok: Token) -> str:
    """The token's lowercase lemma; for a verb the small model mislemmatises ("hopes" ->
    "hop", "worried" -> "worried"), the listed verb its surface form inflects."""
    return _verb_lemma(tok.lower_, tok.lemma_.lower())


@cache
def _verb_lemma(lower: str, lem: str) -> str:
    if lem in _LISTED_VERBS:
        return lem
    for stem in _stems(lower):
        if stem in _LISTED_VERBS:
            return stem
    return lem


def _stems(word: str) -> list[str]:
    """Candidate base forms of an inflected English verb (over-generating is harmless:
    only listed verbs are accepted)."""
    out = [word]
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s"):
        out.append(word[:-1])
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    if word.endswith("ed"):
        out += [word[:-2], word[:-1], word[:-3]]  # asked, hoped, planned
    if word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e", word[:-4]]  # asking, hoping, planning
    return out


def is_reporting_verb(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or _modifier_participle(tok):
        return False
    if lemma(tok) == "put":
        return _as_x_put_it(tok)
    if tok.lower_ == "mention" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ == "not":
        return False  # "not to mention": an aside, nobody mentions anything
    return lemma(tok) in REPORTING_VERBS


def _as_x_put_it(tok: Token) -> bool:
    """ "as Ann Lee put it": "put" reports words only in this idiom."""
    kids = list(tok.children)
    return any(c.dep_ == "dobj" and c.lower_ == "it" for c in kids) and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in kids
    )


def _modifier_participle(tok: Token) -> bool:
    """ "pledged delegates", "the stated aim": a participle modifying the noun after it
    describes the noun; nobody pledges or states anything there."""
    return (
        tok.tag_ == "VBN"
        and tok.head.i > tok.i
        and tok.head.pos_ in ("NOUN", "PROPN")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in tok.children)
    )


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """The speaker token of a reporting verb: its own nsubj (the one nearest the verb), the
    agent of a passive ("was told by X"), the subject it shares through coordination or a
    participle ("X said ..., adding"; "X responded by saying"; "a statement saying"), or a
    name right after it ("said the spokesman")."""
    best = None
    for child in verb.lefts:
        if child.dep_ == "nsubj" and (best is None or _wordy(child) or not _wordy(best)):
            best = child
    if best is None or not _wordy(best):
        # 'said [red]Bob[/red] Smith': the parser makes stray markup a subject too
        right = [c for c in verb.rights if c.dep_ == "nsubj"]
        best = next((c for c in right if _wordy(c)), best or next(iter(right), None))
    if best is not None:
        return best
    # "county records show ...": the parser hung the subject noun on the verb as a compound
    left = next((c for c in verb.lefts if c.i == verb.i - 1), None)
    if left is not None and left.dep_ == "compound" and left.pos_ in ("NOUN", "PROPN"):
        return left
    if any(
        c.dep_ in ("nsubjpass", "auxpass") and not _across_marks(c, verb) for c in verb.children
    ):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        return pobj  # "Rubio was asked by X": X speaks, Rubio does not
    # "..., said the spokesman" is sometimes parsed with the speaker as object
    if lemma(verb) in INVERTING_VERBS:
        nxt: Token | None = next(iter(verb.rights), None)
        if (
            nxt is not None
            and nxt.dep_ in ("dobj", "attr", "npadvmod")
            and nxt.pos_ in ("PROPN", "NOUN")
            and nxt.ent_type_ not in _TIME_ENTS  # "said Monday": a date says nothing
            and nxt.left_edge.i == verb.i + 1
            and _ends_clause(nxt)
        ):
            return nxt
    recorded = _person_recorded(verb)
    if recorded is not None:
        return recorded
    named = _name_before(verb)
    if named is not None:
        return named
    if depth >= 3:
        return None
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "conj" and is_reporting_verb(verb):
        # "He said A and said B" with the second "said" hung inside A: the nearest
        # reporting verb above it shares its subject
        up = head
        if verb.tag_ in ("VBD", "VBZ") and head.tag_ == "VB" and head.head.i != head.i:
            # "said the country would declare A and suggested B": a past tense cannot
            # share the modal of a base form; it joins the verb above
            up = head.head
        for _ in range(6):
            if is_reporting_verb(up):
                return subject_of(up, depth + 1)
            if up.head.i == up.i:
                break
            up = up.head
    if verb.dep_ == "xcomp" and lemma(head) not in _SUBJECT_CONTROL:
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None:
            # "forced Stumpf to admit that ...": Stumpf admits; "a storm prompting the
            # city to urge ...": the city urges, never the storm
            if _someone(obj):
                return obj
            if lemma(head) in _CAUSING | DIRECTIVE_VERBS:
                return None
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and _reported(head):
        # "The minister said the plan would cut costs, saying ...": a plan says nothing;
        # the participle is the reporter's second statement (but "said the union walked
        # out, saying ..." is the union's)
        inner = subject_of(head, depth + 1)
        if inner is None or not _someone(inner):
            return subject_of(head.head, depth + 1)
        return inner
    if verb.dep_ in ("conj", "xcomp") or verb.dep_ == "advcl" and verb.tag_ == "VBG":
        return subject_of(head, depth + 1)
    if (
        verb.dep_ == "acl"
        and verb.tag_ == "VBD"
        and head.i == verb.i - 1
        and head.pos_ == "NOUN"
        and not any(c.dep_ in ("dobj", "oprd", "attr", "xcomp") for c in verb.children)
    ):
        # "a man yelled “Stay there!”": a past tense is no participle, the noun is its
        # subject (but "a loophole called an inversion" names the loophole)
        return head
    if verb.dep_ == "acl" and head.lower_ in MEDIUM_NOUNS and head.head.i != head.i:
        return subject_of(head.head, depth + 1)  # "issued a statement saying ..."
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        # "responded by saying ..."; "After saying A, she was rushed to hospital": the
        # clause's grammatical subject, a passive one too
        passive = next((c for c in head.head.children if c.dep_ == "nsubjpass"), None)
        return subject_of(head.head, depth + 1) or (
            passive if passive is not None and _someone(passive) else None
        )
    return None


def _across_marks(child: Token, verb: Token) -> bool:
    """A quotation mark lies between them: the parser hung a quote's own verb on the cue
    ("''Is he running?'' asked Mr. Lee": "Is" is no passive auxiliary of "asked")."""
    lo, hi = sorted((child.i, verb.i))
    return any(t.is_quote for t in verb.doc[lo + 1 : hi])


def _name_before(verb: Token) -> Token | None:
    """ "In a statement to the Observer, her adviser, Jake Sullivan, said:": the parser hung
    the subject on the phrase before it, leaving the root verb with none; a person's name
    that ends right before the verb (and its comma) is who speaks."""
    if verb.dep_ not in ("ROOT", "conj") or verb.i < 2:
        return None  # a conjunct too: "... asked about his health and Gillis suggested"
    doc = verb.doc
    k = verb.i - 1
    if doc[k].text == ",":
        k -= 1
    tok = doc[k]
    if (
        tok.ent_type_ == "PERSON"
        and tok.ent_iob_ in ("B", "I")
        and (k + 1 == len(doc) or doc[k + 1].ent_type_ != "PERSON")
    ):
        return tok
    if verb.dep_ == "conj" and tok.pos_ == "PROPN" and _named_just_before(tok):
        return tok  # "visited Stephen Marsh and ... Marsh suggested": NER called it an ORG
    return None


def _named_just_before(tok: Token, window: int = 60) -> bool:
    """``tok`` repeats the last word of a person named in the few dozen tokens before it."""
    doc = tok.doc
    for k in range(tok.i - 1, max(-1, tok.i - window), -1):
        t = doc[k]
        if t.ent_type_ == "PERSON" and t.text == tok.text:
            return (
                k + 1 >= len(doc) or doc[k + 1].ent_type_ != "PERSON" or doc[k + 1].ent_iob_ == "B"
            )
    return False


RECORDING_NOUNS = frozenset(word_list("recording_nouns"))


def _person_recorded(verb: Token) -> Token | None:
    """ "The ad uses footage of Clinton asking, “...”", "ends with video of Trump saying":
    the person a recording shows, named right before the participle, speaks."""
    if verb.tag_ != "VBG" or verb.i < 3:
        return None
    name = verb.doc[verb.i - 1]
    if name.ent_type_ != "PERSON":
        return None
    root = name
    while root.dep_ == "compound" and root.head.i > root.i:
        root = root.head
    of = root.head
    if root.dep_ != "pobj" or of.lower_ != "of" or of.head.lower_ not in RECORDING_NOUNS:
        return None
    return root


# verbs whose object does not do what follows: "she promised him to ..." (she does)
_SUBJECT_CONTROL = frozenset({"promise", "vow", "pledge", "threaten"})


def _someone(tok: Token) -> bool:
    """A person or a body who can speak ("Stumpf", "them", "the senator"), not a thing
    ("took more time mocking", "prompted this question demanding")."""
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in ("him", "her", "them", "us", "me", "he", "she", "they", "we", "i")
    return tok.pos_ == "NOUN" and (tok.lemma_.lower() in PEOPLE_NOUNS or is_title(tok.lower_))


def _wordy(tok: Token) -> bool:
    return any(ch.isalpha() for ch in tok.text)


def _ends_clause(tok: Token) -> bool:
    nxt = tok.right_edge.i + 1
    doc = tok.doc
    return nxt >= len(doc) or doc[nxt].is_punct or doc[nxt].is_space


def parenthetical(verb: Token, own_commas: bool = False) -> bool:
    """``A, the lawyers said, B``: a cue clause set off by commas inside the clause it
    reports (its head comes after it). ``own_commas``: also when the parser hung the
    setting-off commas on the cue itself ("Many of them, he said, have closed")."""
    doc = verb.doc
    left, right = verb.left_edge.i, verb.right_edge.i
    if verb.dep_ == "ROOT" or verb.head.i < verb.i:
        return False
    if verb.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return False  # "The mayor, citing the delay, said ...": an aside, no cue of its own
    if own_commas and doc[left].text in _SET_OFF and left < verb.i:
        left += 1
    if own_commas and doc[right].text in _SET_OFF and right > verb.i:
        right -= 1
    if left == 0 or right + 1 >= len(doc):
        return False
    return doc[left - 1].text in _SET_OFF and doc[right + 1].text in _SET_OFF


_SET_OFF = frozenset({",", "—", "–"})


def reporting_ancestor(tok: Token, limit: int = 8) -> tuple[Token, Token] | None:
    """The nearest reporting verb that governs ``tok``, and its child on the way down."""
    cur = tok
    for _ in range(limit):
        parent = cur.head
        if parent.i == cur.i:
            return None
        if is_reporting_verb(parent):
            if cur.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return None  # the quote is in the subject: "His “friend” said"
            return parent, cur
        cur = parent
    return None


def is_adjunct(child: Token) -> bool:
    """``in a post on Truth Social``, ``on Monday``: circumstance, not content."""
    if child.dep_ == "npadvmod":
        return True
    if child.dep_ != "prep":
        return False
    if child.lower_ in ADJUNCT_PREPS:
        return True
    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    return obj.ent_type_ in _TIME_ENTS or obj.lower_ in MEDIUM_NOUNS


def complement(verb: Token, via: Token | None = None) -> list[Token]:
    """The reported content of ``verb``: its clausal complement, or its objects and
    complements up to ``via`` (the child that leads to a quote)."""
    if (
        via is not None
        and via.dep_ in ("ccomp", "parataxis")
        or via is None
        and any(c.dep_ == "ccomp" for c in verb.children)
    ):
        comps = [c for c in verb.children if c.dep_ == "ccomp"]
        # "While he admitted A, Ham noted B": with a clause on each side, the one after
        # the verb is its object; the parser hung the adverbial clause before it there too
        after = [c for c in comps if c.i > verb.i]
        comp = via if via is not None else (after or comps)[0]
        return _with_stranded_subject(verb, comp) or list(comp.subtree)
    if via is not None and via.i < verb.i:
        return list(via.subtree) if via.dep_ in ("advcl", "dobj") else []
    rights = [
        c for c in verb.rights if c.dep_ in COMPLEMENT_DEPS and not is_adjunct(c)
        and not (c.dep_ in ("advcl", "conj") and (via is None or c.i != via.i))
    ]  # fmt: skip
    if via is not None:
        if via not in rights:
            rights.append(via)
        rights = [c for c in rights if c.i <= via.i]
    if not rights:
        return []
    tokens: list[Token] = []
    for c in rights:
        tokens.extend(c.subtree)
    tokens.sort(key=lambda t: t.i)
    # "called for an end to the war": the content is the preposition's object
    if (
        tokens[0].dep_ == "prep"
        and tokens[0].head.i == verb.i
        and tokens[0].lower_ in _PHRASAL_PREPS
    ):
        tokens = tokens[1:]
    if not tokens:
        return []
    doc = verb.doc
    return list(doc[tokens[0].i : tokens[-1].i + 1])


def _with_stranded_subject(verb: Token, comp: Token) -> list[Token]:
    """ "said smaller brewers who ... — are likely to suffer": the parser made the
    clause's subject the verb's object and left the clause without one; the content runs
    from that object (after any date: "said Thursday one of ...") to the clause's end."""
    if comp.i < verb.i or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in comp.children):
        return []
    stranded = [
        c for c in verb.rights
        if c.i < comp.i and c.dep_ in ("dobj", "npadvmod") and c.pos_ in ("NOUN", "PROPN", "PRON")
    ]  # fmt: skip
    if not stranded or any(c.dep_ == "dobj" and lemma(verb) in ADDRESSEE_VERBS for c in stranded):
        return []  # "told reporters [that] ..." keeps its addressee out
    doc = verb.doc
    start = stranded[0].left_edge.i
    while start < comp.i and (doc[start].ent_type_ in _TIME_ENTS or doc[start].is_punct):
        start += 1
    if start >= comp.left_edge.i:
        return []
    return list(doc[start : comp.right_edge.i + 1])


def _reported(verb: Token) -> bool:
    """``verb`` heads the content of a reporting verb above it."""
    return verb.dep_ == "ccomp" and verb.head.i != verb.i and is_reporting_verb(verb.head)


def _second_report(t: Token, root: Token) -> bool:
    """A report joined to the content's own head: "given ... and said B" (a conjunct,
    not one deep inside it: "when the police located her and told her to leave"), or a
    participle after a comma, "A, saying B"."""
    if t.head.i != root.i or t.pos_ != "VERB" or lemma(t) not in SPEECH_VERBS | DIRECTIVE_VERBS:
        return False
    if t.dep_ == "conj":
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) or _speaks(t)
    return (
        t.dep_ == "advcl"
        and t.tag_ == "VBG"
        and t.i > 0
        and t.doc[t.i - 1].text == ","
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
    )


def without_second_report(tokens: list[Token]) -> list[Token]:
    """ "He said A and said that B", "adds that A and called on B": the parser often
    hangs the second speech verb inside A; it is a statement of its own, not part of the
    first one's content. (A belief or stance after "and" -- "said A and hoped B" -- stays
    in: readers and annotators take it as one statement.)"""
    if not tokens:
        return tokens
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), None)
    drop: set[int] = set()
    for t in tokens:
        if root is not None and _second_report(t, root):
            drop.update(x.i for x in t.subtree)
            drop.update(c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i)
    return [t for t in tokens if t.i not in drop] if drop else tokens


def _speaks(verb: Token) -> bool:
    """ "..., and the mother of three replied, “...”": a speech verb with a subject and
    words of its own is the next statement, never the previous one's content."""
    return any(
        c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "punct" and c.text in DOUBLE)
        for c in verb.rights
    )
