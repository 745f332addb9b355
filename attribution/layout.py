"""Page furniture is not speech: link lines ("READ MORE: ...", "WATCH: ..."), wire-service
section labels ("MARKETS:", "KEEPING SCORE:"), datelines ("TORONTO —") and a title-case
headline whose "speaker" is a common noun ("Utility Says Repairs Will Take Days")."""

from __future__ import annotations

import re

from .lexicon import RUBRICS
from .units import DocIndex

_CAPS_LABEL = re.compile(r"[\"“‘']?\s*([A-Z][A-Z&'’ .-]{0,40}?)\s*:")
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]*)?(?:\s*\([A-Za-z ]+\))?\s*[—–-]{1,2}\s+"
)


def caps_label(text: str, start: int, end: int) -> str | None:
    """The capitals label a paragraph opens with ("READ MORE", "PENCE"), if any."""
    m = _CAPS_LABEL.match(text, start, end)
    if m is None:
        return None
    label = m.group(1).strip(" .")
    return label if label and label.replace(" ", "").replace(".", "").isalpha() else None


def is_link_line(label: str | None) -> bool:
    """ "READ MORE", "WATCH BELOW", "LOOK": a label made of rubric words only."""
    return bool(label) and all(w.lower() in RUBRICS for w in str(label).split())


def link_paragraphs(idx: DocIndex) -> set[int]:
    """Paragraphs that are link lines to other stories: nothing in them is said here."""
    out = set()
    for p, (s, e) in enumerate(idx.paragraphs):
        if is_link_line(caps_label(idx.text, s, e)):
            out.add(p)
    return out


def dateline_end(text: str, start: int) -> int:
    """Where a paragraph's opening dateline ("TORONTO —", "WASHINGTON (AP) —") ends, or
    ``start`` when there is none."""
    m = _DATELINE.match(text, start)
    if m is None:
        return start
    place = m.group(0).split("(")[0].strip(" —–-,")
    words = [w for w in re.split(r"[ ,]+", place) if w]
    return m.end() if words and words[0].isupper() and len(words[0]) > 1 else start


def common_noun_in_title(idx: DocIndex, start: int, end: int) -> bool:
    """A one-word "speaker" in a title-case first paragraph that the article itself writes
    in lower case elsewhere ("Utility Says ...", "... the utility said"): a common noun
    that title case capitalised, not a name."""
    word = idx.text[start:end].strip()
    if not word or " " in word or not idx.paragraphs:
        return False
    p_start, p_end = idx.paragraphs[0]
    if not p_start <= start < p_end:
        return False
    long_words = re.findall(r"[^\W\d_]{4,}", idx.text[p_start:p_end])
    if sum(w[0].isupper() for w in long_words) < 0.7 * len(long_words):
        return False  # a headline in sentence case capitalises names only
    body = idx.text[p_end:]
    lower = word.lower()
    return bool(re.search(rf"\b{re.escape(lower)}\b", body)) and not re.search(
        rf"(?<![.!?]\s)(?<!^)\b{re.escape(word)}\b", body, re.M
    )
