"""The condition language seen from the scenario: names checked, and which conditions can hold.

The validator reports what :func:`name_problems` finds and warns where :func:`can_hold` says a
condition never holds; the explorer uses :func:`can_hold` too, so both judge conditions alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from game.engine.base.problems import did_you_mean
from game.engine.scenario import expr
from game.engine.scenario.model import Scenario

Condition = Callable[[expr.Facts], bool]


class Precedence(Protocol):
    """What :func:`can_hold` asks of the scenario's paths (a ``Graph``, or an
    ``match_order.Order`` that adds what matches pass)."""

    def comes_before(self, earlier: str, later: str) -> bool: ...


def name_problems(tree: expr.Expr, scenario: Scenario) -> list[tuple[str, str]]:
    """``(message, hint)`` for each name in ``tree`` the scenario does not have."""
    found = []
    for node in expr.walk(tree):
        problem = ("", "")
        if isinstance(node, expr.Compare):
            problem = compare_problem(node, scenario)
        elif isinstance(node, expr.Call):
            problem = call_problem(node, scenario)
        if problem[0]:
            found.append(problem)
    return found


def compare_problem(node: expr.Compare, scenario: Scenario) -> tuple[str, str]:
    rungs, indicators = scenario.rung_index, scenario.indicator_by_id
    names = [s.name for s in (node.left, node.right) if isinstance(s, expr.Name)]
    with_ladder = "ladder" in names
    known = [*rungs] if with_ladder else [*indicators, "ladder"]
    for name in names:
        if name != "ladder" and name not in known:
            kind = "rung" if with_ladder else "indicator"
            return (
                f"unknown {kind} '{name}' in a condition",
                did_you_mean(name, known) or f"no {kind}s are declared",
            )
    return "", ""


def call_problem(node: expr.Call, scenario: Scenario) -> tuple[str, str]:
    if node.seat:
        return (
            f"{node.seat}.{node.function}({node.target}): only a head-to-head turn's routes "
            "name a seat",
            f"write {node.function}({node.target})",
        )
    if node.function == "fired":
        events = [e.id for e in scenario.events]
        if node.target not in events:
            return (f"fired({node.target}): unknown event", did_you_mean(node.target, events))
        return "", ""
    point_id, _, choice_id = node.target.partition(".")
    point = scenario.point_by_id.get(point_id)
    if point is None:
        return (
            f"{node.function}({point_id}): unknown decision point",
            did_you_mean(point_id, scenario.point_by_id),
        )
    if node.function == "visited":
        if choice_id:
            return (
                f"visited({node.target}) takes a point, not a choice",
                f"write visited({point_id}) or chose({node.target})",
            )
        return "", ""
    choices = [c.id for c in point.choices]
    if not choice_id:
        return f"chose({point_id}) needs a choice", f"write chose({point_id}.{choices[0]})"
    if choice_id not in choices:
        return (
            f"chose({node.target}): '{choice_id}' is not a choice of '{point_id}'",
            did_you_mean(choice_id, choices),
        )
    return "", ""


def can_hold(condition: str, at: str, scenario: Scenario, graph: Precedence) -> bool:
    """Whether ``condition`` (already known to compile) can hold when asked at ``at``.

    Comparisons are judged against the indicators' and the ladder's bounds; ``chose``,
    ``visited`` and ``fired`` only against whether their point can come before ``at``.
    """
    both = frozenset((True, False))
    events = {e.id: e.at for e in scenario.events}

    def values(node: expr.Expr) -> frozenset[bool]:
        if isinstance(node, expr.Call):
            target = node.target.partition(".")[0]
            origin = events.get(target, target) if node.function == "fired" else target
            if origin is None:  # a head-to-head move's event: only a match knows
                return both
            return both if graph.comes_before(origin, at) else frozenset((False,))
        if isinstance(node, expr.Compare):
            return compare_values(node, scenario)
        return both

    return True in possible_values(expr.parse(condition), values)


def compare_values(node: expr.Compare, scenario: Scenario) -> frozenset[bool]:
    """Which truth values a comparison can take, given each side's possible range."""

    def bounds(side: expr.Number | expr.Name) -> tuple[int, int]:
        if isinstance(side, expr.Number):
            return side.value, side.value
        if side.name == "ladder":
            return 0, len(scenario.ladder) - 1
        if side.name in scenario.rung_index:
            spot = scenario.rung_index[side.name]
            return spot, spot
        indicator = scenario.indicator_by_id[side.name]
        return indicator.min, indicator.max

    (a_low, a_high), (b_low, b_high) = bounds(node.left), bounds(node.right)
    can = {
        "<": (a_low < b_high, a_high >= b_low),
        "<=": (a_low <= b_high, a_high > b_low),
        ">": (a_high > b_low, a_low <= b_high),
        ">=": (a_high >= b_low, a_low < b_high),
        "==": (a_low <= b_high and b_low <= a_high, not (a_low == a_high == b_low == b_high)),
        "!=": (not (a_low == a_high == b_low == b_high), a_low <= b_high and b_low <= a_high),
    }[node.op]
    return frozenset(value for value, possible in zip((True, False), can, strict=True) if possible)


def possible_values(
    tree: expr.Expr, atom: Callable[[expr.Expr], frozenset[bool]]
) -> frozenset[bool]:
    """Which truth values ``tree`` can take when each atom can take ``atom(node)``."""
    if isinstance(tree, expr.Truth):
        return frozenset((tree.value,))
    if isinstance(tree, expr.Not):
        return frozenset(not v for v in possible_values(tree.operand, atom))
    if isinstance(tree, expr.Logic):
        left = possible_values(tree.left, atom)
        right = possible_values(tree.right, atom)
        if tree.op == "and":
            return frozenset(a and b for a in left for b in right)
        return frozenset(a or b for a in left for b in right)
    return atom(tree)
