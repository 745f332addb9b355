"""Modal dialogs: note editor, confirmation, one-line input (paths, speaker names)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from saidwho.core.safe_text import inert, inert_line
from saidwho.tui.actions import bindings
from saidwho.tui.model import MUTED, clip, unquote, who

if TYPE_CHECKING:
    from saidwho.store import QuoteView, SpeakerSummary
    from saidwho.tui.screens.base import AppScreen


@dataclass(frozen=True)
class NoteDraft:
    """What the note editor gives back: the note's Markdown and its tags."""

    text: str
    tags: tuple[str, ...]


class NoteEditor(ModalScreen[NoteDraft | None]):
    """Markdown note text plus comma-separated tags; ctrl+s saves, escape cancels."""

    BINDINGS = bindings("dialog", ids=("dialog.save", "dialog.cancel"))

    def __init__(self, heading: str, excerpt: str, text: str = "", tags: Sequence[str] = ()):
        super().__init__()
        self.heading = heading
        self.excerpt = excerpt
        # an editor draws what it holds: controls arrive (and are saved) as visible symbols
        self.initial_text = inert(text)
        self.initial_tags = inert_line(", ".join(tags))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="note-editor"):
            yield Label(Content(inert_line(self.heading)), id="dialog-title")
            yield Static(
                Content.styled(f"“{clip(unquote(self.excerpt), 240)}”", f"italic {MUTED}"),
                id="excerpt",
            )
            editor = TextArea(self.initial_text, id="note-text", soft_wrap=True)
            editor.border_title = "Note (Markdown)"
            yield editor
            tags = Input(self.initial_tags, placeholder="tags, comma separated", id="note-tags")
            tags.border_title = "Tags"
            yield tags
            yield Static(
                Content.styled("ctrl+s save · esc cancel · tab next field", MUTED),
                id="dialog-hint",
            )

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        raw = self.query_one("#note-tags", Input).value
        tags = tuple(t.strip().lstrip("#") for t in raw.split(",") if t.strip().lstrip("#"))
        if not text.strip() and not tags:
            self.notify("An empty note is not saved.", severity="warning")
            return
        self.dismiss(NoteDraft(text, tags))

    @on(Input.Submitted, "#note-tags")
    def _tags_submitted(self) -> None:
        self.action_save()

    @property
    def changed(self) -> bool:
        """The text or tags differ from what the editor opened with."""
        text = self.query_one("#note-text", TextArea).text
        tags = self.query_one("#note-tags", Input).value
        return text != self.initial_text or tags != self.initial_tags

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        # typed text is never thrown away on one key
        self.app.push_screen(
            ConfirmDialog("Discard the changes to this note?", yes="Discard"), answer
        )


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = bindings("dialog", ids=("dialog.yes", "dialog.no", "dialog.cancel"))

    def __init__(self, question: str, detail: str = "", yes: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(Content(inert_line(self.question)), id="dialog-title")
            if self.detail:
                yield Static(Content.styled(clip(self.detail, 200), f"italic {MUTED}"))
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="error")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PathSuggester(Suggester):
    """Completes the last path component from the file system (home-relative too)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, stem = os.path.split(expanded)
        try:  # off the event loop: a slow or network folder must not freeze typing
            names = sorted(await asyncio.to_thread(os.listdir, folder or "."))
        except OSError:
            return None
        for name in names:
            if name.startswith(stem) and not (name.startswith(".") and not stem.startswith(".")):
                full = os.path.join(folder, name) if folder else name
                if os.path.isdir(full):
                    full += os.sep
                if value.startswith("~"):
                    full = "~" + full[len(os.path.expanduser("~")) :]
                return full if full != value else None
        return None


class InputDialog(ModalScreen[str | None]):
    """One line of input with suggestions; Enter submits, escape cancels. With ``choices``,
    a list below the input offers them for a click or arrow keys."""

    BINDINGS = bindings("dialog", ids=("dialog.cancel",))

    def __init__(
        self,
        heading: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        choices: Sequence[str] = (),
        suggester: Suggester | None = None,
        dialog_id: str = "input-dialog",
    ) -> None:
        super().__init__(id=dialog_id)
        self.heading = heading
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.choices = list(dict.fromkeys(c for c in choices if c))
        if suggester is None and self.choices:
            suggester = SuggestFromList(self.choices, case_sensitive=False)
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="input-dialog"):
            yield Label(Content(inert_line(self.heading)), id="dialog-title")
            yield Input(
                self.value, placeholder=self.placeholder, suggester=self.suggester, id="answer"
            )
            if self.choices:
                yield OptionList(
                    *(
                        Option(Content(inert_line(c)), id=f"choice-{i}")
                        for i, c in enumerate(self.choices)
                    ),
                    id="choices",
                    markup=False,
                )
            yield Static(
                Content.styled(self.hint or "enter ok · esc cancel", MUTED),
                id="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(str(event.option.id).split("-")[1])
        self.dismiss(self.choices[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def expand_user_path(value: str) -> Path:
    return Path(os.path.expanduser(value.strip()))


def ask_for_speaker(
    screen: AppScreen[Any], quote: QuoteView, here: list[str], chosen: Callable[[str | None], None]
) -> None:
    """The reassign dialog of the reader and the review queue: who said ``quote``? The
    article's speakers (``here``, one per quote) come first, most quoted first, then the
    library's; the library's speakers are a cached view, read off the UI thread all the same."""

    def ask(known: list[SpeakerSummary]) -> None:
        choices = sorted(set(here), key=lambda s: -here.count(s)) + [s.speaker for s in known]
        screen.app.push_screen(
            InputDialog(
                f"Who said it? (now: {who(quote)})",
                placeholder="speaker name; → accepts a suggestion",
                choices=choices,
                hint="enter sets the speaker · → accepts the suggestion · esc cancels",
                dialog_id="reassign-dialog",
            ),
            chosen,
        )

    screen.saidwho_app.io(screen.saidwho_app.library.speakers, ask)
