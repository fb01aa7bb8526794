"""A match seat held for one request: what a page that keeps nothing between requests needs.

A front end that lives in a process (the full-screen game, plain mode) enters a match once
(:meth:`MatchSeat.enter`) and holds the seat, with its heartbeat thread, until the student
leaves. The class page keeps nothing between requests: it enters a seat once (create, join by
code, the teacher's pair), and every later request *visits* it (:func:`visit`): the seat is
found in the match file under the student's class-seat name, its lease taken for that request,
the match replayed from the store, one heartbeat written, and everything let go at the end.
A visit is not a rejoin: the turn's on-screen marks stay (:mod:`game.engine.records.match_turns`),
so reloading a page never restarts the turn's clock. The rules are :class:`MatchSeat`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from game.engine.base.problems import FlashpointError
from game.engine.play.match import Match, Move, SeatView, TurnOutcome
from game.engine.records import catalog, match_turns
from game.engine.records.matches import MatchError, MatchStore, StoredMove
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import RoundStore, StoreError
from game.engine.scenario.model import DecisionPoint
from game.engine.seats.lifecycle import stricter
from game.engine.seats.match_round import match_round_id

if TYPE_CHECKING:
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Reveal as Policy
    from game.engine.seats.match_seat import MatchSeat

Warn = Callable[[str], None]


def replay(
    store: MatchStore, loaded: LoadedScenario, code: str, turns: int | None = None
) -> tuple[Match, TurnOutcome | None]:
    """The match as the store has it, its revealed turns replayed (the first ``turns`` of
    them if given), and the last turn replayed's outcome."""
    info = store.info(code)
    match = Match(loaded, {seat: name or "" for seat, name in info.seats.items()}, info.created)
    last = None
    for moves in store.revealed(code)[:turns]:
        last = match.play({m.seat: as_move(m) for m in moves})
    return match, last


def as_move(stored: StoredMove) -> Move:
    return Move(stored.choice, stored.rationale, stored.fallback, stored.seconds, stored.at)


def seat_held(store: MatchStore, code: str, seat: str, name: str) -> bool:
    """Whether ``seat`` of match ``code`` is held under ``name`` (compared case-folded, as
    the store compares names)."""
    taken = store.info(code).seats.get(seat)
    return taken is not None and taken.casefold() == name.casefold()


def visit(
    store: MatchStore,
    rounds: RoundStore,
    loaded: LoadedScenario | None,
    code: str,
    seat: str,
    name: str,
    reveal: Policy | None = None,
    warn: Warn | None = None,
    pacing: ControlReader | None = None,
    beat: bool = True,
) -> MatchSeat:
    """Seat ``seat`` of match ``code`` (of scenario ``loaded``, if it is that scenario's),
    entered earlier by ``name``, held for one request
    (call :meth:`MatchSeat.close` at its end, or :meth:`MatchSeat.leave`). Raises
    :class:`MatchError` in words when the seat is not ``name``'s, the match is gone, or the
    seat is held by another request or process (its lease). ``pacing``: the class's control;
    ``beat``: a student is there (not the server applying the class's pacing)."""
    from game.engine.seats.match_seat import MatchSeat, _ignore, _kept_policy

    told = warn or _ignore
    if not seat_held(store, code, seat, name):
        raise MatchError(f"seat {seat} of match {code} is not yours")
    info = store.info(code)
    if loaded is None or (loaded.scenario.id, loaded.sha256) != (info.scenario, info.sha256):
        loaded = catalog.load(info.scenario)  # a match of another scenario the class offered
    if loaded.sha256 != info.sha256:
        raise MatchError(f"match {code} was created with another version of {info.scenario}")
    round_id = match_round_id(loaded.scenario.id, code, seat)
    try:
        lease = rounds.lease(round_id)
    except StoreError as error:
        raise MatchError(f"seat {seat} of match {code}: {error}") from None
    try:
        kept = _kept_policy(rounds.results / f"{round_id}.json", told)
        policy = stricter(kept, reveal) if kept else reveal or loaded.scenario.reveal
        view = SeatView(replay(store, loaded, code)[0], seat, policy)
        visited = MatchSeat(store, rounds, code, view, told, lease, pacing=pacing)
        visited.control()  # history held by the teacher: before anything is shown
        if beat and not view.is_over:
            store.heartbeat(code, seat)
    except BaseException:
        lease.release()
        raise
    return visited


def turn_outcome(played: MatchSeat, number: int) -> tuple[SeatView, DecisionPoint, TurnOutcome]:
    """Turn ``number`` of ``played``'s match once revealed, as its seat saw it: the view
    after that turn, the seat's point in it and the turn's outcome. Raises
    :class:`MatchError` for a turn not revealed (yet)."""
    loaded, code = played.view.loaded, played.code
    if not 1 <= number <= len(played.store.revealed(code)):
        raise MatchError(f"turn {number} of match {code} has not been played")
    before, _ = replay(played.store, loaded, code, number - 1)
    point = before.point(played.seat)
    match, outcome = replay(played.store, loaded, code, number)
    if point is None or outcome is None:
        raise MatchError(f"turn {number} of match {code} has not been played")
    return SeatView(match, played.seat, played.view.reveal), point, outcome


def abandon_open_seats(
    store: MatchStore,
    rounds_of: Callable[[str], RoundStore | None],
    warn: Warn,
    loaded: LoadedScenario | None = None,
    codes: Collection[str] | None = None,
) -> int:
    """At the end of a class (or of the matches ``codes``, which the teacher is about to
    remove), leave every seat of a match still going that no process holds (its record says
    ``abandoned``; a game holding one leaves it itself); how many. ``rounds_of`` gives the
    store of the student of that name (``None``: not in the class)."""
    count = 0
    for summary in store.summaries():
        if summary.status == "finished" or (codes is not None and summary.code not in codes):
            continue
        gone = match_turns.left(store.db, summary.code)
        for seat, name in summary.seats.items():
            rounds = rounds_of(name) if name and seat not in gone else None
            if rounds is None:  # nobody, left already, or not a student of the class
                continue
            try:
                played = visit(store, rounds, loaded, summary.code, seat, str(name), warn=warn)
            except FlashpointError:
                continue  # held by a game (it sees the class ended and leaves), or unreadable
            if played.is_over:
                played.close()
                continue
            played.leave()
            count += 1
    return count
