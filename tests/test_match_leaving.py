"""Every way out of a match seat, in real processes: plain and full-screen seats, and seats
behind browser tabs of a served class. Each writes the seat's record as ``abandoned``; a
rejoin keeps the reveal policy; a seat that goes silent is shown as gone."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

import pytest

from benchmarks.class_load import Served, Student
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from tests.pty_helpers import Terminal
from tests.test_match_processes import TIMEOUT, Seat, start_match

DEBRIEF = ("--reveal", "debrief")
GONE_WITHIN = 10.0
"""The promise: a silent seat is shown as gone to the other seat within 10 seconds."""


def record(home: Path, code: str, seat: str) -> dict[str, object]:
    path = home / "results" / f"iran-pakistan-2024-match-{code.lower()}-{seat}.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("way", ["q", "end of input", "SIGTERM", "SIGHUP"])
def test_a_plain_seat_leaving_is_abandoned_and_gone_at_once(tmp_path: Path, way: str) -> None:
    store = tmp_path / "matches.sqlite"
    ali, bea, code = start_match(tmp_path / "ali", store)
    try:
        bea.wait_for("Turn 1:")  # joined (the prompt itself ends no line)
        ali.answer(["1", ""])
        ali.wait_for("Waiting for the other seat's move")
        if way == "q":
            bea.answer(["q"])
        elif way == "end of input":
            bea.close()
        else:
            bea.process.send_signal(getattr(signal, way))
        assert bea.process.wait(TIMEOUT) == 0, bea.text[-2000:]
        assert "You left match" in bea.text and "Traceback" not in bea.text
        assert record(tmp_path / "ali", code, "iran")["status"] == "abandoned"
        ali.wait_for("The other seat (Iran's government) has gone")
        assert record(tmp_path / "ali", code, "pakistan")["status"] == "playing"
    finally:
        for seat in (ali, bea):
            if seat.process.poll() is None:
                seat.process.kill()
                seat.process.wait(TIMEOUT)


@pytest.mark.parametrize("way", ["quit key", "SIGTERM", "SIGHUP"])
def test_a_full_screen_seat_leaving_is_abandoned(tmp_path: Path, way: str) -> None:
    store = tmp_path / "matches.sqlite"
    terminal = Terminal(
        tmp_path, "match", "--seat", "pakistan", "--name", "Ali", "--store", str(store)
    )
    try:
        mark = terminal.wait_for("Match code: ")
        code = terminal.text()[mark : mark + 6]
        terminal.press("\r")
        terminal.wait_for("What do you decide?", after=mark)
        if way == "quit key":
            terminal.press("q")
            terminal.wait_for("Quit (y)", after=mark)
            terminal.press("y")
        else:
            terminal.process.send_signal(getattr(signal, way))
        assert terminal.process.wait(TIMEOUT) == 0
    finally:
        terminal.close()
    assert record(tmp_path, code, "pakistan")["status"] == "abandoned"
    assert MatchStore(store).presence(code)["pakistan"] == "gone"


def test_rejoining_with_a_looser_reveal_keeps_the_stricter_one(tmp_path: Path) -> None:
    store = tmp_path / "matches.sqlite"
    first = Seat(tmp_path, "--seat", "pakistan", "--name", "Ali", "--store", str(store), *DEBRIEF)
    first.wait_for("Match code: ")
    code = first.text.split("Match code: ")[1][:6]
    first.answer(["q"])
    assert first.process.wait(TIMEOUT) == 0
    assert record(tmp_path, code, "pakistan")["settings"] == {"reveal": "debrief"}
    bea = Seat(tmp_path, "--join", code, "--name", "Bea", "--store", str(store))
    again = Seat(
        tmp_path, "--join", code, "--name", "Ali", "--store", str(store), "--reveal", "immediate"
    )
    try:
        again.wait_for("Turn 1:")
        again.answer(["1", ""])
        bea.answer(["1", ""])
        again.wait_for("Both moves revealed")
        bea.wait_for("Both moves revealed")
        again.wait_for("Turn 2:")
        bea.wait_for("Turn 2:")
        assert "What actually happened is revealed in the debrief." in again.text
        assert "What actually happened: " not in again.text
        assert "What actually happened: " in bea.text  # the scenario's own policy: immediate
        assert record(tmp_path, code, "pakistan")["settings"] == {"reveal": "debrief"}
    finally:
        for seat in (again, bea):
            seat.close()
            seat.process.wait(TIMEOUT)


def test_a_silent_seat_is_shown_as_gone_within_ten_seconds_and_back_when_it_answers(
    tmp_path: Path,
) -> None:
    store = tmp_path / "matches.sqlite"
    ali, bea, code = start_match(tmp_path, store)
    try:
        bea.wait_for("Turn 1:")  # joined (the prompt itself ends no line)
        ali.answer(["1", ""])
        ali.wait_for("Waiting for the other seat's move")
        seen = len(ali.text)
        bea.process.send_signal(signal.SIGSTOP)  # hangs: no heartbeat, no goodbye
        stopped = time.monotonic()
        teacher = MatchStore(store)
        while "has gone" not in ali.text[seen:]:
            assert time.monotonic() - stopped < GONE_WITHIN, ali.text[seen:]
            time.sleep(0.05)
        assert teacher.summaries()[0].gone == ("iran",)  # the live view's line says so too
        seen = len(ali.text)
        bea.process.send_signal(signal.SIGCONT)
        while "Waiting for the other seat's move" not in ali.text[seen:]:
            assert time.monotonic() - stopped < TIMEOUT, ali.text[seen:]
            time.sleep(0.05)
        assert teacher.summaries()[0].gone == ()
        assert record(tmp_path, code, "iran")["status"] == "playing"  # silent is not left
    finally:
        for seat in (ali, bea):
            seat.process.send_signal(signal.SIGCONT)
            seat.process.terminate()
            seat.process.wait(TIMEOUT)


def seat_records(folder: Path, name: str) -> list[dict[str, object]]:
    found = []
    for student in ClassFolder.read(folder).students():
        if student.name == name:
            found += [json.loads(p.read_text()) for p in student.store.results.glob("*.json")]
    return found


def wait_for_status(folder: Path, name: str, status: str) -> list[dict[str, object]]:
    deadline = time.monotonic() + TIMEOUT
    while True:
        found = seat_records(folder, name)
        if [r["status"] for r in found] == [status] or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_closed_tab_and_a_stopped_server_each_leave_their_seat_abandoned(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "class"
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("Ana, Ben\n")
    served = Served(
        folder, "--matches", "--page", "terminal", "--pairs", str(pairs), "--grace", "3"
    )

    async def scenario() -> None:
        ana, ben = Student(served.base, "Ana"), Student(served.base, "Ben")
        for student in (ana, ben):
            assert await student.join(served.code) == 303
            await student.connect()
            await student.wait_for("Press Enter to begin")
        assert [r["status"] for r in seat_records(folder, "Ana")] == ["playing"]
        await ana.close()  # the tab closes
        assert [r["status"] for r in wait_for_status(folder, "Ana", "abandoned")] == ["abandoned"]
        [match] = MatchStore(folder / "matches.sqlite").summaries()
        assert match.gone == ("pakistan",) and match.status == "paused"
        served.stop()  # the lesson ends with Ben still in his seat
        await ben.close()

    try:
        asyncio.run(scenario())
    finally:
        served.stop()
    assert [r["status"] for r in seat_records(folder, "Ben")] == ["abandoned"]
