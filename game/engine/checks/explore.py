"""What an author needs to know about every path of a scenario, computed without walking them.

Counting paths, reachability, round lengths and indicator ranges are dynamic programming over
the decision graph in topological order: linear in its size, however many paths there are.
A "path" is a sequence of (choice, destination) steps that the graph allows; conditions that
can never hold (as the validator judges them) are left out, and conditions that may hold count
both ways, so counts and ranges are upper bounds of what rounds can really do.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from game.engine.checks.explore_match import MatchReport, explore_match
from game.engine.play import rules
from game.engine.play.historical import historical_round
from game.engine.play.match_order import MatchOrder, Order, match_points, places
from game.engine.play.session import Session
from game.engine.scenario.conditions import can_hold
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Choice, DecisionPoint, Event, Scenario
from game.engine.scenario.variants import worded_items

Interval = tuple[int, int]


@dataclass(frozen=True)
class Way:
    """One way to leave a point: a choice and one destination it can lead to."""

    choice: Choice
    destination: str


@dataclass
class RoleReport:
    """Everything explored for one role."""

    role: str
    reachable_points: int
    paths: int
    paths_by_ending: dict[str, int]
    unreachable_endings: list[str]
    shortest: int
    longest: int
    ranges: dict[str, Interval]
    """The lowest and highest value each indicator can take, at any point of any round."""
    historical_points: list[str]
    historical_ending: str | None
    nearest_endings: list[tuple[str, int]]
    """Reachable endings by distance from history, nearest first."""


@dataclass
class Report:
    """The exploration of a whole scenario."""

    roles: list[RoleReport]
    never_chosen: list[tuple[str, str]] = field(default_factory=list)
    """(point, choice) that no round of any role can reach."""
    never_taken: list[tuple[str, str, str]] = field(default_factory=list)
    """(point, choice, destination) of branches whose condition can never hold."""
    never_fired: list[str] = field(default_factory=list)
    """Events that can never fire."""
    never_worded: list[tuple[str, str]] = field(default_factory=list)
    """(item, condition) of text variants no round can show."""
    match: MatchReport | None = None
    """The head-to-head mode's joint paths, when the scenario has one."""


class _Analysis:
    def __init__(self, loaded: LoadedScenario) -> None:
        self.loaded = loaded
        self.scenario: Scenario = loaded.scenario
        self.graph = loaded.graph
        self.match = MatchOrder(self.scenario)
        self.order = Order(loaded.graph, self.match)
        self.never_taken: list[tuple[str, str, str]] = []

    def possible(self, condition: str | None, at: str) -> bool:
        """Whether ``condition`` can hold at ``at`` in some round or match."""
        return condition is None or can_hold(condition, at, self.scenario, self.order)

    def steps(self, point: DecisionPoint) -> Iterator[Way]:
        """Every (choice, destination) that can happen at ``point``."""
        for choice in point.choices:
            if choice.next is not None:
                yield Way(choice, choice.next)
                continue
            seen: set[str] = set()
            for branch in choice.branches:
                if not self.possible(branch.when, point.id):
                    self.never_taken.append((point.id, choice.id, branch.next))
                elif branch.next not in seen:
                    seen.add(branch.next)
                    yield Way(choice, branch.next)

    def role(self, role: str) -> RoleReport:
        scenario = self.scenario
        start = scenario.role_by_id[role].start
        order = self.graph.topological_order(self.graph.reachable(start))
        steps = {
            n: list(self.steps(scenario.point_by_id[n])) for n in order if n in scenario.point_by_id
        }
        ways: Counter[str] = Counter({start: 1})
        shortest: dict[str, int] = {start: 0}
        longest: dict[str, int] = {start: 0}
        ranges: dict[str, dict[str, Interval]] = {start: self.start_ranges()}
        seen_ranges = dict(ranges[start])
        for node in order:
            if node not in ways:
                continue
            arrived = self.after_events(node, ranges[node])
            for name, (low, high) in arrived.items():
                seen_low, seen_high = seen_ranges[name]
                seen_ranges[name] = (min(seen_low, low), max(seen_high, high))
            for step in steps.get(node, ()):
                target = step.destination
                ways[target] += ways[node]
                shortest[target] = min(shortest.get(target, 10**9), shortest[node] + 1)
                longest[target] = max(longest.get(target, -1), longest[node] + 1)
                moved = self.apply(arrived, step.choice.effects)
                ranges[target] = union(ranges[target], moved) if target in ranges else moved
        endings = [e for e in scenario.endings if e.id in ways]
        history = historical_round(self.loaded, role)
        return RoleReport(
            role=role,
            reachable_points=sum(1 for n in ways if n in scenario.point_by_id),
            paths=sum(ways[e.id] for e in endings),
            paths_by_ending={e.id: ways[e.id] for e in endings},
            unreachable_endings=[e.id for e in scenario.endings if e.id not in ways],
            shortest=min((shortest[e.id] for e in endings), default=0),
            longest=max((longest[e.id] for e in endings), default=0),
            ranges=seen_ranges,
            historical_points=[d.point for d in history.decisions],
            historical_ending=history.ending.id if history.ending else None,
            nearest_endings=sorted(((e.id, e.distance) for e in endings), key=lambda x: x[1]),
        )

    def start_ranges(self) -> dict[str, Interval]:
        return {i.id: (i.start, i.start) for i in self.scenario.indicators}

    def apply(self, ranges: dict[str, Interval], effects: Mapping[str, int]) -> dict[str, Interval]:
        """``ranges`` moved by ``effects``: each bound as the rules move a value."""
        lows = {k: low for k, (low, _) in ranges.items()}
        highs = {k: high for k, (_, high) in ranges.items()}
        rules.moved(self.scenario, lows, effects)
        rules.moved(self.scenario, highs, effects)
        return {k: (lows[k], highs[k]) for k in ranges}

    def after_events(self, node: str, ranges: dict[str, Interval]) -> dict[str, Interval]:
        for event in self.scenario.events_at.get(node, ()):
            if not self.possible(event.when, node):
                continue
            fired = self.apply(ranges, event.effects)
            ranges = fired if event.when is None else union(ranges, fired)
        return ranges


def union(first: dict[str, Interval], second: dict[str, Interval]) -> dict[str, Interval]:
    """The smallest intervals that hold both ``first`` and ``second``."""
    return {k: (min(first[k][0], second[k][0]), max(first[k][1], second[k][1])) for k in first}


def explore(loaded: LoadedScenario, role: str | None = None) -> Report:
    """The exhaustive report, for one role or all."""
    analysis = _Analysis(loaded)
    scenario = loaded.scenario
    roles = [role] if role else [r.id for r in scenario.roles]
    report = Report([analysis.role(r) for r in roles], match=explore_match(loaded))
    alone = {n for r in scenario.roles for n in loaded.graph.reachable(r.start)}
    reached = alone | match_points(scenario.head_to_head)  # a match faces them
    worded = reached | analysis.match.reached  # and shows the endings its routes reach
    for point in scenario.points:
        if point.id not in reached:
            report.never_chosen.extend((point.id, c.id) for c in point.choices)
    report.never_taken = sorted(set(analysis.never_taken))
    report.never_fired = [
        e.id
        for e in scenario.events
        if e.id not in scenario.moved_at and not _can_fire(analysis, e, alone)
    ]
    report.never_worded = [
        (getattr(item, "id", at), variant.when)
        for item, at in worded_items(scenario)
        for variant in item.variants
        if at not in worded
        or not any(analysis.possible(variant.when, p) for p in places(scenario, item, at))
    ]
    return report


def _can_fire(analysis: _Analysis, event: Event, alone: set[str]) -> bool:
    """Whether ``event`` fires in some round, or in some match (where only the world's
    events fire at points that no round reaches)."""
    if event.at is None or not analysis.possible(event.when, event.at):
        return False
    if event.at in alone:
        return True
    mode = analysis.scenario.head_to_head
    return mode is not None and event.id in mode.world_events and event.at in analysis.match.reached


@dataclass
class RandomReport:
    """What N seeded random rounds through the real engine did."""

    rounds: int
    choices: Counter[tuple[str, str]] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    ranges: dict[str, Interval] = field(default_factory=dict)
    lengths: Counter[int] = field(default_factory=Counter)


def random_rounds(
    loaded: LoadedScenario, count: int, seed: int, role: str | None = None
) -> RandomReport:
    """Play ``count`` rounds with seeded random choices (ChoiceScript's randomtest)."""
    rng = random.Random(seed)  # noqa: S311 - seeded, for reproducible playtests
    roles = [role] if role else [r.id for r in loaded.scenario.roles]
    report = RandomReport(count)
    for _ in range(count):
        session = Session.start(loaded, rng.choice(roles), clock=lambda: 0.0)
        observe(report, session)
        while session.point is not None:
            choice = rng.choice(session.point.choices)
            report.choices[(session.point.id, choice.id)] += 1
            session.choose(choice.id)
            observe(report, session)
        report.endings[session.ending.id if session.ending else "(none)"] += 1
        report.lengths[len(session.decisions)] += 1
        report.events.update(e.event for e in session.entries if e.kind == "event")
    return report


def observe(report: RandomReport, session: Session) -> None:
    """Widen the observed indicator ranges with ``session``'s current values."""
    for name, value in session.indicators.items():
        low, high = report.ranges.get(name, (value, value))
        report.ranges[name] = (min(low, value), max(high, value))
