"""Two ``flashpoint serve`` processes behind nginx share one class; one is killed mid-lesson and
its students go on, on the other, with no decision lost. Real processes throughout: Debian's
nginx running docs/nginx-flashpoint.conf (the suite's ports swapped in), two servers on one
class (one class folder, or one class in the suite's PostgreSQL with a working folder each),
students as HTTP clients each from a loopback address of its own.

``FLASHPOINT_FAILOVER_STUDENTS`` sets the class's size (the acceptance of #31: 200); the suite
runs a small class so that it stays cheap. Every loop is bounded: a student tries a request at
most :data:`TRIES` times (a request in flight to the killed server fails, and is sent again as
a student would press again; a decision names the count it saw, so it is applied once).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from benchmarks.class_load import Served, free_port, loopback
from game.engine.records.classfolder import ClassFolder
from game.engine.records.storage import open_class
from tests.conftest import ROOT
from tests.storage_fixtures import KINDS

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STUDENTS = int(os.environ.get("FLASHPOINT_FAILOVER_STUDENTS", "16"))
BEFORE, AFTER = 1, 2
"""Decisions each student takes before the kill, and after it."""
TRIES = 40
CHOICE = re.compile(r'name="choice" value="([^"]+)"')
COUNT = re.compile(r'name="count" value="(\d+)"')

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("FLASHPOINT_REQUIRE_NGINX"),
    reason="no nginx (apt-get install nginx-light)",
)


class Proxy:
    """nginx with the documented configuration in front of ``upstreams``."""

    def __init__(self, folder: Path, port: int, upstreams: tuple[int, int]) -> None:
        self.port = port
        text = (ROOT / "docs" / "nginx-flashpoint.conf").read_text(encoding="utf-8")
        swaps = {
            "127.0.0.1:8001": f"127.0.0.1:{upstreams[0]}",
            "127.0.0.1:8002": f"127.0.0.1:{upstreams[1]}",
            "listen 8000;": f"listen 127.0.0.1:{self.port};",
        }
        for old, new in swaps.items():
            assert old in text, f"docs/nginx-flashpoint.conf no longer has {old!r}"
            text = text.replace(old, new)
        folder.mkdir()
        temp = "\n".join(
            f"{kind}_temp_path {folder}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = (
            f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 4096; }\n"
            f"http {{\naccess_log off;\n{temp}\n{text}\n}}\n"
        )
        (folder / "nginx.conf").write_text(main, encoding="utf-8")
        os.chmod(folder, 0o755)
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Pupil:
    """One student's browser, through the proxy."""

    def __init__(self, base: str, number: int) -> None:
        self.base, self.name = base, f"Student {number:03d}"
        connector = aiohttp.TCPConnector(local_addr=(loopback(number), 0))
        self.session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            headers={"Origin": base},
            timeout=aiohttp.ClientTimeout(total=60),
        )
        self.round = ""
        self.decided = 0
        self.retried = 0

    async def request(self, method: str, path: str, **form: str) -> tuple[int, str, str]:
        """The answer to one request, sent again (as a student presses again) while the
        server that had it is gone or the round is held by the other server."""
        for _ in range(TRIES):
            try:
                async with self.session.request(
                    method, self.base + path, data=form or None, allow_redirects=False
                ) as response:
                    text = await response.text()
                    if response.status not in (502, 503, 504):
                        return response.status, text, response.headers.get("Location", "")
            except (aiohttp.ClientError, TimeoutError):
                pass
            self.retried += 1
            await asyncio.sleep(0.25)
        raise AssertionError(f"{self.name}: {method} {path} failed {TRIES} times")

    async def join(self, code: str) -> None:
        status, text, _ = await self.request("POST", "/join", code=code, name=self.name)
        assert status == 303, text
        status, text, where = await self.request(
            "POST", "/start", role="iran_pakistan_2024:pakistan"
        )
        assert status == 303, text
        self.round = where

    async def decide(self) -> None:
        """Take the first choice offered, once: a retry after a lost answer finds the
        decision taken (the count moved on) and takes no other."""
        status, page, _ = await self.request("GET", self.round)
        assert status == 200, page
        choice = CHOICE.findall(page)[0]
        status, confirm, _ = await self.request("GET", f"{self.round}/confirm?choice={choice}")
        assert status == 200, confirm
        count = COUNT.findall(confirm)[0]
        status, text, _ = await self.request(
            "POST", f"{self.round}/decide", choice=choice, count=count, reason=self.name
        )
        assert status == 303, text
        self.decided += 1

    async def close(self) -> None:
        await self.session.close()


Where = tuple[Path, str | None]
"""The class folder, or the database's URL (the class is named after the folder's test)."""
CLASS_NAME = "failover"


def class_name(folder: Path) -> str:
    """The class's name in the suite's database: one per test (the server outlives tests)."""
    return f"{CLASS_NAME}-{folder.parent.name}"


@pytest.fixture(params=KINDS)
def servers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Served, Served, Proxy, Where]]:
    folder = tmp_path / "class"
    url = str(request.getfixturevalue("postgres_url")) if request.param == "postgresql" else None
    stores: tuple[tuple[Path, tuple[str, ...]], ...]
    if url is None:
        ClassFolder.open_or_create(folder, (), None)
        stores = ((folder, ()), (folder, ()))
    else:  # one class in the database; each server a working folder of its own
        database = ("--database", url, "--class-name", class_name(folder))
        stores = ((tmp_path / "work1", database), (tmp_path / "work2", database))
    proxy_port = free_port()
    common = (
        "--public-url",
        f"http://127.0.0.1:{proxy_port}",
        "--trusted-proxy",
        "127.0.0.1",
        "--max-students",
        str(STUDENTS + 10),
    )
    first = Served(stores[0][0], *common, *stores[0][1], page="html")
    second = Served(stores[1][0], *common, *stores[1][1], page="html")
    proxy = Proxy(tmp_path / "nginx", proxy_port, (first.port, second.port))
    yield first, second, proxy, (folder, url)
    proxy.stop()
    first.stop()
    second.stop()


def test_a_killed_server_loses_no_decision(
    servers: tuple[Served, Served, Proxy, Where],
) -> None:
    first, second, proxy, where = servers
    assert first.code == second.code  # one class
    asyncio.run(_lesson(first, proxy, where))


def _kept(where: Where) -> dict[str, list[dict[str, object]]]:
    """Each student's decisions as the class keeps them (their one round in progress)."""
    folder, url = where
    kept = {}
    if url is None:
        for student in ClassFolder.read(folder).students():
            saves = list(student.store.saves.glob("*.json"))
            assert len(saves) == 1, student.name
            data = student.store.load(saves[0])
            kept[student.name] = [e for e in data["entries"] if e.get("kind") == "decision"]
        return kept
    storage = open_class(url, None, class_name(folder), create=False)
    try:
        for row in storage.seats.all():
            rounds = storage.rounds.in_progress(row.student)
            assert len(rounds) == 1, row.name
            entries = rounds[0].data["entries"]
            kept[row.name] = [e for e in entries if e.get("kind") == "decision"]
    finally:
        storage.close()
    return kept


async def _lesson(doomed: Served, proxy: Proxy, where: Where) -> None:
    base = f"http://127.0.0.1:{proxy.port}"
    pupils = [Pupil(base, number) for number in range(STUDENTS)]
    try:
        await asyncio.gather(*(p.join(doomed.code) for p in pupils))
        for _ in range(BEFORE):
            await asyncio.gather(*(p.decide() for p in pupils))
        done = [0]
        halfway = max(1, STUDENTS * AFTER // 2)

        async def go_on(pupil: Pupil) -> None:
            """The rest of the lesson; the server dies once half of it is done, while the
            other half's requests are on their way."""
            for _ in range(AFTER):
                await pupil.decide()
                done[0] += 1
                if done[0] == halfway:
                    os.kill(doomed.process.pid, signal.SIGKILL)

        await asyncio.gather(*(go_on(p) for p in pupils))
        assert doomed.process.wait(timeout=30) == -signal.SIGKILL
        again = sum(p.retried for p in pupils)
        print(f"failover: {STUDENTS} students, {again} requests sent again after the kill")
    finally:
        await asyncio.gather(*(p.close() for p in pupils))
    kept = _kept(where)
    assert sorted(kept) == sorted(p.name for p in pupils)
    for pupil in pupils:
        decisions = kept[pupil.name]
        assert len(decisions) == BEFORE + AFTER == pupil.decided, pupil.name
        assert all(d["rationale"] == pupil.name for d in decisions)
