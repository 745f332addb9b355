"""Schema 2 -> 3: the one file of what the user wrote (``notes.json`` and its journal)
becomes shards by article id, each with its journal (store/note_shards.py). Runs under the
library lock, from ``LibraryFiles`` on opening.

Every record moves, a record of the wrong shape too (it stays reported, as before, and
``doctor --repair`` sets it aside). Each shard starts its journal with a snapshot of itself,
so it alone rebuilds the shard. The old files are kept: ``journal.jsonl`` and
``notes.json.bak``, then ``notes.json`` last, move to ``migrated/schema-2/`` once the
shards and their index are written. Killed before that, ``notes.json`` is still in place
and the next opening lays it out again (the same shards); a ``notes.json.bak`` without its
``notes.json`` is a damaged library, left to ``doctor --repair``.
"""

from __future__ import annotations

import os
from pathlib import Path

from saidwho.store.errors import CorruptFileError, LibraryError
from saidwho.store.journal import JOURNAL, checkpoint
from saidwho.store.note_shards import NoteShards, journal_path, shard_path, split
from saidwho.store.records import NOTES
from saidwho.store.storage import (
    atomic_write,
    backup_path,
    dumps,
    fsync_dir,
    make_dirs,
    read_tables,
)

BACKUP_DIR = Path("migrated") / "schema-2"


def migrate(root: Path) -> None:
    """Lay notes.json out as shards (each journaled) and an index, then move it aside."""
    legacy = root / NOTES
    tables = read_tables(legacy)  # CorruptFileError: doctor --repair first, nothing changed
    if tables is None:
        if backup_path(legacy).exists():
            raise LibraryError(
                f"{legacy} is missing but its last good copy {backup_path(legacy).name} "
                "exists; run `saidwho doctor --repair` to restore it"
            )
        tables = {}  # moved aside already (or a library that never had notes)
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise CorruptFileError(legacy, f"table {name} is not a TinyDB table")
    for name, shard in split(tables).items():
        atomic_write(shard_path(root, name), dumps(shard), backup=False, root=root)
        checkpoint(journal_path(root, name), shard)
    NoteShards(root).write_index()
    set_aside(root)


def set_aside(root: Path) -> None:
    """Move journal.jsonl, notes.json.bak, then notes.json to migrated/schema-2/: kept,
    never read again."""
    target = root / BACKUP_DIR
    make_dirs(target)
    for path in (root / JOURNAL, backup_path(root / NOTES), root / NOTES):
        if path.exists():
            dest, n = target / path.name, 0
            while dest.exists():  # a notes.json set aside before is kept too
                n += 1
                dest = target / f"{path.name}.{n}"
            os.replace(path, dest)
    fsync_dir(target)
    fsync_dir(root)


def finish(root: Path) -> None:
    """A ``notes.json`` in a library already at schema 3 (its catalog rebuilt by ``doctor``
    before the library was opened, or an old file put back by hand): each of its records
    that no shard holds is added to its shard (journaled), never one replacing a record the
    shards hold; then it is set aside like a migrated one."""
    tables = read_tables(root / NOTES)
    if tables is None:
        return
    shards = NoteShards(root)
    for name, part in split(tables).items():
        storage = shards.storage(name)
        current = storage.read() or {}
        merged = {table: dict(docs) for table, docs in current.items()}
        added = 0
        for table, docs in part.items():
            for key, doc in docs.items():
                if key not in merged.setdefault(table, {}):
                    merged[table][key] = doc
                    added += 1
        if added:
            storage.write(merged)
    set_aside(root)
