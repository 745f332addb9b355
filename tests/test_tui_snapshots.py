"""SVG snapshots of every screen and dialog at a fixed terminal size (pytest-textual-snapshot).

The library is the seed article and a short one with hand-made quotes and one note written
at a fixed time (``tui_support.prepare_fixed_library``): the snapshots pin what the UI shows,
not what the extractor finds today, and nothing in them depends on the clock.

Regenerate after an intended change, then look at every changed SVG before committing:
    pytest -n 0 tests/test_tui_snapshots.py --snapshot-update
(-n 0: in one process; under xdist syrupy neither removes nor reports unused snapshots.)
"""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from tui_support import (
    FIXED_NOW,
    copy_library,
    open_seed,
    prepare_fixed_library,
    settle,
    wait_until,
)

from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import NoteEditor
from saidwho.tui.screens.help import HelpScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.search import SearchScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.panels import QuoteList

SIZE = (120, 36)
NARROW = (80, 24)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path):
    return prepare_fixed_library(tmp_path_factory.mktemp("snap"), seed_path)


@pytest.fixture
def app(prepared, tmp_path, monkeypatch):
    monkeypatch.chdir(prepared.parent)  # article paths show as articles/<name>
    # no live-refresh timer: a refresh landing mid-test must not make snapshots flaky
    return SaidwhoApp(copy_library(prepared, tmp_path), watch=None)


class TestLibrary:
    def test_library(self, app, snap_compare):
        """Both articles, unread (●), newest first, with quote and note counts; the first
        row is selected and the preview below names its speakers and file."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestReader:
    def test_reader_after_jump(self, app, snap_compare):
        """Enter on Axios's reported quote: the article scrolls to centre its sentence, the
        quote is tinted in Axios's colour and bold, the panel keeps it selected."""

        async def run_before(pilot: Pilot) -> None:
            reader = await open_seed(pilot)
            panel = reader.query_one(QuoteList)
            axios = next(q for q in panel.quotes if q.speaker == "Axios")
            panel.select(axios.id)
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_reader_notes_panel(self, app, snap_compare):
        """Tab from the quotes: the notes panel has focus (accent border, ⏎ Go to); its note
        shows its tag, the speaker of the quote it is on, its (fixed) time, the quoted words
        and its Markdown rendered (**post** in bold, never parsed as markup)."""

        async def run_before(pilot: Pilot) -> None:
            await open_seed(pilot)
            await pilot.press("tab")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_reader_document_order_with_find(self, app, snap_compare):
        """`v` then `/` "good faith": the quotes panel in document order (each quote under
        its speaker's name, the collapsed "Unattributed phrases" group last, progress in the
        title); the find bar at the bottom says "1 of 2"; every match tinted, the current
        one lit and centred."""

        async def run_before(pilot: Pilot) -> None:
            reader = await open_seed(pilot)
            await pilot.press("v")
            await settle(pilot)
            await pilot.press("slash")
            await pilot.press(*"good faith")
            await settle(pilot)
            assert reader.find_count == "1 of 2"
            pilot.app.clear_notifications()  # the toast would cover the count
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_reader_narrow_on_open(self, app, snap_compare):
        """80x24 right after opening: the quotes panel has focus (accent border, bold title),
        its first quote is selected, the article panel is dimmed."""

        async def run_before(pilot: Pilot) -> None:
            await open_seed(pilot)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


class TestSpeakers:
    def test_speakers_with_quotes(self, app, snap_compare):
        """`s` then Enter on the first speaker: the table of everyone quoted in the library
        (most quoted first, then by name), and beside it that speaker's quotes with their
        article's title and provenance."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(pilot.app.screen, SpeakersScreen)
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestReviewQueue:
    def test_review_queue(self, app, snap_compare):
        """`w` from the library, then `a` on the first row: every quote that needs a look
        across the library (state mark, confidence with guesses in bold, speaker, kind,
        words, article); the confirmed one has left the list; the subtitle says
        "needs review (5) · 1 of 6 reviewed"; the words of the selected one below."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("w")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestSearch:
    def test_search_results(self, app, snap_compare):
        """ctrl+f, "good faith": quote hits first (who said it), then passages of text,
        each with the hit in reverse video and its paragraph (¶), not offsets."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("ctrl+f")
            await settle(pilot)
            search = pilot.app.screen
            assert isinstance(search, SearchScreen)
            await pilot.press(*"good faith")
            await wait_until(pilot, lambda: len(search.hits) > 1)
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestDialogs:
    def test_help(self, app, snap_compare):
        """`?` on the library: its keys first (Library, Everywhere, Tables and lists), then
        every other screen's, generated from the same registry as the bindings."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(pilot.app.screen, HelpScreen)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_note_editor(self, app, snap_compare):
        """`n` on the selected quote: the quote's words as the excerpt, a Markdown text box
        with a first line typed, the tags field and the keys that save or cancel."""

        async def run_before(pilot: Pilot) -> None:
            await open_seed(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(pilot.app.screen, NoteEditor)
            await pilot.press(*"Is this the *whole* post?")
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_command_palette(self, app, snap_compare):
        """ctrl+p, "export": the palette lists the notes exports (Markdown, JSON, JSON-LD,
        CSV), the first highlighted."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"export")
            commands = pilot.app.screen.query_one(CommandList)
            await wait_until(pilot, lambda: commands.option_count >= 2)
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.fixture(scope="module")
def trail_library(tmp_path_factory):
    """Three outlets print one statement (tests/fixtures/trails), with hand-made quotes and
    fixed ingest times: verbatim, one word changed, credited to someone else."""
    from pathlib import Path
    from unittest.mock import patch

    from saidwho.attribution import Quote
    from saidwho.readers import read_article
    from saidwho.store import Library

    fixtures = Path(__file__).resolve().parent / "fixtures" / "trails"
    lib = Library(tmp_path_factory.mktemp("trail") / "library")
    credits = {
        "herald.md": "Ana Lindqvist",
        "gazette.md": "Piet Vos",
        "courier.md": "Ana Lindqvist",
    }
    for name, speaker in credits.items():
        article = read_article(fixtures / name)
        start = article.text.index('"The bridge')
        end = article.text.index('"', start + 1) + 1
        s_end = article.text.index(".", end) + 1
        quote = Quote("direct", start, end, start, s_end, 0.95, speaker, cue="said")
        with patch("saidwho.store.records.now", return_value=FIXED_NOW):
            lib.save_article(article, [quote])
    return lib.root


class TestTrail:
    def test_trail_beside_the_quote(self, trail_library, tmp_path, snap_compare):
        """`t` on the herald's quote ("⇄ in 3 articles (t)" in the panel): the trail beside
        the article, first seen first (★ Harbour Herald, 2024-03-01), the gazette crediting
        Piet Vos, the courier's "summer" struck and "autumn" highlighted (≠ words changed);
        the heading says altered and conflicting."""
        from saidwho.tui.screens.trail import TrailScreen

        app = SaidwhoApp(copy_library(trail_library, tmp_path), watch=None)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            herald = next(a.id for a in app.library.articles() if a.source == "The Harbour Herald")
            app.open_reader(herald)
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen))
            panel = pilot.app.screen.query_one(QuoteList)
            await wait_until(pilot, lambda: bool(panel.trail_counts))
            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, TrailScreen))
            screen = pilot.app.screen
            assert isinstance(screen, TrailScreen)
            await wait_until(pilot, lambda: screen.trail is not None)
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestNarrow:
    """80x24, the newcomer's terminal: what gives way, and what never does."""

    def test_library_narrow(self, app, snap_compare):
        """The library at 80x24: titles get the room (the source column narrows first),
        the notes count stays (the seed has a note); the footer keeps ⏎ Open, ? Help and
        q Quit; the preview below gives the whole title."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)

    def test_speakers_narrow(self, app, snap_compare):
        """`s` at 80x24: the list as wide as the names need, none cut ("The Washington
        Post" whole), kind and quote count kept, the articles count gone first."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(pilot.app.screen, SpeakersScreen)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)

    def test_review_queue_narrow(self, app, snap_compare):
        """`w` at 80x24: the kind column gave way; speaker names whole, the words and the
        article kept; below the table the selected quote's whole words and its article's
        whole title; r Reassign in the footer."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("w")
            await settle(pilot)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)

    def test_reader_notes_panel_narrow(self, app, snap_compare):
        """The reader at 80x24 with the notes panel focused: e Edit and d Delete join the
        footer; quote lines end in the paragraph (¶), not offsets."""

        async def run_before(pilot: Pilot) -> None:
            await open_seed(pilot)
            await pilot.press("tab")
            await settle(pilot)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)

    def test_export_prompt_narrow(self, app, snap_compare, tmp_path, monkeypatch):
        """ctrl+p "Export notes as Markdown" at 80x24: the prompt fits, asks where with
        ~/Documents/saidwho-notes.md filled in, the hint says the suffix picks the format."""
        (tmp_path / "home" / "Documents").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"Export notes as Markdown")
            commands = pilot.app.screen.query_one(CommandList)
            await wait_until(
                pilot,
                lambda: (
                    commands.highlighted is not None
                    and "Markdown" in str(commands.get_option_at_index(commands.highlighted).prompt)
                ),
            )
            await pilot.press("enter")
            await wait_until(pilot, lambda: pilot.app.screen.id == "export-dialog")
            await settle(pilot)

        assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
