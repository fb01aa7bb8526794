"""A plain seat whose turn is shown after its time has run out hears "Time is up" once
(trial 2, F12: a seat started after the decision had closed heard it twice, from the turn's
announcement and again from its clock, before it could read anything)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.plain_match import PlainMatch
from game.plain_match_clock import TIME_UP, TurnClock, TurnOver
from tests.test_matches import Clock, clock

__all__ = ["clock"]  # fixtures


@pytest.fixture
def terminal() -> Iterator[TextIO]:
    """The game's standard input, a pseudo-terminal nobody types into."""
    master, slave = os.openpty()
    stdin = os.fdopen(slave, "r", encoding="utf-8")
    yield stdin
    stdin.close()
    os.close(master)


def test_time_up_is_said_once(
    tmp_path: Path, flagship: LoadedScenario, clock: Clock, terminal: TextIO
) -> None:
    store = MatchStore(tmp_path / "matches.sqlite", clock)
    ali = MatchSeat.enter(store, RoundStore(tmp_path / "a"), flagship, "Ali", "pakistan")
    bea = MatchSeat.enter(store.reopen(), RoundStore(tmp_path / "b"), None, "Bea", code=ali.code)
    out = io.StringIO()
    try:
        ali.showing()
        bea.showing()
        clock.now += 10_000  # the turn's time ran out before Ali's screen said anything
        turn = TurnClock(PlainMatch(terminal, out, played=ali), ali)
        turn.announce()
        with pytest.raises(TurnOver):
            turn.read_line()
        assert out.getvalue().count(TIME_UP) == 1, out.getvalue()
    finally:
        ali.leave()
        bea.leave()
        store.close()
