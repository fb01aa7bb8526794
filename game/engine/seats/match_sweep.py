"""The class's pacing applied to matches nobody is looking at.

A match seat applies the teacher's pacing when its front end asks (:meth:`MatchSeat.poll`): a
countdown that ran out, or "advance the slowest", seals each silent seat's fallback (labelled,
counted as no move in time) and the turn is played; the end of the class records the seat
``abandoned``. A class page keeps nothing between requests, so a seat whose student loads no
page (a closed tab, a laptop asleep, a page without live updates) would wait for ever: the
class's server sweeps the matches whose turn the teacher closed, a bounded number at a time,
through the same rule (:func:`~game.engine.seats.match_visit.visit` and
:meth:`MatchSeat.poll`), never a copy of it. A seat another request or process holds (its
lease) is skipped: that one applies the rule itself. A sweep writes no heartbeat: a seat
swept is not a student there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.engine.base.problems import FlashpointError
from game.engine.play.pacing import ClassControl, Gate
from game.engine.records import match_turns
from game.engine.records.matches import MatchStore
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import RoundStore
from game.engine.seats.lifecycle import Warn
from game.engine.seats.match_visit import visit

if TYPE_CHECKING:
    from game.engine.scenario.loaded import LoadedScenario


def pair_gate(control: ClassControl, store: MatchStore, code: str, number: int) -> Gate:
    """The class's gate for turn ``number`` of match ``code`` (turn N is the class's decision
    N) under the teacher's pacing. A pair's turn has no countdown while a seat waits for a
    classmate (the creator's clock never runs alone), and a countdown that ran out before the
    pair existed does not close it: a match started late is behind the class, its turn open
    until the teacher advances that decision again or ends the class."""
    gate = control.gate(number, store.clock())
    if gate.state in ("open", "expired"):
        paired = store.paired(code)
        if paired is None or (gate.state == "expired" and control.closed_before(number, paired)):
            return Gate("open")
    return gate


MATCHES_PER_TICK = 20
"""At most this many matches are visited by one sweep; the next sweep goes on from there."""
CLOSED = ("expired", "ended")
"""The gates at which the class's pacing plays a turn (or leaves the seats) for a match."""


@dataclass
class Sweep:
    """The sweeps of one class's matches (one per server; :meth:`tick` again and again)."""

    pacing: ControlReader
    rounds_of: Callable[[str], RoundStore | None]
    """The store of the class's student of that name (``None``: not in the class)."""
    warn: Warn
    loaded: LoadedScenario | None = None
    limit: int = MATCHES_PER_TICK
    next: int = field(default=0, init=False)
    """Where the next sweep starts among the matches due."""
    recorded: dict[tuple[str, str], int] = field(default_factory=dict, init=False)
    """The turn each seat's record was last written at by a sweep (each turn once)."""

    def tick(self, store: MatchStore) -> int:
        """Apply the pacing to up to :attr:`limit` open matches whose turn the teacher has
        closed (countdown run out, advanced) or whose class has ended, every seat of each;
        how many seats' records it wrote (a turn played, or the seat abandoned)."""
        control = self.pacing.read()
        if control.pace != "teacher" and control.ended is None:
            return 0  # the matches keep their own clocks: each seat's page applies them
        due = [
            summary
            for summary in store.summaries()
            if summary.status != "finished"
            and pair_gate(control, store, summary.code, summary.turn).state in CLOSED
        ]
        if self.next >= len(due):
            self.next = 0
        chosen = due[self.next : self.next + self.limit]
        self.next += len(chosen)
        count = 0
        for summary in chosen:
            gone = match_turns.left(store.db, summary.code)
            for seat, name in summary.seats.items():
                if name and seat not in gone:
                    count += self._apply(store, summary.code, seat, name)
        return count

    def _apply(self, store: MatchStore, code: str, seat: str, name: str) -> int:
        rounds = self.rounds_of(name)
        if rounds is None:
            return 0
        try:
            played = visit(
                store,
                rounds,
                self.loaded,
                code,
                seat,
                name,
                None,
                self.warn,
                self.pacing,
                beat=False,
            )
        except FlashpointError:
            return 0  # held by a page or game (it applies the rule itself), or unreadable
        try:
            if played.is_over:
                played.finish()
                return 0
            turn = played.number
            played.poll()  # fallbacks of an expired turn, the turn played; the end: abandoned
            if played.left:
                return 1
            if self.recorded.get((code, seat)) == played.number:
                return 0
            if played.number == turn:
                played.save()  # a turn the other seat (or another process) played
            self.recorded[(code, seat)] = played.number
            return 1
        except FlashpointError as error:
            self.warn(f"match {code}, seat {seat}: {error}")
            return 0
        finally:
            played.close()
