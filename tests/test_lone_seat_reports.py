"""A lone student's match against history's moves (no classmate, #27): in every report (the
class report in text and JSON, the CSV, the gradebook) and in the debrief, the student's own
moves are theirs (in time, or "no move in time" where they were silent), and the other seat's
moves are history's: nobody's, never anyone's "no move in time", named "history's moves (no
classmate)" as the student's pages and debrief name them.

The match is played through the seat as a class page plays it (the match file's clock is the
test's); the expected figures are counted from the match file itself (sqlite3) and the raw
scenario YAML, not from the engine's helpers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from game.cli import main
from game.engine.classroom.debrief_file import from_record
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.match_report import NO_CLASSMATE
from game.reports.writers import to_text
from tests.conftest import ROOT
from tests.test_matches import Clock
from tests.test_no_move_in_time import independent_count

SILENT_TURN = 2
"""The turn at which the lone student does not move."""


def play_alone(loaded: LoadedScenario, folder: Path) -> tuple[Path, Path, str]:
    """Ana alone as Pakistan, Iran's seat free: her own move at each turn (the first one not
    history's), none at turn ``SILENT_TURN``; her record, the match file and the code."""
    clock = Clock()
    store = MatchStore(folder / "matches.sqlite", clock=clock)
    rounds = RoundStore(folder)
    code = store.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 60.0)
    store.give_history(code, "iran")  # the teacher's match for a lone student (console 'h')
    played = MatchSeat.enter(store, rounds, loaded, "Ana", "pakistan", code)
    try:
        number = 0
        while not played.is_over:
            number += 1
            point = played.view.point
            assert point is not None
            played.showing()
            others = [c.id for c in point.choices if c.id != point.history.choice]
            if number != SILENT_TURN:
                played.choose(others[0] if number == 1 else str(point.history.choice))
            clock.now += 61.0  # the deadline passes: history's move for the free seat
            assert played.poll() is not None
        assert number > SILENT_TURN
        return played.record_path, folder / "matches.sqlite", played.code
    finally:
        played.close()
        store.close()


def counted(match_file: Path, code: str) -> dict[str, dict[str, int]]:
    """Per seat, from the match file itself: its moves in time, and the moves played for it
    at the deadline."""
    db = sqlite3.connect(match_file)
    try:
        rows = db.execute("SELECT seat, fallback FROM moves WHERE code = ?", (code,)).fetchall()
        names = dict(db.execute("SELECT seat, name FROM seats WHERE code = ?", (code,)).fetchall())
    finally:
        db.close()
    assert names == {"pakistan": "Ana", "iran": None}  # Iran's seat stayed free
    count: dict[str, dict[str, int]] = {}
    for seat, fallback in rows:
        mine = count.setdefault(seat, {"own": 0, "late": 0})
        mine["late" if fallback else "own"] += 1
    return count


@pytest.fixture
def alone(flagship: LoadedScenario, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    record, match_file, code = play_alone(flagship, tmp_path)
    by_seat = counted(match_file, code)
    mine = independent_count(record)  # her own seat's moves, from the raw record
    assert by_seat["pakistan"]["late"] == mine["late"] == 1  # her silent turn
    assert by_seat["pakistan"]["own"] == mine["own"] > 0
    assert by_seat["iran"] == {"own": 0, "late": mine["own"] + mine["late"]}
    return record, mine


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_csv_and_gradebook_count_her_moves_and_nobody_s_for_history(
    alone: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    record, mine = alone
    rows = list(
        csv.DictReader(io.StringIO(run(["class", str(record.parent), "--format", "csv"], capsys)))
    )
    assert {r["role"] for r in rows} == {"pakistan"}  # history's seat has no rows
    assert sum(r["matches_history"] == "no move in time" for r in rows) == mine["late"]
    assert sum(r["in_time"] == "yes" for r in rows) == mine["own"]
    assert sum(r["matches_history"] == "yes" for r in rows) == mine["matched"]
    out = run(["class", str(record.parent), "--format", "gradebook"], capsys)
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["student"] == "Ana"
    assert int(row["in_time"]) == mine["own"] and int(row["no_move_in_time"]) == mine["late"]
    assert int(row["matched"]) == mine["matched"]


def test_the_class_report_names_history_s_seat_and_counts_no_move_of_it(
    alone: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    record, mine = alone
    data = json.loads(run(["class", str(record.parent), "--format", "json"], capsys))
    jsonschema.validate(data, json.loads((ROOT / "docs" / "class-report.schema.json").read_text()))
    (group,) = data["groups"]
    (student,) = group["students"]
    assert (student["in_time"], student["no_move_in_time"]) == (mine["own"], mine["late"])
    assert group["match"]["no_move_in_time"] == mine["late"]  # never history's moves
    assert sum(p["no_move_in_time"] for p in group["points"]) == mine["late"]
    (match,) = group["matches"]
    (seat,) = match["seats"]
    assert (seat["role"], seat["in_time"], seat["no_move_in_time"]) == (
        "pakistan", mine["own"], mine["late"]
    )  # fmt: skip
    assert match["history_seats"] == [{"role": "iran", "role_name": "Iran's government"}]
    text = " ".join(run(["class", str(record.parent)], capsys).split())
    assert f"No move in time: {mine['late']} " in text
    assert f"Iran's government: {NO_CLASSMATE}" in text


def test_the_debrief_agrees(alone: tuple[Path, dict[str, Any]]) -> None:
    record, mine = alone
    report, _ = from_record(json.loads(record.read_text()))
    text = " ".join(to_text(debrief_document(report)).split())
    assert f"Iran's government: {NO_CLASSMATE}, not scored" in text
    assert "Iran's government 0 of 0" not in text
    assert f"({mine['late']} no move in time)" in text
    data = debrief_data(report)
    jsonschema.validate(data, json.loads((ROOT / "docs" / "debrief.schema.json").read_text()))
    assert (data["in_time"], data["no_move_in_time"]) == (mine["own"], mine["late"])
    moves = [m for turn in data["match"] for m in turn["moves"]]
    assert all(m["no_classmate"] for m in moves if m["seat"] == "iran")
    assert not any(m["no_classmate"] for m in moves if m["seat"] == "pakistan")
    assert sum(m["fallback"] for m in moves if m["seat"] == "pakistan") == mine["late"]
