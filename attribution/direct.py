"""Direct and partial quotes: quoted stretches from ``marks`` attributed on the parse."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from saidwho.core.marks import QUOTE_CHARS, Quoted, q_width

from .confidence import direct_confidence
from .cues import (
    complement,
    is_reporting_verb,
    parenthetical,
    reporting_ancestor,
    subject_of,
    without_second_report,
)
from .cues import (
    lemma as verb_lemma,
)
from .lexicon import (
    ADDRESSEE_VERBS,
    ANSWER_NOUNS,
    MEDIUM_NOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TITLE_MINOR_WORDS,
)
from .speakers import Speaker, SpeakerRegistry, resolve
from .units import DocIndex, content_span, tidy

_INTRO_PUNCT = frozenset({":", ",", "—", "–", "-", "(", "...", "…", ";"})
_INTRO_WORDS = frozenset({"that", "said", "says", "say", "saying", "added", "wrote", "told"})


@dataclass
class Candidate:
    """A quote before it becomes a ``Quote``: spans, kind, cue, speaker, confidence."""

    kind: str
    start: int
    end: int
    units: tuple[int, int]  # first and last sentence unit
    para: int
    confidence: float = 0.0
    speaker: Speaker | None = None
    cue: tuple[str, int, int] | None = None
    cue_token: int | None = None
    floating: bool = False
    origin: str = ""  # "headline" for the colon-attributed title
    inferred: bool = False  # speaker guessed from the sentence, not from a cue
    marks: tuple[int, int] | None = None  # [opening mark, after the closing mark) of a quote
    # the speaker's own words, in order (empty: the whole [start, end)); a direct quote's
    # pieces with their marks, reported speech's content without the attribution frame
    segments: list[tuple[int, int]] = field(default_factory=list)

    def set_cue(self, tok: Token | None) -> None:
        if tok is not None:
            self.cue = (tok.text, tok.idx, tok.idx + len(tok))
            self.cue_token = tok.i


def _frame_cue(idx: DocIndex, lo: int, hi: int, open_tok: int, close_tok: int) -> Token | None:
    """The reporting verb in units ``[lo, hi]`` outside the quote that is closest to it."""
    doc = idx.doc
    best: tuple[int, Token] | None = None
    # a bounded window: a "sentence" of thousands of quoted cells stays linear
    first = max(idx.units[lo][0], open_tok - CUE_WINDOW)
    for i in range(first, min(idx.units[hi][1], close_tok + CUE_WINDOW + 1)):
        if open_tok <= i <= close_tok:
            continue
        tok = doc[i]
        if not is_reporting_verb(tok):
            continue
        dist = open_tok - i if i < open_tok else i - close_tok
        # a cue after the quote ("...,” she said) beats one before at equal distance
        score = dist * 2 + (1 if i < open_tok else 0)
        if best is None or score < best[0]:
            best = (score, tok)
    return best[1] if best else None


def _subject_follows_quote(idx: DocIndex, verb: Token, close_tok: int) -> bool:
    """“...,” Blige sings: the verb's subject is the first word after the closing mark."""
    subj = subject_of(verb)
    if subj is None or verb.i <= close_tok:
        return False
    k = close_tok + 1
    doc = idx.doc
    while k < subj.left_edge.i and (doc[k].is_punct or doc[k].is_space):
        k += 1
    return k == subj.left_edge.i


def _after_cue_comma(idx: DocIndex, comma: Token) -> bool:
    """The comma before a quote follows a reporting verb ("said, “...”")."""
    before = _prev_token(idx, comma.i, idx.units[idx.unit_of[comma.i]][0])
    return before is not None and is_reporting_verb(before)


# a longer sentence after a quote that ends in "!" or "?" is still only its attribution when
# it opens with the cue's subject: “...!” Scott's niece, state Del. Marcia Price, shouted.
ATTRIBUTION_MAX_TOKENS = 30


def _attribution_sentence(idx: DocIndex, cue: Token, close_tok: int) -> bool:
    """The sentence after the quote is "<speaker, however long> <cue> [someone] [, doing
    something]": it opens with the cue's subject and the cue reports no clause of its own."""
    ns, ne = idx.units[idx.unit_of[cue.i]]
    return (
        ne - ns <= ATTRIBUTION_MAX_TOKENS
        and cue.dep_ == "ROOT"
        and _subject_follows_quote(idx, cue, close_tok)
        and not any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)
    )


def _next_to(cue: Token, open_tok: int, close_tok: int) -> bool:
    """The cue is within three tokens of the quote's marks."""
    return 0 < cue.i - close_tok <= 3 or 0 < open_tok - cue.i <= 3


def _prev_token(idx: DocIndex, i: int, floor: int) -> Token | None:
    j = i - 1
    while j >= floor and idx.doc[j].is_space:
        j -= 1
    return idx.doc[j] if j >= floor else None


def _adjacent_verb(idx: DocIndex, open_tok: int, close_tok: int) -> Token | None:
    """Any verb with a subject right beside the quote: “...,” Oliver barked. / She
    shrugged: “...”. Manner-of-speaking verbs are too many to list."""
    doc = idx.doc
    n = len(doc)
    unit = idx.unit_of[close_tok]
    k, seen = close_tok + 1, 0
    while k < n and idx.unit_of[k] == unit and seen < 4:
        tok = doc[k]
        if tok.is_space or tok.is_punct:
            if tok.text not in (",", "”", '"', "’"):
                break
        else:
            seen += 1
            if tok.pos_ == "VERB":
                return tok if _speaker_subject(tok, open_tok, close_tok) else None
        k += 1
    k = open_tok - 1
    if k > 0 and doc[k].text in (":", ","):
        unit = idx.unit_of[open_tok]
        for m in range(k - 1, max(k - 4, idx.units[unit][0] - 1), -1):
            tok = doc[m]
            if tok.pos_ == "VERB":
                return tok if _speaker_subject(tok, open_tok, close_tok) else None
    return None


# how many tokens either side of a quote a cue may be: beyond, the sentence is a list
CUE_WINDOW = 60

_DASHES = frozenset({"―", "—", "–", "-", "--"})
# “...” ― Jorge Falcon / ”― Ann Lee. / ” -Ann Lee: a signature line after the closing mark;
# matched on the text because the parser glues the dash to the mark or the name
_SIGNATURE = re.compile(
    r"[.,]?[ \t\u00a0]*(―|—|–|--|-)[ \t\u00a0]*"
    r"((?:[A-Z][\w’'.-]*|[A-Z])(?:[ \u00a0]+(?:[A-Z][\w’'.-]*|[A-Z]\.?)){0,4})"
    r"[.]?(?:,[^\n]{0,80})?[ \t\u00a0]*(?:\n|$)"
)


def _signature_speaker(
    idx: DocIndex, close_end: int, reg: SpeakerRegistry
) -> tuple[Speaker, tuple[str, int, int]] | None:
    """A dash signature that ends the line right after the closing mark: who signed it."""
    m = _SIGNATURE.match(idx.text, close_end)
    if m is None:
        return None
    s, e = m.span(2)
    while e > s and idx.text[e - 1] == ".":
        e -= 1
    name = idx.text[s:e]
    i, j = idx.token_range(s, e)
    toks = [t for t in idx.doc[i:j] if not t.is_space]
    # a name, not "— Updated": two capitalised words or a word the parser calls a name
    if len(name.split()) < 2 and not any(
        t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in toks
    ):
        return None
    if toks and any(t.ent_type_ in ("DATE", "TIME") for t in toks):
        return None
    canon = reg.add_person(name, toks[-1].i if toks else i, None, True)
    d0, d1 = m.span(1)
    return Speaker(canon, s, e, None, "name"), (m.group(1), d0, d1)


def _speaker_subject(verb: Token, open_tok: int, close_tok: int) -> bool:
    subj = subject_of(verb)
    return (
        subj is not None
        and not (open_tok <= subj.i <= close_tok)
        and subj.pos_ in ("PROPN", "PRON", "NOUN")
    )


def _outside_subject(verb: Token, lo: int, hi: int) -> Token | None:
    """The cue's subject outside the quoted chars ``[lo, hi)``, nearest the cue."""
    subs = [c for c in verb.children if c.dep_ == "nsubj" and not (lo <= c.idx < hi)]
    # a word before punctuation: 'said [red]Bob[/red] Smith' makes "[" a subject too
    subs.sort(key=lambda c: (not any(ch.isalpha() for ch in c.text), abs(c.i - verb.i)))
    return subs[0] if subs else None


_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "SPACE"})


def _name_before_cue(idx: DocIndex, close_tok: int, cue: Token) -> Token | None:
    """“...,” Police Chief Ann Lee said Monday. -- only a name between the closing mark
    and the cue, however the parser attached it: the name's last word."""
    doc = idx.doc
    if not (close_tok < cue.i <= close_tok + 8) or idx.unit_of[cue.i] != idx.unit_of[close_tok]:
        return None
    between = [t for t in doc[close_tok + 1 : cue.i] if t.text not in (",", "”", '"', "’")]
    if not between or any(t.pos_ not in _NAME_POS and not t.ent_type_ for t in between):
        return None
    person = [t for t in between if t.ent_type_ == "PERSON"]
    if person:
        return person[-1]
    return between[-1] if between[-1].pos_ == "PROPN" else None


def _name_after_cue(idx: DocIndex, cue: Token, open_tok: int) -> Token | None:
    """Said Ellis: “...” -- an inverted lead-in: only a name between the cue and the
    quote's opening (a colon or comma before it), however the parser attached it."""
    doc = idx.doc
    if not (cue.i < open_tok <= cue.i + 8) or idx.unit_of[cue.i] != idx.unit_of[open_tok]:
        return None
    between = [t for t in doc[cue.i + 1 : open_tok] if not t.is_space]
    while between and between[-1].text in (":", ","):
        between = between[:-1]
    if not between or any(t.pos_ != "PROPN" and not t.text[:1].isupper() for t in between):
        return None
    person = [t for t in between if t.ent_type_ == "PERSON"]
    if person:
        return person[-1]
    return between[-1] if between[-1].pos_ == "PROPN" else None


def _colon_speaker(
    idx: DocIndex, colon: Token, reg: SpeakerRegistry
) -> tuple[Speaker, Token] | None:
    """``X: “...”``, ``X said:`` or ``From X:`` before a quote: who is introduced."""
    doc = idx.doc
    unit_start = idx.units[idx.unit_of[colon.i]][0]
    for j in range(colon.i - 1, max(unit_start, colon.i - 12) - 1, -1):
        tok = doc[j]
        if is_reporting_verb(tok):
            subj = subject_of(tok)
            sp = resolve(subj, reg) if subj is not None else None
            return (sp, tok) if sp is not None else None
        if tok.lower_ == "from" and j + 1 < colon.i:
            span = doc[j + 1 : colon.i]
            person = [t for t in span if t.ent_type_ == "PERSON"]
            head = person[-1] if person else span.root
            sp = resolve(head, reg)
            return (sp, tok) if sp is not None else None
    if colon.i - 1 >= unit_start:
        # headline style "Trump: ..." -- a short name phrase ending at the colon
        span = doc[unit_start : colon.i]
        head = span.root
        if len(span) <= 6 and head.pos_ == "PROPN":
            sp = resolve(head, reg)
            if sp is not None:
                return sp, head
        # "She then addressed the supporters again: “...”" -- the clause's own subject
        if head.pos_ == "VERB":
            subj = subject_of(head)
            if subj is not None and subj.pos_ in ("PROPN", "PRON") and subj.i < colon.i:
                sp = resolve(subj, reg)
                if sp is not None:
                    return sp, head
    # "As Ann Lee observed, the winner was the town itself:" -- a reporting clause
    # earlier in the lead-in sentence names who is quoted
    for j in range(max(unit_start, colon.i - 12) - 1, unit_start - 1, -1):
        tok = doc[j]
        if is_reporting_verb(tok):
            subj = subject_of(tok)
            if subj is not None and subj.pos_ == "PROPN":
                sp = resolve(subj, reg)
                if sp is not None and sp.name is not None:
                    return sp, tok
            break
    return None


def _quote_root(doc: Doc, i: int, j: int) -> Token | None:
    """The token inside ``doc[i:j]`` whose head lies outside it (the quote's attachment)."""
    for tok in doc[i:j]:
        if tok.is_punct or tok.is_space:
            continue
        if not (i <= tok.head.i < j) or tok.head.i == tok.i:
            return tok
    return None


def direct_candidates(idx: DocIndex, quoted: list[Quoted], reg: SpeakerRegistry) -> list[Candidate]:
    doc = idx.doc
    n = len(doc)
    out: list[Candidate] = []
    for q in quoted:
        text = idx.text[q.start : q.end]
        if not text.strip():
            continue  # “” carries no statement
        start = q.start + (len(text) - len(text.lstrip()))
        end = q.end - (len(text) - len(text.rstrip()))
        i, j = idx.token_range(start, end)
        if i >= j or i >= n:
            continue
        open_tok = idx.token_at(q.open_at)
        close_tok = min(idx.token_at(q.close_at) if q.close_at is not None else j - 1, n - 1)
        u0, u1 = idx.unit_of[open_tok], idx.unit_of[close_tok]
        inner = doc[i:j]
        words = sum(t.is_alpha for t in inner)
        prev = _prev_token(idx, open_tok, idx.units[u0][0])
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in inner)
        intro = (
            prev is None
            or prev.text in _INTRO_PUNCT
            or (prev.lower_ in _INTRO_WORDS or is_reporting_verb(prev))
        ) and not (
            prev is not None and prev.lower_ == "that" and prev.dep_ in ("nsubj", "nsubjpass")
        )
        # ('a framework that “reaffirms ...”': a relative "that" opens no statement)
        if _nickname(doc, i, j, prev):
            continue  # lead singer Riefian “Ifan” Fajarsyah: part of a name, nobody's words
        if _work_in_apposition(doc, prev) and _is_title(inner, verbs=True):
            idx.works.append((i, j))
            continue  # "in his 2002 book, ''Make Your Kid a Millionaire,''": a title
        nxt = _next_word(idx, close_tok, u1)
        # 'Ryan said that “we need more information” about the case': quoted words inside a
        # clause that goes on are part of reported speech, not a statement of their own
        embedded = (
            q.closed
            and u1 == u0
            and q.pieces == 1
            and prev is not None
            and prev.text != ":"
            and nxt is not None
            and nxt.is_alpha
            and nxt.pos_ not in ("PROPN", "PRON", "DET")
            and not is_reporting_verb(nxt)
        )
        # several sentences by the last quoted word, not the closing mark: the parser often
        # starts a new sentence at the mark after 'handed out "like candy."'
        full = (
            not embedded
            and (
                q.pieces > 1
                or idx.unit_of[j - 1] > u0
                or (intro and has_verb and words >= 3)
                # a man yelled “Stay there!”: a short exclamation or question is a sentence
                or (intro and has_verb and words >= 2 and text.rstrip()[-1:] in ("!", "?"))
                or (prev is not None and prev.text == ":" and words >= 2)
                # 'by interjecting, “Only Rosie.”': a quote right after "<reporting verb>,"
                or (prev is not None and prev.text == "," and _after_cue_comma(idx, prev))
                or (prev is None and words >= 4 and text.strip()[:1].isupper())
                or (
                    prev is None and text.rstrip()[-1:] == "," and words >= 1
                )  # “Honestly,” he said
            )
        )
        cand = Candidate("direct" if full else "partial", start, end, (u0, u1), idx.para_of(start))
        close_end = q.close_at + q_width(idx.text, q.close_at) if q.close_at is not None else end
        cand.marks = (q.open_at, close_end)
        if full:
            # a quotation run over paragraphs is one piece per paragraph, each with its marks
            cand.segments = _per_paragraph(idx, *cand.marks) if q.pieces > 1 else [cand.marks]
            _attribute_direct(idx, cand, q, reg, open_tok, close_tok, prev)
        else:
            # “Broad City”: a capitalised name of a work is nobody's words unless a
            # reporting verb governs it
            title = _is_title(inner)
            if (
                _names_a_work(prev)
                and _is_title(inner, verbs=True)
                and not (prev is not None and prev.lower_ == "of" and _slogan(doc, i, j))
            ):
                idx.works.append((i, j))  # the reported clause must not start with it
                continue  # told MSNBC’s “Morning Joe”, on CBS’s “Face the Nation”
            said = _attribute_partial(
                idx, cand, reg, i, j, open_tok, close_tok, q.close_at, loose=not title
            )
            if not said and title:
                continue
            if not said and not _modifier(doc, i, j):
                _grow_unattributed(idx, cand, reg, i, j, q.close_at)
                if cand.speaker is None and not _defined_term(doc, i, j):
                    _sentence_speaker(idx, cand, reg, i, j)
            # quoted words with no one to say them (scare quotes): kept as they are, with no
            # speaker and a low confidence -- a reader still wants to ask who said them
        cand.confidence = _confidence(cand, open_tok, close_tok)
        out.append(cand)
    return _join_pieces(out)


def _attribute_direct(
    idx: DocIndex,
    cand: Candidate,
    q: Quoted,
    reg: SpeakerRegistry,
    open_tok: int,
    close_tok: int,
    prev: Token | None,
) -> None:
    doc = idx.doc
    u0, u1 = cand.units
    if q.close_at is not None:
        signed = _signature_speaker(idx, q.close_at + q_width(idx.text, q.close_at), reg)
        if signed is not None:
            cand.speaker, cand.cue = signed
            return
    named = _named_as_answer(idx, close_tok, u1)
    if named is not None:
        noun, owner = named  # “Not a chance” was the mayor’s reply
        cand.set_cue(noun)
        cand.speaker = resolve(owner, reg)
        return
    cue = _frame_cue(idx, u0, u1, open_tok, close_tok)
    if cue is None and u1 + 1 < len(idx.units):
        # “....” Trump said. -- a short attribution sentence right after, same paragraph
        ns, ne = idx.units[u1 + 1]
        if ns <= close_tok + 2 and "\n" not in idx.text[doc[close_tok].idx : doc[ns].idx]:
            cue = _frame_cue(idx, u1 + 1, u1 + 1, open_tok, close_tok)
            if cue is not None and ne - ns > 8:
                # a long one only after “...!” or “...?” opening a paragraph (a full stop
                # ends the statement; mid-paragraph, the quote goes on someone's statement)
                ends = idx.text[cand.start : cand.end].rstrip(QUOTE_CHARS + " ")[-1:]
                line = idx.text[idx.text.rfind("\n", 0, q.open_at) + 1 : q.open_at]
                if (
                    ends not in ("!", "?")
                    or line.strip()
                    or not _attribution_sentence(idx, cue, close_tok)
                ):
                    cue = None
    adjacent = _adjacent_verb(idx, open_tok, close_tok)
    if cue is None or (
        adjacent is not None
        and _subject_follows_quote(idx, adjacent, close_tok)
        and not _next_to(cue, open_tok, close_tok)
    ):
        # “...,” Blige sings to Clinton before asking her, “...”: the verb right after
        # the closing mark, whatever it is, beats a reporting verb further off
        cue = adjacent or cue
    if cue is not None:
        cand.set_cue(cue)
        inside = (q.open_at, q.close_at or q.end)
        subj = subject_of(cue)
        if subj is not None and close_tok < cue.i < subj.i:
            # “...,” Flynn, a top aide, said on Fox's “Fox and Friends.”: the parser made a
            # quoted title after the cue its subject; the name between quote and cue speaks
            subj = _name_before_cue(idx, close_tok, cue) or subj
        if subj is None or inside[0] <= subj.idx < inside[1]:
            # “Full panic mode,” said Ann Lee: the parser gave the quote the subject role
            subj = _outside_subject(cue, *inside) or _name_before_cue(idx, close_tok, cue)
            if subj is None:
                subj = _name_after_cue(idx, cue, open_tok)
        if subj is not None and not (inside[0] <= subj.idx < inside[1]):
            cand.speaker = resolve(subj, reg)
            sp = cand.speaker
            if sp is not None and sp.start <= cue.idx < sp.end and cue.i < open_tok:
                # "Said Ellis": the mention starts after the inverted cue
                start = cue.idx + len(cue.text_with_ws)
                if start < sp.end:
                    cand.speaker = replace(sp, start=start)
        if cue.i < open_tok and parenthetical(cue):
            # "These sources, the lawyers said, “all command the same conclusion” that ...":
            # the statement is the whole clause around the cue
            s0 = idx.units[u0][0]
            if cue.left_edge.i - s0 >= 2:
                own = {t.i for t in cue.subtree}
                head_tokens = [t for t in cue.head.subtree if t.i not in own]
                span = content_span(idx.text, head_tokens)
                if span is not None and span[0] < cand.start and span[1] >= cand.start:
                    cand.kind = "partial"
                    cand.segments = []
                    e = max(span[1], cand.end)
                    if q.close_at is not None and e == q.close_at:
                        e += q_width(idx.text, q.close_at)
                    cand.start, cand.end = tidy(idx.text, span[0], e)
        return
    colon = None
    if prev is not None and prev.text == ":":
        colon = prev
    elif prev is None and u0 > 0:
        # a quote on its own line after "From X:" / "X said:"
        last = _prev_token(idx, idx.units[u0][0], idx.units[u0 - 1][0])
        if last is not None and last.text == ":":
            colon = last
    if colon is not None:
        found = _colon_speaker(idx, colon, reg)
        if found:
            cand.speaker, tok = found
            if is_reporting_verb(tok):
                cand.set_cue(tok)
            else:
                cand.cue = (":", colon.idx, colon.idx + 1)


GROW_MAX_TOKENS = 40


def _sentence_speaker(idx: DocIndex, cand: Candidate, reg: SpeakerRegistry, i: int, j: int) -> None:
    """Quoted words with no verb of their own to attribute them: the person the sentence is
    about (a reporting verb's subject first, else the main verb's) most likely used them."""
    doc = idx.doc
    s, e = idx.units[cand.units[0]]
    best: tuple[int, Token] | None = None
    for k in range(max(s, i - CUE_WINDOW), min(e, j + CUE_WINDOW)):
        tok = doc[k]
        if i <= k < j or tok.pos_ != "VERB":
            continue
        rank = 0 if is_reporting_verb(tok) else (1 if tok.dep_ == "ROOT" else 2)
        if rank > 1:  # a reporting verb, else the main verb; never any other verb
            continue
        dist = abs(k - i)
        key = rank * 1000 + dist
        if best is None or key < best[0]:
            best = (key, tok)
    if best is None:
        return
    verb = best[1]
    subj = subject_of(verb)
    if subj is None or i <= subj.i < j:
        return
    sp = resolve(subj, reg)
    if sp is not None and sp.name is not None:
        cand.speaker = sp
        cand.set_cue(verb)
        cand.inferred = True


def _modifier(doc: Doc, i: int, j: int) -> bool:
    """A “good faith” gesture: quoted words that only modify the noun after them are the
    writer's scare quote -- no phrase to grow into, nobody to guess."""
    root = _quote_root(doc, i, j)
    return (
        root is not None
        and root.dep_ in ("amod", "compound", "nmod", "nummod")
        and root.head.i >= j
        and root.head.pos_ in ("NOUN", "PROPN")
    )


def _next_word(idx: DocIndex, close_tok: int, unit: int) -> Token | None:
    """The first non-space token after the closing mark, within the quote's unit."""
    doc = idx.doc
    k = close_tok + 1
    end = idx.units[unit][1]
    while k < end and (doc[k].is_space or doc[k].text in ("”", '"', "’", "'")):
        k += 1
    return doc[k] if k < end else None


def _grow_unattributed(
    idx: DocIndex, cand: Candidate, reg: SpeakerRegistry, i: int, j: int, close_at: int | None
) -> None:
    """Quoted words no reporting verb governs still belong to the phrase around them
    ('his promise of “free college”'): the span becomes what the nearest verb above them
    takes as its object or complement, so a reader sees the whole claim."""
    doc = idx.doc
    root = _quote_root(doc, i, j)
    if root is None:
        return
    cur = root
    for _ in range(6):
        parent = cur.head
        if parent.i == cur.i or cur.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return
        if parent.pos_ in ("VERB", "AUX"):
            break
        cur = parent
    else:
        return
    if cand.speaker is None:
        subj = subject_of(parent)
        if subj is not None and not (i <= subj.i < j):
            sp = resolve(subj, reg)
            if sp is not None and sp.name is not None:
                cand.speaker = sp
                cand.set_cue(parent)
                cand.inferred = True
    tokens = [t for t in complement(parent, cur) if idx.unit_of[t.i] == cand.units[0]]
    if not tokens or len(tokens) > GROW_MAX_TOKENS:
        return
    _grow_over(idx, cand, tokens, close_at)


def _grow_over(idx: DocIndex, cand: Candidate, tokens: list[Token], close_at: int | None) -> None:
    """The statement becomes the reported content ``tokens``, grown to take in the whole
    quote and its marks (when the content touches the quote at all)."""
    span = content_span(idx.text, tokens)
    if span is None or not _near(span, cand):
        return
    opened = cand.marks[0] if cand.marks is not None else cand.start - 1  # '' is two wide
    s, e = min(span[0], opened), max(span[1], cand.end)
    if close_at is not None and e == close_at:
        e += q_width(idx.text, close_at)
    cand.start, cand.end = tidy(idx.text, max(0, s), e)


# "on “Meet the Press”", "an interview with “Fox News Sunday”", "told “Fox and Friends”"
_WORK_LEAD = frozenset(
    {"on", "of", "to", "in", "at", "from", "with", "told", "'s", "’s", "s’", "s'"}
)


def _defined_term(doc: Doc, i: int, j: int) -> bool:
    """'A “renoviction” is when a landlord ...': quoted words that are the subject of
    "is" name a term; the sentence defines it, nobody in it said it."""
    root = _quote_root(doc, i, j)
    return root is not None and root.dep_ == "nsubj" and root.head.lemma_ == "be"


def _per_paragraph(idx: DocIndex, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    first = max(0, bisect_right(idx.paragraphs, (start, len(idx.text) + 1)) - 1)
    for p_start, p_end in idx.paragraphs[first:]:
        if p_start >= end:
            break  # the paragraphs after the quote (never a scan of them all: quote-dense text)
        s, e = max(start, p_start), min(end, p_end)
        piece = idx.text[s:e]
        if piece.strip():  # trimmed of spaces only: each paragraph keeps its marks
            lead = len(piece) - len(piece.lstrip())
            out.append((s + lead, s + len(piece.rstrip())))
    return out or [(start, end)]


def _nickname(doc: Doc, i: int, j: int, prev: Token | None) -> bool:
    """One or two capitalised words in marks between a first name and a surname."""
    words = [t for t in doc[i:j] if not t.is_punct]
    after = next((t for t in doc[j : j + 3] if not t.is_punct), None)
    return (
        0 < len(words) <= 2
        and all(t.text[:1].isupper() for t in words)
        and prev is not None
        and after is not None
        and prev.pos_ == "PROPN"
        and after.pos_ == "PROPN"
        and prev.ent_type_ == "PERSON"
        and after.ent_type_ == "PERSON"
    )


def _work_in_apposition(doc: Doc, prev: Token | None) -> bool:
    """The quote follows "<medium noun>," ("In his book, “...”"), with no reporting verb
    before it in the sentence ("wrote in a post on his blog, “...”" quotes the post)."""
    if prev is None or prev.text != "," or prev.i == 0:
        return False
    if doc[prev.i - 1].lower_ not in MEDIUM_NOUNS:
        return False
    start = doc[prev.i].sent.start
    # a report whose content came before it ("A, Mr. Rubio said in his book, ''Title''")
    # leaves the quote after the medium to name it
    return not any(is_reporting_verb(t) and not _content_before(t) for t in doc[start : prev.i])


def _content_before(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children) or (
        verb.dep_ == "parataxis" and verb.head.i < verb.i
    )


def _names_a_work(prev: Token | None) -> bool:
    """A capitalised quote right after a possessive, a preposition or a medium word is the
    name of a show or a work ("the broadcast of “Fox News Sunday”"), not anyone's words."""
    if prev is None:
        return False
    return prev.lower_ in _WORK_LEAD or prev.lower_ in MEDIUM_NOUNS or prev.lower_ == "episode"


_EDGE_PUNCT = QUOTE_CHARS + ".,;:!?()"


def _slogan(doc: Doc, i: int, j: int) -> bool:
    """ "proclaimed a goal of “Peace Through Strength.”": a capitalised phrase after "of"
    (the caller checks), reached from a speech verb through its object and "of" only, is a
    slogan the subject voiced, not a work ("told MSNBC’s “Morning Joe”", "said on CBS’s
    “Face the Nation”")."""
    root = _quote_root(doc, i, j)
    cur = root
    for _ in range(5):
        if cur is None or cur.head.i == cur.i:
            return False
        if cur.dep_ not in ("pobj", "dobj", "prep", "compound", "appos"):
            return False
        if cur.dep_ == "prep" and cur.lower_ != "of":
            return False
        cur = cur.head
        if cur.pos_ == "VERB":
            return (
                cur.dep_ != "amod"
                and verb_lemma(cur) in SPEECH_VERBS
                and verb_lemma(cur) not in ADDRESSEE_VERBS
                and subject_of(cur) is not None
            )
    return False


def _is_title(tokens, verbs: bool = False) -> bool:
    """“Broad City”, “Face the Nation”: a capitalised name of a work, not anybody's words.
    ``verbs``: where a name is expected (after "on", "told", a possessive), also a name
    with a verb in it."""
    words = [t for t in tokens if t.is_alpha]
    longest = 8 if verbs else 5  # "on “The Late Show With Stephen Colbert”"
    if not (
        0 < len(words) <= longest
        and words[0].text[0].isupper()
        and all(t.text[0].isupper() or t.lower_ in TITLE_MINOR_WORDS for t in words)
    ):
        return False
    # a sentence capitalises its first word only: two capitalised words with a verb are
    # still a name ("Meet the Press", “Make America Great Again”); one is a word ('Go.')
    text = "".join(t.text_with_ws for t in tokens)
    capitalised = sum(  # by whitespace: 'Fact-Checking' is one word
        w[:1].isupper() and w.lower() not in TITLE_MINOR_WORDS
        for w in (w.strip(_EDGE_PUNCT) for w in text.split())
    )
    return verbs and capitalised >= 2 or not any(t.pos_ in ("VERB", "AUX") for t in tokens)


def _person_verb_ancestor(tok: Token, reg: SpeakerRegistry) -> tuple[Token, Token] | None:
    """The nearest verb above a quoted fragment whose subject is a named person or a
    pronoun: 'he viewed Obama as “directly responsible”' -- the words are the subject's."""
    cur = tok
    for _ in range(6):
        parent = cur.head
        if parent.i == cur.i:
            return None
        if parent.pos_ == "VERB":
            if cur.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return None
            subj = subject_of(parent)
            if subj is None or subj.pos_ not in ("PROPN", "PRON"):
                return None
            if subj.pos_ == "PRON" and subj.lower_ not in ("he", "she"):
                return None
            if subj.pos_ == "PROPN" and subj.ent_type_ != "PERSON":
                return None
            return parent, cur
        cur = parent
    return None


def _is_pronoun(tok: Token | None) -> bool:
    return tok is not None and tok.pos_ == "PRON"


def _near(span: tuple[int, int], cand: Candidate) -> bool:
    """The content span touches the quote (a final period may hang outside the clause)."""
    return span[0] <= cand.start + 1 and span[1] >= cand.start


def _attribute_partial(
    idx: DocIndex,
    cand: Candidate,
    reg: SpeakerRegistry,
    i: int,
    j: int,
    open_tok: int,
    close_tok: int,
    close_at: int | None,
    loose: bool = True,
) -> bool:
    """Partial quotes take the reported content of the verb that governs them as their span:
    'called for an end to the “war”'."""
    as_cue = _as_clause_cue(idx, cand.units[0], i, j)
    if as_cue is None:
        return _attribute_partial_span(idx, cand, reg, i, j, open_tok, close_tok, close_at, loose)
    # "The museum would tell “an American story,” as Obama put it": the "as" clause names
    # whose words the sentence borrows, whatever verb governs them
    quoted = (cand.start, cand.end)
    if not _attribute_partial_span(idx, cand, reg, i, j, open_tok, close_tok, close_at, loose):
        _grow_unattributed(idx, cand, reg, i, j, close_at)
    _frame_by_as_clause(idx, cand, as_cue, i, close_at, quoted)
    cand.set_cue(as_cue)
    subj = subject_of(as_cue)
    cand.speaker = resolve(subj, reg) if subj is not None and not i <= subj.i < j else None
    return True


def _frame_by_as_clause(
    idx: DocIndex,
    cand: Candidate,
    as_cue: Token,
    i: int,
    close_at: int | None,
    quoted: tuple[int, int],
) -> None:
    """The statement is the whole clause the "as" clause qualifies, without it (not the
    clause of a verb further up: "echo her concerns because A is “B,” as a memo put it"
    borrows the memo's words for A only)."""
    own = {t.i for t in as_cue.subtree}
    unit = cand.units[0]
    lo, hi = as_cue.left_edge.i, as_cue.right_edge.i
    after = lo > i  # ", as Obama put it" follows the quote; "As X said, ..." leads
    clause = [
        t
        for t in as_cue.head.subtree
        if t.i not in own and idx.unit_of[t.i] == unit and (t.i < lo if after else t.i > hi)
    ]
    span = content_span(idx.text, clause)
    if span is not None and span[0] <= quoted[0] and quoted[1] <= span[1] + 1:
        e = span[1]
        if close_at is not None and e <= close_at:
            e = close_at + q_width(idx.text, close_at)
        cand.start, cand.end = tidy(idx.text, span[0], max(e, cand.end))


def _attribute_partial_span(
    idx: DocIndex,
    cand: Candidate,
    reg: SpeakerRegistry,
    i: int,
    j: int,
    open_tok: int,
    close_tok: int,
    close_at: int | None,
    loose: bool,
) -> bool:
    doc = idx.doc
    root = _quote_root(doc, i, j)
    owned = _owned_speech_noun(root) if root is not None else None
    if owned is not None and not i <= owned[1].i < j:
        return _attribute_to_owner(idx, cand, reg, owned, close_at)
    found = reporting_ancestor(root) if root is not None else None
    if found is None and root is not None and loose:
        found = _person_verb_ancestor(root, reg)
    if found is None:
        cue = _frame_cue(idx, cand.units[0], cand.units[1], open_tok, close_tok)
        if cue is None or not (0 < cue.i - close_tok <= 4 or cue.dep_ in ("parataxis",)):
            return False
        own = {t.i for t in cue.subtree}
        s, e = idx.units[cand.units[0]]
        tokens = [doc[k] for k in range(s, e) if k not in own and k < cue.left_edge.i]
    else:
        cue, via = found
        # "X said Y thinks ... “...”": gold and readers credit the outer report's source
        while cue.dep_ == "ccomp" and is_reporting_verb(cue.head):
            cue, via = cue.head, cue
        tokens = complement(cue, via)
        kept = without_second_report(tokens)
        if any(i <= t.i < j for t in kept):
            tokens = kept  # "that A was “B” and urged C to “D”": C is urged, not told
    _grow_over(idx, cand, tokens, close_at)
    cand.set_cue(cue)
    subj = subject_of(cue)
    if subj is not None and not (cand.start <= subj.idx < cand.end or i <= subj.i < j):
        cand.speaker = resolve(subj, reg)
    return True


def _owned_speech_noun(tok: Token) -> tuple[Token, Token, Token] | None:
    """(noun, owner, child on the way down) when the quoted words hang, below any verb,
    on a speech noun with an owner: "Trump's claim that there were “thousands of
    shootings”", "his statement about “rigged” polls"."""
    cur = tok
    for _ in range(6):
        parent = cur.head
        if parent.i == cur.i:
            return None
        if parent.pos_ in ("VERB", "AUX") and not (
            parent.dep_ in ("acl", "ccomp") and _speech_noun(parent.head)
        ):
            return None  # a verb of its own governs the words (only the noun's clause may)
        if cur.dep_ == "prep" and cur.lower_ not in _TOPIC_PREPS:
            return None  # "played down Trump's comments as “...”": the player's words
        if _speech_noun(parent):
            owner = next((c for c in parent.lefts if c.dep_ == "poss"), None)
            if owner is None or owner.pos_ == "PRON" and owner.lower_ in ("its", "their"):
                return None
            return parent, owner, cur
        cur = parent
    return None


def _named_as_answer(idx: DocIndex, close_tok: int, unit: int) -> tuple[Token, Token] | None:
    """(noun, owner) for a quote that is the subject of "was X's reply" / "was the
    response of X": the sentence goes on after the closing mark with a form of "be" whose
    complement is an answer noun with an owner."""
    doc = idx.doc
    end = idx.units[unit][1]
    k = close_tok + 1
    while k < end and doc[k].is_punct:
        k += 1
    if k >= end or doc[k].lemma_ != "be":
        return None
    for noun in doc[k + 1 : min(end, k + 6)]:
        if noun.pos_ == "NOUN" and noun.head.i == k and noun.lemma_.lower() in ANSWER_NOUNS:
            owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
            if owner is None:
                of = next(
                    (c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("of", "from")),
                    None,
                )
                owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            if owner is not None and not (
                owner.pos_ == "PRON" and owner.lower_ in ("its", "their")
            ):
                return noun, owner
            return None
    return None


_TOPIC_PREPS = frozenset({"about", "on", "of", "over", "regarding"})


def _speech_noun(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in SPEECH_NOUNS


def _attribute_to_owner(
    idx: DocIndex,
    cand: Candidate,
    reg: SpeakerRegistry,
    owned: tuple[Token, Token, Token],
    close_at: int | None,
) -> bool:
    """The quoted words are the noun owner's: the statement is the noun's clause."""
    noun, owner, via = owned
    if via.dep_ in ("acl", "ccomp", "prep"):
        tokens = list(via.subtree)
        if via.dep_ == "prep":
            tokens = tokens[1:]  # "about “rigged” polls": the words, not the preposition
        _grow_over(idx, cand, tokens, close_at)
    cand.set_cue(noun)
    cand.speaker = resolve(owner, reg)
    return True


def _as_clause_cue(idx: DocIndex, unit: int, i: int, j: int) -> Token | None:
    """A bare reporting clause opened by "as" in the quote's sentence, outside the quote
    ("as Ann Lee put it", "as the mayor said,"); not "as they answered questions", where
    "as" tells the time and the verb has words of its own."""
    s, e = idx.units[unit]
    for tok in idx.doc[s:e]:
        if i <= tok.i < j or not is_reporting_verb(tok):
            continue
        kids = list(tok.children)
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in kids):
            continue
        own = [c for c in kids if c.dep_ in ("dobj", "ccomp", "xcomp", "dative", "attr")]
        if not all(c.lower_ == "it" for c in own):
            continue
        # the clause opens the sentence or follows the quote: anywhere else it may
        # qualify another claim ("that he has small hands - as Rubio has said - and")
        left = tok.left_edge.i
        if left == s or 0 <= left - j <= 2:
            return tok
    return None


def _join_pieces(cands: list[Candidate]) -> list[Candidate]:
    """“A,” she said. “B.” is one statement: join direct pieces of one paragraph that
    share a cue, or where the later piece has none."""
    out: list[Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "direct"
            and c.kind == "direct"
            and prev.para == c.para
            and prev.cue is not None
            and (c.cue_token == prev.cue_token or (c.cue is None and c.speaker is None))
        ):
            # the joined statement runs from its opening mark to its closing one, so it
            # reads with balanced marks: “A,” she said, “B.”
            if prev.marks is not None and c.marks is not None:
                prev.start = min(prev.start, prev.marks[0])
                prev.end = max(c.end, c.marks[1])
                prev.marks = (prev.marks[0], c.marks[1])
                prev.segments.extend(c.segments or [c.marks])
            else:
                prev.end = c.end
            prev.units = (prev.units[0], c.units[1])
            continue
        out.append(c)
    for c in out:
        # a direct quote's extent takes in its marks, so its segments lie inside it
        if c.kind == "direct" and c.marks is not None:
            c.start, c.end = min(c.start, c.marks[0]), max(c.end, c.marks[1])
    return out


def _confidence(c: Candidate, open_tok: int, close_tok: int) -> float:
    sp = c.speaker
    cue = "none"
    if c.cue_token is not None:
        adjacent = 0 < c.cue_token - close_tok <= 3 or 0 < open_tok - c.cue_token <= 3
        cue = "adjacent" if adjacent else "far"
    return direct_confidence(
        c.kind, sp.kind if sp else None, sp.distance if sp else 0, cue, c.inferred
    )
