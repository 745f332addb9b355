"""The review queue (``w`` in the library) at 1,000 and 100,000 articles, in the app (Pilot).

For each library given (built by ``build_library.py``; copy it first: the queue's files are
written into it, and the verdicts timed here are written to its notes):

- open: ``w`` in the library (its list read, the start-up warm-up done: the speaker
  identities built) until the queue has painted its first page; a fresh process each run,
  the queue's files read on ``w`` ("open") or by the warm-up ("read ahead"), and a second
  ``w`` after ``q`` in the same process ("again"). The first run of a library whose queue
  files are missing builds them (every article read once): that run is printed apart.
- filter: each ``w`` in the queue (unreviewed, low confidence, unattributed, disputed, all,
  needs review) until the new filter's first page is painted
- verdict: ``x`` (dispute, then withdraw) on a row until the queue has painted the verdict
  (the row's mark), and until it is on disk and painted as the store returned it
- before: ``fetch_queue`` (every article opened, what the queue did before its index), in
  seconds, at the sizes given with ``--scan`` (minutes at 100,000)

Every figure is a median; timings on a shared 2-core machine are noisy: give the load.

    .venv/bin/python benchmarks/queue_scale.py /tmp/queue/lib-1000 /tmp/queue/lib-100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import asyncio, sys, time
    sys.path.insert(0, sys.argv[2])
    from tui_open_article import Frames, timed, timed_until

    from saidwho.store import Library
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.screens.library import LibraryScreen
    from saidwho.tui.screens.queue import FILTERS, ReviewQueueScreen

    root, runs, ahead = sys.argv[1], int(sys.argv[3]), sys.argv[4] == "1"
    if not ahead:  # the queue's files are read on ``w``, not by the start-up warm-up
        import saidwho.store.queue_index as queue_index
        queue_index.warm = lambda lib: None

    async def until(check):
        while not check():
            await asyncio.sleep(0.002)

    def queue_painted():
        screen = app.screen
        return isinstance(screen, ReviewQueueScreen) and bool(screen.shown) and (
            screen.query_one("#queue-table").row_count == len(screen.shown))

    async def main():
        global app
        frames = Frames()
        app = SaidwhoApp(Library(root), watch=None)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded)
            await app.workers.wait_for_complete()
            took = await timed(pilot, frames, "w", queue_painted, timeout=900)
            queue = app.screen
            print(f"open {took:.4f} {len(queue.order)}", flush=True)
            for _ in range(runs):
                for name in list(FILTERS)[1:] + [list(FILTERS)[0]]:
                    took = await timed(pilot, frames, "w",
                        lambda name=name: queue.filter == name and queue_painted()
                        and queue.sub_title.startswith(FILTERS[name]), timeout=60)
                    print(f"filter {took:.4f} {name}", flush=True)
            await app.workers.wait_for_complete()
            for i in range(2 * runs):
                quote = queue.current
                want = not quote.disputed
                def shown():
                    now = queue.current
                    return now is not None and now.id == quote.id and now.disputed == want
                first, durable = await timed_until(pilot, frames, "x", shown,
                    lambda: all(w.is_finished for w in app.workers), timeout=60)
                print(f"verdict {first:.4f} {durable:.4f}", flush=True)
                await app.workers.wait_for_complete()
            await pilot.press("q")
            await until(lambda: isinstance(app.screen, LibraryScreen))
            took = await timed(pilot, frames, "w", queue_painted, timeout=60)
            print(f"warm {took:.4f}", flush=True)
            # the library's list read again behind the queue (the verdicts changed the
            # notes): done before the app goes, or its answer finds no table
            await app.workers.wait_for_complete()

    asyncio.run(main())
    """
)


def child(path: Path, runs: int, ahead: bool) -> dict[str, list[float]]:
    here = Path(__file__).resolve().parent
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(here), str(runs), "1" if ahead else "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    figures: dict[str, list[float]] = {}
    for line in out.stdout.splitlines():
        name, value, *rest = line.split()
        if name == "verdict":
            figures.setdefault("verdict", []).append(float(value))
            figures.setdefault("verdict_durable", []).append(float(rest[0]))
        else:
            figures.setdefault(name, []).append(float(value))
            if name == "open":
                figures.setdefault("rows", []).append(float(rest[0]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("libraries", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per library")
    parser.add_argument("--scan", default="", help="libraries (names) to time the full scan on")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = []
    for path in args.libraries:
        first = child(path, 1, False) if not (path / "queue").is_dir() else None
        if first is not None:
            print(f"{path.name}: first open, queue files built: {first['open'][0]:.2f} s")
        runs = [child(path, 1, ahead) for _ in range(args.runs) for ahead in (False, True)]
        merged: dict[str, list[float]] = {}
        for i, figures in enumerate(runs):
            for key, values in figures.items():
                name = "ahead" if key == "open" and i % 2 else key
                merged.setdefault(name, []).extend(values)
        med = {key: statistics.median(v) for key, v in merged.items()}
        line = (
            f"{path.name:>14}  quotes in queue {int(med['rows']):>9,}  open {med['open']:6.3f} s"
            f"  read ahead {med['ahead']:6.3f} s  again {med['warm']:6.3f} s"
            f"  filter {med['filter']:6.3f} s (max "
            f"{max(merged['filter']):.3f})  verdict {med['verdict'] * 1000:5.1f} ms"
            f" (durable {med['verdict_durable'] * 1000:5.1f} ms)"
        )
        print(line, flush=True)
        rows.append(line)
        if path.name in args.scan.split(","):
            from saidwho.store import Library
            from saidwho.tui.screens.queue import fetch_queue

            started = time.perf_counter()
            n = len(fetch_queue(Library(path)))
            print(f"{path.name}: full scan (before) {time.perf_counter() - started:.2f} s, {n:,}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
