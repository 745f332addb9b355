"""`?`: every key, generated from the action registry the bindings come from."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from saidwho.tui.actions import bindings, help_sections
from saidwho.tui.model import MUTED
from saidwho.tui.screens.base import AppModal, app_of

MIN_TEXT = 28  # narrower than this beside the keys, a section's texts go under them
UNDER = 6  # their indent there


def help_content(
    keymap: dict[str, str] | None = None, width: int | None = None, first: Sequence[str] = ()
) -> Content:
    """Keys and what they do, the ``first`` scopes (the current screen's) on top; given a
    ``width``, a long description wraps under itself, never back to the margin."""
    lines: list[Content] = []
    for heading, rows in help_sections(keymap, first):
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(heading, "bold $text-accent"))
        keys_width = max(len(keys) for keys, _ in rows)
        indent = keys_width + 4
        if width and width - indent < MIN_TEXT:
            # keys too wide for a column beside them (the palette's commands): each text
            # goes under its keys, indented, so no wrapped line starts at the margin
            for keys, text in rows:
                wrapped = textwrap.wrap(text, max(1, width - UNDER))
                body = "".join("\n" + " " * UNDER + line for line in wrapped)
                lines.append(Content.assemble((f"  {keys}", "bold"), (body, "")))
            continue
        for keys, text in rows:
            wrapped = textwrap.wrap(text, width - indent) if width else [text]
            body = ("\n" + " " * indent).join(wrapped or [""])
            lines.append(Content.assemble((f"  {keys:<{keys_width}}  ", "bold"), (body, "")))
    return Content("\n").join(lines)


class HelpText(Static):
    def __init__(self, content: Content, first: Sequence[str], *, id: str) -> None:
        super().__init__(content, id=id)
        self.first = tuple(first)

    def on_resize(self) -> None:
        self.update(help_content(app_of(self).keymap, self.size.width, self.first))


class HelpScreen(AppModal[None]):
    """Every key; ``first``: the scopes of the screen it was opened on, shown on top."""

    BINDINGS = bindings("dialog", ids=("dialog.cancel", "help.close"))

    def __init__(self, first: Sequence[str] = ()) -> None:
        super().__init__()
        self.first = tuple(first)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label(Content("saidwho keys"), id="dialog-title")
            with VerticalScroll(id="help-body"):
                yield HelpText(
                    help_content(app_of(self).keymap, first=self.first), self.first, id="help-text"
                )
            yield Static(Content.styled("esc, q or ? closes", MUTED), id="dialog-hint")

    def action_cancel(self) -> None:
        self.dismiss()
