"""How the reader feels at 100, 1,000 and 10,000 articles (~15 quotes each).

Libraries are built once by ``build_library.py`` under ``--dir`` and reused. For each size:

- cold start: a real subprocess, from process start until the refresh that paints the
  list's first page (the child runs the app headless at 120x36 with Pilot and prints from
  that refresh), and until the whole list is read and the table focused
- open: Enter in the library until the reader has painted the article and all its quotes
- jump: Enter on a quote until the article has centred its sentence
- filter: each keystroke typed into the library filter until the filtered table is painted
- note save: ctrl+s in the note editor until the notes panel has painted the new note;
  "durable": until the note is on disk (fsynced) and the panel has painted it as saved
- review: x (dispute / withdraw) on a quote until the quote panel has painted the verdict;
  "durable": until the verdict is on disk and the panel has painted the stored state
  (the reader paints a note or verdict at once and writes it in a worker; before that
  change the first paint came after the write, so both figures were one)
- list --json: ``saidwho list --json`` as a subprocess
- memory: the cold-start child's peak RSS once the whole list is read, and after filtering
  and opening an article

Every figure is the median of repeated runs (timings on a shared 2-core machine are noisy).
The TUI figures are measured from the key press to the first paint that shows the result,
with notifications (toasts) shown as a user sees them.

    .venv/bin/python benchmarks/tui_scale.py [--sizes 100,1000,10000] [--dir /tmp/saidwho-scale]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_library import build, ingest_base, originals  # noqa: E402
from tui_open_article import Frames, settle, timed, timed_until  # noqa: E402

from saidwho.store import Library  # noqa: E402
from saidwho.store.article_rows import first_page  # noqa: E402

SIZE = (120, 36)
FILTER_WORDS = ["council", "ruiz"]

CHILD = textwrap.dedent(
    """
    import asyncio, sys

    from saidwho.store import Library
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.screens.library import LibraryScreen
    from saidwho.tui.screens.reader import ReaderScreen

    root, expected = sys.argv[1], int(sys.argv[2])

    async def until(check):
        while not check():
            await asyncio.sleep(0.002)

    # the first paint: the refresh after the first page is in the table (the whole list
    # is read after it, in a worker)
    painted = []
    first_page = LibraryScreen._first_page

    def on_first_page(self, page):
        first_page(self, page)
        self.call_after_refresh(lambda: (print("painted", flush=True), painted.append(1)))

    LibraryScreen._first_page = on_first_page

    async def main():
        app = SaidwhoApp(Library(root))
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: painted)
            def ready():
                screen = app.screen
                if not isinstance(screen, LibraryScreen) or not screen.loaded:
                    return False
                table = screen.query_one("#articles")
                return len(screen.shown) == expected and app.focused is table
            await until(ready)
            print("ready", flush=True)
            kb = next(int(line.split()[1]) for line in open("/proc/self/status")
                      if line.startswith("VmHWM"))
            print(f"rss-list {kb / 1024:.1f}", flush=True)
            await pilot.press("slash", "c")
            await pilot.pause()
            await pilot.press("escape")
            await until(lambda: len(app.screen.shown) == expected)
            await pilot.press("enter")
            await until(lambda: isinstance(app.screen, ReaderScreen)
                        and app.screen.article is not None)
            await pilot.pause()
            # VmHWM: this process's own peak (ru_maxrss would count the parent's at the fork)
            kb = next(int(line.split()[1]) for line in open("/proc/self/status")
                      if line.startswith("VmHWM"))
            print(f"rss {kb / 1024:.1f}", flush=True)

    asyncio.run(main())
    """
)


def library_for(root: Path, size: int, base_dir: Path) -> Path:
    path = root / f"lib-{size}"
    if not (path / "catalog" / "index.json").exists():  # built: notes.json goes at schema 3
        base = originals(ingest_base(base_dir))
        path.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        quotes = build(path, size, base)
        print(f"built {path}: {size:,} articles, {quotes:,} quotes in "
              f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    if not (path / "trail-index" / "meta.json").exists():
        # the reader asks for trail counts on every open; the first ask builds the index
        # of the whole library once (minutes at 100,000 articles), which would run in the
        # background of every figure and keep the cold-start child from exiting
        from saidwho.store import trail_shards

        started = time.perf_counter()
        trail_shards.ensure(Library(path).files)
        print(f"indexed quote trails of {path} in {time.perf_counter() - started:.1f} s",
              flush=True)  # fmt: skip
    return path


def cold_start(
    path: Path, expected: int, runs: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds to the first painted page and to the whole list read; the peak RSS (MB) once
    the list is read, and after a filter and an article opened."""
    times: list[float] = []
    whole: list[float] = []
    rss: list[float] = []
    rss_list: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(expected)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        took = time.perf_counter() - started
        if line.strip() != "painted":
            raise RuntimeError(f"cold start child: {line!r}")
        times.append(took)
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"cold start child: {line!r}")
        whole.append(time.perf_counter() - started)
        for line in proc.stdout:
            if line.startswith("rss "):
                rss.append(float(line.split()[1]))
            if line.startswith("rss-list "):
                rss_list.append(float(line.split()[1]))
        proc.wait()
    return times, whole, rss_list, rss


def list_json(path: Path, runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("saidwho")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(exe), "--db", str(path), "list", "--json"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - started)
    return times


async def drive(path: Path, frames: Frames, runs: int) -> dict[str, list[float]]:
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.screens.dialogs import NoteEditor
    from saidwho.tui.screens.library import LibraryScreen, matches
    from saidwho.tui.screens.reader import ReaderScreen
    from saidwho.tui.widgets.article_view import ArticleView
    from saidwho.tui.widgets.panels import NoteList, QuoteList

    library = Library(path)
    names = ("open", "jump", "filter", "note", "note_durable", "review", "review_durable")
    figures: dict[str, list[float]] = {k: [] for k in names}
    # which query the table was last filled for: a paint counts only once it shows this one
    original_refill = LibraryScreen.refill

    def refill(self: LibraryScreen) -> None:
        original_refill(self)
        self.bench_query = self.query_one("#filter").value  # type: ignore[attr-defined]

    LibraryScreen.refill = refill  # type: ignore[method-assign]
    app = SaidwhoApp(library, watch=None)
    made_notes: list[str] = []
    try:
        # toasts on, as for a user (Pilot turns them off by default): "Note saved." is part
        # of what a save paints, and the only paint when a write changes nothing on screen
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await asyncio.sleep(0.5)  # the list is on screen; nobody has pressed a key yet
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            articles = list(screen.shown)

            def shown(article: Any) -> bool:
                s = app.screen
                if not isinstance(s, ReaderScreen) or s.article is None:
                    return False
                panel = s.query_one(QuoteList)
                return (
                    s.article_id == article.id
                    and len(panel.quotes) == article.quotes
                    and (article.quotes == 0 or panel.selected is not None)
                )

            # open: rows near the top and far down the list, another article each time
            rows = [0, 7, len(articles) // 2, len(articles) - 3, 3][: max(2, runs)]
            for row in rows * 2:
                article = screen.shown[row]
                screen.query_one("#articles").move_cursor(row=row, animate=False)
                await pilot.pause()
                figures["open"].append(
                    await timed(pilot, frames, "enter", lambda a=article: shown(a))
                )
                await settle(pilot)
                await pilot.press("q")
                await settle(pilot)

            # the reader on the article with the most quotes in the first rows
            row, article = max(enumerate(screen.shown[:50]), key=lambda ra: ra[1].quotes)
            screen.query_one("#articles").move_cursor(row=row, animate=False)
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            panel = reader.query_one(QuoteList)
            view = reader.query_one(ArticleView)
            quotes = panel.quotes
            for quote in [quotes[-1], quotes[len(quotes) // 2], quotes[1]] * max(1, runs // 2):
                panel.select(quote.id)
                await pilot.pause()
                span = (quote.sentence_start, quote.sentence_end)
                figures["jump"].append(
                    await timed(pilot, frames, "enter", lambda s=span: view.focus_span == s)
                )
                await settle(pilot)

            notes = reader.query_one(NoteList)
            for i in range(runs):
                panel.focus()
                panel.select(quotes[i % len(quotes)].id)
                await pilot.pause()
                await pilot.press("n")
                await settle(pilot)
                assert isinstance(app.screen, NoteEditor)
                await pilot.press(*"bench")
                await pilot.pause()
                count = len(notes.notes)
                painted, durable = await timed_until(
                    pilot,
                    frames,
                    "ctrl+s",
                    lambda c=count: len(notes.notes) > c,
                    lambda: not getattr(reader, "saving_notes", ()),
                )
                figures["note"].append(painted)
                figures["note_durable"].append(durable)
                await settle(pilot)
                made_notes += [n.id for n in notes.notes]

            panel.focus()
            panel.select(quotes[0].id)
            await pilot.pause()
            for _ in range(2 * runs):  # dispute, withdraw, ...
                before = panel.selected.disputed if panel.selected else None
                painted, durable = await timed_until(
                    pilot,
                    frames,
                    "x",
                    lambda b=before: panel.selected is not None and panel.selected.disputed != b,
                    lambda: not getattr(reader, "saving_verdicts", ()),
                )
                figures["review"].append(painted)
                figures["review_durable"].append(durable)
                await settle(pilot)

            await pilot.press("q")
            await settle(pilot)
            screen.query_one("#articles").focus()
            await pilot.press("slash")
            await settle(pilot)
            for word in FILTER_WORDS:
                typed = ""
                for char in word:
                    typed += char
                    figures["filter"].append(
                        await timed(
                            pilot,
                            frames,
                            char,
                            lambda t=typed: getattr(screen, "bench_query", None) == t,
                        )
                    )
                    await settle(pilot)
                want = [a.id for a in articles if matches(a, typed)]
                assert sorted(a.id for a in screen.shown) == sorted(want), "filter is wrong"
                for _ in word:
                    await pilot.press("backspace")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
    finally:
        LibraryScreen.refill = original_refill  # type: ignore[method-assign]
    for note_id in set(made_notes):  # leave the library as it was built, for the next run
        library.delete_note(note_id)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/saidwho-scale"))
    parser.add_argument("--runs", type=int, default=5, help="repeats of each measurement")
    parser.add_argument("--start-only", action="store_true", help="the cold start and memory alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    frames = Frames()
    table: dict[str, dict[int, float]] = {}

    def put(label: str, size: int, values: list[float], scale: float = 1000.0) -> None:
        table.setdefault(label, {})[size] = statistics.median(values) * scale

    for size in sizes:
        path = library_for(args.dir, size, args.dir / "base")
        # `scale_actions.py` ingests more; the index counts them without reading a shard
        count = first_page(Library(path), 1).total
        starts, whole, rss_list, rss = cold_start(path, count, max(3, args.runs // 2 + 1))
        put("cold start to first painted list (ms)", size, starts)
        put("  ... until the whole list is read (ms)", size, whole)
        put("reader peak memory, the list read (MB RSS)", size, rss_list, scale=1.0)
        put("reader peak memory (MB RSS)", size, rss, scale=1.0)
        if args.start_only:
            print(f"measured {size:,}", flush=True)
            continue
        figures = asyncio.run(drive(path, frames, args.runs))
        put("open an article (ms)", size, figures["open"])
        put("jump to a quote (ms)", size, figures["jump"])
        put("filter keystroke (ms)", size, figures["filter"])
        table.setdefault("filter keystroke, worst (ms)", {})[size] = 1000 * max(figures["filter"])
        put("save a note (ms)", size, figures["note"])
        put("  ... until on disk and painted (ms)", size, figures["note_durable"])
        put("review action: dispute/withdraw (ms)", size, figures["review"])
        put("  ... until on disk and painted  (ms)", size, figures["review_durable"])
        put("saidwho list --json (ms)", size, list_json(path, 3))
        print(f"measured {size:,}", flush=True)

    targets = {
        "cold start to first painted list (ms)": "<= 1500, <= 1.3x of 1,000",
        "open an article (ms)": "<= 50",
        "jump to a quote (ms)": "<= 16",
        "filter keystroke (ms)": "<= 30",
        "filter keystroke, worst (ms)": "",
        "save a note (ms)": "<= 20, flat",
        "review action: dispute/withdraw (ms)": "<= 20, flat",
        "saidwho list --json (ms)": "<= 1000",
        "reader peak memory (MB RSS)": "<= 400",
    }
    head = f"{'median of repeated runs':40s}" + "".join(f"{s:>10,}" for s in sizes)
    print("\n" + head + "   target")
    for label, values in table.items():
        cells = "".join(f"{values[s]:10.1f}" if s in values else f"{'':10s}" for s in sizes)
        print(f"{label:40s}{cells}   {targets.get(label, '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
