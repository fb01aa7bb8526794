"""The HTML class page's requests, in this process (aiohttp's test client, no browser): a
whole round by forms alone, a round continued by a second server on the same class folder,
one decision applied once however often it is sent, and what a hostile browser can send."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp.test_utils import TestClient

from game.engine.base.text import MAX_RATIONALE
from game.engine.records.classfolder import ClassFolder
from tests.page_client import CHOICE, Browser, client, folder, joined, records, served

__all__ = ["client", "folder"]  # fixtures


async def play_to_the_end(browser: Browser, round_url: str) -> int:
    decisions = 0
    while True:
        landed = await browser.decide(round_url, reason=f"reason {decisions}")
        decisions += 1
        assert landed == f"{round_url}/outcome"
        status, outcome, _ = await browser.get(landed)
        assert status == 200 and "Verdict: " in outcome and "the game&#x27;s model" in outcome
        if "See your debrief" in outcome:
            return decisions
        assert decisions < 20


async def test_a_whole_round_is_played_with_forms_alone(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = await joined(client, folder, "Ana Lima")
    round_url = await ana.start()
    decisions = await play_to_the_end(ana, round_url)
    status, _, location = await ana.get(round_url)  # the round has ended: its debrief
    assert status == 303 and location.endswith("/debrief")
    status, debrief, _ = await ana.get(location)
    assert status == 200 and "Debrief: Border Strikes" in debrief and "Ana Lima" in debrief
    response = await ana.client.get(f"{round_url}/debrief.md")
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "# Debrief" in await response.text()
    (record,) = records(folder)
    assert record["status"] == "finished" and record["player"] == "Ana Lima"
    made = [e for e in record["entries"] if e["kind"] == "decision"]
    assert len(made) == decisions and made[0]["rationale"] == "reason 0"
    assert not list(folder.students_folder.glob("*/saves/*.json"))  # the save gave way
    status, home, _ = await ana.get("/play")
    assert "Debrief: Border Strikes" in home  # a finished student reopens the debrief


async def test_a_second_server_on_the_same_folder_continues_the_round(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    await ana.join("Ana")
    round_url = await ana.start()
    await ana.decide(round_url)
    other = await served(folder)  # the first server keeps nothing of the round in memory
    try:
        again = Browser(other, folder.code)  # the same browser (its seat cookie) meets it
        other.session.cookie_jar.update_cookies(
            client.session.cookie_jar.filter_cookies(client.make_url("/"))
        )
        _status, home, _ = await again.get("/play")
        assert round_url in home  # offered to continue
        decisions = 1 + await play_to_the_end(again, round_url)
    finally:
        await other.close()
    (record,) = records(folder)
    assert record["status"] == "finished"
    assert len([e for e in record["entries"] if e["kind"] == "decision"]) == decisions


async def test_two_servers_taking_turns_each_continue_from_the_other_s_save(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    first = Browser(client, folder.code)
    round_url = await first.playing("Ana")
    other = await served(folder)
    try:
        second = Browser(other, folder.code)
        other.session.cookie_jar.update_cookies(
            client.session.cookie_jar.filter_cookies(client.make_url("/"))
        )
        for browser in (first, second, first):  # each server kept the round it saw last
            await browser.decide(round_url)
    finally:
        await other.close()
    (save,) = folder.students_folder.glob("*/saves/*.json")
    made = [e for e in json.loads(save.read_text())["entries"] if e["kind"] == "decision"]
    assert len(made) == 3 and len({e["point"] for e in made}) == 3


async def test_one_decision_sent_from_two_tabs_at_once_is_applied_once(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    await ana.join("Ana")
    round_url = await ana.start()
    _, page, _ = await ana.get(round_url)
    first, second = CHOICE.findall(page)[:2]
    sent = [
        ana.post(f"{round_url}/decide", choice=choice, count="0")
        for choice in (first, second, first, second)
    ]
    answers = await asyncio.gather(*sent)
    assert {a.status for a in answers} == {303}
    (save,) = folder.students_folder.glob("*/saves/*.json")
    made = [e for e in json.loads(save.read_text())["entries"] if e["kind"] == "decision"]
    assert len(made) == 1 and made[0]["choice"] in (first, second)


async def test_what_a_hostile_browser_sends_is_refused_or_made_inert(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    mallory = await joined(client, folder, "<script>alert(1)</script>\u202e")
    _, home, _ = await mallory.get("/play")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    round_url = await mallory.start()
    status, _confirm, _ = await mallory.get(f"{round_url}/confirm?choice=no_such_choice")
    assert status == 400
    response = await mallory.post(f"{round_url}/decide", choice="no_such_choice", count="0")
    assert response.status == 400
    response = await mallory.post("/start", role="iran_pakistan_2024:nobody")
    assert response.status == 400
    response = await mallory.post("/start", role="../../etc:passwd")
    assert response.status == 400
    for path in ("/round/..%2F..%2Fclass", "/round/x" * 3, "/round/a/cited/99999", "/round/a/z"):
        status, _, _ = await mallory.get(path)
        assert status == 404, path
    status, _, _ = await mallory.get(f"{round_url}/cited/7")  # nothing decided yet
    assert status == 404
    response = await mallory.post(
        f"{round_url}/decide", origin="http://evil.example", choice="x", count="0"
    )
    assert response.status == 403
    _, page, _ = await mallory.get(round_url)
    choice = CHOICE.findall(page)[0]
    huge = "long " * 10_000  # past the server's 16 KiB for a request body
    response = await mallory.post(f"{round_url}/decide", choice=choice, count="0", reason=huge)
    assert response.status == 413
    reason = "<img src=x onerror=alert(1)>\x1b[31m\x00" + "long " * 2_000
    response = await mallory.post(f"{round_url}/decide", choice=choice, count="0", reason=reason)
    assert response.status == 303
    status, outcome, _ = await mallory.get(f"{round_url}/outcome")
    assert "<img" not in outcome and "&lt;img" in outcome and "\x1b" not in outcome
    (save,) = folder.students_folder.glob("*/saves/*.json")
    (made,) = [e for e in json.loads(save.read_text())["entries"] if e["kind"] == "decision"]
    assert len(made["rationale"]) <= MAX_RATIONALE and "\x1b" not in made["rationale"]
    # another student cannot read or act on this round
    ben = Browser(client, folder.code)
    ben.client = await served(folder)  # a browser of its own (its own cookie jar)
    try:
        ben.origin = str(ben.client.make_url("")).rstrip("/")
        await ben.join("Ben")
        for path in ("", "/outcome", "/debrief", "/sources", "/cited/1"):
            status, text, _ = await ben.get(round_url + path)
            assert status == 404, (path, text)
        response = await ben.post(f"{round_url}/decide", choice=choice, count="1")
        assert response.status == 404
    finally:
        await ben.client.close()


async def test_leaving_records_the_round_as_left_and_it_can_be_continued(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    round_url = await ana.playing("Ana")
    await ana.decide(round_url)
    response = await ana.post(f"{round_url}/leave")
    assert response.status == 303 and response.headers["Location"] == "/play"
    (record,) = records(folder)
    assert record["status"] == "abandoned"
    _, home, _ = await ana.get("/play")
    assert f'href="{round_url}"' in home  # offered to continue
    decisions = 1 + await play_to_the_end(ana, round_url)
    (record,) = records(folder)  # the same record, now finished
    assert record["status"] == "finished"
    assert len([e for e in record["entries"] if e["kind"] == "decision"]) == decisions


async def test_a_damaged_save_is_told_in_words_and_nothing_else_breaks(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    round_url = await ana.playing("Ana")
    (save,) = folder.students_folder.glob("*/saves/*.json")
    data = json.loads(save.read_text())
    data["entries"].append({"kind": "decision", "point": "nowhere", "choice": "x"})
    save.write_text(json.dumps(data))
    status, page, _ = await ana.get(round_url)
    assert status == 409 and "cannot be continued" in page and "Traceback" not in page
    status, home, _ = await ana.get("/play")
    assert status == 200 and "Play Pakistan" in home  # a new round can still be started
    assert (await ana.start()).startswith("/round/")


async def test_no_seat_no_round(client: TestClient[Any, Any], folder: ClassFolder) -> None:
    stranger = Browser(client, folder.code)
    for path in ("/play", "/round/anything", "/round/anything/debrief"):
        status, _, location = await stranger.get(path)
        assert status == 303 and location == "/", path
    response = await stranger.post("/start", role="iran_pakistan_2024:pakistan")
    assert response.status == 303 and response.headers["Location"] == "/"
    assert not folder.students_folder.exists() or not list(folder.students_folder.iterdir())


async def test_every_page_carries_the_security_headers(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    await ana.join("Ana")
    round_url = await ana.start()
    for path in ("/", "/play", round_url, f"{round_url}/sources", "/assets/page.css"):
        response = await ana.client.get(path)
        assert response.status == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert response.headers["X-Frame-Options"] == "DENY"
