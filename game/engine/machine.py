"""The ``transitions`` state machine of one role's rounds.

States are the decision points and endings a role can reach (endings are ``final``); each
choice is a trigger; branch conditions are closures compiled by the validator. Nothing from the
scenario file is ever handed to ``transitions`` as a callback name: trigger names are generated
(``choice_0``, ``choice_1``...), and the model is a bare object, so no scenario id can collide
with an attribute ``transitions`` adds or uses (``state``, ``trigger``, ``to_*``, ``may_*``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from transitions import Machine, State

from game.engine import expr
from game.engine.loader import LoadedScenario


class Cursor:
    """The machine's model: it holds the current state and nothing else."""

    state: str


@dataclass
class RoleMachine:
    """A role's state machine and the trigger of each (point, choice)."""

    machine: Machine
    cursor: Cursor
    triggers: dict[tuple[str, str], str] = field(default_factory=dict)

    def fire(self, point: str, choice: str) -> str:
        """Take ``choice`` at ``point``; the state the round moves to."""
        self.cursor.trigger(self.triggers[(point, choice)])  # type: ignore[attr-defined]
        return self.cursor.state


def build(loaded: LoadedScenario, role: str, facts: expr.Facts) -> RoleMachine:
    """The machine for ``role``'s rounds, its conditions reading ``facts``."""
    scenario = loaded.scenario
    start = scenario.role_by_id[role].start
    reachable = loaded.graph.reachable(start)
    states = [State(node, final=node in scenario.ending_by_id) for node in reachable]
    cursor = Cursor()
    machine = Machine(
        model=cursor,
        states=states,
        initial=start,
        auto_transitions=False,
        ignore_invalid_triggers=False,
        send_event=False,
        model_attribute="state",
    )
    role_machine = RoleMachine(machine, cursor)
    for node in reachable:
        point = scenario.point_by_id.get(node)
        if point is None:
            continue
        for choice in point.choices:
            trigger = f"choice_{len(role_machine.triggers)}"
            role_machine.triggers[(point.id, choice.id)] = trigger
            if choice.next is not None:
                machine.add_transition(trigger, point.id, choice.next)
                continue
            for branch in choice.branches:
                conditions = (
                    [] if branch.when is None else [_bind(loaded.conditions[branch.when], facts)]
                )
                machine.add_transition(trigger, point.id, branch.next, conditions=conditions)
    return role_machine


def _bind(condition: Callable[[expr.Facts], bool], facts: expr.Facts) -> Callable[..., bool]:
    def holds(*_args: object, **_kwargs: object) -> bool:
        return condition(facts)

    return holds
