"""Plain text under the teacher's pacing (#27), in a real process at a terminal: waiting for
the teacher, the time left said when the decision is shown and near its end, the move made
at zero said in words, history revealed to the room, a pause, the end of the class."""

from __future__ import annotations

import json
import time
from pathlib import Path

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import update, write_control
from game.engine.records.results import read_record
from game.reports.pacing_words import ENDED, HELD, PAUSED, TIME_UP, WAITING
from tests.conftest import FLAGSHIP
from tests.pty_helpers import Terminal


def test_a_teacher_paced_lesson_in_plain_text(tmp_path: Path) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    student = folder.join("Ana")
    control = pacing.set_reveal(pacing.set_pace(ClassControl(), "teacher"), "teacher")
    write_control(folder.path, control)
    terminal = Terminal(
        student.folder,
        "play",
        str(FLAGSHIP),
        "--plain",
        "--role",
        "pakistan",
        "--name=Ana",
        "--class-folder",
        str(folder.path),
        size=(80, 24),
    )
    try:
        mark = terminal.wait_for(" ".join(HELD.split()[:6]))
        mark = terminal.wait_for("Enter to continue", after=mark)
        terminal.press("\r")
        mark = terminal.wait_for(WAITING, after=mark)
        update(folder.path, lambda c: pacing.open_decision(c, 1, 12, time.time()))
        mark = terminal.wait_for("Time left for this decision:", after=mark)
        mark = terminal.wait_for("Your decision (1-", after=mark)
        mark = terminal.wait_for(" left for this decision.", after=mark)  # said near the end
        mark = terminal.wait_for(" ".join(TIME_UP.split()[:6]), after=mark)
        mark = terminal.wait_for("No move in time", after=mark)
        assert "You chose" not in terminal.text()[mark - 400 :]
        mark = terminal.wait_for("Enter to continue", after=mark)
        terminal.press("\r")
        mark = terminal.wait_for(WAITING, after=mark)
        update(folder.path, lambda c: pacing.reveal(c, 1))
        mark = terminal.wait_for("revealed what actually happened at decision 1", after=mark)
        update(folder.path, lambda c: pacing.pause(c, time.time()))
        mark = terminal.wait_for(" ".join(PAUSED.split()[:5]), after=mark)
        update(folder.path, lambda c: pacing.end_class(c, time.time()))
        terminal.wait_for(ENDED.split(".")[0], after=mark)
        assert terminal.process.wait(timeout=30) == 0
    finally:
        terminal.close()
    (path,) = (student.folder / "results").glob("*.json")
    assert json.loads(path.read_text())["status"] == "abandoned"
    assert [d.fallback for d in read_record(path).decisions] == [True]


def test_a_game_the_class_server_starts_follows_the_teachers_pacing(tmp_path: Path) -> None:
    """The terminal page's games are processes: the server gives each the class folder."""
    from game.web.seats import Seat
    from game.web.server import ClassServer, Settings

    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    student = folder.join("Ana")
    write_control(folder.path, pacing.set_pace(ClassControl(), "teacher"))
    server = ClassServer(Settings(folder=folder, page="terminal"))
    argv = server.argv(Seat(student, "127.0.0.1", time.time()))
    assert argv[argv.index("--class-folder") + 1] == str(folder.path)
    terminal = Terminal(student.folder, *argv[3:], "--plain", "--role", "pakistan")
    try:
        mark = terminal.wait_for("Enter to continue")
        terminal.press("\r")
        terminal.wait_for(WAITING, after=mark)
    finally:
        terminal.close()
