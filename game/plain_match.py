"""Head-to-head in plain text: one seat of a match over standard input and output.

The engine's :class:`~game.engine.seats.match_seat.MatchSeat` owns the seat's life (sealed moves,
heartbeats, the deadline and fallbacks, records, leaving); this module reads and writes text.
Each turn the seat reads its situation and decides; then it waits until both moves are
revealed, saying when the other seat joins, goes quiet or comes back. The end of input, ``q``,
SIGHUP and SIGTERM leave the seat (recorded as abandoned; rejoin with the code and name).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from game.engine.base.text import long_date
from game.engine.classroom.match_debrief import match_debrief
from game.engine.play.match import SeatView, TurnOutcome
from game.engine.seats.lifecycle import PacingClosed
from game.engine.seats.match_seat import LOOK_SECONDS, MatchSeat, Watch
from game.plain import EndOfInput, PlainGame, terminating_ends_input
from game.plain_match_clock import ClassOver, TurnClock, TurnOver
from game.reports.debrief_report import debrief_document
from game.reports.match_report import (
    NO_CLASSMATE,
    NOT_JOINED,
    briefing_blocks,
    reveal_blocks,
)
from game.reports.pacing_words import DEBRIEF_HELD, ENDED

TOO_LATE = "Too late: the deadline passed, and the scenario's fallback move stood."


@dataclass
class PlainMatch(PlainGame):
    """One seat of a match, played over text streams."""

    played: MatchSeat = field(repr=False, kw_only=True)
    clock: Callable[[], float] = field(default=time.time, kw_only=True)
    sleep: Callable[[float], None] = field(default=time.sleep, kw_only=True)

    def run(self) -> int:
        """Play the seat to the end of the match, or until the student leaves (the end of
        input, ``q``, SIGHUP or SIGTERM: the seat is left as abandoned); the exit status."""
        played, view = self.played, self.played.view
        scenario = view.loaded.scenario
        self.heading(
            f"{scenario.title} — {scenario.role_by_id[played.seat].name} — match {played.code}"
        )
        if played.number == 1 and played.sealed() is None:
            self.show(briefing_blocks(view, played.code))
        else:
            self.say(f"Rejoining match {played.code} at turn {played.number}.")
        try:
            with terminating_ends_input():
                while not played.is_over:
                    self.turn(view)
        except EndOfInput:
            played.leave()
            self.say(f"You left match {played.code}; rejoin it with the same code and name.")
            return 0
        except ClassOver:
            played.leave()
            self.say(ENDED)
            return 0
        if self.debrief_opens():
            self.read_debrief(debrief_document(match_debrief(view)))
        self.say()
        self.say(f"Result saved to {played.record_path}")
        return 0

    def debrief_opens(self) -> bool:
        """Wait until the teacher has revealed every turn (history held for the room);
        ``False`` if the class ended first (the debrief is the teacher's to give then)."""
        if self.played.debrief_held():
            self.say()
            self.say(DEBRIEF_HELD)
        while self.played.debrief_held():
            control = self.played.control()
            if control is not None and control.ended is not None:
                self.say(ENDED)
                return False
            self.sleep(LOOK_SECONDS)
        return True

    def turn(self, view: SeatView) -> None:
        played, match = self.played, view.match
        scenario = view.loaded.scenario
        turn = match.turn
        assert turn is not None
        other_name = played.other_name() or (
            NO_CLASSMATE if played.facing_history() else f"{NOT_JOINED}; code {played.code}"
        )
        invented = any(scenario.point_by_id[p].counterfactual for p in turn.points.values())
        label = " (not historical)" if invented else ""
        self.heading(f"Turn {played.number}: {long_date(turn.date)} — {turn.title}{label}")
        clock = TurnClock(self, played)
        clock.await_open()  # in a teacher-paced class, until the teacher opens this turn
        self.say(f"Facing you: {scenario.role_by_id[played.other].name} ({other_name})")
        self.present(view)
        sealed = played.sealed()
        if sealed is None:
            played.showing()  # the turn is on screen: its clock runs once both seats have it
            self.answer(clock)
        else:
            point = view.point
            assert point is not None
            label = next(view.words(c) for c in point.choices if c.id == sealed)
            self.say(f"You had already decided this turn: {label}")
        point = view.point
        assert point is not None
        reveal = self.wait()
        self.heading("Both moves revealed")
        self.show(reveal_blocks(view, point, reveal, classmates=True))

    def answer(self, clock: TurnClock) -> None:
        """Read the seat's move while its clock is said, and seal it (or say it came late)."""
        played = self.played
        clock.announce()
        shown = self.clock()
        self.pacer, self.deciding = clock, True
        try:
            while True:
                choice, rationale = self.read_choice(played.view)
                try:
                    if not played.choose(choice, rationale, round(self.clock() - shown, 3)):
                        self.say(TOO_LATE)
                    return
                except PacingClosed as error:  # paused, or the turn closed meanwhile
                    self.say(f"Your answer was not taken: {error}.")
                    clock.await_open()
        except TurnOver:
            return  # the move made for the seat is in the turn's outcome
        finally:
            self.pacer, self.deciding = None, False

    def wait(self) -> TurnOutcome:
        """The turn played, once both moves are in (or the deadline has made a fallback
        stand); meanwhile, what the other seat is doing, said once each time it changes."""
        played, said, watch = self.played, "", Watch(self.played.store)
        other = played.view.loaded.scenario.role_by_id[played.other].name
        while True:
            if not watch.due():
                self.sleep(LOOK_SECONDS)
                continue
            reveal = played.poll()
            if reveal is not None:
                return reveal
            if played.left:  # the teacher ended the class
                raise ClassOver
            message = {
                "free": f"Waiting for a classmate to join as {other} with code {played.code}; "
                "the turn's time starts when both of you have it on screen...",
                "history": f"History's move is played for {other} (no classmate) as soon "
                "as your move is in...",
                "gone": f"The other seat ({other}) has gone: it left or stopped answering. "
                "Its fallback move stands at the deadline.",
            }.get(self.presence(), "Waiting for the other seat's move...")
            if message != said:
                self.say(message)
                said = message

    def presence(self) -> str:
        """The other seat: 'here', 'gone', 'free' (nobody has joined) or 'history'."""
        found = self.played.other_presence()
        return "history" if found == "free" and self.played.facing_history() else found
