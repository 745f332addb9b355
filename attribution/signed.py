"""Signed text: a letter to the editor or an embedded post whose signature line names its
writer ("Maria Lopez, Springfield", "— Tom Baker (@tombaker) May 3, 2016"). The paragraphs
above the signature are the writer's own words, with no quote marks around them."""

from __future__ import annotations

import re

from .direct import Candidate
from .speakers import Speaker, SpeakerRegistry
from .units import DocIndex

MAX_PARAGRAPHS = 6  # a signature vouches for at most this many paragraphs above it
_NAME = r"(?P<name>[A-Z][\w’'.-]*(?:[ \u00a0]+[A-Z][\w’'.-]*){1,3})"
# "— Tom Baker", "-- Ann Lee, Springfield", "— Tom Baker (@tombaker) May 3, 2016"
_DASHED = re.compile(
    r"[—―–-]{1,2}[ \t\u00a0]*" + _NAME + r"(?:[ \t\u00a0]*\(@\w+\))?(?:,? [^\n]{0,60})?$"
)
# "Maria Lopez, Springfield" / "Maria Lopez, Springfield, Ill."
_PLAIN = re.compile(_NAME + r",[ \u00a0]+[A-Z][\w .,’'-]{1,40}$")
# "Bring it. https://t.co/x — Jo Bloggs (@jobloggs) January 17, 2019": an embedded post
# flattened into one paragraph, its signature at the end; the handle makes it a post
_INLINE = re.compile(
    r"[ \t\u00a0][—―–]{1,2}[ \t\u00a0]*"
    + _NAME
    + r"[ \t\u00a0]*\(@\w+\)(?:[ \t\u00a0]+[^\n]{0,40})?$"
)
_LINK = re.compile(r"[ \t\u00a0]*(?:https?://|pic\.twitter\.com/)\S*$")
_MIN_POST_WORDS = 3
# a neighbour of the same shape ("Nicole Kidman, Destroyer", "Ann Lee, Can You Hear Me?")
_LISTED = re.compile(_NAME + r",[ \u00a0]+[A-Z0-9][^\n]{0,60}$")
_ENDS_SENTENCE = (".", "!", "?", "”", '"', "…")


def _bullets(idx: DocIndex, p: int) -> bool:
    """The paragraph before or after also starts with a dash, or is another "Name, Place"
    line: a list (of bullets, of nominees), not a signature."""
    for q in (p - 1, p + 1):
        if 0 <= q < len(idx.paragraphs):
            s, e = idx.paragraphs[q]
            line = idx.text[s:e].strip()
            if line[:1] in "—―–-•*" or (len(line) <= 100 and _LISTED.match(line)):
                return True
    return False


def signed_candidates(idx: DocIndex, reg: SpeakerRegistry) -> list[Candidate]:
    text = idx.text
    out: list[Candidate] = []
    floor = 1  # never the headline; never above the previous signature
    for p, (p_start, p_end) in enumerate(idx.paragraphs):
        line = text[p_start:p_end].strip()
        m = _DASHED.match(line) or _PLAIN.match(line)
        if p < 1 or m is None or len(line) > 100:
            if p >= 1 and (post := _inline_post(idx, reg, p)) is not None:
                out.append(post)
                floor = p + 1
            continue
        lead = p_start + (len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip()))
        n0, n1 = lead + m.start("name"), lead + m.end("name")
        i, j = idx.token_range(n0, n1)
        toks = [t for t in idx.doc[i:j] if not t.is_space]
        if not toks or not all(t.ent_type_ == "PERSON" for t in toks):
            continue  # "— Updated Monday", "— Using Ted Cruz's words": a person signs
        if line.endswith(".") and not line.endswith(("Jr.", "Sr.")) or _bullets(idx, p):
            continue  # "- Hillary Clinton." in a bulleted list is an item, not a signature
        body: list[tuple[int, int]] = []
        for q in range(p - 1, max(floor, p - MAX_PARAGRAPHS) - 1, -1):
            s, e = idx.paragraphs[q]
            if not text[s:e].rstrip().endswith(_ENDS_SENTENCE):
                break  # a heading ("Letters to the editor") ends the letter
            body.insert(0, (s, e))
        floor = p + 1
        if not body:
            continue
        name = reg.add_person(text[n0:n1], toks[-1].i, None, True)
        u0, u1 = idx.unit_of[idx.token_at(body[0][0])], idx.unit_of[idx.token_at(body[-1][1] - 1)]
        cand = Candidate("direct", body[0][0], body[-1][1], (u0, u1), p - len(body))
        cand.origin = "signed"
        cand.segments = list(body)
        cand.speaker = Speaker(name, n0, n1, None, "name")
        cand.cue = ("signed", lead, n0) if n0 > lead else ("signed", n0, n1)
        cand.confidence = 0.8
        out.append(cand)
    return out


def _inline_post(idx: DocIndex, reg: SpeakerRegistry, p: int) -> Candidate | None:
    """A post whose text and signature share one paragraph: the words before the dash
    (less a trailing link) are the writer's; a person or an organisation may sign."""
    text = idx.text
    p_start, p_end = idx.paragraphs[p]
    m = _INLINE.search(text, p_start, p_end)
    if m is None:
        return None
    body_end = m.start()
    if link := _LINK.search(text, p_start, body_end):
        body_end = link.start()
    body = text[p_start:body_end]
    b0 = p_start + len(body) - len(body.lstrip())
    b1 = p_start + len(body.rstrip())
    if len(text[b0:b1].split()) < _MIN_POST_WORDS:
        return None
    n0, n1 = m.start("name"), m.end("name")
    i, j = idx.token_range(n0, n1)
    toks = [t for t in idx.doc[i:j] if not t.is_space]
    if not toks:
        return None
    person = all(t.ent_type_ == "PERSON" for t in toks)
    name = reg.add_person(text[n0:n1], toks[-1].i, None, True) if person else text[n0:n1]
    u0, u1 = idx.unit_of[idx.token_at(b0)], idx.unit_of[idx.token_at(b1 - 1)]
    cand = Candidate("direct", b0, b1, (u0, u1), p)
    cand.origin = "signed"
    cand.segments = [(b0, b1)]
    cand.speaker = Speaker(name, n0, n1, None, "name" if person else "org")
    cand.cue = ("signed", m.start(), n0)
    cand.confidence = 0.8
    return cand
