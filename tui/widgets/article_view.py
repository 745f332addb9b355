"""The article body as a line-based ScrollView.

Wrapping is computed once per width into ``(start, end)`` offsets of ``Article.text``;
each visible line is styled on demand from the quote, note and cursor spans and the strip
is cached until the state changes. That keeps offsets exact (a click or a jump maps to a
character, never to a guess) and a 200-quote article renders as fast as a plain one.
Article text only ever becomes ``rich.text.Text``: it is never parsed as markup.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from saidwho.core.safe_text import inert, inert_line
from saidwho.core.text import squash
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import QuoteView
from saidwho.tui.actions import bindings
from saidwho.tui.model import DISPUTED_COLOR, UNKNOWN_COLOR, is_low, sentence_spans, span_index

MAX_MEASURE = 88  # a comfortable line length for reading prose
GUTTER = 3  # cursor bar, note mark, space
_WORD = re.compile(r"\S+")  # \s is what str.isspace() calls whitespace
# characters one cell wide (Latin, Greek, Cyrillic, typographic punctuation): a word of
# only these is as wide as it is long, without looking each one up
_NARROW = frozenset(
    c
    for lo, hi in ((0x20, 0x7E), (0xA0, 0x482), (0x2010, 0x205E), (0x20A0, 0x20C0))
    for c in map(chr, range(lo, hi + 1))
    if get_character_cell_size(c) == 1
)
_narrow = _NARROW.issuperset


# whitespace takes one cell too (newlines inside a paragraph reflow like spaces)
_one_cell = _NARROW.union(c for c in map(chr, range(0x3001)) if c.isspace()).issuperset


def _cells(word: str) -> int:
    return sum(map(get_character_cell_size, word))


@lru_cache(maxsize=16)
def _line_pattern(width: int) -> re.Pattern[str]:
    """One line of text whose characters are all one cell wide: the most that fits and
    ends before whitespace (or the end); else, a word longer than the line, cut."""
    if width == 1:
        return re.compile(r"\S")
    return re.compile(rf"\S(?:.{{0,{width - 2}}}\S)?(?=\s|\Z)|\S{{{width}}}", re.DOTALL)


@dataclass(frozen=True)
class _Line:
    start: int = -1  # offsets into the text; -1 for header and blank lines
    end: int = -1
    text: Text | None = None  # pre-styled header lines


def wrap_offsets(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` into ``width`` cells, as offset pairs.
    Newlines inside a paragraph reflow like spaces; an over-long word is split.
    Word by word (a regex finds them), not character by character: ~6x faster, and a
    200-quote article is wrapped on every open."""
    width = max(1, width)
    if _one_cell(text[start:end]):  # every character one cell: a regex does it all
        return [m.span() for m in _line_pattern(width).finditer(text, start, end)]
    lines: list[tuple[int, int]] = []
    line_start, line_stop, col = -1, -1, 0
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        word = match.group()
        cells = len(word) if _narrow(word) else _cells(word)
        if line_start >= 0:
            # each whitespace character between the words takes one cell
            cells_with_gap = col + (word_start - line_stop) + cells
            if cells_with_gap <= width:
                col, line_stop = cells_with_gap, word_end
                continue
            lines.append((line_start, line_stop))
        while cells > width:  # a word wider than a line: as much as fits, then the rest
            cut, used = word_start, 0
            while cut < word_end:
                size = get_character_cell_size(text[cut])
                if used + size > width:
                    break
                used += size
                cut += 1
            cut = max(cut, word_start + 1)
            lines.append((word_start, cut))
            word_start = cut
            cells = _cells(text[word_start:word_end])
        if word_start < word_end:
            line_start, line_stop, col = word_start, word_end, cells
        else:  # the split used it all
            line_start, col = -1, 0
    if line_start >= 0:
        lines.append((line_start, line_stop))
    return lines


class ArticleView(ScrollView, can_focus=True):
    """Title, byline and paragraphs; quotes tinted per speaker; a sentence cursor."""

    BINDINGS = bindings("article")

    COMPONENT_CLASSES = {
        "article--title",
        "article--subtitle",
        "article--meta",
        "article--cursor",
        "article--cursor-bar",
        "article--focus",
        "article--match",
        "article--find",
        "article--note",
        "article--rule",
    }

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .article--title { text-style: bold; color: $text; }
        & > .article--subtitle { text-style: italic; color: $foreground-muted; }
        & > .article--meta { color: $foreground-muted; }
        & > .article--rule { color: $foreground 20%; }
        & > .article--cursor { background: $foreground 7%; }
        & > .article--cursor-bar { color: $accent; }
        & > .article--focus { background: $foreground 16%; }
        & > .article--match { background: $warning 55%; color: $text; }
        & > .article--find { background: $warning 25%; }
        & > .article--note { color: $warning; }
    }
    """

    class QuoteClicked(Message):
        """A quote in the text was clicked or chosen with Enter."""

        def __init__(self, quote_id: str) -> None:
            super().__init__()
            self.quote_id = quote_id

    cursor: reactive[int] = reactive(0, layout=False, repaint=False)  # sentence index

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.quotes: list[QuoteView] = []
        self.palette: dict[str | None, str] = {}
        self.notes: list[tuple[int, int]] = []
        self.selected_quote: str | None = None
        self.focus_span: tuple[int, int] | None = None  # sentence shown after a jump
        self.match_span: tuple[int, int] | None = None  # search hit
        self.find_spans: list[tuple[int, int]] = []  # the reader's find bar: every match
        self._find_starts: list[int] = []
        self.sentences: list[tuple[int, int]] = []
        self._sentence_starts: list[int] = []
        self._lines: list[_Line] = []
        self._line_starts: list[int] = []  # start offset of each text line
        self._line_index: list[int] = []  # y of each text line
        self._width = 0
        self._margin = 0
        self._cache: LRUCache[int, Strip] = LRUCache(512)
        self._shown = ""  # the article text as drawn (see set_article)
        self._styles: tuple[Style, Style, Style] | None = None  # goes with _cache
        self._pending: tuple[int, int] | None = None
        self._paragraphs: list[tuple[int, int]] = []  # the ones shown (header ones skipped)
        self._wrapped_styles: tuple[Style, ...] = ()  # header styles of the wrapped lines

    # -- data ---------------------------------------------------------------------------

    def set_article(
        self, article: Article, quotes: Sequence[QuoteView], colors: dict[str | None, str]
    ) -> None:
        self.article = article
        # what is drawn: controls made visible, same length, so every offset still holds
        self._shown = inert(article.text)
        self.quotes = sorted(quotes, key=lambda q: (q.start, q.end))
        self.palette = colors
        self.selected_quote = None
        self.focus_span = None
        self.match_span = None
        paragraphs = list(article.paragraphs or paragraph_spans(article.text))
        self._paragraphs = self._skip_repeated_header(paragraphs)
        self.sentences = sentence_spans(article.text, self._paragraphs, self.quotes)
        self._sentence_starts = [s for s, _ in self.sentences]
        self.set_reactive(ArticleView.cursor, 0)
        self._width = 0
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def clear(self) -> None:
        """Show nothing (the kept reader screen, before its next article arrives)."""
        self.article = None
        self.quotes, self.notes, self.sentences = [], [], []
        self.selected_quote = self.focus_span = self.match_span = None
        self._lines, self._line_starts, self._line_index = [], [], []
        self._width = 0
        self._cache.clear()
        self._styles = None
        self.virtual_size = Size(0, 0)
        self.refresh()

    def set_quotes(self, quotes: Sequence[QuoteView], colors: dict[str | None, str]) -> None:
        self.quotes = sorted(quotes, key=lambda q: (q.start, q.end))
        self.palette = colors
        self._invalidate()

    def update_quote(self, quote: QuoteView) -> None:
        """One quote's new state (a verdict, same speaker): only its lines are drawn again."""
        before = self.quote(quote.id)
        self.quotes = [quote if q.id == quote.id else q for q in self.quotes]
        self._refresh_quotes(before, quote)

    def set_notes(self, spans: Sequence[tuple[int, int]]) -> None:
        notes = sorted(spans)
        # only the lines of notes added or gone are drawn again (a note saved, deleted)
        changed = set(notes).symmetric_difference(self.notes)
        self.notes = notes
        self._refresh_spans(sorted(changed))

    def select_quote(self, quote_id: str | None, *, jump: bool = False) -> None:
        """Mark a quote; with ``jump`` also centre and light up its sentence."""
        before = self.quote(self.selected_quote)
        self.selected_quote = quote_id
        quote = self.quote(quote_id)
        if jump and quote is not None:
            stale = [self.focus_span, self.match_span]
            self.focus_span = (quote.sentence_start, quote.sentence_end)
            self.match_span = None
            self._move_cursor_to(quote.start)
            self.center_on(quote.sentence_start, quote.sentence_end)
            # the lines whose look changed, not the whole article (cached strips stay)
            self._refresh_spans([*stale, self.focus_span])
        # only the lines of the two quotes change: j/k stays cheap on long articles
        self._refresh_quotes(before, quote)

    def _refresh_quotes(self, *quotes: QuoteView | None) -> None:
        spans: list[tuple[int, int]] = []
        for q in quotes:
            if q is not None:
                spans.append((q.start, q.end))
                if q.speaker_start is not None and q.speaker_end is not None:
                    spans.append((q.speaker_start, q.speaker_end))
        self._refresh_spans(spans)

    def _refresh_spans(self, spans: Sequence[tuple[int, int] | None]) -> None:
        for span in spans:
            if span is None or not self._lines:
                continue
            first, last = self.line_of(span[0]), self.line_of(max(span[0], span[1] - 1))
            for y in range(first, last + 1):
                self._cache.discard(y)
            self.refresh_lines(first, last - first + 1)

    def set_find_matches(
        self, spans: Sequence[tuple[int, int]], current: tuple[int, int] | None = None
    ) -> None:
        """Highlight the find bar's matches; ``current`` is lit like a search hit and centred."""
        self.find_spans = sorted(spans)
        self._find_starts = [s for s, _ in self.find_spans]
        if current is not None:
            self.show_span(*current)  # invalidates
        else:
            self.match_span = None
            self._invalidate()

    def show_span(self, start: int, end: int) -> None:
        """Centre a search hit and light it up."""
        self.match_span = (start, end)
        index = span_index(self.sentences, start)
        self.focus_span = self.sentences[index] if index is not None else (start, end)
        self._move_cursor_to(start)
        self.center_on(*self.focus_span)
        self._invalidate()

    def quote(self, quote_id: str | None) -> QuoteView | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    def quotes_at(self, offset: int) -> list[QuoteView]:
        """Quotes covering ``offset``, innermost first."""
        hits = [q for q in self.quotes if q.start <= offset < q.end]
        return sorted(hits, key=lambda q: q.end - q.start)

    @property
    def cursor_span(self) -> tuple[int, int] | None:
        if not self.sentences:
            return None
        return self.sentences[min(self.cursor, len(self.sentences) - 1)]

    # -- geometry -----------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The y of the line holding ``offset``."""
        if not self._line_starts:
            return 0
        i = max(0, bisect_right(self._line_starts, offset) - 1)
        return self._line_index[i]

    def cell_of(self, offset: int) -> tuple[int, int]:
        """The content-relative (x, y) of the cell showing ``offset``: ``offset_at``'s
        inverse (a test clicks there; a caller can place something beside a word)."""
        y = self.line_of(offset)
        if not self._lines or self.article is None:
            return 0, y
        line = self._lines[y]
        width = sum(get_character_cell_size(ch) for ch in self.article.text[line.start : offset])
        return self._margin + GUTTER + width, y

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under a content-relative cell, if any."""
        if not 0 <= y < len(self._lines):
            return None
        line = self._lines[y]
        if line.start < 0 or self.article is None:
            return None
        col = x - self._margin - GUTTER
        if col < 0:
            return None
        for i in range(line.start, line.end):
            col -= get_character_cell_size(self.article.text[i])
            if col < 0:
                return i
        return None

    def center_on(self, start: int, end: int) -> None:
        if not self._lines or not self.size.height:
            self._pending = (start, end)  # not laid out yet: do it after the first resize
            return
        self._pending = None
        top, bottom = self.line_of(start), self.line_of(max(start, end - 1))
        height = self.scrollable_content_region.height
        # a sentence taller than the view starts at the top; others are centred
        y = top if bottom - top + 1 >= height else (top + bottom) // 2 - height // 2
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or self.article is None:
            self._lines = []
            self.virtual_size = Size(0, 0)
            return
        if width == self._width and self._lines:
            return
        anchor = self._top_offset()
        self._width = width
        measure = min(MAX_MEASURE, max(10, width - GUTTER - 1))
        self._margin = max(0, (width - measure - GUTTER) // 2)
        self._wrapped_styles = self._header_styles()
        self._lines = self._build_lines(measure)
        self._line_starts = [ln.start for ln in self._lines if ln.start >= 0]
        self._line_index = [y for y, ln in enumerate(self._lines) if ln.start >= 0]
        self._cache.clear()
        self._styles = None
        self.virtual_size = Size(width, len(self._lines))
        if self._pending is not None:
            self.call_after_refresh(self.center_on, *self._pending)
        elif anchor is not None:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True)

    def _top_offset(self) -> int | None:
        """The first text offset visible at the top: kept across re-wraps."""
        y = int(self.scroll_y)
        for line in self._lines[y:]:
            if line.start >= 0:
                return line.start if y > 0 else None
        return None

    def _build_lines(self, measure: int) -> list[_Line]:
        assert self.article is not None
        article = self.article
        text = self._shown
        title_style = self.get_visual_style("article--title").rich_style
        subtitle_style = self.get_visual_style("article--subtitle").rich_style
        meta_style = self.get_visual_style("article--meta").rich_style
        rule_style = self.get_visual_style("article--rule").rich_style
        lines: list[_Line] = [_Line()]

        def header(value: str | None, style: Style) -> None:
            if not value:
                return
            block = Text(" ".join(inert_line(value).split()), style=style)
            for part in block.wrap(self.app.console, measure):
                lines.append(_Line(text=part))

        header(article.title, title_style)
        header(article.subtitle, subtitle_style)
        byline = [x for x in (article.author, article.source, article.date) if x]
        header(" · ".join(byline), meta_style)
        header(article.url, meta_style)
        lines.append(_Line(text=Text("─" * min(measure, 40), style=rule_style)))
        lines.append(_Line())

        for p_start, p_end in self._paragraphs:
            for start, end in wrap_offsets(text, p_start, p_end, measure):
                lines.append(_Line(start, end))
            lines.append(_Line())
        return lines

    def _skip_repeated_header(self, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A .txt article starts with its title (and subtitle) as paragraphs: shown once,
        in the header, unless a quote sits in them."""
        assert self.article is not None
        heads = {squash(h or "") for h in (self.article.title, self.article.subtitle)}
        heads.discard("")
        while paragraphs:
            start, end = paragraphs[0]
            flat = squash(self.article.text[start:end])
            if flat in heads and not any(q.start < end and q.end > start for q in self.quotes):
                heads.discard(flat)
                paragraphs = paragraphs[1:]
            else:
                break
        return paragraphs

    # -- rendering ----------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._cache.clear()
        self._styles = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles = None
        if self.is_mounted:
            self.call_later(self._restyle)

    def _header_styles(self) -> tuple[Style, ...]:
        return tuple(
            self.get_visual_style(f"article--{name}").rich_style
            for name in ("title", "subtitle", "meta", "rule")
        )

    def _restyle(self) -> None:
        # header styles are baked into the wrapped lines: re-wrap only when they changed (a
        # theme), not on every style update (showing the screen, focus moves: ~15 ms each)
        if self._header_styles() != self._wrapped_styles:
            self._width = 0
            self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_index(index, width)
            self._cache[index] = strip
        return strip

    def _gutter_styles(self) -> tuple[Style, Style, Style]:
        """The base, cursor-bar and note-mark styles: computed once per cache of strips
        (``rich_style`` walks every ancestor: it cost a third of painting a screenful)."""
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_visual_style("article--cursor-bar").rich_style,
                base + self.get_visual_style("article--note").rich_style,
            )
        return self._styles

    def _render_index(self, index: int, width: int) -> Strip:
        base, bar_style, mark_style = self._gutter_styles()
        if index >= len(self._lines) or self.article is None:
            return Strip.blank(width, base)
        line = self._lines[index]
        bar = " "
        mark = " "
        if line.start >= 0:
            body = self._styled(line.start, line.end, base)
            cursor = self.cursor_span
            if self.has_focus and cursor and line.start < cursor[1] and line.end > cursor[0]:
                bar = "▎"
            if any(s < line.end and e > line.start for s, e in self.notes):
                mark = "✎"
        else:
            body = line.text or Text()
        segments = [
            Segment(" " * self._margin, base),
            Segment(bar, bar_style),
            Segment(mark, mark_style),
            Segment(" ", base),
            *Segment.apply_style(body.render(self.app.console), base),
        ]
        return Strip(segments).crop_extend(0, width, base)

    def _tint(self, color: str, amount: float) -> Style:
        background = self.background_colors[1]
        return Style(bgcolor=background.blend(Color.parse(color), amount).rich_color)

    def _styled(self, start: int, end: int, base: Style) -> Text:
        assert self.article is not None
        raw = self._shown[start:end]
        text = Text(raw.replace("\n", " ").replace("\t", " ").replace("\r", " "), style=base)

        def paint(s: int, e: int, style: Style) -> None:
            if s < end and e > start:
                text.stylize(style, max(s, start) - start, min(e, end) - start)

        cursor = self.cursor_span
        if self.has_focus and cursor:
            paint(*cursor, self.get_visual_style("article--cursor").rich_style)
        if self.focus_span:
            paint(*self.focus_span, self.get_visual_style("article--focus").rich_style)
        for quote in self.quotes:
            m_start, m_end = quote.speaker_start, quote.speaker_end
            on_line = quote.start < end and quote.end > start
            if not on_line and not (
                m_start is not None and m_end is not None and m_start < end and m_end > start
            ):
                continue
            selected = quote.id == self.selected_quote
            color = self.palette.get(quote.speaker, UNKNOWN_COLOR)
            if quote.disputed:
                color = DISPUTED_COLOR
            amount = 0.55 if selected else (0.16 if is_low(quote) else 0.32)
            # The speaker's own words (segments) strong; the attribution frame around and
            # between them (narration, the cue) only a faint tint, so they never read as one.
            paint(quote.start, quote.end, self._tint(color, amount / 3))
            style = self._tint(color, amount)
            if is_low(quote):
                style += Style(italic=True)
            if quote.disputed:
                style += Style(strike=True)
            if selected:
                style += Style(bold=True)
            for segment in quote.segments:
                paint(segment.start, segment.end, style)
            if m_start is not None and m_end is not None:
                paint(
                    m_start,
                    m_end,
                    self._tint(color, 0.45 if selected else 0.3) + Style(bold=True, underline=True),
                )
        for s, e in self.notes:
            paint(s, e, Style(underline=True))
        if self.find_spans:  # the matches on this line only: a common word has hundreds
            find_style = self.get_visual_style("article--find").rich_style
            first = max(0, bisect_right(self._find_starts, start) - 1)
            for s, e in self.find_spans[first:]:
                if s >= end:
                    break
                paint(s, e, find_style)
        if self.match_span:
            paint(*self.match_span, self.get_visual_style("article--match").rich_style)
        return text

    # -- cursor and keys ----------------------------------------------------------------

    def _move_cursor_to(self, offset: int) -> None:
        index = span_index(self.sentences, offset)
        if index is not None:
            self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        if not self.sentences:
            return
        last = len(self.sentences) - 1
        self._refresh_spans([self.sentences[min(old, last)], self.sentences[min(new, last)]])

    def _visible_sentence(self) -> int | None:
        """The first sentence starting in the viewport, when the cursor is off-screen."""
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        span = self.cursor_span
        if span is None:
            return None
        if top <= self.line_of(span[0]) < top + height:
            return None
        for y in range(top, min(top + height, len(self._lines))):
            line = self._lines[y]
            if line.start >= 0:
                index = span_index(self.sentences, line.start)
                if index is not None and self.sentences[index][0] < line.start:
                    index = min(index + 1, len(self.sentences) - 1)
                return index
        return None

    def _keep_cursor_visible(self) -> None:
        span = self.cursor_span
        if span is None:
            return
        top, bottom = self.line_of(span[0]), self.line_of(max(span[0], span[1] - 1))
        height = self.scrollable_content_region.height
        y = int(self.scroll_y)
        if top < y:
            self.scroll_to(y=max(0, top - 1), animate=False, immediate=True)
        elif bottom >= y + height:
            self.scroll_to(y=min(top - 1, bottom - height + 2), animate=False, immediate=True)

    def action_sentence(self, step: int) -> None:
        if not self.sentences:
            return
        visible = self._visible_sentence()
        if visible is not None:
            self.cursor = visible
        else:
            self.cursor = max(0, min(len(self.sentences) - 1, self.cursor + step))
        if self.focus_span is not None:
            self.focus_span = None
            self._invalidate()
        self._keep_cursor_visible()

    def action_select_here(self) -> None:
        span = self.cursor_span
        if span is None:
            return
        inside = [q for q in self.quotes if q.start < span[1] and q.end > span[0]]
        if inside:
            self.post_message(self.QuoteClicked(inside[0].id))

    def action_top(self) -> None:
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        if self.sentences:
            self.cursor = len(self.sentences) - 1
        self.scroll_end(animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, self.scroll_y + step * (height - 2)), animate=False, immediate=True)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        position = self.offset_at(offset.x, offset.y + int(self.scroll_y))
        if position is None:
            return
        self._move_cursor_to(position)
        hits = self.quotes_at(position)
        if hits:
            self.post_message(self.QuoteClicked(hits[0].id))
