"""The library's summaries streamed newest first, each shard read when its first article is
due: ``saidwho list`` prints its first line after reading the index and one shard, not the
whole catalog (store/shards.py).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from saidwho.store import records
from saidwho.store.errors import NotFoundError
from saidwho.store.shards import newest_first
from saidwho.store.views import ArticleSummary

if TYPE_CHECKING:
    from saidwho.store.library import Library


def stream_articles(lib: Library) -> Iterator[ArticleSummary]:
    """What ``lib.articles(named=False)`` returns, in the same order, one at a time: each
    article's speakers as its quotes name them (the reviewer's reassignments applied), its
    note count and read mark."""
    files = lib.files
    with files.mutex:
        ids = newest_first(files.catalog_storage.rows())
        tables = files.notes_tables()
        note_counts = Counter(n["article_id"] for n in tables.get("notes", {}).values())
        read = {r["article_id"] for r in tables.get("reads", {}).values()}
        reviews = files.reviews_by_article()
    for aid in ids:
        with files.mutex:
            try:
                entry = files.entry(aid)  # its shard, parsed once for all its articles
            except NotFoundError:
                continue  # skipped (a bad record: reported) or removed meanwhile
        if aid in reviews:
            counts = Counter(records.speaker_counts(entry, reviews[aid]))
            speakers = tuple(name for name, _ in records.group_names(counts))
        elif "speakers" in entry:
            speakers = tuple(entry["speakers"])
        else:
            counts = Counter(entry.get("speaker_counts") or {})
            speakers = tuple(name for name, _ in records.group_names(counts))
        summary = ArticleSummary.from_entry(entry, speakers)
        if aid in note_counts or aid in read:
            summary = dataclasses.replace(summary, notes=note_counts.get(aid, 0), read=aid in read)
        yield summary
