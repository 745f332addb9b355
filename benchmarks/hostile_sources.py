"""What hostile sources and files cost: time and peak memory, each case in its own process.

    python benchmarks/hostile_sources.py [--case NAME ...]

Each case runs the real CLI (``python -m saidwho``) against a library in a temp folder and,
for the network cases, a local HTTP server in this process (127.0.0.1, the same tricks as
tests/web_support.py). Cases:

``feed-50k``       a feed of 50,000 entries whose links are ``file:`` URLs (``feeds update``)
``gzip-bomb``      ``Content-Encoding: gzip, gzip``, 64 MB inflated from ~70 KB (``ingest``)
``drip-headers``   the status line and headers a byte every 0.2 s (``ingest``: the 60 s
                   deadline from the first byte ends it)
``punycode``       a 1 MB page declaring ``charset=punycode`` (``ingest``)
``import-deep``    ``notes import`` of 200,000 nested arrays
``import-hostile`` ``notes import`` of 2,000 notes, one with ``"start": Infinity``

Prints one row per case: wall time, peak RSS of the CLI process, exit code, first line of
its stderr, and how many stderr lines it printed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "tests" / "fixtures" / "web" / "story-1.html"
CASES = ("feed-50k", "gzip-bomb", "drip-headers", "punycode", "import-deep", "import-hostile")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stop = threading.Event()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading at its cap
            self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            items = b"".join(
                b"<item><title>Entry %d</title><link>file:///etc/passwd?%d</link>"
                b"<guid>e%d</guid></item>" % (n, n, n)
                for n in range(50_000)
            )
            head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
            self.send(head + items + b"</channel></rss>", "application/rss+xml")
        elif self.path == "/bomb.html":
            page = b"<html><body><p>" + b"a" * 64_000_000
            body = gzip.compress(gzip.compress(page, 9), 9)
            self.send(body, "text/html", Content_Encoding="gzip, gzip")
        elif self.path == "/drip.html":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9\r\n" * 40
            try:
                for byte in head:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    if self.stop.wait(0.2):
                        break
            except OSError:
                pass
            self.close_connection = True
        elif self.path == "/punycode.html":
            text = STORY.read_bytes().decode("utf-8")
            # in a comment: decoded like the rest, never read as text (parsing is not timed)
            filler = "<!-- " + "ab-" * 333_000 + " -->"
            page = text.replace("</body>", filler + "</body>").encode("utf-8")
            self.send(page, "text/html; charset=punycode")
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


def cli(db: Path, *argv: str) -> tuple[float, float, int, list[str]]:
    """Run the CLI; (seconds, peak RSS in MB, exit code, stderr lines)."""
    env = {**os.environ, "SAIDWHO_DB": str(db), "NO_PROXY": "127.0.0.1"}
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "saidwho", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return took, usage.ru_maxrss / 1024, proc.returncode, err.splitlines()


def annotations(n: int, poisoned: bool) -> str:
    """``n`` notes on the story; with ``poisoned`` the middle one starts at Infinity."""
    items = []
    for i in range(n):
        start = "Infinity" if poisoned and i == n // 2 else str(i % 300)
        note_id = f"urn:uuid:{i:08x}-1111-4111-8111-111111111111"
        items.append(
            f'{{"id":"{note_id}","type":"Annotation","motivation":"commenting",'
            f'"body":[{{"type":"TextualBody","value":"n{i}","purpose":"commenting"}}],'
            f'"target":{{"source":"{STORY.as_uri()}","selector":[{{"type":'
            f'"TextPositionSelector","start":{start},"end":{i % 300 + 1}}}]}}}}'
        )
    page = f'{{"type":"AnnotationPage","items":[{",".join(items)}]}}'
    return f'{{"type":"AnnotationCollection","first":{page}}}'


def run_case(case: str, base: str, tmp: Path) -> tuple[float, float, int, list[str]]:
    db = tmp / case
    if case == "feed-50k":
        cli(db, "feeds", "add", f"{base}/feed.xml")
        return cli(db, "feeds", "update")
    if case in ("gzip-bomb", "drip-headers", "punycode"):
        page = {"gzip-bomb": "bomb", "drip-headers": "drip", "punycode": "punycode"}[case]
        return cli(db, "ingest", f"{base}/{page}.html")
    path = tmp / f"{case}.json"
    if case == "import-deep":
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    else:
        # a library holding the story, so the annotations have an article to land on
        cli(db, "ingest", str(STORY))
        path.write_text(annotations(2000, poisoned=True), encoding="utf-8")
    return cli(db, "notes", "import", str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=CASES)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'case':<15} {'time':>8} {'peak RSS':>9}  exit  lines  first line")
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.case or CASES:
            took, rss, code, lines = run_case(case, base, Path(tmp))
            first = (lines[0] if lines else "")[:90]
            print(f"{case:<15} {took:>7.1f}s {rss:>7.0f}MB  {code:>4}  {len(lines):>5}  {first}")
    Handler.stop.set()
    server.shutdown()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
