"""The review queue: every quote in the library that still needs a look, one row each.

``w`` cycles what it lists (needs review, unreviewed, low confidence, unattributed, disputed,
all); ``a`` confirms the quote and moves to the next row; ``x`` disputes; ``r`` reassigns
the speaker, ``R`` reverts to the machine's (every review action the reader has); Enter opens
the article at the quote. The subtitle keeps the progress: "12 of 31 reviewed".
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from saidwho.core.safe_text import inert_line
from saidwho.store import UNSET, Library, QuoteView, default_reviewer
from saidwho.store.article_rows import article_list
from saidwho.store.records import now
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import (
    LOW_CONFIDENCE,
    QUEUES,
    clip,
    in_queue,
    is_uncertain,
    progress,
    who,
)
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.screens.dialogs import ask_for_speaker
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import VimTable, quote_body

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


class QueueTable(VimTable):
    BINDINGS = host_bindings("queue-table")


def fetch_queue(lib: Library) -> list[QuoteView]:
    """Every quote of the library (disk work: call it in a worker). A damaged article file
    is skipped here; the library screen and doctor name it."""
    return lib.all_quotes(on_error=lambda _aid, _exc: None)


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
        self.quotes: list[QuoteView] = []
        self.shown: list[QuoteView] = []
        self.filter = "needs review"
        self.titles: dict[str, str] = {}
        self._widths: dict[str, int] = {}

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
        if self._columns() and self.quotes:
            self.refill()

    def _columns(self) -> bool:
        """Lay the columns out for the width; True when they changed. The words and the
        article keep a readable width: the kind goes first, then the article and the
        speaker narrow (never below a name's worth), the words take the rest."""
        widths = queue_widths(self.size.width or 120, [who(q) for q in self.quotes])
        if widths == self._widths:
            return False
        self._widths = widths
        table = self.query_one(QueueTable)
        table.clear(columns=True)
        for key, width in widths.items():
            table.add_column(COLUMN_LABELS[key], key=key, width=width)
        return True

    def reload(self, keep: str | None = None) -> None:
        lib = self.saidwho_app.library

        def fetch() -> tuple[list[QuoteView], dict[str, str]]:
            return fetch_queue(lib), {a.id: a.title for a in article_list(lib)}

        self.saidwho_app.io(fetch, lambda data: self._loaded(data, keep))

    def library_changed(self) -> None:
        self.reload(self.current.id if self.current else None)

    def _loaded(self, data: tuple[list[QuoteView], dict[str, str]], keep: str | None) -> None:
        self.quotes, self.titles = data
        self._columns()  # the speaker column fits the names now known
        self.refill(keep)

    def refill(self, keep: str | None = None) -> None:
        """Filter and show; the cursor stays on ``keep`` (or the row where it was)."""
        table = self.query_one(QueueTable)
        row = table.cursor_row
        keep = keep or (self.current.id if self.current else None)
        # the uncertain first, least sure first: where a reviewer's look is worth most
        shown = [q for q in self.quotes if in_queue(q, self.filter)]
        self.shown = sorted(shown, key=uncertain_first)
        table.clear()
        widths = self._widths
        for q in self.shown:
            low = q.confidence < LOW_CONFIDENCE and q.review == "unreviewed"
            cells = {
                "state": Text(STATE_MARKS[q.review]),
                "conf": Text(f"{q.confidence:.2f}", style="bold" if low else ""),
                "speaker": Text(clip(who(q), widths["speaker"])),
                "kind": Text(q.kind),
                "words": Text(clip(quote_body(q).plain, widths["words"])),
                "article": Text(
                    clip(self.titles.get(q.article_id, q.article_id), widths["article"])
                ),  # fmt: skip
            }
            table.add_row(*(cells[key] for key in widths), key=q.id)
        table.loading = False
        if self.focused is None:  # AUTO_FOCUS missed it while it was loading
            table.focus()
        ids = [q.id for q in self.shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        elif ids:
            table.move_cursor(row=min(row, len(ids) - 1))
        self.sub_title = f"{FILTERS[self.filter]} ({len(self.shown)}) · {progress(self.quotes)}"
        self._show_words()

    @property
    def current(self) -> QuoteView | None:
        table = self.query_one(QueueTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowHighlighted, "#queue-table")
    def _show_words(self) -> None:
        quote = self.current
        words = self.query_one("#queue-words", Static)
        if quote is None:
            words.update(Text("Nothing left to review here: w shows other quotes."))
            return
        title = clip(self.titles.get(quote.article_id, quote.article_id), 200)
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
        """Write a verdict in a worker, then show it. A new speaker may join other quotes
        to its identity: the queue is read again then (as the reader does)."""
        lib = self.saidwho_app.library
        reviewer, at = default_reviewer(), now()

        def write() -> QuoteView:
            return lib.review_quote(
                quote.article_id, quote.id, confirmed=confirmed, disputed=disputed,
                speaker=speaker, revert=revert, reviewer=reviewer, at=at,
            )  # fmt: skip

        def done(fresh: QuoteView) -> None:
            if message:
                self.notify(inert_line(clip(message, 80)), timeout=3, markup=False)
            if speaker is not UNSET or revert:
                self.reload(fresh.id)
                return
            self.quotes = [fresh if q.id == fresh.id else q for q in self.quotes]
            self.refill(then if then and any(q.id == then for q in self.quotes) else fresh.id)

        self.saidwho_app.io(write, done, self._refused, write=True)

    def _refused(self, exc: BaseException) -> None:
        self.notify(inert_line(clip(str(exc), 200)), severity="error", markup=False)

    def action_reassign(self) -> None:
        """Correct the speaker, as ``r`` in the reader: the article's speakers suggested
        first, then the library's."""
        quote = self.current
        if quote is None:
            return
        here = [q.speaker for q in self.quotes if q.article_id == quote.article_id and q.speaker]

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
