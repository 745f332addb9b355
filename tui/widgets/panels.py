"""The reader's side panels and the tables: quotes grouped by speaker, notes, articles.

Every prompt is a ``Content`` built from plain strings (``Content(...)``/tuples), never
from markup: speaker names, quotes and notes are untrusted text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

from saidwho.core.marks import DOUBLE, OPEN_SINGLE, STRAIGHT_SINGLE
from saidwho.core.safe_text import inert_line
from saidwho.store import Note, QuoteView
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import (
    MUTED,
    QUEUES,
    UNKNOWN_COLOR,
    SpeakerGroup,
    clip,
    group_by_speaker,
    in_queue,
    is_low,
    is_uncertain,
    progress,
    speaker_colors,
    speaker_of,
    spoken_parts,
    unquote,
    who,
)
from saidwho.tui.note_text import note_content
from saidwho.tui.widgets.virtual_table import VirtualTable

QUOTE_CHARS = 400  # room for both halves of a quote split by its attribution
FIRST_FILL = 20  # options added at once before the panel has a size: more than it shows
FILL_CHUNK = 40  # then this many per paint: ~15 ms each, keys stay responsive


def quote_meta(quote: QuoteView, paragraph: int | None = None) -> Content:
    """kind · cue · confidence · paragraph: the provenance line under a quote."""
    parts: list[Content] = [Content.styled(quote.kind, MUTED)]
    if quote.cue:
        parts.append(Content.styled(f"“{clip(quote.cue, 24)}”", MUTED))
    if is_low(quote):
        parts.append(Content.styled(f"? {quote.confidence:.0%} guess", "bold $text-warning"))
    else:
        parts.append(Content.styled(f"{quote.confidence:.0%}", MUTED))
    if paragraph:  # a person reads the paragraph; offsets are for --json and citations
        parts.append(Content.styled(f"¶{paragraph}", MUTED))
    if quote.disputed:
        parts.append(Content.styled("✗ disputed", "bold $text-error"))
    if quote.reassigned:
        was = quote.machine_speaker or "unknown"
        parts.append(Content.styled(f"✎ fixed (was {clip(was, 24)})", "$text-success"))
    elif quote.machine_kind and quote.kind != quote.machine_kind:
        parts.append(Content.styled(f"✎ fixed (was {quote.machine_kind})", "$text-success"))
    if quote.review == "confirmed":
        by = f" by {clip(quote.reviewer, 20)}" if quote.reviewer else ""
        parts.append(Content.styled(f"✓ confirmed{by}", "$text-success"))
    return Content(" · ").join(parts)


ELISION = " […] "
# marks that show a partial quote already carries its own (not ’: also an apostrophe)
MARKS = frozenset(DOUBLE + OPEN_SINGLE + STRAIGHT_SINGLE)


def _segment_spans(quote: QuoteView) -> list[tuple[int, int]]:
    """The quote's segments as offsets into ``quote.text`` (the ones that lie inside it)."""
    if len(quote.text) != quote.end - quote.start:
        return []
    return [
        (seg.start - quote.start, seg.end - quote.start)
        for seg in quote.segments
        if quote.start <= seg.start < seg.end <= quote.end
    ]


# the pair a quote opening with this mark closes with; curly when the text has none of its own
_PAIR_OF = {'"': ('"', '"'), "„": ("„", "“"), "«": ("«", "»"), "‟": ("‟", "”")}


def article_marks(text: str) -> tuple[str, str]:
    """The quotation marks the article itself used around ``text``: straight marks stay
    straight (the panel shows the article's own characters)."""
    first = next((c for c in text if c in DOUBLE), "“")
    return _PAIR_OF.get(first, ("“", "”"))


def quote_body(quote: QuoteView, limit: int = QUOTE_CHARS) -> Content:
    """The speaker's words, from the quote's segments: the narration between two segments
    (``,” said Trump on Sunday. “``) becomes a dim `` […] ``; a mention inside reported speech
    is dimmed. The panel says who said it, so the reader sees the words alone."""
    style = "italic" if is_low(quote) else ""
    if quote.disputed:
        style += " strike"
    spans = _segment_spans(quote)
    pieces: list[tuple[str, bool]] = []  # (text, dimmed)
    if len(spans) > 1:
        for n, (start, end) in enumerate(spans):
            if n:
                pieces.append((ELISION, True))
            pieces.append((unquote(quote.text[start:end]), False))
    elif quote.kind == "indirect" and spans and spans[0] != (0, len(quote.text)):
        # reported speech: its segment is the reported content, without "X said that"
        # (a record from before segments covers it all: the cue is dimmed below instead)
        start, end = spans[0]
        pieces = [(re.sub(r"\s+", " ", quote.text[start:end]), False)]
    elif quote.kind == "indirect":
        parts = spoken_parts(quote)
        pieces = [(re.sub(r"\s+", " ", text), kind == "cue") for kind, text in parts]
    else:
        start, end = spans[0] if spans else (0, len(quote.text))
        pieces = [(unquote(quote.text[start:end]), False)]
    if pieces:  # the ends of reported speech keep their words, not their spaces
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    out: list[Content] = []
    room = limit
    for text, dimmed in pieces:
        if room <= 0:
            break
        if len(text) > room:
            # an elision that does not fit is not cut in half: the text just ends
            text = "…" if dimmed and text == ELISION else text[: max(0, room - 1)].rstrip() + "…"
            dimmed = False
            room = 0
        room -= len(text)
        shown = inert_line(text)  # same length: the room arithmetic above still holds
        out.append(Content.styled(shown, f"{MUTED} not italic not strike" if dimmed else ""))
    body = Content("").join(out)
    # reported speech gets no quotation marks; nor does a partial quote that has its own
    if quote.kind == "direct" or (quote.kind == "partial" and not MARKS.intersection(body.plain)):
        left, right = article_marks(quote.text)
        body = Content.assemble(left, body, right)
    return body.stylize_before(style.strip()) if style.strip() else body


def quote_prompt(quote: QuoteView, paragraph: int | None = None, trail: int = 0) -> Content:
    meta = quote_meta(quote, paragraph)
    if trail > 1:  # the statement appears in other articles too: `t` shows where
        spread = Content.styled(f"⇄ in {trail} articles (t)", "$text-accent")
        meta = Content(" · ").join([meta, spread])
    return Content.assemble(quote_body(quote), "\n", meta, "\n")


def speaker_prompt(group: SpeakerGroup) -> Content:
    name = inert_line(group.speaker or "Unattributed")
    count = len(group.quotes)
    parts: list[Content | tuple[str, str] | str] = [
        ("█ ", group.color),
        (name, "bold $text"),
        (f"  {count} quote{'s' if count != 1 else ''}", MUTED),
    ]
    if group.role:
        parts += ["\n  ", (clip(group.role, 80), f"italic {MUTED}")]
    return Content.assemble(*parts)


def quote_counts(quotes: Sequence[QuoteView], room: int | None = None) -> str:
    """ "7 quotes · 6 speakers · 1 unattributed": only named speakers count as speakers,
    as on the speakers screen. Without ``room`` for it the unattributed count goes (its
    group in the panel says it too)."""
    speakers = len({speaker_of(q) for q in quotes if q.speaker})
    unattributed = sum(1 for q in quotes if not q.speaker)
    text = (
        f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''} · "
        f"{speakers} speaker{'s' if speakers != 1 else ''}"
    )
    full = f"{text} · {unattributed} unattributed" if unattributed else text
    return full if room is None or len(full) <= room else text


PHRASES = "phrases"  # the option id of the collapsed "unattributed phrases" header


@dataclass(frozen=True)
class _Entry:
    kind: str  # "header" (a speaker), "phrases" (the collapsed group's header), "quote"
    group: SpeakerGroup | None = None
    quote: QuoteView | None = None
    number: int = 0


def phrases_prompt(count: int, open_: bool) -> Content:
    arrow = "▾" if open_ else "▸"
    return Content.assemble(
        (f"{arrow} ", MUTED),
        ("Uncertain", f"bold {MUTED}"),
        (f"  {count} · enter {'hides' if open_ else 'shows'} them", MUTED),
    )


def ordered_prompt(quote: QuoteView, color: str, paragraph: int | None, trail: int = 0) -> Content:
    """A quote in document order: its speaker on top (no group header says it)."""
    return Content.assemble(
        ("█ ", color), (who(quote), "bold $text"), "\n", quote_prompt(quote, paragraph, trail)
    )


class QuoteList(OptionList):
    """The article's quotes: grouped by speaker (a disabled header per speaker) or in document
    order; optionally statements only or one review queue. Quotes the reader should not
    trust yet (quoted words nobody is credited with, attributions below the uncertain
    threshold no reviewer has looked at) sit apart in a collapsed "Uncertain" group."""

    BINDINGS = host_bindings("quotes", "table")

    DEFAULT_CSS = """
    QuoteList > .option-list--option-disabled { color: $text; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.quotes: list[QuoteView] = []
        self.shown: list[QuoteView] = []  # after the statements and queue filters
        self.groups: list[SpeakerGroup] = []
        self.order = "speaker"  # or "document"
        self.statements_only = False
        self.queue = "all"  # a key of model.QUEUES
        self.phrases_open = False
        self._colors: dict[str | None, str] = {}
        self._paragraph_starts: list[int] = []
        # every entry of the list in order; options are made for the first ``_filled`` of
        # them, the rest follow in chunks after a paint
        self._entries: list[_Entry] = []
        self._entry_of: dict[str, int] = {}  # quote id -> index in _entries
        self._filled = 0
        self._fill_round = 0  # a later set_quotes cancels the chunks of an earlier one
        self.trail_counts: dict[str, int] = {}  # quote id -> articles it appears in (> 1)
        self._filling_round = -1  # the round whose chunks are queued

    def set_quotes(
        self, quotes: Sequence[QuoteView], paragraphs: Sequence[tuple[int, int]] = ()
    ) -> None:
        """Fill the list. Building and measuring an option costs ~0.4 ms, ~90 ms for 200
        quotes: only what a screen shows is added now, the rest after the next paint."""
        self.quotes = list(quotes)
        self._paragraph_starts = [s for s, _ in paragraphs]
        self._rebuild()

    def _keeps(self, quote: QuoteView) -> bool:
        if self.statements_only and not quote.statement:
            return False
        return in_queue(quote, self.queue)

    def _rebuild(self, keep: str | None = None) -> None:
        if keep is None and (option := self.highlighted_option) is not None:
            keep = option.id if not option.disabled else None
        self._colors = speaker_colors(self.quotes)
        self.shown = [q for q in self.quotes if self._keeps(q)]
        phrases = [q for q in self.shown if is_uncertain(q)]
        rest = [q for q in self.shown if not is_uncertain(q)]
        self._entries = []
        if self.order == "speaker":
            self.groups = group_by_speaker(rest, self._colors)
            for n, group in enumerate(self.groups):
                self._entries.append(_Entry("header", group, number=n))
                self._entries.extend(_Entry("quote", group, q) for q in group.quotes)
        else:
            self.groups = []
            self._entries = [_Entry("quote", None, q) for q in sorted(rest, key=lambda q: q.start)]
        if phrases:
            group = SpeakerGroup(None, None, UNKNOWN_COLOR, tuple(phrases))
            self._entries.append(_Entry(PHRASES, group))
            if self.phrases_open or keep in {q.id for q in phrases}:
                self.phrases_open = True
                self._entries.extend(_Entry("quote", group, q) for q in phrases)
        self._entry_of = {
            e.quote.id if e.quote is not None else PHRASES: i
            for i, e in enumerate(self._entries)
            if e.quote is not None or e.kind == PHRASES
        }
        self._filled = 0
        self._fill_round += 1
        # an entry takes two lines or more: this many fill the panel (not laid out yet: guess)
        first = self.size.height // 2 + 2 if self.size.height else FIRST_FILL
        if keep in self._entry_of:
            first = max(first, self._entry_of[keep] + FIRST_FILL)
        options = self._next_options(first)
        if not options:
            empty = "No quotes found in this article." if not self.quotes else "No quote here: "
            if self.quotes:
                empty += "w, f change what is shown."
            options.append(Option(Content(empty), disabled=True))
        self.set_options(options)
        self._show_counts()
        if self._filled < len(self._entries):
            self.call_after_refresh(self._fill_later, self._fill_round)
            self._filling_round = self._fill_round
        if keep and self.select(keep):
            return
        first_quote = next(
            (i for i, e in enumerate(self._entries) if e.kind in ("quote", PHRASES)), None
        )
        if first_quote is not None:
            self.highlighted = first_quote

    # -- modes --------------------------------------------------------------------------

    def toggle_order(self) -> str:
        self.order = "document" if self.order == "speaker" else "speaker"
        self._rebuild()
        return self.order

    def toggle_statements(self) -> bool:
        self.statements_only = not self.statements_only
        self._rebuild()
        return self.statements_only

    def cycle_queue(self) -> str:
        names = list(QUEUES)
        self.queue = names[(names.index(self.queue) + 1) % len(names)]
        self._rebuild()
        return self.queue

    def toggle_phrases(self) -> None:
        self.phrases_open = not self.phrases_open
        self._rebuild(keep=PHRASES)

    @property
    def title(self) -> str:
        """What the panel shows, for its border."""
        return self._title()

    @property
    def filters(self) -> str:
        """The filters on, as the title names them ("" when every quote is shown)."""
        extra = [QUEUES[self.queue]] if self.queue != "all" else []
        if self.statements_only:
            extra.append("statements")
        return ", ".join(extra)

    def _title(self, short: bool = False) -> str:
        title = "Quotes" if short else (
            "Quotes by speaker" if self.order == "speaker" else "Quotes in order"
        )  # fmt: skip
        return f"{title} · {self.filters}" if self.filters else title

    def order_ids(self) -> list[str]:
        """The quote ids in the order the list shows them (collapsed ones too)."""
        ids = [e.quote.id for e in self._entries if e.quote is not None]
        hidden = [q.id for q in self.shown if is_uncertain(q) and q.id not in ids]
        return ids + hidden

    def _next_options(self, count: int) -> list[Option]:
        options: list[Option] = []
        stop = min(len(self._entries), self._filled + count)
        for n in range(self._filled, stop):
            entry = self._entries[n]
            if entry.kind == "header" and entry.group is not None:
                prompt = speaker_prompt(entry.group)
                options.append(Option(prompt, id=f"speaker:{entry.number}", disabled=True))
            elif entry.kind == PHRASES and entry.group is not None:
                prompt = phrases_prompt(len(entry.group.quotes), self.phrases_open)
                options.append(Option(prompt, id=PHRASES))
            elif entry.quote is not None:
                options.append(Option(self._prompt(entry.quote), id=entry.quote.id))
        self._filled = stop
        return options

    def _prompt(self, quote: QuoteView) -> Content:
        trail = self.trail_counts.get(quote.id, 0)
        if (self.order == "document" or is_uncertain(quote)) and not quote.scare_quote:
            # in the uncertain group a quote says its own speaker (no header does)
            color = self._colors.get(quote.speaker, UNKNOWN_COLOR)
            return ordered_prompt(quote, color, self._paragraph(quote), trail)
        return quote_prompt(quote, self._paragraph(quote), trail)

    def update_quote(self, quote: QuoteView) -> bool:
        """Show a new state of one of the list's quotes (a verdict) in place: its option's
        prompt is replaced, nothing else is rebuilt. False (nothing changed) when the quote
        would move: another speaker, kind or act, or it enters or leaves the review filter;
        then ``set_quotes`` rebuilds the list."""
        index = next((i for i, q in enumerate(self.quotes) if q.id == quote.id), None)
        if index is None:
            return False
        old = self.quotes[index]
        placed = (old.speaker, old.identity, old.kind, old.act, self._keeps(old))
        if placed != (quote.speaker, quote.identity, quote.kind, quote.act, self._keeps(quote)):
            return False
        self.quotes[index] = quote
        self.shown = [quote if q.id == quote.id else q for q in self.shown]
        entry = self._entry_of.get(quote.id)
        if entry is not None:
            self._entries[entry] = replace(self._entries[entry], quote=quote)
            if entry < self._filled:
                self._replace_prompt(quote.id, self._prompt(quote))
        self._show_counts()  # the title's review progress
        return True

    def _replace_prompt(self, option_id: str, prompt: Content) -> None:
        """``replace_option_prompt``, but only this option is drawn again: OptionList drops
        every option's drawn lines, and drawing a screenful of quotes again cost ~10 ms of
        a verdict's paint. (The other options' lines stay valid: only where they sit may
        move, when this one's height changes.)"""
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        height = self._heights.get(index)
        if height is None or not self.scrollable_content_region:
            self.replace_option_prompt(option_id, prompt)
            return
        option._set_prompt(prompt)  # drops the option's measured visual
        cached = self._option_render_cache
        for key in [key for key in cached.keys() if key[0] is option]:  # noqa: SIM118 - no __iter__
            cached.discard(key)
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        rules = cast(RulesMap, self.styles)
        measured = self._get_visual(option).get_height(rules, width - padding.width)
        if measured + option._divider == height:
            self.refresh_lines(self._index_to_line[index], height)
        else:  # the options below move down or up: measured again (their visuals are kept)
            self._line_cache.clear()
            self.refresh()

    @property
    def filled(self) -> int:
        """How many entries (speaker headers and quotes) have options so far."""
        return self._filled

    @property
    def filling(self) -> bool:
        """Options are still being added after paints."""
        return self._filling_round == self._fill_round and self._filled < len(self._entries)

    def stop_filling(self) -> None:
        """Its screen was left: no more chunks (a 5,000-quote list kept a core busy)."""
        self._fill_round += 1

    def resume_filling(self) -> None:
        if self._filled < len(self._entries) and not self.filling:
            self.call_after_refresh(self._fill_later, self._fill_round)
            self._filling_round = self._fill_round

    def _fill_later(self, fill_round: int) -> None:
        if fill_round != self._fill_round or not self.is_attached:
            return
        self.add_options(self._next_options(FILL_CHUNK))
        if self._filled < len(self._entries):  # let keys and paints in between chunks
            self.call_after_refresh(self._fill_later, fill_round)

    def _fill_through(self, index: int | None = None) -> None:
        """Add the options up to entry ``index`` (all: None) now, e.g. to select one."""
        stop = len(self._entries) if index is None else index + 1
        if stop > self._filled:
            self.add_options(self._next_options(stop - self._filled))

    def get_option_index(self, option_id: str) -> int:
        self._fill_through(self._entry_of.get(option_id, -1))
        return super().get_option_index(option_id)

    def get_option(self, option_id: str) -> Option:
        self._fill_through(self._entry_of.get(option_id, -1))
        return super().get_option(option_id)

    def action_cursor_down(self) -> None:
        if (self.highlighted or 0) >= self.option_count - 2:  # at the end of what is filled
            self._fill_through(self._filled + FILL_CHUNK - 1)
        super().action_cursor_down()

    def action_page_down(self) -> None:
        self._fill_through()
        super().action_page_down()

    def action_last(self) -> None:
        self._fill_through()
        super().action_last()

    def set_trail_counts(self, counts: dict[str, int]) -> None:
        """Show "in N articles" on the quotes found elsewhere (counted in a worker)."""
        before = self.trail_counts
        changed = {q for q in counts.keys() | before.keys() if counts.get(q) != before.get(q)}
        self.trail_counts = dict(counts)
        for quote in self.quotes:
            index = self._entry_of.get(quote.id)
            if quote.id in changed and index is not None and index < self._filled:
                self.replace_option_prompt(quote.id, self._prompt(quote))

    def _show_counts(self) -> None:
        # the border keeps its corners and a space either side of the subtitle
        room = self.size.width - 6 if self.size.width else None
        # the title says what is shown and how far the review got; the subtitle counts
        done = f" · {progress(self.quotes)}" if self.quotes else ""
        # narrow: "by speaker" goes first, then the progress; a filter stays named at any
        # width (a list that hides quotes must say so), clipped as a last resort
        filters = self.filters
        short = self._title(short=True)
        fits = [self.title + done, short + done]
        fits += [short, filters] if filters else ["Quotes"]
        title = next((t for t in fits if room is None or len(t) <= room), "")
        self.border_title = title or clip(filters or "Quotes", max(room or 1, 1))
        self.border_subtitle = quote_counts(self.quotes, room) if self.quotes else ""

    def on_resize(self) -> None:
        self._show_counts()

    def clear_quotes(self) -> None:
        self.quotes, self.shown, self.groups = [], [], []
        self._entries, self._entry_of, self._filled = [], {}, 0
        self._fill_round += 1
        self.clear_options()
        self.border_subtitle = ""

    def _paragraph(self, quote: QuoteView) -> int | None:
        if not self._paragraph_starts:
            return None
        return bisect_right(self._paragraph_starts, quote.start)

    @property
    def selected(self) -> QuoteView | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return next((q for q in self.quotes if q.id == option.id), None)

    def select(self, quote_id: str) -> bool:
        if quote_id not in self._entry_of and any(
            q.id == quote_id and is_uncertain(q) for q in self.shown
        ):
            self.phrases_open = True  # a collapsed phrase opens to show it
            self._rebuild(keep=quote_id)
        try:
            index = self.get_option_index(quote_id)
        except Exception:  # OptionDoesNotExist
            return False
        self.highlighted = index
        # keep the speaker header in view when its first quote is selected
        if index > 0 and self.get_option_at_index(index - 1).disabled:
            self.call_after_refresh(self._show_header, index - 1)
        return True

    def option_lines(self, index: int) -> tuple[int, int]:
        """(first line, height in lines) of option ``index`` in the list's virtual space."""
        return self._index_to_line[index], self._heights[index]

    def _show_header(self, index: int) -> None:
        line = self._index_to_line.get(index)
        if line is not None and line < self.scroll_y:
            self.scroll_to(y=line, animate=False, immediate=True)


def note_prompt(note: Note, anchor: str, saving: bool = False) -> Content:
    """A note in the panel; ``saving``: shown before the store has it (its write is running)."""
    mark = ("⚠ ", "$text-error") if note.orphaned else ("✎ ", "$text-warning")
    head: list[Content | tuple[str, str] | str] = [mark]
    if note.tags:
        head.append((inert_line(" ".join(f"#{t}" for t in note.tags)), "bold $text-accent"))
        head.append("  ")
    stamp = (note.updated or note.created)[:16].replace("T", " ")
    head.append((f"{anchor} · {stamp}" if stamp else anchor, MUTED))
    if saving:
        head.append((" · saving…", f"italic {MUTED}"))
    lines = [Content.assemble(*head)]
    if note.exact:
        words = clip(unquote(note.exact), 90)
        # words that carry their own marks ("an end to the “war”") get no second pair
        left, right = ("", "") if MARKS.intersection(words) else article_marks(note.exact)
        lines.append(Content.styled(f"{left}{words}{right}", f"italic {MUTED}"))
    body = note.text.strip()
    if body:  # Markdown, rendered without ever parsing Textual markup (see note_text)
        lines.append(note_content(body if len(body) < 600 else body[:599] + "…"))
    else:
        lines.append(Content.styled("(empty note)", MUTED))
    return Content.assemble(Content("\n").join(lines), "\n")


class NoteList(OptionList):
    BINDINGS = host_bindings("notes", "table")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.notes: list[Note] = []
        self.saving: frozenset[str] = frozenset()  # ids of notes whose write is running

    def set_notes(
        self,
        notes: Sequence[Note],
        quotes: Sequence[QuoteView] = (),
        saving: Iterable[str] = (),
    ) -> None:
        """Show ``notes``; those in ``saving`` say so (shown before their write is done)."""
        keep = self.selected.id if self.selected else None
        self.notes = sorted(notes, key=lambda n: (n.start, n.created))
        self.saving = frozenset(saving)
        by_id = {q.id: q for q in quotes}
        options = []
        for note in self.notes:
            quote = by_id.get(note.quote_id or "")
            anchor = f"on {clip(who(quote), 30)}" if quote else "on sentence"
            if note.orphaned:
                anchor = "orphaned: its words are gone from the article"
            options.append(Option(note_prompt(note, anchor, note.id in self.saving), id=note.id))
        if not options:
            options.append(
                Option(Content.styled("No notes yet: n adds one.", MUTED), disabled=True)
            )
        self.set_options(options)
        count = len(self.notes)
        orphans = sum(1 for n in self.notes if n.orphaned)
        subtitle = f"{count} note{'s' if count != 1 else ''}" if count else ""
        self.border_subtitle = f"{subtitle} · {orphans} orphaned" if orphans else subtitle
        if keep and keep in {n.id for n in self.notes}:
            self.highlighted = self.get_option_index(keep)
        elif self.notes:
            self.highlighted = 0

    @property
    def selected(self) -> Note | None:
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


class ArticleTable(VirtualTable, VimTable):
    """The library's table: its Enter shows as "⏎ Open" in the footer; rows are virtual
    (``set_rows``) so 10,000 articles show and filter without building 10,000 rows."""

    BINDINGS = host_bindings("articles")


class SpeakerTable(VimTable):
    BINDINGS = host_bindings("speakers")
