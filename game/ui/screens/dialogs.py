"""Dialogs: confirming a choice (with an optional rationale), leaving a round, deleting a saved
round, and help. Each answers a typed value through ``dismiss``."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from game.engine.base.text import MAX_RATIONALE
from game.engine.scenario.model import Choice
from game.ui.literal import joined, literal
from game.ui.screens.base import GameModal

Leave = Literal["stay", "title", "quit"]

HELP = """\
# How to play

You advise a government through a real crisis. At each decision, read the situation, look at
the indicators and the escalation ladder, and choose. The other side reacts to what you do.
After each decision you see the consequences and, unless your instructor chose otherwise,
what the government really did, with the sources.

| key | does |
|---|---|
| `1`–`5`, arrows and `Enter` | pick a choice (you confirm it before it counts) |
| `PageUp` `PageDown` | scroll the situation or the outcome |
| `1`–`9` after a decision | open a cited source at the quoted passage |
| `d` | where the sources disagree, at the first situation or an outcome (once per round) |
| `i` | indicators, ladder and timeline (on narrow terminals) |
| `s` | sources published before the current in-game date |
| `n` | background notes |
| `m` | map of the places named |
| `Ctrl+P` | command palette |
| `Ctrl+T` | light or dark theme |
| `?` or `F1` | this help |
| `Esc` | back / close, or leave the round |
| `q` or `Ctrl+Q` | quit (your round is saved after every decision) |

Your round is saved after every decision. Start Flashpoint again to continue it.
"""


class ConfirmChoice(GameModal[str | None]):
    """Asks the student to confirm a choice and, optionally, say why; answers the rationale,
    or ``None`` to choose again."""

    ON_ESCAPE = None
    AUTO_FOCUS = "#rationale"

    def __init__(self, choice: Choice, label: str) -> None:
        super().__init__()
        self.choice = choice
        self.label = label
        """The choice as this round words it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(joined(("You decide:\n", "bold"), self.label), id="confirm-label")
            yield Static(
                "Why? (optional, one line — it appears in your debrief)",
                classes="section",
                markup=False,
            )
            yield Input(placeholder="your reasoning", id="rationale", max_length=MAX_RATIONALE)
            with Horizontal(classes="buttons"):
                yield Button("Confirm (Enter)", variant="primary", id="confirm")
                yield Button("Back (Esc)", id="back")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.answer(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        rationale = self.query("#rationale").results(Input)
        typed = next(rationale, None)
        self.answer(typed.value if typed and event.button.id == "confirm" else None)


NOTHING_OPEN = "No round is open: quitting now loses nothing."


class LeaveDialog(GameModal[Leave]):
    """Asks where to go: stay, back to the title screen, or quit."""

    ON_ESCAPE: Leave = "stay"
    AUTO_FOCUS = "#stay"
    BINDINGS = [
        Binding("escape", "close", "Stay"),
        Binding("n", "close", "Stay"),
        Binding("y", "leave('quit')", "Quit"),
        Binding("t", "leave('title')", "Title screen"),
    ]

    def __init__(self, in_round: bool, note: str = "", title_screen: bool = True) -> None:
        super().__init__()
        self.in_round = in_round
        self.note = note
        """What leaving means, where the default note would be wrong (a match)."""
        self.title_screen = title_screen

    def compose(self) -> ComposeResult:
        note = self.note or (
            "Your round is saved; you can continue it from the title screen."
            if self.in_round
            else "Your result is saved."
        )
        with Vertical(classes="dialog"):
            yield Static("Leave?", classes="section", markup=False)
            yield Static(note, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Quit (y)", variant="error", id="quit")
                if self.title_screen:
                    yield Button("Title screen (t)", id="title")
                yield Button("Stay (n)", variant="primary", id="stay")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No "Title screen" where there is none (a match)."""
        return self.title_screen or action != "leave" or parameters != ("title",)

    def action_leave(self, where: Leave) -> None:
        self.answer(where)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        where: Leave = "quit" if event.button.id == "quit" else "stay"
        if event.button.id == "title":
            where = "title"
        self.answer(where)


class ConfirmDelete(GameModal[bool]):
    """Asks before deleting a saved round; answers True to delete."""

    ON_ESCAPE = False
    AUTO_FOCUS = "#keep"
    BINDINGS = [
        Binding("escape", "close", "Keep"),
        Binding("n", "close", "Keep"),
        Binding("y", "delete", "Delete"),
    ]

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Delete this saved round?", classes="section", markup=False)
            yield Static(literal(self.description))
            yield Static("Its result record, if any, is kept.", classes="dim", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Delete (y)", variant="error", id="delete")
                yield Button("Keep (n)", variant="primary", id="keep")

    def action_delete(self) -> None:
        self.answer(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.answer(event.button.id == "delete")


class HelpScreen(GameModal[None]):
    """Keys and how the game works."""

    ON_ESCAPE = None
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
        self.answer(None)
