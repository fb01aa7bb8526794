"""The class server's side of :mod:`game.engine.seats.match_sweep`: the teacher's pacing reaches
match seats whose students load no page — every :data:`EVERY` seconds on the class page's
engine thread, and once over every open match just before the teacher ends the class (so a
countdown that ran out is sealed before the seats are recorded abandoned)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from game.engine.records.classfolder import student_id
from game.engine.records.store import RoundStore
from game.engine.seats.match_sweep import Sweep
from game.web.class_storage import control_reader, find_student, matches_of, store_of

if TYPE_CHECKING:
    from game.engine.records.matches import MatchStore
    from game.web.page.rounds import Rounds
    from game.web.server import ClassServer

log = logging.getLogger(__name__)
EVERY = 2.0
"""Seconds between two sweeps of the class's matches."""


def rounds_of(server: ClassServer) -> Callable[[str], RoundStore | None]:
    """The round store of the class's student called ``name`` (``None``: not in the class)."""
    stores = store_of(server)

    def find(name: str) -> RoundStore | None:
        student = find_student(server, student_id(name))
        if student is None:
            return None
        return stores(student) if stores is not None else student.store

    return find


def sweep_of(server: ClassServer, limit: int | None = None) -> Sweep | None:
    """The class's sweep (``None``: the class plays no matches); ``limit`` matches a tick."""
    seating = server.settings.matches
    if seating is None:
        return None
    found = Sweep(control_reader(server), rounds_of(server), log.warning, seating.scenario)
    if limit is not None:
        found.limit = limit
    return found


def seal_all(server: ClassServer) -> int:
    """Apply the pacing to every open match seat at once (before the class ends), on a match
    connection of its own (call it in a thread)."""
    swept = sweep_of(server, limit=1 << 20)
    if swept is None:
        return 0
    store = matches_of(server)
    try:
        return swept.tick(store)
    finally:
        store.close()


def start(
    app: web.Application, server: ClassServer, store: Callable[[], MatchStore], rounds: Rounds
) -> None:
    """Sweep the class's matches every :data:`EVERY` seconds while ``app`` runs, on
    ``store()`` (the page's match connection) in the page's engine thread, under its lock."""
    swept = sweep_of(server)
    if swept is None:
        return

    async def every(_app: web.Application) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                await asyncio.sleep(EVERY)
                with contextlib.suppress(Exception):  # one failed sweep is tried again
                    await asyncio.get_running_loop().run_in_executor(
                        rounds.engine, rounds.locked, lambda: swept.tick(store())
                    )

        task = asyncio.create_task(loop())
        yield
        task.cancel()

    app.cleanup_ctx.append(every)
