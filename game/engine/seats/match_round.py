"""A seat's match as a round file: its own round, plus the match it was part of.

Each seat's record is an ordinary round file (``game.engine.play.roundfile``): its decisions, the
events it was shown (the other seat's moves among them) and its state, so result listings and
class reports read it like any round. A ``match`` section adds the code, both players and
every revealed turn with each seat's move; :mod:`game.engine.classroom.match_debrief` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from game.engine.play.match import SeatView
from game.engine.play.roundfile import ROUND_FORMAT, ROUND_VERSION
from game.engine.play.session import Decision


def match_round_id(scenario: str, code: str, seat: str) -> str:
    """The round id (and file name) of a seat's record of a match."""
    return f"{scenario}-match-{code}-{seat}".lower().replace("_", "-")


def match_round(view: SeatView, code: str, finished: float | None, status: str) -> dict[str, Any]:
    """``view``'s seat of the match as a round file with a ``match`` section."""
    match, scenario = view.match, view.loaded.scenario
    point = view.point
    return {
        "format": ROUND_FORMAT,
        "version": ROUND_VERSION,
        "round": match_round_id(scenario.id, code, view.role),
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "sha256": view.loaded.sha256,
            "file": str(view.loaded.path),
        },
        "role": view.role,
        "role_name": scenario.role_by_id[view.role].name,
        "player": view.player,
        "status": status,
        "settings": {"reveal": view.reveal},
        "started": match.started,
        "finished": finished,
        "entries": [  # the opening's decisions were history's, not the student's
            asdict(entry)
            for entry in view.entries
            if not (isinstance(entry, Decision) and entry.point in match.mode.opening)
        ],
        "state": {
            "node": point.id if point else match.node,
            "date": point.date.isoformat() if point else None,
            "indicators": dict(view.indicators),
            "rung": view.seat.rung,
            "ending": match.ending.id if match.ending else None,
        },
        "match": {
            "code": code,
            "seat": view.role,
            "players": dict(match.players),
            "turns": [
                {"turn": p.turn.id, "moves": {s: asdict(m) for s, m in p.moves.items()}}
                for p in match.played
            ],
        },
    }
