"""Seats no classmate can take, in a real class server: a name is not a secret (#27).

A classmate who types another student's name, whether that student's tab is open or closed,
reaches nothing of the round without the seat's PIN (no game, no page, no download); with the
PIN the seat moves to their browser and the first browser loses it. The browser that holds a
seat keeps it across a server restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from benchmarks.class_load import Served, Student, loopback
from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.seat_keys import SeatKeys


async def cannot_play(student: Student) -> bool:
    """Whether ``student``'s browser reaches no game and no play page."""
    assert student.session is not None
    async with student.session.get(f"{student.origin}/play", allow_redirects=False) as page:
        if page.status != 303:
            return False
    try:
        await student.connect()
    except aiohttp.WSServerHandshakeError as refused:
        return refused.status == 403
    return False


async def into_the_round(student: Student) -> int:
    """Start a round and make its first decision; the offset after it."""
    _, at = await student.wait_for("New round")
    await student.press("\r")
    _, at = await student.wait_for("Press Enter to start", after=at)
    await student.press("\r")
    _, at = await student.wait_for("What do you decide?", after=at)
    await student.press("2")
    _, at = await student.wait_for("your reasoning", after=at)
    await student.press("secret reason\r")
    _, at = await student.wait_for("Continue (Enter)", "⏎ Continue", after=at)
    return at


def pin_of(folder: Path, name: str) -> str:
    """The PIN the teacher's console shows for ``name``'s seat."""
    pin = SeatKeys(ClassFolder.read(folder)).pin(student_id(name))
    assert pin is not None
    return pin


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "class"


async def ana_in_a_round(served: Served) -> tuple[Student, Student]:
    """Ana, who has made a decision in her round, and a classmate who types her name."""
    ana = Student(served.base, "Ana", address=loopback(1))
    assert await ana.join(served.code) == 303
    await ana.connect()
    await into_the_round(ana)
    return ana, Student(served.base, "Ana", address=loopback(2))


async def test_a_classmate_typing_a_name_gets_nothing_without_the_pin(folder: Path) -> None:
    served = Served(folder, "--grace", "2")
    ana, classmate = await ana_in_a_round(served)
    try:
        assert await classmate.join(served.code) == 403  # her tab is open
        assert "ask your teacher for your PIN" in classmate.page
        assert 'id="pin"' in classmate.page
        assert await cannot_play(classmate)

        await ana.close_tab()  # her tab closes: still nothing for the classmate
        assert await classmate.join(served.code) == 403
        assert await cannot_play(classmate)
        assert await classmate.join(served.code, pin="000000x") == 403
        assert await cannot_play(classmate)

        ana_again = Student(served.base, "ana", address=loopback(1))  # same name, new browser
        assert await ana_again.join(served.code, pin=pin_of(folder, "Ana")) == 303
        await ana_again.connect()
        await ana_again.wait_for("What do you decide?")  # straight back into her round
        await ana_again.close()
        assert await cannot_play(ana)  # the first browser gave up the seat to the PIN
    finally:
        await ana.close()
        await classmate.close()
        served.stop()
    told = "".join(served.log)
    assert "refused Ana's seat" in told
    assert [s.name for s in ClassFolder.read(folder).students()] == ["Ana"]


async def test_wrong_pins_are_bounded_and_the_right_one_then_waits(folder: Path) -> None:
    served = Served(folder, "--grace", "2")
    ana = Student(served.base, "Ana", address=loopback(1))
    guesser = Student(served.base, "Ana", address=loopback(2))
    try:
        assert await ana.join(served.code) == 303
        pin = pin_of(folder, "Ana")
        wrong = [f"{n:06d}" for n in range(7) if f"{n:06d}" != pin][:5]
        assert [await guesser.join(served.code, pin=w) for w in wrong] == [403] * 5
        assert await guesser.join(served.code, pin=pin) == 429
        assert "Too many wrong PINs" in guesser.page
        assert await cannot_play(guesser)
    finally:
        await ana.close()
        await guesser.close()
        served.stop()


async def test_the_browser_holding_a_seat_keeps_it_across_a_restart(folder: Path) -> None:
    served = Served(folder, "--grace", "2")
    ana, classmate = await ana_in_a_round(served)
    try:
        await ana.close_tab()
        served.stop()
        served = Served(folder, "--grace", "2")  # the same class folder, a new process
        ana.base = classmate.base = served.base
        await ana.connect()  # no join: the cookie alone finds her seat
        await ana.wait_for("What do you decide?")
        assert await classmate.join(served.code) == 403
        assert await cannot_play(classmate)
    finally:
        await ana.close()
        await classmate.close()
        served.stop()


async def test_a_finished_student_reopens_the_debrief_and_exports_it(tmp_path: Path) -> None:
    scenario = Path(__file__).parent / "data" / "mini" / "strait.yaml"
    served = Served(tmp_path / "class", str(scenario), "--grace", "2")
    ana = Student(served.base, "Ana", address=loopback(1))
    classmate = Student(served.base, "Ana", address=loopback(2))
    try:
        assert await ana.join(served.code) == 303
        await ana.connect()
        await ana.play_round([])
        await ana.close_tab()  # she closes the tab after the debrief
        await ana.connect()  # and comes back in the same browser
        _, at = await ana.wait_for("Debrief: ")  # listed on the title screen
        await ana.press("\x1b[F")  # End: the last line, her finished round
        await ana.press("\r")
        _, at = await ana.wait_for("e Export", after=at)  # the debrief, with its keys
        await ana.press("e")
        key = await delivered(ana)
        assert ana.session is not None
        async with ana.session.get(f"{served.base}/download/{key}") as response:
            assert response.status == 200
            assert "Debrief" in await response.text()
        assert await classmate.join(served.code) == 403  # nobody else reads it
        assert await cannot_play(classmate)
        assert classmate.session is not None
        async with classmate.session.get(f"{served.base}/download/{key}") as response:
            assert response.status in (403, 404)
    finally:
        await ana.close()
        await classmate.close()
        served.stop()


async def delivered(student: Student) -> str:
    """The download key of the file the student's game delivers (bounded wait)."""
    for _ in range(200):
        keys = [m[1] for m in student.messages if m[0] == "deliver_file_start"]  # type: ignore[index]
        if keys:
            return str(keys[-1])
        await asyncio.sleep(0.1)
    raise AssertionError("the debrief was never delivered")
