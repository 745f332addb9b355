"""SVG snapshots of the library and the reader at a fixed size (pytest-textual-snapshot).

Regenerate after an intended change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from tui_support import copy_library, prepare_fixed_library, settle

from saidwho.tui.app import SaidwhoApp
from saidwho.tui.widgets.panels import QuoteList

SIZE = (120, 36)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, seed_path):
    # hand-made quotes: the snapshots pin the UI, not what the extractor finds today
    return prepare_fixed_library(tmp_path_factory.mktemp("snap"), seed_path)


@pytest.fixture
def app(prepared, tmp_path, monkeypatch):
    monkeypatch.chdir(prepared.parent)  # article paths show as articles/<name>
    # no live-refresh timer: a refresh landing mid-test must not make snapshots flaky
    return SaidwhoApp(copy_library(prepared, tmp_path), watch=None)


def test_library_snapshot(app, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_reader_snapshot_after_jump(app, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#articles")
        row = next(i for i, a in enumerate(pilot.app.screen.shown) if a.title.startswith("Ham"))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        panel = pilot.app.screen.query_one(QuoteList)
        axios = next(q for q in panel.quotes if q.speaker == "Axios")
        panel.select(axios.id)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_reader_snapshot_small_on_open(app, snap_compare):
    """80x24 right after opening: the quotes panel has focus (accent border, bold title),
    its first quote is selected, the article panel is dimmed."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#articles")
        row = next(i for i, a in enumerate(pilot.app.screen.shown) if a.title.startswith("Ham"))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
