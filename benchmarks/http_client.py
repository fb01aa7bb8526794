"""A light HTTP/1.1 client for load benchmarks: one keep-alive connection per simulated browser,
on asyncio's streams, with a cookie jar of names and values.

A load generator shares the machine's cores with the server it measures: aiohttp's client
spent more CPU per request than the class page's server did (about 2.7 ms against 2 ms), time
the server's requests then waited for. This one writes each request in one call and reads
the answer by its ``Content-Length`` (or its chunks), nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import urlencode

MAX_BODY = 4 * 2**20
"""An answer larger than this is a failure (no page of the class page comes near it)."""


class Answer:
    """A response: its status, headers (names in lower case; the last of each kept) and text."""

    def __init__(self, status: int, headers: dict[str, str], text: str) -> None:
        self.status, self.headers, self.text = status, headers, text


class Browser:
    """One browser's connection to ``host``:``port`` from ``address``; an idle connection is
    let go after ``keepalive`` seconds (before the server closes it, as browsers do)."""

    def __init__(self, host: str, port: int, address: str, keepalive: float = 5.0) -> None:
        self.host, self.port, self.address, self.keepalive = host, port, address, keepalive
        self.origin = f"http://{host}:{port}"
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last = 0.0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.writer is not None and time.monotonic() - self.last > self.keepalive:
            await self.close()
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, local_addr=(self.address, 0)
            )
        return self.reader, self.writer

    async def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        """One request and its whole answer; raises on a broken or malformed answer."""
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                f"Origin: {self.origin}",
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        reader, writer = await self._connection()
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            answer = await self._answer(reader)
        except BaseException:
            await self.close()
            raise
        self.last = time.monotonic()
        if answer.headers.get("connection", "").lower() == "close":
            await self.close()
        return answer

    async def _answer(self, reader: asyncio.StreamReader) -> Answer:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = value
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readline()).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readline()
            await reader.readline()
            data = b"".join(parts)
        else:
            length = int(headers.get("content-length", "0"))
            if length > MAX_BODY:
                raise ValueError(f"an answer of {length} bytes")
            data = await reader.readexactly(length)
        return Answer(status, headers, data.decode("utf-8", "replace"))

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
