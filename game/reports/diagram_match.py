"""The head-to-head part of the decision graph: the turns, each seat's point at each, the
routes with their conditions, the points only a match faces and the historical pairing.

The diagram writers (:mod:`game.reports.diagram`) draw these nodes and edges in their own
language, with the same escaping and generated node names as the rounds' graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.base.text import day_mon
from game.engine.play.match import historical_match
from game.engine.play.match_order import MatchOrder
from game.engine.play.rules import route_targets
from game.engine.scenario.loaded import LoadedScenario

OPENING = "#opening"
"""The key of the node that stands for the points decided before the match."""


@dataclass(frozen=True)
class Box:
    """A node of the match: the opening or a turn, each line one label line."""

    key: str
    lines: tuple[str, ...]
    historical: bool
    """Both seats taking history's choices pass it."""


@dataclass(frozen=True)
class Route:
    """An edge of the match: from the opening or a turn to a turn or an ending."""

    source: str
    target: str
    label: str
    historical: bool
    conditional: bool


def turn_key(turn_id: str) -> str:
    """A turn's node key (never an id of the scenario: ids cannot hold '#')."""
    return f"#turn:{turn_id}"


def match_parts(loaded: LoadedScenario) -> tuple[list[Box], list[Route]]:
    """The match's nodes and edges; none without a head-to-head mode. An edge's target is a
    turn's key or an ending's id."""
    scenario = loaded.scenario
    mode = scenario.head_to_head
    if mode is None or not mode.turns:
        return [], []
    alone = {n for r in scenario.roles for n in loaded.graph.reachable(r.start)}
    history = historical_match(loaded)
    path = [played.turn.id for played in history.played]
    taken = {(a, b) for a, b in zip(path, [*path[1:], history.node], strict=True)}
    chosen = {(p.turn.id, seat): m.choice for p in history.played for seat, m in p.moves.items()}
    boxes: list[Box] = []
    routes: list[Route] = []
    if mode.opening:
        lines = ["Before the match (as history has it)"]
        for point_id in mode.opening:
            point = scenario.point_by_id[point_id]
            choice = next(c for c in point.choices if c.id == point.history.choice)
            role = scenario.role_by_id[point.role].name
            lines.append(f"{role}: {point.title} — {choice.label}")
        boxes.append(Box(OPENING, tuple(lines), True))
        routes.append(Route(OPENING, turn_key(mode.turns[0].id), "", True, False))
    reached = set(MatchOrder(scenario).turns_reached)
    for number, turn in enumerate(mode.turns, start=1):
        lines = [f"Turn {number} · {day_mon(turn.date)} · {turn.title}"]
        for seat in mode.seats:
            faced = scenario.point_by_id.get(turn.points.get(seat, ""))
            if faced is None:
                continue
            point = faced
            only = " (only in a match)" if point.id not in alone else ""
            invented = " (not historical)" if point.counterfactual else ""
            lines.append(f"{scenario.role_by_id[seat].name}: {point.title}{invented}{only}")
            move = chosen.get((turn.id, seat))
            label = next((c.label for c in point.choices if c.id == move), "")
            if label:
                kind = "history" if point.history.choice == move else "fallback"
                lines.append(f"  {kind}: {label}")
        if turn.id not in reached:
            lines.append("(no match reaches this turn)")
        boxes.append(Box(turn_key(turn.id), tuple(lines), turn.id in path))
        targets = route_targets(mode, turn)
        for position, target in enumerate(targets):
            when = turn.routes[position].when if turn.routes else None
            last = position == len(targets) - 1
            label = f"if {when}" if when else ("otherwise" if len(targets) > 1 or last else "")
            if not turn.routes:
                label = "next turn"
            key = turn_key(target) if target in mode.turn_by_id else target
            if target in mode.turn_by_id or target in scenario.ending_by_id:
                historical = (turn.id, target) in taken
                routes.append(Route(turn_key(turn.id), key, label, historical, bool(when)))
    return boxes, routes
