"""The teacher's console against a real class server: the token guards every teacher
endpoint (constant-time, ten refused tries a minute per address), never reaches a student's
page, and the console (Pilot pressing real keys) shows the class live at 80x24 and 120x40,
a closed tab and a stopped server within 10 seconds."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from benchmarks.class_load import Served, Student, loopback
from game.commands.serve import TOKEN_FILE, read_token, write_token
from game.engine.base.problems import FlashpointError
from game.engine.records.classfolder import ClassFolder
from game.engine.records.seat_keys import SeatKeys
from game.ui.console import ConsoleApp
from game.ui.console_client import ConsoleClient, ConsoleError, base_url
from tests.ui_helpers import screen_lines

SECONDS = 10.0
"""The acceptance bound: a closed tab or a stopped server is shown within this."""


def token_of(served: Served) -> str:
    """The teacher token, from the class folder's private file (never the banner)."""
    return read_token(served.folder)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--grace", "2")
    yield server
    server.stop()


async def status_of(served: Served, token: str, address: str | None = None) -> int:
    connector = aiohttp.TCPConnector(local_addr=(address, 0) if address else None)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.get(
            f"{served.base}/teacher/api/status", headers={"Authorization": f"Bearer {token}"}
        ) as answer,
    ):
        return answer.status


def test_the_banner_with_the_class_code_never_shows_the_token(served: Served) -> None:
    """The screen a teacher projects to show the code: the token is in a private file of the
    class folder instead, and the banner says where and how to start the console."""
    token = token_of(served)
    banner = "".join(served.banner)
    assert token not in banner
    assert f"Class code:     {served.code}" in banner
    path = served.folder / TOKEN_FILE
    assert (path.stat().st_mode & 0o777) == 0o600
    assert str(path) in banner
    assert f"flashpoint teach {served.base}/ --class-folder {served.folder}" in banner


def test_teach_reads_the_token_from_the_class_folder(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    with pytest.raises(FlashpointError, match="no teacher token here"):
        read_token(folder)
    write_token(folder, "s3cret-token-value")
    assert read_token(folder) == "s3cret-token-value"
    (folder / TOKEN_FILE).write_text("two words\n")
    with pytest.raises(FlashpointError, match="not a teacher token"):
        read_token(folder)


def test_the_token_is_needed_and_wrong_tries_are_limited_per_address(served: Served) -> None:
    token = token_of(served)

    async def tries() -> tuple[int, list[int], int, int]:
        right = await status_of(served, token)
        wrong = [await status_of(served, token[:-1] + "x", loopback(1)) for _ in range(11)]
        locked = await status_of(served, token[:-1] + "y", loopback(1))  # this minute: 429
        teacher = await status_of(served, token, loopback(1))  # the right one always works
        return right, wrong, locked, teacher

    right, wrong, locked, teacher = asyncio.run(tries())
    assert right == 200
    assert wrong == [401] * 10 + [429]
    assert locked == 429 and teacher == 200  # a classmate cannot lock the teacher out


def test_no_student_page_or_cookie_holds_the_token(served: Served) -> None:
    token = token_of(served)

    async def pages() -> list[str]:
        student = Student(served.base, "Ana")
        try:
            assert await student.join(served.code) == 303
            assert student.session is not None
            seen = []
            for path in ("/", "/play", "/teacher/projector"):
                async with student.session.get(served.base + path) as answer:
                    seen.append(await answer.text())
                    seen.append(str(answer.headers))
            seen.extend(cookie.value for cookie in student.session.cookie_jar)
            return seen
        finally:
            await student.close()

    assert all(token not in text for text in asyncio.run(pages()))


def test_the_address_must_be_a_web_address() -> None:
    assert base_url("127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert base_url("https://room12.example/") == "https://room12.example"
    with pytest.raises(ValueError, match="not the class's address"):
        base_url("ftp://x")


def test_a_refused_command_is_a_sentence(served: Served) -> None:
    async def send() -> str:
        client = ConsoleClient(served.base, token_of(served))
        try:
            await client.send("no-such-command")
        except ConsoleError as error:
            return str(error)
        finally:
            await client.close()
        return ""

    async def wrong_token() -> str:
        client = ConsoleClient(served.base, "not-the-token")
        try:
            await client.status()
        except ConsoleError as error:
            return str(error)
        finally:
            await client.close()
        return ""

    assert asyncio.run(send()) == "There is no such command."
    assert "refused the token" in asyncio.run(wrong_token())


async def until(check: Callable[[], bool], pause: Callable[[], object]) -> bool:
    """Whether ``check`` holds within ``SECONDS`` (looked at every 0.2 s)."""
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.2)
        pause()
    return check()


def line_of(app: ConsoleApp, name: str) -> str:
    return next((line for line in screen_lines(app) if name in line), "")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_console_shows_tabs_closing_and_the_server_stopping(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    served = Served(tmp_path / "class", "--grace", "2")
    ana, ben = Student(served.base, "Ana Lima"), Student(served.base, "Ben")
    try:
        for student in (ana, ben):
            assert await student.join(served.code) == 303
            await student.connect()
            await student.wait_for("New round")
        _, at = await ana.wait_for("New round")
        await ana.press("\r")
        _, at = await ana.wait_for("Press Enter to start", after=at)
        await ana.press("\r")
        await ana.wait_for("What do you decide?", after=at)
        app = ConsoleApp(ConsoleClient(served.base, token_of(served)))
        async with app.run_test(size=size) as pilot:
            refresh = app.refresh
            assert await until(lambda: "joined" in line_of(app, "Ben"), refresh)
            assert await until(lambda: "playing" in line_of(app, "Ana Lima"), refresh)
            assert all(len(line) <= size[0] for line in screen_lines(app))
            assert "Student-paced" in "\n".join(screen_lines(app))
            await ana.close()  # Ana's tab closes in the middle of her round
            # 'tab closed' at once; once the grace (2 s) is over her game records the round
            # abandoned, and she is 'left (can continue)': either is right for a closed tab
            # (a console slowed down by a busy machine may first look after the grace)
            assert await until(
                lambda: any(w in line_of(app, "Ana Lima") for w in ("tab closed", "left")), refresh
            )
            await pilot.press("r")  # read again: still closed, Ben still there
            assert "joined" in line_of(app, "Ben")
            await pilot.press("i")  # the first student's resume PIN, to read out
            keys = SeatKeys(ClassFolder.read(tmp_path / "class"))
            first = app.lesson.status["students"][0]
            pin = keys.pin(first["id"])
            assert pin is not None
            assert await until(lambda: pin in "\n".join(screen_lines(app)), refresh)
            await pilot.press("enter")
            served.stop()
            assert await until(
                lambda: "Server not answering" in "\n".join(screen_lines(app)), refresh
            )
            assert "unknown" in line_of(app, "Ben")
            assert all(len(line) <= size[0] for line in screen_lines(app))
            await pilot.press("q")
    finally:
        for student in (ana, ben):
            await student.close()
        served.stop()


async def test_the_teacher_paces_the_class_with_keys(tmp_path: Path) -> None:
    """Open a decision with a countdown, pause, resume, advance the slowest, hold history
    and reveal it, end the class: each by its key, each written to the class's control file
    by the pacing engine (read back here with the engine's own reader)."""
    from game.engine.records.pacing_file import read_control

    folder = tmp_path / "class"
    served = Served(folder, "--grace", "2")
    ana = Student(served.base, "Ana Lima")
    try:
        assert await ana.join(served.code) == 303
        await ana.connect()
        await ana.wait_for("New round")
        app = ConsoleApp(ConsoleClient(served.base, token_of(served)))
        async with app.run_test(size=(80, 24)) as pilot:

            def shown() -> str:
                return "\n".join(screen_lines(app))

            assert await until(lambda: "Student-paced" in shown(), app.refresh)
            await pilot.press("o")  # open: the dialog suggests a countdown
            await pilot.press(*"45", "enter")  # the suggestion is selected: typing replaces it
            await pilot.pause()
            assert await until(lambda: "decision 1 open" in shown(), app.refresh), shown()
            control = read_control(folder)
            assert control.pace == "teacher" and control.opened[1].seconds == 45
            assert "0:4" in shown()  # the countdown, 0:45 or just under
            await pilot.press("ctrl+p", *"Pause")  # the command palette, by name
            await pilot.pause(0.5)
            await pilot.press("enter")
            assert await until(lambda: "PAUSED" in shown(), app.refresh)
            assert read_control(folder).paused
            await pilot.press("p")
            assert await until(lambda: "PAUSED" not in shown(), app.refresh)
            await pilot.press("b")  # history held for the whole room
            assert await until(lambda: "history held" in shown(), app.refresh)
            await pilot.press("v")
            assert await until(lambda: "revealed: 1" in shown(), app.refresh)
            await pilot.press("a", "y")  # advance the slowest, confirmed
            assert await until(
                lambda: read_control(folder).remaining(1, time.time()) == 0, app.refresh
            )
            await pilot.press("e", "y")  # end the class, confirmed
            assert await until(lambda: "The class has ended" in shown(), app.refresh)
            assert read_control(folder).ended is not None
            assert await until(lambda: ana.closed, app.refresh)  # her game was stopped
            await pilot.press("q")
    finally:
        await ana.close()
        served.stop()


def test_a_reset_seat_needs_its_new_pin_and_a_removed_seat_is_given_back(served: Served) -> None:
    """Reset: Ana's browser loses the seat, her name alone gets nothing, the new PIN the
    console was given gets it back. Remove: Ben's seat no longer counts; his rounds stay."""

    async def lesson() -> None:
        ana, ben = Student(served.base, "Ana"), Student(served.base, "Ben")
        client = ConsoleClient(served.base, token_of(served))
        try:
            for student in (ana, ben):
                assert await student.join(served.code) == 303
            ident = {s["name"]: s["id"] for s in (await client.status())["students"]}
            reset = await client.send("reset-seat", {"student": ident["Ana"]})
            assert reset["name"] == "Ana" and len(reset["pin"]) == 6
            assert ana.session is not None
            async with ana.session.get(served.base + "/play", allow_redirects=False) as page:
                assert page.status == 303  # her cookie no longer holds a seat
            stranger = Student(served.base, "Ana")
            try:
                assert await stranger.join(served.code) == 403  # the name alone: no seat
            finally:
                await stranger.close()
            async with ana.session.post(
                served.base + "/join",
                data={"code": served.code, "name": "Ana", "pin": reset["pin"]},
                headers={"Origin": served.base},
                allow_redirects=False,
            ) as answer:
                assert answer.status == 303  # back in her seat with the PIN
            removed = await client.send("remove-seat", {"student": ident["Ben"]})
            assert removed["name"] == "Ben"
            with pytest.raises(ConsoleError, match="no such student"):
                await client.send("pin", {"student": "../../etc"})
            names = [s["name"] for s in (await client.status())["students"]]
            assert names == ["Ana", "Ben"]  # Ben's folder and rounds are kept
        finally:
            await client.close()
            for student in (ana, ben):
                await student.close()

    asyncio.run(lesson())


def test_the_next_decision_is_the_first_a_student_waits_at(tmp_path: Path) -> None:
    """A class made teacher-paced in the middle of rounds has students at decisions 2 and 4:
    'open' opens 2, then 4, then the one after the last opened."""
    from game.engine.classroom.live import LiveClass, Progress
    from game.engine.classroom.status import next_decision
    from game.engine.play import pacing

    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    ana, ben, chloe = (folder.join(name) for name in ("Ana", "Ben", "Chloé"))
    live = LiveClass(
        folder.code,
        [
            Progress(ana, "playing", decisions=1),
            Progress(ben, "playing", decisions=2, late=1),
            Progress(chloe, "finished", decisions=5),
        ],
        [],
        Counter(),
    )
    control = pacing.set_pace(pacing.ClassControl(), "teacher")
    assert next_decision(control, live) == 2
    control = pacing.open_decision(control, 2, None, 0.0)
    assert next_decision(control, live) == 4
    control = pacing.open_decision(control, 4, None, 0.0)
    assert next_decision(control, live) == 5  # nobody waits: the one after the last opened
    assert next_decision(pacing.ClassControl(), None) == 1


async def test_c_gives_a_large_class_the_whole_screen_at_80x24() -> None:
    """Twenty students at 80x24: about half the screen is theirs beside the choices; 'c' gives
    them all of it (the server here is not answering: the last status is shown, marked)."""
    from benchmarks.class_load import free_port

    names = [f"Student number {n:02d}" for n in range(20)]
    app = ConsoleApp(ConsoleClient(f"http://127.0.0.1:{free_port()}", "token"))
    app.last = {
        "code": "ABC234",
        "pacing": {"mode": "student"},
        "students": [
            {"id": f"s{n}", "name": name, "status": "playing", "shown": "playing"}
            for n, name in enumerate(names)
        ],
    }
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)

        def rows() -> int:
            return sum(1 for line in screen_lines(app) if "Student number" in line)

        before = rows()
        await pilot.press("c")
        await pilot.pause()
        assert rows() > before and rows() >= 17  # every line but the header, top and footer
        assert "Server not answering" in "\n".join(screen_lines(app))
        await pilot.press("c")
        await pilot.pause()
        assert rows() == before
        await pilot.press("q")
