"""A head-to-head match: two seats, sealed moves revealed together, turn by turn.

The match is a pure function of the scenario and the moves revealed so far: every seat's
process rebuilds it from the match store by :meth:`Match.replay`, so a seat that is killed
and rejoins continues exactly where the match stands. Each seat keeps its own indicators,
ladder rung and entries, as a round of one student does: its own choices' effects, and the
other seat's moves reaching it as the events their choices name in ``seen_as``. The turns
form a ``transitions`` machine (:func:`game.engine.play.machine.for_match`) whose conditions read
both seats' moves.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from game.engine.base.text import one_line
from game.engine.play import machine, rules
from game.engine.play.fallback import fallback_choice
from game.engine.play.roundfile import RoundError
from game.engine.play.session import Decision, Entry, Fired
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Choice, DecisionPoint, Ending, Event, Rung
from game.engine.scenario.model_match import HeadToHead, Turn
from game.engine.scenario.variants import InventedText, Wording, wording_for

MATCH_FORMAT = "flashpoint-match"
MATCH_VERSION = 1


@dataclass
class SeatSide(rules.SeatFacts):
    """One seat's side of the match: the facts its own conditions (variants, events) read,
    and its log."""

    role: str = ""
    entries: list[Entry] = field(default_factory=list)

    @property
    def decisions(self) -> list[Decision]:
        """This seat's decisions so far, in order."""
        return [e for e in self.entries if isinstance(e, Decision)]

    def show(self, event: Event, at: str, now: float) -> None:
        """Log ``event`` as shown to the seat on arrival at ``at``, once it has fired."""
        self.entries.append(Fired(event.id, at, self.rung, dict(self.indicators), now))


@dataclass(frozen=True)
class Move:
    """A seat's move at a turn, as the match store reveals it."""

    choice: str
    rationale: str = ""
    fallback: bool = False
    """The seat was silent past the deadline and the scenario's fallback move stood."""
    seconds: float = 0.0
    time: float = 0.0


@dataclass(frozen=True)
class PlayedTurn:
    """One revealed turn: the turn and each seat's move."""

    turn: Turn
    moves: Mapping[str, Move]


@dataclass(frozen=True)
class TurnOutcome:
    """What a revealed turn led to, for the front ends to show."""

    played: PlayedTurn
    shown: Mapping[str, tuple[Event, ...]]
    """The events each seat is shown on arrival: the other seat's move first, then the
    world's."""
    ending: Ending | None


class Match:
    """A head-to-head match of one scenario, from its opening to an ending."""

    def __init__(self, loaded: LoadedScenario, players: Mapping[str, str], now: float) -> None:
        scenario = loaded.scenario
        if scenario.head_to_head is None:
            raise RoundError(f"{scenario.id} has no head-to-head mode")
        self.loaded = loaded
        self.mode: HeadToHead = scenario.head_to_head
        self.players = {seat: one_line(players.get(seat, ""), 80) for seat in self.mode.seats}
        self.started = now
        self.played: list[PlayedTurn] = []
        self.seats = {
            seat: SeatSide(
                scenario.rung_index,
                {i.id: i.start for i in scenario.indicators},
                scenario.ladder[0].id,
                role=seat,
            )
            for seat in self.mode.seats
        }
        self._machine = machine.for_match(loaded)
        self._cursor = self._machine.attach(rules.Pair(self.seats))
        incoming: dict[str, list[Event]] = {seat: [] for seat in self.mode.seats}
        before: dict[str, list[Event]] = {seat: [] for seat in self.mode.seats}
        for point_id in self.mode.opening:
            point = scenario.point_by_id[point_id]
            seat = self.seats[point.role]
            first = self.mode.turns[0].points[seat.role]  # shown on the seat's first screen
            before[seat.role] += self._world(seat, point.id, now, first)
            choice = next(c for c in point.choices if c.id == point.history.choice)
            self._decide(seat, point, Move(choice.id, time=now))
            if choice.seen_as is not None:
                incoming[self.mode.other(seat.role)].append(self._event(choice.seen_as))
        arrived = self._arrive(incoming, now)
        self.shown = {seat: (*before[seat], *arrived[seat]) for seat in arrived}
        """What each seat was shown on arriving at the current turn (at the first turn, the
        world's events of the opening too)."""

    # --- what front ends ask ---------------------------------------------------------

    @property
    def node(self) -> str:
        """The current turn's id, or the ending's once the match is over."""
        return self._cursor.state

    @property
    def turn(self) -> Turn | None:
        """The turn being played, or ``None`` once the match is over."""
        return self.mode.turn_by_id.get(self.node)

    @property
    def ending(self) -> Ending | None:
        """The ending reached, or ``None`` while the match goes on."""
        return self.loaded.scenario.ending_by_id.get(self.node)

    @property
    def number(self) -> int:
        """The number of the turn being played (or of the next one, once over), from 1."""
        return len(self.played) + 1

    def point(self, seat: str) -> DecisionPoint | None:
        """The decision ``seat`` faces now."""
        turn = self.turn
        return self.loaded.scenario.point_by_id[turn.points[seat]] if turn else None

    def words(self, seat: str) -> Wording:
        """Each item's wording as ``seat`` sees it now (text variants)."""
        return wording_for(self.seats[seat], self.loaded.conditions)

    def fallbacks(self, free: Collection[str] = (), history_shown: bool = True) -> dict[str, str]:
        """The move that stands for each seat silent past the deadline at this turn: history's
        move for a seat in ``free`` (no classmate sits in it: the student plays against
        history's moves) where history made one, else the scenario's fallback (history's where
        it sets none). Not ``history_shown`` (the teacher holds history back): a student's seat
        gets a move that gives nothing away (:func:`~game.engine.play.fallback.fallback_choice`)."""
        turn = self.turn
        if turn is None:
            return {}
        result = {}
        for seat, point_id in turn.points.items():
            point = self.loaded.scenario.point_by_id[point_id]
            real = point.history.choice
            fallback = None if seat in free and real else turn.fallbacks.get(seat)
            if fallback is None and not history_shown and seat not in free:
                fallback = fallback_choice(point, [c.id for c in point.choices], False)
            result[seat] = fallback or str(point.history.choice)
        return result

    # --- playing -----------------------------------------------------------------------

    def play(self, moves: Mapping[str, Move]) -> TurnOutcome:
        """Reveal this turn's moves (one per seat) and move the match on."""
        turn = self.turn
        if turn is None:
            raise RoundError("the match has ended; there is nothing left to play")
        if set(moves) != set(self.mode.seats):
            raise RoundError(f"turn '{turn.id}' needs one move from each seat")
        scenario = self.loaded.scenario
        for seat, move in moves.items():
            point = scenario.point_by_id[turn.points[seat]]
            if move.choice not in scenario.choice_ids[point.id]:
                raise RoundError(f"'{move.choice}' is not a choice at '{point.id}'")
        incoming: dict[str, list[Event]] = {seat: [] for seat in self.mode.seats}
        for seat, move in moves.items():
            point = scenario.point_by_id[turn.points[seat]]
            choice = self._decide(self.seats[seat], point, move)
            if choice.seen_as is not None:
                incoming[self.mode.other(seat)].append(self._event(choice.seen_as))
        played = PlayedTurn(turn, dict(moves))
        self.played.append(played)
        self._cursor.fire(self._machine.triggers[(turn.id, "reveal")])
        now = max((m.time for m in moves.values()), default=time.time())
        self.shown = self._arrive(incoming, now)
        if self.ending is not None:
            self._machine.detach(self._cursor)
        return TurnOutcome(played, self.shown, self.ending)

    def _decide(self, seat: SeatSide, point: DecisionPoint, move: Move) -> Choice:
        choice = next(c for c in point.choices if c.id == move.choice)
        before = dict(seat.indicators)
        rules.take(self.loaded.scenario, seat, point, choice)
        seat.entries.append(
            Decision(
                point=point.id,
                choice=choice.id,
                rung=seat.rung,
                before=before,
                after=dict(seat.indicators),
                rationale=one_line(move.rationale),
                time=move.time,
                seconds=move.seconds,
            )
        )
        return choice

    def _arrive(
        self, incoming: Mapping[str, list[Event]], now: float
    ) -> dict[str, tuple[Event, ...]]:
        shown: dict[str, tuple[Event, ...]] = {}
        for name, seat in self.seats.items():
            point = self.point(name)
            at = point.id if point is not None else self.node
            for event in incoming[name]:
                rules.fire(self.loaded.scenario, seat, event)
                seat.show(event, at, now)
            shown[name] = (*incoming[name], *self._world(seat, at, now))
        return shown

    def _world(self, seat: SeatSide, at: str, now: float, shown_at: str = "") -> list[Event]:
        """The world's events at ``at`` that fire for ``seat``, shown to it at ``shown_at``
        (the opening's, before the seat's first point) or at ``at``."""
        scenario, conditions = self.loaded.scenario, self.loaded.conditions
        worlds = self.mode.world_events
        return list(
            rules.arrive(
                scenario,
                conditions,
                seat,
                at,
                only=worlds,
                fired=lambda event: seat.show(event, shown_at or at, now),
            )
        )

    def _event(self, event_id: str) -> Event:
        return next(e for e in self.loaded.scenario.events if e.id == event_id)

    @classmethod
    def replay(
        cls,
        loaded: LoadedScenario,
        players: Mapping[str, str],
        started: float,
        turns: Sequence[tuple[str, Mapping[str, Move]]],
    ) -> Match:
        """The match after ``turns`` (turn id, moves), each checked against the scenario."""
        match = cls(loaded, players, started)
        for number, (turn_id, moves) in enumerate(turns, start=1):
            if match.node != turn_id:
                raise RoundError(
                    f"turn {number} was played at '{turn_id}', but the scenario now reaches "
                    f"'{match.node}' there; start a new match"
                )
            match.play(moves)
        return match


@dataclass
class SeatView:
    """One seat's side of a match, answering what front ends ask of a round of one student."""

    match: Match
    role: str
    reveal: str = "immediate"

    @property
    def loaded(self) -> LoadedScenario:
        return self.match.loaded

    @property
    def seat(self) -> SeatSide:
        return self.match.seats[self.role]

    @property
    def point(self) -> DecisionPoint | None:
        return self.match.point(self.role)

    @property
    def words(self) -> Wording:
        """The seat's wording; the current point reads as the turn's situation for the seat,
        where the turn gives one (invented, and so labelled, in a turn history never had)."""
        own, point, turn = self.match.words(self.role), self.point, self.match.turn
        situation = turn.situations.get(self.role) if turn is not None else None
        if point is None or turn is None or not situation:
            return own
        points = self.loaded.scenario.point_by_id
        if any(points[p].counterfactual for p in turn.points.values() if p in points):
            situation = InventedText(situation)
        return lambda item: situation if item is point else own(item)

    @property
    def indicators(self) -> dict[str, int]:
        return self.seat.indicators

    @property
    def rung_position(self) -> int:
        return self.seat.ladder()

    @property
    def current_rung(self) -> Rung:
        return self.loaded.scenario.ladder[self.rung_position]

    @property
    def reveals_history(self) -> bool:
        return self.reveal == "immediate"

    @property
    def entries(self) -> list[Entry]:
        return self.seat.entries

    @property
    def node(self) -> str:
        point = self.point
        return point.id if point is not None else self.match.node

    @property
    def rung(self) -> str:
        return self.seat.rung

    @property
    def is_over(self) -> bool:
        return self.match.ending is not None

    @property
    def test(self) -> bool:
        return False  # a match is never an author's test round

    @property
    def automatic(self) -> frozenset[str]:
        return frozenset(
            played.turn.points[self.role]
            for played in self.match.played
            if played.moves[self.role].fallback
        )

    @property
    def preset(self) -> frozenset[str]:
        points = self.loaded.scenario.point_by_id
        return frozenset(p for p in self.match.mode.opening if points[p].role == self.role)

    def facts_so_far(self) -> dict[str, tuple[str, ...]]:
        return self.seat.so_far()

    @property
    def player(self) -> str:
        return self.match.players.get(self.role, "")

    @property
    def ending(self) -> Ending | None:
        return self.match.ending

    @property
    def decisions(self) -> list[Decision]:
        return self.seat.decisions

    def escalation(self) -> list[int]:
        """The seat's escalation curve: the ladder position right after each decision."""
        return rules.escalation(self.loaded.scenario.rung_index, self.entries)


def historical_match(loaded: LoadedScenario) -> Match:
    """The match in which both seats take history's choice wherever there is one (else the
    turn's fallback)."""
    match = Match(loaded, {}, 0.0)
    while match.turn is not None:
        fallbacks = match.fallbacks()
        moves = {}
        for seat in match.mode.seats:
            point = match.point(seat)
            assert point is not None
            moves[seat] = Move(point.history.choice or fallbacks[seat])
        match.play(moves)
    return match


def as_in_match(choice: Choice) -> Choice:
    """``choice`` as a match shows it: with its ``in_match`` consequence, where it has one."""
    return replace(choice, consequence=choice.in_match) if choice.in_match else choice
