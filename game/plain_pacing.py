"""Plain text under the teacher's pacing (#27): waiting for the teacher, the time left said
when a decision is shown and again near its end, a paused class, the move made at zero, and
history the teacher reveals to the room. Everything is said in words, so that a screen
reader user is never surprised; the round itself decides (:class:`Round`)."""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from game.engine.play.session import Step
from game.engine.seats.lifecycle import PacingClosed, Round
from game.reports.pacing_words import (
    DEBRIEF_HELD,
    ENDED,
    PAUSED,
    TIME_UP,
    WAITING,
    duration,
    gate_line,
    new_reveals,
)

if TYPE_CHECKING:
    from game.plain import PlainGame

LOOK_SECONDS = 0.25
"""How often a waiting game reads the class's control (a stat when nothing changed)."""
MAX_PENDING = 1000
"""Lines a script may send ahead while its game waits for the teacher."""
REMINDERS = (60.0, 10.0)
"""Seconds left at which the time left is said again."""


class LineReader(Protocol):
    """What reads the student's answer while a clock runs (a round's :class:`Pacer`, a match
    seat's turn clock)."""

    def read_line(self) -> str: ...


class TimeUp(Exception):
    """The decision's time ran out while the student was answering: the fallback stood."""

    def __init__(self, step: Step) -> None:
        super().__init__("time is up")
        self.step = step


class ClassEnded(Exception):
    """The teacher ended the class: the round was left (recorded ``abandoned``)."""


@dataclass
class Pacer:
    """One plain game's view of the pacing: what it has said, so nothing is said twice."""

    game: PlainGame
    played: Round
    sleep: Callable[[float], None] = time.sleep
    seen: set[int] = field(default_factory=set)
    """Decisions whose revealed history was shown."""
    reminded: set[float] = field(default_factory=set)

    def say_reveals(self) -> None:
        blocks = new_reveals(self.played, self.seen)
        if blocks:
            self.game.say()
            self.game.show(blocks)

    def await_open(self) -> None:
        """Wait until the current decision is open (or its time ran out: its fallback is
        shown); raises :class:`ClassEnded`."""
        said = ""
        while True:
            self.say_reveals()
            step = self.played.tick()
            if step is not None:
                self.time_up(step)
                if self.played.is_over:
                    return
                continue
            gate = self.played.gate()
            if gate.state == "ended" or self.played.session.status == "abandoned":
                raise ClassEnded
            if gate.state == "open":
                return
            line = WAITING if gate.state == "waiting" else PAUSED
            if line != said:
                self.game.say()
                self.game.say(line)
                said = line
            self.pause_for_input()

    def announce(self) -> None:
        """The time left, said as the decision is shown (a reminder is said only for a mark
        still ahead)."""
        gate = self.played.gate()
        left = gate.remaining
        self.reminded = {m for m in REMINDERS if left is not None and left <= m}
        line = gate_line(gate)
        if line:
            self.game.say(line)

    def time_up(self, step: Step, answered: bool = False) -> None:
        """Say that the move just played was made for the student, and what followed."""
        from game.plain_outcome import outcome_lines
        from game.reports.pacing_words import later

        self.game.say()
        self.game.say(("Your answer came too late. " if answered else "") + TIME_UP)
        lines = ["What followed", *outcome_lines(self.played.session, step, later(self.played))]
        self.game.section(lines)

    def choose(self, choice: str, rationale: str) -> Step | None:
        """Take the student's decision; ``None`` when it was not taken (the class is paused
        or the decision closed meanwhile), after saying why."""
        try:
            step = self.played.choose(choice, rationale)
        except PacingClosed as error:
            if self.played.session.status == "abandoned":
                raise ClassEnded from None
            self.game.say(f"Your answer was not taken: {error}.")
            return None
        if step.decision.automatic:
            self.time_up(step, answered=True)
            return None
        return step

    # --- reading a line while the clock runs --------------------------------------------

    def can_watch(self) -> bool:
        """Whether standard input is a file this game can wait on with a timeout (a
        terminal in line mode is readable only once a whole line is typed)."""
        try:
            return self.game.stdin.fileno() >= 0
        except (OSError, ValueError):
            return False

    def pause_for_input(self, waiting_for: str = "") -> None:
        """Wait a moment, noticing the end of input (which leaves the round). At a terminal,
        a line typed meanwhile is answered (``q`` leaves); a script's lines are kept for the
        decision they are meant for."""
        from game.plain import EndOfInput

        if not self.can_watch():
            self.sleep(LOOK_SECONDS)
            return
        if not self.ready(LOOK_SECONDS):
            return
        line = self.game.stdin.readline()
        if not line:
            raise EndOfInput
        if not self.game.stdin.isatty():
            self.game.pending.append(line)
            if len(self.game.pending) > MAX_PENDING:
                raise EndOfInput
            self.sleep(LOOK_SECONDS)  # what is kept is not read again before the next look
        elif line.strip().lower() == "q":
            raise EndOfInput
        else:
            self.game.say(waiting_for or gate_line(self.played.gate()) or WAITING)

    def ready(self, seconds: float) -> bool:
        readable, _, _ = select.select([self.game.stdin.fileno()], [], [], seconds)
        return bool(readable)

    def read_line(self) -> str:
        """A line typed at the terminal; meanwhile the time left is said near its end, a
        pause and a resume are said, and at zero :class:`TimeUp` is raised with the move
        played for the student. Without a terminal, the line is read as it comes."""
        if not self.can_watch() or not self.game.stdin.isatty():
            return self.game.stdin.readline()
        said = self.played.gate().state
        while not self.ready(LOOK_SECONDS):
            step = self.played.tick()
            if step is not None:
                self.game.stdout.write("\n")
                raise TimeUp(step)
            gate = self.played.gate()
            if gate.state == "ended" or self.played.session.status == "abandoned":
                self.game.say()
                self.game.say(ENDED)
                raise ClassEnded
            if gate.state != said:
                said = gate.state
                self.game.say()
                self.game.say(gate_line(gate) or "The class goes on.")
            elif gate.state == "open" and gate.remaining is not None:
                due = {m for m in REMINDERS if gate.remaining <= m} - self.reminded
                if due:
                    self.reminded |= due
                    self.game.say()
                    self.game.say(f"{duration(gate.remaining)} left for this decision.")
        return self.game.stdin.readline()

    def await_debrief(self) -> bool:
        """Wait until the teacher has revealed every decision of the finished round;
        ``False`` if the class ended first."""
        said = False
        while self.played.debrief_held():
            self.say_reveals()
            control = self.played.control()
            if control is not None and control.ended is not None:
                self.game.say(ENDED)
                return False
            if not said:
                self.game.say()
                self.game.say(DEBRIEF_HELD)
                said = True
            self.pause_for_input(DEBRIEF_HELD)
        return True
