"""A large class is read by several processes and merged: the report must be exactly the one a
single process makes, whatever the class holds, and a process that fails loses nothing."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from game.engine.classroom import class_report as classroom
from game.engine.classroom.class_group import RATIONALE_SAMPLES, Rationales
from game.engine.play.match import SeatView
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_round import match_round
from game.reports.class_data import class_data
from scripts.make_sample_results import write_records
from tests.conftest import FLAGSHIP, MINI, ROOT
from tests.test_match_engine import HISTORY, play

REPORT = classroom.__name__  # its pickle and os, as the class report reaches them

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="reading in parts forks")


@pytest.fixture(scope="module")
def mixed_class(tmp_path_factory: pytest.TempPathFactory, flagship: LoadedScenario) -> list[Path]:
    """Two folders whose round ids collide (same ids, other players and reasons), damaged
    files, another version, another scenario, abandoned rounds and a head-to-head match."""
    root = tmp_path_factory.mktemp("class")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    write_records(first, 70, seed=1)
    write_records(second, 30, seed=2)
    write_records(second, 3, seed=3, scenario=MINI)
    (first / "sample-00003.json").rename(first / "zz-renamed.json")  # order by file name
    for number in (5, 17, 40):
        path = first / f"sample-{number:05d}.json"
        data = json.loads(path.read_text())
        data["status"] = "abandoned"
        path.write_text(json.dumps(data))
    older = json.loads((first / "sample-00008.json").read_text())
    older["scenario"]["sha256"] = "0" * 64
    older["round"] = "older-version"
    (first / "older-version.json").write_text(json.dumps(older))
    (first / "sample-00030.json").write_text('{"format": "flashpoint-round", "vers')
    (second / "sample-00011.json").write_bytes(b"\xff\xfe\x00garbage")
    moved = json.loads((second / "sample-00012.json").read_text())
    decisions = [e for e in moved["entries"] if e["kind"] == "decision"]
    decisions[-1]["point"] = "removed_point"
    (second / "sample-00012.json").write_text(json.dumps(moved))
    match = play(flagship, *HISTORY.values())
    for seat in ("pakistan", "iran"):
        data = match_round(SeatView(match, seat), "HISTRY", 2000.0, "finished")
        (second / f"{data['round']}.json").write_text(json.dumps(data))
    return [first, second]


@pytest.mark.parametrize("processes", [2, 3, 4])
@pytest.mark.parametrize("status", ["all", "finished", "abandoned"])
def test_reading_in_parts_makes_the_same_report(
    mixed_class: list[Path], processes: int, status: str
) -> None:
    alone = classroom.build(mixed_class, status=status)
    parts = classroom.build(mixed_class, status=status, processes=processes, split_from=1)
    assert alone.skipped and alone.total  # the class holds what the test says
    assert len(alone.groups) == {"all": 3, "finished": 3, "abandoned": 1}[status]
    assert parts.skipped == alone.skipped and parts.left_out == alone.left_out
    assert list(parts.groups) == list(alone.groups)
    for key, group in alone.groups.items():
        other = parts.groups[key]
        assert other.rounds == group.rounds
        assert other.rationales == group.rationales
        assert other.curve_counts == group.curve_counts
        assert list(other.choices) == list(group.choices)
    assert class_data(parts, status) == class_data(alone, status)
    both = classroom.build(mixed_class, processes=processes, split_from=10**6)
    assert class_data(both) == class_data(classroom.build(mixed_class))  # too few: one process


def csv_of(paths: list[Path], **options: Any) -> str:
    """The class CSV as the one CSV writer writes it, read as ``options`` say."""
    from game.commands.reports import CsvOut

    buffer = io.StringIO()
    out = CsvOut(buffer, classroom.CSV_COLUMNS)
    classroom.build(paths, sink=out, **options)
    out.put("")
    return buffer.getvalue()


@pytest.mark.parametrize("processes", [2, 3])
def test_the_csv_read_in_parts_is_the_same_csv(mixed_class: list[Path], processes: int) -> None:
    alone = csv_of(mixed_class)
    assert alone.count("\r\n") > 20  # the header and a row per decision
    assert csv_of(mixed_class, processes=processes, split_from=1) == alone


def test_the_csv_of_a_failed_part_is_read_again(
    mixed_class: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = csv_of(mixed_class)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("the pipe broke")

    monkeypatch.setattr(f"{REPORT}.pickle.dump", broken)  # every forked process fails
    assert csv_of(mixed_class, processes=3, split_from=1) == alone


def test_a_part_whose_process_fails_is_read_again(
    mixed_class: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("the pipe broke")

    monkeypatch.setattr(f"{REPORT}.pickle.dump", broken)  # every forked process fails
    parts = classroom.build(mixed_class, processes=3, split_from=1)
    assert class_data(parts) == class_data(classroom.build(mixed_class))


def test_a_part_sent_back_damaged_is_read_again(
    mixed_class: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def truncated(report: object, pipe: Any, protocol: int) -> None:
        pipe.write(pickle.dumps(report, protocol)[:1000])  # the process still exits cleanly

    monkeypatch.setattr(f"{REPORT}.pickle.dump", truncated)
    parts = classroom.build(mixed_class, processes=2, split_from=1)
    assert class_data(parts) == class_data(classroom.build(mixed_class))


def test_a_part_no_process_could_be_started_for_is_read_here(
    mixed_class: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(f"{REPORT}.os.fork", refused)
    parts = classroom.build(mixed_class, processes=3, split_from=1)
    assert class_data(parts) == class_data(classroom.build(mixed_class))


def test_rationales_keep_the_smallest_whatever_the_order() -> None:
    given = [(f"r{n % 7}", f"p{n % 5}", f"because {n}") for n in range(40)]
    forwards, backwards, halves = Rationales(), Rationales(), Rationales()
    for item in given:
        forwards.add(*item)
    for item in reversed(given):
        backwards.add(*item)
    second = Rationales()
    for item in given[:13]:
        halves.add(*item)
    for item in given[13:]:
        second.add(*item)
    halves.merge(second)
    expected = sorted(given)[:RATIONALE_SAMPLES]
    assert forwards.sample == backwards.sample == halves.sample == expected
    assert forwards.count == backwards.count == halves.count == 40


def test_the_class_command_reads_a_large_class_in_parts(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    write_records(folder, classroom.SPLIT_FROM, seed=5, scenario=FLAGSHIP)
    output = tmp_path / "class.json"
    env = {**os.environ, "FLASHPOINT_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "game", "class", str(folder), "--format", "json"]
    done = subprocess.run(
        [*command, "-o", str(output)], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    expected = class_data(classroom.build([folder]))
    assert json.loads(output.read_text()) == json.loads(json.dumps(expected))
