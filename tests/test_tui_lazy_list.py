"""The library list read page first (store/article_rows.py): the first page from the index
and a small file, the whole list from per-shard list files. It must be the very list
``Library.articles()`` gives (order, fields, counts, filter), follow the user's notes, read
marks and reassigned speakers, and show what another process writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_support import settle, wait_until

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
from saidwho.store.article_rows import (
    ListRow,
    article_list,
    counts_path,
    first_page,
    list_path,
)
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.library import FIRST_PAGE, LibraryScreen, matches

SIZE = (120, 36)
TOPICS = ["river bridge", "school budget", "rivals cup", "harbour fees", "tram line"]
SPEAKERS = ["Lena Park", "Ana Ruiz", "Tom Berg", "lena park"]  # two spellings: one name
COUNT = FIRST_PAGE + 30  # more than the first page


def story(n: int, prefix: str = "Story") -> tuple[Article, list[Quote]]:
    topic = TOPICS[n % len(TOPICS)]
    speaker = SPEAKERS[n % len(SPEAKERS)]
    other = SPEAKERS[(n + 1) % len(SPEAKERS)]
    text = (
        f"{prefix} {n} on the {topic}\n\n“We will decide soon on item {n},” said {speaker}.\n\n"
        f"“Not before the vote,” said {other}.\n"
    )
    quotes = []
    for who in (speaker, other):
        start = text.index("“", quotes[-1].end if quotes else 0)
        end = text.index("”", start) + 1
        quotes.append(Quote("direct", start, end, start, text.index("\n", end), 0.9, speaker=who))
    article = Article(
        text=text,
        title=f"{prefix} {n:03d} on the {topic}",
        source=f"Paper {n % 7}",
        date=f"2025-01-{1 + n % 28:02d}",
        path=f"/news/{prefix.lower()}-{n:03d}.txt",
        paragraphs=paragraph_spans(text),
    )
    return article, quotes


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lazy") / "library"
    Library(root).save_articles(story(n) for n in range(COUNT))
    return root


@pytest.fixture
def library(built, tmp_path) -> Library:
    root = tmp_path / "library"
    shutil.copytree(built, root)
    return Library(root)


def rows_of(lib: Library) -> list[ListRow]:
    return [ListRow.of(a) for a in lib.articles()]


def with_user_state(lib: Library) -> None:
    """Notes, a read mark, a reassigned speaker and a merge of two speakers."""
    ids = [a.id for a in lib.articles()]
    lib.add_note(ids[0], start=0, end=5, text="check")
    lib.add_note(ids[0], start=6, end=8, text="and this")
    lib.mark_read(ids[1])
    quote = lib.quotes(ids[2])[0]
    lib.review_quote(ids[2], quote.id, speaker="Someone Else")
    lib.merge_speakers(["Tom Berg"], into="Ana Ruiz")


def test_first_page_and_the_whole_list_are_the_librarys_list(library):
    with_user_state(library)
    want = rows_of(Library(library.root))
    assert len(want) == COUNT
    # another process: nothing of this one's caches
    got = article_list(Library(library.root))
    assert got == want
    assert got[0].notes == 2 and got[1].read and "Someone Else" in got[2].speakers
    assert not any("Tom Berg" in row.speakers for row in got)  # merged into Ana Ruiz
    page = first_page(Library(library.root), FIRST_PAGE)
    assert page.total == COUNT
    assert [r.id for r in page.rows] == [r.id for r in want[:FIRST_PAGE]]
    # the first page has the catalog's fields; the user's state comes with the whole list
    for row, full in zip(page.rows, want, strict=False):
        assert row._replace(notes=full.notes, read=full.read, speakers=full.speakers) == full
        untouched = not full.notes and not full.read and full.id != want[2].id
        untouched = untouched and "Ana Ruiz" not in full.speakers
        assert row == full or not untouched
    assert (page.rows[0].notes, page.rows[1].read) == (0, False)
    # the second start reads head.json, made by the first: the same page
    assert first_page(Library(library.root), FIRST_PAGE) == page
    assert first_page(Library(library.root), 10).rows == page.rows[:10]


def test_stale_or_damaged_list_files_are_made_again_from_their_shard(library):
    lib = Library(library.root)
    want = rows_of(lib)
    assert article_list(lib) == want  # writes the list files
    aid = want[5].id
    rows_file, counts_file = list_path(lib.root, aid[:2]), counts_path(lib.root, aid[:2])
    assert rows_file.exists() and counts_file.exists()
    rows_file.write_text("{not json", encoding="utf-8")
    counts_file.unlink()
    assert article_list(Library(lib.root)) == want
    assert json.loads(rows_file.read_text(encoding="utf-8"))["rows"][aid][0] == want[5].title

    # the shard changes under a list file another process keeps: the rows follow it
    reader = Library(lib.root)
    assert article_list(reader) == want
    article, quotes = story(5)
    text = article.text + "\nMore on this later.\n"
    changed = replace(article, text=text, title="A new title", paragraphs=paragraph_spans(text))
    assert Library(lib.root).save_article(changed, quotes)[1] == "updated"
    renamed = {r.id: r for r in article_list(reader)}
    assert [r.title for r in renamed.values() if r.path == article.path] == ["A new title"]
    assert list(renamed.values()) == rows_of(Library(lib.root))


async def test_the_reader_lists_first_page_then_every_article(library):
    with_user_state(library)
    want = rows_of(Library(library.root))
    app = SaidwhoApp(Library(library.root), watch=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.loaded
        table = screen.query_one("#articles", DataTable)
        assert list(screen.shown) == want and table.row_count == COUNT
        assert str(table.border_title) == f"{COUNT} articles"
        assert table.get_row_at(COUNT - 1)[1].plain == want[-1].title  # drawn when read

        await pilot.press("slash", *"ruiz tram")
        await settle(pilot)
        matched = [a for a in want if matches(a, "ruiz tram")]
        assert matched and screen.shown == matched
        assert str(table.border_title) == f"{len(matched)} of {COUNT} articles"
        await pilot.press("enter", "o")  # sort by title while filtered
        titles = [a.title for a in screen.shown]
        assert titles == sorted(titles, key=str.lower) and len(titles) == len(matched)


async def test_the_first_page_is_painted_before_the_whole_list_is_read(library):
    """The list's first paint is the newest page, in order, with the whole library's count;
    then every article."""
    want = rows_of(Library(library.root))
    app = SaidwhoApp(Library(library.root), watch=None)
    seen: list[tuple[int, int, str]] = []  # (rows shown, loaded, border title) at each refill
    original = LibraryScreen.refill

    def refill(self: LibraryScreen) -> None:
        original(self)
        table = self.query_one("#articles", DataTable)
        seen.append((len(self.shown), int(self.loaded), str(table.border_title)))

    LibraryScreen.refill = refill  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            assert list(screen.shown) == want
    finally:
        LibraryScreen.refill = original  # type: ignore[method-assign]
    assert seen[0] == (FIRST_PAGE, 0, f"{COUNT} articles")
    assert seen[-1] == (COUNT, 1, f"{COUNT} articles")


WRITER = textwrap.dedent(
    """
    import sys
    from saidwho.core.quote import Quote
    from saidwho.readers.article import Article, paragraph_spans
    from saidwho.store import Library

    text = "Ferry returns\\n\\n“The ferry is back,” said Mara Holm.\\n"
    start, end = text.index("“"), text.index("”") + 1
    quote = Quote("direct", start, end, start, len(text) - 1, 0.9, speaker="Mara Holm")
    article = Article(text=text, title="Ferry returns", source="Harbour News",
                      path="/news/ferry.txt", paragraphs=paragraph_spans(text))
    print(Library(sys.argv[1]).save_article(article, [quote])[0])
    """
)


async def test_an_article_written_by_another_process_appears(library):
    app = SaidwhoApp(Library(library.root), watch=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and len(screen.shown) == COUNT
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        made = subprocess.run(
            [sys.executable, "-c", WRITER, str(library.root)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        new_id = made.stdout.strip()
        await wait_until(pilot, lambda: len(screen.shown) == COUNT + 1)
        assert screen.shown[0].id == new_id and screen.shown[0].title == "Ferry returns"
        assert screen.shown[0].speakers == ("Mara Holm",)
        table = screen.query_one("#articles", DataTable)
        assert str(table.border_title) == f"{COUNT + 1} articles"
        assert list(screen.shown) == rows_of(Library(library.root))
    # the next start's first page has it too
    assert first_page(Library(library.root), 3).rows[0].id == new_id


def test_one_articles_summary_is_librarys_summary(library):
    """The reader's summary of the article it opens, without every summary."""
    from saidwho.store.article_rows import article_summary
    from saidwho.store.errors import NotFoundError

    with_user_state(library)
    lib = Library(library.root)
    for summary in lib.articles():
        assert article_summary(Library(library.root), summary.id) == summary
        assert article_summary(lib, summary.id) == lib.summary(summary.id)
    with pytest.raises(NotFoundError):
        article_summary(lib, "0" * 16)
