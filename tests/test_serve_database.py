"""``flashpoint serve --database``: two real servers on one class in the suite's PostgreSQL.

A student seated by one server is known to the other (their cookie, their round); the
teacher's actions sent to one reach the other's students (the control's notification); the
console's status read through either lists every student with their decisions; the end of
the class records every round left open, whichever server played it. (The terminal page
refused with --database, and the teacher's pairs on it: tests/test_class_caps_matches.py.)
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from textual.widgets import DataTable

from benchmarks.class_load import Served
from game.commands.serve import live_app
from game.engine.records.storage import ClassStorage, open_class
from game.reports.pacing_words import ENDED
from game.web.stored_server import UNAVAILABLE
from tests import pg_server
from tests.test_failover import CHOICE, COUNT

MATCH_CODE = re.compile(r"Match <strong>([A-Z0-9]+)</strong>")
TOKEN = "a-teacher-token-shared-by-both-servers"
CLASS = "shared"


def class_of(tmp_path: Path) -> str:
    """The class's name in the suite's database: one per test (the server outlives tests)."""
    return f"{CLASS}-{tmp_path.name}"


SERVE = (sys.executable, "-m", "game", "serve", "--class-folder")


def _two(tmp_path: Path, url: str, *extra: str) -> Iterator[tuple[Served, Served, str]]:
    database = ("--database", url, "--class-name", class_of(tmp_path), "--grace", "2", *extra)
    first = Served(tmp_path / "work1", *database, page="html")
    try:
        second = Served(tmp_path / "work2", *database, page="html")
    except BaseException:
        first.stop()
        raise
    yield first, second, url
    first.stop()
    second.stop()


@pytest.fixture
def two(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Served, Served, str]]:
    monkeypatch.setenv("FLASHPOINT_TOKEN", TOKEN)
    yield from _two(tmp_path, postgres_url)


@pytest.fixture
def two_matches(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Served, Served, str]]:
    yield from _two(tmp_path, postgres_url, "--matches")


class Student:
    """A browser that asks either server (its cookie goes to both: one host, two ports)."""

    def __init__(self) -> None:
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def get(self, base: str, path: str) -> tuple[int, str, str]:
        async with self.session.get(base + path, allow_redirects=False) as answer:
            return answer.status, await answer.text(), answer.headers.get("Location", "")

    async def post(self, base: str, path: str, **form: str) -> tuple[int, str, str]:
        headers = {"Origin": base}
        async with self.session.post(
            base + path, data=form, headers=headers, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers.get("Location", "")

    async def decide(self, base: str, round_url: str) -> None:
        status, page, _ = await self.get(base, round_url)
        assert status == 200, page
        choice = CHOICE.findall(page)[0]
        status, confirm, _ = await self.get(base, f"{round_url}/confirm?choice={choice}")
        count = COUNT.findall(confirm)[0]
        status, text, _ = await self.post(
            base, f"{round_url}/decide", choice=choice, count=count, reason="on " + base
        )
        assert status == 303, text


async def teacher(base: str, command: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        if command == "status":
            async with session.get(f"{base}/teacher/api/status") as answer:
                assert answer.status == 200, await answer.text()
                return await answer.json()
        async with session.post(f"{base}/teacher/api/{command}", json=body or {}) as answer:
            assert answer.status == 200, await answer.text()
            return await answer.json()


def test_two_servers_share_seats_rounds_pacing_and_the_end_of_class(
    two: tuple[Served, Served, str], tmp_path: Path
) -> None:
    first, second, url = two
    assert first.code == second.code
    database = ("--database", url, "--class-name", class_of(tmp_path), "--grace", "2")
    asyncio.run(_lesson(first, second, tmp_path, database))
    storage = open_class(url, None, class_of(tmp_path), create=False)
    try:
        (row,) = storage.seats.all()
        assert row.name == "Ana" and row.secret and row.pin
        (saved,) = storage.rounds.in_progress(row.student)  # kept, as leaving keeps it
        assert saved.data["status"] == "abandoned"
        (record,) = storage.records.of(row.student)
        assert record.status == "abandoned" and len(record.decisions) == 3
        state, _ = storage.control.load()
        assert state is not None and state["ended"] is not None
        asyncio.run(_live_view(storage))
    finally:
        storage.close()


async def _live_view(storage: ClassStorage) -> None:
    """``flashpoint class --live --database``: the class as the database holds it."""
    app = live_app(storage)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one("#students", DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert "Ana" in cells, cells
        assert storage.where in app.sub_title


async def showing(student: Student, base: str, url: str, wanted: str) -> str:
    """The page at ``url`` once it shows ``wanted``: a server learns the teacher's change made
    on another from the database's notification, a moment later (bounded: 10 s)."""
    for _ in range(100):
        status, page, _ = await student.get(base, url)
        if status == 200 and wanted in page:
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"{wanted} never shown at {base}{url}:\n{page}")


async def _lesson(first: Served, second: Served, work: Path, database: tuple[str, ...]) -> None:
    ana = Student()
    third = Served(work / "work3", *database, page="html")  # started before she joins
    try:
        status, text, _ = await ana.post(first.base, "/join", code=first.code, name="Ana")
        assert status == 303, text
        status, text, round_url = await ana.post(
            first.base, "/start", role="iran_pakistan_2024:pakistan"
        )
        assert status == 303, text
        await ana.decide(first.base, round_url)
        await ana.decide(second.base, round_url)  # her seat and round, on the other server
        # her page on the first server hears that her round changed on the second
        async with ana.session.get(f"{first.base}{round_url}/events?n=3") as events:
            assert events.status == 200, await events.text()
            first_event = await asyncio.wait_for(events.content.readuntil(b"\n\n"), 30)
            assert b'"changed": false' in first_event, first_event
            await ana.decide(second.base, round_url)
            changed = await asyncio.wait_for(events.content.readuntil(b"\n\n"), 30)
            assert b'"changed": true' in changed, changed
        # a stranger typing her name on the second server needs her PIN
        stranger = Student()
        try:
            status, text, _ = await stranger.post(second.base, "/join", code=first.code, name="Ana")
            assert status == 403, text
        finally:
            await stranger.session.close()
        status_a = await teacher(first.base, "status")
        status_b = await teacher(second.base, "status")
        for answer in (status_a, status_b):
            (shown,) = answer["students"]
            assert shown["name"] == "Ana" and shown["decisions"] == 3, json.dumps(shown)
        # the projector signed in on one server is shown by the other
        projector = Student()
        try:
            status, text, _ = await projector.post(first.base, "/teacher/projector", token=TOKEN)
            assert status == 303, text
            status, text, _ = await projector.get(second.base, "/teacher/projector")
            assert status == 200 and 'name="token"' not in text, text
        finally:
            await projector.session.close()
        await teacher(second.base, "pace", {"mode": "teacher"})  # told to the second ...
        page = await showing(ana, first.base, round_url, 'data-gate="waiting"')  # ... on the first
        await teacher(second.base, "open", {"seconds": None})  # the decision she waits at
        page = await showing(ana, first.base, round_url, 'data-gate="open"')
        assert CHOICE.findall(page), page
        await teacher(second.base, "pause")
        await showing(ana, first.base, round_url, 'data-gate="paused"')
        # the teacher removes her seat on one server: her name needs a PIN on the others,
        # even on one that has never seen her
        await teacher(first.base, "remove-seat", {"student": status_a["students"][0]["id"]})
        status, text, _ = await ana.get(second.base, round_url)
        assert status == 303, text  # her browser no longer holds the seat
        for base in (second.base, third.base):
            status, text, _ = await ana.post(base, "/join", code=first.code, name="Ana")
            assert status == 403, text
        given = await teacher(first.base, "pin", {"student": status_a["students"][0]["id"]})
        status, text, _ = await ana.post(
            second.base, "/join", code=first.code, name="Ana", pin=given["pin"]
        )
        assert status == 303, text
        ended = await teacher(first.base, "end")
        assert ended["pacing"]["ended"]
        status, page, _ = await ana.get(second.base, "/play")
        assert status == 200 and html.escape(ENDED.split(".")[0]) in page, page
    finally:
        third.stop()
        await ana.session.close()


async def follow(student: Student, base: str, path: str) -> tuple[str, str]:
    """Follow redirects by hand (at most a few); the page and where it was."""
    for _ in range(5):
        status, page, location = await student.get(base, path)
        if status != 303:
            assert status == 200, page
            return path, page
        path = location
    raise AssertionError(f"too many redirects from {path}")


async def move(student: Student, base: str) -> int:
    """Take the first choice of the match turn on screen; the turn's number."""
    where, page = await follow(student, base, "/match/turn")
    number = int(where.rsplit("=", 1)[1])
    choice = CHOICE.findall(page)[0]
    status, text, _ = await student.post(base, "/match/decide", choice=choice, n=str(number))
    assert status == 303, text
    return number


def test_a_match_with_a_seat_on_each_server_is_played_to_the_end(
    two_matches: tuple[Served, Served, str], tmp_path: Path
) -> None:
    first, second, url = two_matches
    turns = asyncio.run(_match(first, second))
    storage = open_class(url, None, class_of(tmp_path), create=False)
    try:
        records, _ = storage.records.all()
        assert {r.player: r.status for r in records} == {"Ana": "finished", "Ben": "finished"}
        assert {len(r.decisions) for r in records} == {turns}
        (summary,) = storage.matches.summaries()
        assert set(summary.seats.values()) == {"Ana", "Ben"}
    finally:
        storage.close()


async def _match(first: Served, second: Served) -> int:
    """Ana plays on the first server, Ben on the second; the number of turns played."""
    ana, ben = Student(), Student()
    try:
        for student, base, name in ((ana, first.base, "Ana"), (ben, second.base, "Ben")):
            status, text, _ = await student.post(base, "/join", code=first.code, name=name)
            assert status == 303, text
        status, text, _ = await ana.post(first.base, "/match/start", seat="pakistan")
        assert status == 303, text
        _, page = await follow(ana, first.base, "/match/turn")
        code = MATCH_CODE.findall(page)[0]
        status, text, _ = await ben.post(second.base, "/match/join", code=code)
        assert status == 303, text
        for turns in range(1, 20):
            number = await move(ana, first.base)
            assert await move(ben, second.base) == number
            where, outcome = await follow(ana, first.base, f"/match/turn?n={number}")
            assert where == f"/match/outcome/{number}" and "(Ben) moved:" in outcome, outcome
            if "/match/debrief" in outcome:
                _, debrief = await follow(ben, second.base, "/match/turn")
                assert "Your match debrief" in debrief
                return turns
        raise AssertionError("the match did not end in 20 turns")
    finally:
        await ana.session.close()
        await ben.session.close()


def test_a_database_that_stops_answering_is_said_in_words(tmp_path: Path) -> None:
    reason = pg_server.missing()
    if reason is not None:
        pytest.skip(reason)
    database = pg_server.start(tmp_path / "pg")  # its own: this test stops it
    served = None
    try:
        served = Served(tmp_path / "work", "--database", database.url, page="html")
        asyncio.run(_outage(served, database))
    finally:
        if served is not None:
            served.stop()
        database.stop()
    log = "".join(served.log)
    assert "the class's database did not answer" in log and "Traceback" not in log


async def _outage(served: Served, database: pg_server.Server) -> None:
    ana = Student()
    try:
        status, text, _ = await ana.post(served.base, "/join", code=served.code, name="Ana")
        assert status == 303, text
        status, text, round_url = await ana.post(
            served.base, "/start", role="iran_pakistan_2024:pakistan"
        )
        assert status == 303, text
        database.stop()
        for path in ("/play", round_url, "/"):
            status, text, _ = await ana.get(served.base, path)
            assert status == 503 and UNAVAILABLE in text, (path, status, text)
    finally:
        await ana.session.close()
