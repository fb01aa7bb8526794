"""A finished round's debrief can be opened again from its record (game.engine.records.finished,
game.engine.classroom.debrief_file.reopen): what the title screen lists for a student who closed the
tab."""

from __future__ import annotations

from pathlib import Path

from game.engine.classroom.debrief_file import reopen
from game.engine.records.finished import finished_rounds
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import Round


def test_finished_rounds_are_listed_and_reopen_as_their_debrief(
    tmp_path: Path, mini: LoadedScenario
) -> None:
    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north", "Ada")
    while not played.is_over:
        point = played.session.point
        assert point is not None
        played.choose(point.choices[0].id, "my reason")
    left = Round.start(store, mini, "north", "Ada")
    left.leave()  # abandoned: nothing to read again
    (store.results / "zz-damaged.json").write_text("{not json")

    (finished,) = finished_rounds(store)
    assert finished.player == "Ada" and finished.round_id == played.session.round_id
    assert finished.scenario_title == mini.scenario.title
    session, report, note = reopen(finished)
    assert note == ""
    assert session.is_over and report.ending is not None
    assert {d.rationale for d in session.decisions} == {"my reason"}
