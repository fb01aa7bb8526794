"""Head-to-head on the HTML class page (``serve --matches``), in this process (aiohttp's test
client): two students, each on a server of their own over the same class folder, play a
match to the end by forms; a silent seat's automatic move is labelled, never "You chose"; a
typed code is never ignored; a classmate cannot act for another's seat; hostile input."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from game.engine.records import catalog
from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.matches import MatchStore
from game.web.pairing import MATCH_FILE, Seating, prepare
from game.web.seats import GAMES_PER_MINUTE
from tests.page_client import CHOICE, Browser, folder, records, served

__all__ = ["folder"]  # fixtures
CODE = re.compile(r"Match <strong>([A-Z0-9]+)</strong>")
LATE = "No move in time — history&#x27;s move was played for you"


def seating(deadline: float = 300.0) -> Seating:
    return Seating(catalog.load("iran_pakistan_2024"), deadline)


@pytest.fixture
async def servers(folder: ClassFolder) -> AsyncIterator[list[TestClient[Any, Any]]]:
    """Two class servers on one class folder, as two processes behind one address would be."""
    matches = seating()
    found = [await served(folder, matches=matches) for _ in range(2)]
    yield found
    for client in found:
        await client.close()


async def student(client: TestClient[Any, Any], folder: ClassFolder, name: str) -> Browser:
    browser = Browser(client, folder.code)
    await browser.join(name)
    status, _, location = await browser.get("/play")
    assert status == 303 and location == "/match"  # every game of the class is a match
    return browser


async def follow(browser: Browser, path: str) -> tuple[str, str]:
    """Follow redirects by hand (at most a few); the page and where it was."""
    for _ in range(5):
        status, page, location = await browser.get(path)
        if status != 303:
            assert status == 200, page
            return path, page
        path = location
    raise AssertionError(f"too many redirects from {path}")


async def start(browser: Browser, seat: str = "pakistan") -> str:
    response = await browser.post("/match/start", seat=seat)
    assert response.status == 303, await response.text()
    _, page = await follow(browser, "/match/turn")
    code: list[str] = CODE.findall(page)
    assert code, page
    return code[0]


async def move(browser: Browser, reason: str = "") -> int:
    """Take the first choice of the turn on screen; the turn's number."""
    where, page = await follow(browser, "/match/turn")
    number = int(where.rsplit("=", 1)[1])
    choice = CHOICE.findall(page)[0]
    status, confirm, _ = await browser.get(f"/match/confirm?choice={choice}")
    assert status == 200 and 'name="n"' in confirm
    response = await browser.post("/match/decide", choice=choice, n=str(number), reason=reason)
    assert response.status == 303 and response.headers["Location"] == f"/match/turn?n={number}"
    return number


async def test_two_students_play_a_match_to_the_end_by_forms(
    servers: list[TestClient[Any, Any]], folder: ClassFolder
) -> None:
    ana = await student(servers[0], folder, "Ana Lima")
    ben = await student(servers[1], folder, "Ben")
    status, page, _ = await ana.get("/match")
    assert status == 200 and "You play as <strong>Ana Lima</strong>" in page
    assert 'name="name"' not in page  # the name is the class seat's, never typed
    code = await start(ana)
    _, first = await follow(ana, "/match/turn")
    assert "What happened since" in first and "Sources disagree on 2 points" in first
    joined = await ben.post("/match/join", code=code.lower())
    assert joined.status == 303
    again = await ben.post("/match/join", code=code)  # Enter pressed twice: the same match
    assert again.status == 303
    turns = 0
    while True:
        number = await move(ana, reason=f"ana {turns}")
        where, waiting = await follow(ana, f"/match/turn?n={number}")
        assert "Your move is sealed" in waiting and "checks again by itself" in waiting
        assert 'http-equiv="refresh"' in waiting  # without a script the page checks again
        assert await move(ben) == number
        where, outcome = await follow(ana, f"/match/turn?n={number}")
        assert where == f"/match/outcome/{number}"
        assert "(Ben) moved:" in outcome and "You chose" in outcome
        _, theirs = await follow(ben, f"/match/turn?n={number}")
        assert "(Ana Lima) moved" in theirs
        turns += 1
        if "/match/debrief" in outcome:
            assert "data-match-events" not in outcome  # the match is over: nothing to hear
            break
        assert "data-match-quiet" in outcome  # read with the stream: the seat stays here
        assert turns < 20
    _, debrief = await follow(ana, "/match/turn")
    assert "Your match debrief" in debrief and "The match, turn by turn" in debrief
    response = await ana.client.get("/match/debrief.md")
    assert response.status == 200 and "ana-lima" in response.headers["Content-Disposition"]
    done = {r["player"]: r for r in records(folder)}
    assert {done["Ana Lima"]["status"], done["Ben"]["status"]} == {"finished"}
    made = [e for e in done["Ana Lima"]["entries"] if e["kind"] == "decision"]
    assert len(made) == turns and made[0]["rationale"] == "ana 0"


async def outcome_after_deadline(browser: Browser, number: int) -> str:
    """The outcome of turn ``number`` once its deadline has passed (a later visit plays it)."""
    for _ in range(50):
        where, outcome = await follow(browser, f"/match/turn?n={number}")
        if where.startswith("/match/outcome"):
            return outcome
        await asyncio.sleep(0.1)
    raise AssertionError(f"turn {number} was not played after its deadline")


async def test_a_silent_seat_s_move_is_labelled_never_you_chose(folder: ClassFolder) -> None:
    clients = [await served(folder, matches=seating(deadline=1.5)) for _ in range(2)]
    try:
        ana = await student(clients[0], folder, "Ana")
        ben = await student(clients[1], folder, "Ben")
        code = await start(ana)
        assert (await ben.post("/match/join", code=code)).status == 303
        await follow(ben, "/match/turn")  # Ben has the turn on screen, and never moves
        number = await move(ana)
        outcome = await outcome_after_deadline(ana, number)
        assert "moved (no move in time" in outcome
        _, theirs = await follow(ben, f"/match/turn?n={number}")
        assert LATE in theirs and "You chose" not in theirs
    finally:
        for client in clients:
            await client.close()


async def test_a_lone_student_is_told_the_other_side_is_history_s_moves(
    folder: ClassFolder,
) -> None:
    """The teacher's match against history for a lone student: the turn says so, its clock
    runs alone, and the outcome labels the other side's move as history's. A match started
    by code that nobody joined yet says so, and its clock waits for the classmate."""
    matches = seating(deadline=1.5)
    client = await served(folder, matches=matches)
    try:
        ben = await student(client, folder, "Ben")
        started = await start(ben)
        _, page = await follow(ben, "/match/turn")
        assert "no classmate has joined yet" in page and started in page
        assert "Your time starts when both of you have this turn on screen" in page
        await asyncio.sleep(2)  # past the deadline: nothing is played while he is alone
        _, page = await follow(ben, "/match/turn")
        assert "Your time starts when both of you" in page and 'id="countdown"' not in page
        ana = await student(client, folder, "Ana")
        loaded = matches.scenario
        store = MatchStore(folder.path / MATCH_FILE)
        code = store.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 1.5)
        store.reserve(code, "pakistan", "Ana")
        store.give_history(code, "iran")  # as the console's 'h' does
        store.close()
        matches.assigned[student_id("Ana")] = (code, "pakistan")
        _, page = await follow(ana, "/match/turn")
        assert "history's moves (no classmate)" in page and "your teacher gave you" in page
        number = await move(ana)
        outcome = await outcome_after_deadline(ana, number)
        mark = "(history&#x27;s moves (no classmate)) moved (history&#x27;s move: no classmate"
        assert mark in outcome
        assert "no move in time" not in outcome and "not joined" not in outcome
    finally:
        await client.close()


async def test_a_classmate_cannot_act_for_another_s_seat(
    servers: list[TestClient[Any, Any]], folder: ClassFolder
) -> None:
    ana = await student(servers[0], folder, "Ana")
    ben = await student(servers[1], folder, "Ben")
    code = await start(ana)
    assert (await ben.post("/match/join", code=code)).status == 303
    cara = await student(servers[1], folder, "Cara")  # Ben's browser now holds Cara's seat
    status, _, location = await cara.get("/match/turn")
    assert status == 303 and location == "/match"  # no match of hers: nothing of theirs
    full = await cara.post("/match/join", code=code)
    assert full.status == 400 and "full" in await full.text()
    decided = await cara.post("/match/decide", choice="anything", n="1")
    assert decided.status == 303 and decided.headers["Location"] == "/match"
    stranger = Browser(servers[0], folder.code)
    stranger.client.session.cookie_jar.clear()
    status, _, location = await stranger.get("/match/turn")
    assert status == 303 and location == "/"  # no seat, no match


async def test_what_a_hostile_browser_sends_is_refused_or_made_inert(
    servers: list[TestClient[Any, Any]], folder: ClassFolder
) -> None:
    ana = await student(servers[0], folder, "Ana")
    for code in ("<script>alert(1)</script>", "=1+2", "", "X" * 5000):
        response = await ana.post("/match/join", code=code)
        text = await response.text()
        assert response.status == 400 and "<script>alert" not in text
    assert (await ana.post("/match/start", seat="<b>no</b>")).status == 400
    assert (await ana.post("/match/start", seat="pakistan", origin="http://evil")).status == 403
    await start(ana)
    for query in ("choice=nope", "choice=" + "x" * 5000, ""):
        status, _, _ = await ana.get(f"/match/confirm?{query}")
        assert status == 400
    for n in ("0", "-1", "99", "x", "1" * 50):
        response = await ana.post("/match/decide", choice="anything", n=n)
        assert response.status == 303  # a turn not on screen: nothing sealed
    for path in ("/match/outcome/1", "/match/outcome/99999", "/match/events?n=x"):
        status, _, _ = await ana.get(path)
        assert status in (400, 404)
    assert (await ana.client.get("/match/debrief")).status == 200  # not over: the turn
    bad = await ana.client.get("/match/debrief.exe")
    assert bad.status == 404


async def test_starting_again_leaves_no_stray_match_and_is_bounded_per_minute(
    folder: ClassFolder,
) -> None:
    client = await served(folder, matches=seating())
    try:
        ana = await student(client, folder, "Ana")
        codes = []
        for _ in range(GAMES_PER_MINUTE):
            codes.append(await start(ana))  # nobody joined: the last one is given up
        assert len(set(codes)) == GAMES_PER_MINUTE
        store = MatchStore(folder.path / MATCH_FILE)
        assert [s.code for s in store.summaries()] == [codes[-1]]  # no stray left waiting
        store.close()
        response = await ana.post("/match/start", seat="pakistan")
        assert response.status == 429  # the seat's starts per minute
    finally:
        await client.close()


async def test_a_typed_code_is_never_ignored(
    servers: list[TestClient[Any, Any]], folder: ClassFolder
) -> None:
    ana = await student(servers[0], folder, "Ana")
    ben = await student(servers[1], folder, "Ben")
    mine = await start(ana)  # started by mistake
    theirs = await start(ben, "iran")
    for _ in range(2):  # Enter pressed twice
        assert (await ana.post("/match/join", code=theirs)).status == 303
    _, page = await follow(ana, "/match/turn")
    assert f"Match <strong>{theirs}</strong>" in page and "(Ben)" in page
    store = MatchStore(folder.path / MATCH_FILE)
    assert mine not in {s.code for s in store.summaries()}  # the stray match is gone
    store.close()
    busy = await ana.post("/match/start", seat="pakistan")  # playing: leave it first
    assert busy.status == 429 and "leave it first" in await busy.text()


async def test_a_teacher_s_pair_is_kept_for_its_students(
    folder: ClassFolder, tmp_path: Any
) -> None:
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("Ana, Ben\n", encoding="utf-8")
    kept = prepare(folder, catalog.load("iran_pakistan_2024"), 300.0, pairs)
    client = await served(folder, matches=kept)
    try:
        cara = await student(client, folder, "Cara")
        (code,) = {code for code, _ in kept.assigned.values()}
        taken = await cara.post("/match/join", code=code)
        assert taken.status == 400  # both seats are kept for Ana and Ben
        ana = await student(client, folder, "Ana")
        where, page = await follow(ana, "/match")  # no code typed: straight to her turn
        assert where == "/match/turn?n=1" and f"Match <strong>{code}</strong>" in page
    finally:
        await client.close()


async def test_the_countdown_and_a_classmate_who_left_are_shown(
    servers: list[TestClient[Any, Any]], folder: ClassFolder
) -> None:
    ana = await student(servers[0], folder, "Ana")
    ben = await student(servers[1], folder, "Ben")
    code = await start(ana)
    _, page = await follow(ana, "/match/turn")
    assert "no classmate has joined yet" in page and code in page  # the code to read out
    assert (await ben.post("/match/join", code=code)).status == 303
    await follow(ben, "/match/turn")  # both have the turn on screen: the clock runs
    _, page = await follow(ana, "/match/turn")
    assert 'id="countdown"' in page and "left for your move" in page and "(Ben)" in page
    left = await ben.post("/match/leave")
    assert left.status == 303
    _, page = await follow(ana, "/match/turn")
    assert "Ben has left the match or lost the connection" in page
    done = {r["player"]: r["status"] for r in records(folder)}
    assert done["Ben"] == "abandoned"
