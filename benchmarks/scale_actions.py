"""Each CLI action as a whole process at 1,000, 10,000 and 100,000 articles.

Libraries come from ``build_library.py`` (newsroom-sized articles, notes and reviews on one
in 20) under ``--dir`` and are reused. For each size, every action runs as a real
``saidwho`` subprocess, as a user or a script runs it, from process start to exit:

- ``notes add ARTICLE --quote Q --text ...`` (the notes are deleted afterwards)
- ``review QUOTE --dispute`` / ``--undispute``, alternately
- ``cite QUOTE``
- ``quotes ARTICLE``
- ``ingest FILE`` of one new article (spaCy loads in every run: the ratio is what counts)
- ``list``: until its first line is read from the pipe, and until it exits
- ``list --json`` until it exits

with each child's peak RSS (its own ``VmHWM``, printed by a small wrapper as it exits:
``ru_maxrss`` would count this parent's RSS at the fork). The article is one in the middle
of the library's order, the same one in every run. Every figure is the median of ``--runs``
runs; the table ends with the ratio of the largest size to the smallest. Give the load
average with any figure (it is printed).

    python benchmarks/scale_actions.py [--sizes 1000,10000] [--dir /tmp/saidwho-scale]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import json  # noqa: E402

# `saidwho` as its console script runs it, plus the process's peak RSS on stderr at exit
WRAP = (
    "import atexit, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'): sys.stderr.write('\\nVmHWM ' + line.split()[1])\n"
    "atexit.register(peak)\n"
    "from saidwho.cli import main\n"
    "sys.argv[0] = 'saidwho'\n"
    "sys.exit(main())\n"
)
EXE = str(Path(sys.executable).with_name("saidwho"))


def library_for(root: Path, size: int) -> Path:
    """``root/lib-<size>``, built on first use (``tui_scale.py`` shares it)."""
    path = root / f"lib-{size}"
    if not (path / "catalog" / "index.json").exists():  # built (notes.json goes at schema 3)
        command = [sys.executable, str(HERE / "build_library.py"), str(path)]
        subprocess.run(
            [*command, "--articles", str(size), "--base", str(root / "base")], check=True
        )
    return path


def cli_json(path: Path, *args: str) -> object:
    done = subprocess.run(
        [EXE, "--db", str(path), *args, "--json"], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def run(args: list[str], *, first_line: bool = False) -> tuple[float, float, float]:
    """(seconds to the first line of stdout, seconds to exit, peak RSS in MB) of one child."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRAP, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = 0.0
    if first_line:
        proc.stdout.readline()
        first = time.perf_counter() - started
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"saidwho {' '.join(args)}: exit {proc.returncode}: {err[-500:]!r}")
    del out
    peak = int(err.rsplit(b"VmHWM ", 1)[1])
    return first, took, peak / 1024


def measure(
    path: Path, runs: int, scratch: Path, skip: frozenset[str] = frozenset()
) -> dict[str, tuple[float, float]]:
    """Action -> (median seconds, peak MB)."""
    articles: list[dict[str, object]] = cli_json(path, "list")  # type: ignore[assignment]
    article_id = str(articles[len(articles) // 2]["id"])
    # the quote from the article file itself (`quotes --json` would build the identities)
    body = json.loads((path / "articles" / article_id[:2] / f"{article_id}.json").read_bytes())
    quotes = sorted(body["quotes"].values(), key=lambda q: (q["start"], q["end"]))
    quote_id = str(quotes[len(quotes) // 2]["id"])
    db = ["--db", str(path)]
    out: dict[str, tuple[float, float]] = {}

    def put(name: str, times: list[float], rss: list[float]) -> None:
        out[name] = (statistics.median(times), max(rss))

    def repeat(name: str, argv_of: list[list[str]], *, first_line: bool = False) -> None:
        if name in skip:
            return
        times, rss, firsts = [], [], []
        for argv in argv_of:
            first, took, peak = run([*db, *argv], first_line=first_line)
            times.append(took)
            firsts.append(first)
            rss.append(peak)
        put(name, times, rss)
        if first_line:
            put(name + ": first line", firsts, rss)

    def note_ids() -> set[str]:
        notes: list[dict[str, object]] = cli_json(path, "notes", "list", article_id)  # type: ignore[assignment]
        return {str(n["id"]) for n in notes}

    before = note_ids()
    note = ["notes", "add", article_id, "--quote", quote_id, "--text", "bench"]
    repeat("notes add", [note] * runs)
    subprocess.run([EXE, *db, "notes", "delete", *(note_ids() - before)], check=True)
    verdicts = [["review", quote_id, "--dispute"], ["review", quote_id, "--undispute"]]
    repeat("review", (verdicts * runs)[: runs + runs % 2])  # ends as built: undisputed
    repeat("cite", [["cite", quote_id]] * runs)
    repeat("quotes ARTICLE", [["quotes", article_id]] * runs)
    seed = next((HERE.parent / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    files = []
    for i in range(runs):
        file = scratch / f"new-{path.name}-{time.time_ns()}-{i}.txt"
        file.write_text(seed + f"\nA line that makes copy {file.stem} new.\n", encoding="utf-8")
        files.append(file)
    repeat("ingest one article", [["ingest", str(f)] for f in files])
    repeat("list", [["list"]] * runs, first_line=True)
    repeat("list --json", [["list", "--json"]] * runs)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/saidwho-scale"))
    parser.add_argument("--runs", type=int, default=5, help="repeats of each measurement")
    parser.add_argument(
        "--skip", default="", help="actions not to time, comma-separated (e.g. 'review,cite')"
    )
    args = parser.parse_args()
    skip = frozenset(filter(None, args.skip.split(",")))
    sizes = [int(s) for s in args.sizes.split(",")]
    scratch = args.dir / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    table: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        path = library_for(args.dir, size)
        print(f"measuring {size:,} (load average {os.getloadavg()[0]:.2f})", flush=True)
        table[size] = measure(path, args.runs, scratch, skip)
    names = list(table[sizes[0]])
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nwhole processes, median of {args.runs} runs; load average {load}")
    head = f"{'action':28s}" + "".join(f"{s:>10,} s" for s in sizes)
    head += "".join(f"{s:>10,} MB" for s in sizes) + "     ratio"
    print(head)
    for name in names:
        secs = [table[s].get(name, (float("nan"), float("nan")))[0] for s in sizes]
        mbs = [table[s].get(name, (float("nan"), float("nan")))[1] for s in sizes]
        ratio = secs[-1] / secs[0] if secs[0] else float("nan")
        print(
            f"{name:28s}"
            + "".join(f"{t:12.3f}" for t in secs)
            + "".join(f"{m:13.0f}" for m in mbs)
            + f"{ratio:9.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
