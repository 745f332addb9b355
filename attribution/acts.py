"""What kind of attribution a statement is (``Quote.act``), read off its cue and source.

- ``speech``: said, told, wrote, posted, according to, a colon lead-in or signature, a
  direct quote with a speaker;
- ``thought``: believes, hopes, fears, wants;
- ``evidence``: a poll, report, study or investigation found, showed, suggests;
- ``other``: a stance or act ("endorsed", "declined"), or quoted words nobody is said to
  have used (a scare quote): not a statement.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from saidwho.core.quote import Act

from .calibration import CORE_CUES
from .cues import lemma as verb_lemma
from .lexicon import (
    BELIEF_ADJECTIVES,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    REPORTING_VERBS,
    STANCE_VERBS,
    THOUGHT_VERBS,
    VIEW_NOUNS,
)


def act_of(
    doc: Doc,
    kind: str,
    cue_token: int | None,
    cue_text: str | None,
    has_speaker: bool,
    mention: str,
) -> Act:
    """The act of one statement: ``mention`` is the speaker mention's text ("" if none)."""
    if not has_speaker and kind != "direct":
        return "other"  # scare quote, or reported words with nobody to report them
    lemma = ""
    if cue_token is not None and doc[cue_token].pos_ in ("VERB", "AUX"):
        tok = doc[cue_token]
        lemma = verb_lemma(tok)
    if lemma in THOUGHT_VERBS:
        if cue_token is not None and _voiced(doc[cue_token]):
            return "speech"  # "wondered aloud", "thought out loud": said, not only thought
        return "thought"
    if cue_token is not None and doc[cue_token].lower_ in BELIEF_ADJECTIVES | VIEW_NOUNS:
        return "thought"  # "Democrats are afraid that ...", "in his view, ..."
    words = {w.strip(".,’'").lower() for w in mention.split()}
    if words & EVIDENCE_NOUNS:
        if kind != "indirect" and lemma in CORE_CUES:
            return "speech"  # “...,” the report said: its own words, quoted
        return "evidence"  # "a poll found", "according to the report", "Survey:"
    if lemma in EVIDENCE_VERBS or lemma in STANCE_VERBS:
        return "other"  # "she found a way", "he declined to comment", "endorsed Smith"
    if cue_text == "according to":
        return "speech"  # "According to X, the move reeks of “fear”": X's account
    if lemma and kind == "partial" and lemma not in REPORTING_VERBS:
        return "other"  # "Council tries a ‘fresh start’": quoted words, no saying
    if cue_text is None and kind != "direct":
        return "other"
    return "speech"


# adverbs that make a thought heard ("wondered aloud", "mused loudly", "thought out loud")
VOICE_ADVERBS = frozenset({"aloud", "loudly", "loud", "publicly", "openly"})


def _voiced(verb: Token) -> bool:
    # the parser hangs "aloud" as advmod, prt or oprd: any child will do
    return any(c.lower_ in VOICE_ADVERBS for c in verb.children)
