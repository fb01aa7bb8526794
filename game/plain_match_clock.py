"""A plain-text match seat's clock, said in words while its student reads and answers (#27): the
time left when the turn is shown; a line when the clock starts (a seat that shows the turn
before the other seat hears "Your time starts when both of you have this turn on screen", and
then, once the other seat has it, that it has started); reminders at one minute and at ten
seconds; "Time is up" at zero. Under the teacher's pacing: waiting for the teacher to open the
turn, a paused class and the end of the class, in the same words as a solo round's.

Everything is a line of text (no control sequences), so that a screen reader reads it as it
comes. The seat decides (:class:`~game.engine.seats.match_seat.MatchSeat`); this only says it.
At a terminal the input is watched while the student thinks; a script's piped lines are read
as they come (nothing is said between them), as plain solo rounds do."""

from __future__ import annotations

import select
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.engine.seats.match_seat import MatchSeat
from game.plain_pacing import LOOK_SECONDS, REMINDERS
from game.reports.match_report import seat_time_left, time_left
from game.reports.pacing_words import WAITING, duration, gate_line

if TYPE_CHECKING:
    from game.plain import PlainGame

STARTS = "Both of you have this turn on screen: your time starts now."
TIME_UP = "Time is up: with no move in time, one is played for you."


class TurnOver(Exception):
    """The turn's time ran out while the student was answering: its outcome comes next."""


class ClassOver(Exception):
    """The teacher ended the class: the seat was left (recorded ``abandoned``)."""


@dataclass
class TurnClock:
    """One turn's clock in words, for one plain match seat."""

    game: PlainGame
    played: MatchSeat
    started: bool = False
    """Whether the student was told that the clock runs."""
    gate: str = "open"
    reminded: set[float] = field(default_factory=set)
    up: bool = False
    """Whether the student was told the time is up (said once: trial 2, F12)."""

    def announce(self) -> None:
        """The time left, said as the turn is shown (or that it waits for the other seat)."""
        left = self.played.remaining()
        self.started = left is not None
        self.up = left is not None and left <= 0  # time_left says "Time is up" then
        self.reminded = {mark for mark in REMINDERS if left is not None and left <= mark}
        self.game.say(seat_time_left(self.played, left))

    def news(self) -> str:
        """What changed since the last look, in one sentence ("" when nothing did)."""
        gate = self.played.gate()
        if gate.state == "ended" or self.played.left:
            raise ClassOver
        if gate.state == "expired":  # the teacher's countdown ran out, or they advanced it
            raise TurnOver
        if gate.state != self.gate:
            before, self.gate = self.gate, gate.state
            if gate.state != "open":
                return gate_line(gate) or WAITING
            if before == "paused":
                left = self.played.remaining()
                return "The class goes on." + ("" if left is None else f" {time_left(left)}")
        left = self.played.remaining()
        if left is None or gate.state != "open":
            return ""
        if not self.started:
            self.started = True
            self.reminded = {mark for mark in REMINDERS if left <= mark}
            return f"{STARTS} {time_left(left)}"
        if left <= 0:
            raise TurnOver
        due = {mark for mark in REMINDERS if left <= mark} - self.reminded
        if due:
            self.reminded |= due
            return f"{duration(left)} left for your move."
        return ""

    def watching(self) -> bool:
        """Whether the input is a terminal this seat can wait on with a timeout."""
        try:
            return self.game.stdin.fileno() >= 0 and self.game.stdin.isatty()
        except (OSError, ValueError):
            return False

    def ready(self, seconds: float) -> bool:
        readable, _, _ = select.select([self.game.stdin.fileno()], [], [], seconds)
        return bool(readable)

    def read_line(self) -> str:
        """A line the student types; meanwhile what changes is said on a line of its own.
        Raises :class:`TurnOver` at zero and :class:`ClassOver` when the class ends."""
        if not self.watching():
            return self.game.stdin.readline()
        while not self.ready(LOOK_SECONDS):
            try:
                line = self.news()
            except TurnOver:
                if not self.up:
                    self.up = True
                    self.game.say()
                    self.game.say(TIME_UP)
                raise
            if line:
                self.game.say()
                self.game.say(line)
        return self.game.stdin.readline()

    def await_open(self) -> None:
        """Wait, saying why, while the teacher has not opened the turn or has paused the
        class; raises :class:`ClassOver` when the class ends, and the end of input
        (:class:`~game.plain.EndOfInput`) when the student leaves meanwhile."""
        from game.plain import EndOfInput

        said = ""
        while True:
            gate = self.played.gate()
            if gate.state == "ended":
                self.played.poll()  # the seat leaves: recorded abandoned
                raise ClassOver
            if gate.state in ("open", "expired"):
                self.gate = gate.state
                return
            line = gate_line(gate) or WAITING
            if line != said:
                self.game.say()
                self.game.say(line)
                said = line
            if not self.watching():
                self.game.sleep(LOOK_SECONDS)
            elif self.ready(LOOK_SECONDS):
                typed = self.game.stdin.readline()
                if not typed or typed.strip().lower() == "q":
                    raise EndOfInput
                self.game.say(line)
