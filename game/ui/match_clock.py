"""The full-screen match's clock and what it says of the other seat: the decision screen's
line (the turn, who you face, the time left), the waiting screen's news, and the teacher's
pacing (#27): while the teacher has not opened the turn, has paused the class or ended it,
the seat waits on the pacing's waiting screen (:class:`game.ui.pacing.WaitingScreen`).

The seat decides (:meth:`MatchSeat.gate`, :meth:`MatchSeat.remaining`, :meth:`MatchSeat.poll`:
the teacher's countdown is the turn's clock, a silent seat's move at zero is sealed as made
for it, the end of the class leaves the seat); this mixin only shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.seats.match_seat import MatchSeat
from game.reports.match_report import NO_CLASSMATE, NOT_JOINED, free_seat_clock, seat_time_left
from game.reports.pacing_words import DEBRIEF_HELD, WAITING, gate_line
from game.ui.pacing import WaitingScreen as TeacherWaiting

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    Base = App[Any]
else:
    Base = object


class MatchClock(Base):
    """What the match app shows of the turn's clock and the teacher's pacing."""

    played: MatchSeat | None

    @property
    def code(self) -> str:
        raise NotImplementedError

    def show_turn(self) -> None:
        raise NotImplementedError

    def replace_all(self, screen: Screen[None]) -> None:
        raise NotImplementedError

    def held_by_teacher(self, looking: bool = False) -> bool:
        """Whether the teacher holds the turn (not opened, the class paused or ended): the
        seat waits on the pacing's waiting screen, saying why. Back on the turn once open.
        ``looking`` (a poll): only over the turn's own screens, never over a briefing or an
        outcome being read."""
        from game.ui.screens.decision import DecisionScreen
        from game.ui.screens.match import WaitingScreen

        played = self.played
        if played is None or played.is_over or played.pacing is None:
            return False
        if looking and not isinstance(self.screen, DecisionScreen | WaitingScreen | TeacherWaiting):
            return False
        gate = played.gate()
        if gate.state in ("open", "expired"):
            if looking and isinstance(self.screen, TeacherWaiting):
                self.show_turn()  # which asks again, not looking: the turn, at last
            return False
        if gate.state == "ended":
            played.poll()  # the seat leaves: recorded abandoned
        line = gate_line(gate) or WAITING
        if isinstance(self.screen, TeacherWaiting):
            self.screen.say(line)
        else:
            self.replace_all(TeacherWaiting(line))
        return True

    def turn_note(self) -> str:
        """The decision screen's line: the turn, the match, the other seat, the time left."""
        played = self.played
        assert played is not None
        note = f"Turn {played.number} · match {self.code} · {self.facing()}"
        return f"{note}\n{seat_time_left(played, played.remaining())}"

    def facing(self) -> str:
        played = self.played
        assert played is not None
        name = played.other_name() or (NO_CLASSMATE if played.facing_history() else NOT_JOINED)
        return f"facing {played.view.loaded.scenario.role_by_id[played.other].name} ({name})"

    def waiting_text(self) -> str:
        played = self.played
        assert played is not None
        presence = played.other_presence()
        if presence == "free" and not played.facing_history():
            clock = free_seat_clock(played.paced() is not None)
            return f"Waiting for the other student to join with code {self.code}: {clock}."
        left = seat_time_left(played, played.remaining(), theirs=True)
        if presence == "gone":
            other = played.view.loaded.scenario.role_by_id[played.other].name
            return (
                f"{other} ({played.other_name()}) has gone: the student left, or their game "
                f"stopped answering. At the deadline the scenario's fallback move stands for it.\n"
                f"{left}"
            )
        return f"Waiting for the other seat's move ({self.facing()}).\n{left}"

    def debrief_waits(self) -> bool:
        """Whether the ended match's debrief waits for the teacher to reveal history (the
        pacing's waiting screen says so; each poll looks again)."""
        played = self.played
        if played is None or not played.debrief_held():
            return False
        screen = self.screen
        if not (isinstance(screen, TeacherWaiting) and screen.debrief):
            self.replace_all(TeacherWaiting(DEBRIEF_HELD, debrief=True))
        return True
