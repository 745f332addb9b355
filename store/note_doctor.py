"""``doctor`` on what the user wrote (store/note_shards.py): which files to check, each with
its own journal, and the shards' index, rewritten from the shards when it does not describe
them (it is derived: a crash between a shard's write and the index's leaves it behind).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store.errors import CorruptFileError
from saidwho.store.journal import JOURNAL
from saidwho.store.note_shards import (
    INDEX,
    JOURNAL_SUFFIX,
    NAMES,
    index_path,
    journal_path,
    notes_dir,
    shard_name,
    shard_path,
)
from saidwho.store.records import NOTES
from saidwho.store.shards import digest_of
from saidwho.store.storage import atomic_write, backup_path, dumps, loads

if TYPE_CHECKING:
    from saidwho.store.doctor import _Doctor


def note_files(root: Path) -> list[tuple[Path, Path]]:
    """(file, its journal) of everything the user wrote that is on disk: notes.json of a
    library not yet migrated (schema 2), then each shard with any of its three files."""
    out: list[tuple[Path, Path]] = []
    legacy = root / NOTES
    if any(p.exists() for p in (legacy, backup_path(legacy), root / JOURNAL)):
        out.append((legacy, root / JOURNAL))
    folder = notes_dir(root)
    found = {shard_name(p) for p in folder.iterdir()} if folder.is_dir() else set()
    out += [(shard_path(root, n), journal_path(root, n)) for n in NAMES if n in found]
    return out


def journal_of(root: Path, path: Path) -> Path | None:
    """The journal of a notes file (None: ``path`` is not one)."""
    if path == root / NOTES:
        return root / JOURNAL
    if path.parent == notes_dir(root) and path.suffix == ".json":
        name = shard_name(path)
        if name is not None:
            return journal_path(root, name)
    return None


def known_note_file(path: Path) -> bool:
    """A file of notes/ the store writes (``path`` relative to the library)."""
    name = path.name.removesuffix(".bak")
    return name == INDEX or (
        shard_name(path) is not None and name.endswith((".json", JOURNAL_SUFFIX))
    )


def expected_index(root: Path) -> dict[str, dict[str, Any]]:
    """The index the shards on disk call for: each one's record count and bytes' hash."""
    rows: dict[str, dict[str, Any]] = {}
    for name in NAMES:
        path = shard_path(root, name)
        try:
            raw = path.read_bytes()
            tables = loads(raw, path)
        except (OSError, CorruptFileError):
            continue  # missing or damaged: check_note_file reports it
        if not isinstance(tables, dict):
            continue
        count = sum(len(t) for t in tables.values() if isinstance(t, dict))
        rows[name] = {"count": count, "digest": digest_of(raw)}
    return rows


def check_notes_index(doc: _Doctor) -> None:
    """notes/index.json should describe every shard as it is; --repair rewrites it. Only a
    warning: reads never depend on it (each shard is read by its own stamp), it only tells
    a watching reader that something changed, and a writer killed between its shard and the
    index leaves it one write behind (a write never acknowledged)."""
    path = index_path(doc.root)
    want = expected_index(doc.root)
    if not path.exists() and not want:
        return  # no notes yet
    index, reason = doc.load(path)
    if index is not None:
        have = index.get("shards")
        if not isinstance(have, dict):
            reason = "no table shards"
        else:
            stale = sorted(n for n in set(have) | set(want) if have.get(n) != want.get(n))
            reason = f"out of date for shard {', '.join(stale[:5])}" if stale else None
    if reason is None:
        return
    if not doc.repair:
        doc.report.warnings.append(f"{doc.rel(path)}: {reason}; --repair rewrites it")
        return
    atomic_write(path, dumps({"shards": want}), backup=False, root=doc.root)
    doc.report.actions.append(f"rewrote {doc.rel(path)} from {len(want)} shard(s)")
