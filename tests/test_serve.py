"""``flashpoint serve`` as a class meets it: a real server process, students speaking
textual-serve's protocol over real sockets (benchmarks.class_load's client)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import aiohttp
import pytest

from benchmarks.class_load import Served, Student, loopback
from game.engine.records.classfolder import ClassFolder, student_id
from game.web.service import clamp_size
from tests.test_serve_seats import into_the_round


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--max-students", "40", "--grace", "3")
    yield server
    server.stop()


def results_of(
    folder: Path, name: str, status: str, seconds: float = 20
) -> list[dict[str, object]]:
    """The result records with ``status`` in the folder of the student called ``name``."""
    deadline = time.monotonic() + seconds
    while True:
        found = []
        for student in ClassFolder.read(folder).students():
            if student.name != name:
                continue
            for path in sorted(student.store.results.glob("*.json")):
                data = json.loads(path.read_text())
                if data["status"] == status:
                    found.append(data)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def game_environ(served: Served) -> dict[str, str]:
    """The environment of the (only) game process the server runs."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for pid in served.tree()[1:]:
            try:
                raw = Path(f"/proc/{pid}/environ").read_bytes()
            except OSError:
                continue
            pairs = dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)
            if "FLASHPOINT_HOME" in pairs:
                return pairs
        time.sleep(0.1)
    raise AssertionError("no game process started")


async def test_a_connection_without_the_code_starts_no_game(served: Served) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(served.base.replace("http", "ws") + "/ws", origin=served.base)
        assert refused.value.status == 403
        async with session.post(
            f"{served.base}/join",
            data={"code": "WRONG1", "name": "Mallory"},
            headers={"Origin": served.base},
            allow_redirects=False,
        ) as response:
            assert response.status == 403
            assert "not the class code" in await response.text()
    assert served.tree()[1:] == []  # no game process was started
    assert list(ClassFolder.read(served_folder(served)).students()) == []


def no_games_left(served: Served, seconds: float = 15) -> bool:
    """Whether every game process of the server has ended (within ``seconds``)."""
    deadline = time.monotonic() + seconds
    while served.tree()[1:] and time.monotonic() < deadline:
        time.sleep(0.1)
    return not served.tree()[1:]


def served_folder(served: Served) -> Path:
    args = [str(arg) for arg in cast("list[str]", served.process.args)]
    return Path(args[args.index("--class-folder") + 1])


async def test_a_foreign_origin_can_neither_join_nor_connect(served: Served) -> None:
    evil = "http://evil.example"
    student = Student(served.base, "Ana")
    try:
        assert await student.join(served.code) == 303
        assert student.session is not None
        async with student.session.post(
            f"{served.base}/join",
            data={"code": served.code, "name": "Bob"},
            headers={"Origin": evil},
            allow_redirects=False,
        ) as response:
            assert response.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await student.session.ws_connect(served.base.replace("http", "ws") + "/ws", origin=evil)
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):  # no Origin at all
            await student.session.ws_connect(served.base.replace("http", "ws") + "/ws")
    finally:
        await student.close()
    assert served.tree()[1:] == []


async def test_the_41st_student_is_told_the_class_is_full(served: Served) -> None:
    students = [Student(served.base, f"Student {n}", address=loopback(n)) for n in range(41)]
    try:
        statuses = [await s.join(served.code) for s in students[:40]]
        assert statuses == [303] * 40
        assert await students[40].join(served.code) == 503
        assert await students[0].join(served.code) == 303  # a student already seated
        assert students[40].session is not None
        async with students[40].session.post(
            f"{served.base}/join",
            data={"code": served.code, "name": "Late"},
            headers={"Origin": served.base},
        ) as response:
            assert "The class is full: all 40 seats are taken." in await response.text()
    finally:
        await asyncio.gather(*(s.close() for s in students))


async def test_a_6000x2000_terminal_is_clamped(served: Served) -> None:
    student = Student(served.base, "Wide")
    try:
        assert await student.join(served.code) == 303
        await student.connect(6000, 2000)
        environ = game_environ(served)
        assert (environ["COLUMNS"], environ["ROWS"]) == ("300", "100")
        await student.send(["resize", {"width": 6000, "height": 2000}])
        await student.send(["resize", "nonsense"])
        await student.send({"not": "a list"})
        await student.wait_for("New round")
    finally:
        await student.close()
    assert clamp_size(6000, 2000) == (300, 100)
    assert clamp_size("abc", None) == (80, 24)
    assert clamp_size(1, -5) == (20, 8)


async def test_each_game_sees_only_its_students_folder(served: Served) -> None:
    student = Student(served.base, "Ana")
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        environ = game_environ(served)
        folder = served_folder(served).resolve()
        assert Path(environ["FLASHPOINT_HOME"]).parent == folder / "students"
        assert Path(environ["FLASHPOINT_HOME"]).name == student_id("Ana")
        assert set(environ) <= {
            "PATH",
            "LANG",
            "LC_ALL",
            "TZ",
            "PYTHONPATH",
            "HOME",
            "FLASHPOINT_HOME",
            "COLUMNS",
            "ROWS",
            "TERM_PROGRAM",
            "TERM_PROGRAM_VERSION",
            "PYTHONIOENCODING",
        } | {key for key in environ if key.startswith("TEXTUAL")}
    finally:
        await student.close()


async def test_a_closed_tab_is_recorded_as_abandoned_and_the_same_name_resumes(
    served: Served,
) -> None:
    folder = served_folder(served)
    student = Student(served.base, "Ana")
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        await into_the_round(student)
    finally:
        await student.close_tab()  # the tab closes; the browser keeps its seat cookie
    abandoned = results_of(folder, "Ana", "abandoned")
    assert len(abandoned) == 1 and abandoned[0]["player"] == "Ana"
    told = "".join(served.log)  # the teacher's terminal: one line per event, no access log
    assert "Ana joined (1 of 40 seats)" in told and "Ana: game started" in told
    assert "GET /ws" not in told
    assert no_games_left(served)  # the game ended with its tab

    again = student  # the same browser
    again.name = " ana "  # the same name, typed differently
    try:
        assert await again.join(served.code) == 303
        await again.connect()
        _, at = await again.wait_for("What do you decide?")  # straight back into the round
        await again.press("1")
        _, at = await again.wait_for("your reasoning", after=at)
        await again.press("\r")
        await again.wait_for("Continue (Enter)", "⏎ Continue", after=at)
    finally:
        await again.close()
    students = list(ClassFolder.read(folder).students())
    assert len(students) == 1
    saves = [json.loads(p.read_text()) for p in students[0].store.saves.glob("*.json")]
    assert [s["round"] for s in saves] == [abandoned[0]["round"]]
    decisions = [e for e in saves[0]["entries"] if e.get("kind") == "decision"]
    assert len(decisions) == 2


async def test_a_second_browser_cannot_take_a_playing_students_name(served: Served) -> None:
    first, second = Student(served.base, "Ana"), Student(served.base, "Ana")
    try:
        assert await first.join(served.code) == 303
        await first.connect()
        await first.wait_for("New round")
        assert await second.join(served.code) == 403
        assert "ask your teacher for your PIN" in second.page
    finally:
        await first.close()
        await second.close()


def test_stopping_the_server_ends_every_game(tmp_path: Path) -> None:
    server = Served(tmp_path / "class", "--grace", "2")

    async def start() -> Student:
        student = Student(server.base, "Ana")
        assert await student.join(server.code) == 303
        await student.connect()
        await student.wait_for("New round")
        return student

    async def scenario() -> None:
        student = await start()
        games = server.tree()[1:]
        assert games
        server.stop()
        assert server.process.returncode == 0
        for pid in games:
            assert (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
            )
        await student.close()

    asyncio.run(scenario())


async def test_ten_wrong_codes_lock_the_address_out_for_a_minute(served: Served) -> None:
    student = Student(served.base, "Guesser")
    try:
        statuses = [await student.join(f"WRONG{n}") for n in range(10)]
        assert statuses == [403] * 10
        assert await student.join(served.code) == 429  # even the right code, for now
    finally:
        await student.close()


async def test_a_hung_game_is_killed_after_its_tab_closes(tmp_path: Path) -> None:
    served = await asyncio.to_thread(Served, tmp_path / "class", "--grace", "1")
    student = Student(served.base, "Frozen")
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        await student.wait_for("New round")
        (game,) = served.tree()[1:]
        os.kill(game, signal.SIGSTOP)  # hangs: it can neither quit nor handle SIGTERM
    finally:
        await student.close()
    started = time.monotonic()
    try:
        assert await asyncio.to_thread(no_games_left, served, 20)
        assert time.monotonic() - started < 1 + 2 + 5  # grace, then SIGTERM, then SIGKILL
    finally:
        served.stop()


async def test_a_server_on_every_interface_points_pages_at_the_address_used(
    tmp_path: Path,
) -> None:
    served = await asyncio.to_thread(Served, tmp_path / "class", "--host", "0.0.0.0")
    student = Student(served.base, "Ana")
    try:
        assert await student.join(served.code) == 303
        assert student.session is not None
        async with student.session.get(f"{served.base}/play") as response:
            page = await response.text()
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
        assert "0.0.0.0" not in page
    finally:
        await student.close()
        served.stop()


async def test_a_students_name_is_text_on_every_page_and_in_every_path(served: Served) -> None:
    name = '<script>alert(1)</script> "../../etc" \u202e'
    student = Student(served.base, name)
    try:
        assert await student.join(served.code) == 303
        assert student.session is not None
        async with student.session.get(f"{served.base}/play") as response:
            page = await response.text()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
        assert "\u202e" not in page  # direction overrides are dropped from names
    finally:
        await student.close()
    (seat,) = ClassFolder.read(served_folder(served)).students()
    assert seat.folder.parent == served_folder(served).resolve() / "students"
    assert seat.folder.name.isascii() and "/" not in seat.folder.name
    assert seat.name.startswith("<script>")  # kept as typed, shown as text
