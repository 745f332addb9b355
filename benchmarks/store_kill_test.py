"""Nothing lost: SIGKILL a process that is adding notes, again and again, and count losses.

A child adds notes in a loop and prints each note id only after ``add_note`` returned (the
moment the user would see "saved"). The parent kills it at a random moment, opens the library
afresh and checks that every printed id is there and every file still parses.

    python benchmarks/store_kill_test.py [--kills 50] [--seed N] [--dir PATH]

Prints: kills, notes acknowledged, lost. Exit status 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library, doctor  # noqa: E402

TEXT = (
    "Ministers met on Monday.\n\n"
    '"We will not give up," said the minister of finance, Ana Ruiz.\n\n'
    "Critics said the plan would fail, according to a statement.\n"
)


@dataclass
class KillResult:
    kills: int
    acknowledged: int
    lost: int
    seconds: float


def make_library(root: Path) -> str:
    lib = Library(root)
    article = Article(text=TEXT, title="Kill test", paragraphs=paragraph_spans(TEXT))
    article_id, _ = lib.save_article(article, [])
    return article_id


def child(root: Path, article_id: str) -> None:
    """Add notes forever; an id is printed only once the note is durably saved."""
    lib = Library(root)
    n = 0
    while True:
        n += 1
        note = lib.add_note(article_id, start=0, end=9, text=f"note {n}", tags=["kill"])
        sys.stdout.write(note.id + "\n")
        sys.stdout.flush()


def _spawn(root: Path, article_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", str(root), article_id],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def run(root: Path, kills: int, *, seed: int | None = None, max_delay: float = 0.3) -> KillResult:
    """Kill a note-adding child ``kills`` times; return how many acknowledged notes were lost."""
    rng = random.Random(seed)
    article_id = make_library(root)
    acknowledged: list[str] = []
    lost = 0
    started = time.perf_counter()
    for _ in range(kills):
        proc = _spawn(root, article_id)
        assert proc.stdout is not None
        printed: list[str] = []
        first = threading.Event()

        def pump(stream=proc.stdout, printed=printed, first=first) -> None:
            for line in stream:
                printed.append(line.strip())
                first.set()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        # wait until the child is really writing, then strike at a random moment
        if not first.wait(timeout=30):
            proc.kill()
            raise RuntimeError("child never saved a note")
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join()
        acknowledged += [p for p in printed if p]
        # a fresh open: must not raise, and must hold every acknowledged note
        present = {n.id for n in Library(root).notes()}
        lost += sum(1 for note_id in acknowledged if note_id not in present)
        acknowledged = [n for n in acknowledged if n in present]
    report = doctor(root)
    if report.problems and any("temp file" not in p for p in report.problems):
        raise RuntimeError("library damaged after kills: " + "; ".join(report.problems))
    return KillResult(kills, len(acknowledged), lost, time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--dir", type=Path, default=None, help="library dir (default: temp)")
    parser.add_argument("--child", nargs=2, metavar=("ROOT", "ARTICLE_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp) / "library"
        result = run(root, args.kills, seed=args.seed)
    print(f"kills: {result.kills}")
    print(f"notes acknowledged: {result.acknowledged}")
    print(f"lost: {result.lost}")
    print(f"time: {result.seconds:.1f} s")
    return 1 if result.lost else 0


if __name__ == "__main__":
    sys.exit(main())
