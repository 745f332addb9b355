"""The reader's `o` (open the source) and feed updates from the TUI, against 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import DataTable
from tui_support import settle

from saidwho.ingest import ingest_paths
from saidwho.store import Library
from saidwho.store.feeds import FeedStore
from saidwho.tui import opener
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from tests.web_support import Site

# the local HTTP server fixtures: site, fast_limits
pytest_plugins = ("tests.web_support",)

SIZE = (120, 36)


def make_app(lib: Library, nlp) -> SaidwhoApp:
    return SaidwhoApp(lib, nlp=nlp)  # the session's pipeline: no second spaCy load


def test_source_target_prefers_web_urls_and_never_other_schemes() -> None:
    assert opener.source_target("https://a.example/x", "/tmp/a.html") == "https://a.example/x"
    assert opener.source_target("javascript:alert(1)", "/tmp/a.html") == "/tmp/a.html"
    assert opener.source_target("file:///etc/passwd", None) is None
    assert opener.source_target(None, None) is None


async def test_o_opens_the_article_url(
    tmp_path: Path, nlp, site: Site, fast_limits, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library(tmp_path / "lib")
    [event] = ingest_paths(lib, [site.url("/story-1.html")], nlp)
    opened: list[str] = []
    monkeypatch.setattr(opener, "open_external", opened.append)
    app = make_app(lib, nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_reader(str(event.article_id))
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("o")
        await settle(pilot)
    assert opened == [site.url("/story-1.html")]


async def test_u_updates_feeds_in_a_worker(tmp_path: Path, nlp, site: Site, fast_limits) -> None:
    lib = Library(tmp_path / "lib")
    ingest_paths(lib, [site.url("/story-1.html")], nlp)  # not empty: no sample seeding
    FeedStore(lib).add(site.url("/atom.xml"))
    FeedStore(lib).add(site.url("/500.html"))
    app = make_app(lib, nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("u")
        await settle(pilot, rounds=8)
        assert not app.ingesting
        assert app.screen.query_one("#articles", DataTable).row_count == 3
        # the broken feed is a notification naming it, not a crash
        messages = [n.message for n in app.notifications if n.severity == "error"]
        assert messages == [f"{site.url('/500.html')}: HTTP 500 Internal Server Error"]


async def test_i_ingests_a_url(tmp_path: Path, nlp, site: Site, fast_limits) -> None:
    from textual.widgets import Input

    from saidwho.tui.screens.dialogs import InputDialog

    lib = Library(tmp_path / "lib")
    ingest_paths(lib, [site.url("/story-1.html")], nlp)  # not empty: no sample seeding
    app = make_app(lib, nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InputDialog)
        app.screen.query_one(Input).value = site.url("/story-2.html")
        await pilot.press("enter")
        await settle(pilot, rounds=8)
        assert isinstance(app.screen, LibraryScreen)
        assert not app.ingesting
        assert app.screen.query_one("#articles", DataTable).row_count == 2
    assert lib.has_url(site.url("/story-2.html")) is not None


async def test_a_feed_of_50000_unfetchable_entries_is_two_toasts(
    tmp_path: Path, nlp, site: Site, fast_limits, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from saidwho.feed_update import MAX_ENTRIES
    from saidwho.readers import fetch

    monkeypatch.setattr(fetch, "DEFAULT_LIMITS", replace(fast_limits, max_bytes=10_000_000))
    lib = Library(tmp_path / "lib")
    ingest_paths(lib, [site.url("/story-1.html")], nlp)  # not empty: no sample seeding
    url = site.url("/many-file-links.xml")
    FeedStore(lib).add(url)
    app = make_app(lib, nlp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot, rounds=8)
        assert not app.ingesting
        errors = [n.message for n in app.notifications if n.severity == "error"]
        warnings = [n.message for n in app.notifications if n.severity == "warning"]
    assert errors == [f"{url}: {MAX_ENTRIES} entries have no http(s) link (the first: Entry 0)"]
    assert warnings == [
        f"Many: the feed lists 50000 entries: only its first {MAX_ENTRIES} are read"
    ]
