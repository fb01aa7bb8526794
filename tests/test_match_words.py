"""A match seat's words about its clock are true for its case (trial F5): under the teacher's
pacing a lone creator is told no time runs until a classmate joins, a pair without countdown
that the teacher closes the decision, a lone student against history that history plays the
other side (nobody joins it); outside a class, the pair's clock as before."""

from __future__ import annotations

from pathlib import Path

from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.reports.document import Paragraph
from game.reports.match_report import briefing_blocks, free_seat_clock, seat_time_left
from tests.test_match_pacing import Teacher, seats
from tests.test_matches import Clock, clock, store

__all__ = ["clock", "store"]  # fixtures


def text(played: MatchSeat, history: bool) -> str:
    blocks = briefing_blocks(played.view, played.code, history)
    return " ".join(s.text for b in blocks if isinstance(b, Paragraph) for s in b.spans)


def test_a_lone_creator_under_the_teacher_s_pacing_is_told_no_time_runs(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", pacing=teacher
    )
    try:
        teacher.open(1, 60)
        words = seat_time_left(ali, ali.remaining())
        assert words.startswith("No time runs until a classmate joins")
        assert "both of you" not in free_seat_clock(True)
        assert "the other student joins with it" in text(ali, False)
    finally:
        ali.leave()


def test_a_pair_without_countdown_is_told_the_teacher_closes_the_decision(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    ali, bea = seats(store, flagship, tmp_path, teacher)
    try:
        teacher.open(1, None)
        assert seat_time_left(ali, ali.remaining()) == (
            "No time limit: your teacher closes the decision."
        )
        teacher.open(1, 60)
        assert seat_time_left(bea, bea.remaining()).startswith("1:00 left for your move")
    finally:
        ali.leave()
        bea.leave()


def test_a_lone_student_against_history_is_never_told_of_a_classmate(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    code = store.create(flagship.scenario.id, flagship.sha256, ("pakistan", "iran"), 60)
    store.reserve(code, "iran", "Ola")
    store.give_history(code, "pakistan")
    teacher = Teacher(clock)
    ola = MatchSeat.enter(store, RoundStore(tmp_path / "ola"), flagship, "Ola", code=code)
    try:
        mine = seat_time_left(ola, None)
        assert mine == "Your time starts when you have this turn on screen."
        assert "History's move" in seat_time_left(ola, None, theirs=True)
        ola.pacing = teacher
        teacher.open(1, None)
        assert "your teacher closes the decision" in seat_time_left(ola, None, theirs=True)
        assert "joins with it" not in text(ola, True) and "history's moves" in text(ola, True)
    finally:
        ola.leave()
