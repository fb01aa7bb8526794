"""Rounds honour the class's pacing (#27) in the engine, whatever the front end: waiting for
the teacher, countdowns frozen by a pause, the labelled fallback at zero (counted as "no move
in time" everywhere), history held until the teacher reveals it, the end of the class."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from game.engine.classroom import class_report as classroom
from game.engine.classroom.debrief import debrief
from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import ControlReader, update, write_control
from game.engine.records.results import read_record, summarise
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import PacingClosed, Round, abandon_open_rounds
from game.plain import PlainGame
from game.plain_outcome import outcome_lines
from game.reports.debrief_report import debrief_document
from game.reports.gradebook import gradebook_rows
from game.reports.pacing_words import HELD
from game.reports.spoken import spoken

T0 = 1_800_000_000.0


class Clock:
    """The time, set by the test (nothing sleeps)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def paced_round(folder: Path, loaded: LoadedScenario, control: ClassControl, clock: Clock) -> Round:
    write_control(folder, control)
    played = Round.start(RoundStore(folder / "home"), loaded, "pakistan", "Ana")
    played.pacing, played.clock = ControlReader(folder), clock
    played.control()
    return played


def record_of(folder: Path) -> dict[str, Any]:
    (path,) = (folder / "home" / "results").glob("*.json")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_students_wait_until_the_teacher_opens_each_decision(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    clock = Clock()
    played = paced_round(tmp_path, flagship, pacing.set_pace(ClassControl(), "teacher"), clock)
    assert played.gate().state == "waiting"
    with pytest.raises(PacingClosed, match="wait for your teacher"):
        played.choose(played.session.choices[0].id)
    assert played.session.decisions == []
    clock.now += 300  # the class waits
    update(tmp_path, lambda c: pacing.open_decision(c, 1, None, clock.now))
    assert played.gate() == pacing.Gate("open")
    clock.now += 20
    step = played.choose(played.session.choices[0].id)
    assert step.decision.seconds == 20.0  # counted from the opening, not the wait
    assert played.number == 2 and played.gate().state == "waiting"
    assert played.tick() is None


def test_a_countdown_frozen_by_a_pause_then_the_labelled_fallback(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    clock = Clock()
    played = paced_round(tmp_path, flagship, pacing.open_decision(ClassControl(), 1, 60, T0), clock)
    clock.now = T0 + 20
    assert played.gate() == pacing.Gate("open", 40.0)
    update(tmp_path, lambda c: pacing.pause(c, clock.now))
    clock.now = T0 + 500
    assert played.gate() == pacing.Gate("paused", 40.0)
    assert played.tick() is None
    with pytest.raises(PacingClosed, match="paused"):
        played.choose(played.session.choices[0].id)
    update(tmp_path, lambda c: pacing.resume(c, clock.now))
    clock.now = T0 + 539
    assert played.tick() is None and played.gate().remaining == pytest.approx(1.0)
    clock.now = T0 + 540
    point = played.session.point
    assert point is not None
    step = played.tick()
    assert step is not None and step.decision.automatic
    assert step.choice.id == point.history.choice  # history's move
    assert played.session.automatic == {point.id}
    lines = " ".join(outcome_lines(played.session, step))
    assert "You chose" not in lines and "No move in time" in lines


def test_an_answer_after_the_time_ran_out_gets_the_fallback_not_the_answer(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    clock = Clock()
    played = paced_round(tmp_path, flagship, pacing.open_decision(ClassControl(), 1, 30, T0), clock)
    point = played.session.point
    assert point is not None
    other = next(c.id for c in point.choices if c.id != point.history.choice)
    clock.now = T0 + 31
    step = played.choose(other, "too late")
    assert step.decision.automatic and step.choice.id == point.history.choice
    assert step.decision.rationale == ""


def test_advancing_the_slowest_counts_as_no_move_in_time_in_every_report(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    clock = Clock()
    played = paced_round(
        tmp_path, flagship, pacing.open_decision(ClassControl(), 1, None, T0), clock
    )
    update(tmp_path, lambda c: pacing.advance_slowest(c, 1, clock.now))
    assert played.tick() is not None
    played.leave()
    saved = record_of(tmp_path)
    decided = [e for e in saved["entries"] if e["kind"] == "decision"]
    assert [e.get("automatic") for e in decided] == [True]
    record = read_record(next((tmp_path / "home" / "results").glob("*.json")))
    assert [d.fallback for d in record.decisions] == [True]
    summary = summarise(record, flagship.scenario)
    assert summary.matches == (None,) and summary.decided == 0 and summary.divergence is None
    review = debrief(played.session)
    assert (review.late, review.decided) == (1, 0)
    text = " ".join(spoken(debrief_document(review).blocks))
    assert "no move in time" in text.lower() and "You chose" not in text
    report = classroom.build([tmp_path / "home" / "results"])
    (row,) = gradebook_rows(report)
    assert (row["no_move_in_time"], row["in_time"]) == (1, 0)


def test_an_automatic_decision_survives_a_resume(flagship: LoadedScenario, tmp_path: Path) -> None:
    clock = Clock()
    played = paced_round(tmp_path, flagship, pacing.open_decision(ClassControl(), 1, 5, T0), clock)
    clock.now = T0 + 6
    played.tick()
    played.leave()
    (saved,) = (tmp_path / "home" / "saves").glob("*.json")
    again = Round.resume(RoundStore(tmp_path / "home"), saved, flagship)
    assert again.session.automatic == played.session.automatic != frozenset()
    again.leave()


def test_history_is_held_until_the_teacher_reveals_it(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    clock = Clock()
    control = pacing.set_reveal(pacing.open_decision(ClassControl(), 1, None, T0), "teacher")
    played = paced_round(tmp_path, flagship, pacing.open_decision(control, 2, None, T0), clock)
    assert played.session.reveal == "debrief" and not played.reveals_history
    assert played.teacher_reveals
    point = played.session.point
    assert point is not None
    step = played.choose(played.session.choices[0].id)
    shown = " ".join(outcome_lines(played.session, step))
    assert point.history.summary[:40] not in shown and "actually did" not in shown
    assert list(played.revealed()) == [] and played.debrief_held()
    update(tmp_path, lambda c: pacing.reveal(c, 1))
    assert [n for n, _ in played.revealed()] == [1] and not played.debrief_held()
    update(tmp_path, lambda c: pacing.advance_slowest(c, 2, clock.now))
    late = played.tick()  # history's move, never named so while history is held
    assert late is not None and late.decision.automatic
    shown = " ".join(outcome_lines(played.session, late))
    assert "history's move" not in shown and "fallback move was played for you" in shown
    assert "revealed in the debrief" in shown
    assert played.debrief_held()  # decision 2 is not revealed yet
    played.leave()
    assert record_of(tmp_path)["settings"]["reveal"] == "debrief"


def test_a_resumed_round_in_a_teacher_revealed_class_holds_history(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    home = RoundStore(tmp_path / "home")
    first = Round.start(home, flagship, "pakistan", "Ana", reveal="immediate")
    first.leave()
    write_control(tmp_path, pacing.set_reveal(ClassControl(), "teacher"))
    (saved,) = (tmp_path / "home" / "saves").glob("*.json")
    again = Round.resume(home, saved, flagship, pacing=ControlReader(tmp_path))
    assert not again.reveals_history
    again.leave()


def test_ending_the_class_leaves_every_open_round_abandoned(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    clock = Clock()
    rounds = []
    for name in ("Ana", "Ben", "Chloé"):
        store = folder.join(name).store
        rounds.append(Round.start(store, flagship, "pakistan", name))
    playing = rounds[0]
    playing.pacing, playing.clock = ControlReader(folder.path), clock
    rounds[1].choose(rounds[1].session.choices[0].id)
    rounds[1].release()  # its game was killed: nobody plays it
    rounds[2].release()
    update(folder.path, lambda c: pacing.end_class(c, clock.now))
    assert playing.tick() is None and playing.session.status == "abandoned"
    assert abandon_open_rounds(folder.path) == 2
    assert abandon_open_rounds(folder.path) == 0
    statuses = []
    for student in folder.students():
        for path in student.store.results.glob("*.json"):
            statuses.append(json.loads(path.read_text())["status"])
    assert statuses == ["abandoned"] * 3


def test_a_round_outside_a_class_is_never_held(flagship: LoadedScenario, tmp_path: Path) -> None:
    played = Round.start(RoundStore(tmp_path), flagship, "pakistan")
    assert played.gate() == pacing.Gate("open") and played.tick() is None
    assert not played.debrief_held() and not played.teacher_reveals
    played.leave()


def test_plain_text_shows_nothing_historical_until_the_teacher_reveals_it(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    """A whole round in plain text (a script), its last decision's time run out: no
    government's move, no historical summary, before the reveal; the debrief after it."""
    clock = Clock()
    control = pacing.set_reveal(ClassControl(), "teacher")
    played = paced_round(tmp_path, flagship, control, clock)
    scenario = flagship.scenario
    history = [p.history.summary[:60] for p in scenario.points] + [
        "What the government did",
        "actually did this too",
        "history's move",
    ]
    output = io.StringIO()
    before: list[str] = []

    def teacher(_seconds: float) -> None:  # the game waits: the teacher reveals everything
        assert not before, "the game waited twice"
        before.append(output.getvalue())
        count = len(played.session.decisions)
        update(tmp_path, lambda c: replace(c, revealed=frozenset(range(1, count + 1))))

    def opened(control: ClassControl) -> ClassControl:
        for number in range(1, 11):  # decision 4's time runs out before the student is there
            control = pacing.open_decision(control, number, 5 if number == 4 else None, T0)
        return control

    update(tmp_path, opened)
    clock.now = T0 + 6
    game = PlainGame(io.StringIO("1\n\n" * 10), output, pauses=False, sleep=teacher)
    assert game.play(played) == 0
    assert played.is_over and played.session.decisions[3].automatic
    (shown_before,) = before
    assert "scenario's fallback move was played for you" in shown_before
    assert HELD in shown_before
    assert [text for text in history if text in shown_before] == []
    assert "What actually happened" in output.getvalue()[len(shown_before) :]


def test_no_new_round_starts_in_a_class_the_teacher_ended(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    write_control(tmp_path, pacing.end_class(ClassControl(), T0))
    home = tmp_path / "home"
    with pytest.raises(PacingClosed, match="ended the class"):
        Round.start(RoundStore(home), flagship, "pakistan", "Ana", pacing=ControlReader(tmp_path))
    assert not home.exists() or list(home.rglob("*.json")) == []
