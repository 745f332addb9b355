"""The reader: the article beside its quotes (grouped by speaker or in document order) and the
reviewer's notes; a find bar; review keys that confirm, dispute, fix and revert."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from itertools import count
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, Label, OptionList

from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import (
    UNSET,
    ArticleSummary,
    Library,
    Note,
    QuoteView,
    default_reviewer,
    draft_edit,
    draft_note,
    preview_review,
)
from saidwho.store.article_rows import article_summary
from saidwho.store.citation import cite_view
from saidwho.store.records import now
from saidwho.tui.actions import bindings
from saidwho.tui.model import QUEUES, clip, speaker_colors, who
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.screens.dialogs import (
    ConfirmDialog,
    NoteDraft,
    NoteEditor,
    ask_for_speaker,
)
from saidwho.tui.widgets.article_view import ArticleView
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import PHRASES, NoteList, QuoteList

if TYPE_CHECKING:
    from saidwho.store.provenance import VersionHeader
    from saidwho.store.trails import Occurrence

PANELS = ("#article", "#quotes", "#notes")

# what the reader shows: the article, its quotes, its notes, its catalog summary
Loaded = tuple[Article, list[QuoteView], list[Note], ArticleSummary]
# what a live refresh re-reads: the summary (to see a new text), quotes and notes
Refreshed = tuple[ArticleSummary, list[QuoteView], list[Note]]


def find_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query`` occurs in ``text``: any case, a space matching any run of whitespace
    (a phrase runs over a line break). Offsets index ``text`` itself, so highlights fit."""
    words = query.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def fetch_article(lib: Library, article_id: str) -> Loaded:
    """Everything the reader needs of one article (disk work: call it in a worker)."""
    article = lib.article(article_id)
    quotes = lib.quotes(article_id)
    notes = lib.notes(article_id)
    summary = article_summary(lib, article_id)  # not every summary (store/article_rows.py)
    return article, quotes, notes, summary


class ReaderScreen(AppScreen[None]):
    # find first: while a find is open its n / N / esc win over note and back
    BINDINGS = bindings("find", "reader")
    HELP_SCOPES = ("reader", "find", "quotes", "article", "notes")
    AUTO_FOCUS = "#quotes"
    DEFAULT_CSS = """
    #find-bar { height: auto; display: none; background: $panel; }
    #find-bar.-open { display: block; }
    #find-input { width: 1fr; }
    #find-count { width: auto; min-width: 12; padding: 1 1 0 1; }
    """

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
        self.find_open = False
        self.version: int | None = None  # the article's current version, once known
        self.matches: list[tuple[int, int]] = []
        self.match_index: int | None = None
        # Writes are shown before they are on disk (see _review, action_note). Notes whose
        # write is running; per quote with a verdict being written: the number of its
        # latest write and the quote as last stored (what a failed write rolls back to).
        self.saving_notes: set[str] = set()
        self._verdicts: dict[str, tuple[int, QuoteView]] = {}
        self._writes = count(1)

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
        with Horizontal(id="find-bar"):
            yield Input(placeholder="find in the article", id="find-input")
            yield Label("", id="find-count")
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

    def left(self) -> None:
        self.query_one(QuoteList).stop_filling()

    def on_screen_resume(self) -> None:
        self.query_one(QuoteList).resume_filling()

    def _loaded(self, result: Loaded) -> None:
        article, quotes, notes, summary = result
        self.saidwho_app.report_record_errors()
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
        self.version = None  # until the header says
        self._load_version_header()
        view = self.query_one(ArticleView)
        view.set_article(article, self.quotes, speaker_colors(self.quotes))
        view.set_notes([(n.start, n.end) for n in self.notes])
        self.query_one(QuoteList).set_quotes(self.quotes, self._paragraphs())
        self.query_one(NoteList).set_notes(self.notes, self.quotes)
        self._load_trail_counts()
        if self.pending_quote:
            self.jump_to_quote(self.pending_quote)
        elif self.pending_span:
            view.show_span(*self.pending_span)
            view.focus()
        elif (selected := self.query_one(QuoteList).selected) is not None:
            view.select_quote(selected.id)
        self.pending_quote = self.pending_span = None
        if self.find_open:  # another article or a new text: the same query, new matches
            self._run_find(self.query_one("#find-input", Input).value, jump=False)

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
            return article_summary(lib, article_id), lib.quotes(article_id), lib.notes(article_id)

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
        self._load_trail_counts()  # another article may now print the same words
        if self.saving_notes:  # not on disk yet: still shown
            notes = [*notes, *(n for n in self.notes if n.id in self.saving_notes)]
            notes = list({n.id: n for n in notes}.values())
        if notes != self.notes:
            self.notes = notes
            self.query_one(NoteList).set_notes(self.notes, self.quotes, self.saving_notes)
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
        self.query_one(NoteList).set_notes(self.notes, self.quotes, self.saving_notes)
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
        panel.set_notes(self.notes, self.quotes, self.saving_notes)
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
        if event.option.id == PHRASES:
            self.query_one(QuoteList).toggle_phrases()
            return
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

    # -- find in the article --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("find_step", "close_find"):
            return self.find_open  # False: the key falls through to note / back
        return True

    def action_find(self) -> None:
        if self.article is None:
            return
        self.find_open = True
        self.query_one("#find-bar").add_class("-open")
        box = self.query_one("#find-input", Input)
        box.focus()
        self.refresh_bindings()
        if box.value:
            self._run_find(box.value)

    @on(Input.Changed, "#find-input")
    def _find_changed(self, event: Input.Changed) -> None:
        self._run_find(event.value)

    @on(Input.Submitted, "#find-input")
    def _find_submitted(self) -> None:
        # keep the matches; n / N step through them from the article
        self.query_one(ArticleView).focus()

    def _run_find(self, query: str, *, jump: bool = True) -> None:
        view = self.query_one(ArticleView)
        if self.article is None:
            return
        self.matches = find_spans(self.article.text, query)
        self.match_index = None
        if self.matches:
            # the first match at or after the reading cursor, like a pager's search
            here = view.cursor_span[0] if view.cursor_span else 0
            self.match_index = next((i for i, (s, _) in enumerate(self.matches) if s >= here), 0)
        current = self.matches[self.match_index] if self.match_index is not None else None
        view.set_find_matches(self.matches, current if jump else None)
        self._show_find_count(query)

    def _show_find_count(self, query: str) -> None:
        label = self.query_one("#find-count", Label)
        if not query.strip():
            text = ""
        elif not self.matches or self.match_index is None:
            text = "no match"
        else:
            text = f"{self.match_index + 1} of {len(self.matches)}"
        label.update(Content(text))

    @property
    def find_count(self) -> str:
        """What the find bar's count says ("3 of 12", "no match")."""
        return str(self.query_one("#find-count", Label).content)

    def action_find_step(self, step: int) -> None:
        if not self.matches:
            self.notify("No match.", timeout=2)
            return
        index = 0 if self.match_index is None else self.match_index + step
        self.match_index = index % len(self.matches)
        self.query_one(ArticleView).set_find_matches(self.matches, self.matches[self.match_index])
        self._show_find_count(self.query_one("#find-input", Input).value)

    def action_close_find(self) -> None:
        self.find_open = False
        self.matches, self.match_index = [], None
        self.query_one("#find-bar").remove_class("-open")
        view = self.query_one(ArticleView)
        view.set_find_matches([])
        view.focus()
        self.refresh_bindings()

    # -- quotes panel modes -------------------------------------------------------------

    def action_toggle_order(self) -> None:
        order = self.query_one(QuoteList).toggle_order()
        self.notify("Quotes in document order." if order == "document" else "Quotes by speaker.",
                    timeout=2)  # fmt: skip

    def action_toggle_statements(self) -> None:
        only = self.query_one(QuoteList).toggle_statements()
        self.notify("Statements only: speech with a speaker." if only else "All quotes.", timeout=2)

    def action_cycle_queue(self) -> None:
        panel = self.query_one(QuoteList)
        queue = panel.cycle_queue()
        self.notify(f"Showing {QUEUES[queue]} ({len(panel.shown)}).", timeout=2)

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
        article, excerpt = self.article, self.article.text[start:end]
        lib, article_id = self.saidwho_app.library, self.article_id
        if article_id is None:
            return

        def save(result: NoteDraft | None) -> None:
            if result is None:
                return
            try:
                draft = draft_note(
                    article, article_id, start=start, end=end, text=result.text,
                    tags=result.tags, quote_id=quote_id, version=self.version,
                )  # fmt: skip
            except ValueError as error:
                self._note_not_saved(result, error)
                return
            # shown now, written in a worker: the panel says "saving…" until it is on disk
            self._show_saving(draft, replaces=None)

            def write() -> Note:
                return lib.add_note(
                    article_id, start=start, end=end, text=result.text, tags=result.tags,
                    quote_id=quote_id, note_id=draft.id, at=draft.created,
                    version=draft.version,
                )  # fmt: skip

            self.saidwho_app.io(
                write,
                partial(self._note_written, draft, "Note saved."),
                partial(self._note_write_failed, result, draft, None),
                write=True,
            )

        self.app.push_screen(NoteEditor(heading, excerpt), save)

    def action_edit_note(self) -> None:
        note = self.query_one(NoteList).selected
        if note is None:
            self.notify("No note selected: tab to the notes panel.", severity="warning")
            return
        lib = self.saidwho_app.library

        messages = {
            "updated": "Note updated.",
            "recreated": "The note was deleted elsewhere: your text is saved as a new note.",
            "kept both": "The note was changed elsewhere: your version is saved as a new "
            "note beside it.",
        }

        def save(result: NoteDraft | None) -> None:
            if result is None:
                return
            try:
                edited = draft_edit(note, text=result.text, tags=result.tags)
            except ValueError as error:
                self._note_not_saved(result, error)
                return
            self._show_saving(edited, replaces=note)

            def written(saved: tuple[Note, str]) -> None:
                stored, outcome = saved
                self._note_written(edited, messages[outcome], stored)
                if outcome != "updated":  # a new note beside (or instead of) the old one
                    self._reload_notes(stored.id)

            self.saidwho_app.io(
                lambda: lib.save_note_edit(
                    note, text=result.text, tags=result.tags, at=edited.updated
                ),
                written,
                partial(self._note_write_failed, result, edited, note),
                write=True,
            )

        self.app.push_screen(NoteEditor("Edit note", note.exact, note.text, note.tags), save)

    def _show_saving(self, note: Note, *, replaces: Note | None) -> None:
        """Show a note (new, or an edit of ``replaces``) before its write is done."""
        self.saving_notes.add(note.id)
        others = [n for n in self.notes if n.id not in (note.id, replaces and replaces.id)]
        self._show_notes(note.id, [*others, note])

    def _note_written(self, shown: Note, message: str, stored: Note) -> None:
        """The write of ``shown`` is on disk: show the note as stored, then say so."""
        self.saving_notes.discard(shown.id)
        if stored.article_id == self.article_id and any(n.id == shown.id for n in self.notes):
            notes = [n for n in self.notes if n.id not in (shown.id, stored.id)]
            selected = self.query_one(NoteList).selected
            keep = stored.id if selected is not None and selected.id == shown.id else None
            self._show_notes(keep, [*notes, stored])
        self.notify(message)

    def _note_write_failed(
        self, draft: NoteDraft, shown: Note, before: Note | None, error: BaseException
    ) -> None:
        """The write of ``shown`` failed: the panel goes back to what is on disk (without a
        new note; an edited one as it was) and says so."""
        self.saving_notes.discard(shown.id)
        if shown.article_id == self.article_id:
            notes = [n for n in self.notes if n.id != shown.id]
            self._show_notes(None, [*notes, before] if before is not None else notes)
        self._note_not_saved(draft, error)

    def _note_not_saved(self, draft: NoteDraft, error: BaseException) -> None:
        """The write failed (the article is gone, the disk is full): the text goes to the
        clipboard rather than nowhere."""
        self.app.copy_to_clipboard(draft.text)
        self.notify(
            f"{error}. Your text is on the clipboard.",
            title="Note not saved",
            severity="error",
            markup=False,
            timeout=12,
        )

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
        confirmed: bool | None = None,
        revert: bool = False,
        then: str | None = None,
    ) -> None:
        """Record a verdict and select ``then`` (else the quote). A verdict (confirm,
        dispute, withdraw) is shown at once and written in a worker: the toast says when it
        is on disk, a failed write puts back what is stored and says why. A new speaker
        (reassign, revert) is shown once written: it may regroup and recolour the panel."""
        lib, article_id = self.saidwho_app.library, quote.article_id
        reviewer, at = default_reviewer(), now()
        if speaker is not UNSET or revert:

            def write_all() -> list[QuoteView]:
                lib.review_quote(
                    article_id, quote.id, speaker=speaker, disputed=disputed,
                    confirmed=confirmed, revert=revert, reviewer=reviewer, at=at,
                )  # fmt: skip
                return lib.quotes(article_id)  # other quotes may join the new identity

            def rewritten(quotes: list[QuoteView]) -> None:
                if article_id == self.article_id:
                    self._refresh_quotes(quotes)
                    self._select_after_review(quote.id, then)
                self.notify(message, markup=False, timeout=3)

            self.saidwho_app.io(write_all, rewritten, write=True)
            return

        shown = preview_review(
            quote, disputed=disputed, confirmed=confirmed, reviewer=reviewer, at=at
        )
        write_no = next(self._writes)
        last = self._verdicts.get(quote.id)
        # what a failure rolls back to: the quote as last stored, not an unsaved verdict
        self._verdicts[quote.id] = (write_no, last[1] if last else quote)
        self._put_quote(shown)
        self._select_after_review(quote.id, then)

        def write() -> QuoteView:
            return lib.review_quote(
                article_id, quote.id, disputed=disputed, confirmed=confirmed,
                reviewer=reviewer, at=at,
            )  # fmt: skip

        def done(stored: QuoteView) -> None:
            pending = self._verdicts.get(quote.id)
            if pending is not None and pending[0] == write_no:
                del self._verdicts[quote.id]
                if stored != shown:  # the store knew better (another process's review)
                    self._put_quote(stored)
            elif pending is not None:  # a later verdict on it is being written
                self._verdicts[quote.id] = (pending[0], stored)
            self.notify(message, markup=False, timeout=3)

        def failed(error: BaseException) -> None:
            pending = self._verdicts.get(quote.id)
            if pending is not None and pending[0] == write_no:
                del self._verdicts[quote.id]
                self._put_quote(pending[1])
            self.notify(
                f"{str(error) or type(error).__name__}; the quote shows what is stored.",
                title="Review not saved",
                severity="error",
                markup=False,
                timeout=12,
            )

        self.saidwho_app.io(write, done, failed, write=True)

    @property
    def saving_verdicts(self) -> frozenset[str]:
        """Ids of the quotes whose verdict is shown but still being written."""
        return frozenset(self._verdicts)

    def _put_quote(self, quote: QuoteView) -> None:
        """Show one quote's new state: in place when it stays where it is (a verdict), else
        the panel is rebuilt (it leaves the review filter shown, say)."""
        if quote.article_id != self.article_id:
            return
        index = next((i for i, q in enumerate(self.quotes) if q.id == quote.id), None)
        if index is None:
            return
        self.quotes = [*self.quotes[:index], quote, *self.quotes[index + 1 :]]
        view = self.query_one(ArticleView)
        if self.query_one(QuoteList).update_quote(quote):
            view.update_quote(quote)
        else:
            self._show_quotes()

    def _select_after_review(self, quote_id: str, then: str | None) -> None:
        panel = self.query_one(QuoteList)
        if not (then and panel.select(then)) and not panel.select(quote_id):
            shown = panel.order_ids()
            if shown:
                panel.select(shown[0])
        if panel.selected is not None:
            self.query_one(ArticleView).select_quote(panel.selected.id, jump=True)

    def action_dispute(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        disputed = not quote.disputed
        self._review(
            quote, "Attribution disputed." if disputed else "Dispute withdrawn.", disputed=disputed
        )

    def action_confirm(self) -> None:
        """Confirm the selected quote and move on to the next one in the panel."""
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        order = self.query_one(QuoteList).order_ids()
        after = order[order.index(quote.id) + 1 :] if quote.id in order else []
        before = order[: order.index(quote.id)] if quote.id in order else []
        following = after or before[::-1]
        then = following[0] if following else None
        done = sum(1 for q in self.quotes if q.review != "unreviewed" or q.id == quote.id)
        self._review(
            quote,
            f"Confirmed: {who(quote)}. {done} of {len(self.quotes)} reviewed.",
            confirmed=True,
            then=then,
        )

    def action_revert(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        if not quote.reassigned and quote.kind == (quote.machine_kind or quote.kind):
            self.notify("Nothing to revert: the machine's attribution stands.", timeout=3)
            return
        was = quote.machine_speaker or "unattributed"
        self._review(quote, f"Back to the machine's speaker: {was}.", revert=True)

    def action_reassign(self) -> None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return
        here = [q.speaker for q in self.quotes if q.speaker]

        def chosen(name: str | None) -> None:
            if name and name != quote.speaker:
                self._review(quote, f"Speaker set to {name}.", speaker=name)

        ask_for_speaker(self, quote, here, chosen)

    def action_open_source(self) -> None:
        from saidwho.readers.fetch import is_url
        from saidwho.tui.opener import NoOpener, open_external, source_target

        article = self.article
        target = source_target(article.url, article.path) if article is not None else None
        if target is None:
            self.notify("This article has no URL or file to open.", severity="warning")
            return

        def failed(error: BaseException) -> None:
            if not isinstance(error, NoOpener):
                self.notify(f"{target}: {error}", title="Cannot open", severity="error",
                            markup=False)  # fmt: skip
                return
            what = "URL" if is_url(target) else "path"

            def answer(copy: bool | None) -> None:
                if copy:
                    self.app.copy_to_clipboard(target)
                    self.notify(clip(target, 200), title=f"{what.capitalize()} copied",
                                markup=False, timeout=4)  # fmt: skip

            self.app.push_screen(
                ConfirmDialog(
                    f"No program to open it with ({error.opener} is not installed). "
                    f"Copy the {what} instead?",
                    target,
                    yes=f"Copy the {what}",
                ),
                answer,
            )

        self.saidwho_app.io(
            lambda: open_external(target),
            lambda _: self.notify(clip(target, 200), title="Opened", markup=False, timeout=3),
            failed,
        )

    # -- versions (issue 23) ------------------------------------------------------------

    def _load_version_header(self) -> None:
        lib, article_id, base = self.saidwho_app.library, self.article_id, self.sub_title
        if article_id is None:
            return

        def shown(header: VersionHeader) -> None:
            if not self.is_attached or article_id != self.article_id:
                return  # closed, or another article was opened meanwhile
            self.version = header.version  # what a note written now is on
            if header.label():
                self.sub_title = f"{base} · {header.label()}"  # "v3 · quotes changed"

        # the header is a convenience: a failure leaves it as it was
        self.saidwho_app.io(
            partial(lib.version_header, article_id), shown, lambda _: None, group="versions"
        )

    def action_versions(self) -> None:
        from saidwho.tui.screens.versions import VersionChoice, VersionScreen, VersionsScreen

        article_id = self.article_id
        if article_id is None:
            return

        def chosen(choice: VersionChoice | None) -> None:
            if choice is None or article_id != self.article_id:
                return
            if choice.version is not None:
                self.app.push_screen(VersionScreen(article_id, choice.version, choice.quote_id))
            elif choice.quote_id is not None:
                self.jump_to_quote(choice.quote_id)

        self.app.push_screen(VersionsScreen(article_id), chosen)

    # -- quote trail (issue 13) ----------------------------------------------------------

    def _load_trail_counts(self) -> None:
        from saidwho.store.trails import trail_counts

        lib, ids = self.saidwho_app.library, [q.id for q in self.quotes]
        # the counts are a convenience: a failure leaves the panel as it was
        self.saidwho_app.io(
            partial(trail_counts, lib, ids),
            partial(self._trail_counts_loaded, self.article_id),
            lambda _: None,
            group="trail-counts",
        )

    def _trail_counts_loaded(self, article_id: str | None, counts: dict[str, int]) -> None:
        if self.is_attached and article_id == self.article_id:  # not a late answer
            self.query_one(QuoteList).set_trail_counts(counts)

    def action_trail(self) -> None:
        from saidwho.tui.screens.trail import TrailScreen

        quote = self.selected_quote()
        if quote is None:
            self.notify("Select a quote first.", severity="warning")
            return

        def opened(occurrence: Occurrence | None) -> None:
            if occurrence is None:
                return
            if occurrence.article_id == self.article_id:
                self.jump_to_quote(occurrence.quote_id)
                return
            nav = self.nav if occurrence.article_id in self.nav else [occurrence.article_id]
            self.reopen(occurrence.article_id, nav=nav, quote_id=occurrence.quote_id)

        self.app.push_screen(TrailScreen(quote.id), opened)

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
