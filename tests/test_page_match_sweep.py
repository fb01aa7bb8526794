"""The class page's servers apply the teacher's pacing to matches nobody is looking at (trial
F1): "advance the slowest" plays a silent pair's turn (each seat's move labelled as made for
it) with no page loaded, two servers on one class folder sweeping it; the end of the class
seals a countdown that ran out before recording the seats abandoned."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.engine.play import pacing
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from game.web import match_sweep
from game.web.pairing import MATCH_FILE
from game.web.server import ClassServer, Settings
from tests.page_client import folder
from tests.test_page_match_pacing import teach
from tests.test_page_matches import seating, start, student

__all__ = ["folder"]  # fixtures


async def pair(folder: ClassFolder) -> tuple[list[ClassServer], list[TestClient[Any, Any]], str]:
    """Two servers on one class folder (a browser each: a client keeps one cookie jar), and
    the match Ana started and Ben joined, in a teacher-paced class."""
    servers, clients = [], []
    for _ in range(2):
        server = ClassServer(Settings(folder, matches=seating()), host="127.0.0.1")
        client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        servers.append(server)
        clients.append(client)
    teach(folder, lambda c, now: pacing.set_pace(c, "teacher"))
    ana = await student(clients[0], folder, "Ana")
    ben = await student(clients[1], folder, "Ben")
    code = await start(ana)
    assert (await ben.post("/match/join", code=code)).status == 303
    return servers, clients, code


async def test_advancing_the_slowest_plays_a_turn_nobody_is_looking_at(
    folder: ClassFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_sweep, "EVERY", 0.05)
    _, clients, code = await pair(folder)  # each server sweeps; a seat held is skipped
    store = MatchStore(folder.path / MATCH_FILE)
    try:
        teach(folder, lambda c, now: pacing.open_decision(c, 1, None, now))
        await asyncio.sleep(0.3)
        assert store.revealed(code) == []  # open without a countdown: nothing is played
        teach(folder, lambda c, now: pacing.advance_slowest(c, 1, now))
        for _ in range(600):  # nobody loads a page from now on (30 s at most)
            if store.revealed(code):
                break
            await asyncio.sleep(0.05)
        (turn,) = store.revealed(code)
        assert [m.fallback for m in turn] == [True, True]
        assert set(store.presence(code).values()) <= {"here", "gone"}
    finally:
        store.close()
        for client in clients:
            await client.close()


async def test_the_end_of_the_class_seals_a_countdown_that_ran_out(folder: ClassFolder) -> None:
    servers, clients, code = await pair(folder)
    store = MatchStore(folder.path / MATCH_FILE)
    try:
        teach(folder, lambda c, now: pacing.open_decision(c, 1, None, now))
        teach(folder, lambda c, now: pacing.advance_slowest(c, 1, now))
        assert (
            await asyncio.to_thread(match_sweep.seal_all, servers[0]) == 2
        )  # what `end` runs first
        (turn,) = store.revealed(code)
        assert [m.fallback for m in turn] == [True, True]
    finally:
        store.close()
        for client in clients:
            await client.close()
