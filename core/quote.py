"""The Quote record: what attribution finds, as character offsets into the article text."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "indirect"]
KINDS: tuple[str, ...] = ("direct", "partial", "indirect")

# What kind of attribution a quote is: said/told/wrote/according to (speech), believes/
# hopes/fears (thought), a poll or report found/showed (evidence), anything else (other).
Act = Literal["speech", "thought", "evidence", "other"]
ACTS: tuple[str, ...] = ("speech", "thought", "evidence", "other")


@dataclass(frozen=True)
class Segment:
    """One piece of the speaker's own words: ``[start, end)`` into the article text. A direct
    quote's segments are the quoted pieces with their marks; narration between them is in
    none. The mention and cue next to this piece, when it has its own, are its evidence."""

    start: int
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None

    def to_json(self) -> dict[str, int | None]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Segment:
        return cls(
            start=data["start"],
            end=data["end"],
            speaker_start=data.get("speaker_start"),
            speaker_end=data.get("speaker_end"),
            cue_start=data.get("cue_start"),
            cue_end=data.get("cue_end"),
        )


def quote_id(text_sha256: str, start: int, end: int) -> str:
    """A stable public id: the same span of the same text always gets the same id."""
    return hashlib.sha256(f"{text_sha256}:{start}:{end}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Quote:
    """One attributed statement. Every span is a ``[start, end)`` str index pair into
    the article text (spaCy ``start_char``/``end_char`` convention); ``None`` = unknown."""

    kind: QuoteKind
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    confidence: float
    speaker: str | None = None  # canonical speaker ("Donald Trump"), None when unknown
    speaker_start: int | None = None  # the mention in the text ("he", "President Trump")
    speaker_end: int | None = None
    cue: str | None = None  # reporting cue as written ("said", "according to")
    cue_start: int | None = None
    cue_end: int | None = None
    role: str | None = None  # "U.S. Ambassador to Israel" for Mike Huckabee
    # The speaker's own words, in order; empty means the whole [start, end) (filled in).
    segments: tuple[Segment, ...] = ()
    act: Act = "speech"

    def __post_init__(self) -> None:
        if not self.segments:
            object.__setattr__(self, "segments", (Segment(self.start, self.end),))

    def to_json(self, text: str, text_sha256: str) -> dict[str, Any]:
        """The public JSON shape (``saidwho extract``); unknown values are null."""
        return self.json_with(
            quote_id(text_sha256, self.start, self.end),
            text[self.start : self.end],
            round(self.confidence, 3),
        )

    def json_with(self, id: str, text: str, confidence: float) -> dict[str, Any]:
        """The public JSON shape given the quote's id, its text and the confidence shown."""
        return {
            "id": id,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": text,
            "speaker": self.speaker,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "confidence": confidence,
            "role": self.role,
            "segments": [segment.to_json() for segment in self.segments],
            "act": self.act,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        return cls(
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            sentence_start=data["sentence_start"],
            sentence_end=data["sentence_end"],
            confidence=data["confidence"],
            speaker=data.get("speaker"),
            speaker_start=data.get("speaker_start"),
            speaker_end=data.get("speaker_end"),
            cue=data.get("cue"),
            cue_start=data.get("cue_start"),
            cue_end=data.get("cue_end"),
            role=data.get("role"),
            # records written before segments existed: the whole extent is one segment
            segments=tuple(Segment.from_json(seg) for seg in data.get("segments") or ()),
            act=data.get("act") or "speech",
        )
