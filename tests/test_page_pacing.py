"""The class page under the teacher's pacing (game.engine.play.pacing), in this process: a student
waits for the teacher to open a decision, sees its countdown, gets history's move (labelled as
made for them, never "You chose") when the time runs out, whether or not they come back, and
sees the end of the class; the live stream says each change."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp.test_utils import TestClient

from game.engine.play import pacing
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import update
from tests.page_client import CHOICE, COUNT, Browser, client, folder, records

__all__ = ["client", "folder"]  # fixtures


def saves(folder: ClassFolder) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in folder.students_folder.glob("*/saves/*.json")
    ]


async def test_a_teacher_paced_decision_waits_counts_down_and_falls_back(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.set_pace(c, "teacher"))
    round_url = await (ana := Browser(client, folder.code)).playing("Ana")
    status, page, _ = await ana.get(round_url)
    assert status == 200 and "Waiting for your teacher" in page and 'name="choice"' not in page
    assert 'http-equiv="refresh"' in page  # without JavaScript it checks again by itself
    _, confirm, _ = await ana.get(f"{round_url}/confirm?choice=protest_only")
    response = await ana.post(f"{round_url}/decide", choice="protest_only", count="0")
    assert response.headers["Location"] == round_url  # not open: nothing decided
    assert [e for e in saves(folder)[0]["entries"] if e["kind"] == "decision"] == []

    update(folder.path, lambda c: pacing.open_decision(c, 1, 90, time.time()))
    _, page, _ = await ana.get(round_url)
    assert "What do you decide?" in page and 'role="timer"' in page and "1:30" in page
    assert CHOICE.findall(page) and COUNT.findall(confirm) == ["0"]

    update(folder.path, lambda c: pacing.advance_slowest(c, 1, time.time()))
    response = await ana.post(f"{round_url}/decide", choice="strike_today", count="0")
    assert response.headers["Location"] == f"{round_url}/outcome"
    _, outcome, _ = await ana.get(f"{round_url}/outcome")
    assert "No move in time" in outcome and "You chose" not in outcome
    (made,) = [e for e in saves(folder)[0]["entries"] if e["kind"] == "decision"]
    assert made["automatic"] is True and made["choice"] != "strike_today"


async def test_the_server_plays_the_fallback_for_a_student_who_does_not_come_back(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.open_decision(c, 1, 60, time.time()))
    ana = Browser(client, folder.code)
    await ana.join("Ana")
    await ana.start()
    update(folder.path, lambda c: pacing.advance_slowest(c, 1, time.time()))
    for _ in range(300):  # the server looks once a second (a busy machine: up to 30 s)
        made = [e for e in saves(folder)[0]["entries"] if e["kind"] == "decision"]
        if made:
            break
        await asyncio.sleep(0.1)
    assert len(made) == 1 and made[0]["automatic"] is True

    update(folder.path, lambda c: pacing.end_class(c, time.time()))
    for _ in range(300):
        if records(folder):
            break
        await asyncio.sleep(0.1)
    (record,) = records(folder)
    assert record["status"] == "abandoned"


async def test_the_live_stream_says_when_the_teacher_opens_the_decision(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.set_pace(c, "teacher"))
    round_url = await (ana := Browser(client, folder.code)).playing("Ana")
    response = await ana.client.get(f"{round_url}/events?n=1")
    assert response.headers["Content-Type"] == "text/event-stream"
    first = await response.content.readuntil(b"\n\n")
    assert b"event: gate" in first and b'"waiting"' in first
    update(folder.path, lambda c: pacing.open_decision(c, 1, None, time.time()))
    second = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 30)
    assert b'"open"' in second
    response.close()
    bad = await ana.client.get("/round/not-hers/events?n=1")
    assert bad.status == 404
    bad = await ana.client.get(f"{round_url}/events?n=x")
    assert bad.status == 400


async def test_streams_are_bounded_per_seat(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    round_url = await (ana := Browser(client, folder.code)).playing("Ana")
    opened = [await ana.client.get(f"{round_url}/events?n=1") for _ in range(3)]
    assert [r.status for r in opened] == [200, 200, 200]
    refused = await ana.client.get(f"{round_url}/events?n=1")
    assert refused.status == 429
    for response in opened:
        response.close()


async def test_history_waits_for_the_teacher_to_reveal_it_to_the_room(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.set_reveal(c, "teacher"))
    update(folder.path, lambda c: pacing.open_decision(c, 1, None, time.time()))
    round_url = await (ana := Browser(client, folder.code)).playing("Ana")
    await ana.decide(round_url)
    _, outcome, _ = await ana.get(f"{round_url}/outcome")
    assert "What actually happened:" not in outcome and "revealed by your teacher" in outcome
    _, waiting, _ = await ana.get(round_url)
    assert "Waiting for your teacher" in waiting and "Revealed by your teacher" not in waiting
    update(folder.path, lambda c: pacing.reveal(c, 1))
    _, waiting, _ = await ana.get(round_url)
    assert "Revealed by your teacher" in waiting and "What actually happened" in waiting


async def test_no_round_starts_after_the_class_ends_and_rounds_are_bounded(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    ana = Browser(client, folder.code)
    await ana.join("Ana")
    for _ in range(5):
        await ana.start()
    response = await ana.post("/start", role="iran_pakistan_2024:iran")
    assert response.status == 400 and "5 rounds in progress" in await response.text()
    update(folder.path, lambda c: pacing.end_class(c, time.time()))
    _, home, _ = await ana.get("/play")
    assert "ended the class" in home and 'name="role"' not in home
    ben = Browser(client, folder.code)
    response = await ben.post("/join", code=folder.code, name="Ben")
    response = await ben.post("/start", role="iran_pakistan_2024:iran")
    assert response.status == 400 and "ended the class" in await response.text()
