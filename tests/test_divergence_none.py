"""A round without a decision of the student's own has no divergence (trial 2, F8): before, a
student who joined and never decided got 50 (the missing ending counted as the furthest,
over one imagined decision), which a teacher reads as "half off history" in the gradebook."""

from __future__ import annotations

from game.engine.play.scoring import divergence


class _Ending:
    distance = 3


def test_no_decision_no_divergence() -> None:
    assert divergence([], None) is None
    assert divergence([], _Ending()) is None
    assert divergence([None, None], None) is None  # automatic moves only


def test_a_student_s_own_decisions_still_count() -> None:
    assert divergence([True], None) == 50  # unfinished: the missing ending is the furthest
    assert divergence([True, False], _Ending()) == 40  # 25 from the decisions, 15 the ending
    assert divergence([True, None], _Ending()) == 15  # the automatic move left out
