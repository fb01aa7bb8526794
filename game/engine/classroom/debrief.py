"""The debrief of a round: each decision beside what actually happened, and how far it strayed.

Front ends and report writers render a :class:`Debrief`; none of them computes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from game.engine.play.historical import historical_round
from game.engine.play.playing import Playing
from game.engine.play.roundfile import RoundError
from game.engine.play.scoring import divergence
from game.engine.play.session import Decision, Fired
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Choice, Contested, DecisionPoint, Ending, Event, Role
from game.engine.scenario.model_match import Turn
from game.engine.scenario.variants import Wording, plain


@dataclass(frozen=True)
class Review:
    """One decision of the round beside the historical record."""

    number: int
    point: DecisionPoint
    chosen: Choice
    historical: Choice | None
    """The choice that matches what happened; ``None`` at a counterfactual point."""
    decision: Decision
    reactions: tuple[Event, ...]
    """The other side's and the world's moves that followed."""
    fallback: bool = False
    """In a match: the seat did not move in time, and the scenario's fallback stood."""

    @property
    def matches(self) -> bool:
        """Whether the student did what the government actually did (never for an automatic
        move, which was not the student's)."""
        return (
            not self.fallback
            and self.historical is not None
            and self.historical.id == self.chosen.id
        )

    @property
    def scored(self) -> bool | None:
        """What the divergence score counts: whether the decision matched history, ``None``
        for an automatic move (left out)."""
        return None if self.fallback else self.matches


@dataclass(frozen=True)
class MatchMove:
    """One seat's move at one turn of a match, beside what its government did."""

    seat: Role
    player: str
    point: DecisionPoint
    chosen: Choice
    historical: Choice | None
    fallback: bool
    """The seat was silent past the deadline and the scenario's fallback move stood."""

    @property
    def matches(self) -> bool:
        """Whether the seat's own move was what its government did (a fallback never is)."""
        return (
            not self.fallback
            and self.historical is not None
            and self.historical.id == self.chosen.id
        )


@dataclass(frozen=True)
class MatchTurn:
    """One turn of a match: its date and title, and each seat's move."""

    turn: Turn
    moves: tuple[MatchMove, ...]


@dataclass(frozen=True)
class Debrief:
    """A round compared with history, ready to render."""

    loaded: LoadedScenario
    role: Role
    player: str
    reviews: tuple[Review, ...]
    ending: Ending | None
    curve: tuple[int, ...]
    """The student's escalation curve: the ladder position after each decision."""
    historical_curve: tuple[int, ...]
    """The same for the historical choices."""
    divergence: int | None
    """0 (the historical path) to 100; defined in docs/debrief.md. ``None`` when every
    decision was an automatic move (a silent match seat's fallback)."""
    words: Wording = plain
    """Each item's wording in this round (text variants, read on the round's final facts)."""
    historical_points: tuple[DecisionPoint, ...] = ()
    """The points of the historical round, in order (for the curve's dates)."""
    match: tuple[MatchTurn, ...] = ()
    """In a head-to-head match: every turn, with both seats' moves beside history."""
    opening: tuple[Event, ...] = ()
    """The moves shown with the first situation, before the student's first decision (the
    round's opening moves)."""

    @property
    def matched(self) -> int:
        """How many of the student's own decisions matched history."""
        return sum(r.matches for r in self.reviews)

    @property
    def decided(self) -> int:
        """The student's own decisions (automatic moves left out)."""
        return sum(not r.fallback for r in self.reviews)

    @property
    def late(self) -> int:
        """Automatic moves: decisions where the seat did not move in time."""
        return sum(r.fallback for r in self.reviews)

    @property
    def contested(self) -> tuple[Contested, ...]:
        """The contested facts met along the round, in order, each once."""
        seen: dict[str, Contested] = {}
        for event in self.opening:  # shown with the first situation
            for ident in event.contested:
                seen.setdefault(ident, self.loaded.scenario.contested_by_id[ident])
        for review in self.reviews:
            for ident in review.point.contested:
                seen.setdefault(ident, self.loaded.scenario.contested_by_id[ident])
        return tuple(seen.values())


class Reviewed(Playing, Protocol):
    """What a debrief reads of a round: one student's, or one seat of a match."""

    @property
    def player(self) -> str: ...
    @property
    def ending(self) -> Ending | None: ...
    @property
    def decisions(self) -> list[Decision]: ...
    def escalation(self) -> list[int]: ...


def debrief(
    session: Reviewed,
    history: Reviewed | None = None,
    match: tuple[MatchTurn, ...] = (),
    skip: frozenset[str] = frozenset(),
) -> Debrief:
    """The debrief of ``session`` (finished or not), beside ``history`` (by default the
    round that takes every historical choice); ``match``: a match's turns, both seats;
    ``skip``: points decided before the student took the seat (a match's opening)."""
    loaded = session.loaded
    scenario = loaded.scenario
    events = {e.id: e for e in scenario.events}
    reviews: list[Review] = []
    opening: list[Event] = []
    for entry in session.entries:
        if isinstance(entry, Fired):
            if not reviews:
                opening.append(events[entry.event])
            else:
                last = reviews[-1]
                reviews[-1] = Review(
                    last.number,
                    last.point,
                    last.chosen,
                    last.historical,
                    last.decision,
                    (*last.reactions, events[entry.event]),
                    last.fallback,
                )
            continue
        if entry.point in skip:
            continue
        point = scenario.point_by_id.get(entry.point)
        if point is None:
            raise RoundError(f"decision point '{entry.point}' is not in the scenario")
        by_id = {c.id: c for c in point.choices}
        reviews.append(
            Review(
                len(reviews) + 1,
                point,
                by_id[entry.choice],
                by_id.get(point.history.choice or ""),
                entry,
                (),
                entry.automatic,  # a teacher-paced countdown ran out: never the student's
            )
        )
    history = history or historical_round(loaded, session.role)
    frozen = tuple(reviews)
    return Debrief(
        loaded=loaded,
        role=scenario.role_by_id[session.role],
        player=session.player,
        reviews=frozen,
        ending=session.ending,
        curve=_kept(session, skip),
        historical_curve=_kept(history, skip),
        historical_points=tuple(
            scenario.point_by_id[d.point] for d in history.decisions if d.point not in skip
        ),
        divergence=divergence([r.scored for r in frozen], session.ending),
        words=session.words,
        match=match,
        opening=tuple(opening),
    )


def _kept(played: Reviewed, skip: frozenset[str]) -> tuple[int, ...]:
    """The escalation curve of ``played`` without the decisions at ``skip``."""
    pairs = zip(played.decisions, played.escalation(), strict=True)
    return tuple(rung for decision, rung in pairs if decision.point not in skip)
