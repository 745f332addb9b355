"""TUI test helpers (no tests here): a library prepared once per module, copied per test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from unittest.mock import patch

from textual.pilot import Pilot
from textual.widgets import DataTable

FIXED_NOW = "2026-01-15T09:30:00.000000Z"  # what snapshots show as a note's time

BIKES = """City Council Approves New Bike Lanes

The vote followed months of debate.

The city council voted 7-2 on Tuesday to approve new protected bike lanes downtown.

“This is a win for everyone who wants safer streets,” said Jane Doe, the council president.

Opponents were not convinced. “The plan ignores small businesses,” said Mark Roe, who owns \
a bakery on Main Street.

Doe said the lanes would be finished by next summer.
"""

MARKUP = """[@click=app.quit]Click me[/] and [bold]bold[/] headline

Plain subtitle here.

“[@click=app.quit]Press here[/] and [bold]shout[/],” said Mallory Markup, a security researcher.

Another paragraph with [red]red[/red] text.
"""


def prepare_library(root: Path, seed: Path, nlp, *, extra: dict[str, str] | None = None) -> Path:
    """Ingest the seed (and extra fixture articles) into a fresh library folder."""
    from saidwho.ingest import ingest_paths
    from saidwho.store import Library

    files = root / "articles"
    files.mkdir(parents=True)
    paths = [shutil.copy(seed, files / seed.name)]
    for name, text in (extra or {}).items():
        path = files / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    lib_dir = root / "library"
    events = ingest_paths(Library(lib_dir), paths, nlp)
    assert all(e.status == "added" for e in events), events
    return lib_dir


def copy_library(prepared: Path, tmp_path: Path):
    from saidwho.store import Library

    target = tmp_path / "library"
    shutil.copytree(prepared, target)
    return Library(target)


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages land."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot, check: Callable[[], object], timeout: float = 8.0) -> None:
    """Pause until ``check()`` holds (timers, debounces and workers run meanwhile); fail
    after ``timeout`` seconds. For state that a fixed sleep would only usually reach."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "the app never reached the state"
        await pilot.pause(0.02)


def _span(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def fixed_quotes(text: str) -> list:
    """Hand-made quotes on the seed text: snapshots then test the UI, not the extractor.
    One of each look: direct, partial with a role, reported, a low-confidence guess and an
    unattributed one."""
    from saidwho.attribution import Quote

    def quote(kind, phrase, sentence, confidence, speaker=None, mention=None, cue=None, role=None):
        start, end = _span(text, phrase)
        s_start = text.index(sentence[0])
        s_end = _span(text, sentence[1], s_start)[1]
        m = _span(text, mention, s_start) if mention else (None, None)
        c = _span(text, cue, s_start) if cue else (None, None)
        return Quote(kind, start, end, s_start, s_end, confidence, speaker, *m, cue, *c, role)

    return sorted(
        [
            quote(
                "direct",
                "This was a step taken in good faith towards the United States",
                ("“This was a step", "on Sunday."),
                0.97,
                "Donald Trump",
                "Trump",
                "said",
            ),
            quote(
                "partial",
                "an end to the “war”",
                ("U.S. Ambassador to Israel Mike", "social media."),
                0.85,
                "Mike Huckabee",
                "Mike Huckabee",
                "called",
                "U.S. Ambassador to Israel",
            ),
            quote(
                "indirect",
                "that Israeli Prime Minister Benjamin Netanyahu has ordered",
                ("Axios reports that", "Alexander’s release."),
                0.8,
                "Axios",
                "Axios",
                "reports",
            ),
            quote(
                "partial",
                "“total panic”",
                ("Trump is not visiting Israel", "Israeli regime."),
                0.35,
                "The Washington Post",
                "The Washington Post",
                "reports",
            ),
            quote(
                "partial", "“good faith”", ("Hamas released Alexander", "Israeli officials."), 0.3
            ),
        ],
        key=lambda q: q.start,
    )


def prepare_fixed_library(root: Path, seed: Path) -> Path:
    """The seed and the bike article with hand-made quotes (no spaCy)."""
    from saidwho.attribution import Quote
    from saidwho.readers import read_article
    from saidwho.store import Library

    files = root / "articles"
    files.mkdir(parents=True)
    seed_copy = Path(shutil.copy(seed, files / seed.name))
    bikes = files / "bikes.txt"
    bikes.write_text(BIKES, encoding="utf-8")
    library = Library(root / "library")
    article = read_article(seed_copy)
    seed_id, _ = library.save_article(article, fixed_quotes(article.text))
    other = read_article(bikes)
    start, end = _span(other.text, "This is a win for everyone who wants safer streets,")
    s_start, s_end = _span(other.text, "“This is a win for everyone who wants safer streets,” said")
    library.save_article(
        other, [Quote("direct", start, end, s_start, s_end, 0.97, "Jane Doe", cue="said")]
    )
    # one note, stamped with a fixed time: the notes panel shows when a note was written
    huckabee = next(q for q in library.quotes(seed_id) if q.role)
    with patch("saidwho.store.records.now", return_value=FIXED_NOW):
        library.add_note(
            huckabee.article_id,
            start=huckabee.start,
            end=huckabee.end,
            text="Check the **post**: archived copy?",
            tags=["verify"],
            quote_id=huckabee.id,
        )
    return root / "library"


# -- hostile input ------------------------------------------------------------------------

# Every way a string can drive a terminal: clear screen, retitle (OSC 0), write the clipboard
# (OSC 52), plant a link (OSC 8), a one-byte C1 CSI, a bidi override, a zero-width space and
# Textual markup that would quit the app if it were parsed.
PAYLOAD = (
    "\x1b[2J\x1b]0;evil\x07\x1b]52;c;ZXZpbA==\x07\x1b]8;;http://evil.example/\x1b\\link"
    "\x1b]8;;\x1b\\\u009b31m\u202e\u200b[@click=app.quit]x[/]"
)
# What must never reach a tty from the article (raw bytes as a terminal would get them).
# (The app's own OSC 52, a copied citation, is checked apart: its text must be inert.)
PAYLOAD_SEQUENCES = (
    b"\x1b]52;c;ZXZpbA==",
    b"\x1b]0;evil",
    b"\x1b]8;;http://evil",
    b"\x1b[2J\x1b]0;",
    "\u009b".encode(),
    "\u202e".encode(),
    "\u200b".encode(),
)
INJECTION_NAME = "evil\x1b[2J\x1b]0;evil\x07\u202e.txt"  # a file name can hold most of it
INJECTION = f"""Title {PAYLOAD} end

Subtitle {PAYLOAD} here.

“We will {PAYLOAD} win,” said Ann {PAYLOAD} Lee, the mayor.

More {PAYLOAD} text follows here.
"""


def prepare_injection_library(root: Path) -> Path:
    """A library holding the injection article: the payload in its title, text, file name,
    a quote, a speaker's name, a note and a tag (hand-made quote, no spaCy)."""
    from saidwho.attribution import Quote
    from saidwho.readers import read_article
    from saidwho.store import Library

    files = root / "articles"
    files.mkdir(parents=True)
    path = files / INJECTION_NAME
    path.write_text(INJECTION, encoding="utf-8")
    article = read_article(path)
    text = article.text
    start, end = _span(text, f"We will {PAYLOAD} win,")
    s_start, s_end = _span(text, f"“We will {PAYLOAD} win,” said Ann {PAYLOAD} Lee, the mayor.")
    m_start, m_end = _span(text, f"Ann {PAYLOAD} Lee")
    cue_start = text.index("said", end)
    quote = Quote(
        "direct", start, end, s_start, s_end, 0.9, f"Ann {PAYLOAD} Lee", m_start, m_end,
        f"said {PAYLOAD}", cue_start, cue_start + 4, f"mayor {PAYLOAD}",
    )  # fmt: skip
    library = Library(root / "library")
    article_id, _ = library.save_article(article, [quote])
    stored = library.quotes(article_id)[0]
    library.add_note(
        article_id,
        start=stored.start,
        end=stored.end,
        text=f"Note **{PAYLOAD}** body",
        tags=[f"tag{PAYLOAD}"],
        quote_id=stored.id,
    )
    return root / "library"


def seed_id(library) -> str:
    return next(a.id for a in library.articles() if a.title.startswith("Hamas"))


async def open_seed(pilot: Pilot):
    """From the library, open the seed article (its first quote is selected)."""
    from saidwho.tui.screens.library import LibraryScreen
    from saidwho.tui.screens.reader import ReaderScreen

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    row = next(i for i, a in enumerate(screen.shown) if a.title.startswith("Hamas"))
    screen.query_one("#articles", DataTable).move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReaderScreen)
    return pilot.app.screen
