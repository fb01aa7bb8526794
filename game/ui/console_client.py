"""The teacher's console talking to the class server it controls (``game.web.teacher``).

Every request carries the teacher's token in the ``Authorization`` header and gives up after
``TIMEOUT`` seconds: a stopped or unreachable server is an answer too (``ServerGone``), never
a console that hangs.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import aiohttp

TIMEOUT = 3.0
MAX_ANSWER = 4 * 1024 * 1024
"""Largest answer read from the server (a class of 40 is about 60 KB)."""


class ConsoleError(Exception):
    """The server refused a command; the message is its sentence."""


class ServerGone(ConsoleError):
    """The server did not answer (stopped, unreachable, or not a Flashpoint class server)."""


def base_url(typed: str) -> str:
    """The server's address as the teacher typed it or ``serve`` printed it, without a
    trailing slash; raises ``ValueError`` for anything but an http(s) address."""
    text = typed.strip()
    if "://" not in text:
        text = f"http://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{typed!r} is not the class's address: give the one 'flashpoint serve' printed, "
            "e.g. http://127.0.0.1:8000/"
        )
    return f"{parts.scheme}://{parts.netloc}"


class ConsoleClient:
    """The console's one connection pool to the server."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token
        self.session: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=TIMEOUT),
                headers={"Authorization": f"Bearer {self.token}"},
            )
        return self.session

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def status(self) -> dict[str, Any]:
        """The class as the server sees it now."""
        return await self._call("GET", "/teacher/api/status", None)

    async def send(self, command: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one console command; its answer, or :class:`ConsoleError` saying why not."""
        return await self._call("POST", f"/teacher/api/{command}", body or {})

    async def _call(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        try:
            async with self._session().request(method, self.base + path, json=body) as answer:
                raw = await answer.content.read(MAX_ANSWER + 1)
                status = answer.status
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            why = _why(error)
            raise ServerGone(f"the server at {self.base} is not answering ({why})") from None
        try:
            data = json.loads(raw) if len(raw) <= MAX_ANSWER else None
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            raise ServerGone(f"{self.base} did not answer as a Flashpoint class server")
        if status == 401:
            raise ConsoleError(
                "the server refused the token: give the class folder 'serve' printed "
                "(--class-folder FOLDER), whose teacher-token file holds it"
            )
        if status >= 400:
            raise ConsoleError(str(data.get("error", f"the server answered {status}")))
        return data


def _why(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return str(error) or type(error).__name__
