"""The speakers screen on a library written here: identities grouped by kind, aliases,
filtering by alias, marking and merging several, undo; a merge made outside (the CLI's
store call) shows in the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from tui_support import settle, wait_until

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import InputDialog
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.panels import QuoteList

SIZE = (120, 36)


def add(lib: Library, name: str, date: str, text: str, quotes: list[tuple[str, str]]) -> None:
    quoted = []
    for phrase, speaker in quotes:
        start = text.index(phrase)
        quoted.append(
            Quote(
                kind="direct",
                start=start,
                end=start + len(phrase),
                sentence_start=0,
                sentence_end=len(text),
                confidence=0.9,
                speaker=speaker,
            )  # fmt: skip
        )
    article = Article(
        text=text, title=name, date=date, path=f"/{name}.txt", paragraphs=paragraph_spans(text)
    )
    lib.save_article(article, quoted)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib")
    rally, walls = '"We will win," Donald Trump said.', '"Walls work," said Donald J. Trump.'
    add(lib, "Rally", "2016-05-01", rally, [("We will win", "Donald Trump")])
    add(lib, "Walls", "2016-04-01", walls, [("Walls work", "Donald J. Trump")])
    add(
        lib, "Ohio", "2016-06-01",
        'Former president Bill Clinton spoke. "Vote early," Clinton said. "Go," said officials.',
        [("Vote early", "Clinton"), ("Go", "officials")],
    )  # fmt: skip
    iowa = '"Stronger together," said Hillary Clinton.'
    add(lib, "Iowa", "2016-07-01", iowa, [("Stronger together", "Hillary Clinton")])
    return lib


@pytest.fixture
def app(library: Library, nlp) -> SaidwhoApp:
    return SaidwhoApp(library, nlp=nlp)


async def open_speakers(pilot) -> SpeakersScreen:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SpeakersScreen)
    await wait_until(pilot, lambda: bool(screen.shown))
    return screen


def row_of(screen: SpeakersScreen, name: str) -> int:
    return [s.speaker for s in screen.shown].index(name)


async def test_identities_grouped_by_kind_with_aliases_and_quotes_in_order(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        assert [(s.speaker, s.kind) for s in screen.shown] == [
            ("Donald Trump", "person"),
            ("Bill Clinton", "person"),
            ("Hillary Clinton", "person"),
            ("officials", "unnamed"),  # people first, unnamed sources last
        ]
        screen.query_one("#speakers", DataTable).move_cursor(row=0)
        await pilot.pause()
        aliases = str(screen.query_one("#speaker-aliases", Static).render())
        assert "Donald J. Trump" in aliases
        await pilot.press("enter")
        await settle(pilot)
        # across the library in document order: the April article before the May one
        assert [q.text for q in screen.quotes] == ["Walls work", "We will win"]
        # the filter matches aliases too
        screen.query_one("#speakers").focus()
        await pilot.press("slash", *"donald j")
        await wait_until(pilot, lambda: [s.speaker for s in screen.shown] == ["Donald Trump"])


async def test_mark_merge_and_undo(app, library: Library) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        table = screen.query_one("#speakers", DataTable)
        table.move_cursor(row=row_of(screen, "Bill Clinton"))
        await pilot.press("space")
        table.move_cursor(row=row_of(screen, "Hillary Clinton"))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, InputDialog))
        app.screen.query_one(Input).value = "Clintons"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Clintons" in [s.speaker for s in screen.shown])
        assert not {"Bill Clinton", "Hillary Clinton"} & {s.speaker for s in screen.shown}
        assert [d["op"] for d in library.speaker_decisions()] == ["merge"]
        await pilot.press("u")
        await wait_until(pilot, lambda: "Bill Clinton" in [s.speaker for s in screen.shown])
        assert library.speaker_decisions() == []


async def test_a_merge_made_outside_shows_in_the_reader(app, library: Library) -> None:
    library.merge_speakers(["Bill Clinton"], into="Hillary Clinton")  # as `saidwho speakers merge`
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        row = next(i for i, a in enumerate(screen.shown) if a.title == "Ohio")
        screen.query_one("#articles", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        groups = [g.speaker for g in reader.query_one(QuoteList).groups]
        assert groups[0] == "Hillary Clinton" and "Clinton" not in groups


async def test_kind_is_a_reviewer_decision_on_the_speakers_screen_at_80x24(app, library) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_speakers(pilot)
        table = screen.query_one("#speakers", DataTable)
        table.move_cursor(row=row_of(screen, "officials"))
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, InputDialog))
        answer = app.screen.query_one(Input)
        assert answer.value == "unnamed"  # the kind it has now
        answer.value = "group"
        await pilot.press("enter")
        kinds = lambda: {s.speaker: s.kind for s in screen.shown}  # noqa: E731
        await wait_until(pilot, lambda: kinds().get("officials") == "group")
        assert [(d["op"], d["name"], d["kind"]) for d in library.speaker_decisions()] == [
            ("kind", "officials", "group")
        ]
        # a kind that is none: refused with one line, nothing stored
        table.move_cursor(row=row_of(screen, "officials"))
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, InputDialog))
        app.screen.query_one(Input).value = "planet"
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("kind must be one of" in n.message
                                            for n in app.notifications))  # fmt: skip
        assert len(library.speaker_decisions()) == 1
        await pilot.press("u")
        await wait_until(pilot, lambda: kinds().get("officials") == "unnamed")
        assert library.speaker_decisions() == []
