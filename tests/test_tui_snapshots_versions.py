"""SVG snapshot of the versions screen (`h` in the reader) over an article read twice.

The library is made through the store with hand-made quotes and captures read at fixed
times, so the snapshot pins what the UI shows, not the extractor or the clock. Regenerate:
    pytest -n 0 tests/test_tui_snapshots_versions.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_support import settle, wait_until

from saidwho.attribution import Quote
from saidwho.readers import read_text_article
from saidwho.readers.capture import Capture
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.versions import VersionsScreen
from tests.provenance_support import version_1, version_2

SIZE = (120, 36)
READ_AT = ("2026-01-15T09:30:00Z", "2026-01-22T09:30:00Z")


def hand_made(text: str) -> list[Quote]:
    """Each quoted passage of the harbor page, credited to the name after it."""
    quotes = []
    start = text.find('"')
    while start != -1:
        end = text.index('"', start + 1) + 1
        said = text.index("said", end)
        stop = text.index(".", said)
        speaker = " ".join(text[said:stop].split()[-2:])
        quotes.append(Quote("direct", start, end, start, stop + 1, 0.95, speaker))
        start = text.find('"', stop)
    return quotes


@pytest.fixture
def app(tmp_path: Path, monkeypatch) -> SaidwhoApp:
    monkeypatch.chdir(tmp_path)
    lib = Library(tmp_path / "library")
    path = str(tmp_path / "harbor.html")
    for data, read_at in zip((version_1(), version_2()), READ_AT, strict=True):
        article = read_text_article(data.decode(), path=path, fmt="html")
        capture = Capture("resource", data, read_at, path=path, media_type="text/html")
        lib.save_article(article, hand_made(article.text), capture)
    return SaidwhoApp(lib, watch=None)


def test_versions_screen(app, snap_compare):
    """The reader's header says "v2 · quotes changed"; `h` lists the altered quote with its
    word diff (removed words struck through, added ones underlined), the removed quote, then
    both versions with their read times and payload digests."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app.open_reader(app.library.articles()[0].id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await wait_until(pilot, lambda: reader.sub_title.endswith("v2 · quotes changed"))
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        await wait_until(pilot, lambda: screen.found is not None)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
