"""Live updates for the class page's script: server-sent events, one stream per open page.

A decision or waiting page with JavaScript opens ``/round/ID/events?n=N`` (N: the decision it
shows). The stream says, each time it changes, where the class's pacing leaves decision N
(open, waiting, paused, expired, ended: :meth:`ClassControl.gate`) and whether the round was
changed by another tab; the script announces it in the page's live region and loads the page
again. Streams are bounded: a few per seat and per client, each for a limited time (the
browser opens it again), all ended when the lesson ends. Without JavaScript nothing here is
needed: the waiting page checks again by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from game.engine.records.pacing_file import ControlReader
from game.web.class_storage import control_reader, round_stamp

if TYPE_CHECKING:
    from game.web.server import ClassServer

STREAMS_PER_SEAT = 3
STREAM_SECONDS = 600.0
"""A stream ends after this long; the browser's EventSource opens a new one."""
LOOK_SECONDS = 1.0
KEEP_ALIVE_SECONDS = 15.0


class Streams:
    """Every open stream, counted per seat and per client."""

    def __init__(
        self,
        class_folder: Path,
        per_client: int,
        reader: Callable[[], ControlReader],
        stamp: Callable[[str, Path], int] | None = None,
    ) -> None:
        self.class_folder = class_folder
        self.reader = reader
        self.stamp = stamp or _written
        """Which write of a student's save a page last saw (the file's time, or the count
        of the database's notifications of their rounds)."""
        """The class's control (the class folder's file, or the database's)."""
        self.per_client = per_client
        self.seats: Counter[str] = Counter()
        self.clients: Counter[str] = Counter()
        self.closing = asyncio.Event()
        self.opened: dict[str, float] = {}
        self.closed: dict[str, float] = {}
        """When each student's last stream opened and closed (monotonic): a page whose script
        listened and whose stream then closed has gone (for the console)."""

    def open_tabs(self, student_id: str) -> int:
        """How many of the student's pages are open with their script (for the console)."""
        return self.seats[student_id]

    def may_open(self, student_id: str, client: str) -> bool:
        return self.seats[student_id] < STREAMS_PER_SEAT and self.clients[client] < self.per_client

    async def stream(
        self, request: web.Request, student_id: str, client: str, save: Path, number: int
    ) -> web.StreamResponse:
        """The events of decision ``number`` of the round saved at ``save``, until the page
        goes, the stream's time is up or the lesson ends."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        with self.held(student_id, client):
            await response.prepare(request)
            await self._send(request, response, student_id, save, number)
        return response

    @contextlib.contextmanager
    def held(self, student_id: str, client: str) -> Iterator[None]:
        """One stream of the student's, counted while it is open (a round's or a match's);
        the page going ends it quietly."""
        self.seats[student_id] += 1
        self.clients[client] += 1
        self.opened[student_id] = time.monotonic()
        try:
            yield
        except (ConnectionError, RuntimeError):
            pass  # the page went
        finally:
            self._drop(self.seats, student_id)
            self._drop(self.clients, client)
            self.closed[student_id] = time.monotonic()

    async def _send(
        self,
        request: web.Request,
        response: web.StreamResponse,
        student_id: str,
        save: Path,
        number: int,
    ) -> None:
        reader = self.reader()
        started = last_write = time.monotonic()
        shown: tuple[str, int, int] | None = None
        while time.monotonic() - started < STREAM_SECONDS and not self.closing.is_set():
            transport = request.transport
            if transport is None or transport.is_closing():
                return  # the page went
            control = reader.read()
            gate = control.gate(number, time.time())
            changed = self.stamp(student_id, save)
            now = (gate.state, control.version, changed)
            if now != shown:
                data = {
                    "state": gate.state,
                    "remaining": gate.remaining,
                    "changed": shown is not None and changed != shown[2],
                }
                await response.write(f"event: gate\ndata: {json.dumps(data)}\n\n".encode())
                shown, last_write = now, time.monotonic()
            elif time.monotonic() - last_write > KEEP_ALIVE_SECONDS:
                await response.write(b": still here\n\n")
                last_write = time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), LOOK_SECONDS)

    @staticmethod
    def _drop(counter: Counter[str], key: str) -> None:
        counter[key] -= 1
        if counter[key] <= 0:
            del counter[key]


def _written(_student_id: str, save: Path) -> int:
    """When the save was last written (0: ended, its save gave way to the record)."""
    try:
        return save.stat().st_mtime_ns
    except OSError:
        return 0


def streams_of(server: ClassServer) -> Streams:
    """The streams of ``server``'s class page (its class folder's, or its database's)."""
    return Streams(
        server.settings.folder.path,
        2 * server.clients.names_per_client,
        lambda: control_reader(server),
        round_stamp(server),
    )
