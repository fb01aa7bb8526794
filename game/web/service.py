"""One student's game process behind a browser tab: textual-serve's ``AppService`` with the
classroom's safety rules.

- The game runs as ``python -m game`` with an argument list (no shell) and a small
  environment of its own: the student's data folder, never the server's environment.
- Terminal sizes from the browser are clamped, so one tab cannot make a process draw a
  6000x2000 screen.
- What the game prints on its error output (a crash's traceback) goes to ``game-errors.log``
  in the student's folder; the server's log says so in one line.
- Stopping asks the game to quit (it records a round in progress as abandoned), then after a
  grace period sends SIGTERM (which does the same), then SIGKILL: a hung game never outlives
  its tab or the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

MIN_SIZE = (20, 8)
MAX_SIZE = (300, 100)
"""Largest terminal a browser may ask for (columns, rows)."""
PASSED_VARIABLES = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "SYSTEMROOT")
"""The only variables of the server's environment a student's game sees."""
ERRORS_FILE = "game-errors.log"
"""In the student's folder: what their game printed on its error output."""
REDRAW_SECONDS = 0.3
START_SECONDS = 30.0
"""Longest a stop waits for the game's process to be started (it is then signalled)."""


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size within the limits; anything that is not a number gets 80x24."""

    def number(value: object, default: int) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit() and len(value) <= 6:
            return int(value)
        return default

    columns = min(max(number(width, 80), MIN_SIZE[0]), MAX_SIZE[0])
    rows = min(max(number(height, 24), MIN_SIZE[1]), MAX_SIZE[1])
    return columns, rows


class SeatService(AppService):
    """Runs ``argv`` for one student, in ``folder``, for as long as their tab is open."""

    def __init__(
        self,
        argv: Sequence[str],
        folder: Path,
        grace: float,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[object]],
        download_manager: DownloadManager,
    ) -> None:
        async def close_socket() -> None:  # aiohttp's close answers a bool
            await close()

        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close_socket,
            download_manager=download_manager,
        )
        self.argv = list(argv)
        self.folder = folder
        self.grace = grace
        self.size = (80, 24)
        self._started = asyncio.Event()
        self.errors_before = 0
        self._stopping: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        """The game's process id, once started."""
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        inherited = super()._build_environment(width, height)
        environment = {k: v for k, v in os.environ.items() if k in PASSED_VARIABLES}
        environment.update({k: v for k, v in inherited.items() if k.startswith("TEXTUAL")})
        environment["TEXTUAL_DRIVER"] = "game.web.driver:ClassDriver"  # ends with its input
        environment.update(
            {
                "TERM_PROGRAM": inherited["TERM_PROGRAM"],
                "TERM_PROGRAM_VERSION": inherited["TERM_PROGRAM_VERSION"],
                "COLUMNS": str(width),
                "ROWS": str(height),
                "HOME": str(self.folder),
                "FLASHPOINT_HOME": str(self.folder),
                "LANG": environment.get("LANG") or "C.UTF-8",
                "PYTHONIOENCODING": "utf-8",
            }
        )
        return environment

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        errors = self.folder / ERRORS_FILE
        with contextlib.suppress(OSError):
            self.errors_before = errors.stat().st_size
        with errors.open("ab") as sink:  # a crash's traceback goes here, not to the log
            self._process = process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=sink,
                env=self._build_environment(width, height),
                cwd=self.folder,
                start_new_session=True,  # its own process group, ended as one
            )
        process.stderr = asyncio.StreamReader()  # textual-serve copies it to the log: empty
        process.stderr.feed_eof()
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """textual-serve's relay from the game; once the game's output ends (it quit, or
        failed to start), the tab is closed too, so its seat does not wait for it."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()

    def error_output(self) -> Path | None:
        """The file holding what the game printed on error during this run, if it did."""
        errors = self.folder / ERRORS_FILE
        try:
            return errors if errors.stat().st_size > self.errors_before else None
        except OSError:
            return None

    async def start(self, width: int, height: int) -> None:
        """Start the game, unless it was stopped first; a stop waits for a start to end."""
        self.size = clamp_size(width, height)
        try:
            if self._stopping is None:
                await super().start(*self.size)
        finally:
            self._started.set()

    async def ready(self) -> bool:
        """Wait until the game's start has ended; whether the game runs."""
        await self._started.wait()
        return self._process is not None and self._stopping is None

    @property
    def stopping(self) -> bool:
        """Whether the game is being (or has been) stopped."""
        return self._stopping is not None

    async def redraw(self, width: int, height: int) -> None:
        """Have the game draw its whole screen again at this size, for a tab that has just
        taken it over (a resize to the size it has draws nothing, so it goes by another)."""
        columns, rows = clamp_size(width, height)
        await self.set_terminal_size(columns + 1 if columns < MAX_SIZE[0] else columns - 1, rows)
        await asyncio.sleep(REDRAW_SECONDS)  # textual draws the last of quick resizes only
        await self.set_terminal_size(columns, rows)

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.size = clamp_size(width, height)
        await super().set_terminal_size(*self.size)

    async def stop(self) -> None:
        """Ask the game to quit; SIGTERM after the grace period, SIGKILL two seconds later.
        Every caller waits for the same stop; a game caught starting is stopped once started."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._started.wait(), START_SECONDS)
        task, self._task = self._task, None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if self._process is None:
            return
        if task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 1)
        for signum, wait in ((None, self.grace), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            if signum is not None:
                self._signal(signum)
            try:
                await asyncio.wait_for(asyncio.shield(self._wait_process()), wait)
                break
            except TimeoutError:
                continue
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _wait_process(self) -> None:
        if self._process is not None:
            await self._process.wait()

    def _signal(self, signum: int) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)
