"""A plain-text match seat is told its clock in words while its student thinks (#27), at a real
terminal (a pseudo-terminal in this process): a seat that shows the turn first hears that its
time starts when both have it, then that it has started, then reminders at one minute and ten
seconds, then that time is up; under the teacher's pacing, that it waits for the teacher, that
the class is paused and goes on. Lines only: no control sequence."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pytest

from game.engine.play import pacing
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.plain_match import PlainMatch
from game.plain_match_clock import STARTS, TIME_UP, TurnClock, TurnOver
from game.reports.pacing_words import PAUSED, WAITING
from tests.test_match_pacing import Teacher
from tests.test_matches import Clock, clock

__all__ = ["clock"]  # fixtures


@pytest.fixture
def terminal() -> Iterator[tuple[int, TextIO]]:
    """A pseudo-terminal: the end a student types into, and the game's standard input."""
    master, slave = os.openpty()
    stdin = os.fdopen(slave, "r", encoding="utf-8")
    yield master, stdin
    stdin.close()
    os.close(master)


def until(out: io.StringIO, text: str) -> None:
    for _ in range(200):
        if " ".join(text.split()) in " ".join(out.getvalue().split()):  # lines wrap
            return
        time.sleep(0.025)
    raise AssertionError(f"never said {text!r}:\n{out.getvalue()}")


def meanwhile(steps: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    """What the other seat and the teacher do while the seat (in this thread, which holds its
    match file's connection) waits for its student's line; what went wrong there."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            steps()
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, failed


def test_a_plain_seat_hears_its_clock_start_and_run_down(
    tmp_path: Path, flagship: LoadedScenario, clock: Clock, terminal: tuple[int, TextIO]
) -> None:
    master, stdin = terminal
    path = tmp_path / "matches.sqlite"
    store = MatchStore(path, clock)
    ali = MatchSeat.enter(store, RoundStore(tmp_path / "a"), flagship, "Ali", "pakistan")
    bea = MatchSeat.enter(store.reopen(), RoundStore(tmp_path / "b"), None, "Bea", code=ali.code)
    out = io.StringIO()
    try:
        turn = TurnClock(PlainMatch(stdin, out, played=ali), ali)
        ali.showing()
        turn.announce()
        assert "Your time starts when both of you have this turn on screen" in out.getvalue()

        def other_seat() -> None:
            theirs = MatchStore(path, clock)  # Bea's game shows the turn: the clock starts
            theirs.showing(ali.code, "iran", 1)
            theirs.close()
            until(out, f"{STARTS} 5:00 left for your move")
            clock.now += 241
            until(out, "59 seconds left for your move.")
            clock.now += 50
            until(out, "your move. 9 seconds left for your move.")  # not "59 seconds"
            os.write(master, b"2\n")  # Ali types his choice

        thread, failed = meanwhile(other_seat)
        assert turn.read_line() == "2\n"
        thread.join(5)
        assert not failed
        clock.now += 10  # while he types his reason, the time runs out
        with pytest.raises(TurnOver):
            turn.read_line()
        said = out.getvalue()
        assert TIME_UP in said and said.count("left for your move.") == 2 and "\x1b" not in said
    finally:
        ali.leave()
        bea.leave()
        store.close()


def test_a_plain_seat_waits_for_the_teacher_and_hears_a_pause(
    tmp_path: Path, flagship: LoadedScenario, clock: Clock, terminal: tuple[int, TextIO]
) -> None:
    master, stdin = terminal
    teacher = Teacher(clock)
    store = MatchStore(tmp_path / "matches.sqlite", clock)
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "a"), flagship, "Ali", "pakistan", pacing=teacher
    )
    store.join(ali.code, "Bea")  # the teacher's countdown is a pair's, not a lone creator's
    out = io.StringIO()
    try:
        turn = TurnClock(PlainMatch(stdin, out, played=ali), ali)

        def opens() -> None:
            until(out, WAITING)
            teacher.open(1, 90)

        thread, failed = meanwhile(opens)
        turn.await_open()
        thread.join(5)
        turn.announce()
        assert "1:30 left for your move" in out.getvalue()

        def pauses() -> None:
            teacher.control = pacing.pause(teacher.control, clock.now)
            until(out, f"{PAUSED} Time left when it resumes: 1 minute 30 seconds.")
            teacher.control = pacing.resume(teacher.control, clock.now)
            until(out, "The class goes on. 1:30 left for your move")
            os.write(master, b"1\n")

        thread, more = meanwhile(pauses)
        assert turn.read_line() == "1\n"
        thread.join(5)
        assert not failed and not more
    finally:
        ali.leave()
        store.close()
