"""The screenshots of docs/classroom.md's lesson plan, taken from a real lesson on loopback.

Starts the installed ``flashpoint serve`` on a temporary class folder, has four students
join in Debian's Chromium (through Playwright, no browser download), runs the teacher's
console with Textual's Pilot, and writes into ``docs/images/``:

- ``console-waiting.svg``: the console, teacher-paced, the students waiting (100x30);
- ``console-open.svg``: decision 1 open with its countdown, three students decided (100x30);
- ``console-80x24.svg``: the same at 80x24;
- ``student-waiting.png``, ``student-decision.png``: a student's page, waiting, then deciding
  with the countdown;
- ``projector.png``: the projector once decision 1 is revealed to the room.

    python -m scripts.lesson_screenshots
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from benchmarks.class_load import Served
from game.commands.serve import read_token
from game.ui.console import ConsoleApp
from game.ui.console_client import ConsoleClient
from scripts.screenshot_reports import chromium

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
STUDENTS = ("Ana Lima", "Ben Okafor", "Chloé Martin", "Dara Singh")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def token(served: Served) -> str:
    return read_token(served.folder)


async def text_of(page: Any) -> str:
    try:
        return str(await page.inner_text("main"))
    except Exception:  # loading again
        return ""


async def wait_for(page: Any, words: str, seconds: float = 40) -> None:
    for _ in range(int(seconds * 4)):
        if words in await text_of(page):
            return
        await asyncio.sleep(0.25)
    raise SystemExit(f"the page never showed {words!r}")


async def join(browser: Any, served: Served, name: str) -> Any:
    context = await browser.new_context(viewport={"width": 900, "height": 760})
    page = await context.new_page()
    await page.goto(served.base + "/")
    await page.fill("#code", served.code)
    await page.fill("#name", name)
    await page.click("#join")
    await page.wait_for_url(re.compile(r".*/play$"))
    await page.get_by_role("button", name=re.compile(r"^Play Pakistan")).click()
    await page.wait_for_url(re.compile(r".*/round/[^/]+$"))
    return page


async def lesson(folder: Path) -> None:
    served = Served(
        folder, "iran_pakistan_2024", "--names-per-address", "8", "--grace", "2", page="html"
    )
    console = ConsoleApp(ConsoleClient(served.base, token(served)))
    try:
        async with async_playwright() as playwright, console.run_test(size=(100, 30)) as pilot:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
            await pilot.press("t", "b")
            pages = [await join(browser, served, name) for name in STUDENTS]
            await wait_for(pages[0], "Waiting for your teacher")
            await pages[0].screenshot(path=str(IMAGES / "student-waiting.png"))
            await asyncio.sleep(2.5)
            console.save_screenshot("console-waiting.svg", str(IMAGES))
            await pilot.press("o", *"180", "enter")
            for page in pages:
                await wait_for(page, "What do you decide?")
            await pages[0].locator("#countdown").scroll_into_view_if_needed()
            await pages[0].screenshot(path=str(IMAGES / "student-decision.png"))
            for page in pages[:3]:
                await page.locator("form.choices button").nth(1).click()
                await page.fill("#reason", "Protest, but keep the channels open")
                await page.click("#confirm")
                await wait_for(page, "What followed")
            await pilot.press("v")
            await asyncio.sleep(2.5)
            console.save_screenshot("console-open.svg", str(IMAGES))
            await pilot.resize_terminal(80, 24)
            await asyncio.sleep(1.5)
            console.save_screenshot("console-80x24.svg", str(IMAGES))
            projector = await (
                await browser.new_context(viewport={"width": 1280, "height": 720})
            ).new_page()
            await projector.goto(served.base + "/teacher/projector")
            await projector.fill("#token", token(served))
            await projector.click("#open")
            await wait_for(projector, "what happened")
            await projector.screenshot(path=str(IMAGES / "projector.png"))
            await browser.close()
            await pilot.press("q")
    finally:
        served.stop()


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="flashpoint-lesson-"))
    try:
        asyncio.run(lesson(folder / "class"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for path in sorted(IMAGES.glob("*")):
        print(path)


if __name__ == "__main__":
    main()
