"""Speakers: everyone quoted in the library; Enter lists their quotes, Enter on one opens it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Header, Input, OptionList
from textual.widgets.option_list import Option

from saidwho.safe_text import inert_line
from saidwho.store import ArticleSummary, QuoteView, SpeakerSummary
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, clip
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import SpeakerTable, VimTable, quote_body, quote_meta


class SpeakerQuotes(OptionList):
    BINDINGS = host_bindings("speaker-quotes", "table")


class SpeakersScreen(AppScreen[None]):
    BINDINGS = bindings("speakers")
    HELP_SCOPES = ("speakers", "table")
    AUTO_FOCUS = "#speakers"

    def __init__(self) -> None:
        super().__init__(id="speakers-screen")
        self.speakers: list[SpeakerSummary] = []
        self.shown: list[SpeakerSummary] = []
        self.quotes: list[QuoteView] = []
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        box = Input(placeholder="filter speakers", id="speaker-filter")
        box.display = False
        yield box
        with Horizontal(id="speakers-body"):
            table = SpeakerTable(id="speakers", cursor_type="row", zebra_stripes=True)
            table.border_title = "Speakers"
            table.loading = True
            yield table
            quotes = SpeakerQuotes(id="speaker-quotes", markup=False)
            quotes.border_title = "Quotes"
            yield quotes
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Speakers"
        self._columns()
        self.query_one("#speaker-quotes", SpeakerQuotes).set_options(
            [
                Option(
                    Content.styled("Enter on a speaker lists their quotes.", MUTED),
                    disabled=True,
                )
            ]
        )
        self.saidwho_app.io(self.saidwho_app.library.speakers, self._loaded)

    def _columns(self) -> None:
        """The counts keep their width; the name takes the rest and ends in … if longer
        (at 80 columns a 40-cell name column pushed the counts out of sight). A narrow
        table drops the articles count rather than cut names short."""
        table = self.query_one("#speakers", VimTable)
        room = table.size.width - 3 if table.size.width else 40  # border and scrollbar
        wide = room >= 40
        name = max(8, min(40, room - 6 - (8 + 2 if wide else 0) - 4))  # 1 cell pad a side
        column = table.columns.get("speaker")  # type: ignore[call-overload]  # key == str
        if column is not None and column.width == name and ("articles" in table.columns) == wide:
            return
        table.clear(columns=True)
        table.add_column("Speaker", key="speaker", width=name)
        table.add_column(Text("Quotes", justify="right"), key="quotes", width=6)
        if wide:
            table.add_column(Text("Articles", justify="right"), key="articles", width=8)
        if self.speakers:
            self.refill()

    def on_resize(self) -> None:
        self.call_after_refresh(self._columns)  # once the table has its new size

    def _loaded(self, speakers: list[SpeakerSummary]) -> None:
        self.speakers = speakers
        table = self.query_one("#speakers", VimTable)
        table.loading = False
        if self.focused is None:
            table.focus()
        self.refill()

    def library_changed(self) -> None:
        """Another process (or this one) wrote the library: recount, keep the cursor."""
        self.saidwho_app.io(self.saidwho_app.library.speakers, self._changed)

    def _changed(self, speakers: list[SpeakerSummary]) -> None:
        if speakers != self.speakers:
            self._loaded(speakers)

    def refill(self) -> None:
        query = self.query_one("#speaker-filter", Input).value.lower().split()
        table = self.query_one("#speakers", VimTable)
        had_rows, keep = table.row_count > 0, self._current_speaker()
        table.clear()
        self.shown = [s for s in self.speakers if all(w in s.speaker.lower() for w in query)]
        for s in self.shown:
            cells = [
                Text(inert_line(s.speaker), no_wrap=True, overflow="ellipsis"),
                Text(str(s.quotes), justify="right"),
                Text(str(s.articles), justify="right"),
            ]
            table.add_row(*cells[: len(table.columns)])
        table.border_title = f"Speakers ({len(self.shown)})"
        names = [s.speaker for s in self.shown]
        if had_rows and keep in names:
            table.move_cursor(row=names.index(keep), animate=False)

    def _current_speaker(self) -> str | None:
        table = self.query_one("#speakers", VimTable)
        row = table.cursor_row
        if self.shown and row is not None and 0 <= row < len(self.shown):
            return self.shown[row].speaker
        return None

    @on(DataTable.RowSelected, "#speakers")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        focused = self.focused
        if focused is self.query_one("#speaker-quotes"):
            self.query_one("#speaker-quotes", SpeakerQuotes).action_select()
            return
        table = self.query_one("#speakers", VimTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return
        speaker = self.shown[table.cursor_row].speaker
        self.current = speaker
        lib = self.saidwho_app.library

        def fetch() -> tuple[list[QuoteView], dict[str, ArticleSummary]]:
            # a damaged article file is skipped, not allowed to hide every other quote
            quotes = lib.all_quotes(speaker=speaker, on_error=lambda article_id, _exc: None)
            return quotes, {a.id: a for a in lib.articles()}

        self.saidwho_app.io(fetch, self._quotes_loaded)

    def _quotes_loaded(self, result: tuple[list[QuoteView], dict[str, ArticleSummary]]) -> None:
        quotes, articles = result
        self.quotes = quotes
        panel = self.query_one("#speaker-quotes", SpeakerQuotes)
        options = []
        for quote in self.quotes:
            article = articles.get(quote.article_id)
            title = clip(article.title if article and article.title else quote.article_id, 200)
            prompt = Content.assemble(
                quote_body(quote, 240),
                "\n",
                (title, "bold $text-accent"),
                "\n",
                quote_meta(quote),
                "\n",
            )
            options.append(Option(prompt, id=f"{quote.article_id}:{quote.id}"))
        panel.set_options(options)
        # a Content title: a speaker's name is never read as markup
        name = clip(self.current or "Unattributed", 40)
        panel.border_title = Content(f"Quotes: {name} ({len(options)})")
        if options:
            panel.highlighted = 0
            panel.focus()

    @on(OptionList.OptionSelected, "#speaker-quotes")
    def _quote_chosen(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        article_id, quote_id = event.option.id.split(":", 1)
        nav = list(dict.fromkeys(q.article_id for q in self.quotes))
        self.saidwho_app.open_reader(article_id, nav=nav, quote_id=quote_id)

    def action_filter(self) -> None:
        box = self.query_one("#speaker-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#speaker-filter")
    def _filter(self) -> None:
        self.refill()

    @on(Input.Submitted, "#speaker-filter")
    def _filter_done(self) -> None:
        self.query_one("#speakers").focus()

    def action_back(self) -> None:
        box = self.query_one("#speaker-filter", Input)
        if self.focused is box:
            box.value = ""
            box.display = False
            self.query_one("#speakers").focus()
            return
        if self.focused is self.query_one("#speaker-quotes"):
            self.query_one("#speakers").focus()
            return
        self.dismiss()
