"""The reader at 80x24, as a newcomer on a small terminal meets it: columns give way in a
reader's order without cutting names, the review queue does every review action, quote
lines say the paragraph (not offsets) in the article's own characters, and the keys a
newcomer looks for are findable."""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import DataTable, Input
from tui_support import copy_library, open_seed, prepare_fixed_library, seed_id, settle, wait_until

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import ConfirmDialog, InputDialog
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.queue import ReviewQueueScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.search import SearchScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.panels import QuoteList

SIZE = (80, 24)

# straight marks, as many web and wire texts print them
STRAIGHT = (
    "Harbour ferry returns\n\n"
    'The ferry will sail again, the port said. "We are back on the water by May," said '
    "Ingrid Solberg, the port's director.\n"
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path):
    return prepare_fixed_library(tmp_path_factory.mktemp("narrow"), seed_path)


@pytest.fixture
def library(prepared, tmp_path):
    return copy_library(prepared, tmp_path)


@pytest.fixture
def app(library):
    return SaidwhoApp(library, watch=None)


def widths(table: DataTable) -> dict[str, int]:
    return {str(key.value): column.width for key, column in table.columns.items()}


async def test_library_titles_get_the_room_at_80_columns(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        cols = widths(screen.query_one("#articles", DataTable))
        # the title was cut to 22 cells; the source gives way first
        assert cols["title"] >= 26 and cols["source"] <= 14
        assert "notes" in cols  # the seed has a note: its count stays
        total = sum(cols.values()) + 2 * len(cols)
        assert total <= SIZE[0] - 3  # every column on screen, none pushed off the right


async def test_review_queue_at_80_columns_keeps_names_and_the_article(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, ReviewQueueScreen)
        await wait_until(pilot, lambda: bool(queue.shown))
        table = queue.query_one(DataTable)
        cols = widths(table)
        # the kind gives way first; the article stays; no name is cut
        assert list(cols) == ["state", "conf", "speaker", "words", "article"]
        longest = max(len(q.speaker or "Unattributed") for q in queue.shown)
        assert cols["speaker"] >= longest
        assert cols["words"] >= 28
        assert sum(cols.values()) + 2 * len(cols) <= SIZE[0] - 1
        # the strip under the table: the whole quote and the whole article title
        words = str(queue.query_one("#queue-words").render())
        title = library.summary(queue.current.article_id).title
        assert f"in {title}" in words


async def test_review_queue_reassigns_and_reverts(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, ReviewQueueScreen)
        await wait_until(pilot, lambda: bool(queue.shown))
        axios = next(i for i, q in enumerate(queue.shown) if q.speaker == "Axios")
        quote_id = queue.shown[axios].id
        queue.query_one(DataTable).move_cursor(row=axios)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, InputDialog))
        app.screen.query_one(Input).value = "Barak Ravid"
        await pilot.press("enter")

        def stored():
            return next(q for q in library.quotes(seed_id(library)) if q.id == quote_id)

        await wait_until(pilot, lambda: stored().speaker == "Barak Ravid")
        assert stored().review == "corrected" and stored().machine_speaker == "Axios"
        # corrected quotes leave "needs review"; "all" lists it again, with the new name
        while queue.filter != "all":
            await pilot.press("w")
        await wait_until(pilot, lambda: any(q.id == quote_id for q in queue.shown))
        row = next(i for i, q in enumerate(queue.shown) if q.id == quote_id)
        queue.query_one(DataTable).move_cursor(row=row)
        await pilot.pause()
        assert queue.current is not None and queue.current.speaker == "Barak Ravid"
        await pilot.press("R")
        await wait_until(pilot, lambda: stored().speaker == "Axios")
        assert stored().review == "unreviewed"


async def test_quote_lines_say_the_paragraph_not_offsets(app, library):
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.option_count > 0)
        quote = panel.selected
        assert quote is not None
        prompt = panel.get_option(quote.id).prompt.plain
        assert "¶" in prompt
        assert f"{quote.start}–{quote.end}" not in prompt and str(quote.start) not in prompt


async def test_quotes_panel_keeps_straight_quote_marks(library, tmp_path):
    article = Article(
        text=STRAIGHT, title="Harbour ferry returns", path=str(tmp_path / "ferry.txt"),
        paragraphs=paragraph_spans(STRAIGHT),
    )  # fmt: skip
    words = '"We are back on the water by May,"'
    start = STRAIGHT.index(words)
    sentence = STRAIGHT.index('"We')
    library.save_article(
        article,
        [
            Quote(
                "direct",
                start,
                start + len(words),
                sentence,
                len(STRAIGHT) - 1,
                0.95,
                "Ingrid Solberg",
                cue="said",
            )
        ],  # fmt: skip
    )
    app = SaidwhoApp(library, watch=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        row = next(i for i, a in enumerate(screen.shown) if a.title == "Harbour ferry returns")
        screen.query_one("#articles", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        panel = reader.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.option_count > 0)
        (quote,) = reader.quotes
        prompt = panel.get_option(quote.id).prompt.plain
        assert '"We are back on the water by May,"' in prompt  # the article's own marks
        assert "“" not in prompt.split("\n")[0]


async def test_speaker_names_are_not_cut_at_80_columns(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        await wait_until(pilot, lambda: bool(screen.shown))
        await settle(pilot)
        cols = widths(screen.query_one("#speakers", DataTable))
        longest = max(len(s.speaker) for s in screen.shown)  # "The Washington Post"
        assert cols["speaker"] >= longest + 2  # and room for the merge mark
        assert "kind" in cols and "quotes" in cols


async def test_palette_export_asks_where_and_says_the_full_path(app, library, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)  # where the app was started: not where the export goes
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export notes as Markdown")
        commands = app.screen.query_one(CommandList)
        await wait_until(
            pilot,
            lambda: (
                commands.highlighted is not None
                and "Markdown" in str(commands.get_option_at_index(commands.highlighted).prompt)
            ),
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InputDialog))
        dialog = app.screen
        assert dialog.query_one(Input).value == "~/Documents/saidwho-notes.md"
        # the prompt fits 80 columns: heading and hint on screen, not cut
        box = dialog.query_one("#dialog")
        assert box.region.right <= SIZE[0] and box.region.x >= 0
        heading = str(dialog.query_one("#dialog-title").render())
        assert heading == "Export all notes and reviews to"
        await pilot.press("enter")
        written = home / "Documents" / "saidwho-notes.md"
        await wait_until(pilot, lambda: any(n.title == "Exported" for n in app.notifications))
        told = next(n for n in app.notifications if n.title == "Exported")
        assert str(written) in told.message  # the full path, not "saidwho-notes.md"
    assert "Check the **post**" in written.read_text(encoding="utf-8")
    assert not (tmp_path / "saidwho-notes.md").exists()


async def test_update_feeds_with_none_says_how_to_add_one(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: any(n.title == "No feeds to update"
                                            for n in app.notifications))  # fmt: skip
        told = next(n for n in app.notifications if n.title == "No feeds to update")
        assert "saidwho feeds add URL" in told.message and told.severity == "information"
        assert not any("failed" in n.title.lower() for n in app.notifications)
        await settle(pilot)  # the library reloads after it: let that land before teardown


async def test_open_source_without_an_opener_offers_to_copy_the_path(app, library, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no xdg-open (nor open) anywhere
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot)
        path = reader.article.path
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = str(app.screen.query_one("#dialog-title").render())
        assert "xdg-open is not installed" in question and "Copy the path" in question
        await pilot.press("y")
        await wait_until(pilot, lambda: app.clipboard == path)
        assert any(n.title == "Path copied" for n in app.notifications)


def footer_keys(app) -> dict[str, str]:
    """Key shown -> label, for each footer key wholly on screen and not covered."""
    footer = app.screen.query_one("SteadyFooter")
    keys = list(footer.query("FooterKey"))
    return {
        key.key_display: key.description
        for key in keys
        if key.region.width
        and key.region.right <= footer.region.right
        and not any(o is not key and o.region.overlaps(key.region) for o in keys)
    }


async def test_every_screen_s_footer_keeps_help_back_and_its_main_key(app, library):
    """At 80x24 each screen's footer shows ? Help, the way back and its main action."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen_type, main in (
            ("s", SpeakersScreen, ("⏎", "Quotes")),
            ("w", ReviewQueueScreen, ("⏎", "Open")),
            ("ctrl+f", SearchScreen, None),  # the query box has focus: it takes "?" as text
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            await wait_until(pilot, lambda: "Help" in footer_keys(app).values())
            shown = footer_keys(app)
            assert shown.get("?" if main else "f1") == "Help", shown
            back = shown.get("q") or shown.get("esc")
            assert back == "Back", shown
            if main:
                assert shown[main[0]] == main[1], shown
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
        # the trail beside the reader says its own keys, wholly on screen
        reader = await open_seed(pilot)
        panel = reader.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.selected is not None)
        await pilot.press("t")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "TrailScreen")
        await settle(pilot)
        hint = app.screen.query_one("#trail-hint")
        assert "q / esc close" in str(hint.render())
        assert hint.region.right <= SIZE[0] and hint.region.bottom <= SIZE[1]
