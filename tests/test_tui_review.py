"""Pilot tests of the review desk: confirm and move on with progress, the review queue, the
quotes panel's modes, find in the article, context help, and notes that are never lost."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea
from tui_support import (
    BIKES,
    copy_library,
    open_seed,
    prepare_fixed_library,
    seed_id,
    settle,
    wait_until,
)

from saidwho.core import settings
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import NoteEditor
from saidwho.tui.screens.help import HelpScreen, HelpText
from saidwho.tui.screens.queue import ReviewQueueScreen
from saidwho.tui.screens.reader import ReaderScreen, find_spans
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import PHRASES, NoteList, QuoteList

SIZE = (120, 36)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path):
    """The seed with hand-made quotes (one of each look, a scare quote among them) and the
    bike article: the panel's groups are known, whatever the extractor does."""
    return prepare_fixed_library(tmp_path_factory.mktemp("review"), seed_path)


@pytest.fixture
def library(prepared, tmp_path):
    return copy_library(prepared, tmp_path)


@pytest.fixture
def app(library):
    return SaidwhoApp(library, watch=None)


def states(library) -> dict[str, str]:
    return {q.id: q.review for q in library.quotes(seed_id(library))}


# -- confirm and move on -----------------------------------------------------------------


async def test_confirm_moves_on_and_counts_progress(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        order = panel.order_ids()
        total = len(order)
        assert f"0 of {total} reviewed" in str(panel.border_title)
        assert panel.selected is not None and panel.selected.id == order[0]
        for n in range(1, 3):
            await pilot.press("a")
            await settle(pilot)
            assert states(library)[order[n - 1]] == "confirmed"
            assert panel.selected is not None and panel.selected.id == order[n]  # moved on
            assert f"{n} of {total} reviewed" in str(panel.border_title)
        confirmed = next(q for q in panel.quotes if q.id == order[0])
        prompt = panel.get_option(confirmed.id).prompt.plain
        assert "✓ confirmed by" in prompt


async def test_dispute_then_reassign_is_corrected_and_revert_restores(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        quote = panel.selected
        assert quote is not None and quote.speaker
        await pilot.press("x")
        await settle(pilot)
        assert states(library)[quote.id] == "disputed"
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "Somebody Else"
        await pilot.press("enter")
        await settle(pilot)
        fixed = next(q for q in library.quotes(seed_id(library)) if q.id == quote.id)
        assert fixed.review == "corrected" and not fixed.disputed
        assert fixed.speaker == "Somebody Else"
        panel.select(quote.id)
        await pilot.press("R")
        await settle(pilot)
        back = next(q for q in library.quotes(seed_id(library)) if q.id == quote.id)
        assert back.speaker == quote.machine_speaker and not back.reassigned


# -- quotes panel modes ----------------------------------------------------------------


async def test_panel_order_statements_and_collapsed_phrases(app, library):
    quotes = library.quotes(seed_id(library))
    scare = [q for q in quotes if q.kind == "partial" and q.speaker is None]
    assert scare, "the fixed library has an unattributed scare quote"
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        options = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        # the phrase is never in a speaker group: only behind the collapsed header
        assert PHRASES in options and scare[0].id not in options
        assert all(scare[0] not in g.quotes for g in panel.groups)
        panel.focus()
        panel.highlighted = options.index(PHRASES)
        await pilot.press("enter")
        await pilot.pause()
        assert scare[0].id in [panel.get_option_at_index(i).id for i in range(panel.option_count)]

        await pilot.press("v")  # document order: no speaker headers, text order
        await pilot.pause()
        assert panel.order == "document" and panel.groups == []
        named = [q for q in panel.order_ids() if q not in {s.id for s in scare}]
        starts = [next(q.start for q in quotes if q.id == i) for i in named]
        assert starts == sorted(starts)
        assert "Quotes in order" in str(panel.border_title)

        await pilot.press("f")  # statements only: speech with a speaker
        await pilot.pause()
        assert panel.shown and all(q.act == "speech" and q.speaker for q in panel.shown)
        assert not any(q.scare_quote for q in panel.shown)


async def test_uncertain_attributions_sit_apart_collapsed(app, library):
    quotes = library.quotes(seed_id(library))
    low = [q for q in quotes if q.speaker and q.confidence < settings.uncertain_below()]
    assert low, "the fixed library has an attribution below the uncertain threshold"
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        options = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        # never mixed in with the trusted ones: behind the collapsed "Uncertain" header
        assert PHRASES in options and not {q.id for q in low} & set(options)
        assert all(q not in g.quotes for g in panel.groups for q in low)
        assert "Uncertain" in str(panel.get_option(PHRASES).prompt)


async def test_review_filters_cycle_in_the_panel(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        await pilot.press("w")
        await pilot.pause()
        assert panel.queue == "unreviewed" and "unreviewed" in str(panel.border_title)
        before = len(panel.shown)
        await pilot.press("a")  # the confirmed quote leaves the unreviewed list
        await settle(pilot)
        assert len(panel.shown) == before - 1
        await pilot.press("w")  # low confidence: the guesses only
        await pilot.pause()
        assert panel.queue == "low" and all(q.confidence < 0.5 for q in panel.shown)


# -- the library-wide queue -----------------------------------------------------------


async def test_review_queue_confirms_and_opens(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, ReviewQueueScreen)
        total = len(library.all_quotes())
        assert len(queue.shown) == total  # nothing reviewed yet: all of them
        assert f"0 of {total} reviewed" in queue.sub_title
        first, second = queue.shown[0], queue.shown[1]
        await pilot.press("a")
        await settle(pilot)
        assert queue.current is not None and queue.current.id == second.id
        assert first.id not in [q.id for q in queue.shown]
        assert f"1 of {total} reviewed" in queue.sub_title
        assert next(q for q in library.all_quotes() if q.id == first.id).review == "confirmed"
        await pilot.press("x")
        await settle(pilot)
        assert next(q for q in library.all_quotes() if q.id == second.id).disputed
        await pilot.press("w")  # unreviewed: the disputed one goes
        await settle(pilot)
        assert second.id not in [q.id for q in queue.shown]
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.query_one(QuoteList).selected.id == queue.current.id


# -- find in the article -------------------------------------------------------------


def test_find_spans_any_case_across_line_breaks():
    text = "The Deal was done.\nthe deal\nwas done again; a deal."
    assert find_spans(text, "deal was") == [(4, 12), (23, 31)]
    assert find_spans(text, "  ") == []
    assert find_spans(text, "[x") == []  # a pattern character is just a character


async def test_find_bar_counts_highlights_and_steps(app, library):
    text = library.article(seed_id(library)).text
    expected = find_spans(text, "hamas")
    assert len(expected) > 3
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        view = reader.query_one(ArticleView)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        # like a pager, the find starts at the reading cursor (here: the selected quote)
        here = view.cursor_span[0]
        first = next(i for i, (s, _) in enumerate(expected) if s >= here)
        await pilot.press(*"hamas")
        await pilot.pause()
        assert view.find_spans == expected  # every match highlighted
        assert reader.find_count == f"{first + 1} of {len(expected)}"
        assert view.match_span == expected[first]
        await pilot.press("enter")  # back to the text, the matches kept
        await pilot.pause()
        assert app.focused is view
        await pilot.press("n")
        assert reader.find_count == f"{first + 2} of {len(expected)}"
        assert view.match_span == expected[first + 1]
        for _ in range(first + 2):
            await pilot.press("N")
        assert view.match_span == expected[-1]  # wraps around
        assert not isinstance(app.screen, NoteEditor)  # n stepped, made no note
        await pilot.press("escape")  # closes the find, not the reader
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and view.find_spans == []
        await pilot.press("n")  # no find open: n is a note again
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.press("slash")
        await pilot.press(*"zzqx")
        await pilot.pause()
        assert reader.find_count == "no match"


async def test_library_slash_stays_its_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused.id == "filter"


# -- help ----------------------------------------------------------------------------


async def test_help_shows_the_current_screens_keys_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(HelpText).content)
        assert text.startswith("Reader")
        assert text.index("Find in the article") < text.index("Library")
        await pilot.press("escape")
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert str(app.screen.query_one(HelpText).content).startswith("Library")


# -- typed text is never lost -----------------------------------------------------------


async def test_note_deleted_elsewhere_while_editing_is_saved_as_new(app, library):
    aid = seed_id(library)
    quote = library.quotes(aid)[0]
    note = library.add_note(aid, start=quote.start, end=quote.end, text="draft", quote_id=quote.id)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        reader.query_one(NoteList).focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        library.delete_note(note.id)  # another window deletes it meanwhile
        await pilot.press(*" and more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [saved] = [n for n in library.notes(aid) if n.text.startswith("draft")]
        assert saved.id != note.id and saved.text == "draft and more"
        assert (saved.start, saved.end, saved.quote_id) == (note.start, note.end, quote.id)
        assert any("deleted elsewhere" in n.message for n in app.notifications)
        await wait_until(pilot, lambda: saved.id in [n.id for n in reader.notes])


async def test_note_changed_elsewhere_keeps_both(app, library):
    aid = seed_id(library)
    note = library.add_note(aid, start=0, end=10, text="mine")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        reader.query_one(NoteList).focus()
        await pilot.press("e")
        await pilot.pause()
        library.update_note(note.id, text="theirs")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).text = "mine, edited"
        await pilot.press("ctrl+s")
        await settle(pilot)
        texts = [n.text for n in library.notes(aid)]
        assert "mine, edited" in texts and "theirs" in texts
        assert any("changed elsewhere" in n.message for n in app.notifications)


async def test_empty_note_is_refused(app, library):
    before = library.notes()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)  # still open, nothing saved
        assert any("empty note" in n.message for n in app.notifications)
        assert library.notes() == before


async def test_orphaned_notes_are_listed(library, tmp_path):
    from saidwho.readers import read_article

    bikes = next(a for a in library.articles() if a.title.startswith("City Council"))
    words = "Opponents were not convinced."
    start = BIKES.index(words)
    library.add_note(bikes.id, start=start, end=start + len(words), text="who?")
    path = tmp_path / "bikes.txt"
    path.write_text(BIKES.replace(words + " ", ""), encoding="utf-8")
    article = read_article(path)
    library.save_article(article.__class__(**{**article.__dict__, "path": bikes.path}), [])
    [orphan] = library.notes(bikes.id)
    assert orphan.orphaned
    app = SaidwhoApp(library, watch=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        row = next(i for i, a in enumerate(screen.shown) if a.id == bikes.id)
        screen.query_one("#articles", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        notes = app.screen.query_one(NoteList)
        assert "1 orphaned" in str(notes.border_subtitle)
        prompt = notes.get_option(orphan.id).prompt.plain
        assert "orphaned" in prompt and words in prompt
