"""Textual's footer, recomposed only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """The key hints of the screen, as Textual's :class:`Footer` shows them.

    Textual's footer builds all its keys again whenever the screen's bindings are refreshed
    (on every focus change and every return to the screen), and each key it drops stays in
    memory, held by its data binding. This one rebuilds only when what it would show is
    different: the same keys, labels and states are left as they are.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown and self._bindings_ready:
            return
        mine = self.is_attached and screen is self.screen
        if mine and self._shown is None and not screen.app.app_focus:
            # Textual's footer waits for the app to have focus; a game in a browser starts
            # without it, and its first screen would show no keys until the page gives it.
            self._bindings_ready = True
            self._shown = shown
            self.call_after_refresh(self.recompose)
            return
        if screen.app.app_focus and mine:
            self._shown = shown  # what the recomposition Textual now schedules will show
        super().bindings_changed(screen)
