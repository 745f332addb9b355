"""A real HTTP server on 127.0.0.1 serving the pages and feeds in ``fixtures/web``.

No test touches the internet: every URL the fetch and feed tests use is this server's.
``{base}`` in a fixture is replaced by the server's own address, so feed links point back.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent / "fixtures" / "web"

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml"}
FEED_TYPES = {"rss2.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}
ETAG = '"v1"'
LAST_MODIFIED = "Sat, 07 Jun 2025 10:00:00 GMT"


BOMB_BYTES = 64_000_000  # what /bomb.html decodes to: 32 times the fast cap


@functools.cache
def gzip_bomb() -> bytes:
    """``gzip(gzip(page))`` of a 64 MB page: about 1 KB on the wire."""
    page = b"<html><body><p>" + b"a" * BOMB_BYTES
    return gzip.compress(gzip.compress(page, 9), 9)


@dataclass
class Site:
    base: str
    etag: str = ETAG  # what /atom-304.xml hands out and answers 304 to
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # set when the test is over: a page that never answers in time stops waiting then
    closed: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes = b"", ctype: str = "text/html", **headers: str):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: C901 - one route per broken behaviour
            path = self.path.split("?")[0]
            with site.lock:
                site.requests.append(("GET", path, dict(self.headers.items())))
            if path == "/slow.html":
                # answers only after the test is over: longer than any client timeout
                site.closed.wait(30)
                with contextlib.suppress(OSError):
                    self.send(200, b"<html><body><p>late</p></body></html>")
            elif path == "/404.html":
                self.send(404, b"<html><body>Not here</body></html>")
            elif path == "/500.html":
                self.send(500, b"<html><body>Oops</body></html>")
            elif path in ("/loop-a", "/loop-b"):
                target = "/loop-b" if path == "/loop-a" else "/loop-a"
                self.send(302, Location=target)
            elif path == "/to-ftp":
                self.send(301, Location="ftp://files.example/story.txt")
            elif path == "/to-loopback":
                # another loopback address: refused when the fetcher thinks this site public
                port = site.base.rsplit(":", 1)[1]
                self.send(302, Location=f"http://127.0.0.2:{port}/story-1.html")
            elif path == "/utf16-lie.html":
                # UTF-8 bytes under a header that says UTF-16
                self.send(200, self.fixture("story-1.html"), "text/html; charset=utf-16")
            elif path.startswith("/etag/"):
                # a fixture feed with validators; a conditional GET with them is answered 304
                if self.headers.get("If-None-Match") == ETAG:
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.end_headers()
                    return
                name = path.removeprefix("/etag/")
                body = self.fixture(name)
                ctype = FEED_TYPES.get(name, "application/xml")
                self.send(200, body, ctype, ETag=ETAG, Last_Modified=LAST_MODIFIED)
            elif path == "/many-file-links.xml":
                # 50,000 entries whose links are file: URLs (none can be fetched)
                items = b"".join(
                    b"<item><title>Entry %d</title><link>file:///etc/passwd?%d</link>"
                    b"<guid>e%d</guid></item>" % (n, n, n)
                    for n in range(50_000)
                )
                body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
                self.send(200, body + items + b"</channel></rss>", "application/rss+xml")
            elif path == "/moved":
                self.send(301, Location="/story-1.html")
            elif path == "/huge.html":
                # no Content-Length: the client must stop reading at its cap by itself
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"x" * 16_000 + b"</p>"
                try:
                    for _ in range(2000):  # 32 MB if nobody stops us
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif path == "/drip.html":
                # a byte now and then: never idle long enough for a read timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for _ in range(40):
                        self.wfile.write(b"1\r\n \r\n")
                        self.wfile.flush()
                        if site.closed.wait(0.1):  # a byte every 0.1 s, until the test ends
                            break
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif path == "/drip-headers.html":
                # the status line and headers a byte at a time: no read ever times out
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9\r\n"
                try:
                    for byte in head * 20:  # 20 s and more if nobody stops us
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if site.closed.wait(0.2):  # a byte every 0.2 s, until the test ends
                            break
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
            elif path == "/bomb.html":
                self.send(200, gzip_bomb(), Content_Encoding="gzip, gzip")
            elif path in ("/gzip.html", "/gzip2.html", "/gzip3.html"):
                layers = int(path[5] if path[5].isdigit() else 1)
                body = self.fixture("story-1.html")
                for _ in range(layers):
                    body = gzip.compress(body)
                self.send(200, body, Content_Encoding=", ".join(["gzip"] * layers))
            elif path == "/brotli.html":
                self.send(200, b"\x0b\x02\x80<p>hi</p>\x03", Content_Encoding="br")
            elif path.startswith("/charset/"):
                # a UTF-8 page whose header declares the charset named in the path
                label = path.removeprefix("/charset/")
                self.send(200, self.fixture("story-1.html"), f"text/html; charset={label}")
            elif path == "/report.pdf":
                self.send(200, b"%PDF-1.4 not a page", "application/pdf")
            elif path == "/atom-304.xml":
                # a conditional GET with the ETag it handed out is answered 304, no body
                if self.headers.get("If-None-Match") == ETAG:
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.end_headers()
                    return
                body = self.fixture("atom.xml")
                self.send(200, body, "application/atom+xml", ETag=ETAG, Last_Modified=LAST_MODIFIED)
            elif (WEB / path.lstrip("/")).is_file() and "/" not in path.lstrip("/"):
                name = path.lstrip("/")
                ctype = FEED_TYPES.get(name) or TYPES.get(Path(name).suffix, "text/plain")
                self.send(200, self.fixture(name), ctype)
            else:
                self.send(404, b"not found")

        def fixture(self, name: str) -> bytes:
            return (WEB / name).read_bytes().replace(b"{base}", site.base.encode())

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up on a kept-alive connection is normal (the fetcher closes its
    pool); the stock server prints a traceback to stderr, which the CLI tests capture."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]  # typeshed socket types


@pytest.fixture()
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    # a proxy configured in the environment must not be asked for 127.0.0.1
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = _QuietServer(("127.0.0.1", 0), _handler(Site("")))
    host, port = server.server_address[:2]
    site = Site(f"http://{host}:{port}")
    server.RequestHandlerClass = _handler(site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.closed.set()
        server.shutdown()
        server.server_close()


@pytest.fixture()
def fast_limits(monkeypatch: pytest.MonkeyPatch):
    """Short timeouts and no per-host delay: the server is local and the tests are many."""
    from saidwho.readers import fetch

    limits = fetch.FetchLimits(timeout=1.0, deadline=5.0, max_bytes=2_000_000, host_delay=0.0)
    monkeypatch.setattr(fetch, "DEFAULT_LIMITS", limits)
    return limits
