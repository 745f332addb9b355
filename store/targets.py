"""Where the library may write: regular files inside its folder, reached without a link.

A link planted in the library (``journal.jsonl -> ~/.bashrc``) must not turn a note write into
an append to a file outside it, and a FIFO or device in a file's place must not hang or feed a
write. Every write and append of the store checks its target here first, as filelock already
refuses a linked ``.lock``; the checks use ``lstat`` (a link is judged, never followed), and
the journal's append also opens with ``O_NOFOLLOW`` so a link made after the check still fails.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from saidwho.store.errors import LibraryError


class UnsafeTargetError(LibraryError):
    """A file the library would write is a link, not a regular file, or outside the library."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{self.path}: {reason}; the library writes only regular files inside its folder, "
            "so nothing was written (run `saidwho doctor`)"
        )


def kind(mode: int) -> str | None:
    """What is wrong with a file of this mode as a write target (None: a regular file)."""
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "is not a regular file"


def check_target(path: Path, root: Path | None = None) -> None:
    """Refuse to write ``path`` unless it is absent or a regular file. With ``root`` (the
    library folder) every folder between it and the file must be a real folder too."""
    try:
        problem = kind(os.lstat(path).st_mode)
    except FileNotFoundError:
        problem = None
    if problem:
        raise UnsafeTargetError(path, problem)
    if root is None:
        return
    try:
        between = path.parent.relative_to(root).parts
    except ValueError:
        raise UnsafeTargetError(path, f"is outside the library {root}") from None
    folder = root
    for part in between:
        folder = folder / part
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            return  # made by the write, as a real folder
        if stat.S_ISLNK(mode):
            raise UnsafeTargetError(folder, "is a symbolic link")
        if not stat.S_ISDIR(mode):
            raise UnsafeTargetError(folder, "is not a folder")


def open_append(path: Path) -> int:
    """A descriptor to append to ``path`` (created if absent): never through a link, never to
    anything but a regular file."""
    check_target(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        if os.path.islink(path):
            raise UnsafeTargetError(path, "is a symbolic link") from None
        raise exc
    problem = kind(os.fstat(fd).st_mode)
    if problem:
        os.close(fd)
        raise UnsafeTargetError(path, problem)
    return fd
