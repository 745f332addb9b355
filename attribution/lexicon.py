"""The word lists attribution relies on, loaded once from ``attribution/data/*.txt``.

Each list is package data (one item a line, ``#`` comments) so it can be reviewed and
extended without reading code. Entries are lowercased: tokens are matched by ``lower_`` or
lowercase lemma (the small English pipeline sometimes lemmatises oddly, so the surface
form is tried too).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>.txt`` in file order (comments and blanks dropped)."""
    text = files(__package__).joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        item = line.split("#", 1)[0].strip()
        if item:
            out.append(item)
    return tuple(out)


def _words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in word_list(name))


# reporting verbs by the kind of attribution they make (see quote.Act)
SPEECH_VERBS = _words("verbs_speech")
THOUGHT_VERBS = _words("verbs_thought")
EVIDENCE_VERBS = _words("verbs_evidence")
STANCE_VERBS = _words("verbs_stance")
# every verb whose complement or object can be someone's statement
REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | THOUGHT_VERBS | EVIDENCE_VERBS | STANCE_VERBS
WEAK_VERBS = _words("verbs_weak")
DIRECTIVE_VERBS = _words("verbs_directive")
OBJECT_VERBS = _words("verbs_object")
INVERTING_VERBS = _words("verbs_inverting")
ADDRESSEE_VERBS = _words("verbs_addressee")
NO_COMMENT_VERBS = _words("verbs_no_comment")
CHARACTERISING_VERBS = _words("verbs_characterising")

MEDIUM_NOUNS = _words("medium_nouns")
ADJUNCT_PREPS = _words("adjunct_preps")
TITLES = _words("titles")
TITLE_MINOR_WORDS = _words("title_minor_words")
SUBORDINATE_TITLES = _words("subordinate_titles")
TITLE_ABBREVIATIONS: tuple[str, ...] = word_list("title_abbreviations")
MALE_WORDS = _words("male_words")
FEMALE_WORDS = _words("female_words")
MALE_NAMES = _words("first_names_male")
FEMALE_NAMES = _words("first_names_female")
ORG_HEADS = _words("org_heads")
NON_SPEAKERS = _words("non_speakers")
ABSTRACT_SOURCES = _words("abstract_sources")
SHARE_NOUNS = _words("share_nouns")
SPEECH_NOUNS = _words("speech_nouns")
BELIEF_ADJECTIVES = _words("belief_adjectives")
VIEW_NOUNS = _words("view_nouns")
ACCOUNT_NOUNS = _words("account_nouns")
POLL_NOUNS = _words("poll_nouns")
RUBRICS = _words("rubrics")
PEOPLE_NOUNS = _words("people_nouns")
SOURCE_NOUNS = _words("source_nouns")
DOCUMENT_NOUNS = _words("document_nouns")
GENERIC_ORG_NOUNS = _words("generic_org_nouns")
ISSUING_VERBS = _words("verbs_issuing")
EVIDENCE_NOUNS = _words("evidence_nouns")
ANSWER_NOUNS = _words("answer_nouns")
CALENDAR_WORDS = _words("calendar_words")

PRONOUN_GENDER: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip


def is_title(word: str) -> bool:
    """A title word in any case, with or without its abbreviation dot ("Sen", "SEN.")."""
    w = word.lower()
    return w in TITLES or w.rstrip(".") in TITLES or f"{w}." in TITLES
