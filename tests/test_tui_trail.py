"""The quote trail in the reader: the count in the quotes panel, `t`, and Enter on an
occurrence (fixture articles in tests/fixtures/trails, see test_trails.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tui_support import settle, wait_until

from saidwho.ingest import ingest_paths
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.trail import OccurrenceList, TrailScreen
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import QuoteList

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "trails"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, nlp) -> Path:
    root = tmp_path_factory.mktemp("trail")
    paths = []
    for name in ("herald.md", "courier.md", "gazette.md"):
        paths.append(shutil.copy(FIXTURES / name, root / name))
    events = ingest_paths(Library(root / "library"), [str(p) for p in paths], nlp)
    assert all(e.status == "added" for e in events), events
    return root / "library"


@pytest.fixture
def library(prepared, tmp_path) -> Library:
    shutil.copytree(prepared, tmp_path / "library")
    return Library(tmp_path / "library")


def article_id(library: Library, source: str) -> str:
    return next(a.id for a in library.articles() if a.source == source)


def bridge_quote(library: Library, aid: str) -> str:
    return next(q.id for q in library.quotes(aid) if "bridge will reopen" in q.text)


async def test_trail_count_key_and_jump_to_an_occurrence(library, nlp):
    herald = article_id(library, "The Harbour Herald")
    courier = article_id(library, "Valley Courier")
    quote = bridge_quote(library, herald)
    app = SaidwhoApp(library, nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_reader(herald)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        panel = reader.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.trail_counts.get(quote) == 3)
        assert "⇄ in 3 articles (t)" in panel.get_option(quote).prompt.plain
        others = [q.id for q in reader.quotes if q.id != quote]
        assert all(q not in panel.trail_counts for q in others)  # only the shared statement

        panel.focus()
        panel.select(quote)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen))
        trail_screen = app.screen
        assert isinstance(trail_screen, TrailScreen)
        await wait_until(pilot, lambda: trail_screen.trail is not None)
        await settle(pilot)
        trail = trail_screen.trail
        assert trail is not None and trail.altered and trail.conflicting
        occurrences = trail_screen.query_one(OccurrenceList)
        assert occurrences.option_count == 3
        prompts = [occurrences.get_option_at_index(i).prompt.plain for i in range(3)]
        assert prompts[0].startswith("★ first seen · 2024-03-01 · The Harbour Herald")
        assert "Coastal Gazette · Piet Vos" in prompts[1]
        assert "Valley Courier" in prompts[2] and "≠ words changed" in prompts[2]
        heading = str(trail_screen.query_one("#trail-heading").render())
        assert "3 occurrences in 3 articles" in heading
        assert "altered" in heading and "conflicting" in heading
        # the changed words are marked: "summer" struck, "autumn" highlighted
        spans = {
            prompts[2][s.start : s.end]: str(s.style)
            for s in occurrences.get_option_at_index(2).prompt.spans
        }
        assert "strike" in spans["summer,"] and "bold" in spans["autumn,"]
        # the article's own characters: its punctuation is shown, not dropped
        assert "The bridge will reopen before the summer, and every lane" in prompts[0]

        # Enter on the courier's occurrence opens its article at that quote's sentence
        assert occurrences.highlighted == 0  # opened on the quote asked about
        await pilot.press("down", "down", "enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ReaderScreen)
                and app.screen.article_id == courier
                and app.screen.article is not None
            ),
        )
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        courier_quote = bridge_quote(library, courier)
        selected = reader.query_one(QuoteList).selected
        assert selected is not None and selected.id == courier_quote
        assert reader.query_one(ArticleView).selected_quote == courier_quote

        # q closes the trail without moving
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen))
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article_id == courier


async def test_trail_key_lists_in_help(library, nlp):
    app = SaidwhoApp(library, nlp=nlp)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text").render())
        assert "Quote trail" in text and "Where else the quote appears" in text


async def test_speakers_screen_folds_a_speaker_s_statement_printed_twice(library, nlp):
    """Ana Lindqvist's bridge promise is printed by two outlets (and credited to someone else
    by a third): her quotes fold into one distinct statement that says where it spread."""
    from textual.widgets import DataTable

    from saidwho.tui.screens.speakers import SpeakersScreen

    credited = [q for q in library.all_quotes(speaker="Ana Lindqvist")]
    bridge = [q for q in credited if "bridge will reopen" in q.text]
    assert len(bridge) == 2  # the same words in two of her articles
    app = SaidwhoApp(library, nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakersScreen))
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        await wait_until(pilot, lambda: bool(screen.shown))
        row = [s.speaker for s in screen.shown].index("Ana Lindqvist")
        screen.query_one("#speakers", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(screen.quotes))
        shown = [q for q in screen.quotes if "bridge will reopen" in q.text]
        assert len(shown) == 1  # one statement, not one row per article
        assert len(screen.quotes) == len(credited) - 1
        title = str(screen.query_one("#speaker-quotes").border_title)
        assert f"{len(credited)} quotes" in title
        lines = screen.query_one("#speaker-quotes").get_option_at_index(
            screen.quotes.index(shown[0])
        )
        assert "in 3 articles" in str(lines.prompt)
