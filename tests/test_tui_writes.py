"""Pilot tests of the reader's writes: a note or a verdict shows at once and is written in a
worker; the panel says when it is not on disk yet, a failed write rolls the panel back and
says so in one line (a note's text goes to the clipboard), and another window sees it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from tui_support import copy_library, open_seed, prepare_fixed_library, seed_id, settle, wait_until

from saidwho.store import Library, LibraryError
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import NoteEditor
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import NoteList, QuoteList

SIZE = (120, 36)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path):
    return prepare_fixed_library(tmp_path_factory.mktemp("writes"), seed_path)


@pytest.fixture
def library(prepared, tmp_path):
    return copy_library(prepared, tmp_path)


@pytest.fixture
def app(library):
    return SaidwhoApp(library, watch=None)


def held(library: Library, name: str) -> threading.Event:
    """Make ``library.<name>`` wait until the returned event is set (a slow disk)."""
    release = threading.Event()
    original: Callable[..., Any] = getattr(library, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(10), "the test never released the write"
        return original(*args, **kwargs)

    setattr(library, name, slow)
    return release


def failing(library: Library, name: str, message: str) -> threading.Event:
    """Make ``library.<name>`` fail (once the returned event is set, if it is waited on)."""
    release = threading.Event()

    def fail(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(10), "the test never released the write"
        raise LibraryError(message)

    setattr(library, name, fail)
    return release


def prompt_of(panel: NoteList | QuoteList, option_id: str) -> str:
    return panel.get_option(option_id).prompt.plain  # type: ignore[union-attr]


async def write_note(pilot, text: str) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    await pilot.press(*text)
    await pilot.press("tab", *"check")
    await pilot.press("ctrl+s")


# -- notes --------------------------------------------------------------------------------


async def test_a_note_shows_at_once_and_says_saving_until_it_is_on_disk(app, library):
    aid = seed_id(library)
    before = {n.id for n in library.notes(aid)}
    other = Library(library.root)  # what is on disk, as another process reads it
    release = held(library, "add_note")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        quote = reader.query_one(QuoteList).selected
        assert quote is not None
        await write_note(pilot, "Ask the embassy")
        panel = reader.query_one(NoteList)
        await wait_until(pilot, lambda: len(panel.notes) == len(before) + 1)
        [shown] = [n for n in panel.notes if n.id not in before]
        assert isinstance(app.screen, ReaderScreen)  # the editor closed on ctrl+s
        assert shown.text == "Ask the embassy" and shown.tags == ("check",)
        assert shown.id in panel.saving and "saving…" in prompt_of(panel, shown.id)
        assert panel.selected is not None and panel.selected.id == shown.id
        assert (quote.start, quote.end) in reader.query_one(ArticleView).notes
        assert {n.id for n in other.notes(aid)} == before  # not written yet
        assert not any(n.message == "Note saved." for n in app.notifications)

        release.set()
        await settle(pilot)
        assert not panel.saving and "saving…" not in prompt_of(panel, shown.id)
        [stored] = [n for n in other.notes(aid) if n.id not in before]
        assert stored == shown  # what was shown is what is stored: id, text, times, span
        assert [n.id for n in panel.notes if n.id not in before] == [stored.id]
        assert any(n.message == "Note saved." for n in app.notifications)


async def test_a_note_that_cannot_be_written_is_taken_back_onto_the_clipboard(app, library):
    aid = seed_id(library)
    before = library.notes(aid)
    failing(library, "add_note", "disk full").set()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        spans = list(reader.query_one(ArticleView).notes)
        await write_note(pilot, "Lost? Never")
        await settle(pilot)
        assert reader.query_one(NoteList).notes == before  # rolled back
        assert reader.query_one(NoteList).saving == frozenset()
        assert reader.query_one(ArticleView).notes == spans
        [error] = [n for n in app.notifications if n.severity == "error"]
        assert error.title == "Note not saved" and "disk full" in error.message
        assert "\n" not in error.message  # one line
        assert app.clipboard == "Lost? Never"
    assert Library(library.root).notes(aid) == before


async def test_an_edit_that_cannot_be_written_puts_the_note_back(app, library):
    aid = seed_id(library)
    [note] = library.notes(aid)  # the fixture's note on the Huckabee quote
    failing(library, "save_note_edit", "read-only library").set()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(NoteList)
        panel.focus()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*" (edited)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert panel.notes == [note]
        assert "(edited)" not in prompt_of(panel, note.id)
        assert any(n.title == "Note not saved" for n in app.notifications)
        assert app.clipboard is not None and app.clipboard.endswith("(edited)")


async def test_an_edit_shows_at_once_and_is_stored_as_shown(app, library):
    aid = seed_id(library)
    [note] = library.notes(aid)
    release = held(library, "save_note_edit")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(NoteList)
        panel.focus()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*" Yes.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: panel.notes[0].text.endswith("Yes."))
        assert note.id in panel.saving and "saving…" in prompt_of(panel, note.id)
        assert Library(library.root).notes(aid) == [note]  # not written yet
        release.set()
        await settle(pilot)
        [stored] = Library(library.root).notes(aid)
        assert panel.notes == [stored] and stored.id == note.id
        assert stored.text == note.text + " Yes." and not panel.saving


@pytest.mark.slow
async def test_a_note_saved_in_one_window_shows_in_another(library):
    aid = seed_id(library)
    first = SaidwhoApp(library, watch=None)
    second = SaidwhoApp(Library(library.root), watch=0.2)  # another process's handle
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        writer = await open_seed(one)
        watcher = await open_seed(two)
        await write_note(one, "Seen in both")
        await settle(one)
        assert not writer.query_one(NoteList).saving
        panel = watcher.query_one(NoteList)
        await wait_until(two, lambda: any(n.text == "Seen in both" for n in panel.notes))
        [mine] = [n for n in writer.query_one(NoteList).notes if n.text == "Seen in both"]
        [theirs] = [n for n in panel.notes if n.text == "Seen in both"]
        assert mine == theirs and not panel.saving
    # and a window opened afterwards (a new process) reads it from the library
    third = SaidwhoApp(Library(library.root), watch=None)
    async with third.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        assert mine in reader.query_one(NoteList).notes
    assert mine in Library(library.root).notes(aid)


# -- verdicts -----------------------------------------------------------------------------


async def test_a_verdict_shows_at_once_and_the_store_follows(app, library):
    aid = seed_id(library)
    release = held(library, "review_quote")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        target = panel.selected
        assert target is not None and not target.disputed
        await pilot.press("x")
        await wait_until(pilot, lambda: panel.selected is not None and panel.selected.disputed)
        assert panel.selected.id == target.id
        assert "disputed" in prompt_of(panel, target.id)
        assert reader.saving_verdicts == {target.id}
        view = reader.query_one(ArticleView).quote(target.id)
        assert view is not None and view.disputed  # the text strikes it through too
        stored = {q.id: q for q in Library(library.root).quotes(aid)}
        assert not stored[target.id].disputed  # not written yet

        release.set()
        await settle(pilot)
        assert not reader.saving_verdicts
        stored = {q.id: q for q in Library(library.root).quotes(aid)}
        assert stored[target.id].disputed
        assert panel.selected == stored[target.id]  # reviewer and time as stored
        assert any(n.message == "Attribution disputed." for n in app.notifications)


async def test_two_quick_verdicts_end_as_the_last_one(app, library):
    aid = seed_id(library)
    release = held(library, "review_quote")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        target = panel.selected
        assert target is not None
        await pilot.press("x")  # dispute ...
        await wait_until(pilot, lambda: panel.selected is not None and panel.selected.disputed)
        await pilot.press("x")  # ... and withdraw it before the first write is done
        await wait_until(pilot, lambda: not panel.selected.disputed)  # type: ignore[union-attr]
        release.set()
        await settle(pilot)
        stored = {q.id: q for q in Library(library.root).quotes(aid)}
        assert not stored[target.id].disputed
        assert panel.selected is not None and not panel.selected.disputed
        assert not reader.saving_verdicts


async def test_a_verdict_that_cannot_be_written_is_taken_back(app, library):
    release = failing(library, "review_quote", "the library is locked")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        target = panel.selected
        assert target is not None
        title = panel.border_title
        await pilot.press("a")  # confirm: shown at once, the selection moves on
        await wait_until(pilot, lambda: "confirmed" in prompt_of(panel, target.id))
        assert panel.selected is not None and panel.selected.id != target.id
        assert panel.border_title != title  # one more reviewed
        release.set()
        await settle(pilot)
        shown = next(q for q in panel.quotes if q.id == target.id)
        assert shown == target  # rolled back to what is stored
        assert "confirmed" not in prompt_of(panel, target.id)
        assert panel.border_title == title  # the review progress too
        [error] = [n for n in app.notifications if n.severity == "error"]
        assert error.title == "Review not saved" and "locked" in error.message
        assert "\n" not in error.message
        assert not reader.saving_verdicts
