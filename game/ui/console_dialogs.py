"""The console's dialogs: a countdown to choose, a command to confirm, a partner to pick, a
PIN to read out. Each answers a typed value through ``dismiss`` (GameModal.answer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from game.ui.literal import literal
from game.ui.screens.base import GameModal

MAX_COUNTDOWN = 3600
NO_COUNTDOWN = -1
"""AskSeconds' answer for a decision opened without a countdown."""


class AskSeconds(GameModal[int | None]):
    """How long the decision stays open: seconds, or empty for no countdown; None: cancel."""

    ON_ESCAPE = None
    AUTO_FOCUS = "#seconds"

    def __init__(self, suggested: int) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open the next decision", classes="section", markup=False)
            yield Static(
                "Countdown in seconds (every student sees it; a student who has not "
                "decided at zero gets the scenario's fallback move, labelled). Empty: none.",
                markup=False,
            )
            yield Input(str(self.suggested), id="seconds", max_length=5, type="integer")
            yield Static("", id="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Open (Enter)", variant="primary", id="open")
                yield Button("Cancel (Esc)", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._answer_typed(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open":
            self._answer_typed(self.query_one("#seconds", Input).value)
        else:
            self.answer(None)

    def _answer_typed(self, typed: str) -> None:
        text = typed.strip()
        if not text:
            self.answer(NO_COUNTDOWN)
            return
        seconds = int(text) if text.isdigit() else 0
        if not 5 <= seconds <= MAX_COUNTDOWN:
            self.query_one("#problem", Static).update(
                f"Give a number of seconds from 5 to {MAX_COUNTDOWN}, or leave it empty."
            )
            return
        self.answer(seconds)


class Confirm(GameModal[bool]):
    """Asks before a command that cannot be taken back; answers True to go ahead."""

    ON_ESCAPE = False
    AUTO_FOCUS = "#no"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n", "close", "Back"),
        Binding("y", "yes", "Yes"),
    ]

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="section")
            yield Static(literal(self.explanation))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("Back (n)", variant="primary", id="no")

    def action_yes(self) -> None:
        self.answer(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.answer(event.button.id == "yes")


class PickStudent(GameModal[str | None]):
    """Picks a student (a partner for a match): answers their id, or None. Typing filters the
    list by name (a class of thirty fits a terminal of 24 rows); the arrows move in the list,
    Enter chooses the highlighted student."""

    ON_ESCAPE = None
    AUTO_FOCUS = "#filter"
    BINDINGS = [
        Binding("down", "move('cursor_down')", show=False),
        Binding("up", "move('cursor_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
    ]
    ROOM = 10
    """Rows of the terminal the dialog takes besides its list (border, padding, title, filter,
    count)."""

    def __init__(self, title: str, students: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.students = students

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="section")
            yield Input(placeholder="Type part of a name to filter", id="filter")
            yield OptionList(id="students-picker")
            yield Static("", id="shown", markup=False)

    def on_mount(self) -> None:
        self._show("")
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The list takes the rows the terminal has left (at least three)."""
        picker = self.query_one("#students-picker", OptionList)
        picker.styles.max_height = max(3, self.app.size.height - self.ROOM)

    def _show(self, typed: str) -> None:
        wanted = typed.strip().casefold()
        found = [(i, n) for i, n in self.students if wanted in n.casefold()]
        picker = self.query_one("#students-picker", OptionList)
        picker.clear_options()
        picker.add_options([Option(literal(name), id=ident) for ident, name in found])
        picker.highlighted = 0 if found else None
        count = f"{len(found)} of {len(self.students)}" if wanted else f"{len(found)}"
        hint = "Enter: choose · ↑↓: move · Esc: back" if found else "No name matches · Esc: back"
        self.query_one("#shown", Static).update(f"{count} students · {hint}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        picker = self.query_one("#students-picker", OptionList)
        if picker.highlighted is not None:
            self.answer(picker.get_option_at_index(picker.highlighted).id)

    def action_move(self, where: str) -> None:
        getattr(self.query_one("#students-picker", OptionList), f"action_{where}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.answer(event.option.id)


class Told(GameModal[None]):
    """Something for the teacher to read out (a PIN): closes with Enter or Esc."""

    ON_ESCAPE = None
    AUTO_FOCUS = "#ok"

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="section")
            yield Static(literal(self.text), id="told")
            with Horizontal(classes="buttons"):
                yield Button("Close (Enter)", variant="primary", id="ok")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.answer(None)
