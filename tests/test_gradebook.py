"""The gradebook CSV: one row per student, the documented columns, the CSV safety rules; the
figures counted here from the raw records and the raw scenario YAML."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from game.cli import main
from game.engine.base.text import export_name
from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.engine.scenario.loaded import LoadedScenario
from tests.conftest import FLAGSHIP, ROOT
from tests.test_no_move_in_time import write_silent_match

COLUMNS = [
    "student",
    "scenario",
    "version",
    "roles",
    "rounds",
    "finished",
    "decisions",
    "in_time",
    "no_move_in_time",
    "matched",
    "divergence",
    "ending",
    "status",
    "last_played",
]

# (player, role, choices, abandon): Ana plays twice under two spellings of her name.
ROUNDS = [
    ("Ana", "pakistan", ["recall_and_bar", "targeted_strikes", "open_channels", "host_visit"], 0),
    ("ana ", "iran", ["strike_jaish"], 1),
    ('=HYPERLINK("http://x")', "pakistan", ["protest_only"], 1),
    ("Ze\u202eev", "pakistan", ["appeal_abroad"], 1),
    ("", "iran", ["strike_jaish", "warn_pakistan"], 1),
]


def write_class(loaded: LoadedScenario, folder: Path) -> None:
    clock = [1_700_000_000.0]
    for number, (player, role, choices, abandon) in enumerate(ROUNDS):
        clock[0] += 100.0
        session = Session.start(loaded, role, player=player, clock=lambda: clock[0])
        for choice in choices:
            session.choose(choice, rationale="a reason")
        if abandon:
            session.abandon()
        session.round_id = f"round-{number:02d}"
        (folder / f"{session.round_id}.json").write_text(json.dumps(session.to_dict()))


@pytest.fixture
def results(flagship: LoadedScenario, tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    write_silent_match(flagship, folder)  # Ali (Pakistan) and Bea (Iran, never moved)
    write_class(flagship, folder)
    return folder


def gradebook(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[list[str]]:
    assert main(["class", str(folder), "--format", "gradebook", *extra]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def test_one_row_per_student_with_the_documented_columns(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, *rows = gradebook(results, capsys)
    assert header == COLUMNS
    documented = (ROOT / "docs" / "debrief.md").read_text()
    assert all(f"`{column}`" in documented for column in COLUMNS)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(rows) == 6  # Ali, Bea, Ana (two rounds), the formula, Zeev, one unnamed round
    assert set(by_name) == {
        "Ali",
        "Bea",
        "Ana",
        '\'=HYPERLINK("http://x")',  # the formula rule: shown as text, never run
        "Zeev",  # the direction override removed
        "(no name) round-04",
    }
    scenario = yaml.safe_load(FLAGSHIP.read_text())
    history = {p["id"]: (p.get("history") or {}).get("choice") for p in scenario["points"]}
    records = [json.loads(p.read_text()) for p in sorted(results.glob("*.json"))]
    ana = [r for r in records if r["player"].strip().casefold() == "ana"]
    own = [e for r in ana for e in r["entries"] if e["kind"] == "decision"]
    assert by_name["Ana"]["rounds"] == "2"
    assert by_name["Ana"]["finished"] == "1"
    assert by_name["Ana"]["decisions"] == by_name["Ana"]["in_time"] == str(len(own))
    assert by_name["Ana"]["matched"] == str(sum(e["choice"] == history[e["point"]] for e in own))
    assert by_name["Ana"]["status"] == "abandoned"  # her latest round's
    assert by_name["Ana"]["roles"] == "Pakistan's caretaker government; Iran's government"
    bea = by_name["Bea"]
    assert (bea["in_time"], bea["no_move_in_time"], bea["matched"]) == ("0", "4", "0")
    assert bea["divergence"] == ""  # nothing of her own to score
    assert bea["ending"] == "Managed de-escalation"
    for row in by_name.values():
        float(row["divergence"] or 0)  # numbers a gradebook can import
        assert int(row["in_time"]) + int(row["no_move_in_time"]) == int(row["decisions"])


def test_anonymized_gradebook_names_nobody(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, *rows = gradebook(results, capsys, "--anonymize")
    text = "\n".join(",".join(row) for row in rows)
    for name in ("Ali", "Bea", "Ana", "HYPERLINK", "Zeev", "Ze"):
        assert name not in text
    assert all(row[0].startswith("Student ") for row in rows)


def test_gradebook_written_to_a_file(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    assert main(["class", str(results), "--format", "gradebook", "-o", str(out)]) == 0
    with out.open(newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_every_report_says_the_class_code_the_days_and_the_scenario_version(
    flagship: LoadedScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    lesson = ClassFolder.open_or_create(tmp_path / "class", (str(flagship.path),), None)
    folder = lesson.join("Ana").store.results
    folder.mkdir(parents=True, exist_ok=True)
    write_class(flagship, folder)
    assert main(["class", str(lesson.path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    version = flagship.sha256[:12]
    if fmt == "json":
        data = json.loads(out)
        assert data["class_codes"] == [lesson.code]
        first = dt.datetime.fromtimestamp(1_700_000_100.0).date().isoformat()  # local day
        last = dt.datetime.fromtimestamp(1_700_000_500.0).date().isoformat()
        assert data["played"] == {"first": first, "last": last}
        assert data["groups"][0]["scenario"]["sha256"].startswith(version)
        return
    text = " ".join(re.sub(r"</?strong>|\*\*", "", out).split())
    assert f"Class code: {lesson.code}." in text
    assert "November 2023" in text
    assert f"{flagship.scenario.title}, version {version}" in text


@pytest.mark.parametrize(
    ("player", "round_id", "expected"),
    [
        ("Ana López", "iran_pakistan_2024-pakistan-20261204-101500-a1b2c3", "ana-lopez-"),
        ("../../etc/passwd", "iran_pakistan_2024-match-k7q2mx-iran", "etc-passwd-"),
        ('=HYPERLINK("x")', "r", "hyperlink-x-"),
        ("Ze\u202eev\x1b[31m", "r", "zeev-31m-"),
        ("李雷", "r", "student-"),
        ("", "", "student-round"),
    ],
)
def test_an_exported_debrief_is_named_after_the_student_and_the_round(
    player: str, round_id: str, expected: str
) -> None:
    name = export_name(player, round_id)
    assert name.startswith(expected)
    assert re.fullmatch(r"[a-z0-9_][a-z0-9_-]*", name) and len(name) <= 141
    if round_id == "iran_pakistan_2024-pakistan-20261204-101500-a1b2c3":
        assert name.endswith(round_id)  # the scenario, the role, when it was played
    assert export_name(player * 20, round_id * 20).count("-") < 80  # long names are cut
