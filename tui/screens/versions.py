"""`h` in the reader: the article's versions and what changed between the last two.

The diff screen lists the quotes added, removed and altered (with their word diffs: added
words underlined, removed ones struck through) and those whose speaker changed, then each
version. Enter on a change jumps to the quote (a removed one in the version that had it);
Enter on a version opens it read-only. The diff is made below the TUI
(``Library.diff``), in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from saidwho.core.safe_text import inert_line
from saidwho.store import Library
from saidwho.store.diff import QuoteChange, VersionDiff
from saidwho.store.provenance import VersionView
from saidwho.store.versions import Version
from saidwho.tui.actions import bindings, host_bindings
from saidwho.tui.model import MUTED, clip, speaker_colors
from saidwho.tui.screens.base import AppModal, SidePanel
from saidwho.tui.widgets.article_view import ArticleView

ADDED = "bold $text-success underline"
REMOVED = "strike $text-error"
KIND_STYLE = {
    "altered": "bold $text-warning",
    "removed": "bold $text-error",
    "added": "bold $text-success",
    "speaker": "bold $text-accent",
}


@dataclass(frozen=True)
class VersionChoice:
    """What the diff screen was closed with: a quote of the current text to show, or a
    version to open read-only (at a quote of it, if one was chosen)."""

    version: int | None  # None: the current text
    quote_id: str | None


Found = tuple[list[Version], VersionDiff | None]


def load_versions(lib: Library, article_id: str) -> Found:
    """The versions and the diff of the last two (disk work: call it in a worker)."""
    found = lib.versions(article_id)
    return found, lib.diff(article_id) if len(found) > 1 else None


def stamp(read_at: str) -> str:
    return f"{read_at[:10]} {read_at[11:16]} UTC" if len(read_at) >= 16 else read_at or "?"


def change_prompt(change: QuoteChange) -> Content:
    side = change.new or change.old
    assert side is not None
    head = [
        Content.styled(change.kind.upper(), KIND_STYLE[change.kind]),
        Content.styled(clip(inert_line(side.speaker or "unknown speaker"), 30), "italic"),
    ]
    if change.kind == "speaker" and change.old is not None:
        was = clip(inert_line(change.old.speaker or "unknown speaker"), 30)
        head.append(Content.styled(f"was {was}", MUTED))
    if change.kind == "altered":
        words = Content(" ").join(
            Content.styled(inert_line(w.text), ADDED)
            if w.op == "added"
            else Content.styled(inert_line(w.text), REMOVED)
            if w.op == "removed"
            else Content(inert_line(w.text))
            for w in change.words
        )
    elif change.kind == "removed":
        words = Content.styled(clip(inert_line(side.text), 300), REMOVED)
    elif change.kind == "added":
        words = Content.styled(clip(inert_line(side.text), 300), ADDED)
    else:
        words = Content(clip(inert_line(side.text), 300))
    return Content.assemble(Content(" · ").join(head), "\n", words, "\n")


def version_prompt(version: Version) -> Content:
    parts = [
        Content.styled(f"v{version.version}", "bold"),
        Content(f"read {stamp(version.read_at)}"),
        Content.styled(f"{version.quotes} quotes", MUTED),
    ]
    if version.payload_sha256:
        parts.append(Content.styled(f"sha256:{version.payload_sha256[:12]}…", MUTED))
    else:
        parts.append(Content.styled("not archived", MUTED))
    label = "current" if version.current else "⏎ open read-only"
    parts.append(Content.styled(label, "$text-accent"))
    return Content(" · ").join(parts)


def diff_heading(found: Found) -> Content:
    versions, diff = found
    if diff is None:
        return Content.styled("One version: the text has not changed since it was read.", MUTED)
    return Content.assemble(
        Content.styled(f"v{diff.from_version} → v{diff.to_version}: ", "bold"),
        Content.styled(inert_line(diff.summary()), "bold $text-warning" if diff.quotes else ""),
        Content.styled(f" · {len(versions)} versions", MUTED),
    )


class ChangeList(OptionList):
    BINDINGS = host_bindings("version-changes", "table")


class VersionsScreen(SidePanel[VersionChoice | None]):
    """An article's versions and the diff of its last two; dismissed with a choice or None."""

    BINDINGS = bindings("versions")
    AUTO_FOCUS = "#version-changes"

    def __init__(self, article_id: str) -> None:
        super().__init__(id="versions-screen")
        self.article_id = article_id
        self.found: Found | None = None
        self.choices: list[VersionChoice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="versions", classes="side-panel") as box:
            box.border_title = "Versions"
            yield Label(
                Content.styled("Comparing the versions…", MUTED),
                id="versions-heading",
                classes="side-heading",
            )
            yield ChangeList(id="version-changes", classes="side-list", markup=False)
            yield Static(
                Content.styled("⏎ go to the quote / open the version · q / esc close", MUTED),
                id="versions-hint",
                classes="side-hint",
            )

    def on_mount(self) -> None:
        lib = self.saidwho_app.library
        self.saidwho_app.io(partial(load_versions, lib, self.article_id), self._shown, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.query_one("#versions-heading", Label).update(
            Content.styled(f"No versions: {inert_line(str(error))}", "$text-error")
        )

    def _shown(self, found: Found) -> None:
        self.found = found
        versions, diff = found
        self.query_one("#versions-heading", Label).update(diff_heading(found))
        options: list[Option] = []
        self.choices = []
        for i, change in enumerate(diff.quotes if diff else ()):
            options.append(Option(change_prompt(change), id=f"change-{i}"))
            if change.new is not None:  # in the current text
                self.choices.append(VersionChoice(None, change.new.id))
            else:  # only the older version has it
                assert change.old is not None and diff is not None
                self.choices.append(VersionChoice(diff.from_version, change.old.id))
        for v in reversed(versions):
            options.append(Option(version_prompt(v), id=f"version-{v.version}"))
            self.choices.append(VersionChoice(None if v.current else v.version, None))
        self.query_one(ChangeList).set_options(options)
        if options:
            self.query_one(ChangeList).highlighted = 0

    @property
    def change_count(self) -> int:
        diff = self.found[1] if self.found else None
        return len(diff.quotes) if diff else 0

    @on(OptionList.OptionSelected, "#version-changes")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)


class VersionScreen(AppModal[None]):
    """An earlier version of an article, read-only: its text with its quotes marked."""

    BINDINGS = bindings("version")

    DEFAULT_CSS = """
    VersionScreen > #version {
        width: 100%;
        height: 100%;
        border: round $warning;
        border-title-color: $text-warning;
        border-title-style: bold;
        background: $surface;
    }
    VersionScreen #version-text {
        height: 1fr;
    }
    """

    def __init__(self, article_id: str, number: int, quote_id: str | None = None) -> None:
        super().__init__(id="version-screen")
        self.article_id = article_id
        self.number = number
        self.quote_id = quote_id
        self.view: VersionView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="version") as box:
            box.border_title = f"v{self.number} · read-only"
            yield ArticleView(id="version-text")

    def on_mount(self) -> None:
        lib = self.saidwho_app.library
        self.saidwho_app.io(
            partial(lib.version_view, self.article_id, self.number), self._shown, self._failed
        )

    def _failed(self, error: BaseException) -> None:
        self.notify(str(error), title="Cannot open the version", severity="error", markup=False)
        self.dismiss(None)

    def _shown(self, view: VersionView) -> None:
        self.view = view
        box = self.query_one("#version")
        title = clip(inert_line(view.article.title or "(untitled)"), 60)
        box.border_title = (
            f"v{view.version.version} · read {stamp(view.version.read_at)} · read-only · {title}"
        )
        text = self.query_one(ArticleView)
        text.set_article(view.article, view.quotes, speaker_colors(view.quotes))
        if self.quote_id is not None:
            text.select_quote(self.quote_id, jump=True)
        text.focus()

    def action_close(self) -> None:
        self.dismiss(None)
