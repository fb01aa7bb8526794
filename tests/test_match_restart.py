"""A match survives its seats' processes stopping and starting again (a class server restart)
without losing a turn: while nothing serves the seats, no clock turns into automatic moves
(game.engine.records.match_turns). Real ``flashpoint match`` processes over one match file; the time
the server was down is put into the file's clock, not waited for."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from game.engine.records.matches import MatchStore
from tests.test_match_processes import TIMEOUT, Seat, start_match

SHOWN = ("left for your move", "Your time starts when")  # said as the turn is shown


def clock_runs(store: Path, code: str, *seats: Seat) -> None:
    """Once every seat shows the turn, its clock runs (whichever seat showed it first: a
    seat that shows it before the other is told the time starts when both have it)."""
    watched = MatchStore(store)
    try:
        for _ in range(int(TIMEOUT / 0.05)):
            on_screen = all(any(words in seat.text for words in SHOWN) for seat in seats)
            if on_screen and watched.remaining(code, 1) is not None:
                return
            time.sleep(0.05)
    finally:
        watched.close()
    raise AssertionError("turn 1's clock never started")


def set_back(path: Path, seconds: float) -> None:
    """Every time the match file keeps, ``seconds`` earlier: as if that long had passed."""
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE matches SET created = created - ?", (seconds,))
        db.execute("UPDATE turns SET started = started - ?", (seconds,))
        db.execute("UPDATE shown SET at = at - ?", (seconds,))
        db.execute("UPDATE seats SET last_seen = last_seen - ?", (seconds,))
    db.close()


def stop(*seats: Seat) -> None:
    """The server stops: each seat's input closes, and it leaves the match."""
    for seat in seats:
        seat.close()
    for seat in seats:
        assert seat.process.wait(TIMEOUT) == 0, seat.text[-2000:]


def test_a_restart_of_both_seats_loses_no_turn(tmp_path: Path) -> None:
    store = tmp_path / "matches.sqlite"
    pakistan, iran, code = start_match(tmp_path, store, deadline=60.0)
    clock_runs(store, code, pakistan, iran)  # both have turn 1 on screen: its clock runs
    stop(pakistan, iran)
    set_back(store, 600)  # ten minutes with nobody served: far past the deadline
    back = [
        Seat(tmp_path, "--join", code, "--name", name, "--store", str(store))
        for name in ("Ali", "Bea")
    ]
    clock_runs(store, code, *back)  # in whichever order they came back
    for seat in back:
        seat.answer(["1", "back again"])
    for seat in back:
        seat.wait_for("Both moves revealed")
    stop(*back)
    (turn,) = MatchStore(store).revealed(code)
    assert [(m.seat, m.fallback, m.rationale) for m in turn] == [
        ("pakistan", False, "back again"),
        ("iran", False, "back again"),
    ]


def test_a_seat_that_never_comes_back_gets_its_fallback_once_the_time_is_up(
    tmp_path: Path,
) -> None:
    store = tmp_path / "matches.sqlite"
    pakistan, iran, code = start_match(tmp_path, store, deadline=60.0)
    clock_runs(store, code, pakistan, iran)
    stop(pakistan, iran)
    set_back(store, 600)
    ali = Seat(tmp_path, "--join", code, "--name", "Ali", "--store", str(store))
    ali.wait_for(SHOWN[0])  # Bea, gone for ten minutes, counts as having read the turn
    ali.answer(["1", "alone"])
    ali.wait_for("has gone")  # Bea is not back
    assert "Both moves revealed" not in ali.text  # Bea has her whole time again
    set_back(store, 61)  # and it passes without her
    ali.wait_for("Both moves revealed")
    stop(ali)
    (turn,) = MatchStore(store).revealed(code)
    assert [(m.seat, m.fallback) for m in turn] == [("pakistan", False), ("iran", True)]
