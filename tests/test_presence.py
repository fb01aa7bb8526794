"""Where each student is, as the teacher reads it (#27), for a class page read without
JavaScript: such a page has no live stream and cannot tell the server it closed, so the console
never calls it "tab closed"; it is "reading (no live updates)" while it was seen lately, then
"not seen for N min". A page whose script listened and whose stream then closed is "tab closed".

Real HTTP on loopback (aiohttp's test server, in this process), the server's own status
endpoint, with the presence times made short (the wording's own rule is tested apart)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.engine.classroom import status
from game.engine.classroom.live import Progress
from game.engine.classroom.status import Tabs, status_word
from game.engine.records.classfolder import ClassFolder, Student
from game.ui.console_view import summary_line
from game.web import teacher
from game.web.server import ClassServer, Settings
from tests.page_client import Browser

Lesson = tuple[TestClient[Any, Any], ClassServer, ClassFolder]


@pytest.fixture
async def lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Lesson]:
    monkeypatch.setattr(teacher, "PRESENT_SECONDS", 0.5)
    monkeypatch.setattr(teacher, "RECONNECT_SECONDS", 0.5)
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    server = ClassServer(Settings(folder), host="127.0.0.1")
    client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    yield client, server, folder
    await client.close()


async def console(client: TestClient[Any, Any], server: ClassServer) -> dict[str, Any]:
    assert server.teacher is not None
    server.teacher.reading.latest = None  # read the class folder again now
    response = await client.get(
        "/teacher/api/status", headers={"Authorization": f"Bearer {server.teacher.token}"}
    )
    assert response.status == 200
    answer: dict[str, Any] = await response.json()
    return answer


async def shown_until(
    client: TestClient[Any, Any],
    server: ClassServer,
    name: str,
    wanted: Callable[[str], bool],
    tries: int = 100,
) -> dict[str, Any]:
    """The student's row once ``wanted`` holds of what the console shows (or the last one)."""
    row: dict[str, Any] = {}
    for _ in range(tries):  # 10 s at most, on a busy machine
        answer = await console(client, server)
        row = next(s for s in answer["students"] if s["name"] == name)
        if wanted(row["shown"]):
            break
        await asyncio.sleep(0.1)
    return row


async def reading(lesson: Lesson, name: str) -> tuple[Browser, str]:
    """A student who joined, started a round and has its first decision on screen."""
    client, _, folder = lesson
    browser = Browser(client, folder.code)
    round_url = await browser.playing(name)
    status_code, page, _ = await browser.get(round_url)
    assert status_code == 200 and "What do you decide?" in page
    return browser, round_url


async def test_a_page_without_javascript_is_reading_never_tab_closed(lesson: Lesson) -> None:
    client, server, _ = lesson
    ana, round_url = await reading(lesson, "Ana Lima")  # read without a script
    row = await shown_until(client, server, "Ana Lima", lambda shown: shown != "playing")
    assert row["shown"] == "reading (no live updates)" and row["tab"] == "quiet"
    assert "tab closed" not in row["shown"]
    assert "1 without live updates" in summary_line(await console(client, server))

    await ana.get(round_url)  # she reads on: a request is a page seen now
    row = next(s for s in (await console(client, server))["students"] if s["name"] == "Ana Lima")
    assert row["shown"] == "playing" and row["tab"] == "open"


async def test_a_page_whose_stream_closes_is_tab_closed(lesson: Lesson) -> None:
    client, server, _ = lesson
    _, round_url = await reading(lesson, "Ben Okafor")
    events = await client.get(f"{round_url}/events?n=1")  # the page's script listens
    assert events.status == 200
    assert b"event: gate" in await events.content.readuntil(b"\n\n")
    row = await shown_until(client, server, "Ben Okafor", lambda _: False, 15)  # >0.5 s
    assert row["shown"] == "playing" and row["tab"] == "open"

    events.close()  # the tab closes: its stream goes with it
    row = await shown_until(client, server, "Ben Okafor", lambda shown: shown == "tab closed")
    assert row["shown"] == "tab closed" and row["tab"] == "closed"


def progress(state: str, decisions: int = 0) -> Progress:
    student = Student("s1", "Ana", 0.0, Path("/nonexistent"))
    return Progress(student, state, "iran_pakistan_2024", "pakistan", decisions)


def test_the_words_for_a_page_that_cannot_say_it_closed() -> None:
    playing, joined = progress("playing", 1), progress("joined")
    quiet = Tabs(frozenset(), frozenset({"s1"}), {"s1": 60.0})
    assert status_word(playing, quiet) == "reading (no live updates)"
    assert status_word(joined, quiet) == "joined"
    long_ago = Tabs(frozenset(), frozenset({"s1"}), {"s1": status.QUIET_SECONDS + 125.0})
    assert status_word(playing, long_ago) == "not seen for 7 min"
    assert status_word(joined, long_ago) == "joined, not seen for 7 min"
    gone = Tabs(frozenset(), frozenset({"s1"}))
    assert status_word(playing, gone) == "tab closed"
    assert status_word(joined, gone) == "joined, no page"
    teacher_paced = {"mode": "teacher", "open": True, "number": 2}
    assert status_word(playing, quiet, teacher_paced) == "deciding 2 (no live updates)"
    assert status_word(playing, Tabs(frozenset({"s1"}), frozenset()), teacher_paced) == (
        "deciding 2"
    )
    assert status_word(playing, None) == "playing"  # the live view knows nothing of tabs
