"""The rules of a round, written once: every user of a rule calls it from here.

- :class:`SeatFacts` is what a seat's conditions read (indicators, the rung, the choices made,
  the points visited, the events fired); :class:`Pair` is what a match's routes read (both
  seats' facts, each call naming its seat).
- :func:`apply` moves indicators by effects within their bounds (:func:`moved`) and sets the
  rung; :func:`take` is a choice's share of that, :func:`fire` an event's.
- :func:`arrive` fires the events at a point or ending whose conditions hold, in file order.
- :func:`first_branch` is the branch a choice takes; :func:`first_route` the turn or ending a
  match goes to.

The runtime (:mod:`game.engine.play.session`, :mod:`game.engine.play.match`, and the conditions of
the ``transitions`` machines in :mod:`game.engine.play.machine`), the validator's walks
(:mod:`game.engine.checks.validate_history`, :mod:`game.engine.checks.validate_match`) and the
explorers (:mod:`game.engine.checks.explore`, :mod:`game.engine.checks.explore_match`) call these
functions; none of them writes a rule out again. Pure: no ``transitions``, no files, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from game.engine.play.scoring import escalation_curve
from game.engine.scenario import expr
from game.engine.scenario.conditions import Condition
from game.engine.scenario.model import Branch, Choice, DecisionPoint, Event, Scenario
from game.engine.scenario.model_match import HeadToHead, Turn

Conditions = Mapping[str, Condition]
"""The scenario's compiled conditions, by their text."""


@dataclass
class SeatFacts:
    """What the conditions of one seat read: a round of one student, or one seat of a match."""

    rungs: Mapping[str, int]
    """Each rung's position on the ladder (the scenario's ``rung_index``)."""
    indicators: dict[str, int]
    rung: str
    chosen: set[tuple[str, str]] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    happened: set[str] = field(default_factory=set)

    @classmethod
    def at_start(cls, scenario: Scenario) -> SeatFacts:
        """A seat before its first point: every indicator at its start, the lowest rung."""
        return cls(
            scenario.rung_index, {i.id: i.start for i in scenario.indicators}, scenario.ladder[0].id
        )

    def indicator(self, name: str) -> int:
        """An indicator's current value."""
        return self.indicators[name]

    def ladder(self) -> int:
        """The current rung's position."""
        return self.rungs[self.rung]

    def chose(self, point: str, choice: str) -> bool:
        """Whether the seat took ``choice`` at ``point``."""
        return (point, choice) in self.chosen

    def visited(self, point: str) -> bool:
        """Whether the seat has been at ``point``."""
        return point in self.seen

    def fired(self, event: str) -> bool:
        """Whether ``event`` has fired (or been shown) for the seat."""
        return event in self.happened

    def so_far(self) -> dict[str, tuple[str, ...]]:
        """What conditions can ask of the seat: points visited, choices made (as
        ``point.choice``) and events fired, each sorted (for an author's variables view)."""
        return {
            "visited": tuple(sorted(self.seen)),
            "chosen": tuple(f"{p}.{c}" for p, c in sorted(self.chosen)),
            "fired": tuple(sorted(self.happened)),
        }


class Pair:
    """Both seats' facts, as the conditions of a match's routes read them: each call names its
    seat (``iran.chose(...)``); routes never read indicators or the ladder (the validator
    makes sure), and a call without a seat asks about either."""

    def __init__(self, seats: Mapping[str, SeatFacts]) -> None:
        self.seats = seats

    def seat(self, name: str) -> SeatFacts:
        return self.seats[name]

    def indicator(self, name: str) -> int:
        return 0

    def ladder(self) -> int:
        return 0

    def chose(self, point: str, choice: str) -> bool:
        return any(s.chose(point, choice) for s in self.seats.values())

    def visited(self, point: str) -> bool:
        return any(s.visited(point) for s in self.seats.values())

    def fired(self, event: str) -> bool:
        return any(s.fired(event) for s in self.seats.values())


def holds(when: str | None, facts: expr.Facts, conditions: Conditions) -> bool:
    """Whether a condition holds for ``facts``; no condition always holds."""
    return when is None or conditions[when](facts)


# --- effects --------------------------------------------------------------------------


def moved(scenario: Scenario, values: dict[str, int], effects: Mapping[str, int]) -> None:
    """Move each indicator ``effects`` names in ``values`` (in place) by its change, held
    within its bounds."""
    bounds = scenario.indicator_by_id
    for name, change in effects.items():
        values[name] = bounds[name].moved(values[name], change)


def apply(
    scenario: Scenario, facts: SeatFacts, effects: Mapping[str, int], rung: str | None
) -> None:
    """Apply ``effects`` within bounds; a rung given becomes the crisis's rung."""
    moved(scenario, facts.indicators, effects)
    if rung is not None:
        facts.rung = rung


def take(scenario: Scenario, facts: SeatFacts, point: DecisionPoint, choice: Choice) -> None:
    """The seat takes ``choice`` at ``point``: its effects and rung apply, and it is chosen."""
    apply(scenario, facts, choice.effects, choice.rung)
    facts.chosen.add((point.id, choice.id))


def fire(scenario: Scenario, facts: SeatFacts, event: Event) -> None:
    """``event`` fires for the seat (or is shown to it): its effects and rung apply."""
    apply(scenario, facts, event.effects, event.rung)
    facts.happened.add(event.id)


# --- arriving -------------------------------------------------------------------------


def arrive(
    scenario: Scenario,
    conditions: Conditions,
    facts: SeatFacts,
    node: str,
    only: Collection[str] | None = None,
    fired: Callable[[Event], None] | None = None,
) -> tuple[Event, ...]:
    """The seat arrives at ``node``: it is visited, and each event there whose condition holds
    (of ``only``, if given: a match's world events) fires in file order, each seeing the
    effects of those before it. ``fired`` is told of each event right after it fires."""
    facts.seen.add(node)
    happened: list[Event] = []
    for event in scenario.events_at.get(node, ()):
        if only is not None and event.id not in only:
            continue
        if holds(event.when, facts, conditions):
            fire(scenario, facts, event)
            happened.append(event)
            if fired is not None:
                fired(event)
    return tuple(happened)


# --- where a choice or a turn leads ---------------------------------------------------


def first_branch(choice: Choice, facts: expr.Facts, conditions: Conditions) -> Branch | None:
    """The first of ``choice``'s branches whose condition holds (``None`` if none does, or
    if the choice has a fixed ``next``)."""
    return next((b for b in choice.branches if holds(b.when, facts, conditions)), None)


def destination(choice: Choice, facts: expr.Facts, conditions: Conditions) -> str | None:
    """Where ``choice`` leads now: its ``next``, else its first branch that holds."""
    if choice.next is not None:
        return choice.next
    branch = first_branch(choice, facts, conditions)
    return branch.next if branch is not None else None


def first_route(mode: HeadToHead, turn: Turn, pair: expr.Facts, conditions: Conditions) -> str:
    """Where the match goes after ``turn``: the first route whose condition holds; a turn
    without routes goes on to the next turn in the list (the validator makes sure that the
    last turn has routes and that a turn's last route holds always)."""
    for route in turn.routes:
        if holds(route.when, pair, conditions):
            return route.next
    following = mode.turns.index(turn) + 1
    if turn.routes or following >= len(mode.turns):
        raise ValueError(f"turn '{turn.id}' leads nowhere; validate the scenario")
    return mode.turns[following].id


def route_targets(mode: HeadToHead, turn: Turn) -> list[str]:
    """Where ``turn`` can lead: its routes' targets in order, or the next turn in the list."""
    if turn.routes:
        return [r.next for r in turn.routes]
    following = mode.turns.index(turn) + 1
    return [mode.turns[following].id] if following < len(mode.turns) else []


# --- the escalation curve -------------------------------------------------------------


class Logged(Protocol):
    """An entry of a seat's log (a decision or a fired event), as the curve reads it."""

    @property
    def kind(self) -> str: ...
    @property
    def rung(self) -> str: ...


def escalation(rungs: Mapping[str, int], entries: Iterable[Logged]) -> list[int]:
    """A seat's escalation curve: the ladder position right after each decision."""
    return escalation_curve((entry.kind, rungs[entry.rung]) for entry in entries)
