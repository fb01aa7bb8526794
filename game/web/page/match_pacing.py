"""Head-to-head on the class page under the teacher's pacing (#27): a match seat's turn N is
the class's decision N. The seat decides (:meth:`MatchSeat.gate`, :meth:`MatchSeat.poll`:
the teacher's countdown is the turn's clock, its end or "advance the slowest" seals the
fallback of a silent seat, the end of the class leaves the seat); this module only says it on
the page: the waiting page while the turn is not open, and what the live stream tells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.seats.match_seat import MatchSeat
from game.engine.seats.match_sweep import pair_gate

if TYPE_CHECKING:
    from game.engine.records.classfolder import Student
    from game.web.page.matches import MatchPage


def waiting(played: MatchSeat) -> dict[str, Any] | None:
    """The teacher's waiting page (``waiting.html``) while the turn is not open: waiting for
    the teacher to open it, the class paused, or ended; ``None`` when the seat may move."""
    gate = played.gate()
    if gate.state in ("open", "expired"):
        return None
    left = None if gate.remaining is None else max(0, int(gate.remaining + 0.999))
    return {
        "gate": gate.state,
        "remaining": left,
        "clock": "" if left is None else f"{left // 60}:{left % 60:02d}",
        "revealed": "",
    }


def look(matches: MatchPage, student: Student, number: int, turn: int) -> dict[str, Any] | None:
    """What the live stream of a page showing turn ``number`` says under the teacher's pacing
    (the match at ``turn``): the gate and the teacher's time left; ``None`` when the match
    keeps its own clock. A countdown run out, or an ended class, is applied by a visit of
    the seat (the fallback sealed; the seat left)."""
    reader = matches.page.rounds.pacing
    if reader is None:
        return None
    control = reader.read()
    if control.pace != "teacher" and control.ended is None:
        return None
    gate = pair_gate(control, matches.store, matches.where(student)[0], turn)
    if turn == number and gate.state in ("expired", "ended"):
        turn = matches.visited(student, lambda played: played.number)
    remaining = gate.remaining if turn == number and gate.state == "open" else None
    return {"turn": turn, "remaining": remaining, "gate": gate.state}
