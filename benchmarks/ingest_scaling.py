"""Ingest scaling, as whole processes: the bare spaCy parse vs `saidwho ingest --workers 1`
vs `--workers 2` on the PolNeAR train texts (read in place, never copied), plus peak memory.

    python benchmarks/ingest_scaling.py [--articles 80] [--repeat 3] [--workers 2]
    python benchmarks/ingest_scaling.py --big [--big-mb 9.5] [--workers 2]   (one run)

Each run is a fresh process on a fresh temporary library; runs are interleaved (bare, 1, 2,
bare, 1, 2, ...) so a noisy neighbour hits all three alike, and the figures are medians with
the min-max spread. Memory per run: the peak RSS of the largest single process of the run
(``os.wait4``'s rusage, the per-child form of ``getrusage(RUSAGE_CHILDREN)``) and the peak
total PSS of the whole process tree (parent + workers, shared pages counted once), sampled
every 0.25 s from /proc.

More than the 840 train texts (``--articles 1000``) takes the 84 dev texts too; above
that the count is capped at what exists and the figures say so.

``--big`` times one file near the 10 MB ingest limit: the bundled seed article repeated
(project text, written to a temporary folder and deleted afterwards).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent.parent / "shared" / "eval" / "polnear"
if not POLNEAR.is_dir():
    POLNEAR = Path("/work/shared/eval/polnear")
SEED = ROOT / "seeds" / "hamas-releases-israeli-american-soldier.txt"

# The bare parse: the same pipeline, the same batching (BATCH_CHARS/BATCH_DOCS), no extraction
# and no store: what ingest with one worker is measured against.
BARE = """
import sys
from saidwho.attribution import load_pipeline
from saidwho.extract_stream import BATCH_CHARS, BATCH_DOCS, char_batches, trim_pipeline
nlp = trim_pipeline(load_pipeline(None))
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
texts = ((open(p, encoding="utf-8", newline="").read(), None) for p in paths)
for batch in char_batches(texts, BATCH_CHARS, BATCH_DOCS):
    for _doc in nlp.pipe([t for t, _ in batch], batch_size=len(batch)):
        pass
"""


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the largest single process
    tree_pss_mb: float  # all processes of the run together
    cpu_seconds: float  # user + system time of the run's processes (workers included)
    # the parent's CPU + the busiest worker's: about the wall time on an idle machine
    critical_cpu: float


def texts(count: int) -> list[Path]:
    train = sorted((POLNEAR / "train" / "text").glob("*.txt"))
    dev = sorted((POLNEAR / "dev" / "text").glob("*.txt"))
    return (train + dev)[:count]


TICK = os.sysconf("SC_CLK_TCK")


def tree_pss_kb(root: int, cpu: dict[int, float]) -> int:
    """PSS of ``root`` and all its descendants (RSS where smaps_rollup is not readable);
    records each process's CPU seconds so far in ``cpu``."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                times[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        cpu[pid] = max(cpu.get(pid, 0.0), times.get(pid, 0.0))
        for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
            try:
                with open(name, encoding="ascii") as fh:
                    value = next((line.split()[1] for line in fh if line.startswith(key)), None)
            except OSError:
                continue
            if value is not None:
                total += int(value)
                break
    return total


def timed(argv: list[str], env: dict[str, str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()
    per_process: dict[int, float] = {}

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.25):  # a full /proc scan: not too often
            peak = max(peak, tree_pss_kb(proc.pid, per_process))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4: this child's own rusage (its ru_maxrss covers its waited-for workers too)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv[:6])} ...\n{err}")
    cpu = usage.ru_utime + usage.ru_stime
    workers = [t for pid, t in per_process.items() if pid != proc.pid]
    critical = per_process.get(proc.pid, 0.0) + max(workers, default=0.0)
    return Run(seconds, usage.ru_maxrss / 1024, peak / 1024, cpu, min(critical, cpu))


def saidwho(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "saidwho", *args]


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    med = statistics.median(values)
    return f"{med:.{digits}f} {unit} (min {min(values):.{digits}f}, max {max(values):.{digits}f})"


def scaling(count: int, repeat: int, workers: int, env: dict[str, str]) -> None:
    files = texts(count)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"{len(files)} articles ({chars:,} characters) from {POLNEAR}; repeat {repeat}")
    if len(files) < count:
        print(f"  note: asked for {count}, only {len(files)} texts exist (train + dev)")
    results: dict[str, list[Run]] = {"bare": [], "1": [], str(workers): []}
    with tempfile.TemporaryDirectory(prefix="saidwho-bench-") as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(str(p) for p in files), encoding="utf-8")
        for r in range(repeat):
            results["bare"].append(timed([sys.executable, "-c", BARE, str(listing)], env))
            for w in ("1", str(workers)):
                db = Path(tmp) / f"lib-{w}-{r}"
                argv = saidwho(["--db", str(db), "ingest", "--workers", w, *map(str, files)])
                results[w].append(timed(argv, env))
            line = ", ".join(f"{k}: {v[-1].seconds:.2f} s" for k, v in results.items())
            print(f"  run {r + 1}: {line}", flush=True)
    bare = [r.seconds for r in results["bare"]]
    one = [r.seconds for r in results["1"]]
    many = [r.seconds for r in results[str(workers)]]
    print()
    print(f"bare parse (same pipeline and batches) {spread(bare)}")
    print(f"ingest --workers 1                     {spread(one)}")
    print(f"ingest --workers {workers}                     {spread(many)}")
    ratio = [o / b for o, b in zip(one, bare, strict=True)]
    speed = [o / m for o, m in zip(one, many, strict=True)]
    print(f"1 worker / bare parse                  {spread(ratio, 'x', 3)}  (target <= 1.10)")
    print(f"speed-up {workers} workers vs 1              {spread(speed, 'x', 2)}  (target >= 1.7)")
    for name, runs in results.items():
        label = "bare parse" if name == "bare" else f"ingest --workers {name}"
        rss = [r.max_rss_mb for r in runs]
        pss = [r.tree_pss_mb for r in runs]
        print(
            f"peak memory, {label:<20} largest process {spread(rss, 'MB', 0)}; "
            f"whole tree (PSS) {spread(pss, 'MB', 0)}"
        )
    for name, runs in results.items():
        label = "bare parse" if name == "bare" else f"ingest --workers {name}"
        cpu = [r.cpu_seconds for r in runs]
        print(f"CPU time (user+sys), {label:<20} {spread(cpu)}")
    # A shared machine stretches wall times unevenly; CPU seconds hardly move. The critical
    # path (parent + busiest worker) is what the wall time would be with a core per process.
    crit_one = [r.critical_cpu for r in results["1"]]
    crit_many = [r.critical_cpu for r in results[str(workers)]]
    crit_bare = [r.critical_cpu for r in results["bare"]]
    for label, crit in (("bare parse", crit_bare), ("ingest --workers 1", crit_one)):
        print(f"CPU critical path, {label:<22} {spread(crit)}")
    print(
        f"CPU critical path, ingest --workers {workers}   {spread(crit_many)}  (parent + busiest)"
    )
    ratio_cpu = [o / b for o, b in zip(crit_one, crit_bare, strict=True)]
    speed_cpu = [o / m for o, m in zip(crit_one, crit_many, strict=True)]
    print(f"from CPU: 1 worker / bare parse        {spread(ratio_cpu, 'x', 3)}")
    print(f"from CPU: speed-up {workers} vs 1, a core each  {spread(speed_cpu, 'x', 2)}")
    print(f"load average after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def big(megabytes: float, workers: int, env: dict[str, str]) -> None:
    seed = SEED.read_text(encoding="utf-8")
    copies = max(1, int(megabytes * 1_000_000 // len(seed.encode("utf-8"))))
    with tempfile.TemporaryDirectory(prefix="saidwho-big-") as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text("Big file\n\n" + "\n\n".join([seed] * copies), encoding="utf-8")
        size = path.stat().st_size
        print(f"one file of {size / 1e6:.1f} MB ({copies} copies of the seed article)")
        for w in [workers]:  # one run: a 10 MB file takes minutes
            db = Path(tmp) / f"lib-{w}"
            run = timed(saidwho(["--db", str(db), "ingest", "--workers", str(w), str(path)]), env)
            rate = size / run.seconds / 1000
            print(
                f"ingest --workers {w}: {run.seconds:.1f} s ({rate:.0f} kB/s), "
                f"largest process {run.max_rss_mb:.0f} MB, whole tree (PSS) "
                f"{run.tree_pss_mb:.0f} MB",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="the many-worker run")
    parser.add_argument("--big", action="store_true", help="time one file near 10 MB instead")
    parser.add_argument("--big-mb", type=float, default=9.5)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SAIDWHO_DB", None)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before")
    if args.big:
        big(args.big_mb, args.workers, env)
    else:
        scaling(args.articles, args.repeat, args.workers, env)


if __name__ == "__main__":
    main()
