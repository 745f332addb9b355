"""The archive and the versions: pages fetched from a real HTTP server on 127.0.0.1 whose page
changes between fetches, and files read from disk."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from saidwho.ingest import ingest_paths
from saidwho.store import Library, archive, versions
from tests.provenance_support import (
    ALTERED_WORDS_V1,
    ALTERED_WORDS_V2,
    REMOVED_WORDS,
    version_1,
    version_2,
)

pytest_plugins = ("tests.web_support",)


@pytest.fixture()
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib")


def test_a_fetched_page_is_archived_as_received_and_a_change_adds_a_version(
    lib, nlp, site, fast_limits
):
    site.serve("/harbor.html", version_1())
    url = site.url("/harbor.html")
    [first] = ingest_paths(lib, [url], nlp)
    assert first.status == "added"
    [v1] = versions.versions(lib.files, first.article_id)
    assert v1.version == 1 and v1.current and v1.archive is not None
    record = archive.read(lib.root, v1.archive)
    # the payload is exactly the bytes the server sent, filed under the URL it came from
    assert record.payload == version_1()
    assert record.warc_type == "response" and record.target == url
    assert record.http_status == 200
    assert ("ETag", site_etag(record)) in record.http_headers
    assert record.payload_digest == f"sha256:{v1.payload_sha256}"
    assert archive.check(lib.root, v1.archive) is None
    raw = gzip.decompress((lib.root / v1.archive.file).read_bytes())
    assert raw.startswith(b"WARC/1.1\r\n")
    assert b"WARC-Type: request" in raw and b"GET /harbor.html HTTP/1.1" in raw

    # the same bytes again: nothing added
    [again] = ingest_paths(lib, [url], nlp)
    assert again.status == "unchanged"
    assert len(versions.versions(lib.files, first.article_id)) == 1

    # the page is edited: a second version of the same article, the first kept whole
    site.serve("/harbor.html", version_2())
    [second] = ingest_paths(lib, [url], nlp)
    assert (second.status, second.article_id) == ("updated", first.article_id)
    old, new = versions.versions(lib.files, first.article_id)
    assert (old.version, old.current, new.version, new.current) == (1, False, 2, True)
    assert old.archive == v1.archive and new.archive is not None
    assert archive.read(lib.root, new.archive).payload == version_2()
    before = versions.version_text(lib.files, first.article_id, 1)
    after = versions.version_text(lib.files, first.article_id)
    assert REMOVED_WORDS in before.text and ALTERED_WORDS_V1 in before.text
    assert REMOVED_WORDS not in after.text and ALTERED_WORDS_V2 in after.text
    assert len(before.quotes) == 3 and len(after.quotes) == 2
    assert after.version.version == 2


def site_etag(record: archive.Record) -> str:
    return next(v for k, v in record.http_headers if k.lower() == "etag")


def test_a_file_is_archived_as_a_resource_record(lib, nlp, tmp_path):
    path = tmp_path / "story.txt"
    data = b'"The ferry runs again," said Leah Moreno on Tuesday.\n'
    path.write_bytes(data)
    [event] = ingest_paths(lib, [path], nlp)
    [v1] = versions.versions(lib.files, event.article_id)
    assert v1.archive is not None
    record = archive.read(lib.root, v1.archive)
    assert record.warc_type == "resource" and record.payload == data
    assert record.target == path.resolve().as_uri()
    assert record.http_status is None
    path.write_bytes(data.replace(b"Tuesday", b"Wednesday"))
    [changed] = ingest_paths(lib, [path], nlp)
    assert changed.status == "updated"
    assert [v.version for v in versions.versions(lib.files, event.article_id)] == [1, 2]


def test_a_damaged_archive_file_is_named_and_nothing_else_is_lost(lib, nlp, site, fast_limits):
    site.serve("/harbor.html", version_1())
    [event] = ingest_paths(lib, [site.url("/harbor.html")], nlp)
    [v1] = versions.versions(lib.files, event.article_id)
    assert v1.archive is not None
    path = lib.root / v1.archive.file
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    problem = archive.check(lib.root, v1.archive)
    assert problem is not None and v1.archive.file in problem
    assert "\n" not in problem
    # the article and its quotes still read
    assert len(lib.quotes(event.article_id)) == 3


def test_an_article_saved_before_versions_is_version_one(lib, nlp, tmp_path):
    from saidwho.readers import read_article

    path = tmp_path / "story.txt"
    path.write_text('"The ferry runs again," said Leah Moreno on Tuesday.\n')
    article = read_article(path)
    article_id, _ = lib.save_article(article, [])  # no capture: nothing archived
    [v1] = versions.versions(lib.files, article_id)
    assert (v1.version, v1.archive, v1.current) == (1, None, True)
    assert not versions.versions_path(lib.root, article_id).exists()


def test_doctor_names_a_damaged_archive_in_one_line(lib, nlp, tmp_path):
    from saidwho.store.doctor import doctor

    path = tmp_path / "story.txt"
    path.write_text('"The ferry runs again," said Leah Moreno on Tuesday.\n')
    [event] = ingest_paths(lib, [path], nlp)
    assert doctor(lib.root).ok
    [v1] = versions.versions(lib.files, event.article_id)
    assert v1.archive is not None
    archived = lib.root / v1.archive.file
    archived.write_bytes(archived.read_bytes()[:-30])  # cut short
    report = doctor(lib.root)
    assert not report.ok
    [line] = [p for p in report.problems if "archive" in p]
    assert event.article_id in line and v1.archive.file in line and "\n" not in line
    # nothing else is reported, and the article still reads
    assert len(report.problems) == 1
    assert lib.article(event.article_id).text.startswith('"The ferry')


def test_feed_entries_are_archived_as_served(lib, nlp, site, fast_limits):
    from saidwho.feed_update import update_feeds
    from saidwho.store.feeds import FeedStore
    from tests.web_support import WEB

    FeedStore(lib).add(site.url("/rss2.xml"), name="Local")
    [result] = update_feeds(lib, lambda: nlp)
    added = [e for e in result.entries if e.status == "added"]
    assert len(added) == 2
    for event in added:
        assert event.article_id is not None
        [v1] = versions.versions(lib.files, event.article_id)
        assert v1.archive is not None
        record = archive.read(lib.root, v1.archive)
        served = (WEB / event.path.rsplit("/", 1)[1]).read_bytes()
        assert record.payload == served.replace(b"{base}", site.base.encode())
        assert record.target == event.path


def test_a_gzipped_page_is_archived_still_gzipped(lib, nlp, site, fast_limits, tmp_path):
    from saidwho.store.evidence import reread, verify_package, write_evidence
    from tests.web_support import WEB

    [event] = ingest_paths(lib, [site.url("/gzip.html")], nlp)
    assert event.status == "added" and event.article_id is not None
    [v1] = versions.versions(lib.files, event.article_id)
    assert v1.archive is not None
    record = archive.read(lib.root, v1.archive)
    # the body as it came over the wire: gzip, with its Content-Encoding header
    assert record.payload[:2] == b"\x1f\x8b"
    served = (WEB / "story-1.html").read_bytes().replace(b"{base}", site.base.encode())
    assert gzip.decompress(record.payload) == served
    assert ("Content-Encoding", "gzip") in record.http_headers
    # read again from the archive, it gives the article's text
    assert reread(record) == lib.article(event.article_id).text
    out = tmp_path / "story.wacz"
    write_evidence(lib, event.article_id, out)
    report = verify_package(out)
    assert report.ok, report.failures


def test_a_version_whose_article_file_never_landed_is_dropped(lib, nlp, tmp_path):
    """A save that died after its version was recorded but before the article file was
    written: the library still shows one version, and the next save makes it whole."""
    from saidwho.readers import read_article_capture
    from saidwho.store import records

    path = tmp_path / "story.txt"
    path.write_text('"The ferry runs again," said Leah Moreno on Tuesday.\n')
    [event] = ingest_paths(lib, [path], nlp)
    article_id = event.article_id
    assert article_id is not None
    path.write_text('"The ferry runs again," said Leah Moreno on Wednesday.\n')
    article, capture = read_article_capture(path)
    body = records.body_tables(article_id, article, [], "2026-01-01", "2026-01-02")
    with lib.files.locked():  # what _save_one does first, then "dies"
        versions.add_version(lib.files, article_id, body, capture)
    [only] = versions.versions(lib.files, article_id)
    assert only.version == 1 and only.current
    assert "Tuesday" in lib.article(article_id).text
    [again] = ingest_paths(lib, [path], nlp)
    assert again.status == "updated"
    found = versions.versions(lib.files, article_id)
    assert [v.version for v in found] == [1, 2]
    assert "Tuesday" in versions.version_text(lib.files, article_id, 1).text
    assert "Wednesday" in versions.version_text(lib.files, article_id, 2).text
    assert found[1].archive is not None
    assert archive.read(lib.root, found[1].archive).payload == path.read_bytes()


def test_doctor_knows_the_archive_and_version_files(tmp_path, nlp) -> None:
    """A library with two versions of an article: doctor has no warning about its files."""
    from saidwho.ingest import ingest_paths
    from saidwho.store import Library
    from saidwho.store.doctor import doctor

    page = tmp_path / "a.txt"
    lib = Library(tmp_path / "lib")
    for words in ("We will win", "We will lose"):
        page.write_text(f"Title\n\n“{words},” said Ann Lee.\n", encoding="utf-8")
        ingest_paths(lib, [page], nlp)
    report = doctor(tmp_path / "lib")
    assert not [w for w in report.warnings if "does not" in w], report.warnings
