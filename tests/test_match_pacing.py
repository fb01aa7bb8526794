"""Head-to-head under the teacher's pacing, in the engine (no front end), on the match file and
on PostgreSQL: a seat's turn N waits until the teacher opens decision N; the teacher's
countdown is the turn's clock (the match's own deadline does not count), a pause stops it and
keeps the time left; the countdown's end and "advance the slowest" seal a silent seat's move
as made for it; the end of the class leaves every seat, recorded abandoned. And a match
started by code: its clock waits for the partner, unless the teacher gave the free seat to
history's moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.play import pacing
from game.engine.play.fallback import fallback_choice
from game.engine.play.pacing import ClassControl
from game.engine.records.matches import MatchError, MatchStore
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import PacingClosed
from game.engine.seats.match_seat import MatchSeat
from game.engine.seats.match_visit import abandon_open_seats
from tests.test_matches import Clock, clock, store

__all__ = ["clock", "store"]  # fixtures


class Teacher(ControlReader):
    """The class's control as the teacher sets it (the file's reader, without the file)."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(Path("/nonexistent"))
        self.clock = clock
        self.control = ClassControl(pace="teacher")

    def read(self) -> ClassControl:
        return self.control

    def open(self, number: int, seconds: float | None) -> None:
        self.control = pacing.open_decision(self.control, number, seconds, self.clock.now)


def seats(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, teacher: ControlReader | None
) -> tuple[MatchSeat, MatchSeat]:
    """Ali and Bea in a match whose own deadline (5 s) is far shorter than any countdown."""
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", deadline=5, pacing=teacher
    )
    bea = MatchSeat.enter(
        store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code, pacing=teacher
    )
    return ali, bea


def first(played: MatchSeat) -> str:
    """The first choice of the seat's turn."""
    point = played.view.point
    assert point is not None
    return point.choices[0].id


def status(played: MatchSeat) -> str:
    return str(json.loads(played.record_path.read_text())["status"])


def test_a_turn_waits_for_the_teacher_and_runs_on_the_teacher_s_clock(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali, bea = seats(store, flagship, tmp_path, teacher)
    try:
        assert ali.gate().state == "waiting" and ali.remaining() is None
        with pytest.raises(PacingClosed, match="wait for your teacher"):
            ali.choose(first(ali))
        ali.showing()
        bea.showing()  # not open: not on screen, so the match's own clock has not started
        assert store.remaining(ali.code, 1) is None
        clock.now += 600  # long past the match's own deadline: nothing is played for anyone
        assert ali.poll() is None and bea.poll() is None
        teacher.open(1, 60)
        ali.showing()
        bea.showing()
        assert ali.gate().state == "open" and ali.remaining() == 60
        clock.now += 20  # the match's own deadline (5 s) has passed: it does not count
        assert ali.poll() is None and bea.remaining() == 40
        teacher.control = pacing.pause(teacher.control, clock.now)
        clock.now += 300
        assert ali.gate().state == "paused" and bea.remaining() == 40  # kept
        with pytest.raises(PacingClosed, match="paused"):
            ali.choose(first(ali))
        teacher.control = pacing.resume(teacher.control, clock.now)
        clock.now += 10
        assert ali.remaining() == 30
        assert ali.choose(first(ali), "in time")
        assert ali.poll() is None  # Bea has 30 s left
        clock.now += 31
        outcome = bea.poll()  # her countdown ran out: her fallback is sealed, made for her
        assert outcome is not None
        (turn,) = store.revealed(ali.code)
        assert [(m.seat, m.fallback, m.rationale) for m in turn] == [
            ("pakistan", False, "in time"),
            ("iran", True, ""),
        ]
        assert ali.poll() is not None  # Ali sees the same turn
        assert ali.gate().state == "waiting"  # turn 2 waits for decision 2
        teacher.open(2, None)  # no countdown: no clock at all
        clock.now += 3600
        assert ali.remaining() is None and ali.poll() is None
        teacher.control = pacing.advance_slowest(teacher.control, 2, clock.now)
        assert not bea.choose(first(bea))
        assert ali.poll() is not None and bea.poll() is not None
        second = store.revealed(ali.code)[1]
        assert [m.fallback for m in second] == [True, True]  # both made for them, labelled
        teacher.control = pacing.end_class(teacher.control, clock.now)
        assert ali.poll() is None and ali.left and status(ali) == "abandoned"
        with pytest.raises(PacingClosed, match="ended"):
            bea.choose(first(bea))
        assert bea.left and status(bea) == "abandoned"
    finally:
        ali.leave()
        bea.leave()


def test_the_end_of_the_class_leaves_the_seats_no_game_holds(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    ali, bea = seats(store, flagship, tmp_path, None)
    ali.close()  # a class page's seats: nothing holds them between requests
    bea.close()
    homes = {"Ali": RoundStore(tmp_path / "ali"), "Bea": RoundStore(tmp_path / "bea")}
    assert abandon_open_seats(store, homes.get, print, flagship) == 2
    assert (status(ali), status(bea)) == ("abandoned", "abandoned")
    assert store.presence(ali.code) == {"pakistan": "gone", "iran": "gone"}


def test_a_match_started_by_code_waits_for_the_partner_unless_the_teacher_gave_history_the_seat(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", deadline=60
    )
    try:
        ali.showing()
        clock.now += 3600  # nobody has joined: the turn is on one screen only
        assert ali.remaining() is None and ali.poll() is None
        bea = MatchSeat.enter(
            store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code
        )
        try:
            assert ali.remaining() is None  # she has not shown the turn yet
            bea.showing()
            assert ali.remaining() == 60  # both have it: the whole time, from now
        finally:
            bea.leave()
    finally:
        ali.leave()
    code = store.create(flagship.scenario.id, flagship.sha256, ("pakistan", "iran"), 60)
    store.reserve(code, "pakistan", "Cara")
    store.give_history(code, "iran")  # the teacher's match for a lone student
    with pytest.raises(MatchError, match="full"):
        store.join(code, "Dan")  # history's seat is nobody's
    cara = MatchSeat.enter(store, RoundStore(tmp_path / "cara"), flagship, "Cara", code=code)
    try:
        cara.showing()
        assert cara.remaining() == 60  # her clock runs alone
        clock.now += 61
        assert cara.poll() is not None
        (turn,) = store.revealed(code)
        assert [(m.seat, m.fallback) for m in turn] == [("pakistan", True), ("iran", True)]
    finally:
        cara.leave()


def test_under_held_history_a_silent_seat_s_move_gives_history_nothing_away(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    teacher.control = pacing.set_reveal(teacher.control, "teacher")
    ali, bea = seats(store, flagship, tmp_path, teacher)
    try:
        teacher.open(1, 30)
        point = bea.view.point
        assert point is not None
        clock.now += 31
        assert ali.poll() is not None and ali.view.reveal == "debrief"
        (turn,) = store.revealed(ali.code)
        made = {m.seat: m.choice for m in turn}
        offered = [c.id for c in point.choices]
        assert made["iran"] == fallback_choice(point, offered, history_shown=False)
    finally:
        ali.leave()
        bea.leave()
