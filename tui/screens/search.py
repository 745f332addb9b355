"""Search across every quote and every article text; a result opens the article there."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from saidwho.core.safe_text import inert_line
from saidwho.store.search import MAX_HITS, MIN_QUERY, Corpus, Hit
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, clip, who
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.widgets.footer import SteadyFooter


def hit_prompt(hit: Hit) -> Content:
    snippet = Content(inert_line(hit.snippet)).stylize("bold reverse", hit.hit_start, hit.hit_end)
    if hit.quote is not None:
        label = Content.assemble(("quote · ", "$text-accent"), (who(hit.quote), "bold"))
    else:
        label = Content.styled("text", MUTED)
    paragraph = f" · ¶{hit.paragraph}" if hit.paragraph else ""  # not offsets: a person reads
    where = Content.styled(f" · {clip(hit.title, 70)}{paragraph}", MUTED)
    return Content.assemble(label, where, "\n", snippet, "\n")


class Results(OptionList):
    BINDINGS = host_bindings("results", "table")


class SearchScreen(AppScreen[None]):
    BINDINGS = bindings("search")
    HELP_SCOPES = ("search", "table")
    AUTO_FOCUS = "#query"

    def __init__(self, query: str = "") -> None:
        super().__init__(id="search-screen")
        self.corpus: Corpus | None = None
        self.hits: list[Hit] = []
        self.initial = query
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        yield Input(
            self.initial, placeholder="search quotes, speakers and article text", id="query"
        )
        yield Static(Content.styled("Loading the library…", MUTED), id="search-status")
        results = Results(id="results", markup=False)
        results.border_title = "Results"
        yield results
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Search"
        self.saidwho_app.io(lambda: Corpus.load(self.saidwho_app.library), self._corpus_loaded)

    def _corpus_loaded(self, corpus: Corpus) -> None:
        self.corpus = corpus
        if corpus.damaged:
            self.notify(
                f"{len(corpus.damaged)} damaged article file(s) skipped: run `saidwho doctor`",
                severity="warning",
                markup=False,
            )
        self.run_search()

    @on(Input.Changed, "#query")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.15, self.run_search)  # debounce typing

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.run_search()
        results = self.query_one("#results", Results)
        if self.hits:
            results.focus()

    def run_search(self) -> None:
        if self.corpus is None:
            return
        query = self.query_one("#query", Input).value
        corpus = self.corpus
        self.saidwho_app.io(lambda: (query, corpus.search(query)), self._show, group="search")

    def _show(self, result: tuple[str, list[Hit]]) -> None:
        query, hits = result
        if query != self.query_one("#query", Input).value:
            return  # a newer search is on its way
        self.hits = hits
        results = self.query_one("#results", Results)
        results.set_options(Option(hit_prompt(h), id=str(i)) for i, h in enumerate(hits))
        quotes = sum(1 for h in hits if h.quote is not None)
        status = self.query_one("#search-status", Static)
        if len(query.strip()) < MIN_QUERY:
            status.update(Content.styled("Type at least two characters.", MUTED))
        else:
            status.update(
                Content.styled(
                    f"{quotes} quote{'s' if quotes != 1 else ''}, {len(hits) - quotes} text "
                    f"passage{'s' if len(hits) - quotes != 1 else ''}"
                    + (f" (first {MAX_HITS})" if len(hits) >= MAX_HITS else ""),
                    MUTED,
                )
            )
        if hits:
            results.highlighted = 0

    @on(OptionList.OptionSelected, "#results")
    def _open_hit(self, event: OptionList.OptionSelected) -> None:
        self.open_hit(int(event.option.id or 0))

    def action_open(self) -> None:
        results = self.query_one("#results", Results)
        if results.highlighted is not None and self.hits:
            self.open_hit(results.highlighted)

    def open_hit(self, index: int) -> None:
        hit = self.hits[index]
        nav = list(dict.fromkeys(h.article_id for h in self.hits))
        if hit.quote is not None:
            self.saidwho_app.open_reader(hit.article_id, nav=nav, quote_id=hit.quote.id)
        else:
            self.saidwho_app.open_reader(hit.article_id, nav=nav, span=(hit.start, hit.end))

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        self.dismiss()
