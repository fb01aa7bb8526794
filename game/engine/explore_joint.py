"""Every path of a head-to-head match: each pair of moves at each turn, counted exactly.

A joint path is one sequence of turns with one move per seat at each. Routes read only the
seats' moves (the validator makes sure), so the count is exact: the turns are walked with every
pair of moves, and the walk from a turn is shared by all the histories that the routes cannot
tell apart (the moves no route asks about are forgotten), so a long match costs what its
distinct situations cost, not what its paths do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import product

from game.engine import expr, rules
from game.engine.loader import LoadedScenario
from game.engine.model_joint import HeadToHead, Turn


@dataclass(frozen=True)
class MatchReport:
    """What the explorer found about the scenario's head-to-head mode."""

    turns: int
    turns_reachable: int
    paths: int
    paths_by_ending: dict[str, int]
    unreachable_endings: list[str]
    shortest: int
    longest: int
    historical_turns: list[str]
    historical_ending: str | None


def asked(mode: HeadToHead) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """The (point, choice) pairs and points that some route asks about."""
    chosen: set[tuple[str, str]] = set()
    points: set[str] = set()
    for turn in mode.turns:
        for route in turn.routes:
            if route.when is None:
                continue
            for node in expr.walk(expr.parse(route.when)):
                if isinstance(node, expr.Call) and node.function == "chose":
                    point, _, choice = node.target.partition(".")
                    chosen.add((point, choice))
                elif isinstance(node, expr.Call) and node.function == "visited":
                    points.add(node.target)
    return frozenset(chosen), frozenset(points)


def explore_match(loaded: LoadedScenario) -> MatchReport | None:
    """The exact count of joint paths and endings; ``None`` without a head-to-head mode."""
    scenario = loaded.scenario
    mode = scenario.head_to_head
    if mode is None:
        return None
    wanted, points_wanted = asked(mode)
    opening = (
        frozenset((p, str(scenario.point_by_id[p].history.choice)) for p in mode.opening) & wanted
    )
    reached: set[str] = set()

    def route(turn: Turn, chosen: frozenset[tuple[str, str]], seen: frozenset[str]) -> str:
        """Where ``turn`` leads after the moves ``chosen`` and the points ``seen`` (of both
        seats at once: a route's every call names a point of its own seat)."""
        moves = rules.SeatFacts(scenario.rung_index, {}, "", set(chosen), set(seen))
        pair = rules.Pair(dict.fromkeys(mode.seats, moves))
        return rules.first_route(mode, turn, pair, loaded.conditions)

    @cache
    def walk(
        node: str, chosen: frozenset[tuple[str, str]], seen: frozenset[str]
    ) -> tuple[Counter[str], int, int]:
        turn = mode.turn_by_id.get(node)
        if turn is None:
            return Counter({node: 1}), 0, 0
        reached.add(node)
        here = frozenset(turn.points.values()) & points_wanted
        options = [
            [(point, c.id) for c in scenario.point_by_id[point].choices]
            for point in (turn.points[seat] for seat in mode.seats)
        ]
        endings: Counter[str] = Counter()
        shortest, longest = 10**9, 0
        for pair in product(*options):
            after = chosen | (frozenset(pair) & wanted)
            target = route(turn, chosen | frozenset(pair), seen | here)
            found, low, high = walk(target, after, seen | here)
            endings.update(found)
            shortest, longest = min(shortest, low + 1), max(longest, high + 1)
        return endings, shortest, longest

    started = frozenset(mode.opening) & points_wanted
    endings, shortest, longest = walk(mode.turns[0].id, opening, started)
    history, node = [], mode.turns[0].id
    chosen = {(p, str(scenario.point_by_id[p].history.choice)) for p in mode.opening}
    seen = set(mode.opening)
    while node in mode.turn_by_id:
        turn = mode.turn_by_id[node]
        history.append(node)
        chosen |= {(p, str(scenario.point_by_id[p].history.choice)) for p in turn.points.values()}
        seen |= set(turn.points.values())
        node = route(turn, frozenset(chosen), frozenset(seen))
    return MatchReport(
        turns=len(mode.turns),
        turns_reachable=len(reached),
        paths=sum(endings.values()),
        paths_by_ending=dict(endings),
        unreachable_endings=[e.id for e in scenario.endings if e.id not in endings],
        shortest=shortest,
        longest=longest,
        historical_turns=history,
        historical_ending=node if node in scenario.ending_by_id else None,
    )
