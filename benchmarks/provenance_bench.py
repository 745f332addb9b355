"""What provenance costs: library bytes per archived article, and `recheck` time.

    python benchmarks/provenance_bench.py [--pages 100]

Serves ``--pages`` news pages (each ~3 KB of HTML with three quotes) from a server on
127.0.0.1, ingests them, and reports the bytes the archive (``archive/``) and the version
files (``versions/``) add per article next to the article files themselves. Then times
`recheck` of every page twice: unchanged (each answered 304 to the conditional GET) and
changed (each page edited: one quote altered, one removed, so each gets a second version).
Prints the load average with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from saidwho.attribution import load_pipeline
from saidwho.ingest import ingest_paths
from saidwho.readers import fetch
from saidwho.recheck import recheck
from saidwho.store import Library

FILLER = (
    "<p>The council will meet again next month to decide on the timetable for the repairs "
    "and on the contractors who will carry them out, the clerk's office said on Friday.</p>\n"
)


def page(n: int, edited: bool) -> bytes:
    altered = (
        "We hope to finish the repairs before the autumn storms"
        if edited
        else "We will finish the repairs before the summer season"
    )
    removed = (
        ""
        if edited
        else f'<p>"The budget for pier {n} is a waste of public money," said councillor '
        "Ann Price.</p>\n"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Harbor budget {n}</title>"
        f"</head><body><article><h1>Harbor budget {n}</h1>\n"
        f"<p>The town council approved budget {n} for the harbor on Monday after a long "
        "debate about repairs to the old pier.</p>\n"
        f'<p>"Pier {n} has waited long enough for this money," said harbor master Leah '
        "Moreno.</p>\n"
        f'<p>"{altered} at pier {n}," said mayor Tom Alder.</p>\n'
        f"{removed}{FILLER * 12}</article></body></html>\n"
    ).encode()


class Pages:
    def __init__(self, count: int) -> None:
        self.edited = False
        self.count = count
        self.lock = threading.Lock()

    def body(self, n: int) -> bytes:
        with self.lock:
            return page(n, self.edited)


def serve(pages: Pages) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            n = int(self.path.strip("/").split(".")[0])
            body = pages.body(n)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    os.environ["NO_PROXY"] = "127.0.0.1"
    limits = fetch.FetchLimits(host_delay=0.0)  # one local host: no politeness delay
    pages = Pages(args.pages)
    server, base = serve(pages)
    nlp = load_pipeline(None)
    urls = [f"{base}/{n}.html" for n in range(args.pages)]
    with tempfile.TemporaryDirectory() as tmp, fetch.Fetcher(limits) as fetcher:
        lib = Library(Path(tmp) / "lib")
        started = time.perf_counter()
        events = ingest_paths(lib, urls, nlp, fetcher=fetcher)
        ingest_s = time.perf_counter() - started
        assert all(e.status == "added" for e in events), {e.error for e in events}
        articles, archived, version_files = (
            du(lib.root / "articles"),
            du(lib.root / "archive"),
            du(lib.root / "versions"),
        )
        n = args.pages
        print(f"load average {os.getloadavg()[0]:.2f} (2 cores, shared)")
        print(f"ingest of {n} pages: {ingest_s:.2f} s")
        print(f"article files: {articles / n:,.0f} bytes per article")
        print(
            f"archive (WARC.gz): {archived / n:,.0f} bytes per article; "
            f"version files: {version_files / n:,.0f} bytes per article "
            f"(v1 only: its metadata)"
        )
        ids = [e.article_id for e in events if e.article_id]
        started = time.perf_counter()
        same = recheck(lib, ids, lambda: nlp, fetcher=fetcher)
        unchanged_s = time.perf_counter() - started
        assert all(e.status == "unchanged" and e.http_status == 304 for e in same)
        print(f"recheck, {n} unchanged pages (304): {unchanged_s:.2f} s")
        pages.edited = True
        started = time.perf_counter()
        changed = recheck(lib, ids, lambda: nlp, fetcher=fetcher)
        changed_s = time.perf_counter() - started
        assert all(e.status == "changed" for e in changed), {e.summary for e in changed}
        print(
            f"recheck, {n} changed pages (each a new version): {changed_s:.2f} s "
            f"({changed[0].summary})"
        )
        after = du(lib.root / "archive") + du(lib.root / "versions")
        print(
            f"after the change, archive + versions: {after / n:,.0f} bytes per article "
            f"(two versions, the first's text and quotes kept)"
        )
        print(f"load average {os.getloadavg()[0]:.2f}")
    server.shutdown()


if __name__ == "__main__":
    main()
