"""The head-to-head part of a scenario: two students, one seat each, moving turn by turn.

A turn names the decision point each seat faces; both moves are sealed and revealed together,
each seat's move reaching the other seat as the event its choice names in ``seen_as``; then
the turn's routes, which read both seats' moves, lead to the next turn or to an ending.
Rounds of one student ignore all of this and play as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from game.engine.base.problems import Mark
from game.engine.scenario.fields import key_marks, located, meta
from game.engine.scenario.model_base import Expression, Id, Located, Text


@dataclass(frozen=True, kw_only=True)
class Route(Located):
    """Where a turn leads once both moves are revealed, taken when its condition holds."""

    next: Id = meta("The next turn or an ending.", example="strikes")
    when: Expression | None = meta(
        "A condition on the seats' moves, each call naming its seat, as in "
        "`pakistan.chose(pk_military.targeted_strikes)`; leave it out on the last route.",
        None,
        example="iran.chose(ir_answer.counter_strike)",
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Turn(Located):
    """One turn of a head-to-head match: a decision point for each seat, faced at once."""

    id: Id = meta("Name used by routes and match records.", example="answer")
    date: dt.date = meta(
        "In-game date of the turn (YYYY-MM-DD); each seat's point has this date.",
        example="2024-01-17",
    )
    title: Text = meta("A short heading for the turn.")
    points: Mapping[Id, Id] = meta(
        "The decision point each seat faces (seat: point id); one for every seat.",
        example={"pakistan": "pk_response", "iran": "ir_defend"},
    )
    situations: Mapping[Id, Text] = meta(
        "What a seat reads instead of its point's narrative (seat: text), where that "
        "narrative takes for granted a move the other student now makes.",
        MappingProxyType({}),
    )
    fallbacks: Mapping[Id, Id] = meta(
        "The move that stands when a seat has not moved by the deadline (seat: choice id); "
        "the point's historical choice when left out. Required at points with none.",
        MappingProxyType({}),
    )
    routes: tuple[Route, ...] = meta(
        "Where the match goes next, first match wins; leave out to go on to the next turn "
        "in the list.",
        (),
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class HeadToHead(Located):
    """The scenario played by two students, one seat each (docs/head-to-head.md)."""

    summary: Text = meta("What the match covers, shown when a match is created or joined.")
    seats: tuple[Id, ...] = meta("The two roles the students take.", example=["pakistan", "iran"])
    briefings: Mapping[Id, Text] = meta(
        "What each seat reads before the first turn (seat: text), in place of the role's briefing.",
        MappingProxyType({}),
    )
    opening: tuple[Id, ...] = meta(
        "Decision points already decided, as history has them, when the match begins; each "
        "seat's turn-one point follows them.",
        (),
        example=["ir_strike"],
    )
    world_events: tuple[Id, ...] = meta(
        "Events that still fire at their points in a match: the world's moves. Every other "
        "event stands for a scripted move of the other side and gives way to the student's.",
        (),
    )
    turns: tuple[Turn, ...] = meta("The turns, the first one first.")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()

    @cached_property
    def turn_by_id(self) -> Mapping[str, Turn]:
        """Turns by id."""
        return {t.id: t for t in self.turns}

    def other(self, seat: str) -> str:
        """The seat facing ``seat``."""
        return next(s for s in self.seats if s != seat)
