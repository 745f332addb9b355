"""``extract_quotes(doc)``: the one entry point. Pure: a parsed Doc in, Quotes out."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from saidwho.core.marks import QUOTE_CHARS, find_quoted, q_width
from saidwho.core.quote import Act, Quote, Segment

from .acts import act_of
from .calibration import Features, cue_class, probability
from .confidence import CALIBRATION
from .cues import lemma as verb_lemma
from .cues import subject_of
from .direct import Candidate, direct_candidates
from .headline import headline_candidates, label_candidates
from .layout import common_noun_in_title, dateline_end, link_paragraphs
from .lexicon import ABSTRACT_SOURCES, CHARACTERISING_VERBS, STANCE_VERBS, TITLE_MINOR_WORDS
from .names import analyse, is_clause_like
from .propositions import (
    convenes,
    is_proposition,
    narration_after,
    unreal_frame,
    unreal_report,
)
from .reported import reported_candidates
from .signed import signed_candidates
from .span_index import SpanIndex
from .speakers import Speaker, SpeakerRegistry, has_word, junk_name, resolve
from .units import MAX_CANDIDATES, DocIndex

FLOAT_UNITS = 3  # how many sentences back a speakerless quote may look for its speaker


class NotEnglishError(ValueError):
    """``extract_quotes`` was given a Doc whose language is not English."""


def extract_quotes(doc: Doc, *, max_candidates: int = MAX_CANDIDATES) -> list[Quote]:
    """Every attributed statement in ``doc``, sorted by start offset (see ``explain_quotes``
    for what it handles)."""
    return [q for q, _ in explain_quotes(doc, max_candidates=max_candidates)]


def explain_quotes(
    doc: Doc, *, max_candidates: int = MAX_CANDIDATES
) -> list[tuple[Quote, Features]]:
    """Every attributed statement in ``doc`` with the features its confidence was read
    from (``calibration``), sorted by start offset.

    ``doc`` must come from an English spaCy pipeline with a tagger, parser and NER
    (``load_pipeline`` adds the sentence and title rules it expects); a Doc of another
    language raises ``NotEnglishError``.

    Handles:
      - direct quotes in double marks (curly, straight, ``''doubled''``, guillemets) and
        single marks outside them, with the cue and speaker before, after or between the
        pieces (“A,” she said. “B.”), colon lead-ins (``X said:``, ``From X:``), inverted
        cues (``said X``), dash signatures (“...” ― Ann Lee) and quotes running over
        several paragraphs that each reopen with a mark;
      - partial quotes inside reported speech ('called for an end to the “war”');
      - reported speech: ``X said (that) ...``, ``..., officials said``, ``according to X``,
        ``X urged Y to ...``, a colon-attributed headline, transcript labels (``PENCE:``);
      - speakers: names (full name from a surname or a title: "President Lee" -> "Ann
        Lee", with the role kept), organisations as written, pronouns and role nouns
        ("the ambassador") resolved to a person named earlier in the same article;
      - ``Quote.act``: speech, thought, evidence, or other (see ``acts``).

    Does not handle:
      - languages other than English, and quote conventions other than the marks above
        (a dash-led dialogue line is not a quote);
      - coreference across articles, or within one beyond simple gender and recency
        rules (no coreference model): "the former senator" may stay unresolved;
      - speakers only implied by context (a photo caption, a quoted tweet's image);
      - nested quotations: a quote inside a quote belongs to the outer speaker;
      - more than ``max_candidates`` (default ``MAX_CANDIDATES``, 5,000) quoted stretches
        or quotes per article (the rest are dropped; tests pass a small cap).
    """
    lang = doc.lang_
    if lang and lang != "en":
        raise NotEnglishError(
            f"extract_quotes handles English only; this Doc's language is {lang!r}"
        )
    if len(doc) == 0:
        return []
    idx = DocIndex.build(doc)
    if not idx.text.strip():
        return []
    links = link_paragraphs(idx)
    aside = [idx.paragraphs[p] for p in sorted(links)]
    reg = SpeakerRegistry.build(doc, idx.unit_of, idx.text, aside)
    quoted = find_quoted(idx.text, idx.paragraphs)[:max_candidates]
    reg.quoted = [(q.open_at, q.close_at if q.close_at is not None else q.end) for q in quoted]
    direct = direct_candidates(idx, quoted, reg)
    skip = [(c.start, c.end) for c in direct if c.kind == "direct"]
    labels = label_candidates(idx, reg)
    heads = headline_candidates(idx, reg)
    if labels:
        _first_label(idx, heads)
    signed = signed_candidates(idx, reg)
    reported = heads + labels + signed + reported_candidates(idx, reg, skip)
    cands = _merge(doc, direct, reported)
    colon_head = any(c.origin == "headline" for c in cands)
    cands = [c for c in cands if not _headline_junk(idx, c, colon_head) and not _subhead(idx, c)]
    _according_outer(idx, cands, reg)
    _inherit_floating(idx, cands, reg)
    _whole_marks(idx, cands, reg)
    cands = [c for c in cands if c.para not in links and not _title_common_noun(idx, c)]
    made = (_to_quote(idx, c) for c in cands[:max_candidates])
    # by start offset, also when taking in a quotation's marks moved a start back
    return sorted((m for m in made if m is not None), key=lambda m: (m[0].start, m[0].end))


def _title_common_noun(idx: DocIndex, c: Candidate) -> bool:
    sp = c.speaker
    return c.para == 0 and sp is not None and common_noun_in_title(idx, sp.start, sp.end)


def _no_report(idx: DocIndex, c: Candidate) -> bool:
    """Reported content that is no statement: a bare noun phrase ("criticised the timing",
    "they found a way"), or a report negated or made hypothetical ("did not say whether",
    "would never claim that")."""
    if c.kind != "indirect" or c.origin or (c.cue is not None and c.cue[0] == "according to"):
        return False
    if c.cue_token is not None and unreal_report(idx.doc[c.cue_token]):
        return True
    i, j = idx.token_range(c.start, c.end)
    if c.cue_token is not None and _free_relative(idx.doc, i, j, c.cue_token):
        return True
    if _subjectless(idx.doc, i, j) or _question_put(idx.doc, i, j):
        return True
    if c.cue_token is not None and narration_after(idx.doc, i, j, c.cue_token):
        return True
    return not is_proposition(idx.doc, i, j)


def _question_put(doc: Doc, i: int, j: int) -> bool:
    """ "Asked if it had appeared he was encouraging violence, Trump replied": the question
    put to the speaker (a participle with no subject) is not what he said."""
    words = [t for t in doc[i:j] if not (t.is_punct or t.is_space)]
    return (
        bool(words)
        and words[0].lemma_.lower() == "ask"
        and words[0].tag_ == "VBN"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in words[0].children)
    )


def _subjectless(doc: Doc, i: int, j: int) -> bool:
    """Content that opens on its own finite verb with no subject ("Everything Melania
    Trump says is a lie"): the parser took the sentence's predicate for what was said."""
    words = [t for t in doc[i:j] if not (t.is_punct or t.is_space)]
    if not words:
        return False
    first = words[0]
    return (
        first.tag_ in ("VBZ", "VBD", "VBP", "MD")
        and not (i <= first.head.i < j and first.head.i != first.i)
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in first.children)
    )


def _free_relative(doc: Doc, i: int, j: int, cue_at: int) -> bool:
    """ "did what a partner told them to do": the object of the infinitive someone was told
    to do is the "what" before the cue, so the clause names a deed the reporter describes,
    not words reported ("what Trump says his plan would do" is still his claim)."""
    cue = doc[cue_at]
    if not any(c.dep_ == "xcomp" and i <= c.i < j for c in cue.children):
        return False
    for tok in doc[cue.left_edge.i : cue_at]:
        if tok.lower_ not in ("what", "whatever"):
            continue
        if tok.dep_ in ("dobj", "pobj"):
            return True
        if tok.dep_ == "det" and tok.head.dep_ == "nsubj" and tok.head.head.i == cue_at:
            return True  # the parser made it the subject's determiner: "what a partner"
    return False


def _headline_junk(idx: DocIndex, c: Candidate, colon_head: bool) -> bool:
    """In a headline, quoted words are a statement only with a speaker ("It’s fine to ‘feel
    the Bern,’ but not on Tinder" quotes nobody), and a colon headline only when what
    follows is a claim, not a question ("Ted Cruz: conservative or career politician?")."""
    if c.para != 0 or len(idx.paragraphs) < 2:
        return False
    p_start, p_end = idx.paragraphs[0]
    if p_end - p_start > HEADLINE_CHARS:
        return False
    if c.origin == "headline":
        return idx.text[c.start : p_end].rstrip().endswith("?")
    if colon_head or c.marks is None or c.cue is not None and c.cue[0] == ":":
        return False
    return c.kind == "partial" and c.speaker is None


SUBHEAD_WORDS = 8
PULL_QUOTE_WORDS = 15  # a heading quoting the article's own words


def _subhead(idx: DocIndex, c: Candidate) -> bool:
    """A paragraph that is nothing but a short quoted phrase in title case ("‘All Bets Are
    Off.’") is a section heading inside the article, not anyone's words."""
    if c.kind != "direct" or c.cue is not None or c.marks is None or c.para == 0:
        return False
    if c.para >= len(idx.paragraphs):
        return False
    p_start, p_end = idx.paragraphs[c.para]
    if idx.text[p_start:p_end].strip() != idx.text[c.marks[0] : c.marks[1]].strip():
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’']*", idx.text[c.start : c.end])]
    if not 0 < len(words) <= PULL_QUOTE_WORDS:
        return False
    if len(words) <= SUBHEAD_WORDS and all(
        w[0].isupper() or w.lower() in TITLE_MINOR_WORDS for w in words
    ):
        return True
    # "'Not a lot of units available'": a pull quote set as a heading, in single marks
    # and with no full stop, repeats words the article quotes in full below
    inner = idx.text[c.start : c.end].rstrip()
    single = idx.text[c.marks[0]] in "'‘"
    return single and not inner.endswith((".", "!", "?", "…", ","))


HEADLINE_CHARS = 300  # a first paragraph longer than this is body text, not a headline


def _first_label(idx: DocIndex, heads: list[Candidate]) -> None:
    """A transcript's first line ("PENCE: We are ready") is a caps speaker label like the
    later ones, not a headline: what follows it is the speaker's own words."""
    for h in heads:
        if h.cue is None or h.kind != "indirect":
            continue
        p_start = idx.paragraphs[0][0]
        label = idx.text[p_start : h.cue[1]].strip()
        if label and label.replace(" ", "").replace(".", "").isalpha() and label.isupper():
            h.kind = "direct"
            h.origin = "label"


def _overlap(a: Candidate, b: Candidate) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _swallows(head: Candidate, quote: Candidate) -> bool:
    ov = _overlap(head, quote)
    return ov > 0 and quote.end - quote.start < 0.8 * (head.end - head.start)


def _merge(doc: Doc, direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    """One statement, one quote: a reported clause that mostly overlaps a quote is the
    same statement (the quote wins; its speaker fills a gap)."""
    heads = [r for r in reported if r.origin in ("headline", "signed")]
    # a headline statement swallows the quotes inside it unless one is nearly all of it
    direct = [d for d in direct if not any(_swallows(h, d) for h in heads)]
    for h in heads:
        for d in direct:
            if h.origin == "headline" and d.kind == "partial" and _overlap(h, d):
                # "Sanders: Clinton needs to ‘get away from ...’": the words after the
                # colon are the colon's speaker's, whoever their clause is about
                d.speaker, d.cue, d.cue_token = h.speaker, h.cue, h.cue_token
                d.start, d.end = min(d.start, h.start), max(d.end, h.end)
    # a transcript's speaker labels beat quote marks that run across its paragraphs
    labels = SpanIndex(r for r in reported if r.origin == "label")
    direct = [d for d in direct if not labels.overlapping(d.start, d.end)]
    index = SpanIndex(direct)
    for r in reported:
        _absorb_mixed(r, index)
    direct = list(index)
    index = SpanIndex(direct)
    kept: list[Candidate] = list(direct)
    for r in reported:
        dup = None
        for d in index.overlapping(r.start, r.end):
            ov = _overlap(r, d)
            if ov and (ov >= 0.5 * (r.end - r.start) or ov >= 0.5 * (d.end - d.start)):
                if _nested_own(r, d):
                    _close_over(r, d)
                    continue
                dup = d
                break
        if dup is None:
            kept.append(r)
            continue
        if dup.speaker is None and r.speaker is not None:
            if dup.kind == "partial" and (
                dup.start <= r.speaker.start < dup.end
                or r.start <= _marks_start(dup)
                and _marks_end(dup) <= r.end
            ):
                # a partial quote with no one to say it lies in a reported clause, or grew
                # over the frame that names its speaker ("According to X, the move reeks of
                # “fear”"): the reported clause is the statement
                dup.start, dup.end = min(r.start, _marks_start(dup)), max(r.end, _marks_end(dup))
                dup.segments = list(r.segments)
                index.moved(dup)
            dup.speaker = r.speaker
            dup.cue, dup.cue_token = r.cue, r.cue_token
            dup.confidence = max(dup.confidence, r.confidence + CALIBRATION.merged_speaker)
    kept.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in kept:
        if out and c.kind != "direct" and out[-1].start <= c.start and c.end <= out[-1].end:
            if c.speaker is not None and c.kind == "indirect" and _stance(doc, out[-1]):
                out[-1] = c  # "rejected Ruiz's assertion that ...": the claim, not the stance
            continue  # nested inside the previous statement
        out.append(c)
    return out


def _nested_own(outer: Candidate, inner: Candidate) -> bool:
    """``inner``, quoted words with a speaker and a cue of their own, lies in a reported
    clause a different cue governs ("X said the marchers, whom he described as “peaceful,”
    were ..."): the clause is the statement, not a copy of the smaller one inside it."""
    return (
        outer.kind == "indirect"
        and inner.kind == "partial"
        and inner.speaker is not None
        and inner.cue is not None
        and outer.cue_token is not None
        and inner.cue_token != outer.cue_token
        and outer.start <= inner.cue[1] < inner.start  # its cue inside the clause, before it
        and inner.end <= outer.end + 2
        and inner.end - inner.start < 0.5 * (outer.end - outer.start)
    )


def _close_over(r: Candidate, d: Candidate) -> None:
    """The reported clause ``r`` ends inside ``d``'s quotation marks (the parser leaves
    the closing mark out): it reaches the closing mark, its last segment too."""
    end = _marks_end(d)
    if r.end < end <= r.end + 3:
        if r.segments and r.segments[-1][1] == r.end:
            r.segments[-1] = (r.segments[-1][0], end)
        r.end = end


def _stance(doc: Doc, c: Candidate) -> bool:
    """The candidate reports a stance ("rejected", "endorsed"), not words."""
    return c.cue_token is not None and verb_lemma(doc[c.cue_token]) in STANCE_VERBS


def _marks_start(c: Candidate) -> int:
    return c.marks[0] if c.marks is not None else c.start


def _marks_end(c: Candidate) -> int:
    return c.marks[1] if c.marks is not None else c.end


MIXED_SHARE = 0.8  # quoted words under this share of the reported clause are pieces of it


def _inside(r: Candidate, d: Candidate) -> bool:
    """``d`` lies in ``r`` (a mark either side may lie outside the clause) and has no cue
    of its own outside it."""
    ov = _overlap(r, d)
    if ov == 0 or ov < d.end - d.start - 2:
        return False
    # a quote with a cue of its own ("..., but added, “B.”") is a statement of its own
    return d.cue is None or d.cue_token == r.cue_token


def _absorb_mixed(r: Candidate, direct: SpanIndex) -> None:
    """ "She said she wanted “a fair hearing” and “nothing more” for everyone": quoted
    words inside a longer reported clause of the same statement. The statement is the
    whole clause, one quote; the quoted words are its segments (the verbatim words)."""
    if r.origin or r.speaker is None or r.cue is None:
        return
    inner = [d for d in direct.overlapping(r.start, r.end) if _inside(r, d)]
    if not inner or sum(d.end - d.start for d in inner) >= MIXED_SHARE * (r.end - r.start):
        return
    first = inner[0]
    pieces = [seg for d in inner for seg in (d.segments or [(d.start, d.end)])]
    first.segments = sorted(pieces)
    first.start, first.end = min(first.start, r.start), max(inner[-1].end, r.end)
    first.units = (min(first.units[0], r.units[0]), max(inner[-1].units[1], r.units[1]))
    first.kind = "partial"
    first.cue, first.cue_token = r.cue, r.cue_token
    first.speaker = r.speaker
    first.marks = None
    direct.moved(first)
    for d in inner[1:]:
        direct.remove(d)


def _whole_marks(idx: DocIndex, cands: list[Candidate], reg: SpeakerRegistry) -> None:
    """A reported clause that starts or ends inside a quotation takes in its mark ('Obama
    said “there is love” in Orlando': the parser left the opening mark on the verb), so its
    quoted words are found whole."""
    for c in cands:
        if c.kind == "direct":
            continue
        k = reg.quote_at(c.start)
        if k is not None and reg.quoted[k][1] < c.end:
            c.start = reg.quoted[k][0]
        k = reg.quote_at(c.end - 1)
        if k is not None and reg.quoted[k][0] >= c.start:
            close = reg.quoted[k][1]
            marked = close < len(idx.text) and idx.text[close] in QUOTE_CHARS
            c.end = max(c.end, close + q_width(idx.text, close) if marked else close)


_PEOPLE = frozenset({"name", "pronoun", "role"})


def _according_outer(idx: DocIndex, cands: list[Candidate], reg: SpeakerRegistry) -> None:
    """Y said ..., according to X: the statement reaches the reader through X, the
    outer source."""
    doc = idx.doc
    for c in cands:
        if c.cue is None or c.cue[0] == "according to" or _no_report(idx, c):
            continue  # "the person who spoke on condition of anonymity": no report to pass on
        sp = c.speaker
        if c.kind != "indirect" and sp is not None and sp.name and sp.kind in _PEOPLE:
            continue  # "According to pool reports, Obama said “there is love”": his words
        u0, u1 = c.units
        if c.cue_token is not None:
            u1 = max(u1, idx.unit_of[c.cue_token])
        s, e = idx.units[u0][0], idx.units[u1][1]
        for k in range(s, e - 1):
            tok = doc[k]
            if tok.lower_ != "according" or doc[k + 1].lower_ != "to":
                continue
            if c.start <= tok.idx < c.end or reg.quote_at(tok.idx) is not None:
                continue  # part of the statement, or of someone's quoted words
            to = doc[k + 1]
            pobj = next((t for t in to.children if t.dep_ == "pobj"), None)
            if pobj is None:
                continue
            sp = resolve(pobj, reg)
            if sp is not None and sp.name is not None:
                c.speaker = sp
                c.cue = ("according to", tok.idx, to.idx + len(to))
                c.cue_token = k
            break


def _inherit_floating(idx: DocIndex, cands: list[Candidate], reg: SpeakerRegistry) -> None:
    """A quoted passage with no cue takes the speaker of the quote just before it -- unless
    a sentence between the two names someone else as its subject ("“A,” Okafor said. / The
    city engineer, Dan Price, disagreed. / “B.”"), or, with no quote near, its own
    paragraph does ("Trump went further. “...”"): the passage is that person's."""
    prev: Candidate | None = None
    for c in cands:
        if c.kind == "direct" and c.speaker is None and c.cue is None:
            near = (
                prev is not None
                and prev.speaker is not None
                and prev.speaker.name is not None
                and c.units[0] - prev.units[1] <= FLOAT_UNITS
            )
            if near and prev is not None:
                local = _paragraph_subject(idx, c, reg, since=prev.units[1])
            else:
                local = _paragraph_subject(idx, c, reg)
            if local is not None and not (near and prev is not None and _same(local, prev)):
                c.speaker = local
                c.floating = True
                c.inferred = True  # a guess from the sentence before, not carried from a quote
                c.confidence = CALIBRATION.paragraph_subject
            elif near and prev is not None:
                c.speaker = prev.speaker
                c.floating = True
                c.confidence = prev.confidence * CALIBRATION.floating_factor
        if c.speaker is not None:
            prev = c


def _same(sp: Speaker, c: Candidate) -> bool:
    return c.speaker is not None and sp.name == c.speaker.name


def _paragraph_subject(
    idx: DocIndex, c: Candidate, reg: SpeakerRegistry, since: int | None = None
) -> Speaker | None:
    """The named subject of the nearest main clause before ``c``: in its paragraph, or,
    given ``since`` (the last unit of the quote before), in the sentences after that unit."""
    doc = idx.doc
    if since is None:
        p_start = idx.paragraphs[c.para][0] if c.para < len(idx.paragraphs) else 0
        lowest = 0
    else:
        lowest = since + 1
        if lowest > c.units[0]:
            return None
        p_start = doc[idx.units[lowest][0]].idx
    open_at = c.marks[0] if c.marks is not None else c.start
    for u in range(c.units[0], lowest - 1, -1):
        s, e = idx.units[u]
        if doc[s].idx + len(doc[s]) <= p_start and u != c.units[0]:
            break
        for k in range(e - 1, s - 1, -1):
            tok = doc[k]
            if tok.idx >= open_at or tok.dep_ != "ROOT" or tok.pos_ not in ("VERB", "AUX"):
                continue
            subj = subject_of(tok)
            if subj is None or subj.idx < p_start or subj.idx >= open_at:
                continue
            sp = resolve(subj, reg)
            if sp is not None and sp.name is not None and sp.kind in ("name", "role", "pronoun"):
                return sp
            return None
        if doc[s].idx <= p_start:
            break
    return None


def _to_quote(idx: DocIndex, c: Candidate) -> tuple[Quote, Features] | None:
    """The candidate as a ``Quote``, or None when it is no statement: what is shown under a
    speaker is speech, thought or evidence; quoted words the speaker is not said to have
    used are shown with nobody's name; an unreported clause is dropped."""
    if _no_report(idx, c):
        return None
    # "called a referendum": an event convened, no words reported (quoted words in it stay,
    # under nobody's name)
    convened = c.cue_token is not None and convenes(idx.doc[c.cue_token])
    if convened and c.kind == "indirect":
        return None
    if c.kind == "indirect" and not c.origin:
        _skip_dateline(idx, c)
    s0, _ = idx.unit_chars(c.units[0])
    _, e1 = idx.unit_chars(c.units[1])
    sp = c.speaker
    if sp is not None and junk_name(sp.name):
        sp = None  # a number or a date is never a speaker, whatever path produced it
    if sp is not None and not has_word(idx.doc, sp.start, sp.end):
        sp = None  # a mention with no word in it ("[") mentions no one
    cue = idx.doc[c.cue_token] if c.cue_token is not None else None
    if sp is not None and c.kind != "indirect" and cue is not None and unreal_frame(cue):
        sp = None  # "I hope America says, “...”": words wished on someone, not theirs
    if convened:
        sp = None
    segments = _segments(idx, c)
    if c.kind == "partial":
        segments = _verbatim(idx.text, segments)
    mention = idx.text[sp.start : sp.end] if sp else ""
    last = mention.rsplit(None, 1)[-1].lower() if mention.strip() else ""
    if c.kind == "indirect" and sp is not None and sp.name is None and last in ABSTRACT_SOURCES:
        return None  # "common belief says ...": a report by no one
    act = act_of(idx.doc, c.kind, c.cue_token, c.cue[0] if c.cue else None, sp is not None, mention)
    if act == "other" and sp is not None and _puts_words(idx, c):
        act = "speech"  # "dismissed the pledges as “vacuous”": the quoted words are theirs
    if act == "other" and c.kind == "indirect" and sp is not None:
        known = _knowing(idx, c, sp)
        if known is None:
            return None  # "rejected the claim that ...", "declined to step in": no report
        act = known
    if c.kind == "partial" and act == "other":
        sp = None  # quoted words nobody is said to have used: no speaker group for them
    name, role = _trimmed(sp.name, sp.role) if sp else (None, None)
    features = _features(idx, c, sp if name else None, act)
    quote = Quote(
        kind=c.kind,  # type: ignore[arg-type]
        start=c.start,
        end=c.end,
        sentence_start=min(s0, c.start),
        sentence_end=max(e1, c.end),
        confidence=round(probability(features), 3),
        speaker=name,
        speaker_start=sp.start if sp else None,
        speaker_end=sp.end if sp else None,
        cue=c.cue[0] if c.cue else None,
        cue_start=c.cue[1] if c.cue else None,
        cue_end=c.cue[2] if c.cue else None,
        role=role,
        segments=segments,
        act=act,
    )
    return quote, features


def _features(idx: DocIndex, c: Candidate, sp: Speaker | None, act: str) -> Features:
    """What the calibration table reads: kind, speaker mention, cue, own or carried."""
    if sp is None:
        who = "none"
    elif sp.kind == "pronoun":
        who = "pronoun" if sp.distance <= 1 else "pronoun-far"
    else:
        who = sp.kind
    lemma = verb_lemma(idx.doc[c.cue_token]) if c.cue_token is not None else None
    cue = cue_class(lemma, c.cue[0] if c.cue else None)
    if c.origin in ("label", "headline", "signed"):
        cue = "mark"
    how = "guessed" if c.inferred else "carried" if c.floating else "own"
    return Features(c.kind, who, cue, how, act)


def _trimmed(name: str | None, role: str | None) -> tuple[str | None, str | None]:
    """A speaker name holding a clause or an appositive ("Howard, who has been making
    movies since 1961") is cut to the name; the appositive becomes the role if none is."""
    if not name or not is_clause_like(name):
        return name, role
    info = analyse(name)
    if not info.named:
        return name, role
    return (info.written or info.name), role or info.role


def _segments(idx: DocIndex, c: Candidate) -> tuple[Segment, ...]:
    """The candidate's own words, clipped to its extent, in order (empty: the whole)."""
    spans = sorted(c.segments)
    if not spans and c.kind != "direct":
        # reported words: the content without a leading "that" (frame, not words)
        spans = [_drop_complementizer(idx, c.start, c.end)]
    out: list[Segment] = []
    for s, e in spans:
        s, e = max(s, c.start), min(e, c.end)
        if e > s and not (out and s < out[-1].end):
            out.append(Segment(s, e))
    return tuple(out)


# a finding shown by a record is evidence; a person who finds or learns something knows it
KNOWING_VERBS = frozenset({"learn", "discover", "realize", "realise", "know"})
FINDING_VERBS = frozenset({"find", "show", "demonstrate", "suggest", "indicate", "reveal"})


def _knowing(idx: DocIndex, c: Candidate, sp: Speaker) -> Act | None:
    """A clause someone learned or a record shows ("The Post learned that ...", "Another
    slide shows that ..."): what the source knows (thought) or gives as evidence; None for
    a stance taken on a claim ("rejected the claim that ..."), which reports no words."""
    if c.cue_token is None:
        return None
    word = verb_lemma(idx.doc[c.cue_token])
    if word in KNOWING_VERBS:
        return "thought"
    if word in FINDING_VERBS:
        if word == "show" and _shown_to_someone(idx.doc[c.cue_token]):
            return None  # "Nega showed me where he slept": a thing shown, no finding
        return "thought" if sp.kind in ("name", "pronoun", "role") else "evidence"
    return None


def _shown_to_someone(cue: Token) -> bool:
    """ "showed me where", "showed reporters the damage": an object before the clause is
    who was shown, so the showing is a deed."""
    return any(c.dep_ in ("dobj", "dative") and c.i > cue.i for c in cue.children) and any(
        c.dep_ == "ccomp" for c in cue.children
    )


def _skip_dateline(idx: DocIndex, c: Candidate) -> None:
    """ "TORONTO — Crews worked all night, officials said": the dateline is no one's words."""
    start = dateline_end(idx.text, c.start)
    if start > c.start and start < c.end:
        c.start = start
        c.segments = [(max(s, start), e) for s, e in c.segments if e > start]


def _puts_words(idx: DocIndex, c: Candidate) -> bool:
    """Quoted words as the object of a verb that puts words on something ("called it “a
    disaster”", "dismissed the pledges as “vacuous”"): the subject used those words."""
    if c.kind != "partial" or c.cue_token is None:
        return False
    cue = idx.doc[c.cue_token]
    return verb_lemma(cue) in CHARACTERISING_VERBS or _as_predicate(idx, c, cue)


def _as_predicate(idx: DocIndex, c: Candidate, cue: Token) -> bool:
    """ "pounding Trump as a “con artist”", "went after him as a “spoiled brat”": quoted
    words put on someone with "as" by a verb's subject are the subject's label for them."""
    if c.marks is None:
        return False
    i, j = idx.token_range(*c.marks)
    for tok in idx.doc[i:j]:
        for anc in tok.ancestors:
            if anc.lower_ == "as" and anc.dep_ == "prep":
                if anc.head.dep_ == "dobj" and anc.head.head.i == cue.i:
                    return True
                # on the verb, after someone it is put on ("served as “fixer”" puts none)
                return anc.head.i == cue.i and any(
                    k.dep_ in ("dobj", "prep") and k.i < anc.i and k.lower_ != "as"
                    for k in cue.children
                )
            if anc.i == cue.i:
                break
    return False


def _verbatim(text: str, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """A partial quote's own words are only its quoted words, with their marks ("said the
    board had “wasted years” on studies" -> “wasted years”): the words around them are the
    reporter's paraphrase, which the statement's extent still covers."""
    out: list[Segment] = []
    for seg in segments:
        part = text[seg.start : seg.end]
        for q in find_quoted(part, [(0, len(part))]):
            close = q.close_at + q_width(part, q.close_at) if q.close_at is not None else q.end
            out.append(Segment(seg.start + q.open_at, seg.start + close))
    return tuple(out) or segments


def _drop_complementizer(idx: DocIndex, start: int, end: int) -> tuple[int, int]:
    """ "said that the bridge ..." -> "the bridge ...", but not "that is the definition":
    only a "that"/"whether" the parser marks as the clause's complementizer."""
    text = idx.text
    for word in ("that ", "whether "):
        if text.startswith(word, start) and end - start > len(word) + 1:
            i, _ = idx.token_range(start, start + len(word) - 1)
            if i < len(idx.doc) and idx.doc[i].dep_ == "mark":
                return start + len(word), end
    return start, end
