"""What every saidwho screen shares: a typed way to the app (``self.app`` is a plain
``App``), and the hook the app calls when the library changed on disk."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from saidwho.core.safe_text import inert_line
from saidwho.tui.app import SaidwhoApp

ResultT = TypeVar("ResultT")


def app_of(node: DOMNode) -> SaidwhoApp:
    """The running ``SaidwhoApp`` of a mounted widget or screen."""
    app = node.app
    if not isinstance(app, SaidwhoApp):
        raise TypeError(f"{node!r} runs in {type(app).__name__}, not SaidwhoApp")
    return app


class AppScreen(Screen[ResultT]):
    HELP_SCOPES: tuple[str, ...] = ()  # registry scopes `?` shows first on this screen

    # a screen's title is often an article's: shown in the header, so inert
    def validate_title(self, title: Any) -> str | None:
        return None if title is None else inert_line(str(title))

    def validate_sub_title(self, sub_title: Any) -> str | None:
        return None if sub_title is None else inert_line(str(sub_title))

    @property
    def saidwho_app(self) -> SaidwhoApp:
        return app_of(self)

    def library_changed(self) -> None:
        """Another process (or this one) wrote the library: reload what is shown, in a
        worker, keeping the cursor. The default shows nothing of the library."""

    def on_screen_suspend(self) -> None:
        if self not in self.app.screen_stack:  # left, not just covered by a dialog
            # its reads (``SaidwhoApp.io`` runs them on this screen; writes are the app's):
            # Textual cancels a node's workers when it is removed, but a kept screen is not
            self.workers.cancel_node(self)
            self.left()

    def left(self) -> None:
        """The screen was left (a kept screen stays installed): stop what it was doing."""


class AppModal(ModalScreen[ResultT]):
    @property
    def saidwho_app(self) -> SaidwhoApp:
        return app_of(self)


class SidePanel(AppModal[ResultT]):
    """A modal that stands at the right beside the reader (the quote trail, the versions):
    a bordered box of a heading, a list and a hint. Subclasses give them the classes
    ``side-panel``, ``side-heading``, ``side-list`` and ``side-hint``."""

    DEFAULT_CSS = """
    SidePanel {
        align: right top;
    }
    SidePanel > .side-panel {
        width: 62%;
        min-width: 50;
        height: 100%;
        border: round $accent;
        border-title-color: $text-accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    SidePanel .side-heading {
        width: 100%;
        margin-bottom: 1;
    }
    SidePanel .side-list {
        height: 1fr;
        border: none;
    }
    SidePanel .side-hint {
        color: $foreground-muted;
    }
    """
