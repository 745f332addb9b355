"""Headlines: "Graham: Trump’s ‘Incredibly Hateful Rhetoric’ Destroying GOP" names the
speaker before a colon and the statement after it."""

from __future__ import annotations

import re

from spacy.tokens import Span

from saidwho.core.marks import DOUBLE, OPEN_SINGLE

from .confidence import CALIBRATION
from .direct import Candidate
from .lexicon import ORG_HEADS, PEOPLE_NOUNS, RUBRICS, SOURCE_NOUNS, is_title
from .names import analyse
from .speakers import Speaker, SpeakerRegistry, resolve
from .units import DocIndex, content_span

MAX_HEADLINE_CHARS = 300
MAX_SPEAKER_TOKENS = 7


def headline_candidates(idx: DocIndex, reg: SpeakerRegistry) -> list[Candidate]:
    """A colon-attributed statement in the first paragraph, if it is a headline."""
    if not idx.paragraphs:
        return []
    p_start, p_end = idx.paragraphs[0]
    if p_end - p_start > MAX_HEADLINE_CHARS:
        return []
    doc = idx.doc
    i, j = idx.token_range(p_start, p_end)
    colon = next((t for t in doc[i:j] if t.text == ":"), None)
    if colon is None or colon.i - i > MAX_SPEAKER_TOKENS or colon.i == i:
        return []
    before = doc[i : colon.i]
    if all(t.lower_ in RUBRICS or not t.is_alpha for t in before):
        return []
    if any(t.pos_ == "VERB" for t in before):
        return []  # "Clinton Wades In: ..." is a headline clause, not a speaker
    head = before.root
    if head.pos_ not in ("PROPN", "NOUN") or not _speaker_like(before, reg):
        return []
    speaker = resolve(head, reg)
    if speaker is None:
        return []
    after = doc[colon.i + 1 : j]
    span = content_span(idx.text, list(after), 2)
    if span is None:
        return []
    text = idx.text[span[0] : span[1]]
    quoted = any(ch in DOUBLE or ch in OPEN_SINGLE for ch in text)
    if not quoted and not any(t.pos_ in ("VERB", "AUX") and t.dep_ != "amod" for t in after):
        return []  # "Netanyahu and Obama: A tortured relationship" names a topic
    kind = "partial" if quoted else "indirect"
    unit0, unit1 = idx.unit_of[colon.i], idx.unit_of[j - 1]
    cand = Candidate(kind, span[0], span[1], (unit0, unit1), 0, origin="headline")
    cand.speaker = speaker
    cand.cue = (":", colon.idx, colon.idx + 1)
    cand.cue_token = colon.i
    c = CALIBRATION
    cand.confidence = c.headline_name if speaker.kind == "name" else c.headline_other
    return [cand]


_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _speaker_like(before: Span, reg: SpeakerRegistry) -> bool:
    """Words before a headline colon that can name a speaker: a person or organisation, a
    caps label ("PENCE"), or a noun phrase headed by a person, office or source word --
    not a title-case clause like "Council Votes" (a plural noun standing for a verb)."""
    words = [t for t in before if t.is_alpha]
    if not words or any(t.pos_ == "PRON" for t in before):
        return False  # "Our View:", "My Turn:" are columns, not speakers
    if len(words) <= MAX_LABEL_TOKENS and all(t.is_upper for t in words):
        return True
    head = before.root
    ent = reg.ent_at.get(head.i)
    label = ent.label_ if ent is not None else ""
    lower, lem = head.lower_, head.lemma_.lower()
    if (
        is_title(lower)
        or lower in ORG_HEADS
        or lem in ORG_HEADS
        or lem in PEOPLE_NOUNS
        or lower in PEOPLE_NOUNS
        or lem in SOURCE_NOUNS
        or label in ("PERSON", "NORP")
    ):
        return True
    if len(words) == 1:
        # one capitalised word: "Trump:", "Politifact:", "Sanders:" (tagged plural)
        return head.text[:1].isupper()
    if lower in reg.by_last:
        return True  # a surname the article names in full
    if head.tag_ in ("NNS", "NNPS") or "Plur" in head.morph.get("Number", []):
        return False  # "Council Votes:", "Stocks Tumble:"
    if label in _SPEAKER_ENTS or head.pos_ == "PROPN":
        return True
    # "Clinton camp:", "WSJ editorial:": a named person or body's own words
    return any(reg.ent_at.get(t.i) is not None and t.ent_type_ in _SPEAKER_ENTS for t in before)


MAX_LABEL_TOKENS = 4


NO_INTERVIEWEE = Speaker(None, 0, 0)


def _interviewee(idx: DocIndex, reg: SpeakerRegistry, before: int) -> Speaker | None:
    """The person an interview transcript answers for: the one named most often before
    its first label, if the article has questions ("Q:") too and names anyone at all."""
    if not re.search(r"(?m)^\s*Q\s*[.:]", idx.text):
        return None
    named: dict[str, list[Speaker]] = {}
    for ent in idx.doc.ents:
        if ent.label_ != "PERSON" or ent.end_char > before:
            continue
        sp = resolve(ent.root, reg)
        if sp is not None and sp.name and analyse(sp.name).kind == "person":
            named.setdefault(analyse(sp.name).key, []).append(sp)
    if not named:
        return None
    best = max(named.values(), key=len)  # most often; the first named on a tie
    return best[0]


def _speaker_label(idx: DocIndex, label: str, at: int) -> bool:
    """A capitals label is a transcript speaker when it names someone: the article names
    that person or body elsewhere ("PENCE:" beside "Mike Pence"), the label carries a title
    ("SEN. WARREN:"), or it opens other paragraphs too (a transcript's turns). A wire
    story's one-off section labels ("MARKETS:", "THE DAY IN ASIA:") name nobody."""
    words = label.replace(".", ". ").split()
    if len(words) > 1 and is_title(words[0].lower().rstrip(".")):
        return True
    if len(re.findall(rf"(?m)^[\s\"“‘']*{re.escape(label)}\s*:", idx.text)) > 1:
        return True
    last = words[-1].capitalize()
    return any(
        ent.label_ in ("PERSON", "ORG") and last in ent.text.split() and ent.start_char != at
        for ent in idx.doc.ents
    )


def label_candidates(idx: DocIndex, reg: SpeakerRegistry) -> list[Candidate]:
    """Transcript paragraphs that open with a speaker label: ``PENCE: Well, ...``."""
    doc = idx.doc
    text = idx.text
    out: list[Candidate] = []
    interviewee: Speaker | None = None  # found on the first "A:" label
    for p_index, (p_start, p_end) in enumerate(idx.paragraphs):
        if p_index == 0:
            continue  # the headline is handled above
        k = p_start
        while k < p_end and (text[k] in DOUBLE or text[k].isspace()):
            k += 1
        colon = text.find(":", k, min(p_end, k + 40))
        if colon < 0:
            continue
        label = text[k:colon]
        if not label or not label.replace(" ", "").replace(".", "").isalpha():
            continue
        if not label.isupper() or len(label.split()) > MAX_LABEL_TOKENS:
            continue
        if len(label.strip(" .")) == 1:
            # an interview's "Q:" / "A:": the answers are the interviewee's where the
            # article names them before the transcript; the questions stay unnamed
            if label.strip(" .") != "A":
                continue
            if interviewee is None:
                interviewee = _interviewee(idx, reg, k) or NO_INTERVIEWEE
            if interviewee is NO_INTERVIEWEE:
                continue
            ci, cj = idx.token_range(colon + 1, p_end)
            span = content_span(text, list(doc[ci:cj]), 2)
            if span is None or ci >= cj:
                continue
            unit0, unit1 = idx.unit_of[ci], idx.unit_of[cj - 1]
            cand = Candidate("direct", span[0], span[1], (unit0, unit1), p_index, origin="label")
            # the mention is where the article names them, not the bare label
            cand.speaker = interviewee
            cand.cue = (":", colon, colon + 1)
            cand.confidence = CALIBRATION.transcript_label
            out.append(cand)
            continue
        if label.lower() in RUBRICS or label.split()[0].lower() in RUBRICS:
            continue
        if not _speaker_label(idx, label, k):
            continue  # "MARKETS:", "KEEPING SCORE:": a wire story's section, not a voice
        i, j = idx.token_range(k, colon)
        if i >= j:
            continue
        speaker = resolve(doc[j - 1], reg)
        if speaker is None or speaker.name is None:
            continue
        ci, cj = idx.token_range(colon + 1, p_end)
        span = content_span(text, list(doc[ci:cj]), 2)
        if span is None:
            continue
        unit0, unit1 = idx.unit_of[ci], idx.unit_of[cj - 1]
        cand = Candidate("direct", span[0], span[1], (unit0, unit1), p_index, origin="label")
        cand.speaker = speaker
        cand.cue = (":", colon, colon + 1)
        cand.confidence = CALIBRATION.transcript_label
        out.append(cand)
    return out
