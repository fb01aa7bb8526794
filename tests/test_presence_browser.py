"""Presence on the class page in Debian's Chromium against a real ``flashpoint serve`` (#27):
a student reading a decision with JavaScript turned off is "reading (no live updates)" once the
page has been quiet for 10 s, never "tab closed" (nothing could tell the server it closed);
a student with JavaScript whose tab closes is "tab closed" within 10 s."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from tests.test_console import token_of
from tests.test_serve_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium")


def status(served: Served) -> dict[str, str]:
    """Each student's status as the console reads it, by name."""
    request = urllib.request.Request(
        served.base + "/teacher/api/status",
        headers={"Authorization": f"Bearer {token_of(served)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        data: dict[str, Any] = json.load(answer)
    return {s["name"]: s["shown"] for s in data["students"]}


async def shown(served: Served, name: str, wanted: str, seconds: float) -> str:
    """What the console shows of ``name`` once it is ``wanted`` (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    now = ""
    while time.monotonic() < deadline:
        now = (await asyncio.to_thread(status, served)).get(name, "")
        if now == wanted:
            break
        await asyncio.sleep(0.5)
    return now


async def open_round(browser: Any, served: Served, name: str, script: bool) -> Any:
    """A student's tab (with or without JavaScript) on the first decision of a new round."""
    context = await browser.new_context(java_script_enabled=script)
    page = await context.new_page()
    await page.goto(served.base + "/")
    await page.fill("#code", served.code)
    await page.fill("#name", name)
    await page.click("#join")
    await page.wait_for_url("**/play")
    await page.get_by_role("button", name="Play Pakistan's caretaker government").click()
    await page.wait_for_url("**/round/*")
    assert "What do you decide?" in await page.inner_text("main")
    return page


async def test_no_javascript_is_reading_and_a_closed_tab_is_closed(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    served = Served(tmp_path / "class", "iran_pakistan_2024", page="html")
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            await open_round(browser, served, "Ana Lima", script=False)
            ben = await open_round(browser, served, "Ben Okafor", script=True)
            reading = "reading (no live updates)"
            assert await shown(served, "Ana Lima", reading, 30) == reading  # after 10 s quiet
            assert await shown(served, "Ben Okafor", "playing", 1) == "playing"  # listening
            await ben.context.close()
            assert await shown(served, "Ben Okafor", "tab closed", 15) == "tab closed"
            assert await shown(served, "Ana Lima", reading, 1) == reading  # still not closed
            await browser.close()
    finally:
        served.stop()
