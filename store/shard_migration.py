"""Schema 1 -> 2: the one-file catalog (``catalog.json``) becomes shards and an index
(store/shards.py). Runs under the library lock, from ``LibraryFiles`` on opening.

The old file is kept: it moves to ``migrated/schema-1/`` (with its ``.bak``) once the
shards and the index are written, so a crash midway leaves ``catalog.json`` in place and
the next opening starts the migration again from it. Nothing else changes: the article
files, notes.json and the journal are the same in both schemas.
"""

from __future__ import annotations

import os
from pathlib import Path

from saidwho.store.errors import CorruptFileError
from saidwho.store.records import CATALOG
from saidwho.store.shards import write_layout
from saidwho.store.storage import backup_path, fsync_dir, make_dirs, read_tables

BACKUP_DIR = Path("migrated") / "schema-1"


def migrate(root: Path) -> None:
    """Lay catalog.json out as shards and an index at schema 2, then move it aside."""
    legacy = root / CATALOG
    tables = read_tables(legacy)
    if tables is None:
        return  # moved aside already: an earlier run finished the layout
    if not isinstance(tables.get("articles", {}), dict):
        raise CorruptFileError(legacy, "table articles is not a TinyDB table")
    write_layout(root, {"1": {"schema_version": 2}}, tables.get("articles", {}))
    set_aside(root)


def set_aside(root: Path) -> None:
    """Move catalog.json (and its .bak) to migrated/schema-1/: kept, never read again."""
    target = root / BACKUP_DIR
    make_dirs(target)
    for path in (root / CATALOG, backup_path(root / CATALOG)):
        if path.exists():
            os.replace(path, target / path.name)
    fsync_dir(target)
    fsync_dir(root)
