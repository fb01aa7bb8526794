"""Head-to-head in plain text: one seat of a match over standard input and output.

Each turn the seat reads its situation and decides; its move is sealed in the match store;
then it waits (polling the store) until both moves are revealed, or until the deadline makes
the scenario's fallback stand for a silent seat. The match is rebuilt from the store's
revealed turns whenever the seat (re)joins, so killing the process loses at most the move
being typed. After each turn the seat's record is written atomically to the results folder.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.joint import Match, Move, SeatView
from game.engine.joint_record import match_debrief, match_round, match_round_id
from game.engine.loader import LoadedScenario
from game.engine.matches import LOOK_SECONDS, MatchError, MatchInfo, MatchStore, Watch
from game.engine.matches import Move as StoredMove
from game.engine.store import atomic_write
from game.engine.text import long_date
from game.plain import EndOfInput, PlainGame, terminating_ends_input
from game.reports.debrief_report import debrief_document
from game.reports.match_report import briefing_blocks, reveal_blocks
from game.reports.writers import to_text

HEARTBEAT_SECONDS = 2.0
"""How often a waiting seat tells the match file it is still there."""


@dataclass
class PlainMatch(PlainGame):
    """One seat of a match, played over text streams."""

    store: MatchStore = field(repr=False, kw_only=True)
    loaded: LoadedScenario = field(repr=False, kw_only=True)
    code: str = field(kw_only=True)
    seat: str = field(kw_only=True)
    results: Path = field(kw_only=True)
    reveal: str = field(default="immediate", kw_only=True)
    clock: Callable[[], float] = field(default=time.time, kw_only=True)
    sleep: Callable[[float], None] = field(default=time.sleep, kw_only=True)

    def rebuild(self, info: MatchInfo) -> SeatView:
        """The match as the store has it: every revealed turn replayed."""
        players = {seat: name or "" for seat, name in info.seats.items()}
        match = Match(self.loaded, players, info.created)
        for moves in self.store.revealed(self.code):
            match.play({m.seat: _move(m) for m in moves})
        return SeatView(match, self.seat, self.reveal)

    def run(self) -> int:
        """Play the seat to the end of the match, or until input runs out; the exit status."""
        info = self.store.info(self.code)
        view = self.rebuild(info)
        scenario = self.loaded.scenario
        self.heading(
            f"{scenario.title} — {scenario.role_by_id[self.seat].name} — match {self.code}"
        )
        if view.match.number == 1 and self.store.sealed(self.code, self.seat, 1) is None:
            self.show(briefing_blocks(view, self.code))
        else:
            self.say(f"Rejoining match {self.code} at turn {view.match.number}.")
        try:
            with terminating_ends_input():
                while view.match.turn is not None:
                    self.turn(view)
        except EndOfInput:
            self.say(f"You left match {self.code}; rejoin it with the same code and name.")
            return 0
        self.save(view)
        self.store.finish(self.code)
        self.stdout.write("\n" + to_text(debrief_document(match_debrief(view))))
        self.say()
        self.say(f"Result saved to {self.record_path(view)}")
        return 0

    def turn(self, view: SeatView) -> None:
        match = view.match
        number, other = match.number, match.mode.other(self.seat)
        info = self.store.info(self.code)
        turn = match.turn
        assert turn is not None
        match.players.update({seat: name for seat, name in info.seats.items() if name})
        other_name = info.seats.get(other) or "not joined yet"
        invented = any(
            self.loaded.scenario.point_by_id[p].counterfactual for p in turn.points.values()
        )
        label = " (not historical)" if invented else ""
        self.heading(f"Turn {number}: {long_date(turn.date)} — {turn.title}{label}")
        self.say(f"Facing you: {self.loaded.scenario.role_by_id[other].name} ({other_name})")
        self.present(view)
        sealed = self.store.sealed(self.code, self.seat, number)
        if sealed is None:
            shown = self.clock()
            choice, rationale = self.read_choice(view)
            try:
                self.store.move(
                    self.code, self.seat, number, choice, rationale, round(self.clock() - shown, 3)
                )
            except MatchError:
                self.say("Too late: the deadline passed, and the scenario's fallback move stood.")
        else:
            point = view.point
            assert point is not None
            label = next(view.words(c) for c in point.choices if c.id == sealed)
            self.say(f"You had already decided this turn: {label}")
        moves = self.wait(view, number)
        point = view.point
        assert point is not None
        reveal = match.play(moves)
        self.heading("Both moves revealed")
        self.show(reveal_blocks(view, point, reveal))
        self.save(view)

    def wait(self, view: SeatView, number: int) -> dict[str, Move]:
        """The turn's revealed moves, polling the store until both are in (or the deadline
        has made a fallback stand)."""
        said, watch, beat = "", Watch(self.store), 0.0
        while True:
            if not watch.due():
                self.sleep(LOOK_SECONDS)
                continue
            revealed = self.store.resolve(self.code, number, view.match.fallbacks())
            if revealed is not None:
                info = self.store.info(self.code)
                view.match.players.update({s: n for s, n in info.seats.items() if n})
                return {m.seat: _move(m) for m in revealed}
            status = self.store.status(self.code)
            other = self.loaded.scenario.role_by_id[view.match.mode.other(self.seat)].name
            message = {
                "waiting": f"Waiting for someone to join as {other} with code {self.code}...",
                "paused": "The other seat has gone quiet; its fallback stands at the deadline.",
            }.get(status, "Waiting for the other seat's move...")
            if message != said:
                self.say(message)
                said = message
            if self.clock() - beat >= HEARTBEAT_SECONDS:
                self.store.heartbeat(self.code, self.seat)
                beat = self.clock()

    def record_path(self, view: SeatView) -> Path:
        name = match_round_id(view.loaded.scenario.id, self.code, self.seat)
        return self.results / f"{name}.json"

    def save(self, view: SeatView) -> None:
        """Write the seat's record (atomically), as a round file with the match in it."""
        over = view.match.ending is not None
        finished = self.clock() if over else None
        data = match_round(view, self.code, finished, "finished" if over else "playing")
        self.results.mkdir(parents=True, exist_ok=True)
        atomic_write(self.record_path(view), json.dumps(data, ensure_ascii=False, indent=1))


def _move(stored: StoredMove) -> Move:
    return Move(stored.choice, stored.rationale, stored.fallback, stored.seconds, stored.at)
