"""A match seat's presence and polling: the heartbeat thread that tells the match file a seat
is still there, and the watch that says when a waiting seat should look at its turn again.

Kept apart from :mod:`game.engine.seats.match_seat` (which re-exports both), so that the seat's
life and the pacing of its turns fit one module.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

from game.engine.records.matches import HEARTBEAT_SECONDS, MatchError, MatchStore

Clock = Callable[[], float]
LOOK_SECONDS = 0.02
"""How often a waiting seat asks :meth:`Watch.due` (``PRAGMA data_version``: no write)."""


class Heartbeat(threading.Thread):
    """Tells the match file, every ``every`` seconds and through a connection of its own, that
    the seat is still there, whatever the front end is doing (a student typing a reason)."""

    def __init__(
        self,
        opened: Callable[[], MatchStore],
        code: str,
        seat: str,
        every: float = HEARTBEAT_SECONDS,
    ):
        super().__init__(name=f"heartbeat {code} {seat}", daemon=True)
        self.opened, self.code, self.seat, self.every = opened, code, seat, every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            store = self.opened()  # MatchStore.reopen: the same matches, another connection
        except MatchError:
            return  # the seat's own connection reports the file's problem
        try:
            while True:
                with contextlib.suppress(MatchError):
                    store.heartbeat(self.code, self.seat)
                if self.stopped.wait(self.every):
                    return
        finally:
            store.close()

    def stop(self) -> None:
        """Stop beating; returns once the last beat is written."""
        self.stopped.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=15.0)


class Watch:
    """When a waiting seat should look at its turn again: at once, whenever another process
    has written to the match file (``changed``, a cheap read), and at least every ``every``
    seconds, so that a deadline passes even when nobody writes. Between looks a front end
    sleeps :data:`LOOK_SECONDS`."""

    def __init__(self, store: MatchStore, every: float = 1.0, clock: Clock = time.monotonic):
        self.store = store
        self.every = every
        self.clock = clock
        self.last = float("-inf")

    def due(self) -> bool:
        """Whether to look now."""
        now = self.clock()
        if self.store.changed() or now - self.last >= self.every:
            self.last = now
            return True
        return False
