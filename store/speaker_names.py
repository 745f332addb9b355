"""Each article's speakers as the library's identities name them, kept beside the catalog.

Building the speaker identities costs ~1.2 s at 10,000 articles; a process that only lists
the library (``saidwho list``, the reader's first paint) reads this file instead. It is
derived data, keyed by a hash of the catalog's bytes, the speaker reassignments and
decisions, and this file's format: a different key, a missing or a damaged file is a miss,
and the identities are built (and the file rewritten) as if it were not there.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from saidwho.core.heap import paused_gc
from saidwho.store.errors import CorruptFileError
from saidwho.store.storage import atomic_write, dumps, loads
from saidwho.store.targets import UnsafeTargetError

FILE = "speaker-names.json"
FORMAT = 3  # bump when the identities would name speakers differently (3: one name each)

Names = dict[str, tuple[str, ...]]  # article id -> its speakers, as identities name them


def key(catalog_digest: str, reviews: tuple[Any, ...], decisions: tuple[str, ...]) -> str:
    """What the names were made from: the catalog, reassigned speakers, the decisions."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{catalog_digest}|".encode())
    h.update(repr((reviews, decisions)).encode())
    return h.hexdigest()


def read(root: Path, want: str) -> Names | None:
    """The names stored for ``want``, each article's once; None when the file is missing,
    stale or damaged."""
    each = read_each(root, want)
    if each is None:
        return None
    return {aid: tuple(dict.fromkeys(named)) for aid, named in each.items()}


def read_each(root: Path, want: str) -> Names | None:
    """As stored: for each article whose speakers the identities name otherwise, the
    identity of each of its speakers, in the order of its summary's speakers (so one
    article's quotes are named without building the identities)."""
    path = root / FILE
    with paused_gc():  # ~80,000 names at 10,000 articles, no cycles among them
        try:
            data = loads(path.read_bytes(), path)
        except (OSError, CorruptFileError):
            return None
        return _names(data, want)


def _names(data: Any, want: str) -> Names | None:
    if not isinstance(data, dict) or data.get("key") != want:
        return None
    names = data.get("names")
    if not isinstance(names, dict):
        return None
    out: Names = {}
    for aid, named in names.items():
        if isinstance(named, str):
            out[aid] = tuple(named.split("\n"))
        elif isinstance(named, list) and set(map(type, named)) <= {str}:
            out[aid] = tuple(named)
        else:
            return None
    return out


def write(root: Path, made_from: str, names: Names) -> None:
    """Store ``names`` (one per speaker of the article's summary, in its order: see
    ``read_each``); a read-only library or a full disk only costs the next process time."""
    # one string per article, the names on lines: a list of strings each parses ~5x slower
    stored = {
        aid: list(n) if any("\n" in name for name in n) else "\n".join(n)
        for aid, n in sorted(names.items())
    }
    data = {"key": made_from, "names": stored}
    # a link in its place is refused (store/targets.py) and left for doctor to report
    with contextlib.suppress(OSError, UnsafeTargetError):
        atomic_write(root / FILE, dumps(data), backup=False)
