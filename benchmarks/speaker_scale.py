"""Speaker identities at scale: what naming quotes and listing speakers cost at each library
size, with the identities kept by name group on disk (store/speaker_index.py).

Give it libraries built by ``build_library.py`` (COPIES: it ingests into them), smallest
first. The libraries are measured in turn, round after round (the other sessions' load
hits all alike), and each figure is the median of ``--runs`` rounds; as whole ``saidwho``
processes (with their peak RSS):

- ``speakers`` (the table) and ``speakers --json``
- ``quotes ARTICLE``, ``cite QUOTE``, ``review QUOTE``; ``ingest`` of one new article and
  ``quotes ARTICLE`` as the first command after it (the ingest updated the index: nothing
  is built)
- in-process: the index update of one saved article (``after_change``: its groups resolved
  and rewritten), and the first ``speakers()`` of a library without an index (the one-time
  build, on a copy of the speaker files set aside and put back)
- the reader: from ``s`` on the library screen to the speakers table filled (Pilot), and
  the process's peak RSS once an article was opened too (its quotes named)

The last line of each table is the ratio of the largest library to the smallest. Give the
load average with any figure (printed).

    python benchmarks/speaker_scale.py /tmp/ident/lib-1000 /tmp/ident/lib-100000 [--runs 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_actions import run  # noqa: E402

from saidwho.core.quote import Quote  # noqa: E402
from saidwho.readers.article import Article  # noqa: E402
from saidwho.store import Library, records  # noqa: E402
from saidwho.store.speakers import Speakers  # noqa: E402

READER = """
import asyncio, sys, time
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.panels import QuoteList

filled = []
loaded = SpeakersScreen._loaded
def _loaded(self, speakers):
    loaded(self, speakers)
    filled.append(time.perf_counter())  # the table filled (the UI thread, as a user sees it)
SpeakersScreen._loaded = _loaded

def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

async def main():
    app = SaidwhoApp(Library(sys.argv[1]), watch=None)
    async with app.run_test(size=(120, 36)) as pilot:
        while not (isinstance(app.screen, LibraryScreen) and app.screen.shown):
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        started = time.perf_counter()
        await pilot.press("s")
        while not filled:
            await pilot.pause(0.005)
        took = filled[0] - started
        await pilot.press("q")
        while not isinstance(app.screen, LibraryScreen):
            await pilot.pause(0.01)
        await pilot.press("enter")  # the first article, its quotes named
        def opened():
            s = app.screen
            if not isinstance(s, ReaderScreen) or s.article is None:
                return False
            return bool(s.query_one(QuoteList).quotes)
        while not opened():
            await pilot.pause(0.01)
        await pilot.pause(0.5)
        print(f"{took:.4f} {peak():.0f}", flush=True)

asyncio.run(main())
"""


def middle_article(path: Path) -> str:
    """An article in the middle of the library's ids (read from the catalog index alone)."""
    ids = sorted(f.stem for f in (path / "articles").glob("7f/*.json"))
    return ids[len(ids) // 2]


def new_article(path: Path, like: str, n: int) -> Path:
    """A text file with the words of ``like`` and one new line (so it ingests as new)."""
    body = json.loads((path / "articles" / like[:2] / f"{like}.json").read_bytes())
    text = records.body_article(body)["text"]
    file = path.parent / f"speaker-scale-{path.name}-{time.time_ns()}-{n}.txt"
    file.write_text(text + f"\nA line that makes copy {file.stem} new.\n", encoding="utf-8")
    return file


def index_update(path: Path, like: str, runs: int) -> float:
    """Median seconds of the index update after one saved article (in this process)."""
    lib = Library(path)
    body = lib.files.body(like)
    article = Article.from_json(records.body_article(body))
    quotes = [Quote.from_json(q) for q in records.body_quotes(body)]
    spent: list[float] = []
    original = Speakers.after_change

    def timed(self: Speakers, ids: object) -> None:
        started = time.perf_counter()
        original(self, ids)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - started)

    Speakers.after_change = timed  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            text = article.text + f"\nAnother line {time.time_ns()}.\n"
            new = dataclasses.replace(article, text=text, path=f"/bench/{time.time_ns()}.txt")
            Library(path).save_articles([(new, quotes)])
    finally:
        Speakers.after_change = original  # type: ignore[method-assign]
    return statistics.median(spent)


def first_build(path: Path) -> tuple[float, float]:
    """(seconds, peak MB of a child) of the first ``speakers()`` of a library without an
    index: the speaker files are set aside, built again, and the built ones kept."""
    folder = path / "speakers"
    aside = path / "speakers.aside"
    folder.rename(aside)
    try:
        code = (
            "import sys, time, resource\n"
            "from saidwho.store import Library\n"
            "t = time.perf_counter(); Library(sys.argv[1]).speakers()\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
        ).stdout.split()
        return float(out[0]), int(out[1]) / 1024
    finally:
        if folder.exists():
            import shutil

            shutil.rmtree(aside)
        else:
            aside.rename(folder)


def reader(path: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", READER, str(path)], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def measure_round(path: Path, n: int) -> dict[str, tuple[float, float]]:
    """One run of every action on one library: action -> (seconds, peak MB)."""
    db = ["--db", str(path)]
    aid = middle_article(path)
    body = json.loads((path / "articles" / aid[:2] / f"{aid}.json").read_bytes())
    quotes = sorted(body["quotes"].values(), key=lambda q: (q["start"], q["end"]))
    qid = str(quotes[len(quotes) // 2]["id"])
    out: dict[str, tuple[float, float]] = {}

    def once(name: str, argv: list[str]) -> None:
        _, took, peak = run([*db, *argv])
        out[name] = (took, peak)

    once("speakers", ["speakers"])
    once("speakers --json", ["speakers", "--json"])
    once("quotes ARTICLE", ["quotes", aid])
    once("cite QUOTE", ["cite", qid])
    once("review QUOTE", ["review", qid, "--dispute" if n % 2 == 0 else "--undispute"])
    once("ingest one article", ["ingest", str(new_article(path, aid, n))])
    once("quotes, first after ingest", ["quotes", aid])
    out["index update of one save"] = (index_update(path, aid, 1), float("nan"))
    out["reader: s to speakers filled"] = reader(path)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("libraries", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="skip the one-time build")
    args = parser.parse_args()
    for path in args.libraries:
        Library(path).speakers()  # the index, built once if the library has none
    rounds: dict[Path, list[dict[str, tuple[float, float]]]] = {p: [] for p in args.libraries}
    print(f"load average before: {os.getloadavg()}", flush=True)
    # the libraries in turn, round after round: the other sessions' load hits both alike
    for n in range(args.runs):
        for path in args.libraries:
            rounds[path].append(measure_round(path, n))
    table = {
        path: {
            name: (
                statistics.median(r[name][0] for r in got),
                max(r[name][1] for r in got),
            )
            for name in got[0]
        }
        for path, got in rounds.items()
    }
    if not args.no_build:
        for path in args.libraries:
            table[path]["first build (no index yet)"] = first_build(path)
    first, last = args.libraries[0], args.libraries[-1]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nmedian of {args.runs} interleaved runs; load average after {load}")
    print(f"{'':30s}" + "".join(f"{p.name:>14s} s" for p in args.libraries) + "  peak MB" * 2)
    for name in table[first]:
        secs = [table[p][name][0] for p in args.libraries]
        mbs = [table[p][name][1] for p in args.libraries]
        ratio = table[last][name][0] / table[first][name][0]
        print(
            f"{name:30s}"
            + "".join(f"{s:16.3f}" for s in secs)
            + "".join(f"{m:9.0f}" for m in mbs)
            + f"   {ratio:6.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
