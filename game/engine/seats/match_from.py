"""An author's test match from a point only a match faces (``play FILE --from POINT``).

A round of one student never reaches such a point, so a test round cannot start there; a test
match can. The match is played from its opening to the first turn that faces the point, with
moves found by trying each seat's choices (the fallback, which is history's choice where there
is one, first), so the turns before it are ones a real match plays; they are marked as
automatic moves (``fallback``), never as the author's. Then the author's
``--set`` values replace the seat's, and the author plays that seat to an ending while the
other seat's fallback stands each turn. Nothing is saved or recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

from game.engine.base.problems import FlashpointError
from game.engine.play.match import Match, Move, SeatView
from game.engine.play.match_order import MatchOrder
from game.engine.play.roundfile import RoundError
from game.engine.play.session import Fired
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.recording import Moment, test_start

TurnsPlayed = list[tuple[str, Mapping[str, Move]]]


def only_in_match(loaded: LoadedScenario, point: str) -> bool:
    """Whether ``point`` is faced in a match but reached by no round of one student."""
    scenario = loaded.scenario
    if point not in MatchOrder(scenario).reached:
        return False
    return not any(point in loaded.graph.reachable(r.start) for r in scenario.roles)


def match_from(loaded: LoadedScenario, point: str, settings: Sequence[str]) -> tuple[str, Match]:
    """The seat that faces ``point`` and a match standing at the first turn that faces it,
    with ``settings`` (``NAME=VALUE``, ``rung=ID``) applied to that seat; raises
    :class:`FlashpointError` when no match reaches the point."""
    seat, test = test_start(loaded, point, settings)
    mode = loaded.scenario.head_to_head
    wanted = {t.id for t in mode.turns if t.points.get(seat) == point} if mode else set()
    played = _path_to(loaded, wanted) if wanted else None
    if played is None:
        raise FlashpointError(
            f"no match reaches '{point}': no turn that faces it can be reached; "
            "check the turns' routes (flashpoint explore)"
        )
    match = Match.replay(loaded, {}, 0.0, played)
    facts = match.seats[seat]
    facts.indicators.update(test.values)
    if test.rung is not None:
        facts.rung = test.rung
    return seat, match


def _path_to(loaded: LoadedScenario, wanted: set[str]) -> TurnsPlayed | None:
    """The turns played (breadth first, fallbacks tried first) to reach a turn in
    ``wanted``, or ``None`` when none can be reached."""
    queue: list[TurnsPlayed] = [[]]
    scenario = loaded.scenario
    mode = scenario.head_to_head
    found = {mode.turns[0].id} if mode is not None and mode.turns else set()
    for played in queue:
        match = Match.replay(loaded, {}, 0.0, played)
        turn = match.turn
        if turn is None:
            continue
        if turn.id in wanted:
            return played
        fallbacks = match.fallbacks()
        options = []
        for seat in match.mode.seats:
            ids = [c.id for c in scenario.point_by_id[turn.points[seat]].choices]
            first = fallbacks[seat]
            options.append([first, *(c for c in ids if c != first)])
        for pair in product(*options):
            moves = dict(zip(match.mode.seats, (Move(c, fallback=True) for c in pair), strict=True))
            trial = Match.replay(loaded, {}, 0.0, played)
            trial.play(moves)
            if trial.node not in found:
                found.add(trial.node)
                queue.append([*played, (turn.id, moves)])
    return None


def replay_match(loaded: LoadedScenario, turns: Sequence[Sequence[str]]) -> dict[str, list[Moment]]:
    """Each seat's moments through a match whose turns' moves are ``turns`` (one choice per
    seat, in the order of ``head_to_head.seats``), and where each ends up; raises
    :class:`FlashpointError` naming a move that cannot be made."""
    mode = loaded.scenario.head_to_head
    if mode is None:
        raise FlashpointError(f"{loaded.scenario.id} has no head-to-head mode")
    match = Match(loaded, {}, 0.0)
    moments: dict[str, list[Moment]] = {seat: [] for seat in mode.seats}
    for number, moves in enumerate(turns, start=1):
        turn = match.turn
        if turn is None:
            raise FlashpointError(f"turn {number}: the match already ended at '{match.node}'")
        if len(moves) != len(mode.seats):
            raise FlashpointError(
                f"turn {number} ('{turn.id}'): give one move per seat, "
                f"{'/'.join(mode.seats)}, as in "
                + "/".join(scenario_first(loaded, turn.points[s]) for s in mode.seats)
            )
        here = {seat: _moment(SeatView(match, seat)) for seat in mode.seats}
        try:
            match.play({seat: Move(choice) for seat, choice in zip(mode.seats, moves, strict=True)})
        except RoundError as error:
            raise FlashpointError(f"turn {number} ('{turn.id}'): {error}") from None
        for seat, choice in zip(mode.seats, moves, strict=True):
            moment = here[seat]
            moments[seat].append(
                Moment(moment.node, moment.events, moment.indicators, moment.rung, choice)
            )
    for seat in mode.seats:
        moments[seat].append(_moment(SeatView(match, seat)))
    return moments


def scenario_first(loaded: LoadedScenario, point: str) -> str:
    """The first choice of ``point`` (for an example)."""
    return loaded.scenario.point_by_id[point].choices[0].id


def _moment(view: SeatView) -> Moment:
    fired = tuple(e.event for e in view.entries if isinstance(e, Fired) and e.at == view.node)
    return Moment(view.node, fired, dict(view.indicators), view.rung)
