"""What the match store answers (:mod:`game.engine.records.matches`, which re-exports these): a
sealed move, a match as a seat needs it, a match as the live view lists it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace


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
    own: dict[str, int] = field(default_factory=dict)
    """Each seat's own moves in the turns played."""
    late: dict[str, int] = field(default_factory=dict)
    """Each seat's automatic moves (no move in time) in the turns played."""
    sealed: tuple[str, ...] = ()
    """The seats whose move for the turn being played is sealed (never which move)."""
    left: tuple[str, ...] = ()
    """The seats whose student left the match (not merely silent)."""
    automatic: tuple[str, ...] = ()
    """The seats whose move in the last turn played was automatic."""


def counted(
    summary: MatchSummary,
    played: Sequence[Sequence[StoredMove]],
    sealed: Sequence[str],
    left: Iterable[str] = (),
) -> MatchSummary:
    """``summary`` with each seat's moves counted from the turns ``played`` (own, automatic)
    and the seats with a move ``sealed`` for the turn being played (not once finished), and
    the seats whose student ``left``."""
    own = dict.fromkeys(summary.seats, 0)
    late = dict.fromkeys(summary.seats, 0)
    for turn in played:
        for move in turn:
            counts = late if move.fallback else own
            counts[move.seat] = counts.get(move.seat, 0) + 1
    last = played[-1] if played else ()
    return replace(
        summary,
        own=own,
        late=late,
        sealed=() if summary.status == "finished" else tuple(sealed),
        automatic=tuple(m.seat for m in last if m.fallback),
        left=tuple(sorted(left)),
    )
