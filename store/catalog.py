"""The catalog and the articles: saving articles (one catalog write per batch), reading them
back, listing their summaries, id prefixes and read marks.

The catalog is derived data: ``doctor`` can rebuild it from the article files. Saving a new
text for a known article moves its notes and reviews onto the new text first
(store/anchoring.py), so a crash never leaves them pointing into a text that is gone.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tinydb.table import Document

from saidwho.core.heap import paused_gc
from saidwho.core.quote import Quote
from saidwho.readers.article import Article
from saidwho.readers.capture import Capture
from saidwho.store import quote_map, records, speaker_names, trail_shards, versions
from saidwho.store.anchoring import follow_text
from saidwho.store.errors import LibraryError, NotFoundError
from saidwho.store.files import LibraryFiles
from saidwho.store.note_shards import shard_of
from saidwho.store.shards import RowIndex
from saidwho.store.speakers import Speakers
from saidwho.store.storage import Tables, atomic_write, dumps
from saidwho.store.validate import NOTES_SCHEMAS, valid_records
from saidwho.store.views import ArticleSummary


def _with_speakers(summary: ArticleSummary, speakers: tuple[str, ...]) -> ArticleSummary:
    """``replace(summary, speakers=speakers)`` without its per-call field walk: at 10,000
    articles ``dataclasses.replace`` alone cost ~100 ms of the library's first paint."""
    out = object.__new__(ArticleSummary)
    out.__dict__.update(summary.__dict__)
    object.__setattr__(out, "speakers", speakers)
    return out


class Catalog:
    """The catalog-and-articles part of a library."""

    def __init__(self, files: LibraryFiles, speakers: Speakers) -> None:
        self.files = files
        self.speakers = speakers
        self.rows = RowIndex(files.catalog_storage)  # look-ups that read one shard, not all
        self._names_written: str | None = None  # the key speaker-names.json was last written at
        # (key, names) of the last _with_identities: notes and read marks rebuild the
        # summaries but never change a speaker's name (~0.3 s at 10,000 articles)
        self._names: tuple[str | None, speaker_names.Names] = (None, {})
        # article id -> (summary, the same named): reused while both stay the same
        self._named: tuple[str | None, dict[str, tuple[ArticleSummary, ArticleSummary]]] = (
            None,
            {},
        )

    # ----------------------------------------------------------------- look-ups

    def is_empty(self) -> bool:
        with self.files.mutex:
            return self.rows.count() == 0

    def has_text(self, text_sha256: str) -> str | None:
        """The id of the article whose text has exactly this sha256, if any."""
        with self.files.mutex:
            found = [e for e in self.rows.with_sha(text_sha256) if not e.get("body_missing")]
            return found[0]["id"] if found else None

    def has_url(self, url: str) -> str | None:
        """The id of the article kept under this URL, if any (feeds skip known links)."""
        with self.files.mutex:
            found = self.rows.with_source("url", url)
            return found[0]["id"] if found else None

    def resolve_id(self, prefix: str) -> str:
        """The one article id starting with ``prefix`` (case-insensitive): read from the
        one shard it can be in (16 for a one-digit prefix)."""
        wanted = (prefix or "").strip().lower()
        if not wanted:
            raise NotFoundError("an empty id matches no article")
        with self.files.mutex:
            matches = self.rows.ids_starting(wanted)
        if wanted in matches:
            return wanted
        if not matches:
            raise NotFoundError(f"no article id starts with {prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise LibraryError(
                f"id prefix {prefix!r} is ambiguous: several articles match ({shown})"
            )
        return matches[0]

    def article(self, article_id: str) -> Article:
        """The full article (text and paragraphs), read from its own file."""
        with self.files.mutex:
            return Article.from_json(records.body_article(self.files.body(article_id)))

    def mark_read(self, article_id: str, read: bool = True) -> None:
        with self.files.locked():
            self.files.entry(article_id)
            doc_id = records.article_doc_id(article_id)
            reads = self.files.user_table("reads", article_id)
            if read:
                reads.upsert(
                    Document({"article_id": article_id, "at": records.now()}, doc_id=doc_id)
                )
            elif reads.contains(doc_id=doc_id):
                reads.remove(doc_ids=[doc_id])

    # ----------------------------------------------------------------- saving

    def save_article(
        self, article: Article, quotes: Iterable[Quote], capture: Capture | None = None
    ) -> tuple[str, str]:
        """Store an article and its quotes: ``(article_id, "added"|"updated"|"unchanged")``.

        Identical text anywhere in the library is "unchanged" (nothing written). New text for a
        path already in the library keeps that article's id and re-anchors its notes and reviews.
        """
        return self.save_articles([(article, quotes)], captures=[capture])[0]

    def save_articles(
        self,
        items: Iterable[tuple[Article, Iterable[Quote]]],
        *,
        captures: Sequence[Capture | None] = (),
    ) -> list[tuple[str, str]]:
        """``save_article`` for several articles with one catalog write (for bulk ingest).
        ``captures[i]``: the bytes item i was read from, archived with its version
        (store/versions.py).

        The catalog is rewritten once per call instead of once per article, which matters at
        thousands of articles. Other writers wait for the whole batch: keep batches small (~50).
        """
        batch = [(article, list(quotes)) for article, quotes in items]
        for article, quotes in batch:
            for q in quotes:
                if not (0 <= q.start <= q.end <= len(article.text)):
                    raise ValueError(
                        f"quote [{q.start}, {q.end}) lies outside the text of {article.title!r}"
                    )
        results: list[tuple[str, str]] = []
        storage = self.files.catalog_storage
        with self.files.locked():
            # the batch's own entries first, then the index: only the shards read that hold
            # a candidate (the same text, path or URL); the catalog is never read whole
            pending: dict[str, dict[str, Any]] = {}
            created: list[Path] = []  # article files new in this batch
            moved: quote_map.Changes = {}  # article id -> its quote ids before and after

            def write_catalog() -> None:
                try:
                    # the speaker index lists them as changing (store/speaker_index.py)
                    self.speakers.before_change(e["id"] for e in pending.values())
                    # the quote map and the trail index before the shards: never behind
                    self.files.quote_map.update(moved)
                    trail_shards.saved(self.files, moved)
                    storage.put_entries(pending)
                    self._refresh_queue(pending)
                except BaseException:
                    # a full disk: the new article files go too, so none is left without
                    # its entry (their sources are where they were; ingest adds them again)
                    for path in created:
                        path.unlink(missing_ok=True)
                    raise

            try:
                for i, (article, quotes) in enumerate(batch):
                    capture = captures[i] if i < len(captures) else None
                    entry, status = self._save_one(pending, article, quotes, capture, moved)
                    if status == "added":
                        created.append(records.body_path(self.files.root, entry["id"]))
                    if status != "unchanged":
                        pending[str(records.article_doc_id(entry["id"]))] = entry
                    results.append((entry["id"], status))
            except BaseException:
                # Ctrl-C or a failure midway: list the article files already written, so the
                # catalog still describes exactly what is on disk (doctor stays quiet)
                if pending:
                    storage.invalidate()
                    write_catalog()
                raise
            if pending:
                # one write for the batch (its shards and the index); article files were
                # written first, so a crash here leaves files that the next save (or doctor)
                # picks up, never a dangling entry
                write_catalog()
                self.speakers.after_change(e["id"] for e in pending.values())
        return results

    def _refresh_queue(self, pending: dict[str, dict[str, Any]]) -> None:
        """The review queue's files of the shards saved (store/queue_index.py); none to
        refresh in a library whose queue was never opened (numpy is not even imported)."""
        if not (self.files.root / "queue").is_dir():
            return
        from saidwho.store.queue_index import queue_shards

        queue_shards(self.files).refresh(e["id"][:2] for e in pending.values())

    def _known(
        self, pending: dict[str, dict[str, Any]], found: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Entries as this batch leaves them: a pending entry wins over its stored one."""
        out = {str(records.article_doc_id(e["id"])): e for e in found}
        return list({**out, **{k: v for k, v in pending.items() if k in out}}.values())

    def _save_one(
        self,
        pending: dict[str, dict[str, Any]],
        article: Article,
        quotes: list[Quote],
        capture: Capture | None = None,
        moved: quote_map.Changes | None = None,
    ) -> tuple[dict[str, Any], str]:
        sha = article.sha256
        lost = None
        same_text = [e for e in pending.values() if e["text_sha256"] == sha]
        for entry in same_text + self._known(pending, self.rows.with_sha(sha)):
            if entry["text_sha256"] == sha:
                if not entry.get("body_missing"):
                    return entry, "unchanged"
                lost = entry  # its text was lost (see doctor): this restores it, same id
        existing = lost or self._same_source(pending, article)
        stamp = records.now()
        if existing is not None:
            article_id, status, added = existing["id"], "updated", existing.get("added")
        else:
            article_id, status, added = self._new_id(pending, sha), "added", stamp
        body = records.body_tables(article_id, article, quotes, added or stamp, stamp)
        # the version (and its archived bytes) first: the text it replaces is kept there
        versions.add_version(self.files, article_id, body, capture)
        if existing is not None:
            # notes first: re-anchoring is stamped with the new sha, so it is idempotent if
            # we die before the body is written and the file is saved again
            self._reanchor(article_id, body)
        path = records.body_path(self.files.root, article_id)
        if moved is not None:
            before = moved.get(article_id, (None, None))[0]
            if before is None:  # the ids its file had before this batch
                before = quote_map.quote_ids_in_file(path) if existing else frozenset()
            moved[article_id] = (before, quote_map.quote_ids(body))
        atomic_write(path, dumps(body), backup=existing is not None, root=self.files.root)
        return records.summary(body), status

    def _same_source(
        self, pending: dict[str, dict[str, Any]], article: Article
    ) -> dict[str, Any] | None:
        """The entry this article is a new version of: same file path (or same URL if no path)."""
        for key in ("path", "url"):
            value = getattr(article, key)
            if value:
                for entry in pending.values():
                    if entry.get(key) == value:
                        return entry
                found = self._known(pending, self.rows.with_source(key, value))
                return found[0] if found else None
        return None

    def _new_id(self, pending: dict[str, dict[str, Any]], sha: str) -> str:
        article_id = sha[:16]
        salt = 0
        # Taken when another file once had this text and has changed since (ids are kept).
        while (key := str(records.article_doc_id(article_id))) in pending or self.rows.has_key(key):
            salt += 1
            article_id = records.text_id(f"{sha}:{salt}")
        return article_id

    def _reanchor(self, article_id: str, new_body: Tables) -> None:
        """Move this article's notes and reviews onto its new text (one write, of its notes
        shard)."""
        try:
            old_body: Tables | None = self.files.body(article_id)
        except LibraryError:
            old_body = None  # lost text: notes still carry their own selectors
        old_quotes = {q["id"]: q for q in records.body_quotes(old_body)} if old_body else {}

        # the article's notes shard alone holds its notes and reviews
        storage = self.files.note_shards.storage(shard_of(article_id))
        raw = storage.read() or {}
        # only records of the right shape move; bad ones stay as they are for doctor
        good, _ = valid_records(storage.path, raw, NOTES_SCHEMAS)
        tables = {name: dict(table) for name, table in good.items()}
        if follow_text(tables, article_id, new_body, old_quotes):
            for name in ("notes", "reviews"):
                bad = {k: d for k, d in raw.get(name, {}).items() if k not in good.get(name, {})}
                raw[name] = {**tables.get(name, {}), **bad}
            storage.write(raw)

    # ----------------------------------------------------------------- summaries

    def articles(self, *, named: bool = True) -> list[ArticleSummary]:
        """Summaries of every article, newest first. Never opens an article file.
        ``named=False``: each article's speakers as its quotes name them, without the
        library's speaker identities (merges, surnames) -- for callers that do not show them."""
        # 10,000 summaries, none in a cycle: no collector passes over the catalog meanwhile
        with self.files.mutex, paused_gc():
            if named:
                view: list[ArticleSummary] = self.files.view("articles", self._build_articles)
            else:
                view = self.files.view("plain_articles", self._build_plain_articles)
        return list(view)  # the records are immutable: only the list is copied

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's entry of ``articles()``, without building the whole list for it."""
        with self.files.mutex:
            self.files.entry(article_id)
            index: dict[str, ArticleSummary] = self.files.view(
                "by_id",
                lambda: {a.id: a for a in self.files.view("articles", self._build_articles)},
            )
            return index[article_id]

    def _build_articles(self) -> list[ArticleSummary]:
        return self._with_identities(self.files.view("plain_articles", self._build_plain_articles))

    def _build_plain_articles(self) -> list[ArticleSummary]:
        # The catalog part (10,000 summaries: ~150 ms) is kept until the catalog changes; a
        # note, read mark or review only re-makes the summaries of the articles it touches.
        base: list[ArticleSummary] = self.files.catalog_view("base_articles", self._base_articles)
        notes_tables = self.files.notes_tables()
        note_counts = Counter(n["article_id"] for n in notes_tables.get("notes", {}).values())
        read = {r["article_id"] for r in notes_tables.get("reads", {}).values()}
        reviews = self.files.reviews_by_article()
        touched = note_counts.keys() | read | reviews.keys()
        if not touched:
            return base
        catalog = self.files.catalog()
        out: list[ArticleSummary] = []
        for summary in base:
            aid = summary.id
            if aid in touched:
                speakers = summary.speakers
                if aid in reviews:
                    entry = catalog[str(records.article_doc_id(aid))]
                    counts = Counter(records.speaker_counts(entry, reviews[aid]))
                    speakers = tuple(name for name, _ in records.group_names(counts))
                summary = dataclasses.replace(
                    summary, notes=note_counts.get(aid, 0), read=aid in read, speakers=speakers
                )
            out.append(summary)
        return out

    def _with_identities(self, summaries: list[ArticleSummary]) -> list[ArticleSummary]:
        """Each article's speakers as the library's identities name them (merges applied).
        A process that has not built the identities reads them from speaker-names.json
        when it was made from this very catalog, reassignments and decisions."""
        _, reviews, decisions = self.speakers.identity_key()  # the catalog: by its bytes, below
        digest = self.files.catalog_storage.digest()
        made_from = speaker_names.key(digest, reviews, decisions) if digest else None
        names = None
        if made_from is not None and self._names[0] == made_from:
            names = self._names[1]  # a note or read mark changes no speaker's name
        elif not self.speakers.built and made_from is not None:
            names = speaker_names.read(self.files.root, made_from)
        if names is None:
            identities = self.speakers.identities()
            names = {}
            each: speaker_names.Names = {}  # one name per speaker: see speaker_names.read_each
            for summary in summaries:
                named = tuple(identities.of(summary.id, n) or n for n in summary.speakers)
                if named != summary.speakers:
                    each[summary.id] = named
                    names[summary.id] = tuple(dict.fromkeys(named))
            if made_from is not None and made_from != self._names_written:
                speaker_names.write(self.files.root, made_from, each)
                self._names_written = made_from
        if made_from is not None:
            self._names = (made_from, names)
        # an article whose summary and names are unchanged keeps its named summary
        before = self._named if self._named[0] == made_from else (made_from, {})
        made: dict[str, tuple[ArticleSummary, ArticleSummary]] = {}
        out = []
        for summary in summaries:
            speakers = names.get(summary.id)
            if speakers is None:
                out.append(summary)
                continue
            hit = before[1].get(summary.id)
            if hit is None or hit[0] is not summary:
                hit = (summary, _with_speakers(summary, speakers))
            made[summary.id] = hit
            out.append(hit[1])
        self._named = (made_from, made)
        return out

    def _base_articles(self) -> list[ArticleSummary]:
        """Every summary as the catalog alone has it: no notes, unread, machine speakers."""
        out: list[ArticleSummary] = []
        for entry in self.files.catalog().values():
            if "speakers" in entry:
                speakers = entry["speakers"]  # precomputed when the article was saved
            else:
                counts = Counter(entry.get("speaker_counts") or {})
                speakers = [name for name, _ in records.group_names(counts)]
            out.append(ArticleSummary.from_entry(entry, tuple(speakers)))
        out.sort(key=lambda a: (a.added or "", a.id), reverse=True)
        return out
