"""A full-screen game ends when its terminal closes, however busy its screen is.

SIGHUP (the terminal or tab closed) and SIGTERM reach the app through its event loop, which
leaves the round as abandoned and exits. An event loop kept busy by one long computation would
only see them once it is done, and a game whose terminal is gone would spin on meanwhile; so
the signal also starts a watchdog: if the process is still there :data:`GRACE_SECONDS` later,
the watchdog leaves the round itself (its record says abandoned; saves are atomic) and ends
the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

from game.engine.seats.lifecycle import TERMINATING_SIGNALS

GRACE_SECONDS = 5.0
"""How long the event loop has to end the game after SIGHUP or SIGTERM."""


def end_on_hangup(terminate: Callable[[], None], leave: Callable[[], None]) -> None:
    """Call ``terminate`` from the running event loop on SIGHUP or SIGTERM; and, should the
    process still be there :data:`GRACE_SECONDS` later, ``leave`` from a watchdog and exit."""
    loop = asyncio.get_running_loop()
    started = threading.Event()

    def watchdog(signum: int) -> None:
        time.sleep(GRACE_SECONDS)
        with contextlib.suppress(Exception):  # the round's save is already on disk
            leave()
        os._exit(128 + signum)

    def hung_up(signum: int, _frame: FrameType | None) -> None:
        """Runs in the main thread between two bytecodes, even while the loop is busy; the
        loop's own handler still runs (the signal's wakeup byte is written as before)."""
        if not started.is_set():
            started.set()
            threading.Thread(target=watchdog, args=(signum,), daemon=True).start()

    for signum in TERMINATING_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, terminate)
            signal.signal(signum, hung_up)
