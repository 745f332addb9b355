"""Notes export (command palette): JSON for tools, Markdown for people. Runs in a worker."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def notes_document(library: Any) -> list[dict[str, Any]]:
    """Every note with its article's title, source and date, in article order."""
    summaries = {a["id"]: a for a in library.articles()}
    out = []
    for note in library.notes():
        article = summaries.get(note.get("article_id"), {})
        out.append(
            {
                **note,
                "article_title": article.get("title"),
                "article_source": article.get("source"),
                "article_date": article.get("date"),
                "article_path": article.get("path"),
            }
        )
    out.sort(key=lambda n: (str(n.get("article_title") or ""), n.get("start") or 0))
    return out


def to_markdown(notes: list[dict[str, Any]]) -> str:
    lines = ["# saidwho notes", ""]
    current = None
    for note in notes:
        if note.get("article_id") != current:
            current = note.get("article_id")
            lines += [f"## {note.get('article_title') or current}", ""]
            meta = [str(note[k]) for k in ("article_source", "article_date") if note.get(k)]
            if meta:
                lines += [" · ".join(meta), ""]
        exact = " ".join(str(note.get("exact") or "").split())
        if exact:
            lines.append(f"> {exact}")
            lines.append(f"> (chars {note.get('start')}–{note.get('end')})")
            lines.append("")
        if note.get("tags"):
            lines.append("Tags: " + ", ".join(f"`{t}`" for t in note["tags"]))
            lines.append("")
        lines += [str(note.get("text") or "").rstrip(), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_notes(library: Any, path: Path) -> int:
    """Write the notes atomically; the format follows the suffix (.json, else Markdown)."""
    notes = notes_document(library)
    if path.suffix.lower() == ".json":
        data = json.dumps(notes, ensure_ascii=False, indent=2) + "\n"
    else:
        data = to_markdown(notes)
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(notes)
