"""The ``transitions`` state machine of one role's rounds.

One :class:`transitions.Machine` is built per (scenario, role) and kept with the loaded
scenario; every round is attached to it as a model (a :class:`Cursor`) and detached when it
ends. States are the decision points and endings the role can reach (endings are ``final``,
and a round is over exactly when its cursor is in a final state); each choice is a trigger;
branch conditions are closures compiled by the validator, reading the facts of the round
that fires them (``send_event=True`` hands them the event, whose ``model`` is the cursor).
Which branch a choice takes, and which route a turn takes, is the rules core's to say
(:func:`game.engine.play.rules.first_branch`, :func:`game.engine.play.rules.first_route`): the
condition of each transition asks it, so ``transitions`` moves the round and the rules choose where.

Nothing from the scenario file is ever handed to ``transitions`` as a callback name: trigger
names are generated (``choice_0``, ``choice_1``...), and the model is a bare cursor to which
``transitions`` binds only ``trigger`` (``model_override``), so no scenario id can collide
with an attribute ``transitions`` adds or uses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from transitions import EventData, Machine, State

from game.engine.play import rules
from game.engine.scenario import expr

if TYPE_CHECKING:
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Branch, Choice
    from game.engine.scenario.model_match import Turn

logging.getLogger("transitions.core").setLevel(logging.ERROR)
"""With ``model_override``, ``transitions`` logs a warning for every trigger and state it does
not bind to a cursor: the intended behaviour here, thousands of times per round."""


class Cursor:
    """A round as the machine sees it: its state, and the facts its conditions read."""

    state: str

    def __init__(self, facts: expr.Facts) -> None:
        self.facts = facts

    def trigger(self, name: str) -> bool:
        """Fire the trigger ``name``: ``transitions`` replaces this method with its own when the
        cursor is attached (``model_override``: it binds only the methods a model defines,
        not one per trigger and state, which would make attaching a round cost as much as
        the scenario is large)."""
        raise RuntimeError("the round is not attached to its state machine")

    def fire(self, trigger: str) -> bool:
        """Fire ``trigger``; whether the round moved."""
        return bool(self.trigger(trigger))


@dataclass
class RoleMachine:
    """A role's state machine, shared by all its rounds, and the trigger of each choice."""

    machine: Machine
    start: str
    finals: frozenset[str]
    triggers: dict[tuple[str, str], str] = field(default_factory=dict)
    """The generated trigger name of each (point, choice)."""
    by_point: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """(trigger, choice id) of each point's choices, in the point's order."""

    def attach(self, facts: expr.Facts, at: str | None = None) -> Cursor:
        """A new round at the role's start (or at ``at``), reading ``facts`` in its
        conditions."""
        cursor = Cursor(facts)
        self.machine.add_model(cursor, initial=at or self.start)
        return cursor

    def detach(self, cursor: Cursor) -> None:
        """Stop tracking a round (once it has ended); its cursor keeps its last state."""
        if cursor in self.machine.models:
            self.machine.remove_model(cursor)

    def is_final(self, cursor: Cursor) -> bool:
        """Whether the round has reached one of the role's endings."""
        return cursor.state in self.finals

    def offered(self, cursor: Cursor) -> tuple[str, ...]:
        """The ids of the choices the machine accepts in the round's current state."""
        return tuple(
            choice
            for trigger, choice in self.by_point.get(cursor.state, ())
            if self.may(cursor, trigger)
        )

    def may(self, cursor: Cursor, trigger: str) -> bool:
        """Whether ``trigger`` would move the round from its state, its conditions checked
        the way ``transitions`` checks them when it fires.

        ``Machine.may_trigger`` would answer the same, but it first lists every trigger of
        the machine, so a round of a large scenario cost time in the square of its size.
        """
        event = self.machine.events[trigger]
        data = EventData(self.machine.get_state(cursor.state), event, self.machine, cursor, (), {})
        for transition in event.transitions.get(cursor.state, ()):
            data.transition = transition
            if all(condition.check(data) for condition in transition.conditions):
                return True
        return False

    def fire(self, cursor: Cursor, point: str, choice: str) -> str:
        """Take ``choice`` at ``point``; the state the round moves to."""
        cursor.fire(self.triggers[(point, choice)])
        return cursor.state


def for_role(loaded: LoadedScenario, role: str) -> RoleMachine:
    """The machine of ``role``'s rounds, built once per loaded scenario and role."""
    cached = loaded.machines.get(role)
    if not isinstance(cached, RoleMachine):
        cached = loaded.machines[role] = _build(loaded, role)
    return cached


def _build(loaded: LoadedScenario, role: str) -> RoleMachine:
    scenario = loaded.scenario
    start = scenario.role_by_id[role].start
    reachable = loaded.graph.reachable(start)
    finals = frozenset(node for node in reachable if node in scenario.ending_by_id)
    machine = _machine([State(node, final=node in finals) for node in reachable], start)
    role_machine = RoleMachine(machine, start, finals)
    for node in reachable:
        point = scenario.point_by_id.get(node)
        if point is None:
            continue
        for choice in point.choices:
            trigger = f"choice_{len(role_machine.triggers)}"
            role_machine.triggers[(point.id, choice.id)] = trigger
            role_machine.by_point.setdefault(point.id, []).append((trigger, choice.id))
            if choice.next is not None:
                machine.add_transition(trigger, point.id, choice.next)
                continue
            for branch in choice.branches:
                taken = _branch_taken(loaded, choice, branch)
                machine.add_transition(trigger, point.id, branch.next, conditions=[taken])
    return role_machine


def _machine(states: list[State], initial: str) -> Machine:
    """A machine of the project's settings: no generated triggers or callbacks (see above)."""
    return Machine(
        model=None,
        states=states,
        initial=initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
        send_event=True,
        model_attribute="state",
        model_override=True,
    )


def _branch_taken(
    loaded: LoadedScenario, choice: Choice, branch: Branch
) -> Callable[[EventData], bool]:
    """The condition of ``branch``'s transition: the rules core takes it for the firing round."""
    conditions = loaded.conditions

    def taken(event: EventData) -> bool:
        return rules.first_branch(choice, _facts(event), conditions) is branch

    return taken


def _route_taken(loaded: LoadedScenario, turn: Turn, target: str) -> Callable[[EventData], bool]:
    """The condition of the transition from ``turn`` to ``target``: the rules core routes the
    firing match there."""
    conditions, mode = loaded.conditions, loaded.scenario.head_to_head
    assert mode is not None

    def taken(event: EventData) -> bool:
        return rules.first_route(mode, turn, _facts(event), conditions) == target

    return taken


def _facts(event: EventData) -> expr.Facts:
    return cast(Cursor, event.model).facts


def for_match(loaded: LoadedScenario) -> RoleMachine:
    """The machine of the scenario's head-to-head matches: states are the turns and the
    endings; each turn has one trigger whose transitions are its routes, first match wins."""
    cached = loaded.machines.get(MATCH)
    if not isinstance(cached, RoleMachine):
        cached = loaded.machines[MATCH] = _build_match(loaded)
    return cached


MATCH = "#head_to_head"
"""The key of the match machine among a loaded scenario's machines (never a role id)."""


def _build_match(loaded: LoadedScenario) -> RoleMachine:
    scenario = loaded.scenario
    mode = scenario.head_to_head
    assert mode is not None
    endings = frozenset(scenario.ending_by_id)
    start = mode.turns[0].id
    states = [State(t.id) for t in mode.turns] + [State(e, final=True) for e in endings]
    machine = _machine(states, start)
    turns = RoleMachine(machine, start, endings)
    for position, turn in enumerate(mode.turns):
        trigger = f"turn_{position}"
        turns.triggers[(turn.id, "reveal")] = trigger
        for target in dict.fromkeys(rules.route_targets(mode, turn)):
            taken = _route_taken(loaded, turn, target)
            machine.add_transition(trigger, turn.id, target, conditions=[taken])
    return turns
