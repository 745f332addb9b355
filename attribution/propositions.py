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

SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
# modals that make a report hypothetical; "will" (a report announced) is not one
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "can", "should", "must", "'d"})


def _roots(doc: Doc, i: int, j: int) -> list[Token]:
    """The tokens of ``doc[i:j]`` whose head lies outside it (the content's own roots)."""
    return [t for t in doc[i:j] if t.head.i == t.i or not i <= t.head.i < j]


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _clause(tok: Token) -> bool:
    """A verb with a subject of its own, a finite verb (the parser may hang its subject on
    the cue: "explaining the firings amounted to ..."), or a to-infinitive (a directive's
    content: "urged Congress to act")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.tag_ in FINITE_TAGS or any(c.dep_ in SUBJECTS for c in tok.children):
        return True
    return any(
        c.dep_ in ("aux", "auxpass") and (c.lower_ == "to" or c.tag_ in FINITE_TAGS)
        for c in tok.children
    )


def is_proposition(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``[i, j)`` are a proposition (see the module docstring)."""
    for root in _roots(doc, i, j):
        heads = [root, *root.conjuncts]
        for head in heads:
            if _clause(head) or head.dep_ == "ccomp":
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


def unreal_report(cue: Token) -> bool:
    """The reporting verb is negated or under a modal: nobody made this statement."""
    for c in cue.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL:
            return True
    return False
