"""A journal of what a reviewer writes: every change to a notes file, one JSON line each.

The notes shards (``notes/<xx>.json``, store/note_shards.py; up to schema 2 one
``notes.json``) hold the only copy of the user's work (notes, reviews, read marks, speaker
decisions). Their atomic writes keep the previous generation as ``<name>.bak``, but a
damaged file restored from there loses the newest write, and a damaged ``.bak`` too loses
everything. So each write of a notes file also appends the records it changed to its
journal (``notes/<xx>.journal.jsonl``; fsynced, before the write returns, i.e. before the
user is told it is saved). The journal starts with a snapshot of the whole file, so
replaying it alone rebuilds the file: ``doctor --repair`` does that.

Lines: ``{"op": "snapshot", "tables": {...}}``, ``{"op": "put", "table", "key", "doc"}``,
``{"op": "delete", "table", "key"}``. When the journal outgrows the notes file it is
compacted to one snapshot (an atomic rewrite). A torn last line (a crash mid-append) is
skipped on replay: that write had not been acknowledged.

The layer is small on purpose: ``JournaledStorage`` is each notes shard's TinyDB storage, so every
write path of the library (present and future) is journaled without being edited.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from saidwho.store.storage import AtomicJSONStorage, Tables, atomic_write, fsync_dir
from saidwho.store.targets import check_target, open_append

JOURNAL = "journal.jsonl"
MIN_COMPACT_BYTES = 256 * 1024  # below this, never compact (replay stays instant)

Prints = dict[tuple[str, str], str]  # (table, key) -> the record as JSON


def _print(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def prints(tables: Tables) -> Prints:
    return {
        (name, key): _print(doc)
        for name, table in tables.items()
        if isinstance(table, dict)
        for key, doc in table.items()
    }


def _snapshot_line(current: Prints) -> bytes:
    tables: dict[str, dict[str, str]] = {}
    for (name, key), raw in current.items():
        tables.setdefault(name, {})[key] = raw
    body = ",".join(
        _print(name) + ":{" + ",".join(_print(k) + ":" + raw for k, raw in docs.items()) + "}"
        for name, docs in tables.items()
    )
    return ('{"op":"snapshot","tables":{' + body + "}}\n").encode("utf-8", "surrogatepass")


def append(path: Path, lines: list[bytes]) -> None:
    """Append whole lines and fsync; after a torn last line, start on a fresh line."""
    new = not path.exists()
    fd = open_append(path)  # never through a link (store/targets.py)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            lines = [b"\n", *lines]
        os.write(fd, b"".join(lines))
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        fsync_dir(path.parent)


def checkpoint(path: Path, tables: Tables) -> None:
    """Replace the journal by one snapshot of ``tables`` (after doctor rewrote its file)."""
    atomic_write(path, _snapshot_line(prints(tables)), backup=False)


def replay(path: Path) -> tuple[Tables | None, int]:
    """The notes tables the journal describes (None without a snapshot to start from) and
    how many lines were unreadable (skipped)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, 0
    state: Tables | None = None
    bad = 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line.decode("utf-8", "surrogatepass"))
            op = entry["op"]
            if op == "snapshot":
                state = {name: dict(docs) for name, docs in entry["tables"].items()}
            elif state is None:
                continue  # entries before the first snapshot: the snapshot covers them
            elif op == "put":
                state.setdefault(entry["table"], {})[entry["key"]] = entry["doc"]
            elif op == "delete":
                state.get(entry["table"], {}).pop(entry["key"], None)
            else:
                bad += 1
        except (ValueError, KeyError, TypeError, AttributeError):
            bad += 1
    return state, bad


class JournaledStorage(AtomicJSONStorage):
    """A notes file: an atomic write, then the changed records appended to its journal."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backup: bool = True,
        journal: Path | None = None,
        root: Path | None = None,
    ) -> None:
        super().__init__(path, backup=backup, root=root)
        # notes.json's is journal.jsonl beside it; a shard of notes/ has its own
        self.journal = journal or self.path.with_name(JOURNAL)
        self._prints: Prints | None = None  # the records as last written by us

    def read(self) -> Tables | None:
        before = self.generation
        data = super().read()
        if self.generation != before:
            self._prints = None  # another process wrote: diff against its bytes
        return data

    def invalidate(self) -> None:
        super().invalidate()
        self._prints = None

    def write(self, data: Tables) -> None:
        # TinyDB edited the cached tables in place: the state before this write is the
        # bytes they were parsed from (or what we wrote last)
        # before the file changes: a refused journal must leave the write undone
        check_target(self.journal, self.root)
        old = self._prints
        if old is None:
            try:
                old = prints(json.loads(self._raw)) if self._raw else {}
            except ValueError:
                old = {}
        super().write(data)
        new = prints(data)
        lines = [
            _print({"op": "put", "table": t, "key": k, "doc": data[t][k]}).encode(
                "utf-8", "surrogatepass"
            )
            + b"\n"
            for (t, k), raw in new.items()
            if old.get((t, k)) != raw
        ]
        lines += [
            _print({"op": "delete", "table": t, "key": k}).encode() + b"\n"
            for (t, k) in old.keys() - new.keys()
        ]
        try:
            size = self.journal.stat().st_size
        except FileNotFoundError:
            size = -1
        if size < 0 or size > max(MIN_COMPACT_BYTES, 2 * len(self._raw or b"")):
            # no journal yet (it must start complete), or compaction is due: one snapshot
            atomic_write(self.journal, _snapshot_line(new), backup=False)
        elif lines:
            append(self.journal, lines)
        self._prints = new
