"""After the teacher ends the class, every student reaches her debrief (trial F9): a match seat
(its turns so far; held history still waits for the teacher's reveal) instead of a turn page
that loops, and a solo round recorded abandoned instead of "There is no such round of yours"."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp.test_utils import TestClient

from game.engine.play import pacing
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import update
from game.web import match_sweep
from tests.page_client import Browser, client, folder, records
from tests.test_page_match_pacing import teach
from tests.test_page_match_sweep import pair
from tests.test_page_matches import follow, student

__all__ = ["client", "folder"]  # fixtures


async def test_a_solo_round_abandoned_at_the_end_has_its_debrief(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.open_decision(c, 1, None, time.time()))
    ana = Browser(client, folder.code)
    round_url = await ana.playing("Ana")
    update(folder.path, lambda c: pacing.end_class(c, time.time()))
    for _ in range(300):  # the server looks once a second (a busy machine: up to 30 s)
        if records(folder):
            break
        await asyncio.sleep(0.1)
    (record,) = records(folder)
    assert record["status"] == "abandoned"
    _, home, _ = await ana.get("/play")
    assert f"{round_url}/debrief" in home
    status, page, _ = await ana.get(f"{round_url}/debrief")
    assert status == 200 and "no such round" not in page


async def test_a_match_seat_reaches_its_debrief_after_the_end(folder: ClassFolder) -> None:
    servers, clients, _ = await pair(folder)
    try:
        teach(folder, lambda c, now: pacing.set_reveal(c, "teacher"))  # history held
        teach(folder, lambda c, now: pacing.open_decision(c, 1, None, now))
        teach(folder, lambda c, now: pacing.advance_slowest(c, 1, now))
        assert await asyncio.to_thread(match_sweep.seal_all, servers[0]) == 2  # as `end` does
        teach(folder, pacing.end_class)
        ana = await student(clients[0], folder, "Ana")
        where, page = await follow(ana, "/match/turn")
        assert where == "/match/debrief" and "/match/turn" not in where
        assert "Your match debrief" not in page and "reveal" in page  # held: no loop
        teach(folder, lambda c, now: pacing.reveal(c, 1))
        where, page = await follow(ana, "/match/debrief")
        assert where == "/match/debrief" and "Your match debrief" in page
        status, text, _ = await ana.get("/match/debrief.md")
        assert status == 200 and text.strip()
    finally:
        for each in clients:
            await each.close()
