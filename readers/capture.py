"""What was read, exactly: the bytes an article's text came from, for the store to archive.

A reader hands a ``Capture`` beside its ``Article`` and never writes it anywhere itself
(store/archive.py turns it into WARC records). For a web page it is the request and the
response as they went over the wire: the status line, the headers and the body before any
content coding was undone. For a file it is the file's bytes, path and mtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from saidwho.readers.article import Article

__all__ = ["Capture", "Page"]

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Capture:
    """The raw bytes of one read. ``kind`` "response": an HTTP exchange (``url`` as asked,
    ``final_url`` after redirects); "resource": a file (``path``, ``mtime``)."""

    kind: Literal["response", "resource"]
    body: bytes  # exactly as received (a response's body still content-coded)
    read_at: str  # ISO 8601 UTC
    url: str = ""
    final_url: str = ""
    status: int = 0
    reason: str = ""
    http_version: str = "HTTP/1.1"
    request_headers: Headers = ()
    response_headers: Headers = ()
    path: str = ""
    mtime: str = ""  # the file's mtime, ISO 8601 UTC
    media_type: str = ""

    @property
    def target(self) -> str:
        """The URI the record is filed under: the final URL, or the file's ``file://`` URI."""
        if self.kind == "response":
            return self.final_url or self.url
        from pathlib import Path

        return Path(self.path).absolute().as_uri()

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == low), None)


@dataclass(frozen=True)
class Page:
    """A fetched page read as an article, with the capture it was read from."""

    article: Article
    capture: Capture
