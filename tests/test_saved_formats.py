"""Files of the current formats, kept as written, still load: a save in progress, a result
record and a match seat's record (tests/data/saved/, written by this version's code against
the mini scenarios). A change that stops them loading changes a format students have files
in: give the format a new version and read the old one, do not regenerate these files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from game.engine.checks import loader
from game.engine.classroom.match_debrief import match_debrief, replay_record
from game.engine.play.session import Session
from game.engine.records.record_fast import fast_record
from game.engine.records.results import read_record, summarise
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from tests.conftest import DATA

SAVED = DATA / "saved"


@pytest.fixture(scope="module")
def strait() -> LoadedScenario:
    return loader.load(DATA / "mini" / "strait.yaml")


def data_of(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAVED / name).read_text())
    return data


def test_a_save_in_progress_is_listed_and_continues(strait: LoadedScenario, tmp_path: Path) -> None:
    data = data_of("round-in-progress.json")
    store = RoundStore(tmp_path)
    store.prepare()
    shutil.copy(SAVED / "round-in-progress.json", store.saves / f"{data['round']}.json")
    rounds, warnings = store.saved_rounds()
    assert warnings == []
    assert [(r.round_id, r.role, r.player, r.decisions) for r in rounds] == [
        (data["round"], "north", "Ana Lima", 1)
    ]
    session = Session.resume(strait, data)
    assert session.to_dict()["entries"] == data["entries"]
    assert session.point is not None and session.point.id == data["state"]["node"]
    while session.point is not None:
        session.choose(session.choices[0].id)
    assert session.ending is not None


def test_a_result_record_is_read_both_ways_and_summarised(strait: LoadedScenario) -> None:
    path = SAVED / "round-finished.json"
    record = read_record(path)
    assert fast_record(path, path.read_bytes()) == record
    assert (record.status, record.ending, record.player) == ("finished", "clash_end", "Ana Lima")
    assert [d.choice for d in record.decisions] == ["escort", "press"]
    summary = summarise(record, strait.scenario)
    assert summary.decided == 2
    session = Session.resume(strait, data_of("round-finished.json"))
    assert session.is_over and session.ending is not None and session.ending.id == "clash_end"


def test_a_match_seat_record_is_replayed_and_debriefed() -> None:
    loaded = loader.load(DATA / "mini" / "strait_match.yaml")
    view, code = replay_record(loaded, data_of("match-seat.json"))
    assert code == "ABC234"
    assert view.role == "north"
    assert view.match.ending is not None and view.match.ending.id == "calm_end"
    report = match_debrief(view)
    assert len(report.match) == 2
    record = read_record(SAVED / "match-seat.json")
    assert (record.match, record.ending) == ("ABC234", "calm_end")
