"""What changed between two versions of an article: its quotes first, then its text.

Quotes are paired across the versions by their words: the same words by the same speaker
are unchanged; the same words by another speaker are "speaker" changes; quotes whose words
are mostly the same (at least half, by a word diff) are "altered", with that word diff; the
rest are "removed" (only in the older) or "added" (only in the newer). The text is compared
paragraph by paragraph, each change with a paragraph of context either side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from saidwho.core.text import clip, squash
from saidwho.store.versions import VersionText

__all__ = ["QuoteChange", "QuoteSide", "TextChange", "VersionDiff", "WordOp", "diff_versions"]

ChangeKind = Literal["added", "removed", "altered", "speaker"]
ALTERED_AT = 0.5  # the share of words two quotes must share to be one quote altered
CONTEXT_CHARS = 160


@dataclass(frozen=True)
class WordOp:
    """One run of a word diff: words both have ("same"), or only the new/old one has."""

    op: Literal["same", "added", "removed"]
    text: str

    def to_json(self) -> dict[str, object]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class QuoteSide:
    """A quote as one version has it."""

    id: str
    speaker: str | None
    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class QuoteChange:
    kind: ChangeKind
    old: QuoteSide | None
    new: QuoteSide | None
    words: tuple[WordOp, ...] = ()  # for "altered": old words -> new words

    @property
    def start(self) -> int:
        """Where the quote is: in the newer version, or the older for a removed one."""
        side = self.new or self.old
        return side.start if side is not None else 0

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json() if self.new else None,
            "words": [w.to_json() for w in self.words],
        }


@dataclass(frozen=True)
class TextChange:
    """Paragraphs replaced, removed or added, with the text around them in the newer one."""

    removed: str
    added: str
    before: str
    after: str
    old_start: int
    new_start: int

    def to_json(self) -> dict[str, object]:
        return {
            "removed": self.removed,
            "added": self.added,
            "before": self.before,
            "after": self.after,
            "old_start": self.old_start,
            "new_start": self.new_start,
        }


@dataclass(frozen=True)
class VersionDiff:
    article_id: str
    from_version: int
    to_version: int
    quotes: tuple[QuoteChange, ...]
    text: tuple[TextChange, ...]
    unchanged_quotes: int

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.quotes if c.kind == kind)

    @property
    def quotes_changed(self) -> bool:
        return bool(self.quotes)

    def summary(self) -> str:
        """ "2 quotes altered, 1 removed", or what else changed."""
        words: tuple[tuple[ChangeKind, str], ...] = (
            ("altered", "altered"),
            ("removed", "removed"),
            ("added", "added"),
            ("speaker", "with another speaker"),
        )
        counts = [(n, word) for kind, word in words if (n := self.count(kind))]
        if not counts:
            return "text changed, quotes unchanged" if self.text else "unchanged"
        (n, word), rest = counts[0], counts[1:]
        head = f"{n} {'quote' if n == 1 else 'quotes'} {word}"
        return head + "".join(f", {m} {w}" for m, w in rest)

    def to_json(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "from": self.from_version,
            "to": self.to_version,
            "summary": self.summary(),
            "unchanged_quotes": self.unchanged_quotes,
            "quotes": [c.to_json() for c in self.quotes],
            "text": [t.to_json() for t in self.text],
        }


def _side(doc: dict[str, Any], text: str) -> QuoteSide:
    words = doc.get("text") or text[doc["start"] : doc["end"]]
    return QuoteSide(doc["id"], doc.get("speaker"), words, doc["start"], doc["end"])


def _words(side: QuoteSide) -> list[str]:
    return squash(side.text).strip("\"'“”‘’ ,.").split()


def word_diff(old: Sequence[str], new: Sequence[str]) -> tuple[WordOp, ...]:
    ops: list[WordOp] = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("added", " ".join(new[j1:j2])))
    return tuple(ops)


def _same_speaker(a: QuoteSide, b: QuoteSide) -> bool:
    return (a.speaker or "").casefold() == (b.speaker or "").casefold()


def diff_versions(article_id: str, old: VersionText, new: VersionText) -> VersionDiff:
    olds = [_side(q, old.text) for q in old.quotes]
    news = [_side(q, new.text) for q in new.quotes]
    old_words = [_words(q) for q in olds]
    new_words = [_words(q) for q in news]
    left = set(range(len(olds)))
    right = set(range(len(news)))
    pairs: list[tuple[int, int]] = []
    changes: list[QuoteChange] = []
    unchanged = 0
    # 1. the same words by the same speaker; 2. the same words, another speaker
    for same_speaker in (True, False):
        for i in sorted(left):
            for j in sorted(right):
                if old_words[i] == new_words[j] and _same_speaker(olds[i], news[j]) == same_speaker:
                    left.discard(i)
                    right.discard(j)
                    if same_speaker:
                        unchanged += 1
                    else:
                        changes.append(QuoteChange("speaker", olds[i], news[j]))
                        pairs.append((i, j))
                    break
    # 3. mostly the same words: altered (best pairs first)
    scored = sorted(
        (
            (SequenceMatcher(None, old_words[i], new_words[j], autojunk=False).ratio(), i, j)
            for i in left
            for j in right
        ),
        reverse=True,
    )
    for ratio, i, j in scored:
        if ratio < ALTERED_AT:
            break
        if i in left and j in right:
            left.discard(i)
            right.discard(j)
            words = word_diff(squash(olds[i].text).split(), squash(news[j].text).split())
            changes.append(QuoteChange("altered", olds[i], news[j], words))
    changes.extend(QuoteChange("removed", olds[i], None) for i in sorted(left))
    changes.extend(QuoteChange("added", None, news[j]) for j in sorted(right))
    order = {"altered": 0, "removed": 1, "added": 2, "speaker": 3}
    changes.sort(key=lambda c: (order[c.kind], c.start))
    return VersionDiff(
        article_id,
        old.version.version,
        new.version.version,
        tuple(changes),
        text_changes(old.text, new.text),
        unchanged,
    )


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def text_changes(old: str, new: str) -> tuple[TextChange, ...]:
    a, b = _paragraphs(old), _paragraphs(new)
    matcher = SequenceMatcher(None, [p for _, p in a], [p for _, p in b], autojunk=False)
    out: list[TextChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = clip(b[j1 - 1][1], CONTEXT_CHARS) if j1 > 0 else ""
        after = clip(b[j2][1], CONTEXT_CHARS) if j2 < len(b) else ""
        out.append(
            TextChange(
                removed="\n".join(p for _, p in a[i1:i2]),
                added="\n".join(p for _, p in b[j1:j2]),
                before=before,
                after=after,
                old_start=a[i1][0] if i1 < len(a) else len(old),
                new_start=b[j1][0] if j1 < len(b) else len(new),
            )
        )
    return tuple(out)
