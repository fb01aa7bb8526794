"""The console's pairing with a class page's own matches (trial F11): pairing two students who
already share a match started by code closes that match (both seats recorded as left, the match
gone) instead of leaving it open beside the new one; a classmate in a paired student's code
match has their seat recorded as left too and is back on the head-to-head page. Over HTTP in
this process, like test_page_repair."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.matches import GONE_AFTER, MatchStore
from game.web.pairing import MATCH_FILE
from game.web.server import ClassServer, Settings
from game.web.teacher_commands import Refused
from game.web.teacher_pairs import pair
from tests.page_client import folder, records
from tests.test_page_matches import follow, seating, start, student

__all__ = ["folder"]  # fixtures


def quiet(folder: ClassFolder) -> None:
    """Every seat's tab closed a while ago (its heartbeat old): no match is 'playing'."""
    db = sqlite3.connect(folder.path / MATCH_FILE)
    with db:
        db.execute("UPDATE seats SET last_seen = last_seen - ?", (GONE_AFTER * 2,))
    db.close()


def codes(folder: ClassFolder) -> list[str]:
    store = MatchStore(folder.path / MATCH_FILE)
    try:
        return [m.code for m in store.summaries()]
    finally:
        store.close()


def kept_records(folder: ClassFolder) -> dict[tuple[str, str], str]:
    return {(r["player"], r["match"]["code"]): r["status"] for r in records(folder)}


async def test_pairing_students_who_share_a_code_match_closes_it(folder: ClassFolder) -> None:
    server = ClassServer(Settings(folder, matches=seating(), names_per_client=4), host="127.0.0.1")
    clients: list[TestClient[Any, Any]] = []
    for _ in range(4):  # one browser each (a client keeps one cookie jar)
        client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        clients.append(client)
    teacher = server.teacher
    assert teacher is not None
    try:
        names = ("Kim", "Lee", "Max", "Ned")
        kim, lee, max_, ned = [
            await student(c, folder, n) for c, n in zip(clients, names, strict=True)
        ]
        ids = [student_id(n) for n in names]
        shared = await start(kim)  # Kim starts a match by code, Lee types it
        assert (await lee.post("/match/join", code=shared)).status == 303
        await follow(lee, "/match/turn")
        with pytest.raises(Refused, match="both students are playing"):
            await pair(teacher, {"students": ids[:2]})  # both at it: the teacher is told
        quiet(folder)
        kept = (await pair(teacher, {"students": ids[:2]}))["match"]
        assert codes(folder) == [kept]  # the code match is closed, not left open beside it
        assert kept_records(folder) == {("Kim", shared): "abandoned", ("Lee", shared): "abandoned"}
        _, page = await follow(kim, "/match/turn")
        assert f"Match <strong>{kept}</strong>" in page

        other = await start(ned, "iran")  # Ned's code match, which Max joins
        assert (await max_.post("/match/join", code=other)).status == 303
        await follow(max_, "/match/turn")
        quiet(folder)
        again = (await pair(teacher, {"students": [ids[1], ids[2]]}))["match"]  # Lee with Max
        assert codes(folder) == [again]  # Kim and Lee's kept match and Ned's code match went
        left = kept_records(folder)
        assert left[("Ned", other)] == left[("Max", other)] == "abandoned"
        assert left[("Kim", kept)] == "abandoned"  # Lee had not opened it: no round of it
        assert left.get(("Lee", kept), "abandoned") == "abandoned"
        for browser in (ned, kim):  # their matches went: the start page
            where, page = await follow(browser, "/match/turn")
            assert where == "/match" and "Start a match" in page, page
    finally:
        for client in clients:
            await client.close()
