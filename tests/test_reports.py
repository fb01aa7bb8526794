"""Result records, debriefs in every format, and class reports."""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from game.cli import main
from game.engine.base.stats import half_up
from game.engine.classroom import class_report as classroom
from game.engine.classroom.debrief import debrief
from game.engine.play.scoring import divergence
from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from scripts.make_sample_results import random_round
from tests.conftest import MINI, ROOT, FakeClock

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    "**bold** # heading [@click=app.quit]q[/] https://evil.invalid"
)


def finished_round(
    loaded: LoadedScenario, home: Path, role: str, choices: list[str], rationale: str = "because"
) -> Path:
    session = Session.start(loaded, role, "Ada", clock=FakeClock())
    for choice in choices:
        session.choose(choice, rationale)
    return RoundStore(home).record(session)


def cli(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def flagship_result(flagship: LoadedScenario, home: Path) -> Path:
    return finished_round(
        flagship,
        home,
        "iran",
        ["strike_jaish", "warn_pakistan", "demand_explanation", "agree_deescalate", "fm_visit"],
    )


def test_result_record_holds_what_the_issue_lists(flagship_result: Path) -> None:
    record = json.loads(flagship_result.read_text())
    assert record["format"] == "flashpoint-round" and record["version"] == 1
    assert set(record["scenario"]) >= {"id", "title", "sha256"}
    assert record["role"] == "iran" and record["player"] == "Ada"
    assert record["started"] < record["finished"]
    decision = next(e for e in record["entries"] if e["kind"] == "decision")
    assert set(decision) >= {
        "point",
        "choice",
        "rung",
        "before",
        "after",
        "rationale",
        "seconds",
        "time",
    }
    assert any(e["kind"] == "event" for e in record["entries"])
    assert record["state"]["ending"] == "managed_deescalation"


def test_results_lists_records(flagship_result: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("results") == 0
    out = capsys.readouterr().out
    assert flagship_result.name in out and "managed_deescalation" in out


def test_divergence_is_defined_by_decisions_and_ending(flagship: LoadedScenario) -> None:
    ending = flagship.scenario.ending_by_id
    assert divergence([True, True], ending["managed_deescalation"]) == 0
    assert divergence([True, False], ending["managed_deescalation"]) == 25
    assert divergence([False, False], ending["escalation_spiral"]) == 95
    assert divergence([True], None) == 50


@dataclass(frozen=True)
class _Ending:
    distance: int


def test_divergence_in_whole_numbers_equals_the_exact_definition() -> None:
    """Half from the share of differing decisions, half from the ending's distance, computed
    exactly with fractions and rounded half up: every case of 1 to 12 decisions (none: no
    divergence, tests/test_divergence_none.py)."""
    for decisions in range(1, 13):
        for differing in range(decisions + 1):
            matches = [False] * differing + [True] * (decisions - differing)
            for distance in [None, *range(11)]:
                ending = None if distance is None else _Ending(distance)
                share = Fraction(differing, decisions)
                exact = 50 * share + Fraction(50 * (10 if distance is None else distance), 10)
                assert divergence(matches, ending) == int(half_up(exact)), (matches, distance)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_debrief_round_trips_into_each_format(
    flagship_result: Path, tmp_path: Path, fmt: str
) -> None:
    output = tmp_path / f"debrief.{fmt}"
    assert cli("debrief", str(flagship_result), "--format", fmt, "-o", str(output)) == 0
    text = output.read_text()
    if fmt == "json":
        data = json.loads(text)
        assert [d["choice"] for d in data["decisions"]] == [
            "strike_jaish",
            "warn_pakistan",
            "demand_explanation",
            "agree_deescalate",
            "fm_visit",
        ]
        assert [d["matches"] for d in data["decisions"]] == [True, False, True, True, True]
        assert data["divergence"] == 10 and data["ending"]["id"] == "managed_deescalation"
        assert {c["id"] for c in data["contested"]} >= {"ambassadors", "ir_strike_casualties"}
        return
    plain = " ".join(re.sub(r"<[^>]+>|\\|>", " ", text).replace("&quot;", '"').split())
    plain = plain.replace(" ,", ",")
    for expected in (
        "Warn Pakistan publicly",
        "differs from what happened",
        "Managed de-escalation",
        "Divergence",
        "Sources disagree",
        "nine people were killed in the strikes",
        "CNN Wire",
        "Questions for discussion",
        "Your escalation",
    ):
        assert expected in plain, expected
    if fmt == "html":
        assert "<svg" in text and "<polyline" in text
        assert "<script" not in text.lower() and "src=" not in text and "href=" not in text


def test_debrief_by_round_id_and_to_stdout(
    flagship_result: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("debrief", flagship_result.stem) == 0
    assert "Debrief: Border Strikes" in capsys.readouterr().out


def test_debrief_of_missing_or_corrupt_result(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("debrief", "no-such-round") == 1
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "flashpoint-round", "version": 1, "entr')
    assert cli("debrief", str(broken)) == 1
    err = capsys.readouterr().err
    assert "no such result file or round id" in err
    assert "broken.json: cannot be read (damaged JSON at line 1" in err


def hostile_record(loaded: LoadedScenario, home: Path) -> Path:
    session = Session.start(loaded, "north", HOSTILE)
    session.choose("escort", HOSTILE)
    session.choose("talk", HOSTILE)
    return RoundStore(home).record(session)


def test_hostile_rationale_is_inert_in_every_format(
    mini: LoadedScenario, home: Path, tmp_path: Path
) -> None:
    path = hostile_record(mini, home)
    for fmt in ("text", "md", "html"):
        output = tmp_path / f"out.{fmt}"
        assert (
            cli("debrief", str(path), "--format", fmt, "-o", str(output), "--scenario", str(MINI))
            == 0
        )
        text = output.read_text()
        if fmt == "md":
            assert "<script>" not in text and "<img" not in text
            assert "[click](javascript:" not in text and "https://evil" not in text
            assert "&lt;script>" in text and r"\[click\]" in text and r"\*\*bold\*\*" in text
        if fmt == "html":
            assert "<script" not in text and "<img" not in text
            assert "<a " not in text and "href" not in text
            assert "&lt;script&gt;" in text
        if fmt == "text":
            assert "<script>alert(1)</script>" in text  # shown literally, nothing runs


def test_control_characters_in_a_crafted_record_never_reach_the_terminal(
    mini: LoadedScenario, home: Path, tmp_path: Path
) -> None:
    path = hostile_record(mini, home)
    data = json.loads(path.read_text())
    for entry in data["entries"]:
        if entry["kind"] == "decision":
            entry["rationale"] = "\x1b]52;c;aGk=\x07\x1b[2J evil"
    path.write_text(json.dumps(data))
    output = tmp_path / "class.txt"
    assert cli("class", str(path.parent), "-o", str(output)) == 0
    text = output.read_text()
    assert "\x1b" not in text and "\x07" not in text and "evil" in text


def play_class(loaded: LoadedScenario, folder: Path, count: int, seed: int) -> list[Session]:
    rng = random.Random(seed)
    sessions = [random_round(loaded, rng, n) for n in range(count)]
    store = RoundStore(folder)
    for session in sessions:
        store.record(session)
    return sessions


def test_class_report_counts_exactly(flagship: LoadedScenario, tmp_path: Path) -> None:
    sessions = play_class(flagship, tmp_path, 60, seed=7)
    report = classroom.build([tmp_path / "results"])
    assert report.skipped == [] and len(report.groups) == 1
    group = next(iter(report.groups.values()))
    assert group.students == Counter(s.role for s in sessions)
    assert group.endings == Counter(s.ending.id for s in sessions if s.ending)
    expected = Counter((d.point, d.choice) for s in sessions for d in s.decisions)
    got = Counter({(p, c): n for p, counts in group.choices.items() for c, n in counts.items()})
    assert got == expected
    divergences = [debrief(s).divergence for s in sessions]
    scored = [d for d in divergences if d is not None]
    assert len(scored) == len(divergences)  # every round of one student is scored
    assert group.average_divergence == Fraction(sum(scored), len(scored))
    first_step = Counter(s.escalation()[0] for s in sessions if s.role == "iran")
    start = flagship.scenario.point_by_id["ir_strike"].date
    assert group.curve_counts["iran"][(start, 0)] == first_step
    given = sum(1 for s in sessions for d in s.decisions if d.rationale)
    assert sum(r.count for r in group.rationales.values()) == given


def test_class_csv_has_one_row_per_student_per_decision(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    sessions = play_class(flagship, tmp_path, 25, seed=3)
    output = tmp_path / "class.csv"
    assert cli("class", str(tmp_path / "results"), "--format", "csv", "-o", str(output)) == 0
    with output.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(len(s.decisions) for s in sessions)
    assert tuple(rows[0]) == classroom.CSV_COLUMNS
    assert {r["matches_history"] for r in rows} <= {"yes", "no"}


def test_corrupt_foreign_and_other_version_records_are_kept_apart(
    flagship: LoadedScenario,
    mini: LoadedScenario,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    play_class(flagship, tmp_path, 5, seed=1)
    results = tmp_path / "results"
    finished_round(mini, tmp_path, "north", ["escort", "talk"])
    other = json.loads(next(results.glob("sample-00000.json")).read_text())
    other["scenario"]["sha256"] = "0" * 64
    other["round"] = "older-version"
    (results / "older-version.json").write_text(json.dumps(other))
    (results / "truncated.json").write_text('{"format": "flashpoint-round", "vers')
    (results / "garbage.json").write_bytes(b"\xff\xfe\x00garbage")
    (results / "wrong.json").write_text('{"format": "something-else"}')
    moved = json.loads(next(results.glob("sample-00001.json")).read_text())
    moved["entries"][-1]["point"] = "removed_point"
    moved["entries"][-1]["kind"] = "decision"
    moved["entries"][-1].setdefault("choice", "x")
    (results / "removed-point.json").write_text(json.dumps(moved))
    output = tmp_path / "report.md"
    assert cli("class", str(results), "--format", "md", "-o", str(output)) == 0
    report = classroom.build([results])
    assert report.total == 7
    assert sorted((g.scenario_id, g.records) for g in report.groups.values()) == [
        ("iran_pakistan_2024", 1),
        ("iran_pakistan_2024", 5),
        ("strait", 1),
    ]
    assert len(report.skipped) == 4
    for name in ("truncated.json", "garbage.json", "wrong.json", "removed-point.json"):
        assert any(name in warning for warning in report.skipped)
    text = output.read_text()
    assert "Skipped records" in text and "another version" in text
    err = capsys.readouterr().err
    assert err.count("warning: skipped") == 4


def test_class_report_of_nothing_usable_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").write_text("[]")
    assert cli("class", str(tmp_path)) == 1
    assert "no usable result records found" in capsys.readouterr().err


def test_abandoned_plain_round_writes_a_result(home: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "game.cli", "play", str(MINI), "--plain", "--role", "north"],
        input="1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"FLASHPOINT_HOME": str(home), "PATH": "/usr/bin"},
    )
    assert result.returncode == 0
    records = list((home / "results").glob("*.json"))
    assert len(records) == 1
    assert json.loads(records[0].read_text())["status"] == "abandoned"
    assert len(list((home / "saves").glob("*.json"))) == 1


def test_committed_example_reports_are_current(tmp_path: Path) -> None:
    samples = ROOT / "docs" / "examples" / "sample-results"
    for fmt, name in (
        ("md", "class-report.md"),
        ("html", "class-report.html"),
        ("json", "class-report.json"),
    ):
        output = tmp_path / name
        assert cli("class", str(samples), "--format", fmt, "-o", str(output)) == 0
        assert output.read_text() == (ROOT / "docs" / "examples" / name).read_text(), (
            "regenerate with the commands in docs/debrief.md"
        )
    for fmt in ("md", "html", "json"):
        output = tmp_path / f"debrief.{fmt}"
        record = samples / "sample-00001.json"
        assert cli("debrief", str(record), "--format", fmt, "-o", str(output)) == 0
        assert output.read_text() == (ROOT / "docs" / "examples" / f"debrief.{fmt}").read_text(), (
            "regenerate with the commands in docs/debrief.md"
        )
