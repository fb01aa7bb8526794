"""What a head-to-head match can pass, and in what order, as each seat's conditions see it.

A round of one student passes the points its choices lead to (``game.engine.scenario.graph``); a
match passes each seat's point of every turn its routes can reach, then an ending. Each seat's
conditions read its own facts (docs/authoring.md, "Head-to-head"): a point of its own comes
before the points and endings of every later turn, and its opening points before everything.
The validator and the explorer ask :meth:`Order.comes_before`, which holds where either a round
or a match passes ``earlier`` on its way to ``later``, so text that only a match shows is
judged as a match shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from game.engine.play.rules import route_targets
from game.engine.scenario.graph import Graph
from game.engine.scenario.model import Event, Scenario
from game.engine.scenario.model_match import HeadToHead


def match_points(mode: HeadToHead | None) -> set[str]:
    """Every point a match can face: the opening's and every turn's."""
    if mode is None:
        return set()
    return {*mode.opening, *(p for turn in mode.turns for p in turn.points.values())}


class MatchOrder:
    """The nodes a match reaches and, for each, the nodes a seat may have passed before it."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.mode = scenario.head_to_head

    @cached_property
    def turns_reached(self) -> list[str]:
        """The turns a match can reach from its first, in the order found."""
        mode = self.mode
        if mode is None or not mode.turns:
            return []
        return _reach(mode, mode.turns[0].id)

    @cached_property
    def _later(self) -> dict[str, list[str]]:
        """Each reached turn's own id and every turn or ending it can lead to."""
        mode = self.mode
        if mode is None:
            return {}
        return {t: _reach(mode, t, endings=True) for t in self.turns_reached}

    @cached_property
    def _before(self) -> dict[str, set[str]]:
        """For each node a match reaches, the points a seat there may already have faced."""
        mode, scenario = self.mode, self.scenario
        before: dict[str, set[str]] = {}
        if mode is None:
            return before
        opening = [p for p in mode.opening if p in scenario.point_by_id]
        for point in opening:
            before.setdefault(point, set()).add(point)
        for turn_id in self.turns_reached:
            turn = mode.turn_by_id[turn_id]
            for later_id in self._later[turn_id]:
                later = mode.turn_by_id.get(later_id)
                for seat, point in turn.points.items():
                    if point not in scenario.point_by_id:
                        continue
                    if later is None:  # an ending: every seat arrives there
                        if later_id in scenario.ending_by_id:
                            before.setdefault(later_id, set()).update((point, *opening))
                    elif later.points.get(seat) in scenario.point_by_id:
                        mine = [p for p in opening if scenario.point_by_id[p].role == seat]
                        before.setdefault(later.points[seat], set()).update((point, *mine))
        return before

    @cached_property
    def _shown(self) -> dict[str, set[str]]:
        """For each event that shows a seat's move (``seen_as``), keyed by :func:`shown_at`,
        the points the other seat, which is shown it, may already have faced then: its own
        points up to the turn of the move, and its opening points."""
        mode, scenario = self.mode, self.scenario
        shown: dict[str, set[str]] = {}
        if mode is None:
            return shown
        opening = [scenario.point_by_id[p] for p in mode.opening if p in scenario.point_by_id]
        moves = [(o, {q.id for q in opening if q.role != o.role}) for o in opening]
        for turn_id in self.turns_reached:
            turn = mode.turn_by_id[turn_id]
            for seat, point_id in turn.points.items():
                point = scenario.point_by_id.get(point_id)
                if point is None:
                    continue
                theirs = {p.id for p in opening if p.role != seat}
                for earlier in self.turns_reached:  # the other seat's points up to this turn
                    if turn_id in self._later[earlier]:
                        mode_turn = mode.turn_by_id[earlier]
                        theirs |= {p for s, p in mode_turn.points.items() if s != seat}
                moves.append((point, theirs))
        for point, theirs in moves:
            for choice in point.choices:
                if choice.seen_as is not None:
                    shown.setdefault(shown_at(choice.seen_as), set()).update(theirs)
        return shown

    @cached_property
    def reached(self) -> frozenset[str]:
        """Every point and ending some match reaches (the opening's points included)."""
        return frozenset(self._before)

    def comes_before(self, earlier: str, later: str) -> bool:
        """Whether a seat of some match can have passed ``earlier`` on arriving at ``later``
        (or they are one)."""
        return earlier in self._before.get(later, ()) or earlier in self._shown.get(later, ())


def shown_at(event: str) -> str:
    """The place where the event that shows a seat's move is shown, as :meth:`comes_before`
    knows it (never an id of the scenario: ids cannot hold '#')."""
    return f"#shown:{event}"


def places(scenario: Scenario, item: object, at: str) -> list[str]:
    """Where ``item``'s wording can be shown: ``at`` (as ``variants.worded_items`` gives it)
    and, for an event that shows a seat's move, where the other seat is shown it."""
    if isinstance(item, Event) and item.id in scenario.moved_at:
        return [at, shown_at(item.id)]
    return [at]


class Order:
    """Where rounds of one student or matches pass: what ``conditions.can_hold`` asks."""

    def __init__(self, graph: Graph, match: MatchOrder) -> None:
        self.graph, self.match = graph, match

    def comes_before(self, earlier: str, later: str) -> bool:
        """Whether a round or a match can pass ``earlier`` on its way to ``later``."""
        return self.graph.comes_before(earlier, later) or self.match.comes_before(earlier, later)


def _reach(mode: HeadToHead, start: str, endings: bool = False) -> list[str]:
    """The turns (and, with ``endings``, the other targets) reachable from turn ``start``."""
    found = {start: None}
    queue: list[str] = [start]
    for node in queue:
        turn = mode.turn_by_id.get(node)
        targets: Iterable[str] = route_targets(mode, turn) if turn is not None else ()
        for target in targets:
            if target not in found and (endings or target in mode.turn_by_id):
                found[target] = None
                queue.append(target)
    return queue
