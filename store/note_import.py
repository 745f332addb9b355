"""``notes import``: a Web Annotation file checked record by record, then applied in one write.

The file may come from anyone. Each annotation is checked against the library (its article,
its words, its quote) and its values against their types before anything is written; a record
that fails is one line, and then nothing is imported. A valid file is applied in one write
of each notes shard it touches (store/note_shards.py; one journal entry each), so 2,000 notes
cost at most 257 writes, not 2,000, and a full disk or a read-only library leaves the
library as it was (the shards already written are put back). Reviews merge by date: a local
verdict newer than the file's is kept, with a line naming it.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.core.quote import KINDS
from saidwho.store import records, speaker_export
from saidwho.store.anchoring import Selector, _quote_at, reanchor
from saidwho.store.errors import LibraryError
from saidwho.store.export import ARTICLE_URN, source_of
from saidwho.store.note_shards import merge
from saidwho.store.notes import note_content, restored_note
from saidwho.store.reviews import default_reviewer, fresh_review
from saidwho.store.validate import NOTES_SCHEMAS, problem
from saidwho.store.views import UNSET, Note, revise_review

if TYPE_CHECKING:
    from saidwho.store.library import Library

MAX_BYTES = 64 * 1024 * 1024  # an export of 100,000 notes is ~60 MB
MAX_ERRORS = 50  # lines shown; the count says how many more


class BadRecord(ValueError):
    """One annotation cannot be imported."""


@dataclass
class ImportReport:
    notes: int = 0  # notes added
    reviews: int = 0  # review verdicts applied
    speakers: int = 0  # speaker decisions restored
    skipped: int = 0  # already in the library
    orphaned: int = 0  # added, but their words are not in the article
    errors: list[str] = field(default_factory=list)  # one line per annotation not imported
    kept: list[str] = field(default_factory=list)  # newer local verdicts the file lost to

    def to_json(self) -> dict[str, Any]:
        return {
            "notes": self.notes,
            "reviews": self.reviews,
            "speakers": self.speakers,
            "skipped": self.skipped,
            "orphaned": self.orphaned,
            "errors": list(self.errors),
            "kept": list(self.kept),
        }


@dataclass(frozen=True)
class PlannedNote:
    label: str
    note: Note
    doc: dict[str, Any]  # the record to store, made by the checks


@dataclass(frozen=True)
class PlannedReview:
    label: str
    article_id: str
    quote_id: str
    reviewer: str
    at: str  # the file's time of the verdict ("" when it has none)
    change: dict[str, Any]  # review_quote's keyword arguments


@dataclass(frozen=True)
class PlannedSpeaker:
    label: str
    doc: dict[str, Any]  # the speaker decision as stored (store/speaker_export.py)


Planned = PlannedNote | PlannedReview | PlannedSpeaker


# ---------------------------------------------------------------- reading


def read_annotations(path: Path) -> Any:
    """The file's JSON (ValueError naming what is wrong: too big, not UTF-8, not JSON, nested
    too deep). OSError when it cannot be read. ``Infinity`` and ``NaN`` are read as floats
    for the record checks to name the record they are in."""
    if os.stat(path).st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 2**20} MB")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 2**20} MB")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ValueError("not a Web Annotation document (nested too deeply)") from None


# ---------------------------------------------------------------- checking one record


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if data.get("type") == "AnnotationCollection":
            first = data.get("first")
            items = first.get("items") if isinstance(first, dict) else None
            return items if isinstance(items, list) else []
        if data.get("type") == "AnnotationPage":
            items = data.get("items")
            return items if isinstance(items, list) else []
        return [data]
    raise ValueError("not a Web Annotation document (expected a collection, page or list)")


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{where}{key} must be a string, not {type(value).__name__}")
    return value


def _offset(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        shown = value if not isinstance(value, float) or math.isfinite(value) else str(value)
        raise BadRecord(f"selector {key} must be a whole number >= 0, not {shown!r}"[:120])
    return value


def _selector(target: dict[str, Any]) -> Selector:
    """The target's words; start = end = -1 when it gives no position."""
    selectors = target.get("selector")
    if selectors is None:
        selectors = []
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list) or not all(isinstance(s, dict) for s in selectors):
        raise BadRecord("selector must be an object or a list of objects")
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if quote is None and position is None:
        raise BadRecord("target has neither a TextPositionSelector nor a TextQuoteSelector")
    start, end = (_offset(position, "start"), _offset(position, "end")) if position else (-1, -1)
    if start > end:
        raise BadRecord(f"selector start {start} is after its end {end}")
    words = [_text(quote, k, "selector ") if quote else "" for k in ("exact", "prefix", "suffix")]
    return Selector(start, end, *words)


def _bodies(annotation: dict[str, Any]) -> list[dict[str, Any]]:
    body = annotation.get("body")
    body = [] if body is None else body if isinstance(body, list) else [body]
    if not all(isinstance(b, dict) for b in body):
        raise BadRecord("body must be an object or a list of objects")
    return body


def _stamp(annotation: dict[str, Any], key: str) -> str:
    value = _text(annotation, key, "")
    if value and _when(value) is None:
        raise BadRecord(f"{key} {value[:40]!r} is not an ISO 8601 time")
    return value


def _when(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


class _Checker:
    """Checks annotations against one library, reading each article file once."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.by_source: dict[str, str] = {}
        summaries = library.articles()
        for a in summaries:
            self.by_source[source_of(a, a.id)] = a.id
            if a.path:
                self.by_source[a.path] = a.id
        self.ids = {a.id for a in summaries}
        self.bodies: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}

    def body(self, article_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(the article record, its quotes)."""
        if article_id not in self.bodies:
            body = self.library.files.body(article_id)
            self.bodies[article_id] = (records.body_article(body), records.body_quotes(body))
        return self.bodies[article_id]

    def article_for(self, target: dict[str, Any]) -> str:
        scope = _text(target, "scope", "target ")
        source = _text(target, "source", "target ")
        if source in self.by_source:
            return self.by_source[source]
        if scope.startswith(ARTICLE_URN) and scope[len(ARTICLE_URN) :] in self.ids:
            return scope[len(ARTICLE_URN) :]
        shown = (source or scope or "this target")[:80]
        raise BadRecord(f"no article in the library for {shown}")

    def check(self, annotation: Any, label: str) -> Planned:
        if not isinstance(annotation, dict):
            raise BadRecord("not an object")
        if speaker_export.is_speaker_annotation(annotation):
            doc = annotation.get(speaker_export.DECISION_KEY)
            if not isinstance(doc, dict):
                raise BadRecord(f"a speaker annotation without {speaker_export.DECISION_KEY}")
            wrong = problem(doc, NOTES_SCHEMAS["speakers"])
            if wrong:
                raise BadRecord(f"not a speaker decision: {wrong}")
            return PlannedSpeaker(label, dict(doc))
        target = annotation.get("target")
        if isinstance(target, list):
            target = target[0] if target else None
        if not isinstance(target, dict):
            raise BadRecord("no target")
        article_id = self.article_for(target)
        selector = _selector(target)
        bodies = _bodies(annotation)
        motivation = annotation.get("motivation", "commenting")
        if motivation in ("assessing", "editing"):
            return self.review(annotation, label, article_id, selector, bodies)
        if motivation not in ("commenting", "tagging", "highlighting"):
            raise BadRecord(f"unknown motivation {str(motivation)[:40]!r}")
        return self.note(annotation, label, article_id, selector, bodies)

    def note(
        self,
        annotation: dict[str, Any],
        label: str,
        article_id: str,
        sel: Selector,
        bodies: list[dict[str, Any]],
    ) -> PlannedNote:
        note_id = _text(annotation, "id", "").removeprefix("urn:uuid:")
        if not records.is_note_id(note_id):
            raise BadRecord(f"note id {note_id[:60]!r} is not a urn:uuid")
        for b in bodies:
            _text(b, "value", "body ")
            _text(b, "purpose", "body ")
        text = next((b.get("value") or "" for b in bodies
                     if b.get("purpose", "commenting") == "commenting"), "")  # fmt: skip
        tags = [b.get("value") or "" for b in bodies if b.get("purpose") == "tagging"]
        article, quotes = self.body(article_id)
        start, end = sel.start, sel.end
        if start < 0:
            found = reanchor(article["text"], Selector(0, 0, sel.exact, sel.prefix, sel.suffix))
            start, end = found if found else (0, 0)
        if end > len(article["text"]) and not sel.exact:
            raise BadRecord(f"selector end {end} is past the article's {len(article['text'])}")
        quote_id = next((q["id"] for q in quotes if (q["start"], q["end"]) == (start, end)), None)
        created = _stamp(annotation, "created")
        note = Note(
            id=note_id, article_id=article_id, text=text, tags=tuple(tags), created=created,
            updated=_stamp(annotation, "modified") or created, start=start, end=end,
            exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix, quote_id=quote_id,
        )  # fmt: skip
        try:  # the same checks notes add makes
            doc = restored_note(note, article, {q["id"] for q in quotes})
        except ValueError as exc:
            raise BadRecord(str(exc)) from None
        return PlannedNote(label, note, doc)

    def review(
        self,
        annotation: dict[str, Any],
        label: str,
        article_id: str,
        sel: Selector,
        bodies: list[dict[str, Any]],
    ) -> PlannedReview:
        article, quotes = self.body(article_id)
        pos = reanchor(
            article["text"],
            Selector(max(sel.start, 0), max(sel.end, 0), sel.exact, sel.prefix, sel.suffix),
        )
        found = _quote_at(quotes, pos) if pos is not None else None
        if found is None:
            raise BadRecord("the quote it reviews is not in the article")
        creator = annotation.get("creator")
        if creator is not None and not isinstance(creator, dict | str):
            raise BadRecord("creator must be an object or a string")
        name = creator if isinstance(creator, str) else _text(creator or {}, "name", "creator ")
        values = [_text(b, "value", "body ") for b in bodies]
        change: dict[str, Any] = {}
        if annotation.get("motivation") == "assessing":
            verdicts = [v for v in values if v in ("confirmed", "disputed")]
            if len(verdicts) != 1:
                raise BadRecord(
                    f"an assessment must be confirmed or disputed, got {values!r}"[:120]
                )
            change[verdicts[0]] = True
        else:
            for value in values:
                key, _, rest = value.partition(":")
                rest = rest.strip()
                if key == "speaker" and rest:
                    change["speaker"] = None if rest == "(none)" else rest
                elif key == "kind" and rest in KINDS:
                    change["kind"] = rest
                else:
                    raise BadRecord(f"unknown edit {value[:60]!r}")
            if not change:
                raise BadRecord("an edit with no speaker or kind")
        return PlannedReview(
            label, article_id, found["id"], name.strip() or default_reviewer(),
            _stamp(annotation, "created"), change,
        )  # fmt: skip


def stored_problem(table: str, doc: Any) -> str | None:
    """What is wrong with a notes.json record for the reader, the exports and an import:
    its table's schema, and what an import refuses (an empty note, a time that is not ISO
    8601). ``doctor`` checks every record with this, so healthy means every screen opens."""
    schema = NOTES_SCHEMAS.get(table)
    if schema is None:
        return None
    reason = problem(doc, schema)
    if reason is not None or table not in ("notes", "reviews"):
        return reason
    if table == "notes":
        try:
            note_content(doc.get("text", ""), doc.get("tags") or [])  # both optional
        except ValueError as exc:
            return str(exc)
    for key in ("created", "updated", "reviewed_at"):
        value = doc.get(key)
        if isinstance(value, str) and value and _when(value) is None:
            return f"{key!r} {value[:40]!r} is not an ISO 8601 time"
    return None


# ---------------------------------------------------------------- applying


def plan(checker: _Checker, data: Any) -> tuple[list[Planned], list[str]]:
    """Every annotation checked: what to apply, and one line per annotation that fails."""
    planned: list[Planned] = []
    errors: list[str] = []
    for n, annotation in enumerate(_items(data), 1):
        label = f"annotation {n}"
        if isinstance(annotation, dict) and isinstance(annotation.get("id"), str):
            label = f"annotation {n} ({annotation['id'][:80]})"
        try:
            planned.append(checker.check(annotation, label))
        except (BadRecord, LibraryError) as exc:
            errors.append(f"{label}: {exc}")
    return planned, errors


def import_annotations(library: Library, data: Any) -> ImportReport:
    """Add the notes and apply the reviews of a Web Annotation document (as ``to_jsonld``
    writes it) to the library's articles, matched by URL, path or saidwho article id: all of
    it, or, when any annotation cannot be imported, nothing (one line each in ``errors``).
    ValueError when ``data`` is not an annotation document; LibraryError when the write
    fails (the library is as it was)."""
    report = ImportReport()
    files = library.files
    try:
        with files.locked():
            checker = _Checker(library)
            planned, report.errors = plan(checker, data)
            if report.errors:
                return report
            tables = merge([shard for _, shard in files.note_shards.read_all()])
            notes = dict(tables.get("notes") or {})
            reviews = dict(tables.get("reviews") or {})
            speakers = dict(tables.get("speakers") or {})
            for item in planned:
                if isinstance(item, PlannedNote):
                    _apply_note(item, notes, report)
                elif isinstance(item, PlannedSpeaker):
                    _apply_speaker(item, speakers, report)
                else:
                    _apply_review(checker, item, reviews, report)
            changed = (("notes", notes), ("reviews", reviews), ("speakers", speakers))
            for name, table in changed:
                for key, doc in table.items():
                    reason = stored_problem(name, doc)
                    if reason is not None and doc is not (tables.get(name) or {}).get(key):
                        raise LibraryError(f"an imported record would be unreadable: {reason}")
            if report.notes or report.reviews or report.speakers:
                # the articles whose reviews change may name their speakers otherwise: the
                # speaker index lists them first and is brought up to date after
                before = tables.get("reviews") or {}
                touched = {d["article_id"] for k, d in reviews.items() if before.get(k) is not d}
                library.speakers_changing(touched)
                # the shards whose records changed, all or none (store/note_shards.py)
                files.note_shards.replace_all({**tables, **dict(changed)})
                library.speakers_changed(touched)
    except OSError as exc:
        raise LibraryError(
            f"nothing was imported ({exc.strerror or exc}); the library is as it was"
        ) from None
    return report


def _apply_note(item: PlannedNote, notes: dict[str, Any], report: ImportReport) -> None:
    key = str(records.note_doc_id(item.note.id))
    if key in notes:
        report.skipped += 1
        return
    notes[key] = item.doc
    report.notes += 1
    report.orphaned += item.doc["orphaned"]


def _apply_speaker(item: PlannedSpeaker, speakers: dict[str, Any], report: ImportReport) -> None:
    key = str(records.note_doc_id(str(item.doc["id"])))
    if key in speakers or any(d.get("id") == item.doc["id"] for d in speakers.values()):
        report.skipped += 1
        return
    speakers[key] = item.doc
    report.speakers += 1


def _apply_review(
    checker: _Checker, item: PlannedReview, reviews: dict[str, Any], report: ImportReport
) -> None:
    key = str(records.review_doc_id(item.article_id, item.quote_id))
    article, quotes = checker.body(item.article_id)
    quote = next(q for q in quotes if q["id"] == item.quote_id)
    stamp = records.now()
    current = reviews.get(key)
    if current is not None and current.get("reviewed_at"):
        local, theirs = _when(current["reviewed_at"]), _when(item.at) if item.at else None
        if local is not None and (theirs is None or local > theirs):
            report.kept.append(
                f"{item.label}: kept the newer local review of quote {item.quote_id} "
                f"({current.get('verdict') or 'edited'} {current['reviewed_at'][:10]} by "
                f"{current.get('reviewer') or 'unknown'}) over the file's "
                f"({item.at[:10] or 'undated'})"
            )
            return
    before = current or fresh_review(item.article_id, quote, article, stamp)
    change = {k: item.change.get(k, UNSET) for k in ("speaker", "kind")}
    after = revise_review(
        before,
        quote.get("speaker"),
        quote["kind"],
        confirmed=item.change.get("confirmed"),
        disputed=item.change.get("disputed"),
        speaker=change["speaker"],
        kind=change["kind"],
        reviewer=item.reviewer,
        at=item.at or stamp,
        stamp=stamp,
    )
    if current is not None and _same_verdict(current, after):
        report.skipped += 1
        return
    reviews[key] = after
    report.reviews += 1


def _same_verdict(before: dict[str, Any], after: dict[str, Any]) -> bool:
    fields = ("verdict", "speaker_override", "kind_override")
    return all(before.get(f) == after.get(f) for f in fields)
