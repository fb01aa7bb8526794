"""What the match store answers (:mod:`game.engine.records.matches`, which re-exports these): a
sealed move, a match as a seat needs it, a match as the live view lists it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoredMove:
    """A seat's move at a turn; ``fallback`` when the seat was silent past the deadline."""

    seat: str
    choice: str
    fallback: bool
    rationale: str = ""
    seconds: float = 0.0
    at: float = field(default=0.0, compare=False)
    """When it was written (a fallback: when the deadline was found to have passed)."""


@dataclass(frozen=True)
class MatchInfo:
    """What a seat needs to know about a match before playing it."""

    code: str
    scenario: str
    sha256: str
    deadline: float
    created: float
    seats: dict[str, str | None]
    history: frozenset[str] = frozenset()
    """The free seats the teacher gave history's moves (a lone student's match)."""


@dataclass(frozen=True)
class MatchSummary:
    """One match as the live view lists it."""

    code: str
    scenario: str
    seats: dict[str, str | None]
    turn: int
    """The turn being played (the last one played, once finished)."""
    status: str
    """'waiting', 'playing', 'paused', 'abandoned' or 'finished'."""
    gone: tuple[str, ...] = ()
    """The seats that have left or gone silent (see :meth:`MatchStore.presence`)."""
