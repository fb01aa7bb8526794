"""The move made for a student whose time ran out (a teacher-paced countdown at zero, the
teacher advancing the slowest): labelled everywhere as made for them, never as their choice.

While history is held back from the student (the teacher reveals it to the room, or the round
shows it only in the debrief), the move must give nothing away: if it were history's choice, a
student who knows the rule would learn from their outcome what the government really did
before the reveal. So it is then chosen without looking at history: the scenario author's
``fallback:`` for the decision point, else the first choice offered. Where history is shown
after each decision anyway, the author's ``fallback:`` still comes first, else history's choice
(as the game always did), else the first choice offered.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.engine.scenario.model import DecisionPoint


def fallback_choice(point: DecisionPoint, offered: Sequence[str], history_shown: bool) -> str:
    """The id of the choice played for a silent student at ``point``, among ``offered`` (not
    empty); history's choice is read only if ``history_shown``."""
    if not offered:
        raise ValueError(f"no choice is offered at '{point.id}'")
    if point.fallback is not None and point.fallback in offered:
        return point.fallback
    if history_shown and point.history.choice in offered:
        return str(point.history.choice)
    return offered[0]
