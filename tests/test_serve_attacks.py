"""The class server under attack by one mischievous student: real ``flashpoint serve``
processes on loopback, each attack a bounded loop that stops by itself, each reproducing a
case of issue 26 that was broken and showing it now holds.

Students connect from addresses of their own in 127/8 (``loopback``), as the students of a
class each have their own computer.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import aiohttp
import pytest

from benchmarks.class_load import Served, Student, drawn, loopback
from game.engine.records.classfolder import ClassFolder, student_id
from game.web.guard import client_key
from game.web.listen import CONNECTIONS_PER_ADDRESS, HEADER_SECONDS
from game.web.names import skeleton
from game.web.seats import GAMES_PER_MINUTE

ATTACKER = "127.0.9.9"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--max-students", "40", "--grace", "2")
    yield server
    server.stop()


def folder_of(served: Served) -> Path:
    args = [str(arg) for arg in cast("list[str]", served.process.args)]
    return Path(args[args.index("--class-folder") + 1])


def student_folders(served: Served) -> list[Path]:
    students = folder_of(served) / "students"
    return sorted(students.iterdir()) if students.is_dir() else []


def games(served: Served) -> list[int]:
    """The game processes the server runs now (its children)."""
    path = Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def games_of_class(folder: Path) -> list[int]:
    """Every live process on this machine whose data folder is in ``folder`` (a class
    folder, or one student's; a game whose server has gone is no longer below it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and f"FLASHPOINT_HOME={folder.resolve()}".encode() in environ:
            found.append(int(entry.name))
    return found


def games_left_after(folder: Path, seconds: float) -> list[int]:
    """The class's games still alive after waiting up to ``seconds`` for them to end; any left
    are killed, so a failing test leaves no process behind."""
    deadline = time.monotonic() + seconds
    while games_of_class(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = games_of_class(folder)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


async def post_join(
    served: Served,
    name: str,
    code: str | None = None,
    address: str = ATTACKER,
    headers: dict[str, str] | None = None,
) -> int:
    connector = aiohttp.TCPConnector(local_addr=(address, 0))
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.post(
            f"{served.base}/join",
            data={"code": served.code if code is None else code, "name": name},
            headers={"Origin": served.base, **(headers or {})},
            allow_redirects=False,
        ) as response,
    ):
        return response.status


async def reaches_the_title_screen(served: Served, name: str, address: str) -> None:
    """``name`` joins from ``address``, their game draws its title screen, the tab closes."""
    student = Student(served.base, name, address=address)
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        await student.wait_for("New round")
    finally:
        await student.close()


async def raw(port: int, data: bytes, address: str = ATTACKER, seconds: float = 5) -> bytes:
    """What the server answers to ``data`` sent as is (until it closes or ``seconds``)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), seconds)
    finally:
        writer.close()


# --- seats cost something -------------------------------------------------------------------


async def test_one_address_cannot_fill_the_class_and_refused_names_make_no_folder(
    tmp_path: Path,
) -> None:
    served = await asyncio.to_thread(
        Served, tmp_path / "class", "--max-students", "10", "--seat-expiry", "2"
    )
    try:
        statuses = [await post_join(served, f"Made up {n}") for n in range(40)]
        assert statuses[:3] == [303] * 3 and set(statuses[3:]) == {429}
        assert len(student_folders(served)) == 3  # refused names made no folder
        assert [await post_join(served, "Wrong", code="XXXXXX") for _ in range(3)] == [403] * 3
        assert len(student_folders(served)) == 3
        real = [await post_join(served, f"Real {n}", address=loopback(n)) for n in range(7)]
        assert real == [303] * 7  # the rest of the class still has its seats

        # the made-up seats never started a game: given back, their folders removed
        deadline = time.monotonic() + 20
        while len(student_folders(served)) > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        assert student_folders(served) == []
        assert await post_join(served, "Made up again") == 303
        assert await post_join(served, "Made up 1", address=loopback(20)) == 303  # keys gone too
    finally:
        served.stop()
    assert "seat was given back (no game started)" in "".join(served.log)


async def test_a_trusted_proxys_clients_are_counted_apart_and_nobody_elses_header_is_believed(
    tmp_path: Path,
) -> None:
    served = await asyncio.to_thread(
        Served, tmp_path / "class", "--trusted-proxy", "127.0.5.0/24", "--names-per-address", "2"
    )
    proxy = "127.0.5.1"
    try:

        def via(client: str) -> dict[str, str]:
            return {"X-Forwarded-For": f"198.51.100.77, {client}"}  # the first is the client's lie

        # ten wrong codes from one forwarded client lock out that client only
        one, other = via("203.0.113.1"), via("203.0.113.2")
        wrong = [await post_join(served, "X", "AAAAAA", proxy, one) for _ in range(10)]
        assert wrong == [403] * 10
        assert await post_join(served, "Ana", address=proxy, headers=one) == 429
        assert await post_join(served, "Ben", address=proxy, headers=other) == 303
        # IPv6 clients count per /64: a new address in the same /64 is the same client
        first, same = via("2001:db8:1:2::1"), via("2001:db8:1:2::ffff")
        assert await post_join(served, "Cleo", address=proxy, headers=first) == 303
        assert await post_join(served, "Dara", address=proxy, headers=same) == 303
        assert await post_join(served, "Eve", address=proxy, headers=same) == 429
        assert await post_join(served, "Eve", address=proxy, headers=via("2001:db8:1:3::1")) == 303
        # a header from an address that is not the proxy counts for nothing
        liar = "127.0.6.1"
        spoofed = [
            await post_join(served, f"S{n}", address=liar, headers=via(f"203.0.113.{n + 10}"))
            for n in range(3)
        ]
        assert spoofed == [303, 303, 429]
    finally:
        served.stop()
    told = "".join(served.log)  # the teacher is told, once, of an address that forwards
    assert told.count("127.0.6.1 forwards requests (X-Forwarded-For)") == 1
    assert "start with --trusted-proxy 127.0.6.1" in told
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"  # IPv4 in IPv6 clothing is IPv4
    assert client_key("2001:db8::1") == client_key("2001:db8::abcd:1") == "2001:db8::/64"
    assert client_key("fe80::1%eth0") == "fe80::/64"


# --- the HTTP layer -------------------------------------------------------------------------


async def test_half_sent_headers_past_the_file_limit_neither_crash_the_server_nor_last(
    tmp_path: Path,
) -> None:
    served = await asyncio.to_thread(
        Served, tmp_path / "class", "--max-students", "4", "--grace", "2", files=128
    )
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        for number in range(300):  # past the 128 files the server may open
            address = ATTACKER if number < 100 else loopback(100 + number % 20)
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", served.port, local_addr=(address, 0)
            )
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append((reader, writer))
        await asyncio.sleep(1)
        assert served.process.poll() is None

        # every connection is closed by the server: refused at once, or at the header timeout
        async def closed(reader: asyncio.StreamReader) -> bool:
            try:
                return await asyncio.wait_for(reader.read(), HEADER_SECONDS + 10) == b""
            except ConnectionError:
                return True
            except TimeoutError:
                return False

        assert all(await asyncio.gather(*(closed(reader) for reader, _ in held)))
        assert served.process.poll() is None

        await reaches_the_title_screen(served, "Ana", loopback(1))
    finally:
        for _, writer in held:
            writer.close()
        served.stop()
    log = "".join(served.log)
    assert "Traceback" not in log
    assert "refused a connection from" in log


async def test_one_address_holds_a_bounded_number_of_connections(served: Served) -> None:
    held = []
    try:
        for _ in range(CONNECTIONS_PER_ADDRESS + 10):
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", served.port, local_addr=(ATTACKER, 0)
            )
            writer.write(b"GET / HTTP/1.1\r\n")
            held.append((reader, writer))

        def refused() -> int:
            return sum(reader.at_eof() or reader.exception() is not None for reader, _ in held)

        deadline = time.monotonic() + HEADER_SECONDS / 2  # before the held ones time out
        while refused() < 10 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        assert refused() == 10  # closed as they arrived; the first 24 are held
        assert await post_join(served, "Ana", address=loopback(1)) == 303  # others get in
    finally:
        for _, writer in held:
            writer.close()


async def test_a_malformed_request_flood_neither_floods_the_log_nor_stops_a_student(
    served: Served,
) -> None:
    """While one address floods the server with malformed requests, a student's every key
    still opens its screen (how fast is for benchmarks/, never a timed assertion here), and the
    log stays bounded."""
    student = Student(served.base, "Ana", address=loopback(1))

    async def keys(count: int) -> int:
        """Press keys that open a screen and wait for each screen (bounded); how many."""
        opened = 0
        for _ in range(count):
            for key, marker in (("?", "How to play"), ("\x1b", "F L A S H P O I N T")):
                start = len(student.output)
                await student.press(key)
                while marker not in drawn(bytes(student.output[start:])):
                    student.changed.clear()
                    await asyncio.wait_for(student.changed.wait(), 30)
                opened += 1
                await asyncio.sleep(0.05)
        return opened

    sent = [0]

    async def flood(stop: asyncio.Event) -> None:
        while not stop.is_set() and sent[0] < 3000:
            await raw(served.port, b"GET /\x00\x01 HTTP/1.1\r\nHost: \xff\r\n\r\n", seconds=1)
            sent[0] += 1
            await asyncio.sleep(0.01)

    try:
        assert await student.join(served.code) == 303
        await student.connect()
        await student.wait_for("New round")
        stop = asyncio.Event()
        flooding = asyncio.create_task(flood(stop))
        while not flooding.done() and sent[0] < 100:
            await asyncio.sleep(0.05)  # bounded: the flood stops at 3000 requests
        opened = await keys(10)
        flooded = not flooding.done()  # the keys were answered while the flood went on
        stop.set()
        await flooding
    finally:
        await student.close()
    assert opened == 20 and flooded and sent[0] > 100
    log = "".join(served.log)
    assert "Traceback" not in log
    assert len(served.log) < 200  # one line each, and at most 120 a minute


async def test_late_bodies_get_no_more_guesses_than_the_limit(served: Served) -> None:
    body = b"code=WRONG1&name=Guess"
    head = (
        f"POST /join HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nOrigin: {served.base}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    streams = []
    for _ in range(20):  # every request's headers first, its body later
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", served.port, local_addr=(ATTACKER, 0)
        )
        writer.write(head)
        streams.append((reader, writer))
    await asyncio.sleep(0.5)
    for _, writer in streams:
        writer.write(body)
    answers = await asyncio.gather(*(reader.read() for reader, _ in streams))
    for _, writer in streams:
        writer.close()
    statuses = [int(answer.split(b" ", 2)[1]) for answer in answers]
    assert statuses.count(403) == 10  # a code was checked: exactly the limit
    assert statuses.count(429) == 10
    assert await post_join(served, "Guess", served.code) == 429  # locked out for the minute


async def test_a_form_that_never_arrives_is_timed_out(served: Served) -> None:
    head = (
        f"POST /join HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nOrigin: {served.base}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncode="
    ).encode()
    answer = await raw(served.port, head, seconds=30)
    assert answer.startswith(b"HTTP/1.1 408")


async def test_a_page_on_another_domain_cannot_reach_the_class(served: Served) -> None:
    evil = f"evil.example:{served.port}"
    answer = await raw(served.port, f"GET / HTTP/1.1\r\nHost: {evil}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 421")
    status = await post_join(served, "Mallory", headers={"Host": evil, "Origin": f"http://{evil}"})
    assert status == 421
    assert student_folders(served) == []
    upgrade = (
        f"GET /ws HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    ).encode()
    assert (await raw(served.port, upgrade)).startswith(b"HTTP/1.1 421")
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "127.0.0.1"):
        answer = await raw(served.port, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 200"), host


async def test_every_answer_carries_the_security_headers(served: Served) -> None:
    host = f"Host: 127.0.0.1:{served.port}\r\n"
    requests = {
        "page": f"GET / HTTP/1.1\r\n{host}\r\n",
        "redirect": f"GET /play HTTP/1.1\r\n{host}\r\n",
        "not found": f"GET /nothing HTTP/1.1\r\n{host}\r\n",
        "expired download": f"GET /download/nothing HTTP/1.1\r\n{host}\r\n",
        "forbidden": f"GET /ws HTTP/1.1\r\n{host}\r\n",
        "malformed": "GET /\x00 HTTP/1.1\r\nHost: \x01\r\n\r\n",
        "wrong host": "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n",
        "static": f"GET /static/css/xterm.css HTTP/1.1\r\n{host}\r\n",
    }
    for what, request in requests.items():
        answer = (await raw(served.port, request.encode())).decode("latin-1")
        head = answer.split("\r\n\r\n", 1)[0].lower()
        assert "content-security-policy: default-src 'self'" in head, what
        assert "x-content-type-options: nosniff" in head, what
        assert "x-frame-options: deny" in head, what
        assert "referrer-policy: same-origin" in head, what


# --- one game per seat ----------------------------------------------------------------------


async def test_websocket_churn_runs_at_most_one_game_per_seat(served: Served) -> None:
    student = Student(served.base, "Ana", address=loopback(1))
    most = 0
    sampling = True

    ana = folder_of(served).resolve() / "students" / student_id("Ana")

    async def sample() -> None:
        nonlocal most
        while sampling:
            most = max(most, len(games_of_class(ana)))
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    try:
        assert await student.join(served.code) == 303
        assert student.session is not None
        url = served.base.replace("http", "ws", 1) + "/ws"

        async def open_and_drop() -> None:
            try:
                socket = await student.session.ws_connect(url, origin=served.base)  # type: ignore[union-attr]
                await socket.close()
            except aiohttp.WSServerHandshakeError:
                pass  # refused while a tab waits for the game to stop

        for _ in range(5):  # bursts of 20 at once, then one by one
            await asyncio.gather(*(open_and_drop() for _ in range(20)))
        for _ in range(20):
            await open_and_drop()
        await reaches_the_title_screen(served, "Ben", loopback(2))  # the class plays on
    finally:
        await student.close()
        await asyncio.sleep(0.5)
        sampling = False
        await sampler
    assert most == 1
    started = [line for line in served.log if line.startswith("Ana: game started")]
    assert 1 <= len(started) <= GAMES_PER_MINUTE
    assert "Ana: refused a game (6 started this minute)" in "".join(served.log)
    assert [line for line in served.log if "Error" in line or "Exception" in line] == []
    assert games(served) == [] or await asyncio.to_thread(_none_after, served, 15)


def _none_after(served: Served, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while games(served) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not games(served)


async def test_a_second_tab_takes_the_same_game_over(served: Served) -> None:
    first = Student(served.base, "Ana", address=loopback(1))
    try:
        assert await first.join(served.code) == 303
        await first.connect()
        await first.wait_for("New round")
        (game,) = games(served)
        await asyncio.sleep(1.5)  # the game has drawn everything and is idle
        second = Student(served.base, "Ana", address=loopback(1))  # the same size
        second.session = first.session  # the same browser, a second tab
        await second.connect()
        await second.wait_for("New round")  # the same game drew its screen again
        assert games(served) == [game]
        await asyncio.sleep(0.5)
        assert first.closed
        await second.press("?")
        await second.wait_for("How to play")
    finally:
        await first.close()


async def test_a_deeply_nested_message_is_ignored_without_a_traceback(served: Served) -> None:
    student = Student(served.base, "Ana", address=loopback(1))
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        _, at = await student.wait_for("New round")
        assert student.socket is not None
        await student.socket.send_str("[" * 60000)
        await student.press("?")
        await student.wait_for("How to play", after=at)  # the game goes on
    finally:
        await student.close()
    assert "Traceback" not in "".join(served.log)
    assert "RecursionError" not in "".join(served.log)


@pytest.mark.parametrize("when", ["starting", "running", "stopping"])
def test_no_game_outlives_the_server_after_ctrl_c(tmp_path: Path, when: str) -> None:
    served = Served(tmp_path / "class", "--grace", "3")
    folder = tmp_path / "class"

    async def scenario() -> None:
        students = [Student(served.base, f"S{n}", address=loopback(n)) for n in range(3)]
        for student in students:
            assert await student.join(served.code) == 303
        if when == "starting":
            await asyncio.gather(*(student.connect() for student in students))
        else:
            for student in students:
                await student.connect()
                await student.wait_for("New round")
        assert games_of_class(folder)
        if when == "stopping":  # tabs closed: their games are stopping as the server is told to
            for student in students:
                await student.close()
        served.process.send_signal(signal.SIGINT)
        await asyncio.to_thread(served.process.wait, 30)
        for student in students:
            await student.close()

    asyncio.run(scenario())
    assert served.process.returncode == 0
    assert games_left_after(folder, 5) == []


# --- names ----------------------------------------------------------------------------------


async def test_a_name_like_an_option_is_a_name(served: Served) -> None:
    await reaches_the_title_screen(served, "--help", loopback(1))  # its game started
    (seat,) = ClassFolder.read(folder_of(served)).students()
    assert seat.name == "--help"


async def test_a_name_like_an_option_is_a_name_in_a_match_too(tmp_path: Path) -> None:
    served = await asyncio.to_thread(
        Served, tmp_path / "class", "--matches", "--page", "terminal", "--grace", "1"
    )
    student = Student(served.base, "--help", address=loopback(1))
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        _, at = await student.wait_for("New match as")
        await student.wait_for("--help", after=at - 200)  # the start screen, the name filled in
    finally:
        await student.close()
        served.stop()


async def test_a_look_alike_name_is_refused_and_a_full_width_one_is_the_same_student(
    served: Served,
) -> None:
    assert await post_join(served, "Ana Lima", address=loopback(1)) == 303
    cyrillic = "\u0410na Lima"  # Cyrillic capital A
    greek = "\u0391na Lima"  # Greek capital Alpha
    assert skeleton(cyrillic) == skeleton(greek) == skeleton("ana lima")
    assert await post_join(served, cyrillic, address=loopback(2)) == 409
    assert await post_join(served, greek, address=loopback(3)) == 409
    full_width = "\uff21\uff4e\uff41 Lima"  # the same student: her seat, in another browser,
    assert await post_join(served, full_width, address=loopback(4)) == 403  # needs her PIN
    assert await post_join(served, "Anna Lima", address=loopback(5)) == 303
    names = sorted(s.name for s in ClassFolder.read(folder_of(served)).students())
    assert names == ["Ana Lima", "Anna Lima"]
    connector = aiohttp.TCPConnector(local_addr=(loopback(2), 0))
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.post(
            f"{served.base}/join",
            data={"code": served.code, "name": cyrillic},
            headers={"Origin": served.base},
        ) as response,
    ):
        assert "looks the same as Ana Lima" in await response.text()


async def test_host_colons_announces_addresses_that_work(tmp_path: Path) -> None:
    """``--host ::`` listens on IPv6 and IPv4 alike; every address it announces is one of
    this computer's own (connecting to it never leaves the machine) and answers."""
    served = await asyncio.to_thread(Served, tmp_path / "class", "--host", "::")
    try:
        announced = [
            line.split("Students open:", 1)[1].strip()
            for line in served.banner
            if "Students open:" in line
        ]
        assert announced
        bases = [*announced, f"http://127.0.0.1:{served.port}/", f"http://[::1]:{served.port}/"]
        for base in bases:
            async with aiohttp.ClientSession() as session, session.get(base) as response:
                assert response.status == 200, base
    finally:
        served.stop()


async def test_the_debrief_download_carries_the_security_headers(tmp_path: Path) -> None:
    scenario = Path(__file__).parent / "data" / "mini" / "strait.yaml"
    served = await asyncio.to_thread(Served, tmp_path / "class", str(scenario), "--grace", "2")
    student = Student(served.base, "Ana", address=loopback(1))
    try:
        assert await student.join(served.code) == 303
        await student.connect()
        await student.play_round([])
        await student.press("e")
        deadline = time.monotonic() + 20
        while not any(m[0] == "deliver_file_start" for m in student.messages):  # type: ignore[index]
            assert time.monotonic() < deadline, "the debrief was never delivered"
            await asyncio.sleep(0.1)
        (key,) = [m[1] for m in student.messages if m[0] == "deliver_file_start"]  # type: ignore[index]
        assert student.session is not None
        async with student.session.get(f"{served.base}/download/{key}") as response:
            assert response.status == 200
            assert "Debrief" in await response.text()
            headers = response.headers
    finally:
        await student.close()
        served.stop()
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


async def test_what_a_failing_game_prints_goes_to_its_folder_not_the_log(tmp_path: Path) -> None:
    served = await asyncio.to_thread(
        Served, tmp_path / "class", "--matches", "--page", "terminal", "--grace", "1"
    )
    student = Student(served.base, "Ana", address=loopback(1))
    try:
        assert await student.join(served.code) == 303
        (tmp_path / "class" / "matches.sqlite").write_bytes(b"garbage" * 1000)
        await student.connect()
        deadline = time.monotonic() + 20
        while "reported an error" not in "".join(served.log):
            assert time.monotonic() < deadline, "".join(served.log)
            await asyncio.sleep(0.1)
    finally:
        await student.close()
        served.stop()
    (seat,) = ClassFolder.read(folder_of(served)).students()
    assert "matches.sqlite" in (seat.folder / "game-errors.log").read_text()
    log = "".join(served.log)
    assert "matches.sqlite" not in log and "Traceback" not in log


def test_a_game_whose_server_is_killed_records_its_round_and_ends(tmp_path: Path) -> None:
    served = Served(tmp_path / "class", "--grace", "2")
    folder = tmp_path / "class"

    async def scenario() -> None:
        student = Student(served.base, "Ana", address=loopback(1))
        try:
            assert await student.join(served.code) == 303
            await student.connect()
            _, at = await student.wait_for("New round")
            await student.press("\r")
            _, at = await student.wait_for("Press Enter to start", after=at)
            await student.press("\r")
            await student.wait_for("What do you decide?", after=at)
            assert games_of_class(folder)
            served.process.kill()  # no Ctrl+C: nothing of the server's runs any more
            served.process.wait(10)
        finally:
            await student.close()

    asyncio.run(scenario())
    assert games_left_after(folder, 20) == []
    (seat,) = ClassFolder.read(folder).students()
    records = [json.loads(p.read_text()) for p in seat.store.results.glob("*.json")]
    assert [r["status"] for r in records] == ["abandoned"]


def test_the_server_raises_its_open_file_limit_to_the_hard_limit(tmp_path: Path) -> None:
    served = Served(tmp_path / "class", files=(64, 2048))
    try:
        limits = Path(f"/proc/{served.process.pid}/limits").read_text().splitlines()
    finally:
        served.stop()
    (files,) = [line.split()[3:5] for line in limits if line.startswith("Max open files")]
    assert files == ["2048", "2048"]


def test_a_teacher_is_told_when_the_file_limit_is_too_low_for_the_class(tmp_path: Path) -> None:
    served = Served(tmp_path / "class", "--max-students", "40", files=256)  # macOS's default
    served.stop()
    told = "".join(served.banner)
    assert "the server open only 256 files: at most 32 connections" in told
