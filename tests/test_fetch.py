"""URLs: fetched from a real HTTP server on 127.0.0.1 (tests/web_support.py), never the internet."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from saidwho import __version__, cli
from saidwho.ingest import ingest_paths
from saidwho.readers import ReadError, read_article, read_text_article
from saidwho.readers.fetch import (
    PIECE,
    Fetcher,
    FetchError,
    FetchLimits,
    check_url,
    decode_content,
)
from saidwho.readers.html import ExtractorUnavailable
from saidwho.store import Library

if TYPE_CHECKING:
    from tests.web_support import Site

WEB = Path(__file__).resolve().parent / "fixtures" / "web"

# the local HTTP server fixtures: site, fast_limits
pytest_plugins = ("tests.web_support",)

NOT_ARTICLE = (
    "Governor Ellis",  # navigation
    "Mark Vance",  # ad
    "Sponsored",
    "Coastal Cruiser",  # ad
    "Related stories",
    "fishermen",  # related links
    "Gary Pike",  # reader comments
    "Somebody is doing something",
    "harborwatcher",
    "All rights reserved",
    "not text",
)


def value(record: object, name: str) -> object:
    """A summary field, whether the store hands out dicts or typed records."""
    return record[name] if isinstance(record, dict) else getattr(record, name)


def test_article_url_ingests_title_main_text_and_quotes(
    tmp_path: Path, nlp, site: Site, fast_limits
) -> None:
    lib = Library(tmp_path / "lib")
    url = site.url("/article.html")
    [event] = ingest_paths(lib, [url], nlp)
    assert (event.path, event.status, event.title) == (
        url,
        "added",
        "Harbor Council Backs Seawall Plan",
    )
    article = lib.article(event.article_id)
    assert article.text.startswith("Harbor Council Backs Seawall Plan\n\n")
    assert "This wall buys us fifty years." in article.text
    for junk in NOT_ARTICLE:
        assert junk not in article.text
    assert article.author == "Priya Raman"
    assert article.source == "The Coastal Courier"
    assert article.date == "2025-06-02"
    # the canonical URL is on the host we fetched from, so it is the one kept
    assert article.url == site.url("/news/seawall-plan")
    assert article.fetched is not None and article.fetched.endswith("Z")
    assert article.path is None
    quotes = lib.quotes(event.article_id)
    texts = " ".join(str(value(q, "text")) for q in quotes)
    speakers = {value(q, "speaker") for q in quotes}
    assert "This wall buys us fifty years." in texts
    assert "Concrete is the easy answer" in texts
    assert speakers <= {"Rosa Delgado", "Tom Becker", "town engineer’s office", None}, speakers
    for junk in ("Gary Pike", "Ellis", "Vance", "never kept", "Finally", "Unbeatable", "boats"):
        assert junk not in texts and junk not in str(speakers)
    # the listing shows where it came from
    [summary] = lib.articles()
    assert value(summary, "url") == article.url


def test_saved_page_reads_exactly_like_the_fetched_page(site: Site, fast_limits) -> None:
    for name in ("article.html", "story-1.html"):
        saved = read_article(WEB / name)
        with Fetcher() as fetcher:
            fetched = fetcher.read_article(site.url("/" + name))
        assert (fetched.text, fetched.title, fetched.paragraphs) == (
            saved.text,
            saved.title,
            saved.paragraphs,
        )
        assert (fetched.author, fetched.subtitle, fetched.source) == (
            saved.author,
            saved.subtitle,
            saved.source,
        )


def test_no_date_is_made_up_from_a_copyright_line() -> None:
    # story-1.html declares no date; its footer says "© 2025"
    assert read_article(WEB / "story-1.html").date is None


def test_requests_name_saidwho_and_its_version(site: Site, fast_limits) -> None:
    with Fetcher() as fetcher:
        fetcher.read_article(site.url("/story-2.html"))
    [(_, _, headers)] = site.requests
    assert headers["User-Agent"].startswith(f"saidwho/{__version__} ")


BROKEN = [
    ("/404.html", "HTTP 404 Not Found"),
    ("/500.html", "HTTP 500 Internal Server Error"),
    ("/slow.html", "timed out"),
    ("/loop-a", "redirect loop"),
    ("/to-ftp", "redirected to a ftp: URL, only http and https are fetched"),
    ("/huge.html", "response too large (over the 2 MB limit)"),
    ("/report.pdf", "not an HTML page (content type application/pdf)"),
    ("/nav-only.html", "no article text found on the page"),
    ("/rss2.xml", "not an HTML page (content type application/rss+xml)"),
]


@pytest.mark.parametrize(("path", "reason"), BROKEN)
def test_broken_urls_are_one_clear_error_and_nothing_is_stored(
    tmp_path: Path, nlp, site: Site, fast_limits, path: str, reason: str
) -> None:
    lib = Library(tmp_path / "lib")
    url = site.url(path)
    [event] = ingest_paths(lib, [url], nlp)
    assert (event.path, event.status, event.error) == (url, "error", reason)
    assert lib.is_empty()
    assert not (tmp_path / "lib" / "articles").exists()


def test_a_bad_url_does_not_stop_the_batch(tmp_path: Path, nlp, site: Site, fast_limits) -> None:
    lib = Library(tmp_path / "lib")
    urls = [site.url("/404.html"), site.url("/story-1.html"), site.url("/to-ftp")]
    events = ingest_paths(lib, [*urls, str(WEB / "story-2.html")], nlp)
    by_path = {e.path: e.status for e in events}
    assert by_path == {
        urls[0]: "error",
        urls[1]: "added",
        urls[2]: "error",
        str(WEB / "story-2.html"): "added",
    }
    assert len(lib.articles()) == 2
    # the same page again is unchanged: nothing is written twice
    [again] = ingest_paths(lib, [urls[1]], nlp)
    assert again.status == "unchanged"


def test_redirects_are_followed_up_to_the_limit(site: Site, fast_limits) -> None:
    with Fetcher() as fetcher:
        article = fetcher.read_article(site.url("/moved"))
    assert article.title == "Ferry Service Returns to Port Alden"
    assert article.url == site.url("/story-1.html")  # where the page really is
    with (
        Fetcher(FetchLimits(max_redirects=0, host_delay=0)) as fetcher,
        pytest.raises(FetchError, match=r"^too many redirects \(more than 0\)$"),
    ):
        fetcher.read_article(site.url("/moved"))


def test_a_slow_drip_is_cut_off_at_the_deadline(site: Site) -> None:
    limits = FetchLimits(timeout=1.0, deadline=1.0, host_delay=0)
    with Fetcher(limits) as fetcher, pytest.raises(FetchError) as err:
        fetcher.read_article(site.url("/drip.html"))
    assert str(err.value) == "timed out (response took over 1 s)"


def test_dns_failure_is_named(monkeypatch: pytest.MonkeyPatch, fast_limits) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with Fetcher() as fetcher, pytest.raises(FetchError) as err:
        fetcher.read_article("http://news.invalid/story")
    assert str(err.value) == "cannot resolve the host name (DNS failure)"


def test_only_http_and_https(fast_limits) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url("ftp://files.example/a.html")
    with pytest.raises(FetchError, match="no host"):
        check_url("http:///nohost")


def test_a_canonical_url_on_another_host_is_not_believed(site: Site, fast_limits) -> None:
    """A page cannot pass itself off as another site's article (and so replace it)."""
    page = WEB / "story-1.html"
    html = page.read_text().replace(
        "<head>", '<head><link rel="canonical" href="https://other.example/real-story">'
    )
    assert "other.example" in html
    from saidwho.readers.fetch import Fetched, article_from_page

    fetched = Fetched(
        site.url("/x"),
        site.url("/x"),
        200,
        "text/html",
        "utf-8",
        html.encode(),
        "2025-01-01T00:00:00Z",
    )
    assert article_from_page(fetched).url == site.url("/x")


def test_per_host_delay_spaces_requests(site: Site) -> None:
    limits = FetchLimits(timeout=2, host_delay=0.25, concurrency=4)
    started = time.monotonic()
    with Fetcher(limits) as fetcher:
        results = list(fetcher.read_articles([site.url(f"/story-{n}.html") for n in (1, 2, 3)]))
    assert all(not isinstance(r, ReadError) for _, r in results)
    # three requests to one host: at least two delays, however many fetch at once
    assert time.monotonic() - started >= 0.5


# --- no silent degrade --------------------------------------------------------------


def test_missing_extractor_is_a_loud_named_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura -> ImportError
    with pytest.raises(ExtractorUnavailable, match="^trafilatura cannot be imported: "):
        read_article(WEB / "article.html")
    # a fragment never needed the extractor
    assert read_text_article("<p>Just a note.</p>", fmt="html").text == "Just a note."

    code = cli.main(["--db", str(tmp_path / "lib"), "doctor"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("saidwho: install: trafilatura cannot be imported: ")
    assert len(err.splitlines()) == 1


def test_ingest_without_extractor_says_so_per_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, nlp, capsys
) -> None:
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    pages = [WEB / "article.html", WEB / "story-1.html"]
    code = cli.main(["--db", str(tmp_path / "lib"), "ingest", *map(str, pages)])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert lines == [
        f"saidwho: {p}: trafilatura cannot be imported: import of trafilatura halted; "
        "None in sys.modules (see `saidwho doctor`)"
        for p in pages
    ]
    assert Library(tmp_path / "lib").is_empty()


def test_doctor_is_quiet_when_the_extractors_import(tmp_path: Path, capsys) -> None:
    Library(tmp_path / "lib")
    assert cli.main(["--db", str(tmp_path / "lib"), "doctor"]) == 0
    assert "install" not in capsys.readouterr().err


def test_hostile_markup_is_read_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, nlp, capsys
) -> None:
    import trafilatura

    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("lxml choked")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    article = read_article(WEB / "story-1.html")
    assert article.warning == (
        "the extractor failed (ValueError: lxml choked); kept all visible text"
    )
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    code = cli.main(["--db", str(tmp_path / "lib"), "ingest", str(WEB / "story-1.html")])
    err = capsys.readouterr().err
    assert code == 0
    assert err == (
        f"saidwho: {WEB / 'story-1.html'}: warning: the extractor failed "
        "(ValueError: lxml choked); kept all visible text\n"
    )


# --- titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ('<meta property="og:title" content="From OG">', "<h1>From H1</h1>", "From OG"),
        ('<meta name="twitter:title" content="From Twitter">', "<h1>From H1</h1>", "From Twitter"),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage", "headline": '
            '"Page"}, {"@type": ["NewsArticle"], "headline": "From JSON-LD"}]}</script>',
            "<h2>no h1</h2>",
            "From JSON-LD",
        ),
        ("", "<h1>From  H1</h1>", "From H1"),
        ('<meta property="og:site_name" content="Daily Bugle">', "", "Glued Title"),
        # a logo in the page's first <h1> is not the headline
        (
            '<meta property="og:site_name" content="Daily Bugle">',
            "<header><h1>Daily Bugle</h1></header>",
            "Glued Title",
        ),
        (
            '<meta property="og:title" content="Daily Bugle - OG With Site">'
            '<meta property="og:site_name" content="Daily Bugle">',
            "",
            "OG With Site",
        ),
    ],
)
def test_html_title_comes_from_the_article(head: str, body: str, title: str) -> None:
    page = (
        f"<html><head><title>Glued Title | Daily Bugle</title>{head}</head><body>{body}"
        "<article><p>The committee met on Tuesday and agreed, after a long debate about the "
        "harbor and its future, to publish its findings before the end of the summer.</p>"
        "<p>Members said the report would be short and written for residents.</p></article>"
        "</body></html>"
    )
    assert read_text_article(page, fmt="html").title == title


# --- the real command line ------------------------------------------------------------


@pytest.mark.slow
def test_cli_404_is_one_clear_line(tmp_path: Path, site: Site) -> None:
    exe = shutil.which("saidwho") or str(Path(sys.executable).with_name("saidwho"))
    env = {"PATH": str(Path(sys.executable).parent), "SAIDWHO_DB": str(tmp_path / "lib")}
    url = site.url("/404.html")
    done = subprocess.run(
        [exe, "ingest", url], capture_output=True, text=True, env=env, check=False, timeout=300
    )
    assert done.returncode == 1
    assert done.stderr == f"saidwho: {url}: HTTP 404 Not Found\n"
    assert done.stdout == ""


def test_fetch_time_is_stored_and_old_article_files_still_load() -> None:
    from saidwho.readers.article import Article

    old = {"text": "Body.", "title": "T", "paragraphs": [[0, 5]]}  # written before URLs
    assert Article.from_json(old).fetched is None
    article = Article(
        text="Body.", title="T", url="https://a.example/x", fetched="2025-01-01T00:00:00Z"
    )
    assert Article.from_json(article.to_json()) == article


# --- hostile servers (issue 25) --------------------------------------------------------


def test_a_stacked_gzip_bomb_stops_decoding_at_the_cap(site: Site, fast_limits) -> None:
    """``gzip, gzip`` of about 1 KB that would decode to 64 MB: one line, decoded lazily."""
    from tests.web_support import BOMB_BYTES, gzip_bomb

    assert len(gzip_bomb()) < 2_000
    assert fast_limits.max_bytes * 30 < BOMB_BYTES
    with Fetcher() as fetcher, pytest.raises(FetchError) as err:
        fetcher.read_article(site.url("/bomb.html"))
    assert str(err.value) == "response too large (decodes to over the 2 MB limit)"
    # what the fetcher stops at: every step of the decoder yields at most one piece, so
    # stopping at the cap leaves at most one piece decoded past it, whatever the ratio
    decoded = 0
    for piece in decode_content(iter([gzip_bomb()]), ["gzip", "gzip"]):
        assert 0 < len(piece) <= PIECE
        decoded += len(piece)
        if decoded > fast_limits.max_bytes:
            break
    assert decoded <= fast_limits.max_bytes + PIECE


def test_gzip_is_decoded_stacked_twice_at_most(site: Site, fast_limits) -> None:
    saved = read_article(WEB / "story-1.html")
    with Fetcher() as fetcher:
        for path in ("/gzip.html", "/gzip2.html"):
            assert fetcher.read_article(site.url(path)).text == saved.text
        with pytest.raises(FetchError) as err:
            fetcher.read_article(site.url("/gzip3.html"))
        assert str(err.value) == "too many stacked content encodings (3, at most 2)"
        with pytest.raises(FetchError) as err:
            fetcher.read_article(site.url("/brotli.html"))
        assert str(err.value) == "unsupported content encoding 'br'"


def test_deflate_with_and_without_its_zlib_header_is_decoded() -> None:
    import zlib

    page = b"<p>" + b"word " * 50_000 + b"</p>"
    raw = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    for body in (zlib.compress(page), raw.compress(page) + raw.flush()):
        chunks = iter([body[:100], body[100:]])
        assert b"".join(decode_content(chunks, ["deflate"])) == page
    with pytest.raises(FetchError, match=r"^broken gzip content \("):
        list(decode_content(iter([b"not gzip at all"]), ["gzip"]))


def test_headers_sent_a_byte_at_a_time_are_cut_off_at_the_deadline(
    tmp_path: Path, nlp, site: Site
) -> None:
    """The deadline covers connect and headers too, not only the body."""
    limits = FetchLimits(timeout=1.0, deadline=1.0, host_delay=0)
    with Fetcher(limits) as fetcher, pytest.raises(FetchError) as err:
        fetcher.read_article(site.url("/drip-headers.html"))
    assert str(err.value) == "timed out (response took over 1 s)"
    # and in a batch: one line naming the URL, the rest is ingested
    lib = Library(tmp_path / "lib")
    url = site.url("/drip-headers.html")
    with Fetcher(limits) as fetcher:
        events = ingest_paths(lib, [url, site.url("/story-1.html")], nlp, fetcher=fetcher)
    assert [(e.path, e.status, e.error) for e in events][0] == (
        url,
        "error",
        "timed out (response took over 1 s)",
    )
    assert events[1].status == "added"


@pytest.mark.parametrize(
    "label", ["punycode", "idna", "rot13", "uu", "zlib_codec", "base64", "x-user-defined"]
)
def test_a_charset_no_page_can_declare_reads_as_none_declared(
    site: Site, fast_limits, label: str
) -> None:
    saved = read_article(WEB / "story-1.html")
    with Fetcher() as fetcher:
        assert fetcher.read_article(site.url("/charset/" + label)).text == saved.text


def test_web_charset_labels_are_the_whatwg_ones() -> None:
    from saidwho.readers.decode import decode_bytes, web_codec

    assert web_codec(" Latin1 ") == web_codec("ascii") == "cp1252"  # as browsers read them
    assert web_codec("shift_jis") == "cp932" and web_codec("gbk") == "gb18030"
    for label in ("punycode", "idna", "rot13", "uu", "zlib_codec", "base64", "utf-7"):
        assert web_codec(label) is None
    # a page declaring punycode in a <meta> is read as if it declared nothing
    page = b'<meta charset="punycode"><p>caf\xe9 ' + b"-" * 100_000
    with pytest.raises(ReadError, match=r"^not valid UTF-8 text \(byte 31\)$"):
        decode_bytes(page, fmt="html")
    page = b'<meta charset="latin1"><p>caf\xe9 \x93quoted\x94</p>'
    assert decode_bytes(page, fmt="html").endswith("café “quoted”</p>")
