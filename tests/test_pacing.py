"""The class's pacing (#27): the teacher's control state, with an injected clock (no sleeping)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl, PacingError
from game.engine.records.pacing_file import ControlReader, read_control, update, write_control

T0 = 1_800_000_000.0


def test_a_class_without_control_is_student_paced() -> None:
    control = ClassControl()
    assert control.gate(1, T0) == pacing.Gate("open")
    assert control.gate(7, T0).may_decide
    assert control.is_revealed(3)


def test_teacher_paced_students_wait_until_the_decision_is_opened() -> None:
    control = pacing.set_pace(ClassControl(), "teacher")
    assert control.gate(1, T0).state == "waiting"
    control = pacing.open_decision(control, 1, None, T0)
    assert control.gate(1, T0 + 500) == pacing.Gate("open", None)
    assert control.gate(2, T0 + 500).state == "waiting"


def test_a_countdown_runs_out_and_the_decision_expires() -> None:
    control = pacing.open_decision(ClassControl(), 2, 90, T0)
    assert control.pace == "teacher"
    assert control.gate(2, T0 + 30) == pacing.Gate("open", 60.0)
    assert control.gate(2, T0 + 89.5).remaining == pytest.approx(0.5)
    assert control.gate(2, T0 + 90) == pacing.Gate("expired", 0.0)
    assert control.remaining(2, T0 + 400) == 0.0
    reopened = pacing.open_decision(control, 2, 30, T0 + 400)
    assert reopened.gate(2, T0 + 410) == pacing.Gate("open", 20.0)


def test_pausing_freezes_every_countdown_until_resumed() -> None:
    control = pacing.open_decision(ClassControl(), 1, 60, T0)
    control = pacing.pause(control, T0 + 20)
    assert pacing.pause(control, T0 + 25) == control  # twice changes nothing
    assert control.gate(1, T0 + 20) == pacing.Gate("paused", 40.0)
    assert control.gate(1, T0 + 1000) == pacing.Gate("paused", 40.0)
    assert control.gate(2, T0 + 1000).state == "paused"
    control = pacing.resume(control, T0 + 1000)
    assert control.gate(1, T0 + 1010) == pacing.Gate("open", 30.0)
    control = pacing.resume(pacing.pause(control, T0 + 1020), T0 + 1100)
    assert control.remaining(1, T0 + 1100) == pytest.approx(20.0)
    assert control.gate(1, T0 + 1120).state == "expired"


def test_advancing_the_slowest_brings_the_countdown_to_zero_even_while_paused() -> None:
    control = pacing.open_decision(ClassControl(), 1, None, T0)
    with pytest.raises(PacingError, match="not open"):
        pacing.advance_slowest(control, 2, T0)
    paused = pacing.pause(control, T0 + 10)
    advanced = pacing.advance_slowest(paused, 1, T0 + 50)
    assert advanced.gate(1, T0 + 50) == pacing.Gate("expired", 0.0)
    assert pacing.advance_slowest(control, 1, T0 + 5).gate(1, T0 + 5).state == "expired"


def test_reveal_teacher_holds_each_decision_until_revealed() -> None:
    control = pacing.set_reveal(ClassControl(), "teacher")
    assert control.holds_history and not control.is_revealed(1)
    control = pacing.reveal(control, 1)
    assert control.is_revealed(1) and not control.is_revealed(2)
    assert control.all_revealed(1) and not control.all_revealed(2)
    assert pacing.set_reveal(control, "round").is_revealed(2)


def test_ending_the_class_closes_every_gate() -> None:
    control = pacing.end_class(pacing.open_decision(ClassControl(), 1, 60, T0), T0 + 5)
    assert control.gate(1, T0 + 6).state == "ended"
    assert ClassControl(ended=T0).gate(1, T0).state == "ended"  # student-paced too
    assert pacing.end_class(control, T0 + 99).ended == T0 + 5


@pytest.mark.parametrize("number", [0, -1, 1001, True])
def test_a_decision_is_a_number_from_1(number: int) -> None:
    with pytest.raises(PacingError):
        pacing.open_decision(ClassControl(), number, None, T0)


@pytest.mark.parametrize("seconds", [0.0, -5.0, float("nan"), float("inf"), 10e6])
def test_a_countdown_is_bounded(seconds: float) -> None:
    with pytest.raises(PacingError, match="countdown"):
        pacing.open_decision(ClassControl(), 1, seconds, T0)


def test_the_file_round_trips_with_a_new_version_each_write(tmp_path: Path) -> None:
    assert read_control(tmp_path) == ClassControl()
    control = pacing.pause(pacing.reveal(pacing.open_decision(ClassControl(), 3, 45, T0), 3), T0)
    written = write_control(tmp_path, control)
    assert written.version == 1
    assert read_control(tmp_path) == written
    assert (tmp_path / pacing.CONTROL_FILE).stat().st_mode & 0o777 == 0o600
    again = update(tmp_path, lambda c: pacing.resume(c, T0 + 10))
    assert again.version == 2 and not again.paused and read_control(tmp_path) == again


def test_a_reader_keeps_the_last_good_state_when_the_file_is_damaged(tmp_path: Path) -> None:
    reader = ControlReader(tmp_path)
    assert reader.read() == ClassControl()
    written = write_control(tmp_path, pacing.open_decision(ClassControl(), 1, None, T0))
    assert reader.read() == written
    path = tmp_path / pacing.CONTROL_FILE
    for damage in (
        "{",
        "[]",
        json.dumps({**pacing.to_json(written), "pace": "fast"}),
        json.dumps({**pacing.to_json(written), "opened": {"x": {"at": 1}}}),
        json.dumps({**pacing.to_json(written), "paused_at": float("inf")}),
        json.dumps({**pacing.to_json(written), "revealed": [True]}),
    ):
        path.write_text(damage)
        assert reader.read() == written
        assert str(path) in reader.problem
        with pytest.raises(PacingError, match=r"pacing\.json"):
            read_control(tmp_path)
    written = write_control(tmp_path, pacing.set_pace(written, "student"))
    assert reader.read() == written and reader.problem == ""


def test_a_control_file_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / pacing.CONTROL_FILE).mkdir()
    with pytest.raises(PacingError, match="folder"):
        read_control(tmp_path)
