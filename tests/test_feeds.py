"""Feeds: RSS and Atom served from 127.0.0.1 (tests/web_support.py), subscriptions stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from saidwho import cli
from saidwho.feed_update import update_feeds
from saidwho.readers.feeds import parse_feed
from saidwho.readers.fetch import Fetched
from saidwho.store import CorruptFileError, Library, LibraryError, NotFoundError
from saidwho.store.feeds import FEEDS, FeedStore

if TYPE_CHECKING:
    from tests.web_support import Site

WEB = Path(__file__).resolve().parent / "fixtures" / "web"

# the local HTTP server fixtures: site, fast_limits
pytest_plugins = ("tests.web_support",)


def value(record: object, name: str) -> object:
    """A summary field, whether the store hands out dicts or typed records."""
    return record[name] if isinstance(record, dict) else getattr(record, name)


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch: pytest.MonkeyPatch, nlp) -> None:
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def fetched(site: Site, name: str, media: str = "application/rss+xml") -> Fetched:
    body = (WEB / name).read_bytes().replace(b"{base}", site.base.encode())
    return Fetched(site.url("/" + name), site.url("/" + name), 200, media, None, body, "")


# --- parsing ------------------------------------------------------------------------


def test_rss2_and_atom_entries(site: Site) -> None:
    rss = parse_feed(fetched(site, "rss2.xml"))
    assert (rss.title, rss.kind) == ("The Coastal Courier: Local", "rss20")
    assert [(e.id, e.link) for e in rss.entries] == [
        ("courier-1001", site.url("/story-1.html")),
        ("courier-1002", site.url("/story-2.html")),
        ("courier-1003", site.url("/gone.html")),
    ]
    atom = parse_feed(fetched(site, "atom.xml", "application/atom+xml"))
    assert atom.kind == "atom10"
    assert [e.link for e in atom.entries] == [site.url("/story-3.html"), site.url("/article.html")]
    assert atom.entries[0].keys() == (
        "id:urn:uuid:7c1d5a4e-0003",
        "link:" + site.url("/story-3.html"),
    )


@pytest.mark.parametrize(
    ("name", "media", "reason"),
    [
        ("malformed.xml", "application/xml", "malformed feed ("),
        ("story-1.html", "text/html", "not an RSS or Atom feed"),
    ],
)
def test_not_a_feed(site: Site, name: str, media: str, reason: str) -> None:
    from saidwho.readers.feeds import FeedError

    with pytest.raises(FeedError) as err:
        parse_feed(fetched(site, name, media))
    assert str(err.value).startswith(reason) and "\n" not in str(err.value)


# --- the subscription store ------------------------------------------------------------


def test_feed_store_add_list_remove_survives_reopen(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    store = FeedStore(lib)
    store.add("https://a.example/rss", name="A")
    store.add("https://b.example/atom")
    with pytest.raises(LibraryError, match="already subscribed"):
        store.add("https://a.example/rss")
    again = FeedStore(Library(tmp_path / "lib"))
    assert [(f.url, f.label) for f in again.feeds()] == [
        ("https://a.example/rss", "A"),
        ("https://b.example/atom", "https://b.example/atom"),
    ]
    again.remove("https://a.example/rss")
    with pytest.raises(NotFoundError):
        again.remove("https://a.example/rss")
    assert [f.url for f in store.feeds()] == ["https://b.example/atom"]
    # written like notes: the previous generation is kept beside it
    assert (tmp_path / "lib" / (FEEDS + ".bak")).is_file()


def test_damaged_feeds_file_is_named_and_doctor_restores_it(tmp_path: Path, capsys) -> None:
    lib = Library(tmp_path / "lib")
    store = FeedStore(lib)
    store.add("https://a.example/rss")
    store.add("https://b.example/rss")  # feeds.json.bak now holds the list with a.example only
    (tmp_path / "lib" / FEEDS).write_text("{not json")
    with pytest.raises(CorruptFileError):
        store.feeds()
    code, _, err = run(capsys, "--db", str(tmp_path / "lib"), "feeds", "list")
    assert code == 1 and err.startswith(f"saidwho: {tmp_path / 'lib' / FEEDS}: damaged (")
    assert run(capsys, "--db", str(tmp_path / "lib"), "doctor")[0] == 1
    code, out, _ = run(capsys, "--db", str(tmp_path / "lib"), "doctor", "--repair")
    assert code == 0, out
    assert [f.url for f in store.feeds()] == ["https://a.example/rss"]


# --- updating ---------------------------------------------------------------------------


def test_feed_update_ingests_new_entries_once(tmp_path: Path, nlp, site: Site, fast_limits) -> None:
    lib = Library(tmp_path / "lib")
    FeedStore(lib).add(site.url("/rss2.xml"), name="Local")
    loads = []

    def load():
        loads.append(1)
        return nlp

    [first] = update_feeds(lib, load)
    assert (first.status, first.added, first.known, first.failed) == ("updated", 2, 0, 1)
    [gone] = [e for e in first.entries if e.status == "error"]
    assert (gone.path, gone.error) == (site.url("/gone.html"), "HTTP 404 Not Found")
    titles = sorted(str(value(a, "title")) for a in lib.articles())
    assert titles == [
        "Ferry Service Returns to Port Alden",
        "School Budget Passes After Long Night",
    ]
    assert not any(value(a, "read") for a in lib.articles())  # new articles are unread
    quotes = lib.all_quotes()
    assert {value(q, "speaker") for q in quotes} >= {"Leah Moreno", "Alan Cho"}
    assert not any("Shocking" in str(value(q, "text")) for q in quotes)  # the "Most read" box

    # second update: nothing new; known entries are not fetched again, the failed one is retried
    [second] = update_feeds(lib, load)
    assert (second.status, second.added, second.known, second.failed) == ("unchanged", 0, 2, 1)
    assert len(lib.articles()) == 2
    assert site.hits("/story-1.html") == 1 and site.hits("/gone.html") == 2


def test_unchanged_feed_costs_one_304(tmp_path: Path, nlp, site: Site, fast_limits) -> None:
    lib = Library(tmp_path / "lib")
    FeedStore(lib).add(site.url("/atom-304.xml"))
    [first] = update_feeds(lib, lambda: nlp)
    assert (first.status, first.added) == ("updated", 2)
    assert FeedStore(lib).get(site.url("/atom-304.xml")).etag == site.etag
    before = len(site.requests)

    def no_nlp():
        raise AssertionError("an unchanged feed must not load spaCy")

    [second] = update_feeds(lib, no_nlp)
    assert (second.status, second.added, second.error) == ("unchanged", 0, None)
    [(_, path, headers)] = site.requests[before:]
    assert (path, headers["If-None-Match"]) == ("/atom-304.xml", site.etag)
    assert len(lib.articles()) == 2


def test_entry_already_in_the_library_is_known(
    tmp_path: Path, nlp, site: Site, fast_limits
) -> None:
    lib = Library(tmp_path / "lib")
    assert cli.main(["--db", str(tmp_path / "lib"), "ingest", site.url("/story-3.html")]) == 0
    FeedStore(lib).add(site.url("/atom.xml"))
    [result] = update_feeds(lib, lambda: nlp)
    assert (result.added, result.known) == (1, 1)
    assert site.hits("/story-3.html") == 1  # its link is the article's URL: not fetched again


def test_a_broken_feed_does_not_stop_the_others(
    tmp_path: Path, nlp, site: Site, fast_limits
) -> None:
    lib = Library(tmp_path / "lib")
    store = FeedStore(lib)
    for path in ("/malformed.xml", "/500.html", "/atom.xml"):
        store.add(site.url(path))
    results = update_feeds(lib, lambda: nlp)
    assert [(r.status, r.error) for r in results] == [
        ("error", results[0].error),
        ("error", "HTTP 500 Internal Server Error"),
        ("updated", None),
    ]
    assert str(results[0].error).startswith("malformed feed (")
    assert len(lib.articles()) == 2


# --- the command line -------------------------------------------------------------------


def test_cli_feeds_commands(tmp_path: Path, site: Site, fast_limits, capsys) -> None:
    db = str(tmp_path / "lib")
    rss, atom = site.url("/rss2.xml"), site.url("/atom-304.xml")
    assert run(capsys, "--db", db, "feeds", "add", rss, "--name", "Local")[0] == 0
    assert run(capsys, "--db", db, "feeds", "add", atom)[0] == 0
    code, _, err = run(capsys, "--db", db, "feeds", "add", rss)
    assert (code, err) == (1, f"saidwho: {rss}: already subscribed to {rss}\n")
    code, _, err = run(capsys, "--db", db, "feeds", "add", "ftp://x.example/feed")
    assert code == 1 and "only http and https" in err

    code, out, err = run(capsys, "--db", db, "feeds", "update")
    assert code == 1  # gone.html is a 404
    assert err == f"saidwho: {site.url('/gone.html')}: HTTP 404 Not Found\n"
    # a first update says what it added (issue 22)
    assert "added     Local: 2 new, 0 already in the library, 1 failed (1 retried next time)" in out
    assert "added     Coastal Courier Culture: 2 new, 0 already in the library, 0 failed" in out

    code, out, _ = run(capsys, "--db", db, "feeds", "update", atom, "--json")
    assert code == 0
    [result] = json.loads(out)
    assert (result["url"], result["status"], result["added"]) == (atom, "unchanged", 0)

    code, out, _ = run(capsys, "--db", db, "feeds", "list", "--json")
    listed = json.loads(out)
    assert [(f["url"], f["name"], f["title"]) for f in listed] == [
        (rss, "Local", "The Coastal Courier: Local"),
        (atom, None, "Coastal Courier Culture"),
    ]
    assert listed[0]["entries_seen"] == 2  # two entries (each known by id and by link)
    assert listed[0]["entries_to_retry"] == 1  # gone.html

    code, out, _ = run(capsys, "--db", db, "list")
    assert site.url("/story-1.html") in out  # `saidwho list` shows where it came from

    assert run(capsys, "--db", db, "feeds", "remove", rss)[0] == 0
    code, _, err = run(capsys, "--db", db, "feeds", "remove", rss)
    assert (code, err) == (1, f"saidwho: {rss}: not subscribed to {rss}\n")
    code, _, err = run(capsys, "--db", db, "feeds", "update", rss)
    assert code == 1 and "not subscribed" in err
    assert run(capsys, "--db", db, "feeds")[0] == 2


RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example/"><title>RDF news</title>
<link>https://news.example/</link><description>d</description></channel>
<item rdf:about="https://news.example/a"><title>A</title><link>https://news.example/a</link></item>
</rdf:RDF>"""
RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old news</title>
<link>https://old.example/</link><description>d</description>
<item><title>B</title><link>https://old.example/b</link></item></channel></rss>"""


@pytest.mark.parametrize(
    ("body", "kind", "link"),
    [(RSS10, "rss10", "https://news.example/a"), (RSS091, "rss091u", "https://old.example/b")],
)
def test_rss_1_0_and_0_9x(body: bytes, kind: str, link: str) -> None:
    feed = parse_feed(
        Fetched("u", "https://x.example/feed", 200, "application/xml", None, body, "")
    )
    assert feed.kind.startswith(kind[:5])
    assert [e.link for e in feed.entries] == [link]
