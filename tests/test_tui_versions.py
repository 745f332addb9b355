"""Versions in the reader: the header says "v2 · quotes changed", `h` shows the diff and jumps
to each change, an earlier version opens read-only, and the library marks an article whose
last recheck changed a quote."""

from __future__ import annotations

import pytest
from tui_support import settle, wait_until

from saidwho.ingest import ingest_paths
from saidwho.recheck import recheck
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.versions import ChangeList, VersionScreen, VersionsScreen
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import ArticleTable
from tests.provenance_support import ALTERED_WORDS_V2, REMOVED_WORDS, version_1, version_2


@pytest.fixture
def edited(tmp_path, nlp) -> tuple[Library, str]:
    """A page saved to disk, ingested, edited and rechecked: two versions, quotes changed."""
    page = tmp_path / "harbor.html"
    page.write_bytes(version_1())
    lib = Library(tmp_path / "library")
    [event] = ingest_paths(lib, [page], nlp)
    page.write_bytes(version_2())
    [checked] = recheck(lib, [event.article_id], lambda: nlp)
    assert checked.status == "changed" and checked.quotes_changed
    assert event.article_id is not None
    return lib, event.article_id


def title_cell(app: SaidwhoApp, article_id: str) -> str:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    table = screen.query_one(ArticleTable)
    row = next(i for i, a in enumerate(screen.shown) if a.id == article_id)
    column = [c.key.value for c in table.ordered_columns].index("title")
    return table.get_row_at(row)[column].plain


async def test_the_library_marks_an_article_whose_quotes_changed(edited, nlp):
    lib, article_id = edited
    app = SaidwhoApp(lib, nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: article_id in screen.quotes_changed)
        await settle(pilot)
        assert title_cell(app, article_id).startswith("≠ Council Approves Harbor Budget")
        # a recheck that finds nothing new takes the mark away
        [again] = recheck(lib, [article_id], lambda: nlp)
        assert again.status == "unchanged"
        screen.reload()
        await wait_until(pilot, lambda: not screen.quotes_changed)
        await settle(pilot)
        assert title_cell(app, article_id).startswith("Council Approves")


async def test_header_diff_screen_jumps_and_an_earlier_version_read_only(edited, nlp):
    lib, article_id = edited
    app = SaidwhoApp(lib, nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_reader(article_id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await wait_until(pilot, lambda: reader.sub_title.endswith("v2 · quotes changed"))

        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        await wait_until(pilot, lambda: versions.found is not None)
        await settle(pilot)
        heading = str(versions.query_one("#versions-heading").render())
        assert "v1 → v2: 1 quote altered, 1 removed" in heading
        changes = versions.query_one(ChangeList)
        prompts = [changes.get_option_at_index(i).prompt for i in range(changes.option_count)]
        plain = [p.plain for p in prompts]
        assert plain[0].startswith("ALTERED · Tom Alder")
        assert "will hope to" in plain[0]  # the removed word, then the added ones
        assert plain[1].startswith("REMOVED · Ann Price") and REMOVED_WORDS in plain[1]
        assert plain[2].startswith("v2 · read ") and "current" in plain[2]
        assert plain[3].startswith("v1 · read ") and "open read-only" in plain[3]
        # the word diff is styled: removed words struck through, added ones underlined
        spans = {prompts[0].plain[s.start : s.end]: str(s.style) for s in prompts[0].spans}
        assert "strike" in spans["will"] and "underline" in spans["hope to"]

        # Enter on the altered quote: back in the reader, at that quote of the current text
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is reader)
        view = reader.query_one(ArticleView)
        selected = view.quote(view.selected_quote)
        assert selected is not None and ALTERED_WORDS_V2 in selected.text

        # the removed quote opens version 1, read-only, at that quote
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        await wait_until(pilot, lambda: versions.found is not None)
        await settle(pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionScreen))
        old = app.screen
        assert isinstance(old, VersionScreen)
        await wait_until(pilot, lambda: old.view is not None)
        await settle(pilot)
        old_view = old.query_one(ArticleView)
        assert old_view.article is not None and REMOVED_WORDS in old_view.article.text
        shown = old_view.quote(old_view.selected_quote)
        assert shown is not None and REMOVED_WORDS in shown.text
        assert "v1 · read " in str(old.query_one("#version").border_title)
        assert "read-only" in str(old.query_one("#version").border_title)
        # read-only: the reader's writing keys do nothing here
        notes_before = len(lib.notes(article_id))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is old and len(lib.notes(article_id)) == notes_before
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is reader)


async def test_one_version_says_nothing_changed(tmp_path, nlp):
    page = tmp_path / "harbor.html"
    page.write_bytes(version_1())
    lib = Library(tmp_path / "library")
    [event] = ingest_paths(lib, [page], nlp)
    assert event.article_id is not None
    app = SaidwhoApp(lib, nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_reader(event.article_id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await wait_until(pilot, lambda: reader.article is not None)
        await settle(pilot)
        assert "v1" not in reader.sub_title
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        await wait_until(pilot, lambda: versions.found is not None)
        await settle(pilot)
        assert "One version" in str(versions.query_one("#versions-heading").render())
        assert versions.change_count == 0
        assert versions.query_one(ChangeList).option_count == 1
