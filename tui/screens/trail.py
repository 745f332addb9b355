"""`t` in the reader: the trail of the selected quote, beside the article.

Every printing of the statement across the library, first seen first: outlet, date, who is
credited, direct or paraphrase, and its words against its earliest relative (added words
highlighted, removed ones struck through). Enter opens the article at that occurrence's
sentence. The trail is built below the TUI (``saidwho.store.trails``), in a worker.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from saidwho.core.safe_text import inert_line
from saidwho.store.trails import Occurrence, Trail, trail
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, clip
from saidwho.tui.screens.base import SidePanel

DIFF_WORDS = 120  # a long speech is cut: the changes are what the reader looks for

ADDED = "bold $text-success underline"
REMOVED = "strike $text-error"


def diff_content(occurrence: Occurrence, limit: int = DIFF_WORDS) -> Content:
    """The occurrence's words with what changed against its earliest relative marked."""
    parts: list[Content] = []
    for word in occurrence.diff[:limit]:
        text = inert_line(word.word)
        if word.change == "added":
            parts.append(Content.styled(text, ADDED))
        elif word.change == "removed":
            parts.append(Content.styled(text, REMOVED))
        else:
            parts.append(Content(text))
    if len(occurrence.diff) > limit:
        parts.append(Content.styled("…", MUTED))
    return Content(" ").join(parts)


def occurrence_prompt(occurrence: Occurrence) -> Content:
    head: list[Content] = []
    if occurrence.first_seen:
        head.append(Content.styled("★ first seen", "bold $text-accent"))
    head.append(Content.styled(occurrence.date or (occurrence.added or "")[:10] or "?", "bold"))
    head.append(Content(clip(inert_line(occurrence.outlet or "(no outlet)"), 30)))
    speaker = occurrence.speaker or "unknown speaker"
    head.append(Content.styled(clip(inert_line(speaker), 30), "italic"))
    head.append(Content.styled(occurrence.kind, MUTED))
    if occurrence.altered:
        head.append(Content.styled("≠ words changed", "bold $text-warning"))
    title = Content.styled(clip(inert_line(occurrence.title or "(untitled)"), 80), MUTED)
    return Content.assemble(
        Content(" · ").join(head), "\n", title, "\n", diff_content(occurrence), "\n"
    )


def trail_heading(found: Trail) -> Content:
    n = len(found.occurrences)
    parts = [
        Content.styled(
            f"{n} occurrence{'s' if n != 1 else ''} in {found.articles} "
            f"article{'s' if found.articles != 1 else ''}",
            "bold",
        )
    ]
    if found.altered:
        parts.append(Content.styled("altered: words changed inside quotes", "$text-warning"))
    if found.conflicting:
        who = " / ".join(clip(inert_line(s), 30) for s in found.speakers)
        parts.append(Content.styled(f"conflicting: credited to {who}", "$text-error"))
    if found.paraphrased:
        parts.append(Content.styled("paraphrased", MUTED))
    return Content(" · ").join(parts)


class OccurrenceList(OptionList):
    BINDINGS = host_bindings("trail-occurrences", "table")


class TrailScreen(SidePanel[Occurrence | None]):
    """The trail of one quote; dismissed with the occurrence to open, or None."""

    BINDINGS = bindings("trail")
    AUTO_FOCUS = "#trail-occurrences"

    def __init__(self, quote_id: str) -> None:
        super().__init__(id="trail-screen")
        self.quote_id = quote_id
        self.trail: Trail | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="trail", classes="side-panel") as box:
            box.border_title = "Quote trail"
            waiting = Content.styled("Following the quote across the library…", MUTED)
            yield Label(waiting, id="trail-heading", classes="side-heading")
            yield OccurrenceList(id="trail-occurrences", classes="side-list", markup=False)
            yield Static(
                Content.styled("⏎ open the article at it · q / esc close", MUTED),
                id="trail-hint",
                classes="side-hint",
            )

    def on_mount(self) -> None:
        lib = self.saidwho_app.library
        self.saidwho_app.io(partial(trail, lib, self.quote_id), self._shown, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.query_one("#trail-heading", Label).update(
            Content.styled(f"No trail: {inert_line(str(error))}", "$text-error")
        )

    def _shown(self, found: Trail) -> None:
        self.trail = found
        self.query_one("#trail-heading", Label).update(trail_heading(found))
        options = self.query_one(OccurrenceList)
        options.set_options(Option(occurrence_prompt(o), id=o.quote_id) for o in found.occurrences)
        here = next((i for i, o in enumerate(found.occurrences) if o.quote_id == self.quote_id), 0)
        options.highlighted = here

    @property
    def selected(self) -> Occurrence | None:
        index = self.query_one(OccurrenceList).highlighted
        if self.trail is None or index is None:
            return None
        return self.trail.occurrences[index]

    @on(OptionList.OptionSelected, "#trail-occurrences")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.trail is not None:
            self.dismiss(self.trail.occurrences[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
