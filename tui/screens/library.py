"""The library: every article with its quote and note counts, filter, sort, ingest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static

from saidwho.core.heap import paused_gc
from saidwho.core.safe_text import inert_line
from saidwho.core.text import squash
from saidwho.store import ArticleSummary
from saidwho.store.article_rows import FirstPage, ListRow, article_list, first_page
from saidwho.tui.actions import bindings
from saidwho.tui.model import MUTED, clip
from saidwho.tui.screens.base import AppScreen
from saidwho.tui.widgets.footer import SteadyFooter
from saidwho.tui.widgets.panels import ArticleTable, VimTable

if TYPE_CHECKING:
    from saidwho.store import Library
    from saidwho.tui.messages import Progress

# column key -> label; "read" sorts unread first
LABELS: dict[str, str] = {
    "read": " ",
    "title": "Title",
    "speakers": "Speakers",
    "source": "Source",
    "date": "Date",
    "quotes": "Quotes",
    "notes": "Notes",
}
SORTS = ("added", "title", "source", "date", "quotes", "notes", "read")
# the rows painted first, before the whole list is read: a tall terminal's screenful
FIRST_PAGE = 120

Article = ArticleSummary | ListRow  # the list holds rows; a summary filters the same way


def _sort_key(key: str) -> Callable[[ListRow], int | bool | str]:
    if key in ("quotes", "notes"):
        return lambda a: getattr(a, key)
    if key == "read":
        return lambda a: a.read
    return lambda a: str(getattr(a, key) or "").lower()


def display_path(path: str | None) -> str:
    """Relative to the working folder when inside it, ~ for home: short and still exact."""
    if not path:
        return ""
    p = Path(path)
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(p.relative_to(base))
        except ValueError:
            continue
    return path


def _cell(value: object, style: str) -> Text:
    # every table cell of the library is untrusted text (titles, sources, file names)
    return Text(squash(inert_line(str(value))), style=style, no_wrap=True, overflow="ellipsis")


def haystack(article: Article) -> str:
    """What the filter searches: title, source, author and speakers, lower case."""
    return " ".join(
        [article.title, article.source or "", article.author or "", *article.speakers]
    ).lower()


def matches(article: Article, query: str) -> bool:
    """Every word of the query in the title, source, author or a speaker's name."""
    hay = haystack(article)
    return all(word in hay for word in query.lower().split())


# the filter's row: haystack, article, length of its source cell, id
_Row = tuple[str, ListRow, int, str]
_ARTICLE, _SOURCE_CELLS, _ID = itemgetter(1), itemgetter(2), itemgetter(3)
_ROW_ID = attrgetter("id")  # a ListRow's


def filter_rows(articles: Iterable[ListRow]) -> list[_Row]:
    """What the filter searches, per article in the given order."""
    with paused_gc():  # 100,000 search strings: no collector passes over the heap
        return [(haystack(a), a, len(a.source or "—"), a.id) for a in articles]


class Listed(NamedTuple):
    """The whole list as a worker read it: the articles newest first and their filter rows
    (made there, not on the first keystroke: ~0.3 s at 100,000 articles)."""

    articles: list[ListRow]
    rows: list[_Row]


def listed(lib: Library) -> Listed:
    articles = article_list(lib)
    return Listed(articles, filter_rows(articles))


def _longest(values: Iterable[str], enough: int, least: int) -> int:
    """The longest length among ``values`` (at least ``least``), looking no further once
    one is ``enough`` long (a date column is full at the first date)."""
    longest = least
    for value in values:
        if len(value) > longest:
            longest = len(value)
            if longest >= enough:
                break
    return longest


CHANGED_MARK = "≠ "  # before the title: the last recheck changed a quote


def _title_cell(article: ListRow, unread: bool, changed: bool) -> Text:
    cell = _cell(article.title or "(untitled)", "bold" if unread else "")
    if changed:
        return Text.assemble(Text(CHANGED_MARK, style="bold #e15759"), cell)
    return cell


def _row_cells(
    article: ListRow, keys: list[str], changed: frozenset[str] = frozenset()
) -> list[Text]:
    unread = not article.read
    cells = {
        "read": lambda: Text("●" if unread else " ", style="bold #4e79a7"),
        "title": lambda: _title_cell(article, unread, article.id in changed),
        "speakers": lambda: _cell(", ".join(article.speakers), "dim"),
        "source": lambda: _cell(article.source or "—", ""),
        "date": lambda: _cell((article.date or "—")[:10], ""),
        "quotes": lambda: Text(str(article.quotes), justify="right"),
        "notes": lambda: Text(str(article.notes or ""), justify="right"),
    }
    return [cells[key]() for key in keys]


class LibraryScreen(AppScreen[None]):
    BINDINGS = bindings("library")
    HELP_SCOPES = ("library", "table")
    AUTO_FOCUS = "#articles"

    def __init__(self) -> None:
        super().__init__(id="library")
        # every article as a compact row (store/article_rows.py), newest first; until the
        # whole list is read, the first page alone (``loaded`` is False meanwhile)
        self.articles: list[ListRow] = []
        self.shown: list[ListRow] = []
        self.total = 0  # how many articles the library holds (known from the first page on)
        self.painted = False  # the first page (or the whole list) is on screen
        self.sort_key = "added"
        self.sort_reverse = True  # newest first
        self.loaded = False
        # the filter's work, kept between keystrokes: the articles in the current sort order
        # with their haystacks, and the last query with what it matched (a longer query
        # only narrows it: every word it has contains a word of the shorter one)
        self._sorted: list[_Row] | None = None
        self._last: tuple[str, list[_Row]] | None = None
        self._sorted_by = (self.sort_key, self.sort_reverse)
        self._columns: list[tuple[str, int, str]] = []  # the table's, as last laid out
        self._new_cells = True  # the articles changed since the table last drew its cells
        # articles whose last recheck changed a quote: marked before their title
        self.quotes_changed: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Header(icon="❝")
        filter_input = Input(placeholder="filter: title, source, speaker", id="filter")
        filter_input.display = False
        yield filter_input
        table = ArticleTable(id="articles", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Static(id="preview")
        with Horizontal(id="ingest-bar"):
            yield Label(id="ingest-label")
            yield ProgressBar(id="ingest-progress", show_eta=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#ingest-bar").display = False
        self.sub_title = "library"

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.reload()

    # -- data ---------------------------------------------------------------------------

    def reload(self) -> None:
        app = self.saidwho_app
        if not self.painted and not self.loaded:
            # the first paint: the newest articles from the index and a small file, then
            # the whole list once that is on screen (100,000 rows: a second, not a wait)
            self.painted = True
            page = partial(first_page, app.library, FIRST_PAGE)
            app.io(page, self._first_page, lambda _: self._read_all())
        else:
            self._read_all()
        self._load_marks()

    def _read_all(self) -> None:
        self.saidwho_app.io(partial(listed, self.saidwho_app.library), self._loaded)

    def _first_page(self, page: FirstPage) -> None:
        if self.loaded:
            return  # the whole list came first
        self.total = page.total
        self.articles = page.rows
        self._sorted = None
        self._new_cells = True
        self._show_table()
        self.refill()
        self.call_after_refresh(self._read_all)

    def library_changed(self) -> None:
        """Another process (or this one) wrote the library: show its articles."""
        if self.loaded:
            self.saidwho_app.io(partial(listed, self.saidwho_app.library), self._changed)
            self._load_marks()

    def _load_marks(self) -> None:
        lib = self.saidwho_app.library
        # the marks are a convenience: a failure leaves them as they were
        self.saidwho_app.io(lib.quotes_changed_on_recheck, self._marks, lambda _: None)

    def _marks(self, changed: frozenset[str]) -> None:
        if changed != self.quotes_changed:
            self.quotes_changed = changed
            self._new_cells = True
            if self.loaded:
                self.refill()

    def _changed(self, read: Listed) -> None:
        if read.articles != self.articles:  # a note elsewhere: no redraw, no flicker
            self._loaded(read)

    def _loaded(self, read: Listed) -> None:
        articles = read.articles
        self.saidwho_app.keep_library_heap()
        if not self.loaded:  # once the list is painted, build the reader while nobody waits
            self.call_after_refresh(self.saidwho_app.prepare_reader)
        self.loaded = self.painted = True
        self.articles = articles
        self.total = len(articles)
        self.saidwho_app.report_record_errors()
        self._sorted = None
        if (self.sort_key, self.sort_reverse) == ("added", True):  # the worker's order
            self._sorted, self._sorted_by, self._last = read.rows, ("added", True), None
        self._new_cells = True
        self._show_table()
        self.refill()

    def _show_table(self) -> None:
        table = self.query_one("#articles", VimTable)
        if not self.saidwho_app.seeding:
            table.loading = False
            if self.focused is None:  # AUTO_FOCUS missed it while it was loading
                table.focus()

    def refill(self) -> None:
        """Filter, sort and show; the cursor stays on the same article."""
        table = self.query_one("#articles", ArticleTable)
        keep = self.current_id()
        query = self.query_one("#filter", Input).value
        picked = self._filtered(query)
        shown = list(map(_ARTICLE, picked))  # map and itemgetter: no Python call per row
        before, self.shown = self.shown, shown
        widths = self._widths(picked)
        arrow = " ▼" if self.sort_reverse else " ▲"
        labels = {key: LABELS[key] + (arrow if key == self.sort_key else "") for key in widths}
        columns = [(key, width, labels[key]) for key, width in widths.items()]
        same_rows = len(before) == len(shown) and all(
            a is b for a, b in zip(before, shown, strict=True)
        )
        if columns != self._columns:  # a keystroke mostly keeps them: no header rebuild
            self._columns = columns
            table.clear(columns=True)
            for key, width, label in columns:
                table.add_column(Text(label), key=key, width=width)
            same_rows = False
        keys = list(widths)
        ids = list(map(_ID, picked))
        if not same_rows or self._new_cells or table.row_count != len(shown):
            # cells are built only for the rows drawn: thousands of rows cost one pass; a
            # keystroke only picks other rows, so the cells drawn before are drawn again
            table.set_rows(
                ids,
                lambda i: _row_cells(shown[i], keys, self.quotes_changed),
                same_cells=not self._new_cells,
            )
            self._new_cells = False
        total = self.total
        noun = "article" if total == 1 else "articles"
        table.border_title = f"{len(shown)} of {total} {noun}" if query else f"{total} {noun}"
        if keep is not None and keep in ids:  # list.index: a pass in C, not per row in Python
            table.move_cursor(row=ids.index(keep), animate=False)
        self._update_preview()

    def _filtered(self, query: str) -> list[_Row]:
        """The articles matching ``query`` in the current sort order."""
        order = (self.sort_key, self.sort_reverse)
        if self._sorted is None or self._sorted_by != order:
            self._sorted_by = order
            ordered = sorted(self.articles, key=_sort_key(self.sort_key), reverse=self.sort_reverse)
            self._sorted = filter_rows(ordered)
            self._last = None
        base = self._sorted
        if self._last is not None and query.lower().startswith(self._last[0]):
            base = self._last[1]
        words = query.lower().split()
        if len(words) == 1:  # the common case, without a generator per article
            word = words[0]
            picked = [pair for pair in base if word in pair[0]]
        else:
            picked = [pair for pair in base if all(w in pair[0] for w in words)] if words else base
        self._last = (query.lower(), picked)
        return picked

    def _widths(self, picked: list[_Row]) -> dict[str, int]:
        """The title (and speakers) take what the fixed columns leave."""
        total = max(40, self.size.width - 4)  # border and scrollbar
        narrow = total < 100
        # the title matters most: a narrow table gives the source less room and shows the
        # notes count only when an article has notes (the preview below says the rest)
        source = min(14 if narrow else 20, max(6, max(map(_SOURCE_CELLS, picked), default=0)))
        date = min(10, _longest((row[1].date or "—" for row in picked), 10, 4))
        fixed = {"read": 1, "source": source, "date": date, "quotes": 6, "notes": 5}
        if narrow and not any(row[1].notes for row in picked):
            del fixed["notes"]
        rest = total - sum(fixed.values()) - 2 * (len(fixed) + 2)  # cell padding
        widths = {"read": 1, "title": max(16, rest)}
        if total >= 100:  # room for who is quoted
            widths["title"] = max(16, rest * 3 // 5)
            widths["speakers"] = max(10, rest - widths["title"])
        widths.update({k: v for k, v in fixed.items() if k != "read"})
        return widths

    def on_resize(self) -> None:
        if self.loaded:
            self.refill()

    def current_id(self) -> str | None:
        table = self.query_one("#articles", VimTable)
        if not self.shown or table.cursor_row is None:
            return None
        if 0 <= table.cursor_row < len(self.shown):
            return self.shown[table.cursor_row].id
        return None

    def _update_preview(self) -> None:
        preview = self.query_one("#preview", Static)
        table = self.query_one("#articles", VimTable)
        article = None
        if self.current_id() is not None and table.cursor_row is not None:
            article = self.shown[table.cursor_row]  # the row current_id() names
        if article is None:
            if self.loaded and not self.articles:
                preview.update(Content("The library is empty: press i to ingest a file."))
            else:
                preview.update(Content(""))
            return
        lines = [Content.styled(clip(article.title or "(untitled)", 200), "bold")]
        if article.subtitle:
            lines.append(Content.styled(clip(article.subtitle, 200), f"italic {MUTED}"))
        if article.speakers:
            speakers = clip(", ".join(article.speakers), 200)
            lines.append(Content.assemble(("Speakers: ", MUTED), speakers))
        where = article.url or display_path(article.path)
        if where:
            lines.append(Content.styled(clip(where, 200), MUTED))
        preview.update(Content("\n").join(lines))

    @on(DataTable.RowHighlighted, "#articles")
    def _highlighted(self) -> None:
        self._update_preview()

    @on(DataTable.RowSelected, "#articles")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    @on(DataTable.HeaderSelected, "#articles")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key = key
            self.sort_reverse = key in ("quotes", "notes", "date")
        self.refill()

    # -- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            return
        # the ids in C (map over an itemgetter): 100,000 rows took ~30 ms as a comprehension
        self.saidwho_app.open_reader(article_id, nav=list(map(_ROW_ID, self.shown)))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.display = False
        self.query_one("#articles").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # escape: first closes the filter, else stops an ingest; "esc Stop ingest" shows in
        # the footer only while one runs
        if action == "clear_filter":
            box = self.query_one("#filter", Input)
            return bool(box.value or box.display)
        if action == "cancel_ingest":
            return bool(self.saidwho_app.ingesting)
        return True

    def action_cancel_ingest(self) -> None:
        self.saidwho_app.command_cancel_ingest()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            box.value = ""
            box.display = False
            self.refill()
            self.query_one("#articles").focus()

    def action_sort(self) -> None:
        index = (SORTS.index(self.sort_key) + 1) % len(SORTS)
        self.sort_key = SORTS[index]
        self.sort_reverse = self.sort_key in ("added", "quotes", "notes", "date")
        self.refill()
        self.notify(f"Sorted by {self.sort_key}", timeout=2)

    def action_speakers(self) -> None:
        self.saidwho_app.command_speakers()

    def action_search(self) -> None:
        self.saidwho_app.command_search()

    def action_review_queue(self) -> None:
        self.saidwho_app.command_review_queue()

    def action_ingest(self) -> None:
        self.saidwho_app.command_ingest()

    # -- ingest progress (called by the app's message handlers) ------------------------

    def ingest_started(self, total: int, label: str) -> None:
        bar = self.query_one("#ingest-bar")
        bar.display = True
        self.refresh_bindings()
        self.query_one("#ingest-label", Label).update(
            Content.assemble(clip(label, 60), ("  esc stops", MUTED))
        )
        self.query_one("#ingest-progress", ProgressBar).update(total=max(1, total), progress=0)

    def ingest_progress(self, event: Progress) -> None:
        self.query_one("#ingest-progress", ProgressBar).advance(1)
        if event.status in ("added", "updated"):
            self.reload()  # the new article shows as soon as it is stored

    def ingest_finished(self) -> None:
        self.query_one("#ingest-bar").display = False
        self.refresh_bindings()
        self.query_one("#articles", VimTable).loading = False
        self.reload()
