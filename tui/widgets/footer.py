"""The footer: the registry's most important keys first, fitted to the width; it
recomposes only when the keys it shows change.

At 80 columns Textual's Footer showed the first keys bound and cut the rest, so `? Help`
and `q Quit` (bound last) never appeared. Here each key has a rank in the registry
(``Action.rank``): keys are shown in rank order and the least important are dropped
until the rest fit, so help, quit or back and the screen's main action show at any width.

Textual's Footer also rebuilds all its keys (a widget each, styled anew) whenever a
screen's bindings might have changed: on every screen resume and focus change. Going back
to the library or reopening the kept reader showed the same keys, yet cost ~50 ms per
rebuild.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from saidwho.tui.actions import footer_rank


class ShownKey(NamedTuple):
    binding: Binding
    enabled: bool
    tooltip: str
    key_display: str
    palette: bool  # the command palette's key, docked right


class SteadyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _width_of(self, key: ShownKey) -> int:
        """Cells a FooterKey takes (its padding as in Footer's CSS; the palette's key has a
        border and right padding)."""
        text = cell_len(key.key_display)
        description = cell_len(key.binding.description)
        if not description:
            width = text + (0 if self.compact else 2)
        elif self.compact:
            width = text + description + 2  # space before the description, margin after
        else:
            width = text + description + 3  # key padded both sides, description after
        return width + 2 if key.palette else width

    def _keys(self) -> tuple[ShownKey, ...]:
        """What compose() shows: one key per action, in rank order, as many as fit."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        candidates: dict[str, ShownKey] = {}
        for pressed, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            palette = pressed == palette_key and app.ENABLE_COMMAND_PALETTE
            if (binding.show or palette) and binding.action not in candidates:
                shown = ShownKey(binding, enabled, tooltip, app.get_key_display(binding), palette)
                candidates[binding.action] = shown
        focused = app.focused
        near = {w.id for w in focused.ancestors_with_self if w.id} if focused else set()
        ranked = sorted(candidates.values(), key=lambda k: footer_rank(k.binding.id, near))
        room = self.size.width or app.size.width
        chosen: list[ShownKey] = []
        for key in ranked:
            width = self._width_of(key)
            if width <= room:
                chosen.append(key)
                room -= width
        return tuple(chosen)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        for key in self._shown if self._shown is not None else self._keys():
            binding = key.binding
            yield FooterKey(
                binding.key,
                key.key_display,
                binding.description,
                binding.action,
                disabled=not key.enabled,
                tooltip=(key.tooltip or binding.tooltip or binding.description)
                if key.palette
                else key.tooltip,
                classes="-command-palette" if key.palette else "",
            ).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen) -> None:
        # as Footer.bindings_changed, but through _recompose_if_changed
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    def on_resize(self) -> None:
        # a wider or narrower footer may fit other keys
        if self._bindings_ready and self.is_attached:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await self.recompose()
