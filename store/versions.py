"""Every version of an article: read time, digests, archive record, and the text and quotes
of each earlier version.

    versions/<id[:2]>/<id>.json   {"versions": {"1": VersionRecord, ...}, "check": LastCheck}

The article file (articles/...) holds the current text and quotes; when a new text is saved
for the same article, the version it replaces gets a copy of its text and quotes here, so
nothing that was read is ever lost. The latest version's entry holds only its metadata. An
article saved before versions existed has no file: it is version 1, unarchived.

Written only by the catalog's save (``add_version``) and by ``recheck`` (``record_check``),
under the library's lock, through ``atomic_write``. It is per-article data, never part of
the catalog.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saidwho.readers.capture import Capture
from saidwho.store import archive, records
from saidwho.store.archive import ArchiveRef
from saidwho.store.errors import CorruptFileError, LibraryError
from saidwho.store.files import LibraryFiles
from saidwho.store.storage import Tables, atomic_write, dumps, read_tables

__all__ = [
    "VERSIONS_DIR",
    "LastCheck",
    "Version",
    "VersionText",
    "add_version",
    "archive_refs",
    "current_version",
    "last_check",
    "record_check",
    "version_text",
    "versions",
]

VERSIONS_DIR = "versions"
# the ids of articles whose last recheck changed a quote: a cache of the version files'
# "check" records, so the library list reads one file, not one per article
CHANGED_MARKS = "rechecked.json"


@dataclass(frozen=True)
class Version:
    """One version of an article (``saidwho versions --json``)."""

    version: int
    read_at: str
    text_sha256: str
    source: str  # the URL or path it was read from
    quotes: int
    payload_sha256: str | None = None
    archive: ArchiveRef | None = None
    current: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "read_at": self.read_at,
            "text_sha256": self.text_sha256,
            "source": self.source,
            "quotes": self.quotes,
            "payload_sha256": self.payload_sha256,
            "archive": self.archive.to_json() if self.archive else None,
            "current": self.current,
        }


@dataclass(frozen=True)
class VersionText:
    """A version's text and quotes (the quote records of an article file)."""

    version: Version
    title: str
    text: str
    quotes: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class LastCheck:
    """What the last ``recheck`` of an article found."""

    at: str
    status: str  # "unchanged" or "changed"
    quotes_changed: bool = False
    summary: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at,
            "status": self.status,
            "quotes_changed": self.quotes_changed,
            "summary": self.summary,
        }


@dataclass
class _Doc:
    entries: list[dict[str, Any]] = field(default_factory=list)  # by version number
    check: dict[str, Any] | None = None

    def tables(self) -> Tables:
        out: Tables = {"versions": {str(e["n"]): e for e in self.entries}}
        if self.check is not None:
            out["check"] = {"1": self.check}
        return out


def versions_path(root: Path, article_id: str) -> Path:
    return root / VERSIONS_DIR / article_id[:2] / f"{article_id}.json"


def _load(root: Path, article_id: str) -> _Doc:
    path = versions_path(root, article_id)
    tables = read_tables(path)
    if tables is None:
        return _Doc()
    entries = list(tables.get("versions", {}).values())
    for entry in entries:
        if not isinstance(entry.get("n"), int) or not isinstance(entry.get("text_sha256"), str):
            raise CorruptFileError(path, "a version record has no number or digest")
    entries.sort(key=lambda e: e["n"])
    check = next(iter(tables.get("check", {}).values()), None)
    return _Doc(entries, check)


def _save(root: Path, article_id: str, doc: _Doc) -> None:
    # the only copy of earlier texts: the previous generation is kept as .bak, like notes.json
    atomic_write(versions_path(root, article_id), dumps(doc.tables()), root=root)


def _ref(entry: dict[str, Any]) -> ArchiveRef | None:
    if not entry.get("archive_file") or not entry.get("payload_sha256"):
        return None
    return ArchiveRef(
        entry["archive_file"], int(entry.get("archive_offset") or 0), entry["payload_sha256"]
    )


def _version(entry: dict[str, Any], *, current: bool, quotes: int) -> Version:
    ref = _ref(entry)
    return Version(
        version=entry["n"],
        read_at=entry.get("read_at") or "",
        text_sha256=entry["text_sha256"],
        source=entry.get("source") or "",
        quotes=quotes,
        payload_sha256=entry.get("payload_sha256"),
        archive=ref,
        current=current,
    )


def _first_entry(body: Tables) -> dict[str, Any]:
    """Version 1 of an article saved before versions were kept: what its file says."""
    art = records.body_article(body)
    return {
        "n": 1,
        "read_at": art.get("fetched") or art.get("added") or "",
        "text_sha256": art["text_sha256"],
        "source": art.get("url") or art.get("path") or "",
    }


def _entries(files: LibraryFiles, article_id: str, body: Tables) -> list[dict[str, Any]]:
    entries = _load(files.root, article_id).entries
    sha = records.body_article(body)["text_sha256"]
    # a version whose article file never landed (a crash between the two writes) is dropped
    while entries and entries[-1]["text_sha256"] != sha and len(entries) > 1:
        if any(e["text_sha256"] == sha for e in entries[:-1]):
            entries.pop()
        else:
            break
    return entries or [_first_entry(body)]


# ---------------------------------------------------------------------- reading


def versions(files: LibraryFiles, article_id: str) -> list[Version]:
    """Every version of an article, oldest first (the last is the current text)."""
    with files.mutex:
        body = files.body(article_id)
        entries = _entries(files, article_id, body)
        out = []
        for entry in entries[:-1]:
            out.append(_version(entry, current=False, quotes=len(entry.get("quotes") or ())))
        out.append(_version(entries[-1], current=True, quotes=len(body.get("quotes", {}))))
        return out


def current_version(files: LibraryFiles, article_id: str) -> int:
    """The number of an article's current version (1 when it never changed)."""
    with files.mutex:
        doc = _load(files.root, article_id)
    return doc.entries[-1]["n"] if doc.entries else 1


def version_text(files: LibraryFiles, article_id: str, number: int | None = None) -> VersionText:
    """A version's text and quotes (``None``: the current one); LibraryError when there is
    no such version or its text was not kept."""
    with files.mutex:
        body = files.body(article_id)
        entries = _entries(files, article_id, body)
    if number is None:
        number = entries[-1]["n"]
    entry = next((e for e in entries if e["n"] == number), None)
    if entry is None:
        raise LibraryError(
            f"article {article_id} has no version {number} (1 to {entries[-1]['n']})"
        )
    if entry is entries[-1]:
        art = records.body_article(body)
        quotes = tuple(records.body_quotes(body))
        version = _version(entry, current=True, quotes=len(quotes))
        return VersionText(version, art.get("title") or "", art["text"], quotes)
    if not isinstance(entry.get("text"), str):
        raise LibraryError(f"the text of version {number} of article {article_id} was not kept")
    quotes = tuple(sorted(entry.get("quotes") or (), key=lambda q: (q["start"], q["end"])))
    version = _version(entry, current=False, quotes=len(quotes))
    return VersionText(version, entry.get("title") or "", entry["text"], quotes)


def last_check(files: LibraryFiles, article_id: str) -> LastCheck | None:
    with files.mutex:
        check = _load(files.root, article_id).check
    if not check:
        return None
    return LastCheck(
        at=str(check.get("at", "")),
        status=str(check.get("status", "")),
        quotes_changed=bool(check.get("quotes_changed")),
        summary=str(check.get("summary", "")),
    )


def archive_refs(root: Path) -> list[tuple[Path, str, int, ArchiveRef | None, str | None]]:
    """Every version file's archive references, for ``doctor``: (versions file, article id,
    version, ref, why the file is unusable)."""
    out: list[tuple[Path, str, int, ArchiveRef | None, str | None]] = []
    base = root / VERSIONS_DIR
    if not base.is_dir():
        return out
    for path in sorted(base.glob("*/*.json")):  # never the *.json.bak copies
        article_id = path.stem
        try:
            doc = _load(root, article_id)
        except (CorruptFileError, LibraryError) as exc:
            out.append((path, article_id, 0, None, str(exc)))
            continue
        for entry in doc.entries:
            ref = _ref(entry)
            if ref is not None:
                out.append((path, article_id, entry["n"], ref, None))
    return out


# ---------------------------------------------------------------------- writing


def add_version(
    files: LibraryFiles, article_id: str, new_body: Tables, capture: Capture | None
) -> int:
    """Record a new text of ``article_id`` as its next version, before its article file is
    written (call under the lock). The version it replaces keeps a copy of its text and
    quotes. Saving the text the latest version already has only refreshes its archive
    (a save that died before its article file landed). Returns the version number."""
    root = files.root
    doc = _load(root, article_id)
    try:
        old_body: Tables | None = files.body(article_id)
    except LibraryError:
        old_body = None  # a new article, or one whose text was lost
    new_art = records.body_article(new_body)
    sha = new_art["text_sha256"]
    if old_body is None and capture is None and not doc.entries:
        return 1  # nothing to keep beyond the article file: version 1 is implied by it
    if old_body is not None:
        old_art = records.body_article(old_body)
        if not doc.entries:
            doc.entries = [_first_entry(old_body)]
        while len(doc.entries) > 1 and doc.entries[-1]["text_sha256"] != old_art["text_sha256"]:
            doc.entries.pop()  # never landed: the article file still has the text before it
        latest = doc.entries[-1]
        if latest["text_sha256"] == old_art["text_sha256"] and "text" not in latest:
            latest["title"] = old_art.get("title") or ""
            latest["text"] = old_art["text"]
            latest["quotes"] = records.body_quotes(old_body)
    if doc.entries and doc.entries[-1]["text_sha256"] == sha:
        entry = doc.entries[-1]
    else:
        entry = {"n": (doc.entries[-1]["n"] + 1) if doc.entries else 1, "text_sha256": sha}
        doc.entries.append(entry)
    entry.pop("text", None)
    entry.pop("quotes", None)
    entry["read_at"] = (capture.read_at if capture else None) or new_art.get("updated") or ""
    entry["source"] = new_art.get("url") or new_art.get("path") or ""
    if capture is not None:
        ref = archive.write(root, article_id, entry["n"], capture)
        if ref is not None:
            entry.update(
                archive_file=ref.file, archive_offset=ref.offset, payload_sha256=ref.payload_sha256
            )
        if capture.kind == "response":
            entry["etag"] = capture.header("etag")
            entry["last_modified"] = capture.header("last-modified")
            entry["fetched_url"] = capture.url
    _save(root, article_id, doc)
    return int(entry["n"])


def validators(files: LibraryFiles, article_id: str) -> tuple[str | None, str | None, str | None]:
    """The URL the current version was fetched from and its ETag and Last-Modified, for a
    conditional GET."""
    with files.mutex:
        doc = _load(files.root, article_id)
    if not doc.entries:
        return None, None, None
    latest = doc.entries[-1]
    return latest.get("fetched_url"), latest.get("etag"), latest.get("last_modified")


def record_check(files: LibraryFiles, article_id: str, check: LastCheck) -> None:
    """Remember what the last recheck of an article found (the library marks a changed
    quote)."""
    with files.locked():
        files.entry(article_id)
        doc = _load(files.root, article_id)
        if not doc.entries:
            doc.entries = [_first_entry(files.body(article_id))]
        doc.check = check.to_json()
        _save(files.root, article_id, doc)
        marked = set(_read_marks(files.root))
        if (article_id in marked) != check.quotes_changed:
            marked.symmetric_difference_update({article_id})
            atomic_write(marks_path(files.root), dumps({"quotes_changed": sorted(marked)}))


def marks_path(root: Path) -> Path:
    return root / VERSIONS_DIR / CHANGED_MARKS


def _read_marks(root: Path) -> list[str]:
    try:
        data = json.loads(marks_path(root).read_bytes())
        ids = data.get("quotes_changed") if isinstance(data, dict) else None
    except (OSError, ValueError):
        return []  # derived from the version files: a lost copy only loses the marks
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def quotes_changed_on_recheck(files: LibraryFiles) -> frozenset[str]:
    """The articles whose last recheck changed a quote (one small file, for the library)."""
    with files.mutex:
        return frozenset(_read_marks(files.root))
