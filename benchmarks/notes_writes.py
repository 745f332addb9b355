"""What a note or a review costs as the library grows: the user's writing as whole processes
and inside one open library (as the reader saves them).

For each library (``build_library.py``'s, under ``--dir``: ``lib-<size>``), ``--runs`` times:

- ``notes add ARTICLE --quote Q --text ...``: the CLI, process start to exit (the notes are
  deleted afterwards);
- ``review (write)``: a process that opens the library and records a verdict on a quote
  of a known article (``Library.review_quote``): the write part of ``saidwho review``,
  without resolving a quote id (that is the quote-id index's business);
- in one process with the library open and warm, as the reader saves: ``add_note`` and
  ``review_quote`` until they return (on disk, journaled), median milliseconds.

The article is the middle one of the catalog index's rows, the quote the middle one of its
file: the same in every run and for every version of saidwho (it reads only
``catalog/index.json`` and the article file, which schemas 2 and 3 share). Give the load
average with any figure (it is printed).

    python benchmarks/notes_writes.py --dir /tmp/ss-copy [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_actions import EXE, run  # noqa: E402

# a process that opens the library and writes one verdict; its peak RSS on stderr at exit
REVIEW = (
    "import atexit, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'): sys.stderr.write('\\nVmHWM ' + line.split()[1])\n"
    "atexit.register(peak)\n"
    "import inspect\n"
    "from saidwho.store import Library\n"
    "from saidwho.store.reviews import Reviews\n"
    "root, aid, qid, dispute = sys.argv[1:5]\n"
    "named = 'named' in inspect.signature(Reviews.review_quote).parameters\n"
    "NAMED = {'named': False} if named else {}  # as `saidwho review` without --json\n"
    "Library(root).review_quote(aid, qid, disputed=dispute == '1', **NAMED)\n"
)

# one open library, as the reader holds it: each write timed until it returns
IN_APP = """
import json, statistics, sys, time
from saidwho.store import Library
root, aid, qid, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lib = Library(root)
lib.notes(aid); lib.quotes(aid)  # warm, as the reader's open article (identities built)
notes, reviews, made = [], [], []
for n in range(runs):
    t = time.perf_counter()
    made.append(lib.add_note(aid, start=0, end=5, text=f"bench {n}").id)
    notes.append(time.perf_counter() - t)
    t = time.perf_counter()
    lib.review_quote(aid, qid, disputed=n % 2 == 0)
    reviews.append(time.perf_counter() - t)
for note_id in made:
    lib.delete_note(note_id)
if runs % 2:
    lib.review_quote(aid, qid, disputed=False)
print(json.dumps({"note": statistics.median(notes), "review": statistics.median(reviews)}))
"""


def pick(path: Path) -> tuple[str, str]:
    """(article id, quote id): the middle row of the catalog index, its middle quote."""
    rows = json.loads((path / "catalog" / "index.json").read_bytes())["articles"]
    keys = sorted(rows, key=int)
    article_id = f"{int(keys[len(keys) // 2]):016x}"
    body = json.loads((path / "articles" / article_id[:2] / f"{article_id}.json").read_bytes())
    quotes = sorted(body["quotes"].values(), key=lambda q: (q["start"], q["end"]))
    return article_id, str(quotes[len(quotes) // 2]["id"])


def measure(path: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Action -> (median seconds, peak MB; 0 when not measured)."""
    article_id, quote_id = pick(path)
    db = ["--db", str(path)]
    out: dict[str, tuple[float, float]] = {}
    listed = subprocess.run(
        [EXE, *db, "notes", "list", article_id, "--json"], capture_output=True, check=True
    )
    before = {n["id"] for n in json.loads(listed.stdout)}
    times, rss = [], []
    for _ in range(runs):
        _, took, peak = run([*db, "notes", "add", article_id, "--quote", quote_id, "--text", "b"])
        times.append(took)
        rss.append(peak)
    out["notes add (CLI)"] = (statistics.median(times), max(rss))
    listed = subprocess.run(
        [EXE, *db, "notes", "list", article_id, "--json"], capture_output=True, check=True
    )
    made = {n["id"] for n in json.loads(listed.stdout)} - before
    subprocess.run([EXE, *db, "notes", "delete", *made], check=True, capture_output=True)
    times, rss = [], []
    for n in range(runs + runs % 2):  # ends as built: undisputed
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", REVIEW, str(path), article_id, quote_id, str((n + 1) % 2)],
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
        rss.append(int(done.stderr.rsplit(b"VmHWM ", 1)[1]) / 1024)
    out["review (write)"] = (statistics.median(times), max(rss))
    done = subprocess.run(
        [sys.executable, "-c", IN_APP, str(path), article_id, quote_id, str(max(runs, 5))],
        capture_output=True,
        check=True,
    )
    in_app = json.loads(done.stdout)
    out["note saved, open library"] = (in_app["note"], 0.0)
    out["review saved, open library"] = (in_app["review"], 0.0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--dir", type=Path, required=True, help="holds lib-<size> libraries")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table = {}
    for size in sizes:
        load = os.getloadavg()[0]
        print(f"measuring {size:,} (load average {load:.2f})", flush=True)
        table[size] = measure(args.dir / f"lib-{size}", args.runs)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nmedian of {args.runs} runs; load average {load}")
    head = f"{'action':28s}" + "".join(f"{s:>12,}" for s in sizes) + "     ratio   peak MB"
    print(head)
    for name in table[sizes[0]]:
        secs = [table[s][name][0] for s in sizes]
        peaks = "/".join(f"{table[s][name][1]:.0f}" for s in sizes)
        unit = 1000 if "open library" in name else 1
        cells = "".join(f"{t * unit:10.3f} {'ms' if unit > 1 else 's '}" for t in secs)
        ratio = secs[-1] / secs[0] if secs[0] else float("nan")
        shown = peaks if any(table[s][name][1] for s in sizes) else ""
        print(f"{name:28s}{cells}{ratio:9.2f}x   {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
