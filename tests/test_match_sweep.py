"""The class's pacing reaches matches nobody is looking at (trial F1), and a match started by
code after the class's decision closed is behind the class, not born played (trial F4): in the
engine, on the match file and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.play import pacing
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.engine.seats.match_sweep import Sweep
from game.engine.seats.match_visit import abandon_open_seats
from tests.test_match_pacing import Teacher, first, seats
from tests.test_matches import Clock, clock, store

__all__ = ["clock", "store"]  # fixtures


def record(home: Path) -> dict[str, object]:
    (found,) = (home / "results").glob("*.json")
    return dict(json.loads(found.read_text()))


def test_an_expired_countdown_seals_silent_seats_with_nobody_loading_a_page(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali, bea = seats(store, flagship, tmp_path, teacher)
    ali.close()  # a class page's seats: nothing holds them between requests
    bea.close()
    homes = {"Ali": RoundStore(tmp_path / "ali"), "Bea": RoundStore(tmp_path / "bea")}
    sweep = Sweep(teacher, homes.get, print, flagship)
    teacher.open(1, 30)
    assert sweep.tick(store) == 0  # open: not due, no seat visited
    assert store.revealed(ali.code) == []
    entries = len(record(tmp_path / "bea")["entries"])  # type: ignore[arg-type]
    clock.now += 31
    before = store.presence(ali.code)
    assert sweep.tick(store) == 2  # each seat's record plays the turn
    (turn,) = store.revealed(ali.code)
    assert [(m.seat, m.fallback) for m in turn] == [("pakistan", True), ("iran", True)]
    assert store.presence(ali.code) == before  # a sweep is not a student there
    assert len(record(tmp_path / "bea")["entries"]) > entries  # type: ignore[arg-type]
    teacher.open(2, 30)
    teacher.control = pacing.advance_slowest(teacher.control, 2, clock.now)
    assert sweep.tick(store) == 2 and len(store.revealed(ali.code)) == 2
    teacher.control = pacing.end_class(teacher.control, clock.now)
    assert sweep.tick(store) == 2
    assert record(tmp_path / "ali")["status"] == "abandoned"
    assert sweep.tick(store) == 0  # left seats are not visited again


def test_a_seat_held_by_another_process_is_skipped(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali, bea = seats(store, flagship, tmp_path, teacher)
    try:
        bea.close()
        homes = {"Ali": RoundStore(tmp_path / "ali"), "Bea": RoundStore(tmp_path / "bea")}
        teacher.open(1, 30)
        clock.now += 31
        assert Sweep(teacher, homes.get, print, flagship).tick(store) == 1  # Bea's only
        assert ali.number == 1  # Ali's game holds his seat and plays the turn itself
        assert ali.poll() is not None
    finally:
        ali.leave()


def test_a_lone_match_against_history_is_abandoned_at_the_end_of_the_class(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    code = store.create(flagship.scenario.id, flagship.sha256, ("pakistan", "iran"), 60)
    store.reserve(code, "iran", "Ola")
    store.give_history(code, "pakistan")
    MatchSeat.enter(store, RoundStore(tmp_path / "ola"), flagship, "Ola", code=code).close()
    assert store.status(code) == "playing"  # history's seat waits for nobody
    teacher.open(1, 30)
    clock.now += 31
    homes = {"Ola": RoundStore(tmp_path / "ola")}
    assert Sweep(teacher, homes.get, print, flagship).tick(store) == 1
    assert abandon_open_seats(store, homes.get, print, flagship) == 1
    assert store.status(code) == "abandoned"


def test_a_match_started_after_the_decision_closed_is_behind_the_class(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    teacher.open(1, 30)
    clock.now += 31  # decision 1 has closed for the class
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", pacing=teacher
    )
    try:
        assert ali.gate().state == "open" and ali.remaining() is None
        assert ali.poll() is None  # nothing played without a classmate
        bea = MatchSeat.enter(
            store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code, pacing=teacher
        )
        try:
            clock.now += 600  # no countdown: the pair plays turn 1 at its own speed
            assert bea.gate().state == "open" and bea.poll() is None
            assert ali.choose(first(ali)) and bea.choose(first(bea))
            outcome = ali.poll()
            assert outcome is not None
            (turn,) = store.revealed(ali.code)
            assert not any(m.fallback for m in turn)
            assert ali.gate().state == "waiting"  # decision 2 is not open yet: with the class
            teacher.open(2, 30)
            clock.now += 31  # a countdown the pair had: it counts
            assert ali.gate().state == "expired"
        finally:
            bea.leave()
    finally:
        ali.leave()


def test_a_lone_creator_s_clock_does_not_run_before_the_partner_joins(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", pacing=teacher
    )
    try:
        teacher.open(1, 30)
        assert ali.remaining() is None  # the teacher's countdown is not hers alone
        clock.now += 31
        assert ali.poll() is None and store.revealed(ali.code) == []
        assert store.join(ali.code, "Bea") == "iran"  # the code still works
    finally:
        ali.leave()


@pytest.mark.parametrize("late", [False, True])
def test_a_pair_formed_before_the_countdown_ran_out_is_sealed_by_it(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock, late: bool
) -> None:
    teacher = Teacher(clock)
    teacher.open(1, 30)
    clock.now += 40 if late else 10
    ali, bea = seats(store, flagship, tmp_path, teacher)
    try:
        clock.now += 30
        assert ali.gate().state == ("open" if late else "expired")
    finally:
        ali.leave()
        bea.leave()
