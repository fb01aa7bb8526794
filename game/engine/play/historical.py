"""The historical round: a role played as its government really chose.

The debrief, the explorer, the class report and the diagrams set a student's round beside it.
"""

from __future__ import annotations

from game.engine.play.session import Session
from game.engine.scenario.loaded import LoadedScenario


def historical_round(loaded: LoadedScenario, role: str) -> Session:
    """The round that takes the historical choice wherever one exists (else the first)."""
    session = Session.start(loaded, role, clock=lambda: 0.0)
    while session.point is not None:
        point = session.point
        session.choose(point.history.choice or point.choices[0].id)
    return session
