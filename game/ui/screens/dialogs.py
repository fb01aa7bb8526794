"""Dialogs: confirming a choice (with an optional rationale), quitting, and help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from game.engine.model import Choice
from game.engine.text import MAX_RATIONALE
from game.ui.literal import joined
from game.ui.screens.base import GameModal

HELP = """\
# How to play

You advise a government through a real crisis. At each decision, read the situation, look at
the indicators and the escalation ladder, and choose. The other side reacts to what you do.
After each decision you see the consequences and, unless your instructor chose otherwise,
what the government really did, with the sources.

| key | does |
|---|---|
| `1`–`5`, arrows and `Enter` | pick a choice (you confirm it before it counts) |
| `s` | sources published by the current in-game date |
| `n` | background notes |
| `m` | map of the places named |
| `Ctrl+P` | command palette |
| `Ctrl+T` | light or dark theme |
| `?` or `F1` | this help |
| `Esc` | back / close |
| `q` | quit (your round is saved after every decision) |

Your round is saved after every decision. Start Flashpoint again to continue it.
"""


class ConfirmChoice(GameModal):
    """Asks the student to confirm a choice and, optionally, say why; answers the rationale."""

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, choice: Choice) -> None:
        super().__init__()
        self.choice = choice

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(joined(("You decide:\n", "bold"), self.choice.label), id="confirm-label")
            yield Static(
                "Why? (optional, one line — it appears in your debrief)",
                classes="section",
                markup=False,
            )
            yield Input(placeholder="your reasoning", id="rationale", max_length=MAX_RATIONALE)
            with Horizontal(classes="buttons"):
                yield Button("Confirm (Enter)", variant="primary", id="confirm")
                yield Button("Back (Esc)", id="back")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.dismiss(self.query_one(Input).value)
        else:
            self.dismiss(None)


class ConfirmQuit(GameModal):
    """Asks before quitting; answers True to quit."""

    BINDINGS = [
        Binding("escape", "close", "Stay"),
        Binding("y", "quit", "Quit"),
        Binding("n", "close", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Quit Flashpoint?", classes="section", markup=False)
            yield Static("Your round is saved; you can continue it next time.", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Quit (y)", variant="error", id="quit")
                yield Button("Stay (n)", variant="primary", id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def action_quit(self) -> None:
        self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")


class HelpScreen(GameModal):
    """Keys and how the game works."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # only when help is opened: it is slow to import

        with VerticalScroll(classes="dialog wide"):
            yield Markdown(HELP)
            yield Button("Close (Esc)", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)
