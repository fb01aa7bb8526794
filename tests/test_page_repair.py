"""The teacher's console re-pairs a student whose class-page match is running (#31 item 4),
over HTTP in this process: refused while both students are playing it; once one has gone
quiet, both seats of the old match are recorded as left (never 'playing' for good), the old
match goes, the student plays the new one, the old partner is back on the head-to-head page
with nothing broken, and the pairs say so."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.matches import GONE_AFTER, MatchStore
from game.web.pairing import MATCH_FILE, PAIRS_FILE
from game.web.server import ClassServer, Settings
from game.web.teacher_commands import Refused
from game.web.teacher_pairs import pair
from tests.page_client import folder, records
from tests.test_page_matches import follow, move, seating, student

__all__ = ["folder"]  # fixtures


async def test_re_pairing_a_running_class_page_match(folder: ClassFolder) -> None:
    matches = seating()
    servers, clients = [], []  # one browser each (a client keeps one cookie jar)
    for _ in range(3):
        server = ClassServer(Settings(folder, matches=matches), host="127.0.0.1")
        client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        servers.append(server)
        clients.append(client)
    teacher = servers[0].teacher
    assert teacher is not None
    try:
        names = ("Ana", "Ben", "Cara")
        ana, ben, cara = [await student(c, folder, n) for c, n in zip(clients, names, strict=True)]
        ids = [student_id(n) for n in names]
        first = (await pair(teacher, {"students": ids[:2]}))["match"]
        _, page = await follow(ana, "/match/turn")
        assert "(Ben)" not in page  # Ben has not opened his match yet
        await follow(ben, "/match/turn")
        await move(ana, "before the change")
        with pytest.raises(Refused, match="both students are playing"):
            await pair(teacher, {"students": [ids[0], ids[2]]})
        db = sqlite3.connect(folder.path / MATCH_FILE)  # Ben's tab closed a while ago
        with db:
            db.execute("UPDATE seats SET last_seen = last_seen - ?", (GONE_AFTER * 2,))
        db.close()
        second = (await pair(teacher, {"students": [ids[0], ids[2]]}))["match"]
        kept = {(r["player"], r["match"]["code"]): r["status"] for r in records(folder)}
        assert kept == {("Ana", first): "abandoned", ("Ben", first): "abandoned"}
        store = MatchStore(folder.path / MATCH_FILE)
        assert [m.code for m in store.summaries()] == [second]
        store.close()
        where, page = await follow(ben, "/match/turn")  # his match went: the start page
        assert (where == "/match" and "Start a match" in page) or "code" in page
        _, page = await follow(ana, "/match/turn")
        assert f"Match <strong>{second}</strong>" in page and "Your move is sealed" not in page
        _, page = await follow(cara, "/match/turn")
        assert f"Match <strong>{second}</strong>" in page and "(Ana)" in page
        pairs = json.loads((folder.path / PAIRS_FILE).read_text())
        assert {k: v[0] for k, v in pairs.items()} == {ids[0]: second, ids[2]: second}
        kept = {(r["player"], r["match"]["code"]): r["status"] for r in records(folder)}
        assert kept[("Ana", second)] == kept[("Cara", second)] == "playing"
    finally:
        for client in clients:
            await client.close()
