"""Property tests: a random round, solo or head-to-head, is the same round in the runtime
(:class:`Session`, :class:`Match` and their ``transitions`` machines), in the validator's walks
(:mod:`game.engine.checks.walk`) and in the explorers, branch by branch, route by route, event by
event and indicator by indicator. All three call the rules core (:mod:`game.engine.play.rules`);
this keeps anyone from writing a rule out again beside it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.checks import loader
from game.engine.checks.explore import Report, explore
from game.engine.checks.explore_match import MatchReport, explore_match, follow
from game.engine.checks.walk import walk_match, walk_round
from game.engine.play import rules
from game.engine.play import session as rounds
from game.engine.play.match import Match, Move
from game.engine.play.session import Decision, Fired, Session
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import DecisionPoint, Scenario
from game.engine.scenario.model_match import Turn
from tests.conftest import DATA, FLAGSHIP, MINI

VISITED_ROUTE = (
    "        - when: north.chose(n2.press) or (south.visited(s2) and south.chose(s2.offer))"
)
"""A route that asks whether a seat has been at a point of this very turn."""


def _visited_variant(folder: Path) -> Path:
    text = (DATA / "mini" / "strait_match.yaml").read_text()
    old = "        - when: north.chose(n2.press) or south.chose(s2.blockade)"
    assert old in text
    path = folder / "strait_match.yaml"
    path.write_text(text.replace(old, VISITED_ROUTE))
    shutil.copytree(DATA / "mini" / "seeds", folder / "seeds")
    return path


_FOLDER = tempfile.TemporaryDirectory(prefix="flashpoint-rules-")  # removed at exit
SCENARIOS = [
    loader.load(path)
    for path in (
        FLAGSHIP,
        MINI,
        DATA / "mini" / "strait_match.yaml",
        _visited_variant(Path(_FOLDER.name)),
    )
]
MATCHES = [s for s in SCENARIOS if s.scenario.head_to_head is not None]
_explored: dict[tuple[int, str], Report] = {}
_matched: dict[int, MatchReport | None] = {}


def _explored_role(number: int, role: str) -> Report:
    if (number, role) not in _explored:
        _explored[(number, role)] = explore(SCENARIOS[number], role)
    return _explored[(number, role)]


@dataclass
class _Spec:
    """The test's own account of a round, rebuilt from its log: what the conditions must read.
    Written apart from the rules core so that a rule broken there shows up here."""

    rungs: Mapping[str, int]
    indicators: dict[str, int]
    rung: str
    chosen: set[tuple[str, str]] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    happened: set[str] = field(default_factory=set)

    def indicator(self, name: str) -> int:
        return self.indicators[name]

    def ladder(self) -> int:
        return self.rungs[self.rung]

    def chose(self, point: str, choice: str) -> bool:
        return (point, choice) in self.chosen

    def visited(self, point: str) -> bool:
        return point in self.seen

    def fired(self, event: str) -> bool:
        return event in self.happened

    def seat(self, name: str) -> _Spec:
        return self  # a match's routes: each names a point of its own seat

    def moved(self, scenario: Scenario, effects: Mapping[str, int], rung: str | None) -> None:
        """Each indicator moved by its effect and held within its bounds; the rung set."""
        for name, change in effects.items():
            indicator = scenario.indicator_by_id[name]
            self.indicators[name] = max(
                indicator.min, min(indicator.max, self.indicators[name] + change)
            )
        self.rung = rung or self.rung


def _check_the_log_follows_the_rules(
    loaded: LoadedScenario, start: str, facts: rules.SeatFacts, session: Session
) -> None:
    """Replay ``session``'s log by the rules as the test states them, and check every entry,
    where each branch led, and every fact the round's conditions read."""
    scenario, conditions = loaded.scenario, loaded.conditions
    spec = _Spec(scenario.rung_index, dict(facts.indicators), facts.rung)
    entries = iter(session.entries)

    def arrive(node: str) -> None:
        spec.seen.add(node)
        for event in scenario.events_at.get(node, ()):
            if event.when is None or conditions[event.when](spec):
                spec.moved(scenario, event.effects, event.rung)
                spec.happened.add(event.id)
                entry = next(entries)
                assert isinstance(entry, Fired), entry
                assert (entry.event, entry.at) == (event.id, node)
                assert (entry.after, entry.rung) == (spec.indicators, spec.rung)

    arrive(start)
    node = start
    for entry in entries:
        assert isinstance(entry, Decision) and entry.point == node, (entry, node)
        point = scenario.point_by_id[node]
        choice = next(c for c in point.choices if c.id == entry.choice)
        assert entry.before == spec.indicators
        spec.moved(scenario, choice.effects, choice.rung)
        spec.chosen.add((point.id, choice.id))
        assert (entry.after, entry.rung) == (spec.indicators, spec.rung)
        node = choice.next or next(
            b.next for b in choice.branches if b.when is None or conditions[b.when](spec)
        )
        arrive(node)
    assert node == session.node
    read = session.facts
    for indicator in scenario.indicators:
        assert read.indicator(indicator.id) == spec.indicators[indicator.id]
    assert read.ladder() == spec.ladder()
    for point in scenario.points:
        assert read.visited(point.id) == spec.visited(point.id)
        for choice in point.choices:
            assert read.chose(point.id, choice.id) == spec.chose(point.id, choice.id)
    for event in scenario.events:
        assert read.fired(event.id) == spec.fired(event.id)
    index = scenario.rung_index
    assert session.escalation() == [index[d.rung] for d in session.decisions]


AGREE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@AGREE
@given(data=st.data())
def test_a_solo_round_is_the_same_in_the_runtime_the_validators_walk_and_the_explorer(
    data: st.DataObject,
) -> None:
    number = data.draw(st.sampled_from(range(len(SCENARIOS))), label="scenario")
    loaded = SCENARIOS[number]
    scenario = loaded.scenario
    role = data.draw(st.sampled_from([r.id for r in scenario.roles]), label="role")
    start = scenario.role_by_id[role].start
    from_start = data.draw(st.booleans(), label="from the role's start")
    facts = rules.SeatFacts.at_start(scenario)
    at = None
    if not from_start:  # an author's test round: anywhere, with any values (play --from)
        points = sorted(n for n in loaded.graph.reachable(start) if n in scenario.point_by_id)
        start = data.draw(st.sampled_from(points), label="from")
        values = {
            i.id: data.draw(st.integers(i.min, i.max), label=i.id) for i in scenario.indicators
        }
        rung = data.draw(st.sampled_from([r.id for r in scenario.ladder]), label="rung")
        at = rounds.Test(start, values, rung)
        facts.indicators.update(values)
        facts.rung = rung

    session = Session.start(loaded, role, clock=lambda: 0.0, at=at)
    picked: list[str] = []
    runtime: list[tuple[Any, ...]] = []
    while session.point is not None:
        point = session.point
        assert set(session.offered()) == {c.id for c in point.choices}  # some branch holds
        choice = data.draw(st.sampled_from([c.id for c in point.choices]), label=point.id)
        picked.append(choice)
        step = session.choose(choice)
        runtime.append(
            (
                point.id,
                choice,
                session.node,
                tuple(e.id for e in step.events),
                dict(session.indicators),
                session.rung,
                session.facts_so_far(),
            )
        )
    session.close()
    _check_the_log_follows_the_rules(loaded, start, facts, session)

    moves = iter(picked)

    def pick(point: DecisionPoint) -> Any:
        wanted = next(moves)
        return next(c for c in point.choices if c.id == wanted)

    walked = [
        (
            step.point.id,
            step.choice.id,
            step.after,
            tuple(e.id for e in step.events),
            dict(step.facts.indicators),
            step.facts.rung,
            step.facts.so_far(),
        )
        for step in walk_round(scenario, loaded.conditions, start, pick, facts)
    ]
    assert walked == runtime

    if not from_start:
        return  # the explorer answers for rounds from the role's start
    report = _explored_role(number, role)
    (explored,) = report.roles
    assert not set(session.facts.happened) & set(report.never_fired)
    for point, choice, after, _, indicators, _, _ in runtime:
        assert (point, choice) not in report.never_chosen
        assert (point, choice, after) not in report.never_taken
        for name, value in indicators.items():
            low, high = explored.ranges[name]
            assert low <= value <= high, (name, value, explored.ranges[name])
    ending = session.ending
    assert ending is not None and explored.paths_by_ending.get(ending.id, 0) >= 1


@AGREE
@given(data=st.data())
def test_a_match_is_the_same_in_the_runtime_the_validators_walk_and_the_explorer(
    data: st.DataObject,
) -> None:
    number = data.draw(st.sampled_from(range(len(MATCHES))), label="scenario")
    loaded = MATCHES[number]
    scenario, mode = loaded.scenario, loaded.scenario.head_to_head
    assert mode is not None

    match = Match(loaded, {}, 0.0)
    played: list[tuple[str, Mapping[str, str]]] = []
    while match.turn is not None:
        turn = match.turn
        moves = {}
        for seat in mode.seats:
            point = match.point(seat)
            assert point is not None
            moves[seat] = data.draw(st.sampled_from([c.id for c in point.choices]), label=seat)
        match.play({seat: Move(choice) for seat, choice in moves.items()})
        played.append((turn.id, moves))
        for seat in mode.seats:  # each seat's indicators stay within their bounds
            for indicator in scenario.indicators:
                value = match.seats[seat].indicator(indicator.id)
                assert indicator.min <= value <= indicator.max
    runtime = [turn for turn, _ in played] + [match.node]
    assert match.ending is not None

    by_turn = dict(played)

    def pick(turn: Turn, point: DecisionPoint) -> str:
        return by_turn[turn.id][point.role]

    spec = _Spec(scenario.rung_index, {}, "")  # routes read moves and visits only
    spec.chosen |= {(p, str(scenario.point_by_id[p].history.choice)) for p in mode.opening}
    spec.seen |= set(mode.opening)
    expected = []
    for turn_id, made in played:
        turn = mode.turn_by_id[turn_id]
        spec.seen |= set(turn.points.values())
        spec.chosen |= {(turn.points[seat], choice) for seat, choice in made.items()}
        expected.append(turn_id)
        following = mode.turns[mode.turns.index(turn) + 1].id if not turn.routes else ""
        held = (r.next for r in turn.routes if r.when is None or loaded.conditions[r.when](spec))
        assert next(held, following) == runtime[len(expected)]
    assert expected == runtime[:-1]

    turns, node, stopped = walk_match(scenario, loaded.conditions, mode, pick)
    assert stopped is None
    assert [t.id for t in turns] + [node] == runtime

    assert follow(loaded, [made for _, made in played]) == runtime
    if number not in _matched:
        _matched[number] = explore_match(loaded)
    report = _matched[number]
    assert report is not None and report.paths_by_ending.get(match.ending.id, 0) >= 1
