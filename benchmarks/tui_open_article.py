"""How fast the reader opens a long article and moves through its quotes.

Builds a temporary library with two synthetic articles of N quotes each (hand-built
``Quote`` objects: no spaCy), then drives the real app with Pilot at 120x36 and measures:

- first open: Enter in the library until the reader shows the article and all its quotes,
  the first time in the session; the library has sat idle for ``--idle`` seconds first
  (a person looking at the list), as the app prepares the reader screen while idle
- later opens: the same, alternating between the two articles (so nothing of the last
  article is still on screen)
- jump: Enter on a quote until the article has centred its sentence
- keys: j/k in the quotes panel, per keypress (the article follows the selection)
- sentence: j in the article text, per keypress

    .venv/bin/python benchmarks/tui_open_article.py [--quotes 200] [--runs 2] [--idle 0.5]

Target: opening feels instant (under ~150 ms on a laptop-class CPU), the first time too.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from saidwho.core.quote import Quote  # noqa: E402
from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library  # noqa: E402

SPEAKERS = [
    "Lena Park", "Ana Ruiz", "Tom Berg", "Mira Chen", "Omar Haddad", "Jo Smith",
    "Ivo Novak", "Kai Lund", "Rosa Diaz", "Eli Stone", "Noor Aziz", "Ben Cole",
]  # fmt: skip
SIZE = (120, 36)


def synthetic(
    n_quotes: int, title: str = "Long Read: Two Hundred Voices on the River Bridge"
) -> tuple[Article, list[Quote]]:
    """One paragraph per quote: a direct quote split by its attribution, then context."""
    parts: list[str] = [title, ""]
    quotes: list[tuple[int, int, int, int, int, int, str]] = []
    pos = sum(len(p) + 1 for p in parts)
    for i in range(n_quotes):
        speaker = SPEAKERS[i % len(SPEAKERS)]
        surname = speaker.split()[-1]
        head = f"“This is statement {i}, and it matters to the town,” said {surname}. "
        tail = "“We will check every figure before the vote.” "
        context = "The rest of the paragraph gives context a reader might want to check."
        para = head + tail + context
        q_start = pos + 1
        q_end = pos + len(head) + len(tail) - 2
        m_start = pos + head.index(surname)
        cue_start = pos + head.index("said")
        quotes.append(
            (q_start, q_end, pos, pos + len(head) + len(tail) - 1, m_start, cue_start, speaker)
        )
        parts += [para, ""]
        pos += len(para) + 2
    text = "\n".join(parts)
    article = Article(
        text=text,
        title=parts[0],
        source="The Benchmark Ledger",
        date="2025-05-12",
        paragraphs=tuple(paragraph_spans(text)),
    )
    out = []
    for q_start, q_end, s_start, s_end, m_start, cue_start, speaker in quotes:
        surname = speaker.split()[-1]
        out.append(
            Quote(
                "direct", q_start, q_end, s_start, s_end, 0.9 if q_start % 3 else 0.4,
                speaker, m_start, m_start + len(surname), "said", cue_start, cue_start + 4,
            )
        )  # fmt: skip
    return article, out


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


class Frames:
    """Watches the screen's paints (compositor refreshes of the top screen): a change
    counts as seen at the first paint after which ``check()`` holds. Pilot's own waits
    compare process time with wall time, which on a shared CPU adds tens of milliseconds,
    so none are timed here."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.check = None
        self.seen_at: float | None = None
        self.then = None  # a second state, watched at the same time (see timed_until)
        self.then_at: float | None = None
        original = Screen._compositor_refresh

        def painted(screen, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            result = original(screen, *args, **kwargs)
            # only a paint of the top screen reaches the display: a screen below (the
            # library, as the reader is pushed) refreshes without showing anything
            if screen is not screen.app.screen:
                return result
            if self.check is not None and self.check():
                self.seen_at = time.perf_counter()
                self.check = None
            if self.then is not None and self.then():
                self.then_at = time.perf_counter()
                self.then = None
            return result

        Screen._compositor_refresh = painted  # type: ignore[method-assign]


async def timed(pilot, frames: Frames, key: str, check, timeout: float = 10.0) -> float:
    """Seconds from pressing ``key`` until a paint shows the state ``check()`` tests."""
    frames.check, frames.seen_at = check, None
    start = time.perf_counter()
    task = asyncio.create_task(pilot.press(key))
    while frames.seen_at is None:
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{key}: the app did not get there")
        await asyncio.sleep(0.0005)  # not pilot.pause(): that forces a repaint itself
    await task
    return frames.seen_at - start


async def timed_until(
    pilot, frames: Frames, key: str, first, then, timeout: float = 10.0
) -> tuple[float, float]:
    """Seconds from pressing ``key`` until a paint shows ``first()``, and until a paint
    shows ``first()`` and ``then()`` together: e.g. a note shown at once, then its write
    done and the note shown as saved (the same paint if it is written before it shows)."""
    frames.check, frames.seen_at = first, None
    frames.then, frames.then_at = (lambda: first() and then()), None
    start = time.perf_counter()
    task = asyncio.create_task(pilot.press(key))
    while frames.seen_at is None or frames.then_at is None:
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{key}: the app did not get there")
        await asyncio.sleep(0.0005)
    await task
    return frames.seen_at - start, frames.then_at - start


async def measure(
    library: Library, titles: list[str], n_quotes: int, frames: Frames, idle: float
) -> dict[str, list[float]]:
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.screens.library import LibraryScreen
    from saidwho.tui.screens.reader import ReaderScreen
    from saidwho.tui.widgets.article_view import ArticleView
    from saidwho.tui.widgets.panels import QuoteList

    app = SaidwhoApp(library, watch=None)
    figures: dict[str, list[float]] = {
        "first": [],
        "open": [],
        "jump": [],
        "quote_keys": [],
        "sentence_keys": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.sleep(idle)  # the library is on screen; nobody has pressed a key yet

        def shown(title: str) -> bool:
            screen = app.screen
            if not isinstance(screen, ReaderScreen) or screen.article is None:
                return False
            panel = screen.query_one(QuoteList)
            return (
                screen.article.title == title
                and len(panel.quotes) == n_quotes
                and panel.selected is not None
            )

        async def open_row(title: str) -> float:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            row = next(i for i, a in enumerate(screen.shown) if a.title == title)
            screen.query_one("#articles").move_cursor(row=row, animate=False)
            await pilot.pause()
            took = await timed(pilot, frames, "enter", lambda: shown(title))
            await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            return took

        figures["first"].append(await open_row(titles[0]))
        for i in range(1, 5):  # another article each time: nothing of the last one is reused
            figures["open"].append(await open_row(titles[i % 2]))
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        panel = reader.query_one(QuoteList)
        view = reader.query_one(ArticleView)

        for quote in (panel.quotes[-1], panel.quotes[n_quotes // 2], panel.quotes[7]):
            panel.select(quote.id)
            await pilot.pause()
            span = (quote.sentence_start, quote.sentence_end)
            figures["jump"].append(
                await timed(pilot, frames, "enter", lambda s=span: view.focus_span == s)
            )

        panel.focus()
        await pilot.pause()
        for key in ["j"] * 30 + ["k"] * 10:
            before = view.selected_quote
            figures["quote_keys"].append(
                await timed(pilot, frames, key, lambda b=before: view.selected_quote != b)
            )

        view.focus()
        await pilot.pause()
        for _ in range(30):
            before = view.cursor
            figures["sentence_keys"].append(
                await timed(pilot, frames, "j", lambda b=before: view.cursor != b)
            )
        await pilot.press("q")
        await settle(pilot)
    return figures


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--idle", type=float, default=0.5, help="seconds the library shows before the first Enter"
    )
    args = parser.parse_args()
    titles = [
        "Long Read: Two Hundred Voices on the River Bridge",
        "Long Read: The River Bridge Vote, Second Day",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp) / "library")
        for title in titles:
            article, quotes = synthetic(args.quotes, title)
            library.save_article(article, quotes)
        print(
            f"2 articles: {len(article.text):,} chars, {len(quotes)} quotes, "
            f"{len(SPEAKERS)} speakers each; idle before the first open {args.idle:g} s"
        )
        frames = Frames()
        runs = [
            asyncio.run(measure(library, titles, args.quotes, frames, args.idle))
            for _ in range(args.runs)
        ]

    def line(label: str, values: list[float]) -> None:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"{label:38s} median {ms(statistics.median(values))}  p95 {ms(p95)}  (n={len(values)})"
        )

    line("first open (Enter → quotes, painted)", [v for r in runs for v in r["first"]])
    line("later opens, another article", [v for r in runs for v in r["open"]])
    line("quote jump (Enter → centred, painted)", [v for r in runs for v in r["jump"]])
    line("j/k in the quotes panel", [v for r in runs for v in r["quote_keys"]])
    line("j in the article (sentence cursor)", [v for r in runs for v in r["sentence_keys"]])


if __name__ == "__main__":
    main()
