"""The reader's side panels and the tables: quotes grouped by speaker, notes, articles.

Every prompt is a ``Content`` built from plain strings (``Content(...)``/tuples), never
from markup: speaker names, quotes and notes are untrusted text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from textual.content import Content
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

from tui.actions import bindings
from tui.model import NoteRow, QuoteRow, SpeakerGroup, clip, group_by_speaker

QUOTE_CHARS = 220
QUOTE_MARKS = "\"'“”‘’«» \n"


def quote_meta(quote: QuoteRow, paragraph: int | None = None) -> Content:
    """kind · cue · confidence · where: the provenance line under a quote."""
    parts: list[Content] = [Content.styled(quote.kind, "$text-muted")]
    if quote.cue:
        parts.append(Content.styled(f"“{clip(quote.cue, 24)}”", "$text-muted"))
    if quote.low:
        parts.append(Content.styled(f"? {quote.confidence:.0%} guess", "bold $text-warning"))
    else:
        parts.append(Content.styled(f"{quote.confidence:.0%}", "$text-muted"))
    where = f"{quote.start}–{quote.end}"
    if paragraph is not None:
        where = f"¶{paragraph} · {where}"
    parts.append(Content.styled(where, "$text-muted"))
    if quote.disputed:
        parts.append(Content.styled("✗ disputed", "bold $text-error"))
    if quote.reassigned:
        was = quote.machine_speaker or "unknown"
        parts.append(Content.styled(f"✎ fixed (was {clip(was, 24)})", "$text-success"))
    return Content(" · ").join(parts)


def quote_prompt(quote: QuoteRow, paragraph: int | None = None) -> Content:
    style = "italic" if quote.low else ""
    if quote.disputed:
        style += " strike"
    text = clip(quote.text.strip(QUOTE_MARKS), QUOTE_CHARS)
    if quote.kind != "indirect":  # reported speech gets no quotation marks
        text = f"“{text}”"
    body = Content.styled(text, style.strip())
    return Content.assemble(body, "\n", quote_meta(quote, paragraph), "\n")


def speaker_prompt(group: SpeakerGroup) -> Content:
    name = group.speaker or "Unattributed"
    count = len(group.quotes)
    parts: list[Content | tuple[str, str] | str] = [
        ("█ ", group.color),
        (name, "bold $text"),
        (f"  {count} quote{'s' if count != 1 else ''}", "$text-muted"),
    ]
    if group.role:
        parts += ["\n  ", (clip(group.role, 80), "italic $text-muted")]
    return Content.assemble(*parts)


class QuoteList(OptionList):
    """Quotes grouped by speaker: a disabled header per speaker, one option per quote."""

    BINDINGS = bindings("table")

    DEFAULT_CSS = """
    QuoteList > .option-list--option-disabled { color: $text; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.quotes: list[QuoteRow] = []
        self.groups: list[SpeakerGroup] = []
        self._paragraph_starts: list[int] = []

    def set_quotes(
        self, quotes: Sequence[QuoteRow], paragraphs: Sequence[tuple[int, int]] = ()
    ) -> None:
        keep = self.selected.id if self.selected else None
        self.quotes = list(quotes)
        self.groups = group_by_speaker(self.quotes)
        self._paragraph_starts = [s for s, _ in paragraphs]
        options: list[Option] = []
        for n, group in enumerate(self.groups):
            options.append(Option(speaker_prompt(group), id=f"speaker:{n}", disabled=True))
            for quote in group.quotes:
                options.append(Option(quote_prompt(quote, self._paragraph(quote)), id=quote.id))
        if not options:
            options.append(Option(Content("No quotes found in this article."), disabled=True))
        self.set_options(options)
        quotes, speakers = len(self.quotes), len(self.groups)
        self.border_subtitle = (
            f"{quotes} quote{'s' if quotes != 1 else ''} · "
            f"{speakers} speaker{'s' if speakers != 1 else ''}"
        )
        if keep and self.select(keep):
            return
        if self.quotes:
            self.highlighted = 1

    def _paragraph(self, quote: QuoteRow) -> int | None:
        if not self._paragraph_starts:
            return None
        return bisect_right(self._paragraph_starts, quote.start)

    @property
    def selected(self) -> QuoteRow | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return next((q for q in self.quotes if q.id == option.id), None)

    def select(self, quote_id: str) -> bool:
        try:
            index = self.get_option_index(quote_id)
        except Exception:  # OptionDoesNotExist
            return False
        self.highlighted = index
        # keep the speaker header in view when its first quote is selected
        if index > 0 and self.get_option_at_index(index - 1).disabled:
            self.call_after_refresh(self._show_header, index - 1)
        return True

    def _show_header(self, index: int) -> None:
        line = self._index_to_line.get(index)
        if line is not None and line < self.scroll_y:
            self.scroll_to(y=line, animate=False, immediate=True)


def note_prompt(note: NoteRow, anchor: str) -> Content:
    head: list[Content | tuple[str, str] | str] = [("✎ ", "$text-warning")]
    if note.tags:
        head.append((" ".join(f"#{t}" for t in note.tags), "bold $text-accent"))
        head.append("  ")
    stamp = (note.updated or note.created)[:16].replace("T", " ")
    head.append((f"{anchor} · {stamp}" if stamp else anchor, "$text-muted"))
    lines = [Content.assemble(*head)]
    if note.exact:
        lines.append(Content.styled(f"“{clip(note.exact, 90)}”", "italic $text-muted"))
    body = note.text.strip() or "(empty note)"
    lines.append(Content(body if len(body) < 600 else body[:599] + "…"))
    return Content.assemble(Content("\n").join(lines), "\n")


class NoteList(OptionList):
    BINDINGS = bindings("table")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.notes: list[NoteRow] = []

    def set_notes(self, notes: Sequence[NoteRow], quotes: Sequence[QuoteRow] = ()) -> None:
        keep = self.selected.id if self.selected else None
        self.notes = sorted(notes, key=lambda n: (n.start, n.created))
        by_id = {q.id: q for q in quotes}
        options = []
        for note in self.notes:
            quote = by_id.get(note.quote_id or "")
            anchor = f"on {clip(quote.who, 30)}" if quote else "on sentence"
            options.append(Option(note_prompt(note, anchor), id=note.id))
        if not options:
            options.append(
                Option(Content.styled("No notes yet: n adds one.", "$text-muted"), disabled=True)
            )
        self.set_options(options)
        count = len(self.notes)
        self.border_subtitle = f"{count} note{'s' if count != 1 else ''}" if count else ""
        if keep and keep in {n.id for n in self.notes}:
            self.highlighted = self.get_option_index(keep)
        elif self.notes:
            self.highlighted = 0

    @property
    def selected(self) -> NoteRow | None:
        option = self.highlighted_option
        if option is None or option.disabled:
            return None
        return next((n for n in self.notes if n.id == option.id), None)

    def select(self, note_id: str) -> None:
        if note_id in {n.id for n in self.notes}:
            self.highlighted = self.get_option_index(note_id)


class VimTable(DataTable):
    """A row-cursor DataTable with j/k/g/G beside the arrows."""

    BINDINGS = bindings("table")

    def action_first(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
