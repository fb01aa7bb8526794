"""The validator's walks: a round, or a match's turns, advanced by hand on the validator's own
compiled conditions, before any state machine exists, so that ``flashpoint validate`` can say
where and why a path goes astray.

Every rule is the rules core's (:mod:`game.engine.play.rules`): the same functions the runtime's
rounds and matches and the explorers call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from game.engine.play import rules
from game.engine.scenario.model import Choice, DecisionPoint, Event, Located, Scenario
from game.engine.scenario.model_match import HeadToHead, Turn


@dataclass(frozen=True)
class Walked:
    """One decision of a walked round and what followed it."""

    point: DecisionPoint
    choice: Choice
    after: str
    """Where it led ("" if no branch held)."""
    taken: Located
    """What sent it there: the choice, or the branch whose condition held."""
    events: tuple[Event, ...]
    """The events that fired on arrival."""
    facts: rules.SeatFacts
    """The round's facts on arrival (shared: read them before walking on)."""


def walk_round(
    scenario: Scenario,
    conditions: rules.Conditions,
    start: str,
    pick: Callable[[DecisionPoint], Choice | None],
    facts: rules.SeatFacts | None = None,
) -> Iterator[Walked]:
    """Walk a round from ``start`` (with ``facts``, else every indicator at its start), taking
    ``pick``'s choice at each point until it gives none, no branch holds, or an ending is
    reached."""
    facts = facts or rules.SeatFacts.at_start(scenario)
    rules.arrive(scenario, conditions, facts, start)
    node = start
    while node in scenario.point_by_id:
        point = scenario.point_by_id[node]
        choice = pick(point)
        if choice is None:
            return
        rules.take(scenario, facts, point, choice)
        branch = rules.first_branch(choice, facts, conditions)
        after = rules.destination(choice, facts, conditions) or ""
        events = rules.arrive(scenario, conditions, facts, after) if after else ()
        yield Walked(point, choice, after, branch or choice, events, facts)
        node = after


def values(scenario: Scenario, facts: rules.SeatFacts) -> str:
    """The indicators' values, named, for a message."""
    names = {i.id: i.name for i in scenario.indicators}
    return ", ".join(f"{names[k]} {v}" for k, v in facts.indicators.items())


def history_move(turn: Turn, point: DecisionPoint) -> str | None:
    """History's move at ``point`` (``None`` where the point has no historical choice)."""
    return point.history.choice


@dataclass(frozen=True)
class Stopped:
    """Where a walked match stopped for want of a move: the turn, the seat and its point."""

    turn: Turn
    seat: str
    point: DecisionPoint


def walk_match(
    scenario: Scenario,
    conditions: rules.Conditions,
    mode: HeadToHead,
    pick: Callable[[Turn, DecisionPoint], str | None],
) -> tuple[list[Turn], str, Stopped | None]:
    """Walk a match's turns from the opening (history's moves), each seat taking ``pick``'s
    choice at its point; the turns played, the node reached (a turn or an ending), and where
    it stopped if ``pick`` gave no move. Routes read only the seats' moves and visits, so
    only those are kept."""
    seats = {seat: rules.SeatFacts.at_start(scenario) for seat in mode.seats}
    pair = rules.Pair(seats)
    for point_id in mode.opening:
        point = scenario.point_by_id[point_id]
        seats[point.role].seen.add(point.id)
        seats[point.role].chosen.add((point.id, str(point.history.choice)))
    played: list[Turn] = []
    node = mode.turns[0].id
    while node in mode.turn_by_id:
        turn = mode.turn_by_id[node]
        for seat, point_id in turn.points.items():
            point = scenario.point_by_id[point_id]
            choice = pick(turn, point)
            if choice is None:
                return played, node, Stopped(turn, seat, point)
            seats[seat].seen.add(point.id)
            seats[seat].chosen.add((point.id, choice))
        played.append(turn)
        node = rules.first_route(mode, turn, pair, conditions)
    return played, node, None
