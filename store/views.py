"""What the store hands out: typed, immutable records (the TUI and the CLI build on these).

Each record's ``to_json()`` is the public JSON shape ``saidwho ... --json`` prints; the field
order of the dataclass is the key order of that JSON. ``ArticleSummary`` and ``Note`` are
shapes (store/shape.py): the catalog entry and the stored note record extend them
(store/records.py), and validation derives its schemas from those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, Final, Literal, cast

from saidwho.core.quote import Act, Quote, QuoteKind, Segment
from saidwho.store.ids import is_article_id, is_note_id
from saidwho.store.shape import NULLABLE, SPARSE, Check, from_doc, keys, to_doc

ReviewState = Literal["unreviewed", "confirmed", "disputed", "corrected"]
REVIEW_STATES: tuple[str, ...] = ("unreviewed", "confirmed", "disputed", "corrected")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()  # "leave it as it is" for a speaker or kind correction


def review_state(review: dict[str, Any] | None) -> ReviewState:
    """The state of a stored review record. A dispute wins (the reviewer says the attribution
    is wrong); else a fixed speaker or kind is "corrected"; else an explicit confirmation.
    Records from before states existed have only ``disputed`` and ``speaker_override``."""
    if not review:
        return "unreviewed"
    verdict = review.get("verdict")
    if verdict is None and "verdict" not in review and review.get("disputed"):
        verdict = "disputed"  # an old record: its dispute flag is its verdict
    if verdict == "disputed":
        return "disputed"
    if review.get("speaker_override") is not None or review.get("kind_override") is not None:
        return "corrected"
    if verdict == "confirmed":
        return "confirmed"
    return "unreviewed"


def revise_review(
    review: dict[str, Any],
    machine_speaker: str | None,
    machine_kind: str,
    *,
    confirmed: bool | None = None,
    disputed: bool | None = None,
    speaker: str | None = UNSET,
    kind: str | None = UNSET,
    revert: bool = False,
    reviewer: str,
    at: str,
    stamp: str,
) -> dict[str, Any]:
    """A review record after a reviewer's action, as ``Library.review_quote`` stores it (the
    arguments mean what they mean there). Pure: the reader also uses it (``preview_review``)
    to show a verdict before it is on disk."""
    review = dict(review)
    # an old record's dispute flag becomes its verdict
    verdict = review.get("verdict", "disputed" if review.get("disputed") else None)
    if confirmed is not None:
        verdict = "confirmed" if confirmed else (None if verdict == "confirmed" else verdict)
    if disputed is not None:
        verdict = "disputed" if disputed else (None if verdict == "disputed" else verdict)
    if revert:
        review["speaker_override"] = review["kind_override"] = None
    if speaker is not UNSET:
        # naming the machine's own speaker is a revert, not a correction
        review["speaker_override"] = None if speaker == machine_speaker else speaker
        if speaker is not None and verdict == "disputed" and disputed is None:
            verdict = None  # fixed: corrected, no longer disputed
    if kind is not UNSET:
        review["kind_override"] = None if kind == machine_kind else kind
        if kind is not None and verdict == "disputed" and disputed is None:
            verdict = None
    review["verdict"] = verdict
    review["disputed"] = verdict == "disputed"  # what older saidwho versions read
    review["machine_speaker"] = machine_speaker
    review["reviewer"] = reviewer
    review["reviewed_at"] = at
    review["updated"] = stamp
    return review


def _review_fields(review: dict[str, Any] | None) -> dict[str, Any]:
    """The ``QuoteView`` fields a review record sets (None: no review)."""
    state = review_state(review)
    reviewed = review is not None and state != "unreviewed"
    return {
        "disputed": state == "disputed",
        "reviewed": state != "unreviewed",
        "review": state,
        "reviewer": review.get("reviewer") if review and reviewed else None,
        "reviewed_at": (review.get("reviewed_at") or review.get("updated"))
        if review and reviewed
        else None,
    }


@dataclass(frozen=True, kw_only=True)
class ArticleHead:
    """An article's metadata, as its summary and its catalog entry (``records.CatalogEntry``)
    both begin."""

    id: Annotated[str, Check(is_article_id)]
    title: Annotated[str, NULLABLE] = ""
    subtitle: str | None = None
    source: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    text_sha256: str


@dataclass(frozen=True, kw_only=True)
class ArticleSummary(ArticleHead):
    """One article of ``Library.articles()``: metadata, counts and user state, never the text."""

    quotes: int = 0  # how many quotes the article holds
    notes: int = 0  # how many notes the reviewer wrote on it
    read: bool = False
    speakers: tuple[str, ...] = ()  # effective speakers (reviews applied), most quoted first
    added: str | None = None  # ISO 8601 UTC
    updated: str | None = None

    def to_json(self) -> dict[str, Any]:
        return to_doc(self)

    @classmethod
    def from_entry(cls, entry: dict[str, Any], speakers: tuple[str, ...]) -> ArticleSummary:
        """The summary a catalog entry alone makes: no notes, unread."""
        return from_doc(cls, entry, notes=0, read=False, speakers=speakers)


@dataclass(frozen=True, kw_only=True)
class QuoteView:
    """A stored quote as the reviewer sees it: the attribution ``quote`` as shown (its
    ``speaker`` and ``kind`` are the effective ones: a reviewer's correction wins over the
    machine's guess), its public id, its text, its article and the review state. The
    quote's fields read through (``view.start`` is ``view.quote.start``)."""

    quote: Quote
    id: str  # quote_id(text_sha256, start, end): stable across runs
    article_id: str
    text: str  # article.text[start:end]
    machine_speaker: str | None  # what attribution found, whatever the reviewer said
    disputed: bool = False  # review == "disputed"
    reviewed: bool = False  # a reviewer has a verdict on it (review != "unreviewed")
    review: ReviewState = "unreviewed"
    reviewer: str | None = None  # who gave the verdict ($SAIDWHO_REVIEWER or $USER)
    reviewed_at: str | None = None  # ISO 8601 UTC
    machine_kind: str | None = None  # the kind attribution found (``kind`` may be fixed)
    identity: str | None = None  # the speaker identity across the library (store/identities)

    # -- the quote's fields

    @property
    def kind(self) -> QuoteKind:
        return self.quote.kind

    @property
    def start(self) -> int:
        return self.quote.start

    @property
    def end(self) -> int:
        return self.quote.end

    @property
    def sentence_start(self) -> int:
        return self.quote.sentence_start

    @property
    def sentence_end(self) -> int:
        return self.quote.sentence_end

    @property
    def confidence(self) -> float:
        return self.quote.confidence

    @property
    def speaker(self) -> str | None:
        return self.quote.speaker

    @property
    def speaker_start(self) -> int | None:
        return self.quote.speaker_start

    @property
    def speaker_end(self) -> int | None:
        return self.quote.speaker_end

    @property
    def cue(self) -> str | None:
        return self.quote.cue

    @property
    def cue_start(self) -> int | None:
        return self.quote.cue_start

    @property
    def cue_end(self) -> int | None:
        return self.quote.cue_end

    @property
    def role(self) -> str | None:
        # the machine's role belongs to the machine's speaker: a reassigned quote has none
        return None if self.reassigned else self.quote.role

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.quote.segments

    @property
    def act(self) -> Act:
        return self.quote.act

    # -- what the review makes of it

    @property
    def reassigned(self) -> bool:
        return self.speaker != self.machine_speaker

    @property
    def statement(self) -> bool:
        """Something a named speaker said: what the reader's "statements only" keeps."""
        return self.act == "speech" and self.speaker is not None

    @property
    def scare_quote(self) -> bool:
        """A partial quote nobody is credited with: a phrase in marks, not a statement."""
        return self.kind == "partial" and self.speaker is None

    def to_json(self) -> dict[str, Any]:
        """``Quote.to_json`` with the stored id and text, then this view's own fields
        (article_id and the review state), in field order."""
        out = self.quote.json_with(self.id, self.text, self.confidence)
        for key in keys(QuoteView):
            if key.name not in _IN_QUOTE_JSON:
                out[key.name] = getattr(self, key.name)
        return out

    @classmethod
    def from_stored(
        cls, data: dict[str, Any], article_id: str, review: dict[str, Any] | None = None
    ) -> QuoteView:
        """A quote as written in an article file (``Quote.to_json``) with its review, if any.
        Records written before segments existed get one segment over the whole quote."""
        quote = Quote.from_json(data)
        override = review.get("speaker_override") if review else None
        kind_override = review.get("kind_override") if review else None
        if override is not None or kind_override:
            quote = replace(
                quote,
                kind=kind_override or quote.kind,
                speaker=override if override is not None else quote.speaker,
            )
        return cls(
            quote=quote,
            id=data["id"],
            article_id=article_id,
            text=data.get("text") or "",
            machine_speaker=data.get("speaker"),
            machine_kind=data["kind"],
            **_review_fields(review),
        )

    def with_review(self, review: dict[str, Any]) -> QuoteView:
        """This quote as the review record ``review`` leaves it (what ``from_stored`` would
        give). A new speaker's identity is not known here: None until the store says."""
        override = review.get("speaker_override")
        speaker = override if override is not None else self.machine_speaker
        kind = cast(QuoteKind, review.get("kind_override") or self.machine_kind or self.kind)
        return replace(
            self,
            quote=replace(self.quote, kind=kind, speaker=speaker),
            identity=self.identity if speaker == self.speaker else None,
            **_review_fields(review),
        )


# the view's fields that Quote.json_with already writes
_IN_QUOTE_JSON = frozenset({"quote", "id", "text"})


def preview_review(
    quote: QuoteView,
    *,
    confirmed: bool | None = None,
    disputed: bool | None = None,
    speaker: str | None = UNSET,
    kind: str | None = UNSET,
    revert: bool = False,
    reviewer: str,
    at: str,
) -> QuoteView:
    """What ``Library.review_quote`` will return for this action, worked out from the quote
    as shown (no disk): the reader paints it at once and writes in a worker. Exact for
    confirming, disputing and withdrawing; a corrected quote does not show whether it was
    also confirmed, so after a revert the store's answer (which the reader shows when it
    comes) may differ."""
    shown: dict[str, Any] = {
        "verdict": "disputed"
        if quote.disputed
        else ("confirmed" if quote.review == "confirmed" else None),
        "speaker_override": quote.speaker if quote.reassigned else None,
        "kind_override": quote.kind
        if quote.machine_kind and quote.kind != quote.machine_kind
        else None,
    }
    review = revise_review(
        shown,
        quote.machine_speaker,
        quote.machine_kind or quote.kind,
        confirmed=confirmed,
        disputed=disputed,
        speaker=speaker,
        kind=kind,
        revert=revert,
        reviewer=reviewer,
        at=at,
        stamp=at,
    )
    return quote.with_review(review)


@dataclass(frozen=True, kw_only=True)
class Note:
    """A reviewer's note on ``[start, end)`` of an article (optionally on one quote). ``exact``,
    ``prefix`` and ``suffix`` re-anchor it when the text changes; ``orphaned``: they failed.
    Stored as ``records.NoteRecord`` (these fields and the text's sha256)."""

    id: Annotated[str, Check(is_note_id)]  # uuid4
    article_id: str
    text: str = ""  # Markdown, untrusted
    tags: tuple[str, ...] = ()
    created: str  # ISO 8601 UTC
    updated: str = ""
    start: int
    end: int
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    quote_id: str | None = None
    orphaned: bool = False
    # the article version it was written on (store/versions.py); kept when it is re-anchored
    # or orphaned. Absent on notes written before versions were kept.
    version: Annotated[int | None, SPARSE] = None

    def to_json(self) -> dict[str, Any]:
        return to_doc(self)

    @classmethod
    def from_stored(cls, doc: dict[str, Any]) -> Note:
        return from_doc(cls, doc)


@dataclass(frozen=True)
class SpeakerSummary:
    """One speaker identity of ``Library.speakers()`` (store/identities.py): its canonical
    name, the name variants seen (aliases), kind, roles seen, and counts."""

    speaker: str
    aliases: tuple[str, ...] = ()  # other spellings seen, most quoted first
    kind: str = "person"  # person | organization | group | unnamed
    roles: tuple[str, ...] = ()  # roles seen with the name, most frequent first
    quotes: int = 0
    articles: int = 0  # in how many articles they are quoted

    def to_json(self) -> dict[str, Any]:
        return to_doc(self)
