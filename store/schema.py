"""Schema version of a library and the migrations between versions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
