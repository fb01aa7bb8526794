"""The class's seats and their games: one game process per seat, ever.

- A new seat is admitted under the class's caps (:mod:`game.web.seat_caps`: the class size
  and the names per client, counted where the class is kept, whichever server seated each
  student) and only if the name does not look like another student's (:mod:`game.web.names`);
  only then is the student's folder made. A seat that never starts a game here is given back
  after ``expiry`` seconds: the class counts it no more if nothing was ever written in it.
- A seat has at most one game: starting, running or stopping, and starts at most
  ``GAMES_PER_MINUTE`` a minute. A second tab of the student takes the running game over
  (the first tab is closed; the game redraws for the new one); a tab that arrives while the
  game is stopping waits for it to end, and a third one meanwhile is refused. Every game is
  tracked here and stopped at shutdown, even one caught starting or stopping.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSCloseCode, WSMsgType, web

from game.engine.records.class_caps import give_back_folder
from game.engine.records.classfolder import ClassFolder, Student
from game.engine.records.seat_keys import SeatKeys
from game.web.guard import Clients
from game.web.names import LookAlikes
from game.web.service import SeatService, clamp_size

log = logging.getLogger("flashpoint.serve")
TAKEN_OVER = 4001
GAMES_PER_MINUTE = 6
"""Games a seat may start in a minute (each costs about 0.4 CPU-seconds to start)."""
"""WebSocket close code for a tab whose game another tab of the same student took."""


@dataclass(eq=False)
class Seat:
    """One student's place in the class and their one game (the browser holding it is found by
    its seat cookie: game.web.admission)."""

    student: Student
    client: str
    """Who took the seat (guard.Clients' key)."""
    created: float
    made_folder: bool = False
    started: bool = False
    game: SeatService | None = None
    socket: web.WebSocketResponse | None = None
    """The tab the game draws in."""
    waiting: bool = False
    """A tab waits for the seat's previous game to stop."""
    starts: deque[float] = field(default_factory=deque)
    """When the seat's games started, over the last minute."""

    def may_start(self) -> bool:
        """Whether the seat may start another game now (``GAMES_PER_MINUTE``)."""
        while self.starts and self.starts[0] < time.monotonic() - 60:
            self.starts.popleft()
        return len(self.starts) < GAMES_PER_MINUTE


class Seats:
    """Every seat of the class in use since the server started, and every game process."""

    def __init__(
        self, folder: ClassFolder, max_students: int, expiry: float, clients: Clients
    ) -> None:
        self.folder = folder
        self.max_students = max_students
        self.expiry = expiry
        self.clients = clients
        self.by_student: dict[str, Seat] = {}
        self.keys = SeatKeys(folder)
        """Whose keys a seat given back loses (a server keeping them elsewhere sets its own)."""
        self.give_back: Callable[[str], bool] = functools.partial(give_back_folder, folder)
        """Removes a seat nothing was written in (the class counts it no more; a server
        keeping the class elsewhere sets its own)."""
        self.look_alikes = LookAlikes()
        for student in folder.students():  # earlier lessons' students keep their names
            self.look_alikes.add(student.id, student.name)
        self.games: set[SeatService] = set()
        self.closing = False
        self.closing_tabs: set[asyncio.Future[None]] = set()
        """Tabs whose game another tab took over, being closed."""

    def grant(self, student: Student, client: str, made_folder: bool) -> Seat:
        seat = Seat(student, client, time.monotonic(), made_folder)
        self.by_student[student.id] = seat
        self.look_alikes.add(student.id, student.name)
        return seat

    def of(self, student_id: str, client: str) -> Seat | None:
        """The seat of a student whose browser proved it holds it (admission): the one in use,
        or, after the server started again, their seat from the class folder."""
        seat = self.by_student.get(student_id)
        if seat is not None:
            return seat
        student = self.folder.student(self.folder.students_folder / student_id)
        return None if student is None else self.grant(student, client, made_folder=False)

    def expire(self) -> None:
        """Give back every seat that never started a game within ``expiry`` seconds."""
        now = time.monotonic()
        for seat in list(self.by_student.values()):
            if seat.started or seat.game is not None or now - seat.created < self.expiry:
                continue
            del self.by_student[seat.student.id]
            log.info("%s's seat was given back (no game started)", seat.student.name)
            if seat.made_folder and self.give_back(seat.student.id):  # nothing written in it
                self.keys.forget(seat.student.id)
                self.look_alikes.remove(seat.student.id, seat.student.name)

    async def expire_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            self.expire()

    # --- games ------------------------------------------------------------------------------

    async def play(
        self,
        seat: Seat,
        websocket: web.WebSocketResponse,
        size: tuple[int, int],
        make: Callable[[Seat], SeatService],
    ) -> None:
        """Run the seat's one game in ``websocket`` until the tab or the game ends."""
        game = seat.game
        if game is not None and game.stopping:
            if seat.waiting:  # one tab waits already
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)
                return
            seat.waiting = True
            try:
                await self.stop(seat, game)
            finally:
                seat.waiting = False
            if websocket.closed:
                return
            game = seat.game
        if self.closing:  # the lesson ends: no game starts after stop_all
            await websocket.close(code=WSCloseCode.GOING_AWAY)
            return
        if game is None and not seat.may_start():
            log.warning(
                "%s: refused a game (%d started this minute)", seat.student.name, GAMES_PER_MINUTE
            )
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"wait a minute")
            return
        if game is None:
            seat.starts.append(time.monotonic())
            game = make(seat)
            seat.game, seat.socket, seat.started = game, websocket, True
            self.games.add(game)
            try:
                await game.start(*size)
            except Exception as error:  # no files or processes left: told on one line
                log.warning("%s: the game could not start: %s", seat.student.name, error)
                await self.stop(seat, game)
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)
                return
            log.info("%s: game started", seat.student.name)
        else:  # a second tab takes the game over; the first is told why it closes
            if not await game.ready():  # it failed to start, or is being stopped
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)
                return
            old, seat.socket = seat.socket, websocket
            await game.redraw(*size)
            log.info("%s: game moved to a new tab", seat.student.name)
            if old is not None:  # closed while the new tab plays (its close waits for it)
                self.closing_tabs.add(asyncio.ensure_future(close_tab(old)))
                self.closing_tabs = {task for task in self.closing_tabs if not task.done()}
        try:
            await relay(websocket, game)
        finally:
            if seat.socket is websocket:  # the tab the game draws in has closed
                seat.socket = None
                await self.stop(seat, game)

    async def stop(self, seat: Seat, game: SeatService) -> None:
        try:
            await game.stop()
        finally:
            self.games.discard(game)
            if seat.game is game:
                seat.game = None
                log.info("%s: game ended (the round is saved)", seat.student.name)
                if (errors := game.error_output()) is not None:
                    log.warning("%s: the game reported an error: see %s", seat.student.name, errors)

    async def stop_all(self) -> None:
        """End every game, however far it got (each records a round in progress)."""
        self.closing = True
        await asyncio.gather(*(game.stop() for game in list(self.games)))


async def close_tab(tab: web.WebSocketResponse) -> None:
    with contextlib.suppress(ConnectionError, RuntimeError):
        await tab.close(code=TAKEN_OVER, message=b"opened in another tab")


class Forward:
    """What a game writes goes to the tab its seat shows it in, while it is the seat's game."""

    def __init__(self, seat: Seat) -> None:
        self.seat = seat
        self.game: SeatService | None = None

    def socket(self) -> web.WebSocketResponse | None:
        tab = self.seat.socket
        if tab is None or tab.closed or self.game is None or self.seat.game is not self.game:
            return None
        return tab

    async def write_bytes(self, data: bytes) -> None:
        if (tab := self.socket()) is not None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await tab.send_bytes(data)

    async def write_str(self, data: str) -> None:
        if (tab := self.socket()) is not None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await tab.send_str(data)

    async def close(self) -> None:
        if (tab := self.socket()) is not None:
            await tab.close()


async def relay(websocket: web.WebSocketResponse, service: SeatService) -> None:
    """Pass the browser's keys and sizes to the game; anything malformed is ignored."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except (ValueError, RecursionError):  # not JSON, or nested past Python's limit
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()
