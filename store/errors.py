"""Exceptions raised by the store. Everything the store raises on purpose is a LibraryError."""

from __future__ import annotations

from pathlib import Path


class LibraryError(Exception):
    """The library cannot do what was asked (busy, damaged, ambiguous id, ...)."""


class NotFoundError(LibraryError):
    """No article, note or quote with that id."""


class SchemaError(LibraryError):
    """The library was written by a newer saidwho, or cannot be migrated."""


class CorruptFileError(LibraryError):
    """A library file does not parse. The file is left exactly as it is."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{self.path} is damaged ({reason}); it was left untouched. "
            "Run `saidwho doctor --repair` to restore it from the last good copy."
        )


class NoteConflictError(LibraryError):
    """A note changed elsewhere since the caller read it; ``current`` is how it is now."""

    def __init__(self, current: object) -> None:
        self.current = current
        super().__init__("the note was changed elsewhere meanwhile")


class RecordError(LibraryError):
    """One record of a library file has the wrong shape. The rest of the file is used; the
    record is left on disk until ``doctor --repair`` moves it aside."""

    def __init__(self, path: Path, table: str, key: str, reason: str) -> None:
        self.path = Path(path)
        self.table = table
        self.key = key
        self.reason = reason
        super().__init__(f"{self.path}: record {table}/{key} skipped: {reason}")
