"""Hostile text stays inert: the injection article on every screen, and on a real tty."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Input, TextArea
from tui_support import (
    PAYLOAD,
    PAYLOAD_SEQUENCES,
    copy_library,
    prepare_injection_library,
    settle,
    wait_until,
)

from saidwho.core.quote import Quote
from saidwho.core.safe_text import has_unsafe
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
from saidwho.tui.app import SaidwhoApp
from saidwho.tui.screens.dialogs import InputDialog, NoteEditor
from saidwho.tui.screens.help import HelpScreen
from saidwho.tui.screens.library import LibraryScreen
from saidwho.tui.screens.reader import ReaderScreen
from saidwho.tui.screens.search import SearchScreen
from saidwho.tui.screens.speakers import SpeakersScreen
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.panels import NoteList, QuoteList

SIZE = (120, 36)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return prepare_injection_library(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def library(prepared, tmp_path):
    return copy_library(prepared, tmp_path)


def rendered_text(app: SaidwhoApp) -> str:
    """Every segment every widget of the current screen renders, joined (public API)."""
    out: list[str] = []
    for widget in app.screen.query("*"):
        width, height = widget.size
        if not widget.display or width == 0 or height == 0:
            continue
        for strip in widget.render_lines(Region(0, 0, width, height)):
            out.extend(seg.text for seg in strip if not seg.control)
    return "".join(out)


def assert_inert(app: SaidwhoApp, where: str) -> str:
    text = rendered_text(app)
    bad = sorted({f"U+{ord(c):04X}" for c in text if has_unsafe(c)})
    assert not bad, f"{where}: control characters rendered: {bad}"
    # the payload is on screen, its controls as visible symbols (ESC -> U+241B)
    assert where == "help" or "\u241b" in text, f"{where}: the payload is not on screen"
    return text


async def test_every_screen_renders_the_injection_article_inert(library):
    app = SaidwhoApp(library, watch=0)
    # the widgets themselves must be inert: the last-line filter would hide a miss
    app.inert_filter.enabled = False
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = assert_inert(app, "library")
        assert "\u241b[2J" in shown  # ESC shown as a visible symbol, not dropped

        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await wait_until(pilot, lambda: reader.query_one(QuoteList).option_count > 0)
        assert_inert(app, "reader")
        view = reader.query_one(ArticleView)
        # the widget shows the text made visible; the article itself is untouched
        assert view.article is not None and PAYLOAD in view.article.text
        assert "\x1b" not in (reader.title or "") and "\u241b" in (reader.title or "")

        await pilot.press("tab")  # the quotes panel: select the quote, then cite it
        panel = reader.query_one(QuoteList)
        panel.select(library.all_quotes()[0].id)
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot)
        # a citation may keep its line breaks; nothing else of the payload's controls
        assert app.clipboard and not has_unsafe(app.clipboard.replace("\n", " "))
        assert "Ann" in app.clipboard
        assert all(not has_unsafe(n.message + n.title) for n in app.notifications)
        assert_inert(app, "citation toast")

        await pilot.press("tab")  # the notes panel: edit the note (the editor shows it)
        notes = reader.query_one(NoteList)
        await wait_until(pilot, lambda: notes.option_count > 0)
        notes.focus()
        notes.highlighted = 0
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        # the editor holds the note with its controls made visible, same length
        assert len(app.screen.query_one(TextArea).text) == len(f"Note **{PAYLOAD}** body")
        assert_inert(app, "note editor")
        await pilot.press("escape")
        await settle(pilot)

        panel.focus()
        await pilot.press("r")  # reassign: the speaker names are offered as choices
        await settle(pilot)
        assert isinstance(app.screen, InputDialog)
        assert_inert(app, "reassign")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert_inert(app, "help")
        await pilot.press("escape")
        await pilot.press("q")  # back to the library
        await settle(pilot)

        await pilot.press("s")
        await settle(pilot)
        speakers = app.screen
        assert isinstance(speakers, SpeakersScreen)
        assert_inert(app, "speakers")
        table = speakers.query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert_inert(app, "speaker quotes")
        app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)

        await pilot.press("ctrl+f")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one(Input).value = "will"
        await wait_until(pilot, lambda: "We will" in rendered_text(app))
        assert_inert(app, "search")


def _read_until(fd: int, buffer: bytearray, wanted: bytes, timeout: float = 30.0) -> None:
    """Read the child's tty output into ``buffer`` until ``wanted`` shows in what arrives
    from now on (or the child exits)."""
    deadline = time.monotonic() + timeout
    since = len(buffer)
    while buffer.find(wanted, since) < 0:
        assert time.monotonic() < deadline, f"never saw {wanted!r}"
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the tty
                return
            if not chunk:
                return
            buffer.extend(chunk)


@pytest.mark.slow
def test_nothing_of_the_payload_reaches_a_real_tty(prepared, tmp_path):
    """The app on a pseudo-terminal, as a user runs it: open the injection article, cite its
    quote, go back, quit; every byte the terminal got is checked."""
    library = tmp_path / "library"
    shutil.copytree(prepared, library)
    env = {**os.environ, "SAIDWHO_DB": str(library), "TERM": "xterm-256color"}
    env.pop("TEXTUAL", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, its stdin/stdout the pty
        os.execve(
            sys.executable,
            [sys.executable, "-c", "import sys; from saidwho.cli import main; sys.exit(main())"],
            env,
        )
    out = bytearray()
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        # the library lists the article: its title shown with ESC as U+241B
        _read_until(fd, out, "Title \u241b[2J".encode())
        os.write(fd, b"\r")  # open it
        _read_until(fd, out, b"mayor")
        os.write(fd, b"\t")  # the quotes panel
        os.write(fd, b"\r")  # select the quote
        os.write(fd, b"c")  # copy the citation: OSC 52, inert text inside
        _read_until(fd, out, "— Ann".encode())  # the citation toast
        os.write(fd, b"q")  # back to the library
        _read_until(fd, out, b"Ingest")  # the library's footer again
        os.write(fd, b"q")  # quit
        _read_until(fd, out, b"\x00 the tty closes first \x00")
        assert os.waitpid(pid, 0)[1] == 0
        pid = 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    raw = bytes(out)
    for sequence in PAYLOAD_SEQUENCES:
        assert sequence not in raw, f"{sequence!r} reached the terminal"
    # the citation went to the clipboard (OSC 52) with no control character inside
    copies = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)", raw)
    assert copies, "the citation never reached the clipboard"
    for encoded in copies:
        text = base64.b64decode(encoded).decode()
        assert "Ann" in text and not has_unsafe(text.replace("\n", " "))


def huge_library(root: Path, quotes: int = 5000) -> Library:
    """One article with ``quotes`` quotes (hand-made, no spaCy): a long list to fill."""
    names = [f"Speaker {chr(65 + n % 26)}{n // 26}" for n in range(60)]
    parts, made, pos = [], [], 0
    for n in range(quotes):
        sentence = f"“Words number {n},” said {names[n % len(names)]}.\n\n"
        start = pos + 1
        made.append(
            Quote("direct", start, start + len(f"Words number {n},"), pos,
                  pos + len(sentence) - 2, 0.9, names[n % len(names)])
        )  # fmt: skip
        parts.append(sentence)
        pos += len(sentence)
    text = "".join(parts)
    library = Library(root)
    library.save_article(Article(text=text, title="Huge", paragraphs=paragraph_spans(text)), made)
    return library


@pytest.mark.slow
async def test_leaving_the_reader_stops_its_list_and_cancels_its_reads(tmp_path):
    app = SaidwhoApp(huge_library(tmp_path / "lib"), watch=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        panel = reader.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.filled > 0)
        assert panel.filling and panel.filled < len(panel.quotes)

        gate = threading.Event()

        def slow_read() -> str:
            gate.wait(30)
            return "a late read"

        def slow_write() -> str:
            gate.wait(30)
            return "a late write"

        # a read for the reader, still running when the reader is left: the reader's worker
        worker = app.io(slow_read, reader.notify)
        assert worker.node is reader and worker.is_running
        # a write from the reader is the app's: it completes whoever is left
        write = app.io(slow_write, reader.notify, write=True)
        assert write.node is app

        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert worker.is_cancelled and not write.is_cancelled
        assert not panel.filling
        filled = panel.filled
        for _ in range(5):  # paints go on; the list of the left screen does not grow
            await pilot.pause()
        assert panel.filled == filled < len(panel.quotes)

        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert all(n.message != "a late read" for n in app.notifications)
        assert any(n.message == "a late write" for n in app.notifications)

        # back in the reader, the list goes on filling
        await pilot.press("enter")
        await wait_until(pilot, lambda: panel.filled > filled)


async def test_a_screen_closed_cancels_its_reads(library):
    """A read started for a screen is that screen's worker: closing it cancels the read."""
    app = SaidwhoApp(library, watch=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakersScreen))
        speakers = app.screen
        gate = threading.Event()
        worker = app.io(lambda: gate.wait(30), speakers.notify)
        assert worker.node is speakers
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await wait_until(pilot, lambda: worker.is_cancelled)
        gate.set()


async def test_a_record_of_the_wrong_shape_is_one_notice_and_the_rest_shows(library):
    [article] = library.articles()
    notes = library.root / "notes" / f"{article.id[:2]}.json"  # its notes shard (one note)
    data = json.loads(notes.read_text(encoding="utf-8"))
    data["notes"]["7"] = {"id": "not-a-uuid", "article_id": 3}
    notes.write_text(json.dumps(data), encoding="utf-8")
    app = SaidwhoApp(library, watch=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        told = [n for n in app.notifications if n.title == "Library record skipped"]
        assert len(told) == 1 and f"{notes.name}: record notes/7" in told[0].message
        assert len(app.screen.query_one(DataTable).rows) == 1  # the article is listed
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await wait_until(pilot, lambda: reader.query_one(NoteList).option_count == 1)
        assert len([n for n in app.notifications if n.title == "Library record skipped"]) == 1
