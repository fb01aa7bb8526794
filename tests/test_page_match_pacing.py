"""Head-to-head on the class page under the teacher's pacing (#27), over HTTP in this process:
each turn waits for the teacher to open its decision, shows the teacher's countdown, a pause
stops it, "advance the slowest" plays the silent seat's move labelled as made for it (never
"You chose"), and the end of the class records both seats abandoned."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records import pacing_file
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from game.web.class_storage import end_open_rounds
from game.web.pairing import MATCH_FILE
from game.web.server import ClassServer, Settings
from tests.page_client import Browser, folder, records
from tests.test_page_matches import LATE, follow, move, seating, start, student

__all__ = ["folder"]  # fixtures


def teach(folder: ClassFolder, change: Callable[[ClassControl, float], ClassControl]) -> None:
    """The teacher's console changes the class's control (as the server writes it)."""
    pacing_file.update(folder.path, lambda control: change(control, time.time()))


async def turn_page(browser: Browser) -> str:
    _, page = await follow(browser, "/match/turn")
    return page


async def test_a_class_page_match_follows_the_teacher_s_pacing(folder: ClassFolder) -> None:
    servers, clients = [], []  # one browser each (a client keeps one cookie jar)
    for _ in range(2):
        server = ClassServer(Settings(folder, matches=seating(deadline=1.0)), host="127.0.0.1")
        client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        servers.append(server)
        clients.append(client)
    try:
        teach(folder, lambda c, now: pacing.set_pace(c, "teacher"))
        ana = await student(clients[0], folder, "Ana")
        ben = await student(clients[1], folder, "Ben")
        code = await start(ana)
        assert (await ben.post("/match/join", code=code)).status == 303
        page = await turn_page(ana)
        assert "Waiting for your teacher" in page and 'class="choices' not in page
        sent = await ana.post("/match/decide", choice="protest_only", n="1")
        assert sent.status == 303  # not taken: the turn is not open
        store = MatchStore(folder.path / MATCH_FILE)
        assert store.sealed(code, "pakistan", 1) is None
        time.sleep(1.5)  # the match's own deadline (1 s) passes: it does not count
        stream = await ana.client.get("/match/events?n=1")  # the page's live stream (JS)
        first = await stream.content.readuntil(b"\n\n")
        assert b"event: match" in first and b'"gate": "waiting"' in first
        teach(folder, lambda c, now: pacing.open_decision(c, 1, 60, now))
        second = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 30)
        assert b'"gate": "open"' in second  # match.js loads the page again: the turn
        stream.close()
        page = await turn_page(ana)
        seconds = re.findall(r'id="countdown" role="timer" data-seconds="(\d+)"', page)
        assert seconds and 30 < int(seconds[0]) <= 60  # the teacher's countdown, not the match's
        assert 'id="countdown"' in await turn_page(ben)
        teach(folder, pacing.pause)
        assert "The class is paused" in await turn_page(ben)
        teach(folder, pacing.resume)
        await move(ana, "in time")
        teach(folder, lambda c, now: pacing.advance_slowest(c, 1, now))
        _, theirs = await follow(ben, "/match/turn?n=1")  # his move was made for him
        assert LATE in theirs and "You chose" not in theirs
        _, mine = await follow(ana, "/match/turn?n=1")
        assert "You chose" in mine
        (turn,) = store.revealed(code)
        assert [(m.seat, m.fallback) for m in turn] == [("pakistan", False), ("iran", True)]
        assert "Waiting for your teacher" in await turn_page(ana)  # decision 2 is not open
        teach(folder, pacing.end_class)
        assert "The class has ended" in await turn_page(ana)
        assert end_open_rounds(servers[0], print) == 1  # Ben's seat: no request of his since
        store.close()
        assert {r["player"]: r["status"] for r in records(folder)} == {
            "Ana": "abandoned",
            "Ben": "abandoned",
        }
    finally:
        for client in clients:
            await client.close()
