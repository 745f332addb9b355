"""One registry of user actions: key bindings, the footer, help and the command palette all
read from it, so what `?` shows is what the keys do."""

# ruff: noqa: E501 - the registry is a table: one action per line reads best

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    id: str  # binding id, unique: users can remap it through App.set_keymap
    keys: str  # Textual key names, comma separated
    action: str  # Textual action string run by the binding
    description: str  # short footer label
    help: str  # one line for the help screen and the footer tooltip
    scope: str  # which widget or screen owns the binding (see SCOPES)
    show: bool = True  # shown in the footer
    priority: bool = False
    key_display: str | None = None
    # Bound on this widget (a VimTable or OptionList subclass) instead of the screen. A
    # focused table's own Enter binding (hidden) shadows a screen's in the footer, so the
    # shown "⏎ Open" has to live on the widget itself.
    host: str | None = None
    # Footer order: lower first, and kept longest when the footer is narrow. 0 the screen's
    # main action, 1 help, 2 quit or back: a newcomer needs these at any width.
    rank: int = 5
    # The id of the widget where this key is what a reader looks for: while it (or a
    # child) has focus the key ranks NEAR_RANK in the footer, so e/d show on the notes panel
    # at 80 columns instead of only in help.
    near: str | None = None


NEAR_RANK = 3


# scope -> heading on the help screen, in display order
SCOPES: dict[str, str] = {
    "app": "Everywhere",
    "library": "Library",
    "table": "Tables and lists",
    "reader": "Reader",
    "find": "Find in the article (reader)",
    "quotes": "Quotes panel (reader)",
    "article": "Article text (reader)",
    "notes": "Notes panel (reader)",
    "trail": "Quote trail (reader, t)",
    "speakers": "Speakers",
    "search": "Search",
    "queue": "Review queue",
    "dialog": "Dialogs",
    "palette": "Command palette (ctrl+p)",
}

REGISTRY: tuple[Action, ...] = (
    # everywhere
    # f1 too: a focused text box takes "?" as a character (the search query, a dialog)
    Action("app.help", "question_mark,f1", "app.help", "Help", "Show every key", "app", rank=1),
    Action(
        "app.palette", "ctrl+p", "app.command_palette", "Commands",
        "Command palette: ingest, export notes, theme", "app", show=False, rank=3,
    ),
    # library
    Action("library.open", "enter", "select_cursor", "Open", "Open the selected article", "library", key_display="⏎", host="articles", rank=0),
    Action("library.filter", "slash", "filter", "Filter", "Filter by title, source or speaker as you type", "library", key_display="/", rank=4),
    Action("library.sort", "o", "sort", "Sort", "Cycle the sort column (or click a column header)", "library"),
    Action("library.speakers", "s", "speakers", "Speakers", "Every speaker in the library", "library"),
    Action("library.search", "ctrl+f", "search", "Search", "Search all quotes and article texts", "library"),
    Action("library.ingest", "i", "ingest", "Ingest", "Add a file, folder or http(s) URL to the library", "library", rank=4),
    Action("library.update_feeds", "u", "app.update_feeds", "Feeds", "Update feeds: fetch and ingest their new entries (esc stops)", "library", show=False),
    Action("library.queue", "w", "review_queue", "Review", "Review queue: every quote that needs a look, library-wide", "library"),
    Action("library.quit", "q", "app.quit", "Quit", "Quit saidwho", "library", rank=2),
    Action("library.clear_filter", "escape", "clear_filter", "Clear filter", "Clear the filter", "library", show=False),
    Action("library.cancel_ingest", "escape", "cancel_ingest", "Stop ingest", "Stop the running ingest after the current file (shown while it runs)", "library", key_display="esc", rank=3),
    # any table or list: vim keys beside the arrows
    Action("table.down", "j", "cursor_down", "Down", "Move down", "table", show=False),
    Action("table.up", "k", "cursor_up", "Up", "Move up", "table", show=False),
    Action("table.first", "g", "first", "First", "Go to the first row", "table", show=False),
    Action("table.last", "G", "last", "Last", "Go to the last row", "table", show=False),
    # find in the article: bound before the reader's keys, active only while a find is open
    Action("find.next", "n", "find_step(1)", "Next match", "Next match of the find (n makes a note when no find is open)", "find", rank=4),
    Action("find.prev", "N", "find_step(-1)", "Prev match", "Previous match of the find", "find"),
    Action("find.close", "escape", "close_find", "Close find", "Close the find bar and clear its highlights", "find", key_display="esc", rank=3),
    # reader
    Action("reader.find", "slash", "find", "Find", "Find in the article: matches highlighted, the count shown", "reader", key_display="/", rank=4),
    Action("reader.back", "q,escape", "back", "Back", "Back to the previous screen", "reader", key_display="q", rank=2),
    Action("reader.next_panel", "tab", "cycle(1)", "Panel", "Next panel: article, quotes, notes", "reader", show=False),
    Action("reader.prev_panel", "shift+tab", "cycle(-1)", "Panel", "Previous panel", "reader", show=False),
    Action("reader.note", "n", "note", "Note", "Note on the selected quote, or the sentence at the cursor", "reader", rank=3),
    Action("reader.edit", "e", "edit_note", "Edit", "Edit the selected note", "reader", rank=7, near="notes"),
    Action("reader.delete", "d", "delete_note", "Delete", "Delete the selected note (asks first)", "reader", rank=7, near="notes"),
    Action("reader.dispute", "x", "dispute", "Dispute", "Mark the quote's attribution disputed (toggle)", "reader", rank=4),
    Action("reader.confirm", "a", "confirm", "Confirm", "Confirm the attribution and move to the next quote", "reader", rank=4),
    Action("reader.reassign", "r", "reassign", "Reassign", "Correct the quote's speaker", "reader"),
    Action("reader.revert", "R", "revert", "Revert", "Back to the machine's speaker and kind", "reader", show=False),
    Action("reader.order", "v", "toggle_order", "Order", "Quotes panel: grouped by speaker / in document order", "reader", rank=8),
    Action("reader.statements", "f", "toggle_statements", "Statements", "Quotes panel: statements only (speech with a speaker) / everything", "reader", rank=8),
    Action("reader.queue", "w", "cycle_queue", "To review", "Quotes panel: all / unreviewed / low confidence / unattributed / disputed", "reader"),
    Action("reader.copy", "c", "copy", "Cite", "Copy the quote as a citation", "reader"),
    Action("reader.open_source", "o", "open_source", "Open source", "Open the article's URL (or file) with the system opener", "reader", show=False),
    Action("reader.trail", "t", "trail", "Trail", "Where else the quote appears: first seen, changed words, who is credited", "reader", rank=8),
    Action("reader.next", "right_square_bracket", "next_article(1)", "Next", "Next article", "reader", show=False, key_display="]"),
    Action("reader.prev", "left_square_bracket", "next_article(-1)", "Prev", "Previous article", "reader", show=False, key_display="["),
    # the quotes panel
    Action("quotes.jump", "enter", "select", "Go to", "Show the quote's sentence in the article", "quotes", key_display="⏎", host="quotes", rank=0),
    # the article text: a sentence cursor
    Action("article.down", "j", "sentence(1)", "Next sentence", "Move the cursor to the next sentence", "article", show=False),
    Action("article.up", "k", "sentence(-1)", "Prev sentence", "Move the cursor to the previous sentence", "article", show=False),
    Action("article.select", "enter", "select_here", "Quote here", "Select the quote at the cursor", "article", show=False),
    Action("article.top", "g", "top", "Top", "Go to the top of the article", "article", show=False),
    Action("article.bottom", "G", "bottom", "Bottom", "Go to the end of the article", "article", show=False),
    Action("article.page_down", "space", "page(1)", "Page down", "Page down", "article", show=False),
    Action("article.page_up", "b", "page(-1)", "Page up", "Page up", "article", show=False),
    # notes panel
    Action("notes.jump", "enter", "select", "Go to", "Show the note's passage in the article", "notes", key_display="⏎", host="notes", rank=0),
    # the quote trail beside the reader
    Action("trail.open", "enter", "select", "Go to", "Open the article at this occurrence's sentence", "trail", key_display="⏎", host="trail-occurrences", rank=0),
    Action("trail.close", "q,escape", "close", "Close", "Close the trail", "trail", key_display="q", rank=2),
    # speakers
    Action("speakers.open", "enter", "select_cursor", "Quotes", "List the speaker's quotes", "speakers", key_display="⏎", host="speakers", rank=0),
    Action("speakers.open_quote", "enter", "select", "Open", "Open the article at the quote", "speakers", key_display="⏎", host="speaker-quotes", rank=0),
    Action("speakers.filter", "slash", "filter", "Filter", "Filter speakers (names and aliases) as you type", "speakers", key_display="/", rank=4),
    Action("speakers.mark", "space", "toggle_mark", "Mark", "Mark the speaker for a merge (toggle)", "speakers", key_display="␣"),
    Action("speakers.merge", "m", "merge", "Merge", "Merge the marked speakers (and the one at the cursor) into one", "speakers"),
    Action("speakers.rename", "r", "rename", "Rename", "Give the speaker another name", "speakers"),
    Action("speakers.split", "x", "split", "Split", "Take an alias (a merged speaker) out of the speaker", "speakers"),
    Action("speakers.kind", "K", "kind", "Kind", "Say what the speaker is: a person, an organization, a group, unnamed", "speakers"),
    Action("speakers.undo", "u", "undo", "Undo", "Undo the last merge, split, rename or kind", "speakers"),
    Action("speakers.back", "q,escape", "back", "Back", "Back", "speakers", key_display="q", rank=2),
    # search
    Action("search.open", "enter", "select", "Open", "Open the article at the result", "search", key_display="⏎", host="results", rank=0),
    Action("search.focus", "slash", "focus_query", "Query", "Edit the query", "search", key_display="/", rank=4),
    Action("search.back", "escape", "back", "Back", "Back", "search", key_display="esc", rank=2),
    # review queue (library-wide)
    Action("queue.open", "enter", "select_cursor", "Open", "Open the article at the quote", "queue", key_display="⏎", host="queue-table", rank=0),
    Action("queue.confirm", "a", "confirm", "Confirm", "Confirm the attribution and move to the next", "queue", rank=3),
    Action("queue.dispute", "x", "dispute", "Dispute", "Mark the attribution disputed (toggle)", "queue", rank=4),
    Action("queue.reassign", "r", "reassign", "Reassign", "Correct the quote's speaker", "queue"),
    Action("queue.revert", "R", "revert", "Revert", "Back to the machine's speaker and kind", "queue", show=False),
    Action("queue.filter", "w", "cycle_filter", "Filter", "Needs review / unreviewed / low confidence / unattributed / disputed / all", "queue"),
    Action("queue.back", "q,escape", "back", "Back", "Back", "queue", key_display="q", rank=2),
    # dialogs
    Action("dialog.save", "ctrl+s", "save", "Save", "Save the note", "dialog", priority=True, rank=0),
    Action("dialog.cancel", "escape", "cancel", "Cancel", "Close without saving", "dialog", priority=True, rank=2),
    Action("dialog.yes", "y", "yes", "Yes", "Confirm", "dialog", rank=0),
    Action("dialog.no", "n", "cancel", "No", "Decline", "dialog", rank=2),
    Action("help.close", "q,question_mark,f1", "dismiss", "Close", "Close help", "dialog", show=False),
    # command palette only (the app defines a method for each: command_<name>)
    Action("palette.ingest", "", "ingest", "Ingest a path or URL…", "Add a file, folder or http(s) URL to the library", "palette"),
    Action("palette.export_md", "", "export_markdown", "Export notes as Markdown…", "Write every note to a Markdown file", "palette"),
    Action("palette.export_json", "", "export_json", "Export notes as JSON…", "Write every note to a JSON file", "palette"),
    Action("palette.export_jsonld", "", "export_jsonld", "Export notes and reviews as JSON-LD…", "W3C Web Annotations: `saidwho notes import` reads them back", "palette"),
    Action("palette.export_csv", "", "export_csv", "Export notes and reviews as CSV…", "One row per note and per reviewed quote, for spreadsheets", "palette"),
    Action("palette.review_queue", "", "review_queue", "Review queue", "Every quote that still needs a look, library-wide", "palette"),
    Action("palette.theme", "", "toggle_dark", "Switch light/dark theme", "Toggle between textual-dark and textual-light", "palette"),
    Action("palette.speakers", "", "speakers", "Speakers", "Every speaker in the library", "palette"),
    Action("palette.search", "", "search", "Search quotes and articles", "Search everything", "palette"),
    Action("palette.update_feeds", "", "update_feeds", "Update feeds", "Fetch every subscribed feed and ingest new entries", "palette"),
    Action("palette.cancel_ingest", "", "cancel_ingest", "Cancel ingest", "Stop a running ingest after the current file", "palette"),
)  # fmt: skip

BY_ID: dict[str, Action] = {a.id: a for a in REGISTRY}


def footer_rank(binding_id: str | None, focused: Collection[str] = ()) -> int:
    """Where a binding goes in the footer (lower first, dropped last); a binding the
    registry does not know (Textual's own) goes after the registry's defaults. ``focused``:
    the ids of the focused widget and its ancestors (an action ``near`` one ranks higher)."""
    action = BY_ID.get(binding_id or "")
    if action is None:
        return 6
    return min(action.rank, NEAR_RANK) if action.near in focused else action.rank


def actions(scope: str) -> list[Action]:
    return [a for a in REGISTRY if a.scope == scope]


def bindings(
    *scopes: str, host: str | None = None, ids: Collection[str] | None = None
) -> list[BindingType]:
    """The Textual bindings of the given scopes, with ids and tooltips from the registry;
    ``host``: only the ones bound on that widget (otherwise only the screen's); ``ids``:
    only these (a dialog takes a few of the dialog scope's)."""
    return [
        Binding(
            a.keys,
            a.action,
            a.description,
            show=a.show,
            key_display=a.key_display,
            priority=a.priority,
            tooltip=a.help,
            id=a.id,
        )
        for scope in scopes
        for a in actions(scope)
        if a.keys and a.host == host and (ids is None or a.id in ids)
    ]


def host_bindings(host: str, *extra_scopes: str) -> list[BindingType]:
    """A widget's bindings: the registry's actions hosted on it, plus whole scopes (the
    table's j/k/g/G). Textual lets a subclass binding replace the base class's for a key."""
    hosted = [b for scope in SCOPES for b in bindings(scope, host=host)]
    return [*bindings(*extra_scopes), *hosted]


def display_keys(action: Action, keymap: dict[str, str] | None = None) -> str:
    """The keys as a user reads them, honouring a user keymap override."""
    keys = (keymap or {}).get(action.id, action.keys)
    names = {
        "question_mark": "?",
        "slash": "/",
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "escape": "esc",
        "enter": "enter",
        "space": "space",
    }
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(",") if k.strip())


def first_run_hint(keymap: dict[str, str] | None = None) -> str:
    """The line the first-run notice ends with: where to find every key, how to leave."""
    help_keys = display_keys(BY_ID["app.help"], keymap).split(" / ")[0]  # the first: "?"
    quit_keys = display_keys(BY_ID["library.quit"], keymap)
    return f"Press {help_keys} for every key, {quit_keys} to quit."


def help_sections(
    keymap: dict[str, str] | None = None, first: Sequence[str] = ()
) -> Iterable[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(keys, help)]) for each scope: the ``first`` scopes (the current
    screen's), then "Everywhere", then the rest in SCOPES order."""
    order = [s for s in first if s in SCOPES]
    order += [s for s in SCOPES if s not in order]
    if first and "app" in order:
        order.remove("app")
        order.insert(len([s for s in first if s in SCOPES]), "app")
    for scope in order:
        heading = SCOPES[scope]
        rows = [
            (display_keys(a, keymap) if a.keys else a.description, a.help) for a in actions(scope)
        ]
        if rows:
            yield heading, rows
