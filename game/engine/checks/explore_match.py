"""Every path of a head-to-head match: each pair of moves at each turn, counted exactly.

A joint path is one sequence of turns with one move per seat at each. Routes read only the
seats' moves (the validator makes sure), so the count is exact: the turns are walked with every
pair of moves, and the walk from a turn is shared by all the histories that the routes cannot
tell apart (the moves no route asks about are forgotten), so a long match costs what its
distinct situations cost, not what its paths do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import product

from game.engine.checks.walk import history_move, walk_match
from game.engine.play import rules
from game.engine.scenario import expr
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model_match import HeadToHead, Turn


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


Moves = frozenset[tuple[str, str]]
"""(point, choice) pairs: moves made."""
Points = frozenset[str]
"""Points passed."""


class _Paths:
    """The joint paths of a match, as the explorer follows them: at each turn, every pair of
    moves is routed by the rules core; then only what some route asks about is kept."""

    def __init__(self, loaded: LoadedScenario, mode: HeadToHead) -> None:
        self.loaded, self.mode, self.scenario = loaded, mode, loaded.scenario
        self.wanted, self.points_wanted = asked(mode)
        history = {(p, str(self.scenario.point_by_id[p].history.choice)) for p in mode.opening}
        self.opening = frozenset(history) & self.wanted
        self.started = frozenset(mode.opening) & self.points_wanted

    def step(
        self, turn: Turn, chosen: Moves, seen: Points, pair: Moves
    ) -> tuple[str, Moves, Points]:
        """Where ``turn`` leads after the moves ``pair``, and what is kept for later turns."""
        here = seen | (frozenset(turn.points.values()) & self.points_wanted)
        moves = rules.SeatFacts(self.scenario.rung_index, {}, "", set(chosen | pair), set(here))
        facts = rules.Pair(dict.fromkeys(self.mode.seats, moves))
        target = rules.first_route(self.mode, turn, facts, self.loaded.conditions)
        return target, chosen | (pair & self.wanted), here

    def options(self, turn: Turn) -> Iterator[Moves]:
        """Every pair of moves at ``turn``."""
        points = [self.scenario.point_by_id[turn.points[seat]] for seat in self.mode.seats]
        for pair in product(*([(p.id, c.id) for c in p.choices] for p in points)):
            yield frozenset(pair)


def follow(loaded: LoadedScenario, moves: Sequence[Mapping[str, str]]) -> list[str]:
    """The turns and ending one joint path passes (``moves``: each turn's choice per seat),
    followed the way :func:`explore_match` counts it."""
    mode = loaded.scenario.head_to_head
    assert mode is not None
    paths = _Paths(loaded, mode)
    node, chosen, seen = mode.turns[0].id, paths.opening, paths.started
    passed = [node]
    for played in moves:
        turn = mode.turn_by_id.get(node)
        if turn is None:
            break
        pair = frozenset((turn.points[seat], choice) for seat, choice in played.items())
        node, chosen, seen = paths.step(turn, chosen, seen, pair)
        passed.append(node)
    return passed


def explore_match(loaded: LoadedScenario) -> MatchReport | None:
    """The exact count of joint paths and endings; ``None`` without a head-to-head mode."""
    scenario = loaded.scenario
    mode = scenario.head_to_head
    if mode is None:
        return None
    paths = _Paths(loaded, mode)
    reached: set[str] = set()

    @cache
    def walk(node: str, chosen: Moves, seen: Points) -> tuple[Counter[str], int, int]:
        turn = mode.turn_by_id.get(node)
        if turn is None:
            return Counter({node: 1}), 0, 0
        reached.add(node)
        endings: Counter[str] = Counter()
        shortest, longest = 10**9, 0
        for pair in paths.options(turn):
            found, low, high = walk(*paths.step(turn, chosen, seen, pair))
            endings.update(found)
            shortest, longest = min(shortest, low + 1), max(longest, high + 1)
        return endings, shortest, longest

    endings, shortest, longest = walk(mode.turns[0].id, paths.opening, paths.started)
    history, node, _ = walk_match(scenario, loaded.conditions, mode, history_move)
    return MatchReport(
        turns=len(mode.turns),
        turns_reachable=len(reached),
        paths=sum(endings.values()),
        paths_by_ending=dict(endings),
        unreachable_endings=[e.id for e in scenario.endings if e.id not in endings],
        shortest=shortest,
        longest=longest,
        historical_turns=[t.id for t in history],
        historical_ending=node if node in scenario.ending_by_id else None,
    )
