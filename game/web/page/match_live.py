"""Live updates of a match page: one server-sent event stream per open turn or waiting page.

``/match/events?n=N`` (N: the turn the page shows) says, whenever it changes, the turn the
match is at, whether the other seat is here, gone or free, and the seconds left for turn N (or
``null`` while its clock waits for both seats to have it on screen); the page's script
(``match.js``) announces it in the live region and, once turn N is played, loads the page again
(which shows the turn's outcome). While the stream is open the seat's heartbeat is written, so
the other student sees this one as here; when turn N's time is up the stream plays the turn
(the fallback, labelled, stands for a silent seat) as a request would. Streams are counted with
the solo rounds' (:class:`game.web.page.live.Streams`): a few per seat and per client, each for
a limited time, all ended when the lesson ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from game.engine.base.problems import FlashpointError
from game.engine.records import match_turns
from game.engine.records.matches import HEARTBEAT_SECONDS
from game.web.page import match_pacing
from game.web.page.live import LOOK_SECONDS, STREAM_SECONDS
from game.web.page.rounds import Busy

if TYPE_CHECKING:
    from game.engine.records.classfolder import Student
    from game.web.page.matches import MatchPage


class NoMatch(Exception):
    """The student holds no match seat yet: the start page."""


def look(matches: MatchPage, student: Student, number: int, beat: bool) -> dict[str, Any]:
    """Where the student's match stands for a page showing turn ``number`` (engine thread)."""
    store = matches.store
    code, seat = matches.where(student)
    if beat:
        store.heartbeat(code, seat)
    turn = len(store.revealed(code)) + 1
    paced = match_pacing.look(matches, student, number, turn)
    remaining = store.remaining(code, number) if turn == number and paced is None else None
    if remaining is not None and remaining <= 0:  # time is up: the turn is played now
        turn = matches.visited(student, lambda played: played.number)
        remaining = None
    presence = store.presence(code)
    other_seat, other = next(((s, p) for s, p in presence.items() if s != seat), ("", "free"))
    other, _ = page_presence(matches, code, other_seat, other)
    return {"turn": turn, "other": other, "remaining": remaining, **(paced or {})}


def page_presence(matches: MatchPage, code: str, seat: str, stored: str) -> tuple[str, float]:
    """Seat ``seat``'s presence as the teacher's console says it: 'here', 'free', 'gone' (left,
    or silent by the rule of :func:`seat_presence`), or, for a class-page student whose page
    has no live stream, 'quiet' (reading, no live updates) and then 'unseen' (with the
    seconds since their page last asked). Engine thread."""
    teacher = matches.page.server.teacher
    store = matches.store
    if stored != "gone" or teacher is None or seat in match_turns.left(store.db, code):
        return stored, 0.0
    return teacher.match_presence(stored, store.info(code).seats.get(seat))


async def stream(matches: MatchPage, request: web.Request) -> web.StreamResponse:
    """The events of turn ``n`` of the student's match, until the page goes, the stream's
    time is up or the lesson ends."""
    page = matches.page
    student = page.student(request)
    matches.seating  # noqa: B018 - refuses a class without matches
    number = request.query.get("n", "")
    if not number.isdigit() or len(number) > 3:
        raise web.HTTPBadRequest(text="Name the turn the page shows.")
    streams = page.streams
    client = page.server.clients.client(request)
    if not streams.may_open(student.id, client):
        raise web.HTTPTooManyRequests(text="Too many pages of the class are open.")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    with streams.held(student.id, client):
        await response.prepare(request)
        await _send(matches, request, response, student, int(number))
    return response


async def _send(
    matches: MatchPage,
    request: web.Request,
    response: web.StreamResponse,
    student: Student,
    number: int,
) -> None:
    closing = matches.page.streams.closing
    started = time.monotonic()
    beaten = float("-inf")
    shown: tuple[int, str, bool, Any] | None = None
    while time.monotonic() - started < STREAM_SECONDS and not closing.is_set():
        transport = request.transport
        if transport is None or transport.is_closing():
            return  # the page went
        beat = time.monotonic() - beaten >= HEARTBEAT_SECONDS
        try:
            data = await matches.page.rounds.run(
                student, functools.partial(look, matches, student, number, beat)
            )
        except FlashpointError:
            data = {"turn": 0, "other": "", "remaining": None}  # the match is gone: the page says
        except (Busy, NoMatch):  # busy in another request: looked at again next second
            data = None
        if data is not None:
            beaten = time.monotonic() if beat else beaten
            now = (data["turn"], data["other"], data["remaining"] is None, data.get("gate"))
            if now != shown:
                await response.write(f"event: match\ndata: {json.dumps(data)}\n\n".encode())
                shown = now
            else:
                await response.write(b": still here\n\n")
            if data["turn"] != number:
                return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), LOOK_SECONDS)
