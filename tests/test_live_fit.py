"""The teacher's live view: it fits 80x24 without losing the ending or the date, shows whole
endings at 120x40, names nobody with --anonymize, and never counts a silent match seat's
automatic moves as the class's choices."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from textual.widgets import DataTable

from benchmarks.class_load import Served, Student
from game.engine.classroom.live import Reader
from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.engine.scenario.loaded import LoadedScenario
from game.ui.live import LiveApp, fit
from tests.test_no_move_in_time import write_silent_match
from tests.ui_helpers import screen_lines

NAMES = ("Ana Maria Longname-Example", "Benedikt", "Chloé")


@pytest.fixture
def lesson(flagship: LoadedScenario, tmp_path: Path) -> ClassFolder:
    """Ana finished with history's choices, Benedikt is playing (two decisions in), Chloé
    only joined, and Ali and Bea played a match in which Bea never moved."""
    folder = ClassFolder.open_or_create(tmp_path / "class", (str(flagship.path),), None)
    ana = Session.start(flagship, "pakistan", player=NAMES[0])
    while ana.point is not None:
        ana.choose(ana.point.history.choice or ana.point.choices[0].id)
    results = folder.join(NAMES[0]).store.results
    results.mkdir(parents=True, exist_ok=True)
    (results / "ana.json").write_text(json.dumps(ana.to_dict()))
    ben = Session.start(flagship, "iran", player=NAMES[1])
    for _ in range(2):
        assert ben.point is not None
        ben.choose(ben.point.choices[0].id)
    saves = folder.join(NAMES[1]).store.saves
    saves.mkdir(parents=True, exist_ok=True)
    (saves / "ben.json").write_text(json.dumps(ben.to_dict()))
    folder.join(NAMES[2])
    for name in ("Ali", "Bea"):
        write_silent_match(flagship, folder.join(name).store.results)
    for name, path in (("Ali", "pakistan"), ("Bea", "iran")):  # each keeps only their seat
        for other in folder.join(name).store.results.glob("*.json"):
            if not other.name.endswith(f"-{path}.json"):
                other.unlink()
    return folder


def test_a_silent_seat_adds_nothing_to_the_class_choices(lesson: ClassFolder) -> None:
    live = Reader(lesson).read()
    iran_points = [t for t in live.tallies if t.role == "Iran's government"]
    counted = sum(t.total for t in iran_points)
    assert counted == 2  # Benedikt's two decisions; Bea's four automatic moves are not choices


def test_columns_narrow_others_before_the_ending() -> None:
    wanted = [26, 25, 31, 7, 6, 38]
    assert fit(200, wanted) == wanted
    at_120 = fit(120 - 14, wanted)
    assert at_120[5] == 38 and sum(at_120) <= 106
    at_80 = fit(80 - 14, wanted)
    assert at_80[3:5] == [7, 6] and at_80[5] >= 24 and sum(at_80) <= 66


async def test_at_80x24_the_ending_and_date_are_on_screen(lesson: ClassFolder) -> None:
    app = LiveApp(lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert all(len(line) <= 80 for line in lines)
        header = next(line for line in lines if "Student" in line and "Ending" in line)
        assert "Date" in header
        ana = next(line for line in lines if "Ana Maria" in line)
        assert "Managed de-escal" in ana  # the ending, narrowed at most
        ben = next(line for line in lines if "Benedikt" in line)
        assert "Jan" in ben  # the in-game date
        bea = next(line for line in lines if "Bea " in line)
        assert "0 (+4 late)" in bea  # her automatic moves, apart from her own (none)
        await pilot.press("q")


async def test_at_120x40_the_ending_is_whole(lesson: ClassFolder) -> None:
    app = LiveApp(lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one("#students", DataTable)
        widths = [column.width for column in table.columns.values()]
        endings = [str(table.get_row_at(n)[5]) for n in range(table.row_count)]
        assert widths[5] >= max(len(e) for e in endings)
        ana = next(line for line in screen_lines(app) if "Ana Maria" in line)
        assert "Managed de-escalation" in ana
        await pilot.press("q")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_anonymized_live_view_names_nobody(
    lesson: ClassFolder, size: tuple[int, int]
) -> None:
    app = LiveApp(lesson, anonymize=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        for name in (*NAMES, "Ali", "Bea", "Longname"):
            assert name not in text
        assert len(set(re.findall(r"Student [A-Z2-9]{4}", text))) == 5  # each whole
        await pilot.press("q")


def test_students_turned_away_never_show_as_joined(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    served = Served(folder, "--max-students", "1")

    async def arrive() -> list[int]:
        answers = []
        for name in ("Ana", "\u0410na", "Ben"):  # Ana, a Cyrillic look-alike, one too many
            student = Student(served.base, name)
            try:
                answers.append(await student.join(served.code))
            finally:
                await student.close()
        return answers

    try:
        answers = asyncio.run(arrive())
    finally:
        served.stop()
    assert answers[0] == 303 and answers[1] in (409, 503) and answers[2] == 503
    live = Reader(ClassFolder.read(folder)).read()
    assert [p.student.name for p in live.students] == ["Ana"]
