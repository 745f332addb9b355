"""The reader: the article beside its quotes (grouped by speaker) and the reviewer's notes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Header, OptionList

from saidwho.citation import cite_view
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import UNSET, ArticleSummary, Library, Note, QuoteView, SpeakerSummary
from saidwho.tui.actions import bindings
from saidwho.tui.model import clip, speaker_colors, who
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.screens.dialogs import ConfirmDialog, InputDialog, NoteDraft, NoteEditor
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import NoteList, QuoteList

PANELS = ("#article", "#quotes", "#notes")

# what the reader shows: the article, its quotes, its notes, its catalog summary
Loaded = tuple[Article, list[QuoteView], list[Note], ArticleSummary]
# what a live refresh re-reads: the summary (to see a new text), quotes and notes
Refreshed = tuple[ArticleSummary, list[QuoteView], list[Note]]


def fetch_article(lib: Library, article_id: str) -> Loaded:
    """Everything the reader needs of one article (disk work: call it in a worker)."""
    article = lib.article(article_id)
    quotes = lib.quotes(article_id)
    notes = lib.notes(article_id)
    summary = lib.summary(article_id)
    return article, quotes, notes, summary


class ReaderScreen(AppScreen[None]):
    BINDINGS = bindings("reader")
    AUTO_FOCUS = "#quotes"

    def __init__(
        self,
        article_id: str | None = None,
        *,
        nav: Sequence[str] = (),
        quote_id: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(id="reader")
        self.article_id = article_id  # None: built ahead of the first open (prepare_reader)
        self.nav = list(nav) or ([article_id] if article_id else [])
        self.composed = False
        self.pending_quote = quote_id
        self.pending_span = span
        self.article: Article | None = None
        self.summary: ArticleSummary | None = None
        self.quotes: list[QuoteView] = []
        self.notes: list[Note] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        with Horizontal(id="body"):
            view = ArticleView(id="article")
            view.border_title = "Article"
            yield view
            with Vertical(id="side"):
                quotes = QuoteList(id="quotes")
                quotes.border_title = "Quotes by speaker"
                yield quotes
                notes = NoteList(id="notes")
                notes.border_title = "Notes"
                yield notes
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.composed = True
        if self.article_id is not None:
            self.load(self.article_id)

    def reopen(
        self,
        article_id: str,
        *,
        nav: Sequence[str] = (),
        quote_id: str | None = None,
        span: tuple[int, int] | None = None,
        data: Loaded | None = None,
    ) -> None:
        """The kept screen shows another article (see ``SaidwhoApp.open_reader``): it
        starts like a new one, on the quotes panel, nothing of the last article shown.
        With ``data`` (already fetched) it fills at once: shown, it is laid out only once."""
        self.nav = list(nav) or [article_id]
        self.pending_quote = quote_id
        self.pending_span = span
        if not self.composed:  # built ahead but not mounted yet: on_mount loads it
            self.article_id = article_id
            return
        self.set_class(False, "-show-notes")
        self.query_one(QuoteList).focus()
        if data is not None:  # everything below is replaced: no need to clear it first
            self.article_id = article_id
            self._loaded(data)
            return
        if article_id != self.article_id:
            self.article = None
            self.quotes, self.notes = [], []
            self.query_one(ArticleView).clear()
            self.query_one(QuoteList).clear_quotes()
            self.query_one(NoteList).clear_options()
        self.load(article_id)

    # -- loading (disk in a worker, widgets in the callback) ----------------------------

    def load(self, article_id: str) -> None:
        self.article_id = article_id
        # no loading indicator: the fetch takes milliseconds, and mounting the indicator
        # (styles, layout, a footer refresh) cost more than the wait it would cover
        lib = self.saidwho_app.library
        self.saidwho_app.io(
            partial(fetch_article, lib, article_id), self._loaded, self._failed, group="reader"
        )

    def _failed(self, error: BaseException) -> None:
        self.notify(
            str(error) or type(error).__name__,
            title="Could not open the article",
            severity="error",
            markup=False,
        )

    def _loaded(self, result: Loaded) -> None:
        article, quotes, notes, summary = result
        if not summary.read:
            # a write (lock, fsync), so only once the article shows, and only when unread:
            # every write also wakes the live refresh of other open readers
            lib, article_id = self.saidwho_app.library, summary.id
            self.saidwho_app.io(lambda: lib.mark_read(article_id, True), lambda _: None, write=True)
        self.article = article
        self.summary = summary
        self.quotes = quotes
        self.notes = notes
        self.title = clip(article.title or "(untitled)", 90)
        position = self.nav.index(self.article_id) + 1 if self.article_id in self.nav else 1
        self.sub_title = " · ".join(x for x in (article.source, f"{position}/{len(self.nav)}") if x)
        view = self.query_one(ArticleView)
        view.set_article(article, self.quotes, speaker_colors(self.quotes))
        view.set_notes([(n.start, n.end) for n in self.notes])
        self.query_one(QuoteList).set_quotes(self.quotes, self._paragraphs())
        self.query_one(NoteList).set_notes(self.notes, self.quotes)
        if self.pending_quote:
            self.jump_to_quote(self.pending_quote)
        elif self.pending_span:
            view.show_span(*self.pending_span)
            view.focus()
        elif (selected := self.query_one(QuoteList).selected) is not None:
            view.select_quote(selected.id)
        self.pending_quote = self.pending_span = None

    # -- live refresh ---------------------------------------------------------------------

    def library_changed(self) -> None:
        """The library changed on disk: pick up other processes' notes and reviews (and a
        re-ingested text), keeping the selected quote and note."""
        if self.article is None:
            return
        lib, article_id = self.saidwho_app.library, self.article_id
        if article_id is None:
            return

        def fetch() -> Refreshed:
            return lib.summary(article_id), lib.quotes(article_id), lib.notes(article_id)

        def failed(error: BaseException) -> None:
            self.notify(
                f"{self.summary.title if self.summary else article_id}: {error}",
                title="The article is gone from the library",
                severity="warning",
                markup=False,
            )

        self.saidwho_app.io(fetch, partial(self._changed, article_id), failed, group="reader-watch")

    def _changed(self, article_id: str, result: Refreshed) -> None:
        summary, quotes, notes = result
        if not self.is_attached or article_id != self.article_id or self.article is None:
            return  # closed, or another article was opened meanwhile
        if summary.text_sha256 != self.article.sha256:
            # re-ingested with a new text: reload it all, on the same quote if it survived
            selected = self.query_one(QuoteList).selected
            self.pending_quote = selected.id if selected else None
            self.load(article_id)
            return
        self.summary = summary
        if quotes != self.quotes:
            self.quotes = quotes
            self._show_quotes()
        if notes != self.notes:
            self.notes = notes
            self.query_one(NoteList).set_notes(self.notes, self.quotes)
            self.query_one(ArticleView).set_notes([(n.start, n.end) for n in self.notes])

    def _paragraphs(self) -> Sequence[tuple[int, int]]:
        if self.article is None:
            return ()
        return self.article.paragraphs or paragraph_spans(self.article.text)

    def _refresh_quotes(self, quotes: list[QuoteView]) -> None:
        self.quotes = quotes
        self._show_quotes()

    def _show_quotes(self) -> None:
        view = self.query_one(ArticleView)
        view.set_quotes(self.quotes, speaker_colors(self.quotes))
        panel = self.query_one(QuoteList)
        panel.set_quotes(self.quotes, self._paragraphs())
        self.query_one(NoteList).set_notes(self.notes, self.quotes)
        if panel.selected is not None:
            view.select_quote(panel.selected.id)

    def _reload_notes(self, selected: str | None = None) -> None:
        lib, article_id = self.saidwho_app.library, self.article_id
        if article_id is None:
            return

        self.saidwho_app.io(lambda: lib.notes(article_id), partial(self._show_notes, selected))

    def _show_notes(self, selected: str | None, notes: list[Note]) -> None:
        self.notes = notes
        panel = self.query_one(NoteList)
        panel.set_notes(self.notes, self.quotes)
        if selected:
            panel.select(selected)
        self.query_one(ArticleView).set_notes([(n.start, n.end) for n in self.notes])

    def _notes_saved(self, selected: str | None, message: str) -> None:
        self._reload_notes(selected)
        self.notify(message)

    # -- selection ----------------------------------------------------------------------

    def jump_to_quote(self, quote_id: str) -> None:
        """Select the quote in the panel, centre its sentence in the article."""
        self.query_one(QuoteList).select(quote_id)
        self.query_one(ArticleView).select_quote(quote_id, jump=True)

    @on(OptionList.OptionHighlighted, "#quotes")
    def _quote_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and not event.option.disabled:
            self.query_one(ArticleView).select_quote(event.option.id)

    @on(OptionList.OptionSelected, "#quotes")
    def _quote_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.disabled:
            self.jump_to_quote(event.option.id)

    @on(ArticleView.QuoteClicked)
    def _quote_clicked(self, event: ArticleView.QuoteClicked) -> None:
        self.query_one(QuoteList).select(event.quote_id)
        self.query_one(ArticleView).select_quote(event.quote_id)

    @on(OptionList.OptionSelected, "#notes")
    def _note_selected(self, event: OptionList.OptionSelected) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            return
        if note.quote_id and self.query_one(ArticleView).quote(note.quote_id):
            self.jump_to_quote(note.quote_id)
        else:
            self.query_one(ArticleView).show_span(note.start, note.end)

    def selected_quote(self) -> QuoteView | None:
        view = self.query_one(ArticleView)
        if self.focused is view and view.cursor_span is not None:
            start, end = view.cursor_span
            inside = [q for q in self.quotes if q.start < end and q.end > start]
            chosen = view.quote(view.selected_quote)
            if chosen is not None and chosen in inside:
                return chosen
            if inside:
                return inside[0]
        return self.query_one(QuoteList).selected

    # -- panels -------------------------------------------------------------------------

    def action_cycle(self, step: int) -> None:
        panels: list[Widget] = [self.query_one(p) for p in PANELS]
        try:
            index = panels.index(self.focused)  # type: ignore[arg-type]
        except ValueError:
            index = 0 if step > 0 else 1
        target = panels[(index + step) % len(panels)]
        self.set_class(target.id == "notes", "-show-notes")
        target.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if widget.id in ("quotes", "notes"):
            self.set_class(widget.id == "notes", "-show-notes")

    def action_back(self) -> None:
        self.dismiss()

    def action_next_article(self, step: int) -> None:
        if self.article_id not in self.nav or len(self.nav) < 2:
            self.notify("No other article in this list.", timeout=2)
            return
        index = (self.nav.index(self.article_id) + step) % len(self.nav)
        self.load(self.nav[index])

    # -- notes --------------------------------------------------------------------------

    def action_note(self) -> None:
        if self.article is None:
            return
        view = self.query_one(ArticleView)
        quote = None if self.focused is view else self.selected_quote()
        if self.focused is view or quote is None:
            span = view.cursor_span
            if span is None:
                return
            start, end, quote_id = span[0], span[1], None
            heading = "New note on the sentence"
        else:
            start, end, quote_id = quote.start, quote.end, quote.id
            heading = f"New note on the quote by {who(quote)}"
        excerpt = self.article.text[start:end]
        lib, article_id = self.saidwho_app.library, self.article_id
        if article_id is None:
            return

        def save(result: NoteDraft | None) -> None:
            if result is None:
                return

            def write() -> tuple[Note, list[Note]]:
                note = lib.add_note(
                    article_id,
                    start=start,
                    end=end,
                    text=result.text,
                    tags=result.tags,
                    quote_id=quote_id,
                )
                return note, lib.notes(article_id)  # one trip to the worker, not two

            def saved(done: tuple[Note, list[Note]]) -> None:
                self._show_notes(done[0].id, done[1])
                self.notify("Note saved.")

            self.saidwho_app.io(write, saved, write=True)

        self.app.push_screen(NoteEditor(heading, excerpt), save)

    def action_edit_note(self) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            self.notify("No note selected: tab to the notes panel.", severity="warning")
            return
        lib = self.saidwho_app.library

        def save(result: NoteDraft | None) -> None:
            if result is None:
                return
            self.saidwho_app.io(
                lambda: lib.update_note(note.id, text=result.text, tags=result.tags),
                lambda _: self._notes_saved(note.id, "Note updated."),
                write=True,
            )

        self.app.push_screen(NoteEditor("Edit note", note.exact, note.text, note.tags), save)

    def action_delete_note(self) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            self.notify("No note selected: tab to the notes panel.", severity="warning")
            return
        lib = self.saidwho_app.library

        def answer(yes: bool | None) -> None:
            if yes:
                self.saidwho_app.io(
                    lambda: lib.delete_note(note.id),
                    lambda _: self._notes_saved(None, "Note deleted."),
                    write=True,
                )

        self.app.push_screen(ConfirmDialog("Delete this note?", note.text), answer)

    # -- review -------------------------------------------------------------------------

    def _review(
        self,
        quote: QuoteView,
        message: str,
        *,
        disputed: bool | None = None,
        speaker: str | None = UNSET,
    ) -> None:
        lib, article_id = self.saidwho_app.library, quote.article_id

        def write() -> list[QuoteView]:
            lib.review_quote(article_id, quote.id, disputed=disputed, speaker=speaker)
            return lib.quotes(article_id)

        def done(quotes: list[QuoteView]) -> None:
            self._refresh_quotes(quotes)
            self.query_one(QuoteList).select(quote.id)
            self.notify(message, markup=False, timeout=3)

        self.saidwho_app.io(write, done, write=True)

    def action_dispute(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        disputed = not quote.disputed
        self._review(
            quote, "Attribution disputed." if disputed else "Dispute withdrawn.", disputed=disputed
        )

    def action_reassign(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        here = [q.speaker for q in self.quotes if q.speaker]

        def chosen(name: str | None) -> None:
            if name and name != quote.speaker:
                self._review(quote, f"Speaker set to {name}.", speaker=name)

        def ask(known: list[SpeakerSummary]) -> None:
            # this article's speakers first, most quoted first, then the library's
            choices = sorted(set(here), key=lambda s: -here.count(s)) + [s.speaker for s in known]
            self.app.push_screen(
                InputDialog(
                    f"Who said it? (now: {who(quote)})",
                    placeholder="speaker name; → accepts a suggestion",
                    choices=choices,
                    hint="enter sets the speaker · → accepts the suggestion · esc cancels",
                    dialog_id="reassign-dialog",
                ),
                chosen,
            )

        # the library's speakers are a cached view: milliseconds, but still disk work
        self.saidwho_app.io(self.saidwho_app.library.speakers, ask)

    def action_open_source(self) -> None:
        from saidwho.tui.opener import open_external, source_target

        article = self.article
        target = source_target(article.url, article.path) if article is not None else None
        if target is None:
            self.notify("This article has no URL or file to open.", severity="warning")
            return
        self.saidwho_app.io(
            lambda: open_external(target),
            lambda _: self.notify(clip(target, 200), title="Opened", markup=False, timeout=3),
            lambda error: self.notify(
                f"{target}: {error}", title="Cannot open", severity="error", markup=False
            ),
        )

    def action_copy(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        if self.article is None:
            return
        text = cite_view(self.article, quote)
        self.app.copy_to_clipboard(text)
        self.notify(clip(text, 200), title="Citation copied", markup=False, timeout=4)
