"""How a round is measured against history: the divergence score and the escalation curve.

Kept apart from the debrief and the session so that class reports can score thousands of
records without loading the state machine (docs/debrief.md defines both).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from game.engine.base.stats import whole_half_up

NO_MOVE = "no move in time"
"""How every report names an automatic move (a match seat silent past the deadline, whose
fallback stood): never the student's choice, never scored, counted apart."""
NO_CLASSMATE = "history's moves (no classmate)"
"""Who a seat no classmate sits in is: history's move is played for it at each turn."""

DECISION_WEIGHT = 50
"""Points of divergence (of 100) that come from decisions; the rest come from the ending."""


class HasDistance(Protocol):
    """An ending: how far it lies from the historical outcome (0 to 10)."""

    @property
    def distance(self) -> int: ...


def divergence(matches: Sequence[bool | None], ending: HasDistance | None) -> int | None:
    """How far a round lay from history, 0 to 100.

    Half comes from decisions (the share that differ from what the government did, a decision
    at a point that never happened counting as different), half from the ending's distance
    (0 to 10). An unfinished round counts its missing ending as the furthest. Rounded half
    up, like every figure (:mod:`game.engine.base.stats`).

    ``None`` in ``matches`` is an automatic move (a match's fallback for a silent seat): not
    the student's, so left out; a round without a decision of the student's own (automatic
    moves only, or none at all: a student who joined and never decided) has no divergence
    (``None``), never the 50 its missing ending alone would give.
    """
    own = [m for m in matches if m is not None]
    if not own:
        return None
    decisions = len(own)
    differing = len(own) - sum(own)
    distance = ending.distance if ending is not None else 10
    # 50 * differing / decisions + 50 * distance / 10, as one fraction over 10 * decisions
    tenths = 10 * DECISION_WEIGHT * differing + (100 - DECISION_WEIGHT) * distance * decisions
    return whole_half_up(tenths, 10 * decisions)


def escalation_curve(steps: Iterable[tuple[str, int]]) -> list[int]:
    """The student's escalation curve from ``(kind, rung position)`` entries: the level the
    crisis stood at right after each decision, before the other side answered."""
    return [position for kind, position in steps if kind == "decision"]
