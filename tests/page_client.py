"""The class page's test client: a student's browser on aiohttp's test client, in this process
(tests/test_page.py, tests/test_page_pacing.py)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from game.engine.records.classfolder import ClassFolder
from game.web.server import ClassServer, Settings

CHOICE = re.compile(r'name="choice" value="([^"]+)"')
COUNT = re.compile(r'name="count" value="(\d+)"')


class Browser:
    """One student's browser: a cookie jar and the class server's own Origin."""

    def __init__(self, client: TestClient[Any, Any], code: str) -> None:
        self.client = client
        self.code = code
        self.origin = str(client.make_url("")).rstrip("/")

    async def get(self, path: str) -> tuple[int, str, str]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, await response.text(), response.headers.get("Location", "")

    async def post(self, path: str, origin: str | None = None, **form: str) -> ClientResponse:
        headers = {"Origin": self.origin if origin is None else origin}
        return await self.client.post(path, data=form, headers=headers, allow_redirects=False)

    async def join(self, name: str) -> None:
        response = await self.post("/join", code=self.code, name=name)
        assert response.status == 303, await response.text()

    async def start(self, role: str = "pakistan") -> str:
        response = await self.post("/start", role=f"iran_pakistan_2024:{role}")
        assert response.status == 303, await response.text()
        return response.headers["Location"]

    async def playing(self, name: str) -> str:
        """Join as ``name`` and start a round; the round's address."""
        await self.join(name)
        return await self.start()

    async def decide(self, round_url: str, reason: str = "") -> str:
        """Take the first choice offered; the page it lands on."""
        status, page, _ = await self.get(round_url)
        assert status == 200, page
        choice = CHOICE.findall(page)[0]
        status, confirm, _ = await self.get(f"{round_url}/confirm?choice={choice}")
        assert status == 200
        count = COUNT.findall(confirm)[0]
        response = await self.post(f"{round_url}/decide", choice=choice, count=count, reason=reason)
        assert response.status == 303, await response.text()
        return response.headers["Location"]


async def served(folder: ClassFolder, **settings: Any) -> TestClient[Any, Any]:
    server = ClassServer(Settings(folder, **settings), host="127.0.0.1")
    client: TestClient[Any, Any] = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


@pytest.fixture
async def folder(tmp_path: Path) -> ClassFolder:
    return ClassFolder.open_or_create(tmp_path / "class", (), None)


@pytest.fixture
async def client(folder: ClassFolder) -> AsyncIterator[TestClient[Any, Any]]:
    found = await served(folder)
    yield found
    await found.close()


async def joined(client: TestClient[Any, Any], folder: ClassFolder, name: str) -> Browser:
    """A student who joined the class as ``name`` and sees their home page."""
    browser = Browser(client, folder.code)
    await browser.join(name)
    status, home, _ = await browser.get("/play")
    assert status == 200 and "Play Pakistan" in home
    assert "<script>alert" not in home  # a name is text, never markup
    return browser


def records(folder: ClassFolder) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.students_folder.glob("*/results/*.json"))
    ]
