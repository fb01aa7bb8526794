"""A match move's time taken (trial 2, F8): the class page seals a move without saying how long
the student took, and it was recorded as 0.0 ("Time 0:00" in the class report); the seat now
counts it from when the turn came on its screen, in the match file and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from tests.test_match_pacing import first
from tests.test_matches import Clock, clock, store

__all__ = ["clock", "store"]  # fixtures


def test_a_move_s_time_counts_from_when_the_turn_was_on_the_seat_s_screen(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    ali = MatchSeat.enter(store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan")
    bea = MatchSeat.enter(store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code)
    try:
        ali.showing()
        clock.now += 5
        bea.showing()
        clock.now += 37
        assert ali.choose(first(ali), "no time given")  # as the class page seals it
        assert bea.choose(first(bea), "", 12.5)  # a front end that timed it says so
        assert ali.poll() is not None
        (turn,) = store.revealed(ali.code)
        assert {m.seat: m.seconds for m in turn} == {"pakistan": 42.0, "iran": 12.5}
    finally:
        ali.close()
        bea.close()
