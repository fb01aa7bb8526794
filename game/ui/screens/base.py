"""What every game screen shares: the footer and the "terminal too small" notice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24
TOO_SMALL = (
    f"Make the terminal larger: Flashpoint needs at least {MIN_WIDTH}×{MIN_HEIGHT} characters."
)


class GameScreen(Screen[None]):
    """A full screen that hides its content behind a notice when the terminal is too small."""

    def compose_notice(self) -> ComposeResult:
        """The notice shown instead of the screen when the terminal is too small."""
        yield Static(TOO_SMALL, id="too-small", markup=False)

    def on_mount(self) -> None:
        self.check_size()

    def on_resize(self) -> None:
        self.check_size()

    def check_size(self) -> None:
        """Show the notice if the terminal is below the minimum size."""
        width, height = self.app.size
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")


class GameModal(ModalScreen[object]):
    """A dialog over a game screen; Escape closes it."""

    BINDINGS = [("escape", "close", "Back")]

    def action_close(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
