"""The reader: the article beside its quotes (grouped by speaker) and the reviewer's notes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList

from saidwho.readers.article import Article, paragraph_spans
from saidwho.tui.actions import bindings
from saidwho.tui.model import NoteRow, QuoteRow, citation, clip, speaker_colors
from saidwho.tui.screens.dialogs import ConfirmDialog, InputDialog, NoteEditor
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import NoteList, QuoteList

PANELS = ("#article", "#quotes", "#notes")

# what the reader shows: the article, its quotes, its notes, its catalog summary
Loaded = tuple[Article, list[dict], list[dict], dict[str, Any]]


def fetch_article(lib: Any, article_id: str) -> Loaded:
    """Everything the reader needs of one article (disk work: call it in a worker)."""
    article = lib.article(article_id)
    quotes = lib.quotes(article_id)
    notes = lib.notes(article_id)
    summary = lib.summary(article_id)
    return article, quotes, notes, summary


class ReaderScreen(Screen):
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
        self.summary: dict[str, Any] = {}
        self.quotes: list[QuoteRow] = []
        self.notes: list[NoteRow] = []

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
        lib = self.app.library
        self.app.io(
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
        if not summary.get("read"):
            # a write (lock, fsync), so only once the article shows, and only when unread:
            # every write also wakes the live refresh of other open readers
            lib, article_id = self.app.library, self.article_id
            self.app.io(lambda: lib.mark_read(article_id, True), lambda _: None, write=True)
        self.article = article
        self.summary = summary or {
            "title": article.title,
            "source": article.source,
            "date": article.date,
        }
        self.quotes = [QuoteRow.from_dict(q) for q in quotes]
        self.notes = [NoteRow.from_dict(n) for n in notes]
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
        lib, article_id = self.app.library, self.article_id

        def fetch() -> tuple[dict[str, Any], list[dict], list[dict]]:
            return lib.summary(article_id), lib.quotes(article_id), lib.notes(article_id)

        def failed(error: BaseException) -> None:
            self.notify(
                f"{self.summary.get('title') or article_id}: {error}",
                title="The article is gone from the library",
                severity="warning",
                markup=False,
            )

        self.app.io(fetch, partial(self._changed, article_id), failed, group="reader-watch")

    def _changed(
        self, article_id: str, result: tuple[dict[str, Any], list[dict], list[dict]]
    ) -> None:
        summary, quotes, notes = result
        if not self.is_attached or article_id != self.article_id or self.article is None:
            return  # closed, or another article was opened meanwhile
        if summary.get("text_sha256") not in (None, self.article.sha256):
            # re-ingested with a new text: reload it all, on the same quote if it survived
            selected = self.query_one(QuoteList).selected
            self.pending_quote = selected.id if selected else None
            self.load(article_id)
            return
        self.summary = summary or self.summary
        rows = [QuoteRow.from_dict(q) for q in quotes]
        notes_rows = [NoteRow.from_dict(n) for n in notes]
        if rows != self.quotes:
            self.quotes = rows
            self._show_quotes()
        if notes_rows != self.notes:
            self.notes = notes_rows
            self.query_one(NoteList).set_notes(self.notes, self.quotes)
            self.query_one(ArticleView).set_notes([(n.start, n.end) for n in self.notes])

    def _paragraphs(self) -> Sequence[tuple[int, int]]:
        if self.article is None:
            return ()
        return self.article.paragraphs or paragraph_spans(self.article.text)

    def _refresh_quotes(self, quotes: list[dict]) -> None:
        self.quotes = [QuoteRow.from_dict(q) for q in quotes]
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
        lib, article_id = self.app.library, self.article_id

        def shown(notes: list[dict]) -> None:
            self.notes = [NoteRow.from_dict(n) for n in notes]
            panel = self.query_one(NoteList)
            panel.set_notes(self.notes, self.quotes)
            if selected:
                panel.select(selected)
            self.query_one(ArticleView).set_notes([(n.start, n.end) for n in self.notes])

        self.app.io(lambda: lib.notes(article_id), shown)

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

    def selected_quote(self) -> QuoteRow | None:
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

    def on_descendant_focus(self, event: Any) -> None:
        widget = getattr(event, "widget", None)
        if widget is not None and widget.id in ("quotes", "notes"):
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
            heading = f"New note on the quote by {quote.who}"
        excerpt = self.article.text[start:end]
        lib, article_id = self.app.library, self.article_id

        def save(result: dict | None) -> None:
            if result is None:
                return
            self.app.io(
                lambda: lib.add_note(
                    article_id,
                    start=start,
                    end=end,
                    text=result["text"],
                    tags=result["tags"],
                    quote_id=quote_id,
                ),
                lambda note: (self._reload_notes(note["id"]), self.notify("Note saved.")),
                write=True,
            )

        self.app.push_screen(NoteEditor(heading, excerpt), save)

    def action_edit_note(self) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            self.notify("No note selected: tab to the notes panel.", severity="warning")
            return
        lib = self.app.library

        def save(result: dict | None) -> None:
            if result is None:
                return
            self.app.io(
                lambda: lib.update_note(note.id, text=result["text"], tags=result["tags"]),
                lambda _: (self._reload_notes(note.id), self.notify("Note updated.")),
                write=True,
            )

        self.app.push_screen(NoteEditor("Edit note", note.exact, note.text, note.tags), save)

    def action_delete_note(self) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            self.notify("No note selected: tab to the notes panel.", severity="warning")
            return
        lib = self.app.library

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.io(
                    lambda: lib.delete_note(note.id),
                    lambda _: (self._reload_notes(), self.notify("Note deleted.")),
                    write=True,
                )

        self.app.push_screen(ConfirmDialog("Delete this note?", note.text), answer)

    # -- review -------------------------------------------------------------------------

    def _review(self, quote: QuoteRow, message: str, **change: Any) -> None:
        lib, article_id = self.app.library, self.article_id

        def write() -> list[dict]:
            lib.review_quote(article_id, quote.id, **change)
            return lib.quotes(article_id)

        def done(quotes: list[dict]) -> None:
            self._refresh_quotes(quotes)
            self.query_one(QuoteList).select(quote.id)
            self.notify(message, markup=False, timeout=3)

        self.app.io(write, done, write=True)

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
        known = [s.get("speaker") for s in getattr(self.app, "speakers_cache", [])]
        choices = sorted(set(here), key=lambda s: -here.count(s)) + [s for s in known if s]

        def chosen(name: str | None) -> None:
            if name and name != quote.speaker:
                self._review(quote, f"Speaker set to {name}.", speaker=name)

        self.app.push_screen(
            InputDialog(
                f"Who said it? (now: {quote.who})",
                placeholder="speaker name; → accepts a suggestion",
                choices=choices,
                hint="enter sets the speaker · → accepts the suggestion · esc cancels",
                dialog_id="reassign-dialog",
            ),
            chosen,
        )

    def action_open_source(self) -> None:
        from saidwho.tui.opener import open_external, source_target

        article = self.article
        target = source_target(article.url, article.path) if article is not None else None
        if target is None:
            self.notify("This article has no URL or file to open.", severity="warning")
            return
        self.app.io(
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
        text = citation(quote, self.summary)
        self.app.copy_to_clipboard(text)
        self.notify(clip(text, 200), title="Citation copied", markup=False, timeout=4)
