"""The review queue: every quote in the library that still needs a look, one row each.

``w`` cycles what it lists (needs review, unreviewed, low confidence, unattributed, disputed,
all); ``a`` confirms the quote and moves to the next row; ``x`` disputes; Enter opens the
article at the quote. The subtitle keeps the progress: "12 of 31 reviewed".
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from saidwho.store import Library, QuoteView
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

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        table = QueueTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Static(id="queue-words", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Review queue"
        table = self.query_one(QueueTable)
        table.add_column("", key="state", width=1)
        table.add_column("conf", key="conf", width=4)
        table.add_column("speaker", key="speaker", width=24)
        table.add_column("kind", key="kind", width=8)
        table.add_column("words", key="words", width=50)
        table.add_column("article", key="article", width=24)
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        lib = self.saidwho_app.library

        def fetch() -> tuple[list[QuoteView], dict[str, str]]:
            return fetch_queue(lib), {a.id: a.title for a in lib.articles()}

        self.saidwho_app.io(fetch, lambda data: self._loaded(data, keep))

    def library_changed(self) -> None:
        self.reload(self.current.id if self.current else None)

    def _loaded(self, data: tuple[list[QuoteView], dict[str, str]], keep: str | None) -> None:
        self.quotes, self.titles = data
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
        for q in self.shown:
            low = q.confidence < LOW_CONFIDENCE and q.review == "unreviewed"
            table.add_row(
                Text(STATE_MARKS[q.review]),
                Text(f"{q.confidence:.2f}", style="bold" if low else ""),
                Text(clip(who(q), 24)),
                Text(q.kind),
                Text(clip(quote_body(q).plain, 50)),
                Text(clip(self.titles.get(q.article_id, q.article_id), 24)),
                key=q.id,
            )
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
        words.update(Text(f"{who(quote)}: {quote_body(quote).plain}"))

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
    ) -> None:
        lib = self.saidwho_app.library

        def write() -> QuoteView:
            return lib.review_quote(
                quote.article_id, quote.id, confirmed=confirmed, disputed=disputed
            )

        def done(fresh: QuoteView) -> None:
            self.quotes = [fresh if q.id == fresh.id else q for q in self.quotes]
            self.refill(then if then and any(q.id == then for q in self.quotes) else fresh.id)

        self.saidwho_app.io(write, done, write=True)

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
