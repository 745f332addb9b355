"""Speakers: every speaker identity in the library, grouped by kind (people first), most
quoted first. Enter lists their quotes across the library (article and date), Enter on one
opens it; space marks speakers, m merges them, r renames, x splits an alias out, K says
what a speaker is (person, organization, ...), u undoes.
Decisions are the store's (``Library.merge_speakers`` ...): the CLI and this screen agree."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from saidwho.attribution.names import KINDS
from saidwho.core.safe_text import inert_line
from saidwho.store import QuoteView, SpeakerSummary
from saidwho.store.article_rows import ListRow, article_list
from saidwho.store.identities import describe
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, clip
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.screens.dialogs import InputDialog
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import SpeakerTable, VimTable, quote_body, quote_meta

# the speaker's quotes, the articles by id, and each quote's (statement key, spread)
SpeakerQuotesLoaded = tuple[list[QuoteView], dict[str, ListRow], dict[str, tuple[str, int]]]


class SpeakerQuotes(OptionList):
    BINDINGS = host_bindings("speaker-quotes", "table")


NARROW = 76  # the app's "-narrow" breakpoint: below it the side panels go under the list
NAME_MAX = 40
KIND_CELLS, QUOTES_CELLS, ARTICLES_CELLS = 9, 8, 10  # each column's width and its padding

KIND_ORDER = {"person": 0, "organization": 1, "group": 2, "unnamed": 3}
KIND_LABEL = {"person": "person", "organization": "org", "group": "group", "unnamed": "unnamed"}


def by_kind(speakers: list[SpeakerSummary]) -> list[SpeakerSummary]:
    """People first, then organisations, groups, unnamed sources; most quoted first."""
    return sorted(speakers, key=lambda s: (KIND_ORDER.get(s.kind, 9), -s.quotes, s.speaker))


def aliases_content(speaker: SpeakerSummary) -> Content:
    """The alias list of one speaker (untrusted names: plain Content, never markup)."""
    aliases = ", ".join(inert_line(a) for a in speaker.aliases) or "none"
    roles = ", ".join(inert_line(r) for r in speaker.roles)
    parts: list[str | tuple[str, str]] = [("Also: ", "bold"), clip(aliases, 400)]
    if roles:
        parts += ["\n", ("Roles: ", "bold"), clip(roles, 200)]
    return Content.assemble(*parts)


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
        self.marked: set[str] = set()
        self._layout: tuple[int, bool, bool] | None = None  # the columns, as last laid out

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
            with Vertical(id="speaker-side"):
                aliases = Static(Content(""), id="speaker-aliases", markup=False)
                aliases.border_title = "Aliases"
                yield aliases
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
        """Names first: the list is as wide as its longest name needs (up to 55% of the
        screen, at least 40%), the counts keep their width; when room runs out the articles
        count goes first, then the kind, before a name is cut (at 80 columns a fixed 40%
        list cut names to 8 characters)."""
        table = self.query_one("#speakers", VimTable)
        screen = self.size.width or 80
        longest = max((len(s.speaker) + 2 for s in self.speakers), default=16)  # 2: the mark
        want = min(max(longest, 12), NAME_MAX)
        if screen < NARROW:  # the side panels go under the list: it has the whole width
            table.styles.width = "100%"
            room = screen - 3  # border and scrollbar
        else:
            cells = want + KIND_CELLS + QUOTES_CELLS + ARTICLES_CELLS + 5  # + border, bar
            width = min(max(cells, int(screen * 0.4)), int(screen * 0.55))
            table.styles.width = width
            room = width - 3
        name = room - KIND_CELLS - QUOTES_CELLS - 2  # the name's own cell padding
        wide = name - ARTICLES_CELLS >= want
        name -= ARTICLES_CELLS if wide else 0
        kind = name >= min(want, 16)
        name += 0 if kind else KIND_CELLS
        name = max(8, min(NAME_MAX, name))
        layout = (name, wide, kind)
        if layout == self._layout:
            return
        self._layout = layout
        table.clear(columns=True)
        table.add_column("Speaker", key="speaker", width=name)
        if kind:
            table.add_column("Kind", key="kind", width=7)
        table.add_column(Text("Quotes", justify="right"), key="quotes", width=6)
        if wide:
            table.add_column(Text("Articles", justify="right"), key="articles", width=8)
        if self.speakers:
            self.refill()

    def on_resize(self) -> None:
        self.call_after_refresh(self._columns)  # once the table has its new size

    def _loaded(self, speakers: list[SpeakerSummary]) -> None:
        self.speakers = by_kind(speakers)
        names = {s.speaker for s in self.speakers}
        self.marked &= names
        table = self.query_one("#speakers", VimTable)
        table.loading = False
        if self.focused is None:
            table.focus()
        self._columns()  # as wide as the names need
        self.refill()

    def library_changed(self) -> None:
        """Another process (or this one) wrote the library: recount, keep the cursor."""
        self.saidwho_app.io(self.saidwho_app.library.speakers, self._changed)

    def _changed(self, speakers: list[SpeakerSummary]) -> None:
        if by_kind(speakers) != self.speakers:
            self._loaded(speakers)

    def refill(self) -> None:
        query = self.query_one("#speaker-filter", Input).value.lower().split()
        table = self.query_one("#speakers", VimTable)
        had_rows, keep = table.row_count > 0, self._current_speaker()
        table.clear()
        self.shown = [
            s
            for s in self.speakers
            if all(any(w in n.lower() for n in (s.speaker, *s.aliases)) for w in query)
        ]
        for s in self.shown:
            mark = "✓ " if s.speaker in self.marked else ""
            cells = {
                "speaker": Text(mark + inert_line(s.speaker), no_wrap=True, overflow="ellipsis"),
                "kind": Text(KIND_LABEL.get(s.kind, s.kind), style="dim"),
                "quotes": Text(str(s.quotes), justify="right"),
                "articles": Text(str(s.articles), justify="right"),
            }
            table.add_row(*(cells[str(key.value)] for key in table.columns))
        table.border_title = f"Speakers ({len(self.shown)})"
        names = [s.speaker for s in self.shown]
        if had_rows and keep in names:
            table.move_cursor(row=names.index(keep), animate=False)
        self._show_aliases()

    @on(DataTable.RowHighlighted, "#speakers")
    def _show_aliases(self) -> None:
        box = self.query_one("#speaker-aliases", Static)
        speaker = self._current_summary()
        box.update(aliases_content(speaker) if speaker else Content(""))
        box.border_title = Content(
            f"Aliases: {clip(speaker.speaker, 40)}" if speaker else "Aliases"
        )

    def _current_summary(self) -> SpeakerSummary | None:
        table = self.query_one("#speakers", VimTable)
        row = table.cursor_row
        if self.shown and row is not None and 0 <= row < len(self.shown):
            return self.shown[row]
        return None

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

        def fetch() -> SpeakerQuotesLoaded:
            from saidwho.store.trails import statement_keys

            # a damaged article file is skipped, not allowed to hide every other quote
            quotes = lib.all_quotes(speaker=speaker, on_error=lambda article_id, _exc: None)
            keys = statement_keys(lib, [q.id for q in quotes])
            return quotes, {a.id: a for a in article_list(lib)}, keys

        self.saidwho_app.io(fetch, self._quotes_loaded)

    def _quotes_loaded(self, result: SpeakerQuotesLoaded) -> None:
        quotes, articles, keys = result

        def when(quote: QuoteView) -> str:
            article = articles.get(quote.article_id)
            return (article.date or "") if article else ""

        # across the library in document order: articles by date, quotes in text order;
        # a statement printed in several articles shows once (its first), with its spread
        ordered = sorted(quotes, key=lambda q: (when(q), q.article_id, q.start))
        repeats: dict[str, int] = {}
        self.quotes = []
        for quote in ordered:
            key = keys.get(quote.id, (quote.id, 1))[0]
            repeats[key] = repeats.get(key, 0) + 1
            if repeats[key] == 1:
                self.quotes.append(quote)
        panel = self.query_one("#speaker-quotes", SpeakerQuotes)
        options = []
        for quote in self.quotes:
            key, spread = keys.get(quote.id, (quote.id, 1))
            meta = quote_meta(quote)
            if spread > 1:
                also = f"⇄ in {spread} articles (t in the reader)"
                meta = Content(" · ").join([meta, Content.styled(also, "$text-accent")])
            article = articles.get(quote.article_id)
            title = clip(article.title if article and article.title else quote.article_id, 200)
            date = f" · {clip(article.date, 30)}" if article and article.date else ""
            prompt = Content.assemble(
                quote_body(quote, 240),
                "\n",
                (title, "bold $text-accent"),
                (date, MUTED),
                "\n",
                meta,
                "\n",
            )
            options.append(Option(prompt, id=f"{quote.article_id}:{quote.id}"))
        panel.set_options(options)
        # a Content title: a speaker's name is never read as markup
        name = clip(self.current or "Unattributed", 40)
        counts = f"{len(options)} statement{'s' if len(options) != 1 else ''}"
        if len(quotes) != len(options):
            counts += f" · {len(quotes)} quotes"
        panel.border_title = Content(f"Quotes: {name} ({counts})")
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

    # -- the reviewer's decisions -----------------------------------------------------

    def action_toggle_mark(self) -> None:
        speaker = self._current_summary()
        if speaker is None:
            return
        self.marked ^= {speaker.speaker}
        self.refill()

    def action_merge(self) -> None:
        current = self._current_summary()
        names = set(self.marked) | ({current.speaker} if current else set())
        if len(names) < 2:
            self.notify("Mark two or more speakers with space, then press m.", timeout=3)
            return
        ranked = [s.speaker for s in self.speakers if s.speaker in names]  # most quoted first
        lib = self.saidwho_app.library

        def chosen(into: str | None) -> None:
            if into:
                self._decide(lambda: lib.merge_speakers(ranked, into=into), f"Merged into {into}")

        self.app.push_screen(
            InputDialog(
                f"Merge {len(ranked)} speakers into",
                value=ranked[0],
                choices=ranked,
                hint="enter merges · esc cancels · u undoes it later",
                dialog_id="merge-dialog",
            ),
            chosen,
        )

    def action_rename(self) -> None:
        current = self._current_summary()
        if current is None:
            return
        lib = self.saidwho_app.library

        def chosen(new: str | None) -> None:
            if new and new != current.speaker:
                self._decide(lambda: lib.rename_speaker(current.speaker, new), f"Renamed {new}")

        self.app.push_screen(
            InputDialog(
                f"Rename {clip(current.speaker, 40)}",
                value=current.speaker,
                choices=current.aliases,
                dialog_id="rename-dialog",
            ),
            chosen,
        )

    def action_kind(self) -> None:
        current = self._current_summary()
        if current is None:
            return
        lib = self.saidwho_app.library

        def chosen(kind: str | None) -> None:
            if kind and kind.strip().casefold() != current.kind:
                self._decide(
                    lambda: lib.set_speaker_kind(current.speaker, kind),
                    f"{current.speaker} is now a {kind.strip()} (u undoes it)",
                )

        self.app.push_screen(
            InputDialog(
                f"What is {clip(current.speaker, 40)}?",
                value=current.kind,
                choices=KINDS,
                hint="a person, an organization, a group or unnamed · esc cancels",
                dialog_id="kind-dialog",
            ),
            chosen,
        )

    def action_split(self) -> None:
        current = self._current_summary()
        if current is None or not current.aliases:
            self.notify("This speaker has no alias to split off.", timeout=3)
            return
        lib = self.saidwho_app.library

        def chosen(alias: str | None) -> None:
            if alias:
                self._decide(lambda: lib.split_speaker(current.speaker, alias), f"Split {alias}")

        self.app.push_screen(
            InputDialog(
                f"Split an alias off {clip(current.speaker, 40)}",
                choices=current.aliases,
                hint="pick the alias (or a merged speaker's name) · esc cancels",
                dialog_id="split-dialog",
            ),
            chosen,
        )

    def action_undo(self) -> None:
        lib = self.saidwho_app.library

        def undone(decision: dict[str, object] | None) -> None:
            message = f"Undid: {describe(decision)}" if decision else "Nothing to undo."
            self.notify(inert_line(clip(message, 80)), timeout=3, markup=False)
            self.marked.clear()
            self.library_changed()

        self.saidwho_app.io(lib.undo_speaker_decision, undone, self._refused, write=True)

    def _decide(self, decision: Callable[[], SpeakerSummary], message: str) -> None:
        def done(summary: SpeakerSummary) -> None:
            self.marked.clear()
            self.notify(inert_line(clip(message, 80)), timeout=3, markup=False)
            self.library_changed()

        self.saidwho_app.io(decision, done, self._refused, write=True)

    def _refused(self, exc: BaseException) -> None:
        self.notify(inert_line(clip(str(exc), 200)), severity="error", markup=False)
