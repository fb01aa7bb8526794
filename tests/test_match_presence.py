"""Match seats on the class page, as the partner and the teacher see them (trial 2, F2 and F3):
a student whose page has no live stream (no JavaScript, or an outcome page) is reading, never
"left the match" nor "(gone)", and the match is not "paused"; a page whose stream closed is
gone; the console reads a match seat's decisions from the match (a sealed move, an automatic
move) rather than from the seat's record, written only when its own page plays a turn."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.engine.classroom import status
from game.engine.classroom.status import Tabs, seat_presence
from game.engine.play import pacing
from game.engine.records import matches
from game.engine.records.classfolder import ClassFolder
from game.web import teacher
from game.web.server import ClassServer, Settings
from tests.page_client import Browser, folder
from tests.test_page_match_pacing import teach
from tests.test_page_matches import follow, move, seating, start, student
from tests.test_presence import console

__all__ = ["folder"]  # fixtures

Lesson = tuple[TestClient[Any, Any], TestClient[Any, Any], ClassServer]


@pytest.fixture
async def lesson(folder: ClassFolder, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Lesson]:
    """One class server with matches; two students' browsers (a cookie jar each) on it."""
    monkeypatch.setattr(teacher, "PRESENT_SECONDS", 0.3)
    monkeypatch.setattr(teacher, "RECONNECT_SECONDS", 0.3)
    monkeypatch.setattr(matches, "GONE_AFTER", 0.3)
    server = ClassServer(Settings(folder, matches=seating()), host="127.0.0.1")
    first: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
    await first.start_server()
    second: TestClient[Any, Any] = TestClient(first.server)  # the same server, another jar
    await second.start_server()
    yield first, second, server
    await second.close()
    await first.close()


async def console_until(
    client: TestClient[Any, Any], server: ClassServer, wanted: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The console's answer once ``wanted`` holds of it (or the last one, after 10 s)."""
    answer: dict[str, Any] = {}
    for _ in range(100):
        answer = await console(client, server)
        if wanted(answer):
            break
        await asyncio.sleep(0.1)
    return answer


def row(answer: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in answer["students"] if s["name"] == name)
    return found


async def paired(lesson: Lesson, folder: ClassFolder) -> tuple[Browser, Browser, str]:
    first, second, _ = lesson
    ana = await student(first, folder, "Ana")
    ben = await student(second, folder, "Ben")
    code = await start(ana)
    assert (await ben.post("/match/join", code=code)).status == 303
    await follow(ben, "/match/turn")
    await follow(ana, "/match/turn")
    return ana, ben, code


async def first_event(browser: Browser) -> dict[str, Any]:
    stream = await browser.client.get("/match/events?n=1")
    assert stream.status == 200
    message = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 30)
    stream.close()
    data: dict[str, Any] = json.loads(message.decode().split("data: ", 1)[1])
    return data


async def test_a_match_seat_without_live_updates_is_reading_never_gone(
    lesson: Lesson, folder: ClassFolder
) -> None:
    first, _, server = lesson
    ana, ben, _ = await paired(lesson, folder)
    # both read their turn without a script: no heartbeat comes between their requests
    answer = await console_until(
        first,
        server,
        lambda a: (
            all("no live updates" in row(a, name)["shown"] for name in ("Ana", "Ben"))
            and len(a["matches"][0]["quiet"]) == 2
        ),
    )
    (match,) = answer["matches"]
    assert match["gone"] == [] and match["status"] == "playing"
    assert match["quiet"] == {"pakistan": "no live updates", "iran": "no live updates"}
    _, page = await follow(ana, "/match/turn")
    assert "Ben is reading" in page and "has left the match" not in page
    assert (await first_event(ana))["other"] == "quiet"  # what match.js would announce

    # Ben's page listens (JavaScript), then its tab closes: he is gone, and said so
    stream = await ben.client.get("/match/events?n=1")
    assert b"event: match" in await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 30)
    stream.close()
    await console_until(first, server, lambda a: "iran" in a["matches"][0]["gone"])
    _, page = await follow(ana, "/match/turn")  # (her own stream closed too: she reads on)
    assert "Ben has left the match or lost the connection" in page
    (match,) = (await console(first, server))["matches"]
    assert match["gone"] == ["iran"] and match["status"] == "paused"
    assert "iran" not in match["quiet"]


async def test_a_student_who_leaves_the_match_is_gone_at_once(
    lesson: Lesson, folder: ClassFolder
) -> None:
    first, _, server = lesson
    ana, ben, _ = await paired(lesson, folder)
    assert (await ben.post("/match/leave")).status == 303  # a page seen just now, all the same
    _, page = await follow(ana, "/match/turn")
    assert "Ben has left the match or lost the connection" in page
    (match,) = (await console(first, server))["matches"]
    assert match["gone"] == ["iran"] and match["status"] == "paused"


async def test_the_console_reads_a_match_seat_s_sealed_and_automatic_moves(
    lesson: Lesson, folder: ClassFolder
) -> None:
    first, _, server = lesson
    teach(folder, lambda c, now: pacing.set_pace(c, "teacher"))
    ana, ben, _ = await paired(lesson, folder)
    teach(folder, lambda c, now: pacing.open_decision(c, 1, 60, now))
    await move(ana, "sealed in time")
    answer = await console(first, server)
    assert row(answer, "Ana")["shown"].startswith("sealed 1, other seat deciding")
    assert row(answer, "Ana")["decisions"] == 1
    assert row(answer, "Ben")["shown"].startswith("deciding 1")

    teach(folder, lambda c, now: pacing.advance_slowest(c, 1, now))
    await follow(ana, "/match/turn?n=1")  # Ana's page plays the turn; Ben's record waits
    answer = await console(first, server)
    assert row(answer, "Ben")["shown"].startswith("waiting for 2 (1: no move in time)")
    assert (row(answer, "Ben")["decisions"], row(answer, "Ben")["late"]) == (0, 1)
    assert row(answer, "Ana")["shown"].startswith("waiting for 2")
    assert (row(answer, "Ana")["decisions"], row(answer, "Ana")["late"]) == (1, 0)

    teach(folder, lambda c, now: pacing.open_decision(c, 2, 60, now))
    answer = await console(first, server)
    assert row(answer, "Ben")["shown"].startswith("deciding 2")
    assert row(answer, "Ana")["shown"].startswith("deciding 2")
    del ben


def test_one_rule_for_a_match_seat_s_presence(monkeypatch: pytest.MonkeyPatch) -> None:
    tabs = Tabs(
        open=frozenset({"a"}),
        seated=frozenset({"a", "b", "c"}),
        quiet={"b": 30.0, "c": 400.0},
    )
    assert seat_presence("here", "d", tabs) == ("here", 0.0)  # a heartbeat says so
    assert seat_presence("free", None, tabs) == ("free", 0.0)
    assert seat_presence("gone", "a", tabs) == ("here", 0.0)  # its page is open
    assert seat_presence("gone", "b", tabs) == ("quiet", 30.0)
    assert seat_presence("gone", "c", tabs) == ("unseen", 400.0)
    assert status.seat_words("unseen", 400.0) == "not seen for 6 min"
    assert seat_presence("gone", "d", tabs) == ("gone", 0.0)  # its stream closed
    assert seat_presence("gone", None, tabs) == ("gone", 0.0)  # a full-screen seat's thread
    assert seat_presence("gone", "b", None) == ("gone", 0.0)
    monkeypatch.setattr(status, "QUIET_SECONDS", 10.0)
    assert seat_presence("gone", "b", tabs)[0] == "unseen"


async def test_a_student_reading_without_live_updates_is_still_in_the_match(
    lesson: Lesson, folder: ClassFolder
) -> None:
    ana, _, code = await paired(lesson, folder)
    store = matches.MatchStore(folder.path / "matches.sqlite")
    for _ in range(100):  # her page sends no heartbeat between requests (10 s at most)
        if store.presence(code)["pakistan"] == "gone":
            break
        await asyncio.sleep(0.1)
    store.close()
    response = await ana.post("/match/start", seat="pakistan")  # not a way out of the match
    assert response.status == 429 and f"You are playing match {code}" in await response.text()
