"""A seat's record of a match read back, and the seat's debrief.

The record's ``match`` section (written by :mod:`game.engine.seats.match_round`) is replayed through
the scenario (:meth:`Match.replay`) after it is checked field by field, since a record comes
from outside; the debrief sets every turn, with both seats' moves, beside what both
governments did.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from game.engine.base.ids import ID_PATTERN
from game.engine.classroom.debrief import Debrief, MatchMove, MatchTurn, debrief
from game.engine.play.match import Match, Move, SeatView, as_in_match, historical_match
from game.engine.play.roundfile import RoundError
from game.engine.play.scoring import divergence
from game.engine.records.results import MATCH_CODE
from game.engine.scenario.loaded import LoadedScenario

_ID = re.compile(ID_PATTERN.strip("^$"))

MAX_TURNS = 500


def replay_record(loaded: LoadedScenario, data: Mapping[str, Any]) -> tuple[SeatView, str]:
    """The seat and match code of a record's ``match`` section, replayed through ``loaded``;
    raises :class:`RoundError` naming what is wrong."""
    section = data.get("match")
    if not isinstance(section, Mapping):
        raise RoundError("the round file has no 'match' section")
    code, seat = section.get("code"), section.get("seat")
    if not isinstance(code, str) or not MATCH_CODE.fullmatch(code):
        raise RoundError("the match code in the round file is damaged")
    mode = loaded.scenario.head_to_head
    if mode is None or seat not in mode.seats:
        raise RoundError(f"'{str(seat)[:40]}' is not a seat of this scenario's matches")
    players = section.get("players")
    if not isinstance(players, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 80 for k, v in players.items()
    ):
        raise RoundError("the players of the match are damaged")
    turns = section.get("turns")
    if not isinstance(turns, list) or len(turns) > MAX_TURNS:
        raise RoundError(f"the match's turns are not a list of at most {MAX_TURNS}")
    played = [_turn(item, number) for number, item in enumerate(turns, start=1)]
    started = data.get("started")
    match = Match.replay(
        loaded, dict(players), float(started) if isinstance(started, int | float) else 0.0, played
    )
    reveal = (data.get("settings") or {}).get("reveal") or "immediate"
    return SeatView(match, str(seat), str(reveal)), code


def _turn(item: Any, number: int) -> tuple[str, dict[str, Move]]:
    if not isinstance(item, Mapping) or not isinstance(item.get("moves"), Mapping):
        raise RoundError(f"turn {number} of the match is damaged")
    turn = item.get("turn")
    if not isinstance(turn, str) or not _ID.fullmatch(turn):
        raise RoundError(f"turn {number} of the match has no valid id")
    moves = {}
    for seat, move in item["moves"].items():
        if not isinstance(seat, str) or not isinstance(move, Mapping):
            raise RoundError(f"a move of turn {number} is damaged")
        choice, rationale = move.get("choice"), move.get("rationale", "")
        numbers = [move.get("seconds", 0.0), move.get("time", 0.0)]
        if (
            not isinstance(choice, str)
            or not _ID.fullmatch(choice)
            or not isinstance(rationale, str)
            or len(rationale) > 1000
            or not isinstance(move.get("fallback", False), bool)
            or not all(isinstance(n, int | float) and 0 <= n < 1e11 for n in numbers)
        ):
            raise RoundError(f"{seat[:40]}'s move at turn {number} is damaged")
        moves[seat] = Move(
            choice, rationale, bool(move.get("fallback")), float(numbers[0]), float(numbers[1])
        )
    return turn, moves


def match_debrief(view: SeatView) -> Debrief:
    """The seat's debrief: its own decisions beside history, and every turn of the match with
    both seats' moves beside what both governments did."""
    match, scenario = view.match, view.loaded.scenario
    turns = []
    for played in match.played:
        moves = []
        for seat in match.mode.seats:
            point = scenario.point_by_id[played.turn.points[seat]]
            move = played.moves[seat]
            by_id = {c.id: c for c in point.choices}
            moves.append(
                MatchMove(
                    scenario.role_by_id[seat],
                    match.players.get(seat, ""),
                    point,
                    by_id[move.choice],
                    by_id.get(point.history.choice or ""),
                    move.fallback,
                )
            )
        turns.append(MatchTurn(played.turn, tuple(moves)))
    history = SeatView(historical_match(view.loaded), view.role)
    report = debrief(view, history, tuple(turns), frozenset(match.mode.opening))
    late = {
        played.turn.points[view.role] for played in match.played if played.moves[view.role].fallback
    }
    reviews = tuple(
        replace(r, chosen=as_in_match(r.chosen), fallback=r.point.id in late)
        for r in report.reviews
    )
    score = divergence([r.scored for r in reviews], report.ending)  # fallbacks left out
    return replace(report, reviews=reviews, divergence=score)
