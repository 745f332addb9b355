"""Search across every quote and every article text; a result opens the article there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from saidwho.store import LibraryError
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, QuoteRow, clip
from saidwho.tui.widgets.footer import SteadyFooter

MAX_HITS = 300
CONTEXT = 60


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str
    start: int
    end: int
    snippet: str  # the text around the hit, one line
    hit_start: int  # the hit inside the snippet
    hit_end: int
    quote: QuoteRow | None = None  # a quote hit (text or speaker)


@dataclass
class Corpus:
    """Everything searched, loaded once per screen in a worker."""

    titles: dict[str, str]
    texts: dict[str, str]
    quotes: list[QuoteRow]
    damaged: list[str]  # ids of articles whose file could not be read: searched without them

    @classmethod
    def load(cls, library: Any) -> Corpus:
        summaries = library.articles()
        titles = {a["id"]: str(a.get("title") or a["id"]) for a in summaries}
        damaged: list[str] = []
        texts: dict[str, str] = {}
        for a in summaries:
            try:
                texts[a["id"]] = library.article(a["id"]).text
            except LibraryError:  # one damaged file must not hide the rest of the library
                damaged.append(a["id"])
        rows = library.all_quotes(on_error=lambda article_id, _exc: None)
        return cls(titles, texts, [QuoteRow.from_dict(q) for q in rows], damaged)

    def search(self, query: str) -> list[Hit]:
        """Quotes first (by their text or speaker), then passages of article text."""
        needle = query.strip().lower()
        if len(needle) < 2:
            return []
        hits: list[Hit] = []
        for q in self.quotes:
            if needle in q.text.lower() or needle in (q.speaker or "").lower():
                flat = clip(q.text, 200)
                at = flat.lower().find(needle)
                hits.append(
                    Hit(
                        q.article_id,
                        self.titles.get(q.article_id, ""),
                        q.start,
                        q.end,
                        flat,
                        max(at, 0),
                        max(at, 0) + len(needle) if at >= 0 else 0,
                        q,
                    )
                )
        for article_id, text in self.texts.items():
            lower = text.lower()
            at = lower.find(needle)
            while at >= 0 and len(hits) < MAX_HITS:
                start = max(0, at - CONTEXT)
                end = min(len(text), at + len(needle) + CONTEXT)
                lead = "…" if start else ""
                # whitespace becomes spaces one for one, so offsets inside stay exact
                window = "".join(" " if ch.isspace() else ch for ch in text[start:end])
                snippet = lead + window + ("…" if end < len(text) else "")
                hit_start = len(lead) + at - start
                hits.append(
                    Hit(
                        article_id,
                        self.titles.get(article_id, ""),
                        at,
                        at + len(needle),
                        snippet,
                        hit_start,
                        hit_start + len(needle),
                    )
                )
                at = lower.find(needle, at + len(needle))
        return hits[:MAX_HITS]


def hit_prompt(hit: Hit) -> Content:
    snippet = Content(hit.snippet).stylize("bold reverse", hit.hit_start, hit.hit_end)
    if hit.quote is not None:
        label = Content.assemble(("quote · ", "$text-accent"), (hit.quote.who, "bold"))
    else:
        label = Content.styled("text", MUTED)
    where = Content.styled(f" · {clip(hit.title, 70)} · {hit.start}–{hit.end}", MUTED)
    return Content.assemble(label, where, "\n", snippet, "\n")


class Results(OptionList):
    BINDINGS = host_bindings("results", "table")


class SearchScreen(Screen):
    BINDINGS = bindings("search")
    AUTO_FOCUS = "#query"

    def __init__(self, query: str = "") -> None:
        super().__init__(id="search-screen")
        self.corpus: Corpus | None = None
        self.hits: list[Hit] = []
        self.initial = query
        self._timer: Any = None

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
        self.app.io(lambda: Corpus.load(self.app.library), self._corpus_loaded)

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
        self.app.io(lambda: (query, corpus.search(query)), self._show, group="search")

    def _show(self, result: tuple[str, list[Hit]]) -> None:
        query, hits = result
        if query != self.query_one("#query", Input).value:
            return  # a newer search is on its way
        self.hits = hits
        results = self.query_one("#results", Results)
        results.set_options(Option(hit_prompt(h), id=str(i)) for i, h in enumerate(hits))
        quotes = sum(1 for h in hits if h.quote is not None)
        status = self.query_one("#search-status", Static)
        if len(query.strip()) < 2:
            status.update(Content.styled("Type at least two characters.", MUTED))
        else:
            status.update(
                Content.styled(
                    f"{quotes} quote{'s' if quotes != 1 else ''}, {len(hits) - quotes} text "
                    f"passage{'s' if len(hits) - quotes != 1 else ''}"
                    + (" (first 300)" if len(hits) >= MAX_HITS else ""),
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
            self.app.open_reader(hit.article_id, nav=nav, quote_id=hit.quote.id)
        else:
            self.app.open_reader(hit.article_id, nav=nav, span=(hit.start, hit.end))

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        self.dismiss()
