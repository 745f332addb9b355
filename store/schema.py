"""Schema version of a library and the migrations between versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from saidwho.store import notes_migration, shard_migration

# 2: the catalog as shards and an index (store/shards.py); 3: what the user wrote as
# shards by article id, each journaled (store/note_shards.py)
SCHEMA_VERSION = 3

# MIGRATIONS[v] upgrades a library at version v to v + 1. It runs under the library lock,
# receives the library root and must write through store.storage.atomic_write (so the last
# good copy is kept). The version is bumped after each step, so an interrupted upgrade
# resumes where it stopped.
Migration = Callable[[Path], None]
MIGRATIONS: dict[int, Migration] = {1: shard_migration.migrate, 2: notes_migration.migrate}


_HEAD = b'{"meta":'  # the index is written meta first (store/shards.py)


def peek_meta(index: Path) -> dict[str, Any] | None:
    """The catalog index's ``meta`` table, read from the file's first bytes without parsing
    the rest: opening a library checks its schema with it (at 100,000 articles the index is
    10 MB, 0.25 s to parse, which a note or a verdict never needs). None when the file does
    not start as saidwho writes it: then the caller reads it whole."""
    try:
        with open(index, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if not head.startswith(_HEAD):
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(head.decode("utf-8", "ignore"), len(_HEAD))
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None
