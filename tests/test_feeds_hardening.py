"""Feeds that keep their word (issue 22) and hold against hostile ones (issue 25): counts
count entries, a first update says what it added, a failing entry is retried on its own
while the feed keeps its 304, a cap on entries with one line, progress kept as it lands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from saidwho import cli
from saidwho.feed_update import MAX_ENTRIES, update_feeds
from saidwho.store import Library
from saidwho.store.feeds import FeedStore

if TYPE_CHECKING:
    from tests.web_support import Site

pytest_plugins = ("tests.web_support",)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_failing_entry_is_retried_without_defeating_the_conditional_get(
    tmp_path: Path, nlp, site: Site, fast_limits
) -> None:
    lib = Library(tmp_path / "lib")
    url = site.url("/etag/rss2.xml")
    FeedStore(lib).add(url)
    [first] = update_feeds(lib, lambda: nlp)
    assert (first.added, first.failed, first.retrying) == (2, 1, 1)
    feed = FeedStore(lib).get(url)
    assert feed.etag == site.etag and feed.retry == (site.url("/gone.html"),)
    before = len(site.requests)

    [second] = update_feeds(lib, lambda: nlp)
    asked = site.requests[before:]
    feed_requests = [h for _, p, h in asked if p == "/etag/rss2.xml"]
    assert [h.get("If-None-Match") for h in feed_requests] == [site.etag]  # 304 honoured
    assert [h.get("If-Modified-Since") for h in feed_requests] != [None]
    assert [p for _, p, _ in asked if p != "/etag/rss2.xml"] == ["/gone.html"]  # alone
    assert (second.status, second.added, second.failed, second.retrying) == ("unchanged", 0, 1, 1)
    assert site.hits("/story-1.html") == 1


def test_counts_count_entries_and_a_first_update_says_what_it_added(
    tmp_path: Path, site: Site, fast_limits, capsys
) -> None:
    db = str(tmp_path / "lib")
    # both stories are in the library before the feed is: the first update adds none of them
    for page in ("/story-1.html", "/story-2.html"):
        assert run(capsys, "--db", db, "ingest", site.url(page))[0] == 0
    rss = site.url("/rss2.xml")
    assert run(capsys, "--db", db, "feeds", "add", rss)[0] == 0
    code, out, err = run(capsys, "--db", db, "feeds", "update")
    assert code == 1 and err == f"saidwho: {site.url('/gone.html')}: HTTP 404 Not Found\n"
    line = "added     The Coastal Courier: Local: 0 new, 2 already in the library, 1 failed"
    assert out.strip() == line + " (1 retried next time)"
    code, out, _ = run(capsys, "--db", db, "feeds", "list")
    header, row = out.strip().splitlines()
    assert "ENTRIES SEEN" in header and row.split()[-1] == "2"  # 2 items, not 4 keys


def test_a_feed_of_50000_file_links_is_capped_and_one_line(
    tmp_path: Path, site: Site, fast_limits, capsys, monkeypatch
) -> None:
    from dataclasses import replace

    from saidwho.readers import fetch

    # the default 10 MB cap, not the tests' 2 MB: the feed is 4.8 MB
    monkeypatch.setattr(fetch, "DEFAULT_LIMITS", replace(fast_limits, max_bytes=10_000_000))
    db = str(tmp_path / "lib")
    url = site.url("/many-file-links.xml")
    assert run(capsys, "--db", db, "feeds", "add", url)[0] == 0
    code, out, err = run(capsys, "--db", db, "feeds", "update", "--json")
    assert code == 1
    assert err.splitlines() == [
        f"saidwho: {url}: {MAX_ENTRIES} entries have no http(s) link (the first: Entry 0)",
        f"saidwho: {url}: warning: the feed lists 50000 entries: only its first "
        f"{MAX_ENTRIES} are read",
    ]
    [result] = json.loads(out)
    assert (result["failed"], result["retrying"], len(result["entries"])) == (MAX_ENTRIES, 0, 1)


def test_an_interrupted_update_keeps_what_it_stored(
    tmp_path: Path, nlp, site: Site, fast_limits
) -> None:
    lib = Library(tmp_path / "lib")
    url = site.url("/atom.xml")
    FeedStore(lib).add(url)

    def interrupt(event) -> None:
        if event.status == "added":
            raise KeyboardInterrupt  # Ctrl-C right after the first entry landed

    with pytest.raises(KeyboardInterrupt):
        update_feeds(lib, lambda: nlp, on_entry=interrupt)
    assert len(FeedStore(lib).get(url).seen) == 1  # remembered before the interruption
    stored = len(lib.articles())
    [again] = update_feeds(lib, lambda: nlp)
    assert again.added + stored == 2 and again.known == 2 - again.added
    assert len(FeedStore(lib).get(url).seen) == 2
    assert site.hits("/story-3.html") == 1  # nothing stored was fetched twice
