"""What hostile or unlucky input costs to ingest: time and peak memory, each case in its own
process (peak RSS is per process).

    python benchmarks/pathological.py [--case NAME ...] [--timeout SECONDS]

Cases: ``prose`` (2 MB of news prose) and ``lines`` (the same text cut into 40,000 short
lines: must stay within 2x of prose), ``table`` (an 8 MB HTML page, one 400,000-cell
table), ``nested`` (100,000-deep nested tables), ``big`` (a 9.9 MB text), ``dense`` (9 MB
of quote marks: over the parse's token budget, refused before parsing). The text is the
hand-written news pieces of tests/fixtures, repeated.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIECES = ROOT / "tests" / "fixtures" / "pieces"
CASES = ("prose", "lines", "table", "nested", "big", "dense")


def news(size: int) -> str:
    """``size`` characters of prose: the fixture pieces, repeated."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(PIECES.rglob("*.txt"))]
    corpus = "\n\n".join(texts)
    return (corpus * (size // len(corpus) + 1))[:size]


def short_lines(text: str, count: int) -> str:
    """The same characters, cut into ``count`` lines (a line break every len/count chars)."""
    flat = " ".join(text.split())
    width = max(1, len(flat) // count)
    return "\n".join(flat[i : i + width] for i in range(0, len(flat), width))


def make(case: str, folder: Path) -> Path:
    if case == "prose":
        path, data = folder / "prose.txt", news(2_000_000)
    elif case == "lines":
        path, data = folder / "lines.txt", short_lines(news(2_000_000), 40_000)
    elif case == "big":  # 9.9 MB of UTF-8, just under ingest's 10 MB limit
        raw = news(9_900_000).encode("utf-8")[:9_900_000]
        path, data = folder / "big.txt", raw.decode("utf-8", "ignore")
    elif case == "dense":  # 9 MB of quote marks: 9 million tokens, over the parse budget
        path, data = folder / "dense.txt", "Marks\n\n" + '"' * 9_000_000
    elif case == "table":
        row = "<tr>" + "".join(f"<td>cell {i:02d} val</td>" for i in range(20)) + "</tr>\n"
        rows = row * 20_000  # 400,000 cells
        path = folder / "table.html"
        data = f"<html><head><title>Table</title></head><body><table>{rows}</table></body></html>"
    elif case == "nested":
        depth = 100_000
        path = folder / "nested.html"
        data = (
            "<html><head><title>Nested</title></head><body>"
            + "<table><tr><td>" * depth
            + "Deep words here."
            + "</td></tr></table>" * depth
            + "</body></html>"
        )
    else:
        raise SystemExit(f"unknown case {case!r}")
    path.write_text(data, encoding="utf-8")
    return path


def child(case: str) -> None:
    """Run one case in this process and print one JSON line of figures."""
    from saidwho.attribution import load_pipeline
    from saidwho.ingest import ingest_paths
    from saidwho.store import Library

    nlp = load_pipeline(None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make(case, folder)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        events = ingest_paths(Library(folder / "lib"), [path], nlp)
        seconds = time.perf_counter() - started
        event = events[-1]
        print(
            json.dumps(
                {
                    "case": case,
                    "bytes": path.stat().st_size,
                    "seconds": round(seconds, 1),
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                    "rss_after_model_mb": round(rss_before),
                    "status": event.status,
                    "quotes": event.quotes,
                    "note": event.warning or event.error,
                }
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=CASES, help="default: all")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    results = {}
    for case in args.case or CASES:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", case],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            print(f"{case:<7} did not finish in {args.timeout:.0f} s")
            continue
        if done.returncode != 0:
            print(f"{case:<7} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results[case] = r
        print(
            f"{case:<7} {r['bytes'] / 1e6:5.1f} MB  {r['seconds']:7.1f} s  peak RSS "
            f"{r['peak_rss_mb']:5d} MB (model loaded: {r['rss_after_model_mb']} MB)  "
            f"{r['status']}, {r['quotes']} quotes" + (f"  [{r['note']}]" if r["note"] else "")
        )
    if "prose" in results and "lines" in results:
        ratio = results["lines"]["seconds"] / max(0.1, results["prose"]["seconds"])
        print(f"40,000 short lines vs prose: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
