"""A teacher-paced lesson from start to end: four students in Debian's Chromium on the class
page, the teacher's console driven by Pilot pressing its keys, the projector in a fifth
browser, all against one real ``flashpoint serve``.

The teacher makes the class teacher-paced and holds history for the room; the students wait;
the teacher opens decision 1 with a countdown, visible in every page; three decide, one stays
silent and gets history's move at zero, labelled as made for her; the teacher reveals the
decision to the room (the projector marks what happened), pauses the class, and ends it;
every round is recorded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import read_control
from game.engine.records.results import read_record
from game.ui.console import ConsoleApp
from game.ui.console_client import ConsoleClient
from scripts.lesson_screenshots import join, text_of
from tests.test_console import token_of
from tests.test_serve_browser import CHROMIUM, FLAGS
from tests.ui_helpers import screen_lines

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium")
STUDENTS = ("Ana Lima", "Ben Okafor", "Chloé Martin", "Dara Singh")
COUNTDOWN = 20
WAIT = 40.0


async def until(check: Callable[[], Awaitable[bool]], seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await _sleep(0.25)
    return await check()


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def shows(page: Any, words: str, seconds: float = WAIT) -> bool:
    async def check() -> bool:
        return words in await text_of(page)

    return await until(check, seconds)


async def test_a_teacher_paced_lesson_with_four_students(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    folder = tmp_path / "class"
    served = Served(
        folder, "iran_pakistan_2024", "--grace", "2", "--names-per-address", "8", page="html"
    )
    console = ConsoleApp(ConsoleClient(served.base, token_of(served)))
    try:
        async with async_playwright() as playwright, console.run_test(size=(100, 30)) as pilot:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

            def pacing() -> dict[str, Any]:
                found: dict[str, Any] = console.lesson.status.get("pacing") or {}
                return found

            async def console_says(words: str) -> bool:
                return words in "\n".join(screen_lines(console))

            # before the students arrive: teacher-paced, history held for the whole room
            await pilot.press("t")
            await pilot.press("b")
            assert await until(lambda: _true(pacing().get("mode") == "teacher"))
            assert await until(lambda: _true(pacing().get("reveal") == "room"))

            pages = [await join(browser, served, name) for name in STUDENTS]
            for page in pages:
                assert await shows(page, "Waiting for your teacher")
                assert "What do you decide?" not in await text_of(page)
            assert await until(lambda: console_says("4 joined"))

            projector = await (await browser.new_context()).new_page()
            await projector.goto(served.base + "/teacher/projector")
            await projector.fill("#token", token_of(served))
            await projector.click("#open")
            assert await shows(projector, "Waiting for the teacher to open")

            # the teacher opens decision 1 with a countdown: every page shows it
            await pilot.press("o")
            await pilot.press(*str(COUNTDOWN), "enter")
            assert await until(lambda: console_says("decision 1 open"))
            for page in pages:
                assert await shows(page, "What do you decide?")
                assert await page.locator("#countdown").is_visible()
                assert re.fullmatch(r"0:[0-2]\d", (await page.inner_text("#countdown")).strip())
            assert read_control(folder).opened[1].seconds == COUNTDOWN

            # three decide; Dara stays silent
            for page in pages[:3]:
                await page.locator("form.choices button").first.click()
                await page.fill("#reason", "Keep it calm")
                await page.click("#confirm")
                assert await shows(page, "What followed")
                assert "No move in time" not in await text_of(page)
            dara = pages[3]

            async def row(name: str, words: str) -> bool:
                line = next((x for x in screen_lines(console) if name in x), "")
                return words in line

            assert await until(lambda: row("Ana Lima", "waiting for 2"))  # decided
            assert await row("Dara Singh", "deciding 1")
            assert await shows(dara, "No move in time", COUNTDOWN + WAIT)  # at zero, labelled
            assert "You chose" not in await text_of(dara)

            # the teacher reveals decision 1 to the room
            assert await shows(projector, "not revealed yet")
            await pilot.press("v")
            assert await shows(projector, "what happened")
            assert await until(lambda: console_says("revealed: 1"))

            # on to decision 2, which the teacher has not opened; then pause
            for page in pages:
                await page.get_by_role("link", name="Continue to the next decision").click()
                assert await shows(page, "Waiting for your teacher")
            await pilot.press("p")
            assert await until(lambda: console_says("PAUSED"))
            assert await shows(pages[0], "The class is paused")

            # the teacher ends the class: every page says so, every round is recorded
            await pilot.press("e", "y")
            assert await until(lambda: console_says("The class has ended"))
            for page in pages:
                assert await shows(page, "The class has ended")
            await browser.close()
            await pilot.press("q")
    finally:
        served.stop()

    records = {}
    for student in ClassFolder.read(folder).students():
        for path in student.store.results.glob("*.json"):
            records[student.name] = read_record(path)
    assert set(records) == set(STUDENTS)
    assert {r.status for r in records.values()} == {"abandoned"}
    for name, record in records.items():
        assert [d.fallback for d in record.decisions] == [name == "Dara Singh"]


async def _true(value: bool) -> bool:
    return value


async def test_the_console_sees_a_class_page_close_within_ten_seconds(tmp_path: Path) -> None:
    """On the class page (no game process to watch) the console follows each page's stream:
    a student's page open is 'playing', closed is 'tab closed' within 10 s."""
    from playwright.async_api import async_playwright

    served = Served(tmp_path / "class", "iran_pakistan_2024", "--grace", "2", page="html")
    console = ConsoleApp(ConsoleClient(served.base, token_of(served)))
    try:
        async with async_playwright() as playwright, console.run_test(size=(80, 24)) as pilot:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            await pilot.press("t")  # teacher-paced: the student waits on a page that listens
            page = await join(browser, served, "Ana Lima")
            assert await shows(page, "Waiting for your teacher")

            async def ana(words: str) -> bool:
                line = next((x for x in screen_lines(console) if "Ana Lima" in x), "")
                return words in line

            assert await until(lambda: ana("waiting for 1"), 10)
            await page.context.close()
            assert await until(lambda: ana("tab closed"), 10)
            await browser.close()
            await pilot.press("q")
    finally:
        served.stop()
