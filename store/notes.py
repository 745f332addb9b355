"""The reviewer's notes (table ``notes`` of the article's notes shard): a note is Markdown and
tags on ``[start, end)`` of an article's text, optionally on one quote, with the words it was
made on (exact, prefix, suffix) so it can be re-anchored when the text changes.

``draft_note`` and ``draft_edit`` say, without the disk, what ``add_note`` and
``save_note_edit`` will store: the reader shows a note at once and writes it in a worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from tinydb.table import Document, Table

from saidwho.readers.article import Article
from saidwho.store import records, versions
from saidwho.store.anchoring import Selector, reanchor, select
from saidwho.store.errors import NoteConflictError, NotFoundError
from saidwho.store.files import LibraryFiles
from saidwho.store.records import NoteRecord
from saidwho.store.shape import to_doc
from saidwho.store.views import UNSET, Note


def _clean_tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, str):
        raise ValueError("tags must be a list of strings, not one string")
    out: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValueError(f"tag {tag!r} is not a string")
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {value!r}")
    return value


def note_content(text: object, tags: Iterable[str]) -> list[str]:
    """A note's text and tags checked as every way in checks them (ValueError: not strings,
    or an empty note); its tags cleaned."""
    if not isinstance(text, str):
        raise ValueError("note text must be a string")
    clean_tags = _clean_tags(tags)
    if not text.strip() and not clean_tags:
        raise ValueError("an empty note (no text, no tags) is not saved")
    return clean_tags


def _note_input(start: object, end: object, text: object, tags: Iterable[str]) -> list[str]:
    """A new note's arguments checked (ValueError); its tags cleaned."""
    _check_int("start", start)
    _check_int("end", end)
    return note_content(text, tags)


def restored_note(note: Note, article: dict[str, Any], quote_ids: set[str]) -> dict[str, Any]:
    """The record that puts ``note`` back (id, times, words) on the article as it is now: its
    span re-anchored on the current text, or a point where its words were (orphaned)."""
    clean_tags = note_content(note.text, note.tags)
    text = article["text"]
    pos = reanchor(text, Selector(note.start, note.end, note.exact, note.prefix, note.suffix))
    if pos is None:  # orphaned: a point where its words were, the words kept
        point = min(note.start, len(text))
        sel = Selector(point, point, note.exact, note.prefix, note.suffix)
    else:
        sel = select(text, *pos)
    stamp = records.now()
    record = NoteRecord(
        id=note.id,
        article_id=note.article_id,
        text=note.text,
        tags=tuple(clean_tags),
        created=note.created or stamp,
        updated=note.updated or note.created or stamp,
        start=sel.start,
        end=sel.end,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        quote_id=note.quote_id if note.quote_id in quote_ids else None,
        orphaned=pos is None,
        text_sha256=article["text_sha256"],
        version=note.version,  # the version it was written on, whatever the text now
    )
    return to_doc(record)


def _note_record(
    article_id: str,
    article_text: str,
    text_sha256: str,
    quote_ids: Iterable[str],
    *,
    start: int,
    end: int,
    text: str,
    tags: list[str],
    quote_id: str | None,
    note_id: str,
    stamp: str,
    version: int | None = None,
) -> dict[str, Any]:
    """The stored record of a new note (``add_note`` writes it, ``draft_note`` shows it)."""
    length = len(article_text)
    if not (0 <= start <= end <= length):
        raise ValueError(
            f"note span [{start}, {end}) is outside article {article_id} "
            f"(need 0 <= start <= end <= {length})"
        )
    if quote_id is not None and quote_id not in set(quote_ids):
        raise NotFoundError(f"article {article_id} has no quote {quote_id!r}")
    sel = select(article_text, start, end)
    record = NoteRecord(
        id=note_id, article_id=article_id, text=text, tags=tuple(tags), created=stamp,
        updated=stamp, start=start, end=end, exact=sel.exact, prefix=sel.prefix,
        suffix=sel.suffix, quote_id=quote_id, orphaned=False, text_sha256=text_sha256,
        version=version,
    )  # fmt: skip
    return to_doc(record)


def draft_note(
    article: Article,
    article_id: str,
    *,
    start: int,
    end: int,
    text: str,
    tags: Iterable[str] = (),
    quote_id: str | None = None,
    quote_ids: Iterable[str] | None = None,
    version: int | None = None,
) -> Note:
    """The note ``add_note(article_id, ..., note_id=draft.id, at=draft.created)`` will store,
    made without the disk (a new id and time; the same checks, ValueError): the reader shows
    it at once and writes it in a worker. ``quote_ids``: the article's, to check ``quote_id``
    against (None: not checked here; ``add_note`` still does). ``version``: the article
    version shown (pass the draft's to ``add_note`` so the stored note is the one shown)."""
    clean_tags = _note_input(start, end, text, tags)
    known = quote_ids if quote_ids is not None else ([quote_id] if quote_id else [])
    doc = _note_record(
        article_id, article.text, article.sha256, known, start=start, end=end, text=text,
        tags=clean_tags, quote_id=quote_id, note_id=str(uuid.uuid4()), stamp=records.now(),
        version=version,
    )  # fmt: skip
    return Note.from_stored(doc)


def draft_edit(note: Note, *, text: str, tags: Iterable[str] = ()) -> Note:
    """``note`` as ``save_note_edit(note, ..., at=draft.updated)`` leaves it when nobody
    touched it meanwhile (the same checks, ValueError), made without the disk."""
    if not isinstance(text, str):
        raise ValueError("note text must be a string")
    clean_tags = _clean_tags(tags)
    if not text.strip() and not clean_tags:
        raise ValueError("an empty note (no text, no tags) is not saved")
    return replace(note, text=text, tags=tuple(clean_tags), updated=records.now())


class NoteBook:
    """The notes part of a library."""

    def __init__(self, files: LibraryFiles) -> None:
        self.files = files

    def add_note(
        self,
        article_id: str,
        *,
        start: int,
        end: int,
        text: str,
        tags: Iterable[str] = (),
        quote_id: str | None = None,
        note_id: str | None = None,
        at: str | None = None,
        version: int | None = UNSET,
    ) -> Note:
        """Attach a note to ``[start, end)`` of the article text (optionally to a quote).
        ``note_id``, ``at`` (created time) and ``version``: those of a ``draft_note`` the
        caller already shows; default a new uuid4, now and the article's current version."""
        clean_tags = _note_input(start, end, text, tags)
        if note_id is not None and not records.is_note_id(note_id):
            raise ValueError(f"note id {note_id!r} is not a UUID")
        with self.files.locked():
            body = self.files.body(article_id)
            art = records.body_article(body)
            quote_ids = {q["id"] for q in records.body_quotes(body)}
            note_id = note_id or str(uuid.uuid4())
            table = self.files.user_table("notes", article_id)
            # a new uuid4 (or a draft's): only this article's shard is looked in
            if table.contains(doc_id=records.note_doc_id(note_id)):
                raise ValueError(f"a note {note_id} exists already")
            doc = _note_record(
                article_id, art["text"], art["text_sha256"], quote_ids, start=start, end=end,
                text=text, tags=clean_tags, quote_id=quote_id, note_id=note_id,
                stamp=at or records.now(),
                version=(
                    versions.current_version(self.files, article_id)
                    if version is UNSET
                    else version
                ),
            )  # fmt: skip
            table.insert(Document(doc, doc_id=records.note_doc_id(note_id)))
        return Note.from_stored(doc)

    def _holder(self, note_id: str, article_id: str | None = None) -> Table | None:
        """The notes table of the shard that holds this note (None: no such note). With
        the note's article, that shard alone is read; else every shard, until found."""
        key = str(records.note_doc_id(note_id))
        if article_id is not None:
            table = self.files.user_table("notes", article_id)
            if table.contains(doc_id=int(key)):
                return table
        shards = self.files.note_shards
        name = shards.find("notes", key)
        return None if name is None else shards.db(name).table("notes", cache_size=0)

    def _note_table(self, note_id: str, article_id: str | None = None) -> tuple[Table, int]:
        if not isinstance(note_id, str) or not records.is_note_id(note_id):
            raise NotFoundError(f"no note {note_id!r}")
        table = self._holder(note_id, article_id)
        if table is None:
            raise NotFoundError(f"no note {note_id!r}")
        return table, records.note_doc_id(note_id)

    def update_note(
        self,
        note_id: str,
        *,
        text: str | None = None,
        tags: Iterable[str] | None = None,
        expect_updated: str | None = None,
        at: str | None = None,
        article_id: str | None = None,
    ) -> Note:
        """Change a note's text or tags. ``expect_updated``: the ``updated`` stamp the caller
        edited; if the note changed since, ``NoteConflictError`` (nothing written). ``at``:
        the new ``updated`` stamp (default now). ``article_id``: the note's article, if
        known (its notes shard is read alone)."""
        fields: dict[str, Any] = {}
        if text is not None:
            if not isinstance(text, str):
                raise ValueError("note text must be a string")
            fields["text"] = text
        if tags is not None:
            fields["tags"] = _clean_tags(tags)
        with self.files.locked():
            table, doc_id = self._note_table(note_id, article_id)
            current = dict(table.get(doc_id=doc_id))  # type: ignore[arg-type]
            merged = {**current, **fields}
            if not (merged.get("text") or "").strip() and not merged.get("tags"):
                raise ValueError("an empty note (no text, no tags) is not saved")
            if expect_updated is not None and current.get("updated") != expect_updated:
                raise NoteConflictError(Note.from_stored(current))
            fields["updated"] = at or records.now()
            table.update(fields, doc_ids=[doc_id])
            doc = table.get(doc_id=doc_id)
        return Note.from_stored(dict(doc))  # type: ignore[arg-type]

    def save_note_edit(
        self, note: Note, *, text: str, tags: Iterable[str] = (), at: str | None = None
    ) -> tuple[Note, str]:
        """Save an edit of ``note`` (as it was when editing began) without ever losing it:
        ``"updated"`` when nobody touched the note meanwhile; ``"recreated"`` (a new note at
        the same place) when it was deleted; ``"kept both"`` (the edit as a new note beside
        the other version) when it was changed elsewhere. ``at``: the edit's time (default
        now)."""
        tags = list(tags)
        try:
            updated = self.update_note(
                note.id,
                text=text,
                tags=tags,
                expect_updated=note.updated,
                at=at,
                article_id=note.article_id,
            )
            return updated, "updated"
        except NotFoundError:
            outcome = "recreated"
        except NoteConflictError:
            outcome = "kept both"
        span = self._current_span(note)  # NotFoundError if the article itself is gone
        new = self.add_note(
            note.article_id,
            start=span[0],
            end=span[1],
            text=text,
            tags=tags,
            quote_id=note.quote_id if span == (note.start, note.end) else None,
        )
        return new, outcome

    def _current_span(self, note: Note) -> tuple[int, int]:
        """Where ``note``'s words are in its article's current text (its old span if the text
        is the same, else re-anchored; a point where they were if they are gone)."""
        with self.files.mutex:
            text = records.body_article(self.files.body(note.article_id))["text"]
        pos = reanchor(text, Selector(note.start, note.end, note.exact, note.prefix, note.suffix))
        if pos is None:
            point = min(note.start, len(text))
            return point, point
        return pos

    def restore_note(self, note: Note) -> bool:
        """Put ``note`` back as it was (id, times, selectors): for ``notes import``. Its span
        is re-anchored on the article's current text. False when a note with its id exists."""
        if not records.is_note_id(note.id):
            raise ValueError(f"note id {note.id!r} is not a UUID")
        note_content(note.text, note.tags)
        with self.files.locked():
            body = self.files.body(note.article_id)
            doc_id = records.note_doc_id(note.id)
            if self._holder(note.id, note.article_id) is not None:
                return False
            quote_ids = {q["id"] for q in records.body_quotes(body)}
            doc = restored_note(note, records.body_article(body), quote_ids)
            self.files.user_table("notes", note.article_id).insert(Document(doc, doc_id=doc_id))
        return True

    def delete_note(self, note_id: str, *, article_id: str | None = None) -> None:
        """Delete a note. ``article_id``: its article, if known (one shard read)."""
        with self.files.locked():
            table, doc_id = self._note_table(note_id, article_id)
            table.remove(doc_ids=[doc_id])

    def notes(self, article_id: str | None = None) -> list[Note]:
        """Notes of one article in text order, or of the whole library oldest first."""
        with self.files.mutex:
            if article_id is None:
                docs = list(self.files.notes_tables().get("notes", {}).values())
                return [Note.from_stored(d) for d in sorted(docs, key=lambda d: d["created"])]
            self.files.entry(article_id)
            shard = self.files.article_notes_tables(article_id).get("notes", {}).values()
            mine = [d for d in shard if d["article_id"] == article_id]
        mine.sort(key=lambda d: (d["start"], d["end"], d["created"]))
        return [Note.from_stored(d) for d in mine]
