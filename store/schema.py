"""Schema version of a library and the migrations between versions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from saidwho.store import shard_migration

SCHEMA_VERSION = 2  # 2: the catalog as shards and an index (store/shards.py)

# MIGRATIONS[v] upgrades a library at version v to v + 1. It runs under the library lock,
# receives the library root and must write through store.storage.atomic_write (so the last
# good copy is kept). The version is bumped after each step, so an interrupted upgrade
# resumes where it stopped.
Migration = Callable[[Path], None]
MIGRATIONS: dict[int, Migration] = {1: shard_migration.migrate}
