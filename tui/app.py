"""The saidwho Textual app: a library of articles, a reader with quotes beside the text.

Threading rule: spaCy and disk work run in thread workers (``io`` and the ingest worker);
they only ``post_message``. Message handlers, on the UI thread, own every widget.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.segment import Segment
from textual import work
from textual.app import App, SystemCommand
from textual.color import Color
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from saidwho.core import settings
from saidwho.core.safe_text import has_unsafe, inert, inert_line, strip_unsafe
from saidwho.store import Library
from saidwho.tui.actions import actions, bindings, first_run_hint
from saidwho.tui.messages import (
    FileStamp,
    IngestFinished,
    IngestProgress,
    IngestStarted,
    IoDone,
    LibraryChanged,
    Signature,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.ingest import IngestEvent
    from saidwho.tui.screens.library import LibraryScreen
    from saidwho.tui.screens.reader import Loaded, ReaderScreen

T = TypeVar("T")
NOTICES_KEPT = 50


@dataclass(frozen=True)
class Notice:
    """A notification as the user saw it (``SaidwhoApp.notifications``)."""

    message: str
    title: str
    severity: SeverityLevel


class InertFilter(LineFilter):
    """The last guard before the terminal: a control character that reached a rendered line
    (a widget that forgot ``safe_text``, a TextArea holding a pasted note) is dropped. Widgets
    show such characters as visible symbols first; this only makes a miss harmless.
    Dropping, not replacing: a control takes no cell, so the line keeps its width."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg
            if seg.control or not has_unsafe(seg.text)
            else seg._replace(text=strip_unsafe(seg.text))
            for seg in segments
        ]


def _screen_of(callback: object) -> Screen[Any] | None:
    """The screen a callback (a bound method, or a partial of one) belongs to, if any."""
    owner = getattr(getattr(callback, "func", callback), "__self__", None)
    if isinstance(owner, Screen):
        return owner
    if isinstance(owner, DOMNode):
        try:
            return owner.screen
        except Exception:  # noqa: BLE001 - not mounted (any more): nobody to cancel for
            return None
    return None


def export_default(name: str) -> str:
    """Where an export goes unless the reviewer says otherwise, as they would type it:
    ``~/Documents/<name>`` when that folder exists, else ``~/<name>``."""
    home = Path.home()
    folder = home / "Documents"
    return f"~/Documents/{name}" if folder.is_dir() else (f"~/{name}" if home.is_dir() else name)


NO_FEEDS = (
    "No feeds to update",
    "You have no feeds yet. Subscribe to one with `saidwho feeds add URL`, then press u.",
)
# Every write to a library replaces the catalog's index or the notes' index (temp file +
# os.replace), and article files and catalog shards only change together with the index:
# two stats tell whether anything did.
WATCHED = ("catalog/index.json", "notes/index.json")
WATCH_INTERVAL = 2.0  # seconds between looks; a stat of two files costs microseconds
# gen0, gen1, gen2 thresholds while the reader runs (CPython defaults: 700, 10, 10)
GC_THRESHOLD = (20_000, 50, 100)


def library_signature(root: Path) -> Signature:
    """(mtime_ns, size, inode) of the files every library write replaces. A new inode per
    write (os.replace) means even two writes within one mtime tick are told apart."""
    out: list[FileStamp] = []
    for name in WATCHED:
        try:
            st = os.stat(root / name)
        except OSError:
            out.append(None)
        else:
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(out)


class SaidwhoApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses elsewhere work too
    TITLE = "saidwho"
    SUB_TITLE = "who said what, where exactly"
    BINDINGS = bindings("app")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-normal"), (130, "-wide")]
    # -medium (22-29 rows): the note editor's text box shrinks so its tags field still shows
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-medium"), (30, "-tall")]

    def __init__(
        self,
        library: Library,
        model: str | None = None,
        *,
        nlp: Language | None = None,
        watch: float | None = WATCH_INTERVAL,
    ) -> None:
        """``model``: the spaCy pipeline to load on the first ingest (None: the default);
        ``nlp``: an already loaded pipeline to use instead (tests share one). ``watch``:
        seconds between looks for other processes' changes; None never looks."""
        super().__init__()
        self.library = library
        self.model = model
        # not ``self.watch``: that would hide App.watch, Textual's reactive watcher method
        self.watch_interval = watch
        self.keymap: dict[str, str] = {}  # binding id -> keys, from $SAIDWHO_KEYMAP
        self._signature: Signature | None = None
        self._watching = False  # a look is running: never stack them on a slow disk
        self._nlp: Language | None = nlp
        self._nlp_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.cancel_ingest = threading.Event()
        self.ingesting = False
        self.seeding = False
        self._reader: ReaderScreen | None = None  # the kept reader screen (see open_reader)
        self._opening: object | None = None  # the open_reader whose fetch is running
        self._frozen = False  # something is frozen: thawed on unmount (see _freeze_heap)
        self._startup_frozen = False
        self._gc_threshold: tuple[int, ...] | None = None  # the process's, restored on unmount
        self._notices: deque[Notice] = deque(maxlen=NOTICES_KEPT)
        self._inert_filter = InertFilter()
        self._told: set[str] = set()  # record errors already notified

    # -- lifecycle ----------------------------------------------------------------------

    def on_load(self) -> None:
        # Fewer, larger collections of young objects: with a library of 10,000 articles
        # in memory every keystroke's allocations set off passes that cost a filter
        # keystroke ~10 ms and opening an article ~15 ms (benchmarks/tui_scale.py).
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)
        # Read the list's first page while Textual builds its screens: the library
        # screen's own read then finds the index parsed and hashed (store/article_rows.py).
        # Failures are left for that read to report.
        threading.Thread(target=self._warm_library, name="saidwho-warm", daemon=True).start()

    def _warm_library(self) -> None:
        from saidwho.store.article_rows import first_page
        from saidwho.tui.screens.library import FIRST_PAGE

        with contextlib.suppress(Exception):  # the library screen's own read reports it
            first_page(self.library, FIRST_PAGE)

    def on_mount(self) -> None:
        from saidwho.tui.screens.library import LibraryScreen

        self._load_keymap()
        self.push_screen(LibraryScreen())
        self._startup()
        if self.watch_interval:
            self.set_interval(self.watch_interval, self._look, name="library-watch")

    def _load_keymap(self) -> None:
        """$SAIDWHO_KEYMAP: a JSON file of {binding id: keys}, e.g. {"reader.dispute": "X"};
        help shows the remapped keys because it reads the same ids."""
        path = settings.keymap_path()
        if not path:
            return
        try:
            keymap = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
            self.keymap = {str(k): str(v) for k, v in keymap.items()}
            self.set_keymap(self.keymap)
        except (OSError, ValueError, AttributeError) as exc:
            self.notify(
                f"{path}: {exc}", title="Keymap not loaded", severity="warning", markup=False
            )

    @work(thread=True, group="startup", exit_on_error=False)
    def _startup(self) -> None:
        """First run: fill an empty library from the bundled seeds, then show it."""
        self._watch_job(initial=True)
        try:
            empty = self.library.is_empty()
        except Exception as exc:  # noqa: BLE001 - shown to the user, not fatal
            self.post_message(IngestFinished([], error=str(exc), seeding=True))
            return
        if not empty:
            self.post_message(IngestFinished([], seeding=True))
            return
        from saidwho import seeds

        self.seeding = True
        self._run_ingest([str(p) for p in seeds.seed_paths()], "Preparing the sample library", True)

    # -- live refresh: other processes (or `saidwho ingest`) write the same library ------

    def _look(self) -> None:
        if self._watching:
            return
        self._watching = True
        self.run_worker(self._watch_job, thread=True, group="watch", exit_on_error=False)

    def _watch_job(self, initial: bool = False) -> None:
        try:
            signature = library_signature(self.library.root)
        finally:
            self._watching = False
        if signature != self._signature:
            self.post_message(LibraryChanged(signature, initial=initial))

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.signature == self._signature:
            return
        first = self._signature is None
        self._signature = message.signature
        if message.initial or first:
            return
        self.library_changed()

    def library_changed(self) -> None:
        """Tell every open screen; each reloads in a worker and keeps its cursor."""
        from saidwho.tui.screens.base import AppScreen

        for screen in self.screen_stack:
            if isinstance(screen, AppScreen):
                screen.library_changed()

    def on_unmount(self) -> None:
        self.cancel_ingest.set()  # let a running ingest stop between files
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        if self._frozen:
            gc.unfreeze()  # collectable again once this app is gone (tests run many)

    # -- notifications --------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # messages quote titles, file names and errors: untrusted, so inert on screen
        message, title = inert(message), inert_line(title)
        self._notices.append(Notice(message, title, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def report_record_errors(self) -> None:
        """One notice per library record skipped for its shape (each told once)."""
        for error in self.library.record_errors:
            if str(error) not in self._told:
                self._told.add(str(error))
                self.notify(
                    f"{error}; `saidwho doctor --repair` moves it aside",
                    title="Library record skipped",
                    severity="warning",
                    markup=False,
                )

    def copy_to_clipboard(self, text: str) -> None:
        """What is pasted later (into a shell, an editor) gets no control characters."""
        super().copy_to_clipboard(inert(text))

    def get_line_filters(self) -> Sequence[LineFilter]:
        extra = [self._inert_filter] if self._inert_filter.enabled else []
        return [*super().get_line_filters(), *extra]

    @property
    def inert_filter(self) -> InertFilter:
        """The last guard (tests turn it off to check that every widget is inert itself)."""
        return self._inert_filter

    def validate_title(self, title: Any) -> str:
        return inert_line(super().validate_title(title))

    def validate_sub_title(self, sub_title: Any) -> str:
        return inert_line(super().validate_sub_title(sub_title))

    @property
    def notifications(self) -> tuple[Notice, ...]:
        """The last notifications shown, oldest first (also those already timed out)."""
        return tuple(self._notices)

    # -- background work ----------------------------------------------------------------

    def io(
        self,
        fn: Callable[[], T],
        done: Callable[[T], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
        *,
        group: str = "io",
        write: bool = False,
    ) -> Worker[None]:
        """Run ``fn`` in a thread; ``done``/``failed`` run on the UI thread afterwards.
        A read whose ``done`` belongs to a screen is that screen's worker (Textual's
        ``Worker.node``): cancelled when the screen is removed, or left while it stays
        installed (``AppScreen.on_screen_suspend``). A write is the app's and always
        completes."""
        owner = None if write else _screen_of(done)
        node: DOMNode = self if owner is None else owner
        return node.run_worker(
            partial(self._io_job, fn, done, failed, write),
            thread=True,
            group=group,
            exit_on_error=False,
        )

    def _io_job(
        self,
        fn: Callable[[], T],
        done: Callable[[T], object] | None,
        failed: Callable[[BaseException], object] | None,
        write: bool,
    ) -> None:
        try:
            if write:  # writes keep the order they were made in
                with self._write_lock:
                    result = fn()
            else:
                result = fn()
        except Exception as exc:  # noqa: BLE001 - reported by the UI thread
            self.post_message(IoDone(done, failed, error=exc))
            return
        if get_current_worker().is_cancelled:  # its screen was left: nobody wants it
            return
        self.post_message(IoDone(done, failed, result=result))

    def on_io_done(self, message: IoDone) -> None:
        callback = message.failed if message.error is not None else message.done
        owner = getattr(callback, "__self__", None)  # a bound method: its widget or screen
        if isinstance(owner, DOMNode) and not owner.is_attached:
            return  # its screen was closed meanwhile
        if message.error is not None:
            if message.failed is not None:
                message.failed(message.error)
            else:
                self.notify(
                    str(message.error) or type(message.error).__name__,
                    title="saidwho",
                    severity="error",
                    markup=False,
                )
        elif message.done is not None:
            message.done(message.result)

    def pipeline(self) -> Language:
        """The spaCy pipeline: the one given as ``nlp=``, else ``model`` loaded once on first
        use (worker threads only: loading takes seconds)."""
        with self._nlp_lock:
            if self._nlp is None:
                from saidwho.attribution import load_pipeline

                self._nlp = load_pipeline(self.model)
            return self._nlp

    # -- ingest -------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str]) -> None:
        if self.ingesting:
            self.notify("An ingest is already running.", severity="warning")
            return
        self.ingesting = True
        self.cancel_ingest.clear()
        self._ingest_worker(list(paths))

    @work(thread=True, group="ingest", exit_on_error=False)
    def _ingest_worker(self, paths: list[str]) -> None:
        self._run_ingest(paths, "Ingesting " + ", ".join(Path(p).name for p in paths), False)

    def _run_ingest(self, paths: list[str], label: str, seeding: bool) -> None:
        from saidwho.ingest import expand_paths, ingest_paths
        from saidwho.readers.fetch import is_url

        try:
            files, errors = expand_paths(paths)
            urls = [p for p in paths if is_url(p)]
            self.post_message(IngestStarted(len(files) + len(errors) + len(urls), label))
            nlp = self.pipeline()

            def progress(event: IngestEvent) -> None:
                self.post_message(IngestProgress(event))

            events = ingest_paths(
                self.library, paths, nlp, on_event=progress, cancel=self.cancel_ingest
            )
        except Exception as exc:  # noqa: BLE001 - e.g. no spaCy model: tell the user
            self.post_message(
                IngestFinished([], error=str(exc) or type(exc).__name__, seeding=seeding)
            )
            return
        self.post_message(IngestFinished(events, seeding=seeding))

    # -- feeds: the ingest worker's flag, cancel event and messages, one feed per step ------

    def action_update_feeds(self) -> None:
        self.command_update_feeds()

    def command_update_feeds(self) -> None:
        if self.ingesting:
            self.notify("An ingest is already running.", severity="warning")
            return
        self.ingesting = True
        self.cancel_ingest.clear()
        self._feeds_worker()

    @work(thread=True, group="ingest", exit_on_error=False)
    def _feeds_worker(self) -> None:
        from saidwho.feed_update import FeedResult, update_feeds
        from saidwho.store.feeds import FeedStore

        try:
            feeds = FeedStore(self.library).feeds()
            if not feeds:
                self.post_message(IngestFinished([], notice=NO_FEEDS))
                return
            self.post_message(IngestStarted(len(feeds), f"Updating {len(feeds)} feeds"))

            def entry_failed(event: IngestEvent) -> None:
                if event.status == "error":
                    self.call_from_thread(
                        self.notify,
                        f"{event.path}: {event.error}",
                        title="Not ingested",
                        severity="error",
                        markup=False,
                        timeout=8,
                    )

            def feed_done(result: FeedResult) -> None:
                if result.notice:  # the feed was cut at its entry cap: say so, once
                    self.call_from_thread(
                        self.notify,
                        f"{result.label}: {result.notice}",
                        title="Feed cut short",
                        severity="warning",
                        markup=False,
                        timeout=8,
                    )
                self.post_message(IngestProgress(result))

            results = update_feeds(
                self.library,
                self.pipeline,
                on_entry=entry_failed,
                on_feed=feed_done,
                cancel=self.cancel_ingest,
            )
        except Exception as exc:  # noqa: BLE001 - a damaged feeds file, no model: say so
            self.post_message(IngestFinished([], error=str(exc) or type(exc).__name__))
            return
        self.post_message(IngestFinished(list(results)))

    def _library_screen(self) -> LibraryScreen | None:
        from saidwho.tui.screens.library import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen
        return None

    def on_ingest_started(self, message: IngestStarted) -> None:
        if (screen := self._library_screen()) is not None:
            screen.ingest_started(message.total, message.label)

    def on_ingest_progress(self, message: IngestProgress) -> None:
        event = message.event
        if event.status == "error":
            self.notify(
                f"{event.path}: {event.error}",
                title="Not ingested",
                severity="error",
                markup=False,
                timeout=8,
            )
        if (screen := self._library_screen()) is not None:
            screen.ingest_progress(event)

    def on_ingest_finished(self, message: IngestFinished) -> None:
        self.ingesting = False
        self.seeding = False
        if message.notice:
            title, text = message.notice
            self.notify(text, title=title, markup=False, timeout=8)
        elif message.error:
            self.notify(
                message.error, title="Ingest failed", severity="error", markup=False, timeout=12
            )
        elif message.events:
            counts: dict[str, int] = {}
            for event in message.events:
                counts[event.status] = counts.get(event.status, 0) + 1
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            if message.seeding:  # a newcomer's first screen: name the key that lists them all
                summary += f". {first_run_hint(self.keymap)}"
            self.notify(
                summary,
                title="Sample library ready" if message.seeding else "Ingest done",
                markup=False,
            )
        if (screen := self._library_screen()) is not None:
            screen.ingest_finished()

    # -- app actions and the command palette --------------------------------------------

    def open_reader(
        self,
        article_id: str,
        *,
        nav: Sequence[str] = (),
        quote_id: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Show an article. One reader screen is built once and kept (installed) between
        articles: composing and styling its widgets cost more than loading an article.
        The kept screen is shown only once the article is fetched, filled: laid out and
        painted once, not empty first and again with the article (~60 ms less)."""
        from saidwho.tui.screens.reader import ReaderScreen, fetch_article

        reader = self._reader
        if reader is None or reader in self.screen_stack or not reader.composed:
            self._opening = None
            if reader is None or reader in self.screen_stack:
                reader = ReaderScreen(article_id, nav=nav, quote_id=quote_id, span=span)
                if self._reader is None:
                    self._reader = reader
                    self.install_screen(reader, name="reader")
            else:  # built ahead, not mounted yet: it loads the article when it mounts
                reader.reopen(article_id, nav=nav, quote_id=quote_id, span=span)
            self.push_screen(reader)
            return
        self._opening = token = object()  # only the last Enter shows: no double push

        def show(data: Loaded) -> None:
            if self._opening is not token:
                return
            self._opening = None
            if reader in self.screen_stack:
                return
            reader.reopen(article_id, nav=nav, quote_id=quote_id, span=span, data=data)
            self.push_screen(reader)

        def failed(error: BaseException) -> None:
            if self._opening is token:
                self._opening = None
            self.notify(
                str(error) or type(error).__name__,
                title="Could not open the article",
                severity="error",
                markup=False,
            )

        self.io(partial(fetch_article, self.library, article_id), show, failed, group="reader")

    def prepare_reader(self) -> None:
        """Build the kept reader screen while the library sits idle, so that the first open
        costs what later ones do: composing and styling it took ~250 ms on the first Enter.
        Registering mounts it (compose, CSS) without showing it; push_screen shows it."""
        if self._reader is not None or not self.is_running:
            return
        from saidwho.tui.screens.reader import ReaderScreen

        reader = ReaderScreen()
        self._reader = reader
        self.install_screen(reader, name="reader")
        self._register(self, reader)  # what push_screen does for a screen not yet running
        self.set_timer(0.2, self._freeze_heap)  # once the reader has mounted
        # what the first article opened would otherwise wait for: the speaker index its
        # quotes are named by and the quote-trail index its trail counts come from (each
        # read from disk, or built once for a library without it: seconds at 100,000).
        # After the first paint: building them holds the library, and the library screen's
        # first read must not wait for that.
        self.io(self._warm_reader_indexes, group="warm")

    def _warm_reader_indexes(self) -> None:
        from saidwho.store import trails

        with contextlib.suppress(Exception):  # whoever needs them reports a failure
            self.library.identities()
            trails.prepare(self.library)
            if (self.library.root / "queue").is_dir():  # its queue was opened before
                import saidwho.tui.screens.queue  # noqa: F401 (numpy: ~0.3 s to import)
                from saidwho.store.queue_index import warm

                warm(self.library)  # its files read ahead: the first ``w`` reads none
            self.keep_library_heap()

    def _freeze_heap(self) -> None:
        """Keep what startup built (modules, styles, screens: ~130k objects) out of the
        garbage collector's full passes, which otherwise took 100-170 ms at random moments,
        such as an Enter. Garbage is collected first; ``on_unmount`` thaws it all again."""
        if self._startup_frozen:
            return
        self._startup_frozen = self._frozen = True
        gc.collect()
        gc.freeze()

    def keep_library_heap(self) -> None:
        """The library just read (at 10,000 articles millions of objects, none in a cycle)
        joins the permanent generation, so the collector's passes never walk it: else the
        first allocations after the read (the table's rows) set off a pass over all of it,
        ~300 ms at that size. No collection first: that would be such a pass."""
        gc.freeze()
        self._frozen = True

    def action_help(self) -> None:
        from saidwho.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            # the keys of the screen the user is on come first
            self.push_screen(HelpScreen(getattr(self.screen, "HELP_SCOPES", ())))

    def command_ingest(self) -> None:
        from saidwho.readers.fetch import is_url
        from saidwho.tui.screens.dialogs import InputDialog, PathSuggester

        def chosen(value: str | None) -> None:
            if value:
                # a URL is kept as typed: Path() would fold its "//" into "/"
                self.ingest(
                    [value.strip() if is_url(value.strip()) else str(Path(value).expanduser())]
                )

        self.push_screen(
            InputDialog(
                "Ingest a file, folder or URL (.txt, .md, .html, https://…)",
                placeholder="~/news/article.txt, a folder or https://…",
                hint="tab completes · enter ingests · esc cancels",
                suggester=PathSuggester(),
                dialog_id="ingest-dialog",
            ),
            chosen,
        )

    def _export(self, name: str) -> None:
        """Ask where (the default: ``name`` in the Documents folder, else the home folder,
        never silently the directory the app was started in), write in a worker, and say
        the full path written."""
        from saidwho.store.export import export_notes
        from saidwho.tui.screens.dialogs import InputDialog, PathSuggester

        def write(path: Path) -> tuple[int, Path]:
            return export_notes(self.library, path), path.resolve()

        def written(result: tuple[int, Path]) -> None:
            count, path = result
            noun = "note or review" if count == 1 else "notes and reviews"
            self.notify(f"{count} {noun} written to {path}", title="Exported", markup=False)

        def chosen(value: str | None) -> None:
            if not value:
                return
            path = Path(value).expanduser()
            self.io(
                lambda: write(path),
                written,
                lambda exc: self.notify(
                    str(exc), title="Export failed", severity="error", markup=False
                ),
                write=True,
            )

        self.push_screen(
            InputDialog(
                "Export all notes and reviews to",
                value=export_default(name),
                suggester=PathSuggester(),
                hint="the suffix picks the format: .md, .jsonld, .csv or .json",
                dialog_id="export-dialog",
            ),
            chosen,
        )

    def command_export_markdown(self) -> None:
        self._export("saidwho-notes.md")

    def command_export_json(self) -> None:
        self._export("saidwho-notes.json")

    def command_export_jsonld(self) -> None:
        self._export("saidwho-notes.jsonld")

    def command_export_csv(self) -> None:
        self._export("saidwho-notes.csv")

    def command_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def command_speakers(self) -> None:
        from saidwho.tui.screens.speakers import SpeakersScreen

        self.push_screen(SpeakersScreen())

    def command_search(self) -> None:
        from saidwho.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def command_review_queue(self) -> None:
        from saidwho.tui.screens.queue import ReviewQueueScreen

        self.push_screen(ReviewQueueScreen())

    def command_cancel_ingest(self) -> None:
        if self.ingesting:
            self.cancel_ingest.set()
            self.notify("Stopping after the current file.")
        else:
            self.notify("No ingest is running.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for action in actions("palette"):
            yield SystemCommand(
                action.description, action.help, getattr(self, f"command_{action.action}")
            )
        yield from super().get_system_commands(screen)
