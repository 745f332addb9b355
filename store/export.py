"""Notes and reviews leave the library: Markdown for people, W3C Web Annotation JSON-LD for
other tools (and back in with ``import_annotations``), CSV for spreadsheets, and the plain
JSON records. The TUI's command palette and ``saidwho notes export`` share this code; it reads
the library through its public API and writes one file (atomically, like the store's own).

Quote words come from ``saidwho.store.citation``: the speaker's own words from the quote's segments
(narration cut, an ellipsis where it was), reported speech marked as a paraphrase.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

from saidwho.core.safe_text import dumps
from saidwho.core.text import squash
from saidwho.readers.article import Article
from saidwho.store import speaker_export
from saidwho.store.citation import Citation, citation_of, paragraph_number
from saidwho.store.errors import LibraryError
from saidwho.store.identities import decisions_markdown
from saidwho.store.storage import atomic_write
from saidwho.store.views import ArticleSummary, Note, QuoteView

if TYPE_CHECKING:
    from saidwho.store.library import Library

Format = Literal["markdown", "jsonld", "csv", "json"]
FORMATS: tuple[str, ...] = ("markdown", "jsonld", "csv", "json")
SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonld": "jsonld",
    ".csv": "csv",
    ".json": "json",
}
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:saidwho:article:"
REVIEW_URN = "urn:saidwho:review:"


@dataclass(frozen=True)
class ExportedNote:
    """A note with the article it is on (None when that article is gone), the quote it is
    on (if any) and that quote's citation."""

    note: Note
    article: ArticleSummary | None
    quote: QuoteView | None = None
    citation: Citation | None = None
    paragraph: int | None = None

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {
            **self.note.to_json(),
            "article_title": a.title if a else None,
            "article_source": a.source if a else None,
            "article_date": a.date if a else None,
            "article_path": a.path if a else None,
        }


@dataclass(frozen=True)
class ExportedReview:
    """A quote a reviewer looked at, with its article and citation."""

    quote: QuoteView
    article: ArticleSummary
    citation: Citation


@dataclass(frozen=True)
class ExportDocument:
    notes: list[ExportedNote] = field(default_factory=list)
    reviews: list[ExportedReview] = field(default_factory=list)

    def article_ids(self) -> list[str]:
        """Articles in the order the export shows them: by title, then id."""
        seen: dict[str, str] = {}
        for n in self.notes:
            seen[n.note.article_id] = (n.article.title if n.article else "") or ""
        for r in self.reviews:
            seen[r.article.id] = r.article.title or ""
        return sorted(seen, key=lambda aid: (seen[aid].casefold(), aid))


def notes_document(library: Library) -> list[ExportedNote]:
    """Every note with its article's title, source and date, in article order."""
    return export_document(library).notes


def export_document(library: Library, article_id: str | None = None) -> ExportDocument:
    """Every note and every reviewed quote (of one article, or all), with what an export
    shows of them. Opens only the articles that have notes or reviews."""
    summaries = {a.id: a for a in library.articles()}
    all_notes = library.notes(article_id) if article_id else library.notes()
    reviewed = library.reviewed_quotes(article_id)
    wanted = {n.article_id for n in all_notes} | {q.article_id for q in reviewed}
    articles: dict[str, Article] = {}
    quotes: dict[str, dict[str, QuoteView]] = {}
    for aid in wanted:
        if aid not in summaries:
            continue
        try:
            articles[aid] = library.article(aid)
            quotes[aid] = {q.id: q for q in library.quotes(aid)}
        except LibraryError:
            continue  # a lost text: its notes still carry their own words
    notes: list[ExportedNote] = []
    for note in all_notes:
        art = articles.get(note.article_id)
        quote = quotes.get(note.article_id, {}).get(note.quote_id or "")
        cited = citation_of(art, quote) if art is not None and quote is not None else None
        placed = art is not None and not note.orphaned
        paragraph = paragraph_number(art, note.start) if art is not None and placed else None
        notes.append(ExportedNote(note, summaries.get(note.article_id), quote, cited, paragraph))
    notes.sort(
        key=lambda n: ((n.article.title if n.article else "").casefold(), n.note.article_id,
                       n.note.start, n.note.created)
    )  # fmt: skip
    reviews = [
        ExportedReview(q, summaries[q.article_id], citation_of(articles[q.article_id], q))
        for q in reviewed
        if q.review != "unreviewed" and q.article_id in articles
    ]
    reviews.sort(key=lambda r: (r.article.title.casefold(), r.article.id, r.quote.start))
    return ExportDocument(notes, reviews)


# ---------------------------------------------------------------- Markdown


def _day(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def _review_line(quote: QuoteView) -> str:
    by = f" by {quote.reviewer}" if quote.reviewer else ""
    when = f" on {_day(quote.reviewed_at)}" if quote.reviewed_at else ""
    line = f"{quote.review}{by}{when}"
    if quote.review == "corrected" or quote.reassigned:
        was = []
        if quote.speaker != quote.machine_speaker:
            was.append(f"machine speaker: {quote.machine_speaker or 'unattributed'}")
        if quote.machine_kind and quote.kind != quote.machine_kind:
            was.append(f"machine kind: {quote.machine_kind}")
        if was:
            line += f" ({'; '.join(was)})"
    return line


def _quote_block(citation: Citation) -> list[str]:
    words = squash(citation.words)
    if not citation.verbatim:
        words = f"Paraphrase (reported speech, not verbatim): {words}"
    who = citation.speaker or "unattributed"
    if citation.role:
        who += f" ({citation.role})"
    return [f"> {words}", "", f"Speaker: **{who}**"]


def to_markdown(document: ExportDocument | list[ExportedNote]) -> str:
    if isinstance(document, list):
        document = ExportDocument(document, [])
    lines = ["# saidwho notes", ""]
    for aid in document.article_ids():
        notes = [n for n in document.notes if n.note.article_id == aid]
        reviews = [r for r in document.reviews if r.article.id == aid]
        article = notes[0].article if notes else reviews[0].article
        lines += [f"## {squash(article.title if article else '') or aid}", ""]
        if article is not None:
            meta = [v for v in (article.source, article.date, article.url or article.path) if v]
            if meta:
                lines += [" · ".join(squash(v) for v in meta), ""]
        for item in notes:
            note = item.note
            if item.citation is not None:
                lines += _quote_block(item.citation)
            elif note.exact.strip():
                lines.append(f"> {squash(note.exact)}")
            where = [f"paragraph {item.paragraph}"] if item.paragraph else []
            if item.quote is not None:
                where.append(f"review: {_review_line(item.quote)}")
            if note.orphaned:
                where.append("orphaned: these words are no longer in the article")
            if where:
                lines += ["", " · ".join(where)]
            lines.append("")
            if note.tags:
                lines += ["Tags: " + ", ".join(f"`{t}`" for t in note.tags), ""]
            if note.text.strip():
                lines += [note.text.rstrip(), ""]
            stamp = f"Written {_day(note.created)}"
            if note.updated and note.updated != note.created:
                stamp += f", updated {_day(note.updated)}"
            lines += [stamp, "", "---", ""]
        if reviews:
            lines += ["### Reviews", ""]
            for review in reviews:
                lines += _quote_block(review.citation)
                where = (
                    [f"paragraph {review.citation.paragraph}"] if review.citation.paragraph else []
                )
                where.append(f"review: {_review_line(review.quote)}")
                lines += ["", " · ".join(where), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- JSON-LD (W3C Web Annotation)


def _source(article: ArticleSummary | None, article_id: str) -> str:
    if article is not None and article.url:
        return article.url
    if article is not None and article.path:
        path = PurePath(article.path)
        return Path(path).as_uri() if path.is_absolute() else article.path
    return ARTICLE_URN + article_id


def _target(article: ArticleSummary | None, article_id: str, start: int, end: int,
            exact: str, prefix: str, suffix: str) -> dict[str, Any]:  # fmt: skip
    return {
        "source": _source(article, article_id),
        "scope": ARTICLE_URN + article_id,
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        ],
    }


def _note_annotation(item: ExportedNote) -> dict[str, Any]:
    note = item.note
    body: list[dict[str, Any]] = []
    if note.text:
        body.append(
            {"type": "TextualBody", "value": note.text, "format": "text/markdown",
             "purpose": "commenting"}
        )  # fmt: skip
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    return {
        "id": f"urn:uuid:{note.id}",
        "type": "Annotation",
        "motivation": "commenting",
        "created": note.created,
        "modified": note.updated,
        "body": body,
        "target": _target(
            item.article, note.article_id, note.start, note.end, note.exact, note.prefix,
            note.suffix,
        ),
    }  # fmt: skip


def _review_annotations(review: ExportedReview, text: str) -> list[dict[str, Any]]:
    from saidwho.store.anchoring import select

    q = review.quote
    sel = select(text, q.start, q.end)
    target = _target(review.article, q.article_id, q.start, q.end, sel.exact, sel.prefix,
                     sel.suffix)  # fmt: skip
    common: dict[str, Any] = {"type": "Annotation"}
    if q.reviewer:
        common["creator"] = {"type": "Person", "name": q.reviewer}
    if q.reviewed_at:
        common["created"] = q.reviewed_at
    out: list[dict[str, Any]] = []
    edits = []
    if q.speaker != q.machine_speaker:
        edits.append(f"speaker: {q.speaker}" if q.speaker else "speaker: (none)")
    if q.machine_kind and q.kind != q.machine_kind:
        edits.append(f"kind: {q.kind}")
    if edits:
        out.append(
            {
                "id": f"{REVIEW_URN}{q.article_id}:{q.id}:editing",
                **common,
                "motivation": "editing",
                "body": [{"type": "TextualBody", "value": e, "purpose": "editing"} for e in edits],
                "target": target,
            }
        )
    if q.review in ("confirmed", "disputed"):
        out.append(
            {
                "id": f"{REVIEW_URN}{q.article_id}:{q.id}:assessing",
                **common,
                "motivation": "assessing",
                "body": [{"type": "TextualBody", "value": q.review, "purpose": "assessing"}],
                "target": target,
            }
        )
    return out


def to_jsonld(
    document: ExportDocument, texts: dict[str, str], decisions: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    items = [_note_annotation(n) for n in document.notes]
    for review in document.reviews:
        items += _review_annotations(review, texts[review.quote.article_id])
    items += speaker_export.jsonld_items(decisions)  # the reviewer's speaker decisions
    return {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "label": "saidwho notes and reviews",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "type", "article_id", "article_title", "source", "date", "location", "paragraph",
    "quote_id", "speaker", "machine_speaker", "review", "reviewer", "reviewed_at", "words",
    "note", "tags", "created", "updated", "orphaned", "note_id",
)  # fmt: skip


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # a cell starting with = + - @ is a formula to a spreadsheet: an article must not run one
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(document: ExportDocument, decisions: Iterable[Mapping[str, Any]] = ()) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n in document.notes:
        a, q = n.article, n.quote
        words = n.citation.words if n.citation else n.note.exact
        writer.writerow([_cell(v) for v in (
            "note", n.note.article_id, a.title if a else "", a.source if a else "",
            a.date if a else "", (a.url or a.path) if a else "", n.paragraph,
            n.note.quote_id, q.speaker if q else "", q.machine_speaker if q else "",
            q.review if q else "", q.reviewer if q else "", q.reviewed_at if q else "",
            squash(words), n.note.text, ", ".join(n.note.tags), n.note.created, n.note.updated,
            "yes" if n.note.orphaned else "", n.note.id,
        )])  # fmt: skip
    for r in document.reviews:
        a, q = r.article, r.quote
        writer.writerow([_cell(v) for v in (
            "review", a.id, a.title, a.source, a.date, a.url or a.path, r.citation.paragraph,
            q.id, q.speaker, q.machine_speaker, q.review, q.reviewer, q.reviewed_at,
            squash(r.citation.words), "", "", "", "", "", "",
        )])  # fmt: skip
    for row in speaker_export.csv_rows(decisions, CSV_COLUMNS):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# ---------------------------------------------------------------- writing


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file's suffix names (Markdown by default)."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
        return fmt
    return SUFFIXES.get(path.suffix.lower(), "markdown")


def render(library: Library, fmt: str, article_id: str | None = None) -> tuple[str, int]:
    """The export as text and how many notes and reviews it holds."""
    document = export_document(library, article_id)
    count = len(document.notes) + len(document.reviews)
    # the speaker decisions are the library's, not one article's
    decisions = library.speaker_decisions() if article_id is None else []
    if fmt == "markdown":
        text = to_markdown(document)
        if article_id is None:  # the reviewer's merges, splits and renames
            speakers = decisions_markdown(library.speaker_decisions())
            text += f"\n{speakers}" if speakers else ""
        return text, count
    if fmt == "csv":
        return to_csv(document, decisions), count
    if fmt == "jsonld":
        texts = {aid: library.article(aid).text for aid in {r.article.id for r in document.reviews}}
        return dumps(to_jsonld(document, texts, decisions), indent=2) + "\n", count
    if fmt == "json":
        data = [n.to_json() for n in document.notes]
        # safe_text.dumps: a title's U+009B or U+202E is escaped, never raw on a terminal
        return dumps(data, indent=2) + "\n", len(document.notes)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def export_notes(library: Library, path: Path, fmt: str | None = None) -> int:
    """Write every note and review to ``path`` in ``fmt`` (default: from the suffix: .md,
    .jsonld, .csv, .json). Returns how many notes and reviews were written."""
    path = path.expanduser()
    data, count = render(library, format_for(path, fmt))
    # the user's file: no .bak beside it
    atomic_write(path, data.encode("utf-8"), backup=False)
    return count


# An article's ``target.source`` in Web Annotation files (its URL, file URI or URN): what
# store/note_import.py matches an imported annotation's target against.
source_of = _source
