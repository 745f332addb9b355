"""Notes export: JSON for tools, Markdown for people. The TUI's command palette and the CLI
share it; it reads the library and writes one file (atomically, like the store's own)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store.identities import decisions_markdown
from saidwho.store.storage import atomic_write
from saidwho.store.views import ArticleSummary, Note

if TYPE_CHECKING:
    from saidwho.store.library import Library


@dataclass(frozen=True)
class ExportedNote:
    """A note with the article it is on (None when that article is gone)."""

    note: Note
    article: ArticleSummary | None

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {
            **self.note.to_json(),
            "article_title": a.title if a else None,
            "article_source": a.source if a else None,
            "article_date": a.date if a else None,
            "article_path": a.path if a else None,
        }


def notes_document(library: Library) -> list[ExportedNote]:
    """Every note with its article's title, source and date, in article order."""
    summaries = {a.id: a for a in library.articles()}
    out = [ExportedNote(note, summaries.get(note.article_id)) for note in library.notes()]
    out.sort(key=lambda n: (n.article.title if n.article else "", n.note.start))
    return out


def to_markdown(notes: list[ExportedNote]) -> str:
    lines = ["# saidwho notes", ""]
    current = None
    for item in notes:
        note, article = item.note, item.article
        if note.article_id != current:
            current = note.article_id
            lines += [f"## {(article.title if article else '') or current}", ""]
            meta = [value for value in (article.source, article.date) if value] if article else []
            if meta:
                lines += [" · ".join(meta), ""]
        exact = " ".join(note.exact.split())
        if exact:
            lines.append(f"> {exact}")
            lines.append(f"> (chars {note.start}–{note.end})")
            lines.append("")
        if note.tags:
            lines.append("Tags: " + ", ".join(f"`{t}`" for t in note.tags))
            lines.append("")
        lines += [note.text.rstrip(), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_notes(library: Library, path: Path) -> int:
    """Write every note to ``path``; the format follows the suffix (.json, else Markdown).
    Returns how many notes were written."""
    notes = notes_document(library)
    if path.suffix.lower() == ".json":
        data = json.dumps([n.to_json() for n in notes], ensure_ascii=False, indent=2) + "\n"
    else:
        data = to_markdown(notes)
        speakers = decisions_markdown(library.speaker_decisions())  # merges, splits, renames
        data += f"\n{speakers}" if speakers else ""
    # the user's file: no .bak beside it
    atomic_write(path.expanduser(), data.encode("utf-8"), backup=False)
    return len(notes)
