"""Pilot tests of every TUI flow, on a real library made from the seed article."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from textual.command import CommandList
from textual.content import Content
from textual.widgets import DataTable, Input, TextArea
from tui_support import (
    BIKES,
    MARKUP,
    copy_library,
    open_seed,
    prepare_library,
    seed_id,
    settle,
    wait_until,
)

from saidwho.core.quote import Quote
from saidwho.store import QuoteView
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.model import is_low
from saidwho.tui.screens.dialogs import ConfirmDialog, InputDialog, NoteEditor
from saidwho.tui.screens.help import HelpScreen
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.search import SearchScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import NoteList, QuoteList, quote_counts

_QUOTE_FIELDS = frozenset(f.name for f in fields(Quote))


def view(**values) -> QuoteView:
    """A ``QuoteView`` from flat fields: the ``Quote`` ones go to its quote."""
    quote = Quote(**{k: v for k, v in values.items() if k in _QUOTE_FIELDS})
    return QuoteView(quote=quote, **{k: v for k, v in values.items() if k not in _QUOTE_FIELDS})


def changed(row: QuoteView, **changes) -> QuoteView:
    """``replace`` on a ``QuoteView`` whose changes may be fields of its quote."""
    mine = {k: v for k, v in changes.items() if k not in _QUOTE_FIELDS}
    theirs = {k: v for k, v in changes.items() if k in _QUOTE_FIELDS}
    return replace(row, quote=replace(row.quote, **theirs), **mine)


SIZE = (120, 36)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path, nlp):
    root = tmp_path_factory.mktemp("tui")
    return prepare_library(root, seed_path, nlp, extra={"bikes.txt": BIKES})


@pytest.fixture
def library(prepared, tmp_path):
    return copy_library(prepared, tmp_path)


@pytest.fixture
def app(library, nlp):
    app = SaidwhoApp(library, nlp=nlp)  # the session's pipeline: no second spaCy load
    return app


def seed_quote(library, n: int = 0) -> QuoteView:
    """The seed's n-th attributed quote in text order (whatever the extractor finds)."""
    quotes = [q for q in library.quotes(seed_id(library)) if q.speaker]
    assert len(quotes) > n, "the seed article should yield attributed quotes"
    return quotes[n]


def stored(library, quote_id: str) -> QuoteView:
    return next(q for q in library.quotes(seed_id(library)) if q.id == quote_id)


async def select_quote(pilot, reader: ReaderScreen, quote_id: str) -> None:
    panel = reader.query_one(QuoteList)
    panel.focus()
    panel.select(quote_id)
    await pilot.pause()


# -- library ----------------------------------------------------------------------------


async def test_library_lists_articles_and_moves(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#articles", DataTable)
        assert table.row_count == 2
        assert table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("down")
        assert table.cursor_row == 1


async def test_empty_library_is_seeded_on_first_run(tmp_path, nlp):
    from saidwho.store import Library

    library = Library(tmp_path / "empty")
    app = SaidwhoApp(library, nlp=nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=5)
        table = app.screen.query_one("#articles", DataTable)
        assert table.row_count == 1
        assert not table.loading
        assert app.screen.shown[0].title.startswith("Hamas Releases")
        # the first-run notice names the key that lists every other one
        [ready] = [n for n in app.notifications if n.title == "Sample library ready"]
        assert "Press ? for every key, q to quit." in ready.message


async def test_filter_as_you_type_by_title_and_speaker(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#articles", DataTable)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"bike")
        assert table.row_count == 1
        assert app.screen.shown[0].title.startswith("City Council")
        app.focused.value = ""
        await pilot.press(*"zzqx")  # nothing matches
        assert table.row_count == 0
        app.focused.value = ""
        await pilot.press(*"jane doe")  # a speaker
        assert table.row_count == 1
        await pilot.press("enter")  # back to the table, filter kept
        assert app.focused is table
        await pilot.press("escape")  # clears it
        assert table.row_count == 2


async def test_sort_key_and_header_click(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("o")
        assert screen.sort_key == "title"
        assert [a.title[:4] for a in screen.shown] == ["City", "Hama"]
        # a click on the Quotes header sorts by quotes, most first; a second click flips it
        table = screen.query_one("#articles", DataTable)
        column = list(table.columns).index(table.columns["quotes"].key)
        header_x = sum(c.get_render_width(table) for c in list(table.columns.values())[:column])
        await pilot.click("#articles", offset=(header_x + 2, 1))  # 1: inside the border
        await pilot.pause()
        assert (screen.sort_key, screen.sort_reverse) == ("quotes", True)
        counts = [a.quotes for a in screen.shown]
        assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
        await pilot.click("#articles", offset=(header_x + 2, 1))
        await pilot.pause()
        assert (screen.sort_key, screen.sort_reverse) == ("quotes", False)
        assert [a.quotes for a in screen.shown] == sorted(counts)


async def test_open_marks_read_and_back(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        assert reader.article is not None
        assert reader.title.startswith("Hamas Releases")
        assert next(a for a in library.articles() if a.id == seed_id(library)).read
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        row = next(a for a in app.screen.shown if a.id == seed_id(library))
        assert row.read
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_q_quits_from_library(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # exit requested
    assert not app.is_running


# -- reader: jump, click, panels --------------------------------------------------------


async def test_enter_on_quote_centres_its_sentence(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        view = reader.query_one(ArticleView)
        panel = reader.query_one(QuoteList)
        assert app.focused is panel
        assert view.scroll_y == 0
        # walk down to the last quote in the panel with j, then Enter
        for _ in range(len(panel.quotes)):
            await pilot.press("j")
        target = panel.selected
        assert target is not None
        await pilot.press("enter")
        await pilot.pause()
        assert view.selected_quote == target.id
        assert view.focus_span == (target.sentence_start, target.sentence_end)
        assert view.scroll_y > 0
        height = view.scrollable_content_region.height
        top, bottom = view.line_of(target.sentence_start), view.line_of(target.sentence_end - 1)
        assert view.scroll_y <= top and bottom < view.scroll_y + height
        middle = (top + bottom) / 2 - view.scroll_y
        assert abs(middle - height / 2) <= 2  # centred
        # the highlighted quote is drawn with the strongest tint, in bold
        line = view.line_of(target.start) - int(view.scroll_y)
        strip = view.render_line(line)
        assert any(seg.style and seg.style.bold for seg in strip)


async def test_click_on_quote_in_text_selects_it_in_panel(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        view = reader.query_one(ArticleView)
        panel = reader.query_one(QuoteList)
        quotes = sorted(panel.quotes, key=lambda q: q.start)
        huck, other = quotes[-1], quotes[0]
        await select_quote(pilot, reader, other.id)
        view.center_on(huck.start, huck.end)
        await pilot.pause()
        x, y = view.cell_of(huck.start + 1)
        await pilot.click(ArticleView, offset=(x + 1, y - int(view.scroll_y) + 1))  # border
        await pilot.pause()
        assert panel.selected is not None and panel.selected.id == huck.id
        assert view.selected_quote == huck.id


async def test_tab_cycles_panels(app):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        assert app.focused is reader.query_one(QuoteList)
        await pilot.press("tab")
        assert app.focused is reader.query_one(NoteList)
        await pilot.press("tab")
        assert app.focused is reader.query_one(ArticleView)
        await pilot.press("shift+tab")
        assert app.focused is reader.query_one(NoteList)


async def test_article_cursor_moves_by_sentence(app):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        view = reader.query_one(ArticleView)
        view.focus()
        await pilot.pause()
        first = view.cursor_span
        await pilot.press("j", "j")
        assert view.cursor == 2
        assert view.cursor_span != first
        await pilot.press("k")
        assert view.cursor == 1


async def test_next_and_previous_article(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        first = reader.article_id
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader.article_id != first
        assert reader.article is not None and reader.article.title.startswith("City Council")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert reader.article_id == first


# -- notes ------------------------------------------------------------------------------


async def test_note_on_selected_quote_is_saved(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        quote = reader.query_one(QuoteList).selected
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Check the *Truth Social* post")
        await pilot.press("tab")
        await pilot.press(*"verify, trump")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = library.notes(seed_id(library))
        assert len(notes) == 1
        assert notes[0].text == "Check the *Truth Social* post"
        assert notes[0].tags == (
            "verify",
            "trump",
        )
        assert notes[0].quote_id == quote.id
        assert (notes[0].start, notes[0].end) == (quote.start, quote.end)
        assert reader.query_one(NoteList).notes[0].id == notes[0].id


async def test_note_on_sentence_under_cursor(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        view = reader.query_one(ArticleView)
        await pilot.press("tab", "tab")
        assert app.focused is view
        await pilot.press("j")
        span = view.cursor_span
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"source?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = library.notes(seed_id(library))
        assert [(n.start, n.end, n.quote_id) for n in notes] == [(*span, None)]


async def test_escape_on_a_changed_note_asks_first(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"never mind")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # typed text is not thrown away on one key
        await pilot.press("n")  # no: back to the editor, the text still there
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "never mind"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert library.notes() == []


async def test_edit_and_delete_note(app, library):
    q = seed_quote(library)
    library.add_note(
        seed_id(library), start=q.start, end=q.end, text="first", tags=["a"], quote_id=q.id
    )
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        await pilot.press("tab")
        assert app.focused is reader.query_one(NoteList)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "first"
        await pilot.press(*" and second")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (note,) = library.notes()
        assert note.text == "first and second"
        assert note.tags == ("a",)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: kept
        await settle(pilot)
        assert len(library.notes()) == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert library.notes() == []
        assert reader.query_one(NoteList).notes == []


# -- review: dispute, reassign, copy ----------------------------------------------------


async def test_dispute_toggles_and_shows(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        target = seed_quote(library)
        await select_quote(pilot, reader, target.id)
        await pilot.press("x")
        await settle(pilot)
        assert stored(library, target.id).disputed
        panel = reader.query_one(QuoteList)
        assert panel.selected.id == target.id and panel.selected.disputed
        prompt = panel.get_option(target.id).prompt
        assert "disputed" in prompt.plain
        await pilot.press("x")
        await settle(pilot)
        assert not stored(library, target.id).disputed


async def test_reassign_speaker_wins_over_machine(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        target = seed_quote(library, 1)
        await select_quote(pilot, reader, target.id)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, InputDialog)
        await pilot.press(*"Barak Ravid")
        await pilot.press("enter")
        await settle(pilot)
        fixed = stored(library, target.id)
        assert fixed.speaker == "Barak Ravid"
        assert fixed.machine_speaker == target.speaker
        panel = reader.query_one(QuoteList)
        assert "Barak Ravid" in [g.speaker for g in panel.groups]
        assert panel.selected.id == target.id
        assert f"was {target.speaker}" in panel.get_option(target.id).prompt.plain
        # shown in the speakers screen too
        assert any(s.speaker == "Barak Ravid" for s in library.speakers())


async def test_reassign_suggests_article_speakers(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert "Donald Trump" in dialog.choices
        await pilot.press(*"don")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert reader.query_one(QuoteList).selected.speaker == "Donald Trump"


async def test_copy_citation(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        target = next(q for q in library.quotes(seed_id(library)) if q.kind == "direct")
        await select_quote(pilot, reader, target.id)
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(app.clipboard))
        text = library.article(target.article_id).text
        words, who = app.clipboard.splitlines()[:2]
        # the speaker's words only: each segment verbatim, narration cut with an ellipsis
        pieces = [" ".join(text[s.start : s.end].split()) for s in target.segments]
        assert words == " … ".join(pieces)
        title = "Hamas Releases Israeli American Soldier, Seeking to Reopen Ceasefire Talks"
        assert who.startswith(f"— {target.speaker}")
        assert f"“{title}”" in who and "paragraph " in who


# -- speakers, search, help -------------------------------------------------------------


async def test_speakers_lists_quotes_and_opens_article_at_quote(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        names = [s.speaker for s in screen.shown]
        assert "Donald Trump" in names and "Jane Doe" in names
        screen.query_one("#speakers").move_cursor(row=names.index("Donald Trump"))
        expected = sum(1 for q in library.all_quotes() if q.speaker == "Donald Trump")
        await pilot.press("enter")
        await settle(pilot)
        quotes = screen.query_one("#speaker-quotes")
        assert app.focused is quotes
        assert quotes.option_count == expected
        await pilot.press("j", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        view = reader.query_one(ArticleView)
        selected = reader.query_one(QuoteList).selected
        assert selected.speaker == "Donald Trump"
        assert view.selected_quote == selected.id
        assert view.focus_span == (selected.sentence_start, selected.sentence_end)
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is screen


async def test_search_quotes_and_text_open_in_place(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"good faith")
        search = app.screen
        # typing is debounced: wait for the search of the whole query
        await wait_until(pilot, lambda: any(h.quote is None for h in search.hits))
        assert any(h.quote is not None for h in search.hits)
        await pilot.press("enter")  # to the results
        text_hit = next(i for i, h in enumerate(search.hits) if h.quote is None)
        search.query_one("#results").highlighted = text_hit
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        view = reader.query_one(ArticleView)
        hit = search.hits[text_hit]
        assert view.match_span == (hit.start, hit.end)
        assert view.article.text[hit.start : hit.end].lower() == "good faith"
        top = int(view.scroll_y)
        assert top <= view.line_of(hit.start) < top + view.scrollable_content_region.height
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is search


async def test_search_and_speakers_survive_a_damaged_article_file(app, library):
    """One damaged article file is skipped with a warning; the rest of the library is searched."""
    bikes = next(a.id for a in library.articles() if not a.title.startswith("Hamas"))
    [body] = list((library.root / "articles").rglob(f"{bikes}.json"))
    body.write_text(body.read_text()[:50])  # torn by some other tool
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"good faith")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await wait_until(pilot, lambda: bool(search.hits))
        assert search.corpus is not None and search.corpus.damaged == [bikes]
        assert any(h.quote is not None for h in search.hits)  # the seed is still searched
        assert any("damaged article" in str(n.message) for n in app.notifications)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        names = [s.speaker for s in screen.shown]
        screen.query_one("#speakers").move_cursor(row=names.index("Donald Trump"))
        await pilot.press("enter")
        await settle(pilot)
        assert [q.speaker for q in screen.quotes] == ["Donald Trump"]  # seed quotes still list


async def test_help_lists_registry_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for needle in ("disputed", "Reader", "ctrl+s", "Export notes as Markdown"):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


def test_quote_prompt_marks_guesses_disputes_and_fixes():
    from saidwho.tui.widgets.panels import quote_prompt

    base = dict(id="q1", article_id="a", kind="direct", start=10, end=20, text="[b]hi[/b]",
                sentence_start=0, sentence_end=30, speaker="Ann", speaker_start=None,
                speaker_end=None, cue="said", role=None)  # fmt: skip
    guess = view(**base, confidence=0.3, machine_speaker="Ann", disputed=False, reviewed=False)
    assert is_low(guess)
    assert "? 30% guess" in quote_prompt(guess).plain
    assert "“[b]hi[/b]”" in quote_prompt(guess).plain
    sure = view(**base, confidence=0.9, machine_speaker="Bob", disputed=True, reviewed=True)
    text = quote_prompt(sure, paragraph=3).plain
    assert "90%" in text and "?" not in text
    assert "✗ disputed" in text and "was Bob" in text and "¶3" in text
    assert "10" not in text and "20" not in text  # offsets are for --json, not for reading


async def test_user_keymap_remaps_by_binding_id(app, library, tmp_path, monkeypatch):
    keymap = tmp_path / "keys.json"
    keymap.write_text('{"reader.dispute": "X"}', encoding="utf-8")
    monkeypatch.setenv("SAIDWHO_KEYMAP", str(keymap))
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        target = reader.query_one(QuoteList).selected
        await pilot.press("x")
        await settle(pilot)
        assert not stored(library, target.id).disputed
        await pilot.press("X")
        await settle(pilot)
        assert stored(library, target.id).disputed
        await pilot.press("question_mark")
        await pilot.pause()
        assert "X " in str(app.screen.query_one("#help-text").render())


def test_every_binding_has_id_and_tooltip():
    from saidwho.tui.actions import REGISTRY

    ids = [a.id for a in REGISTRY]
    assert len(ids) == len(set(ids))
    for screen in (
        LibraryScreen,
        ReaderScreen,
        SpeakersScreen,
        SearchScreen,
        HelpScreen,
        NoteEditor,
        ConfirmDialog,
        InputDialog,
        QuoteList,
        ArticleView,
        SaidwhoApp,
    ):
        for binding in screen.BINDINGS:
            assert binding.id and (binding.tooltip or binding.description), (screen, binding)


# -- ingest and export -------------------------------------------------------------------


async def test_ingest_a_path_in_a_worker(app, library, tmp_path):
    path = tmp_path / "markup.txt"
    path.write_text(MARKUP, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InputDialog)
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one("#articles", DataTable).row_count == 3
        assert not app.ingesting
        # an error is a notification, not a crash
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert any(n.severity == "error" for n in app.notifications)


async def test_export_notes_from_command_palette(app, library, tmp_path):
    # a quote in one piece: its words appear whole in the export
    q = next(
        q
        for q in library.quotes(seed_id(library))
        if q.speaker and q.kind != "partial" and len(q.segments) == 1
    )
    library.add_note(
        seed_id(library),
        start=q.start,
        end=q.end,
        text="check **this**",
        tags=["t"],
        quote_id=q.id,
    )
    target = tmp_path / "out" / "notes.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export notes as Markdown")
        commands = app.screen.query_one(CommandList)
        # the palette searches its providers in the background: wait for the match
        await wait_until(
            pilot,
            lambda: (
                commands.highlighted is not None
                and "Markdown" in str(commands.get_option_at_index(commands.highlighted).prompt)
            ),
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InputDialog)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    # the quote's words come from its citation (reported speech is marked as a paraphrase)
    words = q.text[q.segments[0].start - q.start : q.segments[0].end - q.start]
    assert "check **this**" in text and " ".join(words.split()) in text
    assert f"Speaker: **{q.speaker}" in text and "review: unreviewed" in text


# -- untrusted text and small terminals -------------------------------------------------


async def test_markup_in_article_and_note_is_shown_literally(prepared, tmp_path, nlp):
    from saidwho.ingest import ingest_paths

    library = copy_library(prepared, tmp_path)
    path = tmp_path / "markup.txt"
    path.write_text(MARKUP, encoding="utf-8")
    (event,) = ingest_paths(library, [path], nlp)
    app = SaidwhoApp(library, nlp=nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert any("[@click=app.quit]" in a.title for a in screen.shown)
        row = next(i for i, a in enumerate(screen.shown) if a.id == event.article_id)
        table = screen.query_one("#articles", DataTable)
        table.move_cursor(row=row)
        assert "[@click=app.quit]Click me[/]" in table.get_row_at(row)[1].plain
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        view = reader.query_one(ArticleView)
        rendered = "\n".join(view.render_line(y).text for y in range(20))
        assert "[@click=app.quit]Click me[/] and [bold]bold[/] headline" in rendered
        assert "“[@click=app.quit]Press here[/] and [bold]shout[/],”" in rendered
        # click right on the fake link: nothing but a selection happens
        y = next(y for y in range(20) if "Press here" in view.render_line(y).text)
        x = view.render_line(y).text.index("[@click")
        await pilot.click(ArticleView, offset=(x + 2, y + 1))
        await pilot.pause()
        assert app.is_running
        # a note with markup
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("[@click=app.quit]quit[/] [bold]loud[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = reader.query_one(NoteList)
        assert (
            "[@click=app.quit]quit[/] [bold]loud[/]"
            in notes.get_option(notes.notes[0].id).prompt.plain
        )
        await pilot.click(NoteList, offset=(4, 3))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ReaderScreen)
        # a speaker name with markup, set by a reviewer, shows literally everywhere
        reader.query_one(QuoteList).focus()
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "[b]Eve[/b] [@click=app.quit]"
        await pilot.press("enter")
        await settle(pilot)
        groups = [g.speaker for g in reader.query_one(QuoteList).groups]
        assert "[b]Eve[/b] [@click=app.quit]" in groups
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        speakers = app.screen
        names = [s.speaker for s in speakers.shown]
        speakers.query_one("#speakers").move_cursor(row=names.index("[b]Eve[/b] [@click=app.quit]"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is speakers
        # the title is escaped: read back as markup it is the name, not styles or a link
        title = speakers.query_one("#speaker-quotes").border_title
        assert (
            Content.from_markup(title).plain == "Quotes: [b]Eve[/b] [@click=app.quit] (1 statement)"
        )


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_small_terminals_do_not_overlap(app, size):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        article = reader.query_one(ArticleView)
        quotes = reader.query_one(QuoteList)
        assert article.region.width > 0 and quotes.region.width > 0
        assert not article.region.overlaps(quotes.region)
        for key in ("tab", "tab", "tab", "j", "enter", "tab"):
            await pilot.press(key)
            await pilot.pause()
        notes = reader.query_one(NoteList)
        assert app.focused is notes  # quotes → notes → article → quotes, then notes again
        assert notes.display and notes.region.height >= 3 and notes.region.width > 0
        assert not notes.region.overlaps(article.region)
        if quotes.display:  # 80x24: both side panels; 60x20 (narrow): one at a time
            assert not notes.region.overlaps(quotes.region)
        else:
            assert size[0] < 76
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.is_running


# -- live refresh, focus, quote text, footer, note Markdown ------------------------------


async def test_live_refresh_sees_another_process(library, nlp, tmp_path):
    """Two readers on one library: what one writes, the other shows within seconds,
    keeping its cursor and selected quote."""
    from saidwho.readers import read_article
    from saidwho.store import Library

    other = Library(library.root)  # a second handle: as another process would have
    app = SaidwhoApp(library, watch=0.25, nlp=nlp)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        await pilot.press("j")
        selected = panel.selected
        assert selected is not None
        # a new article and a note on the open one, both written through the other handle
        path = tmp_path / "harbor.txt"
        path.write_text("Harbor Road Closes\n\nThe harbor road closed on Monday.\n", "utf-8")
        new_id, status = other.save_article(read_article(path), [])
        assert status == "added"
        q = seed_quote(library)
        other.add_note(
            seed_id(library),
            start=q.start,
            end=q.end,
            text="seen elsewhere",
            quote_id=q.id,
        )
        notes = reader.query_one(NoteList)
        await wait_until(pilot, lambda: [n.text for n in notes.notes] == ["seen elsewhere"])
        assert panel.selected is not None and panel.selected.id == selected.id  # kept
        assert app.focused is panel
        view = reader.query_one(ArticleView)
        assert view.notes == [(q.start, q.end)]  # the ✎ mark in the text too
        # a reviewer elsewhere disputes the selected quote: the panel shows it
        other.review_quote(seed_id(library), selected.id, disputed=True)
        await wait_until(pilot, lambda: panel.selected is not None and panel.selected.disputed)
        assert panel.selected.id == selected.id
        # the library screen under the reader has the new article when we get back
        library_screen = app.screen_stack[1]
        await wait_until(pilot, lambda: new_id in {a.id for a in library_screen.articles})
        await pilot.press("q")
        await settle(pilot)
        table = app.screen.query_one("#articles", DataTable)
        assert table.row_count == 3
    # and the other way round: the app's own note is there for the other handle
    assert [n.text for n in other.notes(seed_id(library))] == ["seen elsewhere"]


async def test_live_refresh_keeps_library_cursor(library, tmp_path):
    from saidwho.readers import read_article
    from saidwho.store import Library

    app = SaidwhoApp(library, watch=0.25)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#articles", DataTable)
        await pilot.press("j")
        current = screen.current_id()
        path = tmp_path / "late.txt"
        path.write_text("A Late Story\n\nIt arrived while the reader was open.\n", "utf-8")
        Library(library.root).save_article(read_article(path), [])
        await wait_until(pilot, lambda: table.row_count == 3)
        assert screen.current_id() == current  # the cursor stays on the same article


async def test_reader_starts_on_quotes_and_focus_is_visible(app):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        view = reader.query_one(ArticleView)
        notes = reader.query_one(NoteList)
        assert app.focused is panel
        first = next(q for g in panel.groups for q in g.quotes)
        assert panel.selected is not None and panel.selected.id == first.id
        await pilot.press("enter")  # jumps at once: nothing to select first
        await pilot.pause()
        assert view.focus_span == (first.sentence_start, first.sentence_end)

        def look(widget) -> tuple:
            return widget.styles.border_top[1], widget.styles.border_title_style

        from textual.color import Color

        accent = Color.parse(app.current_theme.accent)

        def is_accent(color) -> bool:  # noqa: ANN001 - rounding differs by one step
            return sum(abs(a - b) for a, b in zip(color.rgb, accent.rgb, strict=True)) <= 6

        assert is_accent(look(panel)[0]) and look(panel)[1].bold
        for blurred in (view, notes):
            assert look(blurred) != look(panel) and not look(blurred)[1].bold
        await pilot.press("tab", "tab")  # to the article
        assert app.focused is view
        assert is_accent(look(view)[0]) and look(view)[1].bold
        assert not look(panel)[1].bold
        # the selected quote stays highlighted in the blurred panel, only dimmer
        blurred = panel.get_visual_style("option-list--option-highlighted")
        panel.focus()
        await pilot.pause()
        focused = panel.get_visual_style("option-list--option-highlighted")
        assert blurred.background is not None and focused.background is not None
        assert blurred.background != focused.background
        assert blurred.background.a > 0


async def test_quotes_panel_counts_named_speakers_only(app, library):
    """The footer of the quotes panel counts speakers as the speakers screen does: an
    unattributed quote is no speaker, it is counted on its own."""
    stored_quotes = library.quotes(seed_id(library))
    named = {q.speaker for q in stored_quotes if q.speaker}
    unattributed = sum(1 for q in stored_quotes if not q.speaker)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        subtitle = str(panel.border_subtitle)
        n = len(stored_quotes)
        assert subtitle.startswith(f"{n} quote{'s' if n != 1 else ''} · {len(named)} speaker")
        assert ("unattributed" in subtitle) == bool(unattributed)
        assert {g.speaker for g in panel.groups if g.speaker} == named


def test_quote_counts_leave_out_the_unattributed():
    def row(speaker: str | None, start: int) -> QuoteView:
        return view(
            id=f"q{start}", article_id="a", kind="direct", start=start, end=start + 5,
            sentence_start=start, sentence_end=start + 9, confidence=0.9, speaker=speaker,
            machine_speaker=speaker, text="words",
        )  # fmt: skip

    quotes = [row("Ana Ruiz", 0), row("Tom Berg", 10), row("Ana Ruiz", 20), row(None, 30)]
    assert quote_counts(quotes) == "4 quotes · 2 speakers · 1 unattributed"
    assert quote_counts(quotes[:1]) == "1 quote · 1 speaker"
    assert quote_counts([row(None, 0)]) == "1 quote · 0 speakers · 1 unattributed"
    assert quote_counts(quotes, room=30) == "4 quotes · 2 speakers"


async def test_quotes_panel_scrolls_to_the_selected_quote(app):
    async with app.run_test(size=(120, 24)) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        last = panel.groups[-1].quotes[-1]  # the bottom of the list
        assert panel.scroll_y == 0
        view = reader.query_one(ArticleView)
        view.focus()
        # a click in the text (here: its message) selects a quote the panel must scroll to
        view.post_message(ArticleView.QuoteClicked(last.id))
        await pilot.pause()
        await pilot.pause()
        top, height = panel.option_lines(panel.get_option_index(last.id))
        assert panel.scroll_y > 0
        assert panel.scroll_y <= top and top + height <= panel.scroll_y + panel.size.height


def test_quote_body_shows_the_segments_with_the_narration_elided():
    from saidwho.core.quote import Segment
    from saidwho.tui.widgets.panels import quote_body

    text = "This was good,” said Trump in a post on Sunday. “Hopefully more to come."
    start = 100
    row = view(
        id="q", article_id="a", kind="direct", start=start, end=start + len(text), text=text,
        sentence_start=start - 1, sentence_end=start + len(text) + 1, confidence=0.9,
        speaker="Donald Trump", machine_speaker="Donald Trump",
        speaker_start=start + text.index("Trump"), speaker_end=start + text.index(" in a"),
        cue="said", role=None, disputed=False, reviewed=False,
        cue_start=start + text.index("said"), cue_end=start + text.index("said") + 4,
        segments=(
            Segment(start, start + text.index("said") - 1),
            Segment(start + text.index("“Hope"), start + len(text)),
        ),
    )  # fmt: skip
    body = quote_body(row)
    assert body.plain == "“This was good, […] Hopefully more to come.”"
    dim = [s for s in body.spans if "foreground-muted" in str(s.style)]
    assert [body.plain[s.start : s.end] for s in dim] == [" […] "]
    # one segment (a record from before segments): nothing is guessed from the marks
    whole = changed(row, segments=())
    assert "said Trump" in quote_body(whole).plain
    plain = changed(row, speaker_start=None, speaker_end=None, cue_start=None, cue_end=None,
                    text="Just this.")  # fmt: skip
    assert quote_body(plain).plain == "“Just this.”"
    partial = changed(plain, kind="partial", text="an end to the “war”")
    assert quote_body(partial).plain == "an end to the “war”"
    marked = changed(plain, kind="partial", text="“total panic”")
    assert quote_body(marked).plain == "“total panic”"
    said = "roads close on June 1, according to the city"
    reported = changed(
        row, kind="indirect", text=said, start=0, end=44, segments=(), speaker_start=38,
        speaker_end=44, cue_start=23, cue_end=35,
    )  # fmt: skip
    body = quote_body(reported)
    assert body.plain == "roads close on June 1, according to the city"  # no marks, nothing cut
    assert any(
        body.plain[s.start : s.end] == "according to the city" and "muted" in str(s.style)
        for s in body.spans
    )


async def test_footer_shows_open_and_stop_ingest(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert shown_on(screen, "enter") == "Open"
        assert shown_on(screen, "escape") is None  # nothing to stop
        app.ingesting = True  # as while an ingest runs
        screen.refresh_bindings()
        assert shown_on(screen, "escape") == "Stop ingest"
        await pilot.press("escape")
        assert app.cancel_ingest.is_set()
        app.ingesting = False
        await pilot.press("s")
        await settle(pilot)
        assert shown_on(app.screen, "enter") == "Quotes"


def shown_on(screen, key: str) -> str | None:
    active = screen.active_bindings.get(key)
    return active.binding.description if active and active.binding.show else None


async def test_note_markdown_is_rendered_not_markup(app, library):
    q = seed_quote(library)
    library.add_note(
        seed_id(library),
        start=q.start,
        end=q.end,
        text="Check the **Truth Social** post\n- date\n- [@click=app.quit]wording[/]",
        quote_id=q.id,
    )
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        notes = reader.query_one(NoteList)
        prompt = notes.get_option(notes.notes[0].id).prompt
        assert "Check the Truth Social post\n• date\n• [@click=app.quit]wording[/]" in prompt.plain
        bold = [prompt.plain[s.start : s.end] for s in prompt.spans if str(s.style) == "bold"]
        assert "Truth Social" in bold
        await pilot.click(NoteList, offset=(6, 4))
        await pilot.pause()
        assert app.is_running


def test_reported_speech_in_the_panel_is_its_content_without_the_frame():
    from saidwho.core.quote import Segment
    from saidwho.tui.widgets.panels import quote_body

    text = "The council has said that the budget is still under review"
    start = text.index("the budget")
    row = view(
        kind="indirect", start=0, end=len(text), sentence_start=0, sentence_end=len(text),
        confidence=0.9, speaker="The council", speaker_start=0, speaker_end=11,
        segments=(Segment(start, len(text)),), id="q", article_id="a", text=text,
        machine_speaker="The council",
    )  # fmt: skip
    assert quote_body(row).plain == "the budget is still under review"


# -- 80x24: the keys a newcomer needs, the filter, help -----------------------------------

NARROW = (80, 24)


def footer_keys(app) -> dict[str, str]:
    """Key shown -> label, for each footer key wholly on screen and uncovered (the command
    palette's key is docked over the right end of the row)."""
    footer = app.screen.query_one("SteadyFooter")
    keys = list(footer.query("FooterKey"))
    return {
        key.key_display: key.description
        for key in keys
        if key.region.width
        and key.region.right <= footer.region.right
        and not any(o is not key and o.region.overlaps(key.region) for o in keys)
    }


async def test_footer_keeps_help_quit_and_the_main_action_at_any_width(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        shown = footer_keys(app)
        assert shown["?"] == "Help" and shown["q"] == "Quit" and shown["⏎"] == "Open"
        assert "^p" in shown  # the palette (ingest, exports) still fits at 80 columns
        reader = await open_seed(pilot)
        shown = footer_keys(app)
        assert shown["?"] == "Help" and shown["q"] == "Back" and shown["⏎"] == "Go to"
        assert shown["n"] == "Note"
        await pilot.resize_terminal(30, 24)  # the least important keys give way first
        await wait_until(pilot, lambda: "n" not in footer_keys(app))
        assert {"?", "q", "⏎"} <= footer_keys(app).keys()
        await pilot.resize_terminal(120, 36)  # and come back when there is room
        await wait_until(pilot, lambda: "c" in footer_keys(app))
        assert {"?", "q", "⏎", "n", "x", "a", "r", "w"} <= footer_keys(app).keys()
        assert app.screen is reader


async def test_quotes_filter_is_named_in_the_panel_title_at_80_columns(app):
    from saidwho.tui.model import QUEUES

    async with app.run_test(size=NARROW) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        assert "Quotes" in str(panel.border_title)
        for name in list(QUEUES)[1:]:  # w: unreviewed, low confidence, ...
            await pilot.press("w")
            await pilot.pause()
            assert QUEUES[name] in str(panel.border_title), (name, panel.border_title)
        await pilot.press("f")  # statements only, on top of the disputed filter
        await pilot.pause()
        assert "disputed, statements" in str(panel.border_title)
        await pilot.resize_terminal(60, 20)  # one panel at a time: the title still says it
        await pilot.pause()
        if panel.display:
            assert "disputed" in str(panel.border_title)


async def test_help_wraps_each_text_under_itself_at_80_columns(app):
    from saidwho.tui.actions import SCOPES

    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.query_one("#help-text")
        width = help_text.size.width
        lines = str(help_text.render()).splitlines()
        assert "  Export notes and reviews as JSON-LD…" in lines
        for line in lines:
            assert len(line) <= width, line  # never wrapped again by the widget
            # a line is a heading, a key's line or a text's, never text at the margin
            assert not line or line in SCOPES.values() or line.startswith("  "), line
        # the palette's commands are too wide for a column beside them: texts go under
        after = lines[lines.index("  Export notes and reviews as JSON-LD…") + 1 :]
        assert after[0].startswith("      W3C Web Annotations")
        assert after[1].startswith("      ") and after[1].strip()


async def test_reader_s_quieter_keys_are_findable_at_80_columns(app, library):
    """t, e, d, v, f: in help (the reader's section first) at any width; e and d in the
    footer while the notes panel has focus; all of them in the footer when wide."""
    q = seed_quote(library)
    library.add_note(seed_id(library), start=q.start, end=q.end, text="a note", quote_id=q.id)
    async with app.run_test(size=NARROW) as pilot:
        reader = await open_seed(pilot)
        assert not {"e", "d"} & footer_keys(app).keys()
        notes = reader.query_one(NoteList)
        notes.focus()
        await wait_until(pilot, lambda: {"e", "d"} <= footer_keys(app).keys())
        shown = footer_keys(app)
        assert shown["e"] == "Edit" and shown["d"] == "Delete"
        assert {"?", "q"} <= shown.keys()  # still there
        await pilot.press("question_mark")
        await pilot.pause()
        lines = str(app.screen.query_one("#help-text").render()).splitlines()
        reader_part = lines[: lines.index("Find in the article (reader)")]
        for key in ("t", "e", "d", "v", "f"):
            assert any(line.split()[:1] == [key] for line in reader_part), key
        await pilot.press("escape")
        await pilot.resize_terminal(200, 40)
        await wait_until(pilot, lambda: {"t", "v", "f"} <= footer_keys(app).keys())
