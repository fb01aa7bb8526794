"""The class server's sockets, bounded: no browser holds the server's files or its log.

- **Headers in time**: a connection has ``HEADER_SECONDS`` to send a whole request (and the
  same again between two requests); one that never finishes its headers is closed.
- **Connections capped** per address (``CONNECTIONS_PER_ADDRESS``; IPv6 per /64; a trusted
  proxy is exempt, it limits its own clients) and in all, below the open-file limit, which is
  raised to its hard limit at start: past the cap a connection is closed as it is accepted,
  so the server never runs out of files.
- **One line per error, at most ``LOG_LINES_PER_MINUTE``**: an error is logged with its type
  and message, never a traceback (formatting one cost 38 ms and opened files); past the rate,
  lines are dropped and their number told in the next line that is written.
- Every answer aiohttp makes by itself (a malformed request's 400) carries the security
  headers too.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from game.web.guard import Clients, client_key, secure

HEADER_SECONDS = 10.0
BODY_SECONDS = 10.0
CONNECTIONS_PER_ADDRESS = 24
LOG_LINES_PER_MINUTE = 120
FILES_PER_GAME = 4
"""Files the server holds for each running game (its three pipes, and one to spare)."""
log = logging.getLogger("flashpoint.serve")


def raise_file_limit() -> int:
    """Raise this process's open-file limit to its hard limit; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    finite = [] if hard == resource.RLIM_INFINITY else [hard]
    for target in [*finite, 65536, 10240, 4096]:  # macOS refuses more than 10240
        if target <= soft or (finite and target > hard):
            continue
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            continue
        return target
    return soft


class Gate:
    """Connections open per client and in all."""

    def __init__(self, clients: Clients, total: int) -> None:
        self.clients = clients
        self.total = total
        self.open: Counter[str] = Counter()
        self.count = 0
        self.refused = 0

    def admit(self, address: str) -> str | None:
        """The key the connection is counted under, or None if it must be closed."""
        key = client_key(address)
        limited = not self.clients.is_proxy(address)
        if self.count >= self.total or (limited and self.open[key] >= CONNECTIONS_PER_ADDRESS):
            self.refused += 1
            log.warning(
                "refused a connection from %s (%d open from it, %d in all)",
                address,
                self.open[key],
                self.count,
            )
            return None
        self.open[key] += 1
        self.count += 1
        return key

    def release(self, key: str) -> None:
        self.count -= 1
        self.open[key] -= 1
        if self.open[key] <= 0:
            del self.open[key]


class GuardedHandler(RequestHandler):
    """aiohttp's connection handler, counted by the gate, with the headers on its own
    error answers."""

    def __init__(self, manager: web.Server, *, gate: Gate, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self.gate = gate
        self.admitted: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        key = self.gate.admit(str(peer[0]) if peer else "?")
        if key is None:
            assert isinstance(transport, asyncio.Transport)
            transport.abort()
            return
        self.admitted = key
        super().connection_made(transport)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self.admitted is None:
            return
        self.gate.release(self.admitted)
        self.admitted = None
        super().connection_lost(exc)

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        response = super().handle_error(request, status, exc, message)
        secure(response)
        return response


class GuardedSite(web.BaseSite):
    """A listening socket (or two: ``::`` listens on IPv4 too) whose connections go
    through the gate."""

    def __init__(self, runner: web.AppRunner, hosts: list[str], port: int, gate: Gate) -> None:
        super().__init__(runner)
        self.hosts = hosts
        self.port = port
        self.gate = gate

    @property
    def name(self) -> str:
        return f"http://{self.hosts[0]}:{self.port}"

    async def start(self) -> None:
        await super().start()
        loop = asyncio.get_running_loop()
        manager = self._runner.server
        assert isinstance(manager, web.Server)

        def handler() -> GuardedHandler:
            return GuardedHandler(
                manager,
                gate=self.gate,
                loop=loop,
                keepalive_timeout=HEADER_SECONDS,
                access_log=None,
                lingering_time=2.0,
            )

        self._server = await loop.create_server(handler, self.hosts, self.port, backlog=128)


class OneLine(logging.Filter):
    """Every record on one line, without a traceback, at most ``LOG_LINES_PER_MINUTE``
    a minute; the number dropped is told in the next line written."""

    def __init__(self, per_minute: int = LOG_LINES_PER_MINUTE) -> None:
        super().__init__()
        self.per_minute = per_minute
        self.window = (0.0, 0)
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        start, count = self.window
        if now - start >= 60:
            start, count = now, 0
        if count >= self.per_minute:
            self.dropped += 1
            self.window = (start, count)
            return False
        self.window = (start, count + 1)
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text = f"{text}: {type(error).__name__}: {error}"
        text = " ".join(text.split())[:500]
        if self.dropped:
            text = f"({self.dropped} log lines dropped) {text}"
            self.dropped = 0
        record.msg, record.args = text, ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def one_line_logging(stream: Any = None) -> None:
    """The server's log: plain lines on standard output, nothing else installed."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(OneLine())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("aiohttp.access", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
