"""Wrong PINs for a seat counted for the whole class, whichever server they reach.

A seat's PIN is six digits; :data:`~game.engine.records.seat_keys.PIN_TRIES_PER_SEAT` wrong
ones in :data:`~game.engine.records.seat_keys.PIN_WINDOW` seconds stop every further try at it.
Counted by each server alone, N servers behind one proxy would give a guesser N times the tries;
so the tries per seat are the class's: a small document kept where the class is kept (the
class folder, or the database), written under the class's lock. The tries per client stay each
server's (they bound what one address makes that server spend).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Protocol

from game.engine.base.problems import FlashpointError
from game.engine.records.seat_keys import PIN_TRIES_PER_SEAT, PIN_WINDOW, Clock, PinTries

DOCUMENT = "pin-tries"
MAX_SEATS = 10_000
"""Seats whose recent wrong PINs are kept (the oldest go first in a flood)."""


class Shared(Protocol):
    """Where the class keeps what its servers share (a class folder, a database)."""

    def exclusive(self, what: str) -> contextlib.AbstractContextManager[None]: ...
    def kept(self, key: str) -> str | None: ...
    def keep(self, key: str, text: str) -> None: ...


class ClassPinTries(PinTries):
    """Wrong PINs per seat counted for the class (see the module); per client, this server's.
    If the class cannot be read, this server's own count stands in."""

    def __init__(self, shared: Shared, clock: Clock = time.time) -> None:
        super().__init__(clock)
        self.shared = shared

    def _read(self) -> dict[str, list[float]]:
        text = self.shared.kept(DOCUMENT)
        data = json.loads(text) if text else {}
        if not isinstance(data, dict):
            return {}
        now = self.clock()
        return {
            str(seat): recent
            for seat, times in data.items()
            if isinstance(times, list)
            and (recent := [float(t) for t in times if isinstance(t, int | float)])
            and max(recent) > now - PIN_WINDOW
        }

    def allowed(self, client: str, student_id: str) -> bool:
        if not super().allowed(client, student_id):
            return False
        try:
            times = self._read().get(student_id, [])
        except (OSError, ValueError, RecursionError, FlashpointError):
            return True  # this server's own count has allowed it
        now = self.clock()
        return sum(now - PIN_WINDOW < t for t in times) < PIN_TRIES_PER_SEAT

    def failed(self, client: str, student_id: str) -> None:
        super().failed(client, student_id)
        with (
            contextlib.suppress(OSError, ValueError, RecursionError, FlashpointError),
            self.shared.exclusive(DOCUMENT),
        ):
            tries = self._read()
            now = self.clock()
            tries[student_id] = [t for t in tries.get(student_id, []) if t > now - PIN_WINDOW]
            tries[student_id].append(now)
            while len(tries) > MAX_SEATS:
                del tries[min(tries, key=lambda seat: max(tries[seat]))]
            self.shared.keep(DOCUMENT, json.dumps(tries))
