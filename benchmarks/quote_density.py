"""Quote-dense text: what ingest costs as the number of quotes per article grows, each size
in its own process (peak RSS is per process). Extraction must stay near-linear in quotes
(target: 2,000 quotes in 26 KB within 10 s and 400 MB, whole ingest).

    python benchmarks/quote_density.py [--shape NAME ...] [--sizes 100,500,...] [--timeout S]

Shapes: ``terse`` (``"a," said B.`` repeated in one paragraph, where the parser takes
"B." for an abbreviation and never ends the sentence), ``transcript`` (whole quotes with
named speakers in one paragraph, a live blog), ``interview`` (one quote per paragraph),
``marks`` (bare quote marks, N of them).
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
SHAPES = ("terse", "transcript", "interview", "marks")
SIZES = (100, 250, 500, 1000, 2000, 5000)
NAMES = ("Ann Lee", "Omar Haddad", "Mayor Ruth Okafor", "Chief Dan Price", "Priya Nair")
WORDS = (
    "We will rebuild the bridge before the spring floods",
    "The budget does not cover the overtime we were promised",
    "Nobody told the families until the morning after",
    "I have asked the council for a full account of the delays",
)


def text(shape: str, n: int) -> str:
    if shape == "terse":
        return "Q\n\n" + " ".join('"a," said B.' for _ in range(n))
    if shape == "marks":
        return "Q\n\n" + '"' * n
    quotes = [
        f'"{WORDS[k % len(WORDS)]}, item {k}," said {NAMES[k % len(NAMES)]}.' for k in range(n)
    ]
    return "Transcript\n\n" + (" " if shape == "transcript" else "\n\n").join(quotes)


def child(shape: str, n: int) -> None:
    """Ingest one text in this process and print one JSON line of figures."""
    from saidwho.attribution import load_pipeline
    from saidwho.ingest import ingest_paths
    from saidwho.store import Library

    nlp = load_pipeline(None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{shape}-{n}.txt"
        path.write_text(text(shape, n), encoding="utf-8")
        model_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        event = ingest_paths(Library(Path(tmp) / "lib"), [path], nlp)[-1]
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures = {"shape": shape, "n": n, "bytes": path.stat().st_size, "seconds": seconds}
        figures |= {"peak_rss_mb": round(peak), "model_mb": round(model_mb)}
        figures |= {"status": event.status, "quotes": event.quotes}
        print(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shape", action="append", choices=SHAPES, help="default: all")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    print(f"{'shape':<11}{'quotes':>7}{'KB':>8}{'seconds':>9}{'s/1000q':>9}{'peak MB':>9}  found")
    for shape in args.shape or SHAPES:
        for n in map(int, args.sizes.split(",")):
            cmd = [sys.executable, __file__, "--child", shape, str(n)]
            try:
                done = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT
                )
            except subprocess.TimeoutExpired:
                print(f"{shape:<11}{n:>7}  did not finish in {args.timeout:.0f} s")
                break
            if done.returncode != 0:
                print(f"{shape:<11}{n:>7}  failed: {done.stderr.strip().splitlines()[-1:]}")
                break
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{shape:<11}{n:>7}{r['bytes'] / 1000:>8.1f}{r['seconds']:>9.2f}"
                f"{r['seconds'] / n * 1000:>9.2f}{r['peak_rss_mb']:>9}  {r['quotes']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
