"""What every game screen shares: the "terminal too small" notice and the common keys."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

AnswerType = TypeVar("AnswerType")

MIN_WIDTH, MIN_HEIGHT = 80, 24
TOO_SMALL = (
    f"Make the terminal larger: Flashpoint needs at least {MIN_WIDTH}×{MIN_HEIGHT} characters."
)


READING_KEYS = [
    Binding("s", "app.sources", "Sources"),
    Binding("n", "app.notes", "Notes"),
    Binding("m", "app.map", "Map"),
]
"""What a student can read while deciding: the sources, the notes and the map."""
LEAVING_KEYS = [
    Binding("question_mark", "app.help", "Help"),
    Binding("escape", "app.leave", "Leave", show=False),
    Binding("q", "app.quit_game", "Quit"),
]
"""Help, and the ways out of a round's screens (the round is saved already)."""

STYLES = Path(__file__).resolve().parent.parent / "styles"
"""The screens' stylesheets: each screen loads its own when it is first shown, so start-up
parses only the app's and the title screen's (which the app reads with its own)."""


def scroll_page(scroll: ScrollableContainer, pages: int) -> None:
    """Scroll ``scroll`` a page up (``pages`` < 0) or down, whatever has focus."""
    if pages < 0:
        scroll.scroll_page_up(animate=False)
    else:
        scroll.scroll_page_down(animate=False)


class GameScreen(Screen[None]):
    """A full screen that hides its content behind a notice when the terminal is too small."""

    def compose_notice(self) -> ComposeResult:
        """The notice shown instead of the screen when the terminal is too small."""
        yield Static(TOO_SMALL, id="too-small", markup=False)

    def on_mount(self) -> None:
        self.check_size()
        with contextlib.suppress(NoMatches):  # closed by a key pressed before it was shown
            self.populate()

    def populate(self) -> None:
        """Fill the screen in once it is mounted (screens that need to)."""

    def action_close(self) -> None:
        """Back to the screen beneath, if this one is still on top."""
        if self.app.screen is self:
            self.dismiss()

    def on_resize(self) -> None:
        self.check_size()

    def check_size(self) -> None:
        """Show the notice if the terminal is below the minimum size."""
        width, height = self.app.size
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")


class GameModal(ModalScreen[AnswerType]):
    """A dialog over a game screen; Escape closes it with the dialog's :attr:`ON_ESCAPE` answer."""

    BINDINGS = [("escape", "close", "Back")]
    ON_ESCAPE: AnswerType

    def __init__(self) -> None:
        super().__init__()
        self.answered = False

    def answer(self, value: AnswerType) -> None:
        """Close with ``value``, once, and only while this dialog is on top: a second key
        press while closing, or one that arrives before the dialog is shown, is ignored
        (``dismiss`` pops whatever screen is on top)."""
        if not self.answered and self.app.screen is self:
            self.answered = True
            self.dismiss(value)

    def action_close(self) -> None:
        """Close with the dialog's default answer."""
        self.answer(self.ON_ESCAPE)
