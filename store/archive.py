"""The archive of what was read: one gzipped WARC 1.1 file per article version.

    archive/<id[:2]>/<id>/v<N>.warc.gz

A web page is a ``response`` record (status line, headers and body exactly as received,
content coding and all) followed by the ``request`` record that asked for it; a file read
from disk is a ``resource`` record (its path and mtime in the headers). Records are written
with warcio; each carries ``WARC-Date``, ``WARC-Target-URI`` (the final URL after
redirects) and a ``WARC-Payload-Digest`` of ``sha256:<hex>``, the digest citations quote.

A file is written once, whole, through ``atomic_write`` under the library's lock, so a
damaged file damages that one version's evidence and nothing else. ``check`` is what
``doctor`` and ``verify`` run on it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from saidwho.readers.capture import Capture
from saidwho.store.storage import atomic_write

__all__ = ["ARCHIVE_DIR", "MAX_PAYLOAD", "ArchiveRef", "Record", "check", "read", "write"]

ARCHIVE_DIR = "archive"
# the fetcher's cap on a body; a bigger file from disk is read but not archived
MAX_PAYLOAD = 10_000_000


@dataclass(frozen=True)
class ArchiveRef:
    """Where a version's bytes are: the WARC file (relative to the library, ``/``-separated),
    the offset of its record in it, and the sha256 of the record's payload."""

    file: str
    offset: int
    payload_sha256: str

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "offset": self.offset}


@dataclass(frozen=True)
class Record:
    """One archived record read back: its WARC headers, HTTP headers (none for a resource)
    and payload bytes."""

    warc_type: str
    target: str
    date: str
    payload_digest: str
    http_status: int | None
    http_headers: tuple[tuple[str, str], ...]
    payload: bytes
    content_type: str = ""  # the record's own (a resource's media type)


class _Writer(WARCWriter):  # warcio ships no types: WARCWriter is Any
    """WARC 1.1 with sha256 block digests (warcio's default is sha1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def archive_file(article_id: str, version: int) -> str:
    return f"{ARCHIVE_DIR}/{article_id[:2]}/{article_id}/v{version}.warc.gz"


def payload_digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def encode(capture: Capture, *, version: int, article_id: str) -> tuple[bytes, int]:
    """The WARC file's bytes and the offset of its main record (the response/resource)."""
    out = io.BytesIO()
    writer = _Writer(out, gzip=True, warc_version="1.1")
    digest = "sha256:" + payload_digest(capture.body)
    headers = {
        "WARC-Date": _warc_date(capture.read_at),
        "WARC-Payload-Digest": digest,
        "saidwho-Article": article_id,
        "saidwho-Version": str(version),
    }
    if capture.kind == "response":
        if capture.url and capture.url != capture.final_url:
            headers["saidwho-Requested-URI"] = capture.url
        status = f"{capture.status} {capture.reason}".rstrip()
        http = StatusAndHeaders(
            status, list(capture.response_headers), protocol=capture.http_version
        )
        record = writer.create_warc_record(
            capture.target,
            "response",
            payload=io.BytesIO(capture.body),
            length=len(capture.body),
            http_headers=http,
            warc_headers_dict=headers,
        )
        path = _request_path(capture.final_url)
        request = writer.create_warc_record(
            capture.target,
            "request",
            http_headers=StatusAndHeaders(
                f"GET {path} {capture.http_version}",
                list(capture.request_headers),
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Date": headers["WARC-Date"]},
        )
        offset = out.tell()
        writer.write_request_response_pair(request, record)
        return out.getvalue(), offset
    headers["saidwho-Path"] = capture.path
    if capture.mtime:
        headers["saidwho-Mtime"] = capture.mtime
    record = writer.create_warc_record(
        capture.target,
        "resource",
        payload=io.BytesIO(capture.body),
        length=len(capture.body),
        warc_content_type=capture.media_type or "application/octet-stream",
        warc_headers_dict=headers,
    )
    offset = out.tell()
    writer.write_record(record)
    return out.getvalue(), offset


def write(root: Path, article_id: str, version: int, capture: Capture) -> ArchiveRef | None:
    """Archive one version's capture (call under the library's lock). None when the payload
    is over the cap: the version is kept, unarchived, rather than the read refused."""
    if len(capture.body) > MAX_PAYLOAD:
        return None
    data, offset = encode(capture, version=version, article_id=article_id)
    name = archive_file(article_id, version)
    atomic_write(root / name, data, backup=False, root=root)
    return ArchiveRef(name, offset, payload_digest(capture.body))


def read(root: Path, ref: ArchiveRef) -> Record:
    """The record at ``ref``; ValueError (one line) when the file is missing or damaged."""
    path = root / ref.file
    try:
        with path.open("rb") as fh:
            return record_at(fh, ref.offset, ref.file)
    except FileNotFoundError:
        raise ValueError(f"{ref.file} is missing") from None
    except OSError as exc:
        raise ValueError(f"{ref.file} cannot be read ({exc.strerror or exc})") from None


def record_at(stream: BinaryIO, offset: int, name: str) -> Record:
    """The record at ``offset`` of a WARC stream; ValueError (one line) when damaged."""
    stream.seek(offset)
    try:
        for rec in ArchiveIterator(stream):
            http = rec.http_headers
            return Record(
                warc_type=rec.rec_type,
                target=rec.rec_headers.get_header("WARC-Target-URI") or "",
                date=rec.rec_headers.get_header("WARC-Date") or "",
                payload_digest=rec.rec_headers.get_header("WARC-Payload-Digest") or "",
                http_status=int(http.get_statuscode()) if http is not None else None,
                http_headers=tuple(http.headers) if http is not None else (),
                payload=rec.raw_stream.read(),  # as stored: still content-coded
                content_type=rec.content_type or "",
            )
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - warcio raises anything on broken bytes
        raise ValueError(f"{name} is damaged ({type(exc).__name__})") from None
    raise ValueError(f"{name} holds no record at offset {offset}")


def check(root: Path, ref: ArchiveRef) -> str | None:
    """Why the archived record does not prove what ``ref`` says, or None when it does.

    The payload read back must hash to the recorded digest, and so must the record's own
    ``WARC-Payload-Digest``. A response's payload is the body as received, so its content
    coding is undone before hashing only by whoever decodes it, never here."""
    try:
        record = read(root, ref)
    except ValueError as exc:
        return str(exc)
    actual = payload_digest(record.payload)
    if actual != ref.payload_sha256:
        return (
            f"{ref.file}: payload digest {actual[:12]}... "
            f"is not the recorded {ref.payload_sha256[:12]}..."
        )
    if record.payload_digest != f"sha256:{actual}":
        return f"{ref.file}: the record's WARC-Payload-Digest does not match its payload"
    return None


def _warc_date(stamp: str) -> str:
    """WARC 1.1 dates are ISO 8601 UTC with a Z; saidwho stamps already are."""
    return stamp if stamp.endswith("Z") else stamp + "Z"


def _request_path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
