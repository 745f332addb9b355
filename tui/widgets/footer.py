"""A Footer that recomposes only when the keys it shows change.

Textual's Footer rebuilds all its keys (a widget each, styled anew) whenever a screen's
bindings might have changed: on every screen resume and focus change. Going back to the
library or reopening the kept reader showed the same keys, yet cost ~50 ms per rebuild.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _keys(self) -> tuple:
        """What compose() would show: each shown binding, its state and key display."""
        app = self.app
        return tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen) -> None:
        # as Footer.bindings_changed, but through _recompose_if_changed
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await self.recompose()
