"""Reported (indirect) speech: "X said (that) ...", "..., officials said", "according to X",
"X urged Congress to ..."."""

from __future__ import annotations

from spacy.tokens import Token

from .confidence import CALIBRATION, reported_confidence
from .cues import (
    complement,
    is_reporting_verb,
    lemma,
    parenthetical,
    subject_of,
    without_second_report,
)
from .direct import Candidate
from .lexicon import (
    ACCOUNT_NOUNS,
    ADDRESSEE_VERBS,
    BELIEF_ADJECTIVES,
    DIRECTIVE_VERBS,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    NO_COMMENT_VERBS,
    OBJECT_VERBS,
    POLL_NOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    THOUGHT_VERBS,
    VIEW_NOUNS,
    WEAK_VERBS,
)
from .propositions import CONCESSIVE_MARKS
from .speakers import Speaker, SpeakerRegistry, resolve
from .units import MAX_CANDIDATES, DocIndex, content_segments, content_span

MIN_WORDS = 2


def _in_unit(idx: DocIndex, tokens: list[Token], unit: int) -> list[Token]:
    s, e = idx.units[unit]
    return [t for t in tokens if s <= t.i < e]


def _content(idx: DocIndex, verb: Token) -> list[Token]:
    """What ``verb`` reports, or [] when it reports nothing we can delimit."""
    unit = idx.unit_of[verb.i]
    if _no_comment(verb):
        return []
    if any(c.dep_ == "ccomp" for c in verb.children):
        if _object_of_its_own(verb):
            return []
        if lemma(verb) in WEAK_VERBS and not (
            _that_clause(verb) or _clause_before(verb) or _belief_clause(verb)
        ):
            return []
        return _in_unit(idx, without_second_report(complement(verb)), unit)
    split = _split_subject(verb)
    if split is not None:
        # "These employees, Stumpf explained, were well paid": the parser made the cue
        # the root, the reported subject its modifier and the reported verb its conjunct
        return _in_unit(idx, [t for part in split for t in part.subtree], unit)
    lead = _lead_clause(verb)
    if lead is not None:
        # "Though A, he said, B": the parser hung A on the cue; A and B are the content
        own = {t.i for t in verb.subtree} - {t.i for t in lead.subtree}
        return _in_unit(idx, [t for t in verb.head.subtree if t.i not in own], unit)
    if parenthetical(verb, own_commas=True):
        # "The plan, officials said, will cost more": the clause around the cue
        own = {t.i for t in verb.subtree} | _narration_tail(verb.head, verb)
        return _in_unit(idx, [t for t in verb.head.subtree if t.i not in own], unit)
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i < verb.i and _set_off(verb):
        # "X happened, officials said": the cue hangs off the clause it reports
        own = {t.i for t in verb.subtree}
        head = verb.head
        if head.dep_ == "advcl" and head.head.i > verb.i:
            head = head.head  # "Though A, he said, B": A hangs on B, which goes on after
        own |= _narration_tail(head, verb)
        return _in_unit(idx, [t for t in head.subtree if t.i not in own], unit)
    if lemma(verb) in DIRECTIVE_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
        return _in_unit(idx, complement(verb), unit)
    if lemma(verb) in OBJECT_VERBS and any(
        c.dep_ in ("dobj", "xcomp", "prep") for c in verb.rights
    ):
        if _no_statement_object(verb):
            return []
        return _in_unit(idx, _without_addressee(verb, complement(verb)), unit)
    clause = _clause_object(verb)
    if clause is not None:
        return _in_unit(idx, list(clause.subtree), unit)
    return []


def _narration_tail(head: Token, cue: Token) -> set[int]:
    """What the reporter adds after a mid-sentence cue: "A, he said, according to the
    complaint" and "A, he said, though he named no one" report A only."""
    out: set[int] = set()
    for child in head.rights:
        if child.i < cue.i:
            continue
        first = child.left_edge
        according = first.lower_ == "according" and first.i + 1 < len(first.doc)
        if (
            according
            and first.nbor().lower_ == "to"
            or (child.dep_ in ("advcl", "prep", "mark") and first.lower_ in CONCESSIVE_MARKS)
        ):
            out.update(t.i for t in child.subtree)
    return out


def _clause_object(verb: Token) -> Token | None:
    """ "He said legalizing it could put thousands to work": a speech verb whose complement
    the parser took for an xcomp, though its head governs a whole finite clause."""
    if lemma(verb) not in SPEECH_VERBS or lemma(verb) in WEAK_VERBS:
        return None
    for child in verb.rights:
        if child.dep_ != "xcomp":
            continue
        for t in child.children:
            finite = t.tag_ in _FINITE_TAGS or any(
                c.dep_ == "aux" and c.tag_ in _FINITE_TAGS for c in t.children
            )
            if (
                t.dep_ == "ccomp"
                and finite
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            ):
                return child
    return None


_SETTING_PREPS = frozenset({"to", "with", "against", "before", "at", "into", "toward", "towards"})


_TOPIC_PREPS = frozenset({"about", "of", "on"})


def _no_statement_object(verb: Token) -> bool:
    """Objects that are no statement: what someone seeks or wants (an intention "to" do
    something is one), what a person finds ("found a way", "find jobs")
    -- only a poll, study or record finds a claim -- and where or when someone spoke
    ("spoke outside the polling station"): speaking reports a topic only "about"/"of"/"on"
    something."""
    word = lemma(verb)
    if word in THOUGHT_VERBS:
        # "plans to run", "wants to see changes": an intention; "seeking a fifth term",
        # "wants our guns": something pursued, not a thought anyone states
        return not any(c.dep_ == "xcomp" for c in verb.rights)
    if word == "find":
        subj = subject_of(verb)
        return subj is None or not _evidence_like(subj)
    if word in ("speak", "talk"):
        return not any(
            c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and not _time(c) for c in verb.rights
        )
    return False


def _time(prep: Token) -> bool:
    """ "on Tuesday": a preposition whose object is a date or a time."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _evidence_like(subj: Token) -> bool:
    """A poll, study, report or record (or an organisation's investigation) as subject."""
    words = {t.lower_ for t in subj.subtree} | {subj.lemma_.lower()}
    return bool(words & EVIDENCE_NOUNS)


def _without_addressee(verb: Token, tokens: list[Token]) -> list[Token]:
    """The object of "told The Daily Record" is the person told, not content: drop the
    addressee; nothing left means nothing reported."""
    talk = lemma(verb) in ("speak", "talk")
    if lemma(verb) not in ADDRESSEE_VERBS and not talk:
        return tokens
    drop: set[int] = set()
    for child in verb.rights:
        addressee = not talk and child.dep_ in ("dobj", "dative")
        # "spoke to a gathering", "spoke against the backdrop": audience or setting
        if addressee or (talk and child.dep_ == "prep" and child.lower_ in _SETTING_PREPS):
            drop.update(t.i for t in child.subtree)
    kept = [t for t in tokens if t.i not in drop]
    if not any(t.is_alpha for t in kept):
        return []
    return kept


def _no_comment(verb: Token) -> bool:
    """ "X declined to comment", "refused to say": a statement that nothing was said."""
    if lemma(verb) not in ("decline", "refuse"):
        return False
    return any(c.dep_ == "xcomp" and lemma(c) in NO_COMMENT_VERBS for c in verb.children)


def _clause_before(verb: Token) -> bool:
    """ "The bridge was never inspected, an investigation found": the reported clause
    comes first, set off by a comma, and the cue closes the sentence."""
    comp = next(c for c in verb.children if c.dep_ == "ccomp")
    doc = verb.doc
    right = comp.right_edge.i
    return comp.i < verb.i and right + 1 < len(doc) and doc[right + 1].text in (",", "—", "–")


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _belief_clause(verb: Token) -> bool:
    """ "Bush hopes his campaign could turn", "records show he donated": a belief or a
    finding whose complement is a whole finite clause with its own subject, "that" or not
    (a bare object, "shows Cruz ahead", is a description, not a claim)."""
    if lemma(verb) not in THOUGHT_VERBS | EVIDENCE_VERBS:
        return False
    comp = next(c for c in verb.children if c.dep_ == "ccomp")
    if comp.i < verb.i:
        return False
    subj = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in comp.children)
    finite = comp.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in comp.children
    )
    return subj and finite


def _that_clause(verb: Token) -> bool:
    comp = next(c for c in verb.children if c.dep_ == "ccomp")
    return any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in comp.children)


_SET_OFF_MARKS = (",", "—", "–", "-")


def _set_off(tok: Token) -> bool:
    """``..., officials said``: the cue's clause is set off by a comma or dash (which the
    parser may hang on the cue itself: "A, Mr. Clarke said, until B")."""
    left = tok.left_edge.i
    doc = tok.doc
    if left < tok.i and doc[left].text in _SET_OFF_MARKS:
        # only a frame ("Mr. Clarke said"): a participle the comma hangs on ("...,
        # claiming his third victory") or a clause of its own is no frame around its head
        return _bare_frame(tok)
    return left > 0 and doc[left - 1].text in _SET_OFF_MARKS


def _wraps(verb: Token) -> bool:
    """The cue's clause sits inside the clause it reports: "A, he said, B" (the parser
    hangs it under B, or under A as a parenthetical aside)."""
    return (
        parenthetical(verb, own_commas=True)
        or _lead_clause(verb) is not None
        or _split_subject(verb) is not None
        or (
            verb.dep_ in ("parataxis", "ccomp", "advcl")
            and verb.head.i < verb.i
            and _set_off(verb)
            and _bare_frame(verb)
        )
    )


def _object_of_its_own(verb: Token) -> bool:
    """ "In a clip for the show, Blige sings Springsteen's “American Skin”": a clause
    before the cue is no report of a cue with an object of its own after it (an addressee,
    "..., he told reporters", is no such object)."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    return (
        all(c.i < verb.i for c in comps)
        and lemma(verb) not in ADDRESSEE_VERBS
        and any(c.dep_ == "dobj" and c.left_edge.i == verb.i + 1 for c in verb.children)
    )  # right after the verb: "said in his book, “An American Son”" names the book


def _without_leading_work(idx: DocIndex, tokens: list[Token]) -> list[Token]:
    """ "said on CBS’s “Face the Nation” that ...": the parser may take the show's name
    for the clause's verb; the words reported start after it."""
    if not tokens or not idx.works:
        return tokens
    first, last = tokens[0].i, tokens[-1].i
    for i, j in idx.works:
        # the show and what leads to it ("Sunday on ABC’s") before any verb of the clause
        lead = [t for t in tokens if t.i < i]
        verbs = [t for t in lead if t.pos_ in ("VERB", "AUX") and t.lower_ not in ("’s", "'s")]
        if first <= j and i - 1 <= last and not verbs:
            return [t for t in tokens if t.i > j]
    return tokens


def _split_subject(verb: Token) -> tuple[Token, Token] | None:
    """(A, B) of "A, X said, B" parsed as the cue's own modifier A and conjunct B: A a
    noun phrase set off before the cue's subject (not a date: "This week, X said"), B a
    verb with no subject of its own set off after it."""
    doc = verb.doc
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    if subj is None or subj.left_edge.i < 2 or doc[subj.left_edge.i - 1].text != ",":
        return None
    lead = next(
        (
            c
            for c in verb.lefts
            if c.dep_ in ("npadvmod", "nsubj", "dep")
            and c.pos_ in ("NOUN", "PRON")
            and c.right_edge.i == subj.left_edge.i - 2
            and c.ent_type_ not in ("DATE", "TIME")
        ),
        None,
    )
    rest = next(
        (
            c
            for c in verb.rights
            if c.dep_ == "conj"
            and c.pos_ in ("VERB", "AUX")
            and doc[c.left_edge.i - 1].text == ","
            and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children)
        ),
        None,
    )
    if lead is None or rest is None or any(c.dep_ == "cc" for c in verb.rights):
        return None
    return lead, rest


def _lead_clause(verb: Token) -> Token | None:
    """The opening clause A of "A, he said, B" when the parser hung it on the cue (which
    it hangs on B): only a bare frame, set off by commas on both sides."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or head.i <= verb.i:
        return None
    doc = verb.doc
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    lead = next((c for c in verb.lefts if c.dep_ in ("advcl", "ccomp")), None)
    if subj is None or lead is None or lead.right_edge.i >= subj.left_edge.i:
        return None
    if doc[subj.left_edge.i - 1].text not in _SET_OFF_MARKS:
        return None
    rights = list(verb.rights)
    if any(c.dep_ not in ("punct", "advmod", "npadvmod") for c in rights):
        return None
    after = verb.right_edge.i
    if doc[after].text not in _SET_OFF_MARKS:
        after += 1
    if after >= len(doc) or doc[after].text not in _SET_OFF_MARKS:
        return None
    return lead


def _bare_frame(verb: Token) -> bool:
    """Only "<subject> <verb> [when]": its own subject ("..., claiming his third victory"
    borrows the clause's), and nothing it says or joins of its own ("..., while other
    surveys show B", "..., because companies do not disclose B")."""
    return any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children) and not any(
        c.dep_ in _NOT_A_FRAME for c in verb.children
    )


_NOT_A_FRAME = frozenset({"mark", "ccomp", "xcomp", "dobj", "advcl", "attr", "acomp", "conj"})


def reported_candidates(
    idx: DocIndex, reg: SpeakerRegistry, skip: list[tuple[int, int]]
) -> list[Candidate]:
    """Reported speech outside the char ranges in ``skip`` (direct quotes)."""
    doc = idx.doc
    out: list[Candidate] = []
    skip_i = 0
    for tok in doc:
        if len(out) >= MAX_CANDIDATES:
            break
        while skip_i < len(skip) and skip[skip_i][1] <= tok.idx:
            skip_i += 1
        if skip_i < len(skip) and skip[skip_i][0] <= tok.idx < skip[skip_i][1]:
            continue  # inside a direct quote: the quote is the statement
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if reg.quote_at(tok.idx) is not None:
                continue  # inside someone's quoted words: their source, not the reporter's
            cand = _according(idx, tok, reg)
            if cand:
                out.append(cand)
            continue
        if tok.lower_ in _POINT_OF_VIEW_PREPS and tok.dep_ == "prep":
            cand = _in_ones_view(idx, tok, reg)
            if cand is not None:
                out.append(cand)
                continue
        if tok.lower_ == "in" and tok.dep_ == "prep":
            cand = _in_a_poll(idx, tok, reg)
            if cand is not None:
                out.append(cand)
            continue
        if tok.pos_ == "ADJ" and tok.lower_ in BELIEF_ADJECTIVES:
            cand = _belief_adjective(idx, tok, reg)
            if cand is not None:
                out.append(cand)
            continue
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in SPEECH_NOUNS:
            cand = _noun_report(idx, tok, reg)
            if cand is not None:
                out.append(cand)
            continue
        if tok.pos_ != "VERB" or not is_reporting_verb(tok) or _asked_about(tok):
            continue
        if tok.dep_ == "xcomp" and lemma(tok.head) in DIRECTIVE_VERBS:
            continue  # "urged employees to report abuses": asked to speak, not speaking
        tokens = _without_leading_work(idx, _content(idx, tok))
        span = content_span(idx.text, tokens, MIN_WORDS)
        if span is None:
            continue
        subj = subject_of(tok)
        if subj is None or _generic_you(tok, subj) or _borrowed_believer(tok):
            continue
        relative = _relative_head(tokens, subj)
        if span[0] <= subj.idx < span[1] and not (relative or _wraps(tok)):
            continue  # "A, he said, B" wraps its frame; anywhere else the subject is content
        speaker = resolve(subj, reg)
        if speaker is None:
            continue  # "it was said that ..." attributes nothing
        unit = idx.unit_of[tok.i]
        cand = Candidate("indirect", span[0], span[1], (unit, unit), idx.para_of(span[0]))
        cand.segments = content_segments(idx.text, tokens)
        if relative:
            # "which officials said will cost more": the pronoun is the frame's link
            link = min(t.idx for t in tokens)
            cand.segments = [seg for seg in cand.segments if seg[0] > link]
        cand.speaker = speaker
        cand.confidence = _confidence(speaker)
        cand.set_cue(tok)
        out.append(cand)
    return out


def _in_a_poll(idx: DocIndex, prep: Token, reg: SpeakerRegistry) -> Candidate | None:
    """ "In a CNN poll released Monday, 50 percent chose Clinton": the clause the phrase
    opens is the poll's finding."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    head = prep.head
    if pobj is None or pobj.lower_ not in POLL_NOUNS or head.pos_ not in ("VERB", "AUX"):
        return None
    if prep.i > head.i or head.dep_ not in ("ROOT", "ccomp", "conj"):
        return None  # only a phrase that opens its clause ("leads in the polls" is a state)
    if is_reporting_verb(head):
        return None  # "In the poll, 46 percent said ...": the respondents' words
    unit = idx.unit_of[prep.i]
    own = {t.i for t in prep.subtree}
    tokens = _in_unit(idx, [t for t in head.subtree if t.i not in own and t.i > prep.i], unit)
    return _cue_candidate(idx, tokens, unit, resolve(pobj, reg), prep)


_POINT_OF_VIEW_PREPS = frozenset({"in", "to", "by"})


def _in_ones_view(idx: DocIndex, prep: Token, reg: SpeakerRegistry) -> Candidate | None:
    """ "In his view, the plan fails", "Europeans are safe in their eyes", "By Ruiz's
    account, ...": the clause the phrase frames is the owner's belief or telling."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    head = prep.head
    if pobj is None or head.pos_ not in ("VERB", "AUX") or len(list(pobj.children)) != 1:
        return None  # only the bare "his view" ("in his view of the war" is a topic)
    nouns = ACCOUNT_NOUNS if prep.lower_ == "by" else VIEW_NOUNS | ACCOUNT_NOUNS
    if pobj.lower_ not in nouns:
        return None  # "by his view" frames nothing
    owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
    if owner is None or is_reporting_verb(head):
        return None  # "in his view, he said ...": the verb reports it already
    unit = idx.unit_of[prep.i]
    own = {t.i for t in prep.subtree}
    tokens = _in_unit(idx, [t for t in head.subtree if t.i not in own], unit)
    return _cue_candidate(idx, tokens, unit, resolve(owner, reg), pobj)


def _belief_adjective(idx: DocIndex, adj: Token, reg: SpeakerRegistry) -> Candidate | None:
    """ "Many Democrats are afraid that ...", "Republicans were confident the bill would
    pass": a belief adjective after a copula with a clause of its own is the subject's
    thought (a finite clause: "afraid to lose" reports nothing)."""
    if adj.dep_ != "acomp" or adj.head.lemma_ not in ("be", "remain", "seem", "appear"):
        return None
    clause = next((c for c in adj.rights if c.dep_ == "ccomp"), None)
    if clause is None or not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
        return None
    subj = next((c for c in adj.head.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in ("it", "this", "that", "there"):
        return None  # "it is certain that ...": nobody's thought
    unit = idx.unit_of[adj.i]
    return _cue_candidate(
        idx, _in_unit(idx, list(clause.subtree), unit), unit, resolve(subj, reg), adj
    )


def _noun_report(idx: DocIndex, noun: Token, reg: SpeakerRegistry) -> Candidate | None:
    """ "Trump's claim that there have been thousands of shootings", "a warning by the
    mayor that ...": a speech noun with an owner and a "that" clause reports the clause."""
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ in ("acl", "ccomp")
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
    if owner is None or owner.lower_ in ("its", "their") and owner.pos_ == "PRON":
        return None
    unit = idx.unit_of[noun.i]
    return _cue_candidate(
        idx, _in_unit(idx, list(clause.subtree), unit), unit, resolve(owner, reg), noun
    )


def _cue_candidate(
    idx: DocIndex, tokens: list[Token], unit: int, speaker: Speaker | None, cue: Token
) -> Candidate | None:
    """Reported words ``tokens`` of ``speaker`` with the one-token ``cue`` (a noun or a
    preposition, which ``set_cue`` takes as well as a verb); None without both."""
    span = content_span(idx.text, tokens, MIN_WORDS)
    if span is None or speaker is None:
        return None
    cand = Candidate("indirect", span[0], span[1], (unit, unit), idx.para_of(span[0]))
    cand.segments = content_segments(idx.text, tokens)
    cand.speaker = speaker
    cand.confidence = _confidence(speaker)
    cand.set_cue(cue)
    return cand


def _asked_about(verb: Token) -> bool:
    """ "Asked if he believed the attack was ..., Carson said": the clause is the
    question put to him, not something he said or believes."""
    return lemma(verb.head) == "ask" and any(
        c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in verb.children
    )


def _borrowed_believer(verb: Token) -> bool:
    """ "without knowing how", "understanding exactly how": a belief or intention whose
    subject is only inherited from another clause is a manner, not someone's thought."""
    return lemma(verb) in THOUGHT_VERBS and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    )


def _generic_you(verb: Token, subj: Token) -> bool:
    """ "Do you know where ...?", "You know what they say": in the narration "you" is the
    reader or anyone, and what "you" think is nobody's statement."""
    return subj.lower_ == "you" and lemma(verb) in THOUGHT_VERBS


_RELATIVES = frozenset({"which", "what", "who", "whom"})


def _relative_head(tokens: list[Token], subj: Token) -> bool:
    """ "rules which officials said will cost more", "what she said is a growing demand":
    the reported clause opens with a relative pronoun ahead of the cue's own subject."""
    first = min(tokens, key=lambda t: t.i)
    return first.lower_ in _RELATIVES and first.i < subj.i


def _confidence(speaker: Speaker) -> float:
    return reported_confidence(speaker.kind, speaker.distance)


def _according(idx: DocIndex, tok: Token, reg: SpeakerRegistry) -> Candidate | None:
    doc = idx.doc
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    speaker = resolve(pobj, reg)
    if speaker is None:
        return None
    unit = idx.unit_of[tok.i]
    phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
    # the clause "according to X" qualifies: the whole sentence minus the phrase
    s, e = idx.units[unit]
    lo, hi = min(phrase), max(phrase)
    if lo <= s and hi >= e - 2:
        # the parser hung the whole sentence on "According" ("According to X, the move
        # reeks of ..."): the phrase ends at the comma after the source
        comma = next((k for k in range(to.i + 1, e) if doc[k].text == ","), None)
        if comma is None:
            return None
        hi = comma
    before = [doc[i] for i in range(s, lo)]
    after = [doc[i] for i in range(hi + 1, e)]
    # "..., according to X, ..." in mid-sentence: keep both sides
    tokens = before + after if before and after else before or after
    span = content_span(idx.text, tokens, MIN_WORDS)
    if span is None:
        return None
    cand = Candidate("indirect", span[0], span[1], (unit, unit), idx.para_of(span[0]))
    cand.segments = content_segments(idx.text, tokens)  # both sides of "according to X"
    cand.speaker = speaker
    cand.confidence = _confidence(speaker) + CALIBRATION.according_to
    cand.cue = ("according to", tok.idx, to.idx + len(to))
    cand.cue_token = tok.i
    return cand
