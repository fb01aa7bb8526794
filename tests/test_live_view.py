"""The teacher's live view and the class report, over a folder written by real served rounds."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from benchmarks.class_load import Served, Student
from game.engine.classroom.live import Reader
from game.engine.play import pacing
from game.engine.records import pacing_file
from game.engine.records.classfolder import ClassFolder
from game.ui.live import LiveApp
from tests.conftest import run_flashpoint
from tests.ui_helpers import screen_lines, until


async def play(
    served: Served,
    name: str,
    decisions: int | None,
    turn: tuple[asyncio.Event | None, asyncio.Event] | None = None,
) -> None:
    """A student joins (after the ``turn``'s first event, then sets its second); plays
    ``decisions`` decisions (all, if None) by choosing option 1; closes the tab. ``0`` only
    joins."""
    student = Student(served.base, name)
    try:
        if turn is not None and turn[0] is not None:
            await turn[0].wait()
        assert await student.join(served.code) == 303
        if turn is not None:
            turn[1].set()
        if decisions == 0:
            return
        await student.connect()
        if decisions is None:
            await student.play_round([])
            return
        _, at = await student.wait_for("New round")
        await student.press("\r")
        _, at = await student.wait_for("Press Enter to start", after=at)
        await student.press("\r")
        _, at = await student.wait_for("What do you decide?", after=at)
        for _ in range(decisions):
            await student.press("1")
            _, at = await student.wait_for("your reasoning", after=at)
            await student.press("\r")
            _, at = await student.wait_for("Continue (Enter)", "⏎ Continue", after=at)
            await student.press("\r")
            _, at = await student.wait_for("What do you decide?", after=at)
    finally:
        await student.close()


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A class folder after a short lesson: one round finished, one tab closed after a
    decision, one student who only joined."""
    folder = tmp_path_factory.mktemp("lesson") / "class"
    served = Served(folder, "--grace", "3")

    async def lesson() -> None:
        """They play at once but join one after another: the live view lists the students in
        the order they joined (together, that order was the server's, and the tests' lists
        failed under load)."""
        joined = [asyncio.Event() for _ in range(3)]
        await asyncio.gather(
            play(served, "Ana", None, (None, joined[0])),
            play(served, "Ben", 1, (joined[0], joined[1])),
            play(served, "Chloé", 0, (joined[1], joined[2])),
        )

    try:
        asyncio.run(lesson())
    finally:
        served.stop()
    yield folder


def test_the_reader_sees_where_each_student_is(lesson: Path) -> None:
    live = Reader(ClassFolder.read(lesson)).read()
    status = {p.student.name: p.status for p in live.students}
    assert status == {"Ana": "finished", "Ben": "left", "Chloé": "joined"}
    ben = next(p for p in live.students if p.student.name == "Ben")
    assert ben.decisions == 1 and ben.date == "2024-01-17"  # waiting at pk_military
    first = next(t for t in live.tallies if t.point == "pk_response")
    assert first.total == 2 and first.counts[next(iter(first.labels))] == 2
    assert sum(live.endings.values()) == 1


async def test_the_live_view_shows_students_choices_and_endings(lesson: Path) -> None:
    app = LiveApp(ClassFolder.read(lesson))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        table = app.query_one("#students", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert [row[0] for row in rows] == ["Ana", "Ben", "Chloé"]
        assert [row[1] for row in rows] == ["finished", "left (can continue)", "joined"]
        summary = str(app.query_one("#summary", Static).render())
        assert "3 joined" in summary and "1 finished" in summary
        text = "\n".join(screen_lines(app))
        assert "what happened" in text
        await pilot.press("r")
        assert str(table.get_row_at(0)[0]) == "Ana"  # read again, same rows
        await pilot.press("q")
    assert app.return_code == 0


def statuses(app: LiveApp) -> list[str]:
    table = app.query_one("#students", DataTable)
    return [str(table.get_row_at(n)[1]) for n in range(table.row_count)]


async def test_the_live_view_says_what_the_console_says(lesson: Path, tmp_path: Path) -> None:
    """One wording with the console (game.engine.classroom.status): the folder cannot tell an
    open tab, so nobody is said to have closed one; after End class nobody 'can continue'."""
    folder = tmp_path / "class"
    shutil.copytree(lesson, folder)
    pacing_file.update(folder, lambda c: pacing.set_pace(c, "teacher"))
    app = LiveApp(ClassFolder.read(folder))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert statuses(app) == ["finished", "left (can continue)", "joined"]
        assert "tab" not in " ".join(screen_lines(app))
        pacing_file.update(folder, lambda c: pacing.end_class(c, time.time()))
        await until(pilot, lambda: statuses(app) == ["finished", "class ended", "class ended"])
        assert "class ended" in str(app.query_one("#summary", Static).render())
        assert "can continue" not in " ".join(screen_lines(app))


async def test_the_live_view_follows_the_folder_as_it_changes(tmp_path: Path) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    app = LiveApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one("#students", DataTable).row_count == 0
        folder.join("Dana")
        # the view reads the folder again every second
        await until(pilot, lambda: app.query_one("#students", DataTable).row_count == 1)


def test_the_class_report_reads_a_class_folder(lesson: Path) -> None:
    done = run_flashpoint("class", str(lesson))
    assert done.returncode == 0, done.stderr
    assert "Records read: 2 (finished and abandoned rounds). Skipped: 0." in " ".join(
        done.stdout.split()
    )  # Ana finished, Ben left


def test_live_refuses_a_folder_that_is_not_a_class(tmp_path: Path) -> None:
    done = run_flashpoint("class", "--live", str(tmp_path))
    assert done.returncode == 1
    assert "not a class folder" in done.stderr and "Traceback" not in done.stderr


def test_the_reader_parses_again_only_what_changed(lesson: Path, tmp_path: Path) -> None:
    import json
    import os
    import shutil

    folder = tmp_path / "class"
    shutil.copytree(lesson, folder)
    reader = Reader(ClassFolder.read(folder))
    before = {p.student.name: p.status for p in reader.read().students}
    assert before["Ben"] == "left"
    ben = next(s for s in ClassFolder.read(folder).students() if s.name == "Ben")
    (save,) = ben.store.saves.glob("*.json")
    data = json.loads(save.read_text())
    data["status"] = "playing"  # Ben came back: his game saves the round again
    save.write_text(json.dumps(data))
    later = save.stat().st_mtime + 5
    os.utime(save, (later, later))
    parsed = dict(reader.parsed)
    after = {p.student.name: p.status for p in reader.read().students}
    assert after["Ben"] == "playing"
    changed = [path for path, entry in reader.parsed.items() if parsed.get(path) != entry]
    assert changed == [save]  # every other record came from the cache


async def test_the_live_view_lists_each_match_and_how_it_stands(tmp_path: Path) -> None:
    from game.engine.checks import loader
    from game.engine.records.matches import MatchStore
    from tests.conftest import FLAGSHIP

    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    loaded = loader.load(FLAGSHIP)
    store = MatchStore(folder.path / "matches.sqlite")
    code = store.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 300)
    store.join(code, "Ana", "pakistan")
    app = LiveApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: (
                f"{code}  pakistan: Ana · iran: (free)  turn 1  waiting"
                in "\n".join(screen_lines(app))
            ),
        )
        store.join(code, "Ben")
        store.move(code, "pakistan", 1, "recall_and_bar")
        store.move(code, "iran", 1, "defend_and_reassure")
        assert store.resolve(code, 1, {}) is not None
        await until(
            pilot,
            lambda: (
                f"{code}  pakistan: Ana · iran: Ben  turn 2  playing"
                in "\n".join(screen_lines(app))
            ),
        )
