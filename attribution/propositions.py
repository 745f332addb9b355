"""Is a reported candidate a report of something said? Rules general to English news.

- Reported content is a *proposition*: a clause with a subject of its own ("that the
  bridge was safe", "how long he had been coming"), an infinitive someone is urged to
  ("urged Congress to act"), a predicate put on an object ("called him a liar",
  "described it as a failure"), or a noun with a that-clause ("expressed concern that
  the law was too strict"). A bare noun phrase is what the report is about, not what was
  said: "criticised the timing of the changes", "demanded greater compensation",
  "rejected a compromise offer" report no words.
- A report that did not happen is no statement: "did not say whether", "would never say",
  "can no longer claim that" (a negated or modal cue).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import word_list

SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
# modals that make a report hypothetical; "will" (a report announced) is not one
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "can", "should", "must", "'d"})
# "if the judge orders ...", "unless the council says ...": a condition, not a report
CONDITIONAL = frozenset({"if", "unless"})
# "declined to say why", "refused to say whether": a refusal reports no statement
REFUSING = frozenset({"decline", "refuse"})
UNREAL_FRAMES = frozenset(word_list("verbs_unreal_frames"))
CONVENED_NOUNS = frozenset(word_list("convened_nouns"))


def _roots(doc: Doc, i: int, j: int) -> list[Token]:
    """The tokens of ``doc[i:j]`` whose head lies outside it (the content's own roots)."""
    return [t for t in doc[i:j] if t.head.i == t.i or not i <= t.head.i < j]


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _clause(tok: Token) -> bool:
    """A verb with a subject of its own, a finite verb (the parser may hang its subject on
    the cue: "explaining the firings amounted to ..."), a that-clause, or a to-infinitive
    (a directive's content: "urged Congress to act"). The tagger sometimes calls the verb
    an adjective ("may be undercut"): a subject with a finite auxiliary still makes it one."""
    kids = list(tok.children)
    subject = any(c.dep_ in SUBJECTS for c in kids)
    finite_aux = any(
        c.dep_ in ("aux", "auxpass") and (c.lower_ == "to" or c.tag_ in FINITE_TAGS) for c in kids
    )
    that = any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in kids)
    if tok.pos_ not in ("VERB", "AUX"):
        return (subject or that) and finite_aux
    if tok.lemma_ == "be" and not any(c.dep_ not in SUBJECTS | {"punct", "mark"} for c in kids):
        return False  # "lower than X says they are": an ellipsis, no statement
    if finite_aux or that:
        return True
    if tok.tag_ == "VBG":
        # "his voice breaking with emotion": a participle, no statement
        return subject and any(c.dep_ in ("aux", "auxpass") for c in kids)
    # a past participle with a subject is often a past tense the tagger missed
    return tok.tag_ in FINITE_TAGS or subject


def is_proposition(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``[i, j)`` are a proposition (see the module docstring)."""
    for root in _roots(doc, i, j):
        heads = [root, *root.conjuncts]
        for head in heads:
            if any(c.dep_ == "mark" and c.lower_ in ADVERBIAL_MARKS for c in head.children):
                continue  # "found it right before the plane took off": when, not what
            if _clause(head) or (head.dep_ == "ccomp" and head.pos_ in ("PROPN", "NOUN")):
                return True  # a ccomp is a clause however title case tagged its verb
            if head.dep_ == "oprd" or (head.dep_ == "prep" and head.lower_ == "as"):
                return True
            for child in head.children:
                # "concern that the law was too strict", "the claim that ..."
                if (
                    child.dep_ in ("acl", "ccomp")
                    and _clause(child)
                    and any(g.dep_ == "mark" for g in child.children)
                ):
                    return True
                if child.dep_ in ("ccomp", "xcomp") and _clause(child):
                    return True  # "Congress to act" parsed under the object
                if child.dep_ == "prep" and child.lower_ == "as" and head is root:
                    return True  # "the pledges as vacuous"
    return False


# a clause after the cue that opens with one of these is the reporter's narration
# ("..., he said, though he did not name anyone"), not what was said
NARRATION_MARKS = frozenset(
    {
        "though",
        "although",
        "while",
        "whereas",
        "because",
        "as",
        "when",
        "after",
        "before",
        "since",
        "unless",
        "until",
        "once",
    }
)


# a clause opened by one of these says when or why, never what was said
ADVERBIAL_MARKS = frozenset(
    {"before", "after", "because", "while", "whereas", "until", "once", "since"}
)


# after a cue set off in mid-sentence, only a concession is surely the reporter's ("A, he
# said, though he named no one"); "A, he said, until B" is still what he said
CONCESSIVE_MARKS = frozenset({"though", "although"})


def narration_after(doc: Doc, i: int, j: int, cue_at: int) -> bool:
    """Content after its cue that opens with a subordinating conjunction."""
    if i >= j or i <= cue_at:
        return False
    first = doc[i]
    return first.lower_ in NARRATION_MARKS and first.dep_ in ("mark", "advmod", "prep")


def convenes(cue: Token) -> bool:
    """ "called a referendum — “No to Free Lawyers” —", "the “Implementation Initiative”
    was called by the SVP": "call" as convening an event reports no words; "called the
    strike “the only option”" (a predicate after the object) still does."""
    if cue.lemma_.lower() != "call":
        return False
    if any(c.dep_ in ("oprd", "ccomp", "xcomp", "attr") for c in cue.children):
        return False
    return any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in CONVENED_NOUNS for c in cue.children
    )


def _wished(cue: Token) -> bool:
    """A wish the parser hung under the report: "I hope in 2017 America says, ...". Not
    "I hope so, he says", where a comma sets the speaker's words off from the cue."""
    for c in cue.children:
        if c.dep_ == "ccomp" and c.i < cue.i and c.lemma_.lower() in UNREAL_FRAMES:
            between = cue.doc[c.right_edge.i + 1 : cue.i]
            if not any(t.is_punct for t in between):
                return True
    return False


def unreal_frame(cue: Token) -> bool:
    """The report is allowed, wished or expected, not made: "the rules allow companies to
    tell ...", "want Trump to say ...", "I hope in 2017 America says, “...”". Quoted words
    in such a frame are nobody's. (A report someone is urged to make is part of the
    urging: see cues.)"""
    head = cue.head.lemma_.lower()
    if cue.dep_ in ("ccomp", "xcomp") and head in UNREAL_FRAMES:
        return True
    return _wished(cue)


def unreal_report(cue: Token) -> bool:
    """The reporting verb is negated, under a modal or refused ("declined to say why"):
    nobody made this statement."""
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in REFUSING:
        return True
    if unreal_frame(cue):
        return True
    if cue.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in CONDITIONAL for c in cue.children
    ):
        return True  # "if the judge orders the extradition to proceed": not (yet) said
    for c in cue.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL:
            return True
    return False
