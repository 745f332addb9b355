"""Turn a file into an ``Article``: ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm``.

    from saidwho.readers import read_article, ReadError
    try:
        article = read_article(path)
    except ReadError as err:
        print(f"saidwho: {path}: {err}")   # err is a short reason, never a traceback

Every failure a user can cause (missing file, directory, permissions, binary or non-UTF-8
data, a file too large, an unsupported type, nothing readable inside) is a ReadError.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from saidwho.readers.article import Article
from saidwho.readers.capture import Capture
from saidwho.readers.common import ReadError
from saidwho.readers.decode import check_text, decode_bytes

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ReadError",
    "format_for",
    "is_supported",
    "read_article",
    "read_article_capture",
    "read_text_article",
]

Format = Literal["txt", "md", "html"]

# Files larger than this are refused before they are read (decimal megabytes).
MAX_BYTES = 50_000_000

_FORMATS: dict[str, Format] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)


def format_for(path: str | os.PathLike[str]) -> Format | None:
    """The reader format for a path's suffix (case-insensitive), or None if unsupported."""
    return _FORMATS.get(Path(path).suffix.lower())


def is_supported(path: str | os.PathLike[str]) -> bool:
    return format_for(path) is not None


def read_text_article(
    text: str, *, path: str | os.PathLike[str] | None = None, fmt: Format = "txt"
) -> Article:
    """Make an Article from text already in memory (decoded, BOM removed).

    ``path`` is only recorded (made absolute). Raises ReadError for empty, blank or
    binary-looking text, or when a format finds no article text in it.
    """
    if fmt not in ("txt", "md", "html"):
        raise ValueError(f"unknown format {fmt!r}")
    if not text:
        raise ReadError("empty file")
    if not text.strip():
        raise ReadError("file contains only whitespace")
    check_text(text)
    if fmt == "txt":
        from saidwho.readers.text import parse_text

        article = parse_text(text)
    elif fmt == "md":
        from saidwho.readers.markdown import parse_markdown

        article = parse_markdown(text)
    else:
        from saidwho.readers.html import parse_html

        article = parse_html(text)
    if path is not None:
        article = replace(article, path=os.path.abspath(path))
    return article


def read_article(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Article:
    """Read one file into an Article, reading at most ``max_bytes + 1`` bytes of it."""
    data, fmt = _read_bytes(Path(path), max_bytes)
    text = decode_bytes(data, fmt=fmt)
    return read_text_article(text, path=path, fmt=fmt)


def read_article_capture(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES
) -> tuple[Article, Capture]:
    """``read_article`` and the bytes it read (for the archive): one read, so the text
    always comes from exactly the bytes kept."""
    data, fmt = _read_bytes(Path(path), max_bytes)
    text = decode_bytes(data, fmt=fmt)
    article = read_text_article(text, path=path, fmt=fmt)
    try:
        mtime = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
        stamp = mtime.isoformat(timespec="seconds").replace("+00:00", "Z")
    except OSError:
        stamp = ""
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    kind = {"html": "text/html", "md": "text/markdown"}.get(fmt, "text/plain")
    capture = Capture(
        "resource",
        data,
        now,
        path=article.path or os.path.abspath(path),
        mtime=stamp,
        media_type=kind,
    )
    return article, capture


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, Format]:
    # O_NONBLOCK: opening a FIFO must not hang waiting for a writer; it is refused below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise ReadError(_os_reason(err)) from None
    except ValueError:  # a NUL byte in the path
        raise ReadError("invalid file name") from None
    try:
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ReadError("is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise ReadError("not a regular file")
            fmt = format_for(path)
            if fmt is None:
                raise ReadError(_unsupported(path))
            if info.st_size > max_bytes:
                raise ReadError(_too_large(info.st_size, max_bytes))
            data = fh.read(max_bytes + 1)  # the file may have grown since fstat
    except OSError as err:
        raise ReadError(_os_reason(err)) from None
    if len(data) > max_bytes:
        raise ReadError(_too_large(len(data), max_bytes))
    if not data:
        raise ReadError("empty file")
    return data, fmt


def _unsupported(path: Path) -> str:
    if not path.suffix:
        return "unsupported file type (no suffix)"
    return f"unsupported file type '{path.suffix}'"


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    if isinstance(err, NotADirectoryError):
        return "file not found (a parent is not a directory)"
    reason = err.strerror or type(err).__name__
    return reason[:1].lower() + reason[1:]


def _size(size: int, *, up: bool) -> str:
    """Sizes for messages, in tenths of the unit: the file size rounds up and the
    limit down, so "51 MB > 50 MB" never reads "50 MB > 50 MB"."""
    for unit, name in ((1_000_000, "MB"), (1000, "KB")):
        if size >= unit:
            tenths = size * 10 / unit
            tenths = math.ceil(tenths) if up else math.floor(tenths)
            return f"{tenths / 10:g} {name}"
    return f"{size} bytes"


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({_size(size, up=True)} > {_size(limit, up=False)} limit)"
