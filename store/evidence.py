"""Evidence to hand over: one article's versions as a WACZ 1.1.1 package, and its check.

    archive/v<N>.warc.gz        each version's WARC records, as archived (stored, not deflated)
    indexes/index.cdxj          a CDXJ index of every record (ReplayWeb.page reads it)
    pages/pages.jsonl           one page per version: URL, read time, title, extracted text
    texts/v<N>.txt              each version's extracted text (UTF-8)
    annotations/v<N>.jsonld     each version's quotes as W3C Web Annotations
    annotations/notes.jsonld    the reviewer's notes and reviews (store/export.py's JSON-LD)
    datapackage.json            every file above with its sha256 and size; ``saidwho``: the
                                article, and per version its digests and where its files are
    datapackage-digest.json     the sha256 of datapackage.json

``verify_package`` checks every digest and, for each quote, that its words are in the text
extracted again from the archived bytes (the same reader ingest used).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from saidwho.core.text import squash
from saidwho.store import archive
from saidwho.store.storage import atomic_write

if TYPE_CHECKING:
    from saidwho.store import Library
    from saidwho.store.versions import Version, VersionText

__all__ = ["VerifyReport", "write_evidence", "verify_package"]

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def surt(url: str) -> str:
    """The SURT form CDXJ indexes sort by: ``com,example)/story?x=1``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().removeprefix("www.")
    is_ip = host.replace(".", "").isdigit() or ":" in host
    key = host if is_ip else ",".join(reversed(host.split(".")))  # as the surt package
    if parts.port and parts.port not in (80, 443):
        key += f":{parts.port}"
    return f"{key}){(parts.path or '/').lower()}" + (f"?{parts.query}" if parts.query else "")


def _timestamp(stamp: str) -> str:
    """2026-12-07T14:05:09Z -> 20261207140509."""
    return "".join(ch for ch in stamp if ch.isdigit())[:14].ljust(14, "0")


def _cdxj(name: str, data: bytes) -> list[str]:
    lines = []
    records = ArchiveIterator(io.BytesIO(data))
    for record in records:
        if record.rec_type not in ("response", "resource"):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        date = record.rec_headers.get_header("WARC-Date") or ""
        http = record.http_headers
        mime = (http.get_header("Content-Type") if http is not None else record.content_type) or ""
        entry: dict[str, Any] = {
            "url": url,
            "mime": mime.split(";")[0].strip(),
            "digest": record.rec_headers.get_header("WARC-Payload-Digest") or "",
            "offset": records.get_record_offset(),
            "filename": name.removeprefix("archive/"),
        }
        if http is not None:
            entry["status"] = http.get_statuscode()
        record.content_stream().read()  # the iterator's length is known once it is read
        entry["length"] = records.get_record_length()
        lines.append(f"{surt(url)} {_timestamp(date)} {json.dumps(entry)}")
    return lines


def _quote_annotations(article_id: str, text: VersionText) -> dict[str, Any]:
    from saidwho.store.anchoring import select

    v = text.version
    items = []
    for q in text.quotes:
        sel = select(text.text, q["start"], q["end"])
        body = [{"type": "TextualBody", "value": q.get("speaker") or "", "purpose": "identifying"}]
        items.append(
            {
                "id": f"urn:saidwho:quote:{article_id}:v{v.version}:{q['id']}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": body,
                "target": {
                    "source": v.source or f"urn:saidwho:article:{article_id}",
                    "state": {"type": "TimeState", "sourceDate": v.read_at},
                    "selector": [
                        {"type": "TextPositionSelector", "start": q["start"], "end": q["end"]},
                        {
                            "type": "TextQuoteSelector",
                            "exact": sel.exact,
                            "prefix": sel.prefix,
                            "suffix": sel.suffix,
                        },
                    ],
                },
            }
        )
    return {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "label": f"quotes of version {v.version}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }


def write_evidence(library: Library, article_id: str, out: Path) -> int:
    """Write the WACZ package of one article to ``out``; returns how many versions it holds."""
    from saidwho import __version__
    from saidwho.store.export import export_document, to_jsonld

    files: dict[str, bytes] = {}
    pages: list[dict[str, Any]] = []
    cdx: list[str] = []
    manifest: list[dict[str, Any]] = []
    summary = library.summary(article_id)
    found = library.versions(article_id)
    for v in found:
        text = library.version_text(article_id, v.version)
        entry: dict[str, Any] = {**v.to_json(), "warc": None}
        if v.archive is not None:
            data = (library.root / v.archive.file).read_bytes()
            name = f"archive/v{v.version}.warc.gz"
            files[name] = data
            cdx += _cdxj(name, data)
            entry.update(warc=name, offset=v.archive.offset)
        files[f"texts/v{v.version}.txt"] = text.text.encode("utf-8", "surrogatepass")
        anno = json.dumps(_quote_annotations(article_id, text), ensure_ascii=False, indent=2)
        files[f"annotations/v{v.version}.jsonld"] = anno.encode("utf-8", "surrogatepass")
        entry.update(text=f"texts/v{v.version}.txt", quotes=f"annotations/v{v.version}.jsonld")
        manifest.append(entry)
        pages.append(
            {
                "id": f"v{v.version}",
                "url": _page_url(library, v),
                "ts": v.read_at,
                "title": text.title or summary.title,
                "text": text.text,
            }
        )
    document = export_document(library, article_id)
    texts = {article_id: library.article(article_id).text}
    notes = json.dumps(to_jsonld(document, texts), ensure_ascii=False, indent=2)
    files["annotations/notes.jsonld"] = notes.encode("utf-8", "surrogatepass")
    files["indexes/index.cdxj"] = "".join(f"{line}\n" for line in sorted(cdx)).encode()
    files["pages/pages.jsonl"] = "".join(
        json.dumps(p, ensure_ascii=False) + "\n" for p in [PAGES_HEADER, *pages]
    ).encode("utf-8", "surrogatepass")
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": summary.title or article_id,
        "software": f"saidwho {__version__}",
        "created": now,
        "mainPageUrl": pages[-1]["url"],
        "mainPageDate": pages[-1]["ts"],
        "resources": [
            {
                "name": Path(name).name,
                "path": name,
                "hash": f"sha256:{_sha256(data)}",
                "bytes": len(data),
            }
            for name, data in sorted(files.items())
        ],
        "saidwho": {"article_id": article_id, "versions": manifest},
    }
    datapackage = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": f"sha256:{_sha256(datapackage)}"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wacz:
        for name, data in sorted(files.items()):
            # WARCs stored as they are: a replayer reads records at their offsets in the zip
            method = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
            wacz.writestr(name, data, compress_type=method)
        wacz.writestr("datapackage.json", datapackage, compress_type=zipfile.ZIP_DEFLATED)
        wacz.writestr(
            "datapackage-digest.json", json.dumps(digest), compress_type=zipfile.ZIP_DEFLATED
        )
    atomic_write(out, buffer.getvalue(), backup=False)
    return len(found)


def _page_url(library: Library, v: Version) -> str:
    if v.archive is not None:
        try:
            return library.archived(v.archive).target
        except ValueError:
            pass
    return v.source


# ---------------------------------------------------------------------- verify


@dataclass
class VerifyReport:
    """What ``verify_package`` found: ``failures`` are one line each."""

    path: str
    files: int = 0
    versions: int = 0
    quotes: int = 0
    failures: list[str] = field(default_factory=list)
    unarchived: list[int] = field(default_factory=list)  # versions with no bytes kept

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "ok": self.ok,
            "files": self.files,
            "versions": self.versions,
            "quotes": self.quotes,
            "unarchived": self.unarchived,
            "failures": self.failures,
        }


def verify_package(path: Path) -> VerifyReport:
    """Check a package ``write_evidence`` wrote: every file's digest, every record's payload
    digest, and every quote's words in the text read again from the archived bytes."""
    report = VerifyReport(str(path))
    try:
        wacz = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.failures.append(f"not a readable WACZ package ({exc})")
        return report
    with wacz:
        names = set(wacz.namelist())

        def read(name: str) -> bytes | None:
            if name not in names:
                report.failures.append(f"{name}: missing")
                return None
            try:
                return wacz.read(name)
            except (OSError, zipfile.BadZipFile, ValueError) as exc:  # a bad CRC, a cut file
                report.failures.append(f"{name}: cannot be read ({exc})")
                return None

        raw = read("datapackage.json")
        if raw is None:
            return report
        digest_file = read("datapackage-digest.json")
        if digest_file is not None:
            try:
                recorded = json.loads(digest_file).get("hash")
            except (ValueError, AttributeError):
                recorded = None
            if recorded != f"sha256:{_sha256(raw)}":
                report.failures.append("datapackage.json: does not match datapackage-digest.json")
        try:
            package = json.loads(raw)
            resources = package["resources"]
            manifest = package["saidwho"]["versions"]
        except (ValueError, KeyError, TypeError):
            report.failures.append("datapackage.json: not a saidwho evidence package")
            return report
        contents: dict[str, bytes] = {}
        for resource in resources:
            name = str(resource.get("path", ""))
            data = read(name)
            if data is None:
                continue
            report.files += 1
            contents[name] = data
            if resource.get("hash") != f"sha256:{_sha256(data)}":
                report.failures.append(f"{name}: sha256 does not match datapackage.json")
        for entry in manifest:
            _verify_version(report, entry, contents)
    return report


def _verify_version(report: VerifyReport, entry: dict[str, Any], files: dict[str, bytes]) -> None:
    number = entry.get("version")
    report.versions += 1
    where = f"v{number}"
    quotes_doc = files.get(str(entry.get("quotes")))
    text_doc = files.get(str(entry.get("text")))
    if quotes_doc is None or text_doc is None:
        report.failures.append(f"{where}: its text or quotes are not in the package")
        return
    if _sha256(text_doc) != entry.get("text_sha256"):
        report.failures.append(f"{where}: {entry.get('text')} is not the version's text")
    try:
        quotes = [
            item["target"]["selector"][1]["exact"]
            for item in json.loads(quotes_doc)["first"]["items"]
        ]
    except (ValueError, KeyError, IndexError, TypeError):
        report.failures.append(f"{where}: {entry.get('quotes')} is not a quote annotation list")
        return
    report.quotes += len(quotes)
    warc = entry.get("warc")
    if not warc:
        report.unarchived.append(int(number or 0))
        return
    data = files.get(str(warc))
    if data is None:
        report.failures.append(f"{where}: {warc} is not in the package")
        return
    try:
        record = _record_at(data, int(entry.get("offset") or 0))
    except ValueError as exc:
        report.failures.append(f"{where}: {warc}: {exc}")
        return
    payload_sha = _sha256(record.payload)
    if payload_sha != entry.get("payload_sha256"):
        report.failures.append(f"{where}: {warc}: payload digest does not match the version's")
    if record.payload_digest != f"sha256:{payload_sha}":
        report.failures.append(f"{where}: {warc}: WARC-Payload-Digest does not match its payload")
    try:
        text = reread(record)
    except ValueError as exc:
        report.failures.append(f"{where}: the archived bytes cannot be read again ({exc})")
        return
    flat = squash(text)
    for words in quotes:
        if squash(words) not in flat:
            report.failures.append(
                f"{where}: quote not in the text read from the archive: {squash(words)[:80]!r}"
            )


def _record_at(data: bytes, offset: int) -> archive.Record:
    return archive.record_at(io.BytesIO(data), offset, "the record")


def reread(record: archive.Record) -> str:
    """The article text in an archived record, read as ingest read it."""
    from saidwho.readers import ReadError, read_text_article
    from saidwho.readers.decode import decode_bytes
    from saidwho.readers.fetch import (
        Fetched,
        article_from_page,
        content_codings,
        decode_content,
        media_type,
    )

    try:
        if record.warc_type == "resource":
            kind = record.content_type.split(";")[0].strip()
            fmt: Literal["txt", "md", "html"] = (
                "html" if kind == "text/html" else "md" if kind == "text/markdown" else "txt"
            )
            return read_text_article(decode_bytes(record.payload, fmt=fmt), fmt=fmt).text
        headers = {k.lower(): v for k, v in record.http_headers}
        codings = content_codings(headers.get("content-encoding", ""))
        body = b"".join(decode_content(iter([record.payload]), codings))
        media, charset = media_type(headers.get("content-type"))
        fetched = Fetched(record.target, record.target, 200, media, charset, body, record.date)
        return article_from_page(fetched).text
    except ReadError as exc:
        raise ValueError(str(exc)) from None
