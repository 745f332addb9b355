"""The review queue: every quote in the library that still needs a look, one row each.

The queue is read from its index (store/queue_index.py: a few columns over every quote,
1.5 million at 100,000 articles), never by opening every article: the filter and the order
are worked out on the columns, and only the rows shown are read from their articles, a page
at a time (``PAGE``; the next page when the cursor nears the end of the rows read).

``w`` cycles what it lists (needs review, unreviewed, low confidence, unattributed, disputed,
all); ``a`` confirms the quote and moves to the next row; ``x`` disputes; ``r`` reassigns
the speaker, ``R`` reverts to the machine's (every review action the reader has); Enter opens
the article at the quote. The subtitle keeps the progress: "12 of 31 reviewed".
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from saidwho.core.safe_text import inert_line
from saidwho.store import UNSET, Library, QuoteView, default_reviewer
from saidwho.store.queue_index import QueueIndex, load, page
from saidwho.store.records import now
from saidwho.store.views import preview_review
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import (
    LOW_CONFIDENCE,
    QUEUES,
    clip,
    is_uncertain,
    who,
)
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.screens.dialogs import ask_for_speaker
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import VimTable, quote_body
from saidwho.tui.widgets.virtual_table import VirtualTable

# needs review first (unreviewed or disputed), "all quotes" last
FILTERS: dict[str, str] = {
    "needs review": "needs review",
    **{k: v for k, v in QUEUES.items() if k != "all"},
    "all": QUEUES["all"],
}
STATE_MARKS = {"unreviewed": "·", "confirmed": "✓", "disputed": "✗", "corrected": "✎"}


def uncertain_first(q: QuoteView) -> tuple[bool, float]:
    """Sort key of the queue: uncertain quotes (least confident first), then the rest in
    the library's order (a stable sort keeps it)."""
    return (not is_uncertain(q), q.confidence if is_uncertain(q) else 0.0)


COLUMN_LABELS = {
    "state": "",
    "conf": "conf",
    "speaker": "speaker",
    "kind": "kind",
    "words": "words",
    "article": "article",
}
WORDS_MIN = 28  # below this the kind column gives way, then the article and the speaker


def queue_widths(screen: int, names: list[str]) -> dict[str, int]:
    """The queue's column widths for a screen this wide (cells, without padding)."""
    room = screen - 1 - 2 * len(COLUMN_LABELS)  # scrollbar, one cell of padding a side
    speaker = min(max((len(n) for n in names), default=16), 24)
    speaker = max(speaker, 16)
    widths = {"state": 1, "conf": 4, "speaker": speaker, "kind": 8, "article": 24}
    rest = room - sum(widths.values())
    if rest < WORDS_MIN:
        del widths["kind"]
        rest += 8 + 2
    for key, least in (("article", 16), ("speaker", 16)):
        if rest < WORDS_MIN:
            give = min(widths[key] - least, WORDS_MIN - rest)
            widths[key] -= give
            rest += give
    order = ("state", "conf", "speaker", "kind", "words", "article")
    widths["words"] = max(WORDS_MIN, rest)
    return {key: widths[key] for key in order if key in widths}


PAGE = 100  # rows read from their articles at a time (three screens)
AHEAD = 40  # the next page is read when the cursor is this close to the last row read


class QueueTable(VirtualTable, VimTable):
    BINDINGS = host_bindings("queue-table")


def fetch_queue(lib: Library) -> list[QuoteView]:
    """Every quote of the library, by opening every article (disk work: call it in a
    worker): what the queue showed before its index, and what the index is tested against.
    A damaged article file is skipped here; the library screen and doctor name it."""
    return lib.all_quotes(on_error=lambda _aid, _exc: None)


Loaded = tuple[QueueIndex, np.ndarray, list[QuoteView]]


class ReviewQueueScreen(AppScreen[None]):
    BINDINGS = bindings("queue")
    HELP_SCOPES = ("queue", "table")
    AUTO_FOCUS = "#queue-table"
    DEFAULT_CSS = """
    #queue-table { height: 1fr; }
    #queue-words { height: auto; max-height: 6; padding: 0 1; background: $panel; }
    """

    def __init__(self) -> None:
        super().__init__(id="queue-screen")
        self.index: QueueIndex | None = None
        #: the queue's rows (quotes of the index) for the filter, in its order
        self.order: np.ndarray = np.zeros(0, dtype=np.int64)
        #: the quotes read so far: the first ``len(shown)`` of ``order``
        self.shown: list[QuoteView] = []
        self.filter = "needs review"
        self._views: dict[int, QuoteView] = {}  # index row -> the quote as read
        self._widths: dict[str, int] = {}
        self._reading = False  # a page is being read

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        table = QueueTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Static(id="queue-words", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Review queue"
        self._columns()
        self.reload()

    def on_resize(self) -> None:
        if self._columns() and self.shown:
            self._show(self.current.id if self.current else None, fresh=True)

    def _columns(self) -> bool:
        """Lay the columns out for the width; True when they changed. The words and the
        article keep a readable width: the kind goes first, then the article and the
        speaker narrow (never below a name's worth), the words take the rest."""
        widths = queue_widths(self.size.width or 120, [who(q) for q in self.shown])
        if widths == self._widths:
            return False
        self._widths = widths
        table = self.query_one(QueueTable)
        table.clear(columns=True)
        for key, width in widths.items():
            table.add_column(COLUMN_LABELS[key], key=key, width=width)
        return True

    def reload(self, keep: str | None = None) -> None:
        """Read the queue's index again (a worker), and its first page."""
        lib = self.saidwho_app.library
        name = self.filter

        def fetch() -> Loaded:
            index = load(lib)
            order = index.order(name, LOW_CONFIDENCE)
            return index, order, page(lib, index, order[:PAGE])

        self.saidwho_app.io(fetch, lambda data: self._loaded(data, name, keep))

    def library_changed(self) -> None:
        self.reload(self.current.id if self.current else None)

    def _loaded(self, data: Loaded, name: str, keep: str | None) -> None:
        if name != self.filter:
            return  # the filter changed while it was read: its own read follows
        self.index, self.order, quotes = data
        self._views = {}
        self._take(quotes)
        self.shown = self._prefix()
        self._columns()  # the speaker column fits the names now known
        self._show(keep, fresh=True)

    def _take(self, quotes: list[QuoteView]) -> None:
        """Keep quotes read from their articles, by their row in the index."""
        index = self.index
        if index is None:
            return
        for q in quotes:
            row = index.row_of(q.article_id, q.id)
            if row is not None:
                self._views[row] = q

    def refill(self, keep: str | None = None) -> None:
        """Filter and show; the cursor stays on ``keep`` (or the row where it was)."""
        index = self.index
        if index is None:
            return
        self.order = index.order(self.filter, LOW_CONFIDENCE)
        wanted = [int(r) for r in self.order[:PAGE] if int(r) not in self._views]
        if not wanted:
            self._show(keep)
            return
        lib, name = self.saidwho_app.library, self.filter

        def fetch() -> list[QuoteView]:
            return page(lib, index, wanted)

        def done(quotes: list[QuoteView]) -> None:
            if index is self.index and name == self.filter:
                self._take(quotes)
                self._show(keep)

        self.saidwho_app.io(fetch, done)

    def _show(self, keep: str | None = None, *, fresh: bool = False) -> None:
        """Show the rows of ``order`` read so far (the longest run of them from the top).
        The cells drawn before are drawn again only when ``fresh`` (the quotes were read
        again): a filter, a page more or a verdict (``forget_row``) keeps the others'."""
        table = self.query_one(QueueTable)
        row = table.cursor_row
        keep = keep or (self.current.id if self.current else None)
        self.shown = shown = self._prefix()
        widths = self._widths
        titles = self.titles_of(shown)

        def cells(i: int) -> list[Text]:
            q = shown[i]
            low = q.confidence < LOW_CONFIDENCE and q.review == "unreviewed"
            every = {
                "state": Text(STATE_MARKS[q.review]),
                "conf": Text(f"{q.confidence:.2f}", style="bold" if low else ""),
                "speaker": Text(clip(who(q), widths["speaker"])),
                "kind": Text(q.kind),
                "words": Text(clip(quote_body(q).plain, widths["words"])),
                "article": Text(clip(titles.get(q.article_id, q.article_id), widths["article"])),
            }
            return [every[key] for key in widths]

        ids = [q.id for q in shown]
        table.set_rows(ids, cells, same_cells=not fresh)
        table.loading = False
        if self.focused is None:  # AUTO_FOCUS missed it while it was loading
            table.focus()
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        elif ids:
            table.move_cursor(row=min(row, len(ids) - 1), animate=False)
        done = self.index.progress() if self.index is not None else "0 of 0 reviewed"
        self.sub_title = f"{FILTERS[self.filter]} ({len(self.order)}) · {done}"
        self._show_words()

    def _prefix(self) -> list[QuoteView]:
        """The rows of ``order`` read so far, from the top to the first not read."""
        shown = []
        for r in self.order[: len(self._views)].tolist():  # no more are read
            view = self._views.get(r)
            if view is None:
                break
            shown.append(view)
        return shown

    def titles_of(self, quotes: list[QuoteView]) -> dict[str, str]:
        """The titles of these quotes' articles, from the index."""
        index = self.index
        if index is None:
            return {}
        out: dict[str, str] = {}
        for q in quotes:
            if q.article_id not in out:
                row = index.row_of(q.article_id, q.id)
                out[q.article_id] = index.title(row) if row is not None else q.article_id
        return out

    @property
    def titles(self) -> dict[str, str]:
        """The titles of the articles of the quotes shown."""
        return self.titles_of(self.shown)

    @property
    def current(self) -> QuoteView | None:
        table = self.query_one(QueueTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self) -> None:
        self._show_words()
        table = self.query_one(QueueTable)
        if table.cursor_row >= len(self.shown) - AHEAD and len(self.shown) < len(self.order):
            self._read_more()

    def _read_more(self) -> None:
        """The next page of the queue, read from its articles in a worker."""
        index = self.index
        if index is None or self._reading:
            return
        start = len(self.shown)
        wanted = [int(r) for r in self.order[start : start + PAGE] if int(r) not in self._views]
        if not wanted:
            self._show()
            return
        self._reading = True
        lib = self.saidwho_app.library

        def fetch() -> list[QuoteView]:
            return page(lib, index, wanted)

        def done(quotes: list[QuoteView]) -> None:
            self._reading = False
            if index is self.index:
                self._take(quotes)
                self._show()

        def failed(exc: BaseException) -> None:
            self._reading = False

        self.saidwho_app.io(fetch, done, failed)

    def _show_words(self) -> None:
        quote = self.current
        words = self.query_one("#queue-words", Static)
        if quote is None:
            words.update(Text("Nothing left to review here: w shows other quotes."))
            return
        title = clip(self.titles_of([quote]).get(quote.article_id, quote.article_id), 200)
        line = Text(f"{who(quote)}: ", style="bold")
        line.append(quote_body(quote).plain, style="")
        line.append(f"\nin {title}", style="dim")  # the whole title: the column may cut it
        words.update(line)

    @on(DataTable.RowSelected, "#queue-table")
    def _open(self) -> None:
        quote = self.current
        if quote is not None:
            self.saidwho_app.open_reader(quote.article_id, quote_id=quote.id)

    def action_cycle_filter(self) -> None:
        names = list(FILTERS)
        self.filter = names[(names.index(self.filter) + 1) % len(names)]
        self.refill()

    def _review(
        self,
        quote: QuoteView,
        then: str | None,
        *,
        confirmed: bool | None = None,
        disputed: bool | None = None,
        speaker: str | None = UNSET,
        revert: bool = False,
        message: str | None = None,
    ) -> None:
        """Paint the verdict at once, write it in a worker (rolled back, with one line, if
        the write fails). A new speaker may join other quotes to its identity: the queue is
        read again then (as the reader does)."""
        lib = self.saidwho_app.library
        reviewer, at = default_reviewer(), now()
        index = self.index
        row = index.row_of(quote.article_id, quote.id) if index is not None else None
        renamed = speaker is not UNSET or revert
        if index is not None and row is not None and not renamed:
            shown = preview_review(
                quote, confirmed=confirmed, disputed=disputed, reviewer=reviewer, at=at
            )
            self._put(row, shown, then)

        def write() -> QuoteView:
            return lib.review_quote(
                quote.article_id, quote.id, confirmed=confirmed, disputed=disputed,
                speaker=speaker, revert=revert, reviewer=reviewer, at=at,
            )  # fmt: skip

        def done(fresh: QuoteView) -> None:
            if message:
                self.notify(inert_line(clip(message, 80)), timeout=3, markup=False)
            if renamed or index is not self.index or row is None:
                self.reload(fresh.id)
                return
            keep = self.current.id if self.current else None
            self._put(row, fresh, keep)

        def refused(exc: BaseException) -> None:
            if index is self.index and row is not None and not renamed:
                self._put(row, quote, quote.id)  # as it was
            self._refused(exc)

        self.saidwho_app.io(write, done, refused, write=True)

    def _put(self, row: int, quote: QuoteView, keep: str | None) -> None:
        """Quote ``row`` as ``quote`` says: it leaves the queue, or moves to where it now
        sorts (a binary search in the order, not a sort of the library)."""
        index = self.index
        if index is None:
            return
        at = next((i for i, q in enumerate(self.shown) if q.id == quote.id), None)
        index.apply(row, quote)
        self._views[row] = quote
        self.order = index.moved(self.order, row, self.filter, LOW_CONFIDENCE, at=at)
        self.query_one(QueueTable).forget_row(quote.id)
        self._show(keep)

    def _refused(self, exc: BaseException) -> None:
        self.notify(inert_line(clip(str(exc), 200)), severity="error", markup=False)

    def action_reassign(self) -> None:
        """Correct the speaker, as ``r`` in the reader: the article's speakers suggested
        first, then the library's."""
        quote = self.current
        if quote is None:
            return
        mine = [q for q in self._views.values() if q.article_id == quote.article_id]
        here = [q.speaker for q in mine if q.speaker]

        def chosen(name: str | None) -> None:
            if name and name != quote.speaker:
                self._review(quote, quote.id, speaker=name, message=f"Speaker set to {name}.")

        ask_for_speaker(self, quote, here, chosen)

    def action_revert(self) -> None:
        quote = self.current
        if quote is None:
            return
        if not quote.reassigned and quote.kind == (quote.machine_kind or quote.kind):
            self.notify("Nothing to revert: the machine's attribution stands.", timeout=3)
            return
        was = quote.machine_speaker or "unattributed"
        self._review(quote, quote.id, revert=True, message=f"Back to the machine's speaker: {was}.")

    def action_confirm(self) -> None:
        """Confirm and move to the next row (the confirmed one may leave the list)."""
        quote = self.current
        if quote is None:
            return
        index = self.shown.index(quote)
        rest = self.shown[index + 1 :] or self.shown[:index][::-1]
        self._review(quote, rest[0].id if rest else None, confirmed=True)

    def action_dispute(self) -> None:
        quote = self.current
        if quote is not None:
            self._review(quote, quote.id, disputed=not quote.disputed)

    def action_back(self) -> None:
        self.dismiss()
