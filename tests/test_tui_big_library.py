"""A library of a few hundred articles: the virtual table and the narrowing filter show
exactly what a full rebuild would, and the store's summaries follow notes and reviews."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input
from tui_support import settle, wait_until

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.library import LibraryScreen, matches
from saidwho.tui.screens.reader import ReaderScreen

SIZE = (120, 36)
TOPICS = ["river bridge", "school budget", "rivals cup", "harbour fees", "tram line"]
SPEAKERS = ["Lena Park", "Ana Ruiz", "Tom Berg"]
COUNT = 150


def story(n: int) -> tuple[Article, list[Quote]]:
    topic = TOPICS[n % len(TOPICS)]
    speaker = SPEAKERS[n % len(SPEAKERS)]
    text = f"Story {n} on the {topic}\n\n“We will decide soon on item {n},” said {speaker}.\n"
    start = text.index("“")
    end = text.index("”") + 1
    quote = Quote("direct", start, end, start, len(text) - 1, 0.9, speaker=speaker)
    article = Article(
        text=text,
        title=f"Story {n:03d} on the {topic}",
        source=f"Paper {n % 7}",
        date=f"2025-01-{1 + n % 28:02d}",
        path=f"/news/{n:03d}.txt",
        paragraphs=paragraph_spans(text),
    )
    return article, [quote]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big") / "library"
    Library(root).save_articles(story(n) for n in range(COUNT))
    return root


async def test_virtual_table_filter_and_sort_match_a_full_rebuild(big):
    app = SaidwhoApp(Library(big), watch=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one("#articles", DataTable)
        assert table.row_count == COUNT
        everything = list(screen.shown)
        # a row far below the screen builds its cells when read
        assert table.get_row_at(COUNT - 1)[1].plain == everything[-1].title

        await pilot.press("slash", *"riv")
        want = [a for a in everything if matches(a, "riv")]  # river bridge and rivals cup
        assert screen.shown == want and table.row_count == len(want)
        await pilot.press("e")  # narrows the last result: "rive"
        assert screen.shown == [a for a in everything if matches(a, "rive")]
        await pilot.press("backspace", "backspace")  # widens again: "ri"
        assert screen.shown == [a for a in everything if matches(a, "ri")]
        assert isinstance(app.focused, Input)
        app.focused.value = "ruiz tram"  # two words: a speaker and a topic
        await pilot.pause()
        assert screen.shown == [a for a in everything if matches(a, "ruiz tram")]
        assert screen.shown and all("tram" in a.title for a in screen.shown)

        await pilot.press("enter")  # back to the table, filter kept
        await pilot.press("o")  # sort by title while filtered
        titles = [a.title for a in screen.shown]
        assert titles == sorted(titles, key=str.lower)
        assert len(titles) == table.row_count
        await pilot.press("escape")  # clears the filter: every article, still by title
        await settle(pilot)
        assert table.row_count == COUNT
        assert [a.title for a in screen.shown] == sorted(
            (a.title for a in everything), key=str.lower
        )

        await pilot.press("G")  # the last row, far below the first screen
        assert table.cursor_row == COUNT - 1
        last = screen.shown[-1]
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.article_id == last.id,
        )


def test_summaries_follow_notes_reads_and_reviews(big, tmp_path):
    root = tmp_path / "library"
    shutil.copytree(big, root)
    lib = Library(root)
    before = {a.id: a for a in lib.articles()}
    noted, reviewed = list(before)[:2]
    note = lib.add_note(noted, start=0, end=5, text="check")
    lib.mark_read(noted)
    quote = lib.quotes(reviewed)[0]
    lib.review_quote(reviewed, quote.id, speaker="Someone Else")
    after = {a.id: a for a in lib.articles()}
    assert list(after) == list(before)  # same order
    assert (after[noted].notes, after[noted].read) == (1, True)
    assert after[reviewed].speakers == ("Someone Else",)
    unchanged = [aid for aid in before if aid not in (noted, reviewed)]
    assert all(after[aid] == before[aid] for aid in unchanged)
    assert lib.summary(noted) == after[noted]

    # another process sees the same (it reads the files, not this process's caches)
    other = Library(root)
    assert other.summary(noted).notes == 1
    lib.delete_note(note.id)
    lib.mark_read(noted, read=before[noted].read)
    lib.review_quote(reviewed, quote.id, speaker=None)
    assert {a.id: a for a in other.articles()} == before


async def test_rows_moved_by_the_filter_are_drawn_and_clicked_as_themselves(big):
    """A cell drawn once is reused when a keystroke moves its row: it must show the row's
    own text and stripe, and a click on it must select the row it is on now."""
    app = SaidwhoApp(Library(big), watch=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one("#articles", DataTable)
        everything = list(screen.shown)
        await pilot.pause()  # the first rows are drawn where they are
        await pilot.press("slash", *"tram")
        await pilot.pause()
        want = [a for a in everything if matches(a, "tram")]
        assert screen.shown == want
        row = 2
        moved = want[row]
        assert everything.index(moved) != row  # drawn before at another row
        line = table.render_line(table.header_height + row).text
        assert moved.title[:24] in line and want[row - 1].title[:24] not in line
        await pilot.press("enter")  # back to the table, the filter kept
        y = table.content_region.y - table.region.y + table.header_height + row
        await pilot.click("#articles", offset=(8, y))
        await pilot.pause()
        assert table.cursor_row == row
        assert screen.current_id() == moved.id
