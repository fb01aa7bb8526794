"""A match survives its seats' processes stopping and starting again (a class server restart)
without losing a turn: while nothing serves the seats, no clock turns into automatic moves
(game.engine.records.match_turns). Real ``flashpoint match`` processes over one match file; the time
the server was down is put into the file's clock, not waited for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from game.engine.records.matches import MatchStore
from tests.test_match_processes import TIMEOUT, Seat, start_match

PROMPT = "left for your move"  # the countdown, printed as the turn is shown


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
    pakistan.wait_for(PROMPT)
    iran.wait_for(PROMPT)  # both have turn 1 on screen: its clock runs
    stop(pakistan, iran)
    set_back(store, 600)  # ten minutes with nobody served: far past the deadline
    back = [
        Seat(tmp_path, "--join", code, "--name", name, "--store", str(store))
        for name in ("Ali", "Bea")
    ]
    for seat in back:
        seat.wait_for(PROMPT)
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
    pakistan.wait_for(PROMPT)
    iran.wait_for(PROMPT)
    stop(pakistan, iran)
    set_back(store, 600)
    ali = Seat(tmp_path, "--join", code, "--name", "Ali", "--store", str(store))
    ali.wait_for(PROMPT)
    ali.answer(["1", "alone"])
    ali.wait_for("has gone")  # Bea is not back
    assert "Both moves revealed" not in ali.text  # Bea has her whole time again
    set_back(store, 61)  # and it passes without her
    ali.wait_for("Both moves revealed")
    stop(ali)
    (turn,) = MatchStore(store).revealed(code)
    assert [(m.seat, m.fallback) for m in turn] == [("pakistan", False), ("iran", True)]
