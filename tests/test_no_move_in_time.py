"""A match seat that never moves: every report counts its automatic moves (the scenario's
fallback, which stood at the deadline) as "no move in time", never as the student's choice,
never as matching history, never in divergence.

The expected figures are counted here from the raw records' JSON and the raw scenario YAML,
not from the engine's helpers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import main
from game.engine.classroom.debrief_file import from_record
from game.engine.play.match import Match, Move, SeatView
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_round import match_round
from game.engine.seats.match_seat import MatchSeat
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.writers import to_text
from tests.conftest import FLAGSHIP, ROOT
from tests.test_matches import Clock

SILENT = ROOT / "scenarios" / "iran-pakistan-2024.match-silent.plan.yaml"
CODE = "K7Q2MX"


def write_silent_match(loaded: LoadedScenario, folder: Path) -> dict[str, Path]:
    """The silent plan played out (Iran never moves), each seat's record written as the match
    writes it; the record of each seat by seat."""
    plan = yaml.safe_load(SILENT.read_text())
    match = Match(loaded, {"pakistan": "Ali", "iran": "Bea"}, 1.0)
    for step in plan["turns"]:
        fallbacks = match.fallbacks()
        moves = {
            seat: Move(step["moves"][seat], "my reason", seconds=12.0, time=2.0)
            if seat in step["moves"]
            else Move(fallbacks[seat], fallback=True, time=2.0)
            for seat in match.mode.seats
        }
        match.play(moves)
    assert match.ending is not None and match.ending.id == plan["end"]["ending"]
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for seat in match.mode.seats:
        data = match_round(SeatView(match, seat), CODE, 3.0, "finished")
        paths[seat] = folder / f"{data['round']}.json"
        paths[seat].write_text(json.dumps(data))
    return paths


def independent_count(record: Path) -> dict[str, int]:
    """From the raw record and the raw scenario YAML: the seat's moves of its own, those that
    match history, and its automatic ones."""
    data = json.loads(record.read_text())
    seat = data["match"]["seat"]
    scenario = yaml.safe_load(FLAGSHIP.read_text())
    history = {p["id"]: (p.get("history") or {}).get("choice") for p in scenario["points"]}
    turns = {t["id"]: t for t in scenario["head_to_head"]["turns"]}
    own = matched = late = 0
    for played in data["match"]["turns"]:
        move = played["moves"][seat]
        if move["fallback"]:
            late += 1
            continue
        own += 1
        point = turns[played["turn"]]["points"][seat]
        matched += move["choice"] == history[point]
    return {"own": own, "matched": matched, "late": late}


@pytest.fixture
def silent(flagship: LoadedScenario, tmp_path: Path) -> dict[str, Path]:
    return write_silent_match(flagship, tmp_path / "results")


def test_the_silent_seat_really_was_silent(silent: dict[str, Path]) -> None:
    iran, pakistan = independent_count(silent["iran"]), independent_count(silent["pakistan"])
    assert iran == {"own": 0, "matched": 0, "late": 4}
    assert pakistan["own"] == 4 and pakistan["late"] == 0


def test_class_json_counts_fallbacks_apart(
    silent: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class", str(silent["iran"].parent), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, json.loads((ROOT / "docs" / "class-report.schema.json").read_text()))
    (group,) = data["groups"]
    students = {s["role"]: s for s in group["students"]}
    for seat, record in silent.items():
        counted = independent_count(record)
        row = students[seat]
        assert row["in_time"] == counted["own"]
        assert row["no_move_in_time"] == counted["late"]
        assert row["matched"] == counted["matched"]
    assert students["iran"]["divergence"] is None  # nothing of the student's to score
    pakistan = independent_count(silent["pakistan"])
    assert group["match"]["matched"] == pakistan["matched"]
    assert group["match"]["decisions"] == pakistan["own"]
    assert group["match"]["no_move_in_time"] == 4
    assert group["divergence"]["rounds"] == 1  # Pakistan's only
    late_points = sum(p["no_move_in_time"] for p in group["points"])
    assert late_points == 4
    for point in group["points"]:
        if point["role"] == "iran":
            assert point["decisions"] == 0 and point["matched"] in (0, None)
            assert all(c["rounds"] == 0 for c in point["choices"])
    (seats,) = [m["seats"] for m in group["matches"]]
    iran = next(s for s in seats if s["role"] == "iran")
    assert iran["first_departure"] is None
    assert (iran["in_time"], iran["no_move_in_time"]) == (0, 4)


def test_class_text_never_says_the_silent_seat_followed_history(
    silent: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class", str(silent["iran"].parent)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Bea: never moved (4 no move in time)" in text
    assert "Bea: followed history" not in text
    assert "No move in time: 4" in text
    assert main(["class", str(silent["iran"].parent), "--format", "md"]) == 0
    assert "| 0 of 0, 4 no move in time |" in capsys.readouterr().out  # Bea's row


def test_class_csv_marks_each_fallback_row(
    silent: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class", str(silent["iran"].parent), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    iran = [r for r in rows if r["role"] == "iran"]
    assert len(iran) == 4
    assert {r["matches_history"] for r in iran} == {"no move in time"}
    assert {r["in_time"] for r in iran} == {"no"}
    assert {r["divergence"] for r in iran} == {""}
    pakistan = [r for r in rows if r["role"] == "pakistan"]
    assert {r["in_time"] for r in pakistan} == {"yes"}
    matched = sum(r["matches_history"] == "yes" for r in pakistan)
    assert matched == independent_count(silent["pakistan"])["matched"]


def test_debriefs_never_show_a_fallback_as_the_students_choice(silent: dict[str, Path]) -> None:
    report, _ = from_record(json.loads(silent["iran"].read_text()))
    data = debrief_data(report)
    jsonschema.validate(data, json.loads((ROOT / "docs" / "debrief.schema.json").read_text()))
    assert (data["matched"], data["in_time"], data["no_move_in_time"]) == (0, 0, 4)
    assert data["divergence"] is None
    assert all(d["fallback"] and not d["matches"] for d in data["decisions"])
    iran_moves = [m for t in data["match"] for m in t["moves"] if m["seat"] == "iran"]
    assert all(m["fallback"] and not m["matches"] for m in iran_moves)
    text = " ".join(to_text(debrief_document(report)).split())
    assert "You chose:" not in text
    assert text.count("No move in time — history's move was played for you:") == 4
    assert "Decisions that matched history: 0 of 0." in text
    assert "Iran's government 0 of 0 (4 no move in time)" in text
    assert "matches what happened" not in text
    mine, _ = from_record(json.loads(silent["pakistan"].read_text()))
    counted = independent_count(silent["pakistan"])
    assert (mine.matched, mine.decided, mine.late) == (counted["matched"], 4, 0)
    assert "You chose:" in to_text(debrief_document(mine))


def play_silent_through_the_store(loaded: LoadedScenario, home: Path) -> dict[str, Path]:
    """The silent plan played by two engine seats on one match file, as two students' games
    play it: Bea has every turn on screen and never moves; the file's clock passes each
    deadline (injected, not waited for). Each seat's record, by seat."""
    plan = yaml.safe_load(SILENT.read_text())
    ours = {step["at"]: step["moves"]["pakistan"] for step in plan["turns"]}
    clock = Clock()
    home.mkdir(parents=True)
    path = home / "matches.sqlite"
    ali = MatchSeat.enter(
        MatchStore(path, clock), RoundStore(home / "ali"), loaded, "Ali", "pakistan", deadline=60
    )
    bea = MatchSeat.enter(
        MatchStore(path, clock), RoundStore(home / "bea"), None, "Bea", code=ali.code
    )
    try:
        while not ali.is_over:
            ali.showing()
            bea.showing()  # on her screen; she never moves
            turn = ali.view.match.turn
            assert turn is not None
            assert ali.choose(ours[turn.id], "my reason")
            assert ali.poll() is None and bea.poll() is None  # her time is not up
            clock.now += 61
            assert ali.poll() is not None and bea.poll() is not None
    finally:
        ali.leave()
        bea.leave()
    return {"pakistan": ali.record_path, "iran": bea.record_path}


def test_a_seat_silent_in_a_real_match_is_counted_apart_in_every_report(
    flagship: LoadedScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = play_silent_through_the_store(flagship, tmp_path / "class")
    folder = tmp_path / "records"
    folder.mkdir()
    for record in records.values():
        (folder / record.name).write_bytes(record.read_bytes())
    counted = {seat: independent_count(path) for seat, path in records.items()}
    assert counted["iran"] == {"own": 0, "matched": 0, "late": 4}
    assert counted["pakistan"]["late"] == 0
    assert main(["class", str(folder), "--format", "json"]) == 0
    (group,) = json.loads(capsys.readouterr().out)["groups"]
    for row in group["students"]:
        mine = counted[row["role"]]
        assert (row["in_time"], row["no_move_in_time"], row["matched"]) == (
            mine["own"],
            mine["late"],
            mine["matched"],
        )
    assert main(["class", str(folder), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["matches_history"] for r in rows if r["role"] == "iran"} == {"no move in time"}
    report, _ = from_record(json.loads(records["iran"].read_text()))
    data = debrief_data(report)
    assert (data["matched"], data["in_time"], data["no_move_in_time"]) == (0, 0, 4)
    text = " ".join(to_text(debrief_document(report)).split())
    assert "You chose:" not in text and "matches what happened" not in text
