"""The extractor's internal ranking score: read top to bottom while candidates are built.

Candidates compare and merge by this score (which of two readings of a sentence wins, how
much a merged or inherited speaker is worth). It is not what a reader sees: the public
``Quote.confidence`` is the probability read from the fitted table in ``calibration``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _by_kind(name: float, org: float, role: float, pronoun: float) -> dict[str, float]:
    return {"name": name, "org": org, "role": role, "pronoun": pronoun}


@dataclass(frozen=True)
class Calibration:
    # the base score by how the speaker is mentioned (Speaker.kind); other kinds: `other`
    direct: dict[str, float] = field(default_factory=lambda: _by_kind(0.9, 0.85, 0.75, 0.75))
    direct_other: float = 0.7
    reported: dict[str, float] = field(default_factory=lambda: _by_kind(0.85, 0.8, 0.7, 0.7))
    reported_other: float = 0.6
    # a pronoun loses this much per sentence back to its antecedent, for at most 4
    pronoun_per_sentence: float = 0.1
    pronoun_max_sentences: int = 4
    # a direct quote's cue within 3 tokens of its marks, or no cue at all (colon, label)
    adjacent_cue: float = 0.07
    no_cue: float = -0.1
    partial: float = -0.05  # quoted words inside a clause: its extent is less sure
    inferred_max: float = 0.45  # speaker guessed from the sentence, no reporting cue
    # quoted words with nobody to say them
    unattributed_direct: float = 0.35
    unattributed_partial: float = 0.25
    according_to: float = -0.05  # "according to X": X may pass on someone else's words
    merged_speaker: float = -0.05  # a quote that took its speaker from reported speech
    headline_name: float = 0.7  # "Graham: ..." headline
    headline_other: float = 0.6
    transcript_label: float = 0.8  # "PENCE: ..."
    paragraph_subject: float = 0.5  # a cue-less quote given its paragraph's subject
    floating_factor: float = 0.85  # a cue-less quote inheriting the previous speaker
    floor: float = 0.05
    ceiling: float = 0.99


CALIBRATION = Calibration()


def clamp(score: float) -> float:
    return max(CALIBRATION.floor, min(CALIBRATION.ceiling, score))


def pronoun_penalty(kind: str, distance: int) -> float:
    if kind != "pronoun":
        return 0.0
    return CALIBRATION.pronoun_per_sentence * min(distance, CALIBRATION.pronoun_max_sentences)


def direct_confidence(
    kind: str,
    speaker_kind: str | None,
    distance: int,
    cue: str,  # "adjacent", "far" or "none"
    inferred: bool,
) -> float:
    """A direct or partial quote found by its marks."""
    c = CALIBRATION
    if speaker_kind is None:
        return c.unattributed_direct if kind == "direct" else c.unattributed_partial
    score = c.direct.get(speaker_kind, c.direct_other) - pronoun_penalty(speaker_kind, distance)
    score += {"adjacent": c.adjacent_cue, "far": 0.0}.get(cue, c.no_cue)
    if kind == "partial":
        score += c.partial
    if inferred:
        score = min(score, c.inferred_max)
    return clamp(score)


def reported_confidence(speaker_kind: str, distance: int) -> float:
    """Reported speech found on the parse."""
    c = CALIBRATION
    base = c.reported.get(speaker_kind, c.reported_other)
    return clamp(base - pronoun_penalty(speaker_kind, distance))
