"""The class's caps hold across servers: two real ``flashpoint serve`` processes on one class
(a shared class folder, or the suite's real PostgreSQL) admit at most ``--max-students``
students and ``--names-per-address`` names per address between them, even when every join
arrives at once, half on each server; a seat never played is given back to the class, one
played on the other server is not, and one the teacher removed counts no more; a seat's wrong
PINs are counted for the class, not per server.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path

import aiohttp
import pytest

from benchmarks.class_load import Served
from game.commands.serve import read_token
from game.engine.records.class_caps import students_in
from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.seat_keys import PIN_TRIES_PER_SEAT
from game.engine.records.storage import open_class

ONE_ADDRESS = "127.0.8.1"


class Browser:
    """One student's browser at its own loopback address (its cookie goes to both servers:
    one host, two ports)."""

    def __init__(self, address: str) -> None:
        connector = aiohttp.TCPConnector(local_addr=(address, 0))
        jar = aiohttp.CookieJar(unsafe=True)
        self.session = aiohttp.ClientSession(connector=connector, cookie_jar=jar)

    async def post(self, base: str, path: str, **form: str) -> tuple[int, str, str]:
        async with self.session.post(
            base + path, data=form, headers={"Origin": base}, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers.get("Location", "")

    async def get(self, base: str, path: str) -> tuple[int, str]:
        async with self.session.get(base + path, allow_redirects=False) as answer:
            return answer.status, await answer.text()

    async def join(self, server: Served, name: str) -> int:
        status, _, _ = await self.post(server.base, "/join", code=server.code, name=name)
        return status

    async def close(self) -> None:
        await self.session.close()


async def teacher(server: Served, command: str, name: str) -> dict[str, str]:
    """The console's ``command`` for the student called ``name``, sent to ``server``."""
    token = read_token(server.folder)
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as api:
        body = {"student": student_id(name)}
        async with api.post(f"{server.base}/teacher/api/{command}", json=body) as answer:
            assert answer.status == 200, await answer.text()
            found: dict[str, str] = await answer.json()
            return found


def serve_two(
    tmp_path: Path, where: str, postgres: str | None, *caps: str
) -> tuple[Served, Served]:
    """Two servers on one class: ``where`` is "folder" (one class folder) or "database"."""
    if where == "folder":
        folder = tmp_path / "class"
        first = Served(folder, *caps, page="html")
        try:
            return first, Served(folder, *caps, page="html")
        except BaseException:
            first.stop()
            raise
    assert postgres is not None
    database = ("--database", postgres, "--class-name", f"caps-{tmp_path.name}", *caps)
    first = Served(tmp_path / "work1", *database, page="html")
    try:
        return first, Served(tmp_path / "work2", *database, page="html")
    except BaseException:
        first.stop()
        raise


def students(where: str, kept: str, tmp_path: Path) -> int:
    """How many students the class has, where it is kept."""
    if where == "folder":
        return len(students_in(ClassFolder.read(Path(kept))))
    storage = open_class(kept, None, f"caps-{tmp_path.name}", create=False)
    try:
        return len(storage.seats.all())
    finally:
        storage.close()


@pytest.fixture(params=["folder", "database"])
def where(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def postgres(where: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield request.getfixturevalue("postgres_url") if where == "database" else None


def lesson(
    tmp_path: Path,
    where: str,
    postgres: str | None,
    caps: tuple[str, ...],
    play: Callable[[Served, Served], Coroutine[None, None, None]],
) -> str:
    """``play`` on two servers of one class; what they logged. The class has
    ``students(...)`` afterwards."""
    first, second = serve_two(tmp_path, where, postgres, *caps)
    try:
        asyncio.run(play(first, second))
    finally:
        first.stop()
        second.stop()
    return "".join(first.log + second.log)


def test_the_class_size_and_names_per_address_hold_across_two_servers(
    tmp_path: Path, where: str, postgres: str | None
) -> None:
    caps = ("--max-students", "8", "--names-per-address", "2", "--seat-expiry", "600")
    log = lesson(tmp_path, where, postgres, caps, _class_of_eight)
    assert students(where, postgres or str(tmp_path / "class"), tmp_path) == 8
    assert "class full:" in log and "has taken its share of names" in log
    assert "Traceback" not in log


async def _class_of_eight(first: Served, second: Served) -> None:
    servers = (first, second)
    # one address sends six names at once, three to each server: two seats in all
    same = [Browser(ONE_ADDRESS) for _ in range(6)]
    others = [Browser(f"127.0.8.{n + 10}") for n in range(10)]
    try:
        statuses = await asyncio.gather(
            *(b.join(servers[n % 2], f"Made up {n}") for n, b in enumerate(same))
        )
        assert Counter(statuses) == {303: 2, 429: 4}, statuses
        # ten classmates at once, five on each server: the six seats left, no more
        statuses = await asyncio.gather(
            *(b.join(servers[n % 2], f"Student {n}") for n, b in enumerate(others))
        )
        assert Counter(statuses) == {303: 6, 503: 4}, statuses
        seated = [n for n, status in enumerate(statuses) if status == 303]
        refused = next(n for n, status in enumerate(statuses) if status == 503)
        status, page, _ = await others[refused].post(
            second.base, "/join", code=second.code, name=f"Student {refused}"
        )
        assert status == 503 and "all 8 seats are taken" in page, page
        # a seated student comes back through the other server: theirs, class full or not
        back = seated[0]
        assert await others[back].join(servers[(back + 1) % 2], f"Student {back}") == 303
        status, page = await others[back].get(servers[(back + 1) % 2].base, "/play")
        assert status == 200 and f"Student {back}" in page, page
    finally:
        await asyncio.gather(*(b.close() for b in same + others))


def test_a_seat_never_played_is_given_back_to_the_class_and_a_played_one_is_kept(
    tmp_path: Path, where: str, postgres: str | None
) -> None:
    caps = ("--max-students", "2", "--seat-expiry", "2")
    log = lesson(tmp_path, where, postgres, caps, _given_back)
    assert students(where, postgres or str(tmp_path / "class"), tmp_path) == 3  # Cleo kept
    assert "seat was given back (no game started)" in log


async def _given_back(first: Served, second: Served) -> None:
    ana, ben, cleo = (Browser(f"127.0.8.{n}") for n in (31, 32, 33))
    try:
        assert await ana.join(first, "Ana") == 303
        assert await ben.join(first, "Ben") == 303
        assert await cleo.join(second, "Cleo") == 503  # the first server's seats count here
        # Ana plays on the second server: the first never sees her start, yet keeps her seat
        status, text, round_url = await ana.post(
            second.base, "/start", role="iran_pakistan_2024:pakistan"
        )
        assert status == 303, text
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # Ben never played: his seat goes back
            await asyncio.sleep(0.5)
            if (status := await cleo.join(second, "Cleo")) != 503:
                break
        assert status == 303
        status, page = await ana.get(first.base, round_url)
        assert status == 200 and f"{round_url}/leave" in page, page  # hers still
        status, _ = await ben.get(second.base, "/play")
        assert status == 303  # his seat went back: he joins again like anyone
        assert await ben.join(second, "Ben") == 503
        # the teacher removes Cleo's seat on one server: a seat free for the class
        await teacher(second, "remove-seat", "Cleo")
        assert await ben.join(first, "Ben") == 303
        assert await cleo.join(first, "Cleo") == 403  # her name now needs her PIN
    finally:
        await asyncio.gather(*(b.close() for b in (ana, ben, cleo)))


def test_a_seats_wrong_pins_are_counted_for_the_class_not_per_server(
    tmp_path: Path, where: str, postgres: str | None
) -> None:
    log = lesson(tmp_path, where, postgres, ("--seat-expiry", "600"), _guessing)
    assert log.count("Too many wrong PINs") == 2 and "Traceback" not in log


async def _guessing(first: Served, second: Served) -> None:
    """Ana has a seat; guessers at five addresses try wrong PINs for it, alternately on each
    server: after five in all, even the right PIN waits, on either server."""
    ana = Browser("127.0.8.60")
    guessers = [Browser(f"127.0.8.{n + 61}") for n in range(PIN_TRIES_PER_SEAT + 1)]
    try:
        assert await ana.join(first, "Ana") == 303
        pin = (await teacher(second, "pin", "Ana"))["pin"]
        wrong = "999999" if pin != "999999" else "888888"
        servers = (first, second)
        for n, guesser in enumerate(guessers[:PIN_TRIES_PER_SEAT]):
            status, page, _ = await guesser.post(
                servers[n % 2].base, "/join", code=first.code, name="Ana", pin=wrong
            )
            assert status == 403 and "not the PIN" in page, page
        for server in servers:
            status, page, _ = await guessers[-1].post(
                server.base, "/join", code=first.code, name="Ana", pin=pin
            )
            assert status == 429 and "Too many wrong PINs" in page, page
    finally:
        await asyncio.gather(*(b.close() for b in [ana, *guessers]))
