"""Fetch web pages politely and read them like saved HTML files.

    from saidwho.readers.fetch import Fetcher, FetchError, is_url
    with Fetcher() as fetcher:
        article = fetcher.read_article("https://example.com/story")   # FetchError/ReadError

Limits (``FetchLimits``): a timeout per connect/read and a deadline for the whole response
(connect, headers and body: a watchdog shuts the socket when it passes), a size cap on the
bytes received and on the bytes they decode to (gzip and deflate are inflated piece by
piece, at most two stacked), a redirect limit, http and https only (a redirect to another
scheme is an error, and so is one from a public host to a private or loopback one),
a User-Agent naming saidwho and its version, a delay between requests
to one host, and a few fetches at once. Every failure a
URL can cause is a ``FetchError`` whose ``str`` is one short line (the URL is not in it:
callers name it, like a path).
"""

from __future__ import annotations

import contextlib
import email.message
import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from saidwho.readers.article import Article
from saidwho.readers.common import ReadError
from saidwho.readers.decode import check_text, decode_bytes, web_codec

__all__ = [
    "HTML_TYPES",
    "MAX_CODINGS",
    "FetchError",
    "FetchLimits",
    "Fetched",
    "Fetcher",
    "decode_content",
    "is_url",
    "user_agent",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Content codings decoded, and the most that may be stacked (``gzip, gzip``): no honest
# server stacks more, and each layer can multiply the size by 1,000.
CONTENT_CODINGS = ("gzip", "x-gzip", "deflate")
MAX_CODINGS = 2
PIECE = 64 * 1024  # the most bytes one decompression step may produce


class FetchError(ReadError):
    """A URL that could not be fetched or read; ``str(err)`` is a one-line reason."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 15.0  # seconds to connect, and between two chunks of a response
    deadline: float = 60.0  # seconds for a whole response, from connect to the last byte
    max_bytes: int = 10_000_000  # bytes of body, received and decoded; the cap of a file
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between the starts of two requests to one host
    concurrency: int = 4  # fetches at once


# What ``Fetcher()`` uses when given no limits (tests shorten the delays here).
DEFAULT_LIMITS = FetchLimits()


def user_agent() -> str:
    from saidwho.core import __version__

    return f"saidwho/{__version__} (+https://github.com/saidwho/saidwho; news reader)"


def is_url(value: object) -> bool:
    """An http(s) URL given where a path could be (``ingest``'s inputs)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Fetched:
    """One response: its final URL (after redirects), media type, charset and body."""

    url: str  # as asked for
    final_url: str
    status: int  # 200, or 304 when a conditional GET found nothing new
    media_type: str  # "text/html", lower case, no parameters
    charset: str | None
    body: bytes
    fetched: str  # ISO 8601 UTC
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The URL, stripped, or a FetchError saying why it cannot be fetched."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not '{parts.scheme}:'")
    if not parts.hostname:
        raise FetchError("not a valid URL (no host)")
    return url


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    msg = email.message.Message()
    msg["content-type"] = header
    charset = msg.get_param("charset")
    return msg.get_content_type().lower(), charset if isinstance(charset, str) else None


def _describe(exc: httpx.HTTPError) -> str:
    """One line for a transport failure."""
    text = (str(exc).strip().splitlines() or [""])[0]
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        low = text.lower()
        if any(
            hint in low
            for hint in (
                "name or service not known",
                "nodename nor servname",
                "getaddrinfo",
                "no address associated",
                "temporary failure in name resolution",
            )
        ):
            return "cannot resolve the host name (DNS failure)"
        if "refused" in low:
            return "connection refused"
        return f"cannot connect ({text or type(exc).__name__})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken response ({text or 'protocol error'})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _HostGate:
    """Spaces requests to one host ``delay`` seconds apart, across threads."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, cancel: threading.Event | None = None) -> None:
        if self.delay <= 0:
            return
        with self._lock:  # reserve a slot, then sleep outside the lock
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.delay
        pause = slot - now
        if pause > 0:
            if cancel is not None:
                cancel.wait(pause)
            else:
                time.sleep(pause)


class Fetcher:
    """An httpx client with saidwho's limits. Thread-safe; close it (or use ``with``)."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        is_private: Callable[[str], bool] | None = None,
    ) -> None:
        self.limits = limits or DEFAULT_LIMITS
        # which hosts are on this machine or its network (tests name their own)
        self.is_private = is_private or host_is_private
        timeout = httpx.Timeout(self.limits.timeout)
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,  # followed by hand: schemes and loops are checked
            # only what decode_content decodes (httpx would offer br once brotli is installed)
            headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            # no kept-alive connections: the deadline's watchdog needs the socket of each
            # request, and only a new connection hands it over (the connect trace)
            limits=httpx.Limits(
                max_connections=max(1, self.limits.concurrency), max_keepalive_connections=0
            ),
        )
        self._gate = _HostGate(self.limits.host_delay)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ fetching

    def get(
        self,
        url: str,
        *,
        accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        etag: str | None = None,
        last_modified: str | None = None,
        cancel: threading.Event | None = None,
    ) -> Fetched:
        """GET ``url`` following at most ``max_redirects`` http(s) redirects.

        With ``etag``/``last_modified`` the request is conditional: an unchanged resource
        comes back as status 304 with an empty body. Any other status than 200 or 304 is a
        FetchError.
        """
        current = check_url(url)
        seen = {current}
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.limits.max_redirects + 1):
            host = urlsplit(current).hostname or ""
            self._gate.wait(host, cancel)
            if cancel is not None and cancel.is_set():
                raise FetchError("cancelled")
            deadline = _Deadline(self.limits.deadline)
            try:
                with self._client.stream(
                    "GET", current, headers=headers, extensions={"trace": deadline.trace}
                ) as response:
                    if response.has_redirect_location:
                        location = response.headers.get("location", "")
                        target = urljoin(current, location.strip())
                        scheme = urlsplit(target).scheme.lower()
                        if scheme not in ("http", "https"):
                            raise FetchError(
                                f"redirected to a {scheme or 'non-web'}: URL, "
                                "only http and https are fetched"
                            )
                        if target in seen:
                            raise FetchError("redirect loop")
                        self._check_redirect(url, target)
                        seen.add(target)
                        current = target
                        continue
                    return self._finish(url, current, response, deadline)
            except httpx.HTTPError as exc:
                if deadline.expired:  # the watchdog shut the socket: that is the reason
                    raise FetchError(deadline.reason) from None
                raise FetchError(_describe(exc)) from None
            except (httpx.InvalidURL, UnicodeError) as exc:  # e.g. a host IDNA refuses
                raise FetchError(f"not a valid URL ({exc})") from None
            finally:
                deadline.cancel()
        raise FetchError(f"too many redirects (more than {self.limits.max_redirects})")

    def _check_redirect(self, url: str, target: str) -> None:
        """A public page must not send us to this machine or its network (a router's admin
        page, a cloud's metadata service): such a redirect is refused. A private URL asked
        for by name may redirect anywhere."""
        host = urlsplit(target).hostname or ""
        if self.is_private(host) and not self.is_private(urlsplit(url).hostname or ""):
            raise FetchError(
                f"redirected from a public address to a private one ({host[:60]}), refused"
            )

    def _finish(
        self, url: str, final: str, response: httpx.Response, deadline: _Deadline
    ) -> Fetched:
        stamp = now_iso()
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if response.status_code == 304:
            return Fetched(url, final, 304, "", None, b"", stamp, etag, modified)
        if response.status_code != 200:
            reason = response.reason_phrase or ""
            raise FetchError(f"HTTP {response.status_code} {reason}".rstrip())
        media, charset = _media_type(response.headers.get("content-type"))
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(_too_large(int(declared), cap))
        codings = content_codings(response.headers.get("content-encoding", ""))

        def received() -> Iterator[bytes]:
            size = 0
            for chunk in response.iter_raw():  # as sent: decoded below, under the cap
                size += len(chunk)
                if size > cap:  # stop reading: the rest is never downloaded
                    raise FetchError(_too_large(size, cap, more=True))
                deadline.check()
                yield chunk

        chunks: list[bytes] = []
        size = 0
        for piece in decode_content(received(), codings):
            size += len(piece)
            if size > cap:  # stop inflating: a bomb never grows past the cap and a piece
                raise FetchError(f"response too large (decodes to over the {_mb(cap)} limit)")
            deadline.check()
            chunks.append(piece)
        return Fetched(url, final, 200, media, charset, b"".join(chunks), stamp, etag, modified)

    # ------------------------------------------------------------------ articles

    def read_article(self, url: str, *, cancel: threading.Event | None = None) -> Article:
        """Fetch an HTML page and read it exactly as a saved copy of it would be read."""
        fetched = self.get(url, cancel=cancel)
        return article_from_page(fetched)

    def read_articles(
        self, urls: Iterable[str], *, cancel: threading.Event | None = None
    ) -> Iterator[tuple[str, Article | ReadError]]:
        """``(url, article or error)`` for each URL, in input order, a few fetched at once."""

        def one(url: str) -> Article | ReadError:
            if cancel is not None and cancel.is_set():
                return FetchError("cancelled")
            try:
                return self.read_article(url, cancel=cancel)
            except ReadError as exc:
                return exc

        todo = list(urls)
        if not todo:
            return
        with ThreadPoolExecutor(max_workers=max(1, self.limits.concurrency)) as pool:
            yield from zip(todo, pool.map(one, todo), strict=True)


def article_from_page(fetched: Fetched) -> Article:
    """The Article in a fetched page: text and title exactly as the saved page would give."""
    from saidwho.readers import read_text_article

    if fetched.media_type and fetched.media_type not in HTML_TYPES:
        raise FetchError(f"not an HTML page (content type {fetched.media_type})")
    text = decode_page(fetched)
    warnings = []
    if _wide_charset_lie(fetched):
        said = (fetched.charset or "")[:20]
        warnings.append(f"the page says it is {said} but is not; read as a saved copy would be")
    if fetched.final_url != fetched.url:
        warnings.append(f"redirected to {fetched.final_url}")
    try:
        article = read_text_article(text, fmt="html")
    except FetchError:
        raise
    except ReadError as exc:
        if str(exc) in ("no article text found", "empty file", "file contains only whitespace"):
            raise FetchError("no article text found on the page") from None
        raise FetchError(str(exc)) from None
    from saidwho.readers.html import page_heads

    # trafilatura drops a relative canonical link; against the page's own URL it is fine
    url = _article_url(page_heads(text).canonical or article.url, fetched.final_url)
    if article.warning:
        warnings.insert(0, article.warning)
    warning = "; ".join(warnings) or None
    return replace(article, url=url, fetched=fetched.fetched, warning=warning)


def _wide_charset_lie(fetched: Fetched) -> bool:
    """A header claiming UTF-16 for bytes that are not: HTML in UTF-16 has a NUL beside each
    ASCII character of its markup, so a start without any NUL is 8-bit text (decoded as
    UTF-16 it would be CJK garbage)."""
    codec = web_codec(fetched.charset) if fetched.charset else None
    return bool(codec and codec.startswith("utf-16") and b"\x00" not in fetched.body[:4096])


def decode_page(fetched: Fetched) -> str:
    """The page's text: a byte-order mark, else the HTTP charset, else what a saved file gets."""
    data = fetched.body
    if not data:
        raise FetchError("empty response")
    text: str | None = None
    # only a charset a page can declare (WHATWG): punycode or rot13 read as none declared
    codec = web_codec(fetched.charset) if fetched.charset else None
    if _wide_charset_lie(fetched):
        codec = None  # see article_from_page: read as a saved file, with a warning
    if codec and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None  # a wrong header: decode as a saved file would be
    try:
        if text is None:
            text = decode_bytes(data, fmt="html")
        check_text(text)
    except ReadError as exc:  # the reasons speak of a file; here it is a response
        raise FetchError(str(exc).replace("file", "response")) from None
    return text


def host_is_private(host: str) -> bool:
    """Is ``host`` (a name or an address) on this machine or a private network? A name is
    resolved; one that does not resolve is not private (fetching it fails anyway)."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addresses = []
        for info in infos:
            with contextlib.suppress(ValueError):
                addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
    return any(
        a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_unspecified
        for a in addresses
    )


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _article_url(canonical: str | None, final: str) -> str:
    """The URL an article is kept under: the page's canonical URL when it is on the host we
    fetched from (it drops tracking parameters), else the URL actually fetched. A page
    cannot claim another site's URL and so pass itself off as (or replace) that article."""
    if canonical:
        absolute = urljoin(final, canonical)
        if is_url(absolute) and _host(absolute) == _host(final):
            return absolute
    return final


class _Deadline:
    """The whole-response time limit, from the connect to the last byte.

    httpx's timeouts count each read alone, so a server sending its headers a byte every
    few seconds never trips them. This watchdog learns the request's socket from httpcore's
    connect trace and shuts it down when the time is up, which ends any read in progress.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.reason = f"timed out (response took over {seconds:g} s)"
        self.expired = False
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: keeps each socket it connects, checks the time."""
        if event.startswith("connection.") and event.endswith(".complete"):
            get_extra_info = getattr(info.get("return_value"), "get_extra_info", None)
            sock = get_extra_info("socket") if callable(get_extra_info) else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
        self.check()

    def check(self) -> None:
        if self.expired or time.monotonic() > self._ends:
            self._expire()
            raise FetchError(self.reason)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                # socket.socket's own shutdown (an SSLSocket's drops its state); a closed
                # socket raises OSError
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


def content_codings(header: str) -> list[str]:
    """The content codings of a response, outermost last, or a FetchError refusing them."""
    codings = [c.strip().lower() for c in header.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > MAX_CODINGS:
        raise FetchError(
            f"too many stacked content encodings ({len(codings)}, at most {MAX_CODINGS})"
        )
    for coding in codings:
        if coding not in CONTENT_CODINGS:
            raise FetchError(f"unsupported content encoding '{coding[:40]}'")
    return codings


def decode_content(chunks: Iterator[bytes], codings: list[str]) -> Iterator[bytes]:
    """The body under ``Content-Encoding: codings``, in pieces of at most ``PIECE`` bytes.

    Lazy all the way down: each layer inflates only as much as the next asks for, so a
    consumer that stops at a cap has decoded at most a piece past it, whatever the ratio.
    """
    for coding in reversed(codings):  # the last coding listed was applied last
        chunks = _inflate(chunks, coding)
    return chunks


def _inflate(chunks: Iterator[bytes], coding: str) -> Iterator[bytes]:
    gzip = coding in ("gzip", "x-gzip")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
    started = False
    for chunk in chunks:
        data = chunk
        while data or started:
            try:
                out = inflater.decompress(data, PIECE)
            except zlib.error as exc:
                if not gzip and not started:  # deflate sent raw, without its zlib header
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    started = True
                    continue
                raise FetchError(f"broken {coding} content ({exc})") from None
            started = True
            data = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                return  # trailing bytes after the stream are not content
            if not data and len(out) < PIECE:
                break  # this chunk is done (a full piece may leave output pending)


def _mb(limit: int) -> str:
    from saidwho.readers import _size

    return _size(limit, up=False)


def _too_large(size: int, limit: int, *, more: bool = False) -> str:
    from saidwho.readers import _size

    if more:  # streaming stopped at the cap: the real size is unknown
        return f"response too large (over the {_size(limit, up=False)} limit)"
    return f"response too large ({_size(size, up=True)} > {_size(limit, up=False)} limit)"
