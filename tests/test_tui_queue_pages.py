"""The review queue reads a page of rows at a time (the index gives the order, only the rows
shown are read from their articles): Pilot flows with a page of four rows on a library of
40 articles, against the queue the full scan gives."""

from __future__ import annotations

import pytest
from test_queue_index import scanned, story
from textual.widgets import DataTable
from tui_support import settle, wait_until

from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens import queue as queue_screen
from saidwho.tui.screens.queue import ReviewQueueScreen

SIZE = (120, 36)


@pytest.fixture
def library(tmp_path):
    import random

    rng = random.Random(24)
    lib = Library(tmp_path / "lib")
    lib.save_articles(story(n, rng) for n in range(40))
    return lib


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(queue_screen, "PAGE", 4)
    monkeypatch.setattr(queue_screen, "AHEAD", 1)


def ids(queue: ReviewQueueScreen) -> list[tuple[str, str]]:
    return [(q.article_id, q.id) for q in queue.shown]


async def open_queue(pilot) -> ReviewQueueScreen:
    await settle(pilot)
    await pilot.press("w")
    queue = pilot.app.screen
    assert isinstance(queue, ReviewQueueScreen)
    await wait_until(pilot, lambda: bool(queue.shown))
    return queue


async def test_the_first_page_then_more_as_the_cursor_goes_down(library):
    app = SaidwhoApp(library, watch=None)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        want = scanned(library, "needs review")
        assert ids(queue) == want[:4]  # one page read, in the full scan's order
        assert f"({len(want)})" in queue.sub_title  # counted from the index: every row
        table = queue.query_one(DataTable)
        for _ in range(10):
            table.move_cursor(row=len(queue.shown) - 1)
            await settle(pilot)
        assert len(queue.shown) > 8
        assert ids(queue) == want[: len(queue.shown)]


async def test_filters_and_a_verdict_keep_the_full_scans_order(library):
    app = SaidwhoApp(library, watch=None)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        first = queue.current
        assert first is not None
        await pilot.press("a")  # confirm: it leaves "needs review"
        await settle(pilot)
        assert library.quote(first.article_id, first.id).review == "confirmed"
        want = scanned(library, "needs review")
        assert first.id not in [q.id for q in queue.shown]
        assert ids(queue) == want[: len(queue.shown)]
        assert f"({len(want)})" in queue.sub_title and "1 of " in queue.sub_title
        for name in ("unreviewed", "low", "unattributed", "disputed", "all"):
            await pilot.press("w")
            await settle(pilot)
            assert queue.filter == name
            want = scanned(library, name)
            assert ids(queue) == want[: len(queue.shown)]
            assert len(queue.shown) == min(4, len(want))
        # in "all" the confirmed quote stays, moved to where a sort puts it now
        assert any(q.id == first.id for q in [*queue.shown]) or first.id in {
            qid for _, qid in scanned(library, "all")[4:]
        }
        await pilot.press("x")  # a dispute on the first row of "all"
        await settle(pilot)
        assert ids(queue) == scanned(library, "all")[: len(queue.shown)]


async def test_a_verdict_is_shown_at_once_and_taken_back_if_not_written(library):
    import threading

    from saidwho.store import LibraryError

    release = threading.Event()

    def fail(*args, **kwargs):
        assert release.wait(10), "the test never released the write"
        raise LibraryError("the library is locked")

    app = SaidwhoApp(library, watch=None)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        library.review_quote = fail  # type: ignore[method-assign]
        first = queue.current
        assert first is not None
        before, title = ids(queue), queue.sub_title
        await pilot.press("a")  # painted before the write: the row leaves at once
        await wait_until(pilot, lambda: first.id not in [q.id for q in queue.shown])
        assert "1 of " in queue.sub_title
        release.set()
        await settle(pilot)
        assert ids(queue) == before  # taken back: the row where it was
        assert queue.sub_title == title
        assert [n for n in app.notifications if n.severity == "error"]
