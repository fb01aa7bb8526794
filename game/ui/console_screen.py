"""The console's one screen: the class live, and the teacher's controls as keys.

The screen never talks to the server: each control posts a :class:`Command` (after a dialog
where one is needed), and the app sends it. The app hands the screen every new status with
:meth:`ConsoleScreen.show`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from game.ui.console_dialogs import NO_COUNTDOWN, AskSeconds, Confirm, PickStudent
from game.ui.console_view import choices, match_rows, pacing_line, student_rows, summary_line
from game.ui.literal import literal
from game.ui.live import COLUMNS, fit
from game.ui.widgets.footer import KeyFooter

MATCH_COLUMNS = ("Match", "Seats", "Turn", "Status")
DEFAULT_COUNTDOWN = 120


@dataclass
class Command(Message):
    """A control the teacher chose: the app sends it to the server."""

    name: str
    body: dict[str, Any] = field(default_factory=dict)
    done: str = ""
    """What the console says once the server has done it."""


class ReadNow(Message):
    """The teacher asked to read the class again now."""


@dataclass(frozen=True)
class Control:
    """One of the teacher's controls: its key, its name in the palette, what it does."""

    key: str
    action: str
    title: str
    help: str
    show: bool = True


CONTROLS = (
    Control("o", "open", "Open", "Open the next decision, with a countdown"),
    Control("p", "pause", "Pause", "Pause the class, or resume it"),
    Control("v", "reveal", "Reveal", "Reveal what really happened to the whole room"),
    Control("a", "advance", "Advance", "Move the slowest on (their fallback, labelled)"),
    Control("t", "pace", "Pace", "Switch teacher-paced / student-paced pacing"),
    Control("b", "hold", "Hold history", "Hold history back for the room, or not", show=False),
    Control("e", "end", "End", "End the class: every open round is recorded"),
    Control("i", "pin", "PIN", "Show the selected student's resume PIN", show=False),
    Control("x", "remove_seat", "Remove seat", "Remove the selected student's seat", show=False),
    Control("z", "reset_seat", "Reset seat", "Reset the selected student's seat", show=False),
    Control("m", "pair", "Pair", "Pair the selected student with another", show=False),
    Control("h", "solo", "Play history", "Pair the selected student with history's moves", False),
    Control("d", "remove_match", "Remove match", "Remove the selected match", show=False),
    Control("c", "students_only", "Students", "Show every student, or the choices too", False),
)


class ConsoleScreen(Screen[None]):
    """Pacing, students, matches and choices; the controls are keys and palette commands."""

    BINDINGS = [
        *(Binding(c.key, c.action, c.title, show=c.show) for c in CONTROLS),
        Binding("r", "read", "Read again", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: dict[str, Any] = {}
        self.gone = ""
        self.widths: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pacing")
        yield Static(id="summary")
        students: DataTable[str] = DataTable(id="students", cursor_type="row", zebra_stripes=True)
        yield students
        matches: DataTable[str] = DataTable(id="matches", cursor_type="row")
        matches.add_columns(*MATCH_COLUMNS)
        yield matches
        with VerticalScroll(id="below"):
            yield Static("Choices so far, against what really happened", classes="heading")
            yield Static(id="choices")
        yield KeyFooter()

    # --- showing ----------------------------------------------------------------------------

    def show(self, status: dict[str, Any], gone: str = "") -> None:
        """Draw ``status`` (the last one the server gave, with ``gone`` saying why it is old)."""
        self.status, self.gone = status, gone
        self.query_one("#pacing", Static).update(pacing_line(status, gone))
        self.query_one("#summary", Static).update(literal(summary_line(status)))
        self._students()
        self._matches()
        self.query_one("#choices", Static).update(choices(status))

    def on_resize(self) -> None:
        if self.status:
            self._students()

    def _students(self) -> None:
        table: DataTable[str] = self.query_one("#students", DataTable)
        rows = list(student_rows(self.status, bool(self.gone)))
        wanted = [max([len(c), *(len(r[n]) for _, r in rows)]) for n, c in enumerate(COLUMNS)]
        widths = fit(self.size.width - 2 * table.cell_padding * len(COLUMNS) - 2, wanted)
        if widths != self.widths:
            self.widths = widths
            table.clear(columns=True)
            for label, width in zip(COLUMNS, widths, strict=True):
                table.add_column(label, width=width)
        _fill(table, rows)

    def _matches(self) -> None:
        table: DataTable[str] = self.query_one("#matches", DataTable)
        rows = list(match_rows(self.status))
        table.display = bool(rows)
        _fill(table, rows)

    # --- what is selected -------------------------------------------------------------------

    def selected_student(self) -> tuple[str, str] | None:
        """The (id, name) of the student under the cursor, if any."""
        students = self.status.get("students") or []
        row = self.query_one("#students", DataTable).cursor_row
        if not students or not 0 <= row < len(students):
            return None
        student = students[row]
        return str(student.get("id", "")), str(student.get("name", ""))

    def selected_match(self) -> str | None:
        matches = self.status.get("matches") or []
        row = self.query_one("#matches", DataTable).cursor_row
        if not matches or not 0 <= row < len(matches):
            return None
        return str(matches[row].get("code", ""))

    def _need_student(self) -> tuple[str, str] | None:
        found = self.selected_student()
        if found is None:
            self.notify("Select a student first (arrow keys).", severity="warning")
        return found

    # --- the controls -----------------------------------------------------------------------

    def send(self, name: str, body: dict[str, Any] | None = None, done: str = "") -> None:
        self.post_message(Command(name, body or {}, done))

    def action_students_only(self) -> None:
        """The whole screen for the students (a large class at 80x24), or the choices too."""
        self.toggle_class("-students-only")

    def action_read(self) -> None:
        self.post_message(ReadNow())

    def action_pace(self) -> None:
        teacher = (self.status.get("pacing") or {}).get("mode") == "teacher"
        mode = "student" if teacher else "teacher"
        self.send("pace", {"mode": mode}, f"The class is now {mode}-paced.")

    def action_hold(self) -> None:
        hold = (self.status.get("pacing") or {}).get("reveal") != "room"
        done = "History is held for the whole room until you reveal it."
        self.send("hold-history", {"hold": hold}, done if hold else "Each round's own policy.")

    def action_open(self) -> None:
        def opened(seconds: int | None) -> None:
            if seconds is not None:
                body = {"seconds": None if seconds == NO_COUNTDOWN else seconds}
                self.send("open", body, "The decision is open.")

        self.app.push_screen(AskSeconds(DEFAULT_COUNTDOWN), opened)

    def action_pause(self) -> None:
        if (self.status.get("pacing") or {}).get("paused"):
            self.send("resume", done="The class goes on.")
        else:
            self.send("pause", done="The class is paused.")

    def action_reveal(self) -> None:
        number = (self.status.get("pacing") or {}).get("number") or "the last"
        self.send(
            "reveal",
            done=f"Decision {number} is revealed to the room: the projector marks what happened.",
        )

    def action_advance(self) -> None:
        self.confirm(
            "Advance the slowest?",
            "Each student still deciding gets the scenario's fallback move (history's "
            "unless history is held), labelled 'No move in time': never their choice.",
            "advance",
            {},
            "The slowest have moved on.",
        )

    def action_end(self) -> None:
        self.confirm(
            "End the class?",
            "Every game stops and every open round is recorded as abandoned.",
            "end",
            {},
            "The class has ended.",
        )

    def action_pin(self) -> None:
        if (student := self._need_student()) is not None:
            self.send("pin", {"student": student[0]})

    def action_remove_seat(self) -> None:
        self._seat_command(
            "remove-seat",
            "Remove {name}'s seat?",
            "Their game stops (the round is recorded) and the name is free again.",
            "{name}'s seat is removed.",
        )

    def action_reset_seat(self) -> None:
        self._seat_command(
            "reset-seat",
            "Reset {name}'s seat?",
            "Their browser loses the seat; they join again with their name and a new PIN.",
            "{name}'s seat is reset.",
        )

    def _seat_command(self, command: str, title: str, why: str, done: str) -> None:
        if (student := self._need_student()) is not None:
            ident, name = student
            body = {"student": ident}
            self.confirm(title.format(name=name), why, command, body, done.format(name=name))

    def action_pair(self) -> None:
        if (student := self._need_student()) is None:
            return
        others = [
            (str(s.get("id", "")), str(s.get("name", "")))
            for s in self.status.get("students") or []
            if s.get("id") != student[0]
        ]

        def picked(other: str | None) -> None:
            if other is not None:
                self.send("pair", {"students": [student[0], other]}, "Paired.")

        self.app.push_screen(PickStudent(f"Pair {student[1]} with:", others), picked)

    def action_solo(self) -> None:
        if (student := self._need_student()) is not None:
            self.send("solo", {"student": student[0]}, f"{student[1]} plays against history.")

    def action_remove_match(self) -> None:
        code = self.selected_match()
        if code is None:
            self.notify("No match to remove.", severity="warning")
            return
        self.confirm(
            f"Remove match {code}?",
            "Only a match nobody is playing (waiting, or every seat gone) can be removed.",
            "remove-match",
            {"match": code},
            f"Match {code} is removed.",
        )

    def confirm(self, title: str, why: str, name: str, body: dict[str, Any], done: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.send(name, body, done)

        self.app.push_screen(Confirm(title, why), answered)


def _fill(table: DataTable[str], rows: list[tuple[str, tuple[str, ...]]]) -> None:
    """Put ``rows`` (key, cells) in ``table``, the cursor kept on the same row number."""
    row = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*(literal(cell) for cell in cells), key=key)  # type: ignore[arg-type]
    if rows:
        table.move_cursor(row=min(row, len(rows) - 1))
