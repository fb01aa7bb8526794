"""A class in the browser, simulated: ``python -m benchmarks.class_load [N ...]``.

Starts the installed ``flashpoint serve`` on loopback, then N simulated students join at
once: each posts the class code and a name, opens the WebSocket with textual-serve's
protocol (as the page's script does), waits for the title screen, and plays a whole round by
keys. Reported per N: first-screen and key-to-screen percentiles, total memory of the server
and every game process (peak RSS, sampled), CPU seconds, and failures. N = 1 is the baseline:
one student alone on the same machine, in the same run.

Bounded: loopback only, at most ``MAX_STUDENTS`` students, ``ROUND_SECONDS`` per round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

MAX_STUDENTS = 40
Result = TypeVar("Result")
ROUND_SECONDS = 300.0
STEP_SECONDS = 30.0
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


class Timeout(Exception):
    """A screen never showed what was expected."""


def drawn(raw: bytes) -> str:
    """What a stream of terminal output shows, escape sequences removed."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


def first_marker(text: str, markers: tuple[str, ...], after: int) -> tuple[str, int] | None:
    """The first of ``markers`` found in ``text`` past ``after``: (marker, end offset)."""
    for marker in markers:
        found = text.find(marker, after)
        if found >= 0:
            return marker, found + len(marker)
    return None


@dataclass
class Student:
    """One simulated student: an HTTP session with their seat cookie and their WebSocket."""

    base: str
    name: str
    size: tuple[int, int] = (100, 30)
    output: bytearray = field(default_factory=bytearray)
    text_cache: tuple[int, str] = (0, "")
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    session: aiohttp.ClientSession | None = None
    socket: aiohttp.ClientWebSocketResponse | None = None
    reader: asyncio.Task[None] | None = None
    closed: bool = False
    messages: list[object] = field(default_factory=list)
    address: str | None = None
    """The loopback address this student connects from (each student of a class has their
    own: the server counts connections and names per address)."""
    page: str = ""
    """The last page the join form answered with."""

    @property
    def origin(self) -> str:
        return self.base.rstrip("/")

    async def join(self, code: str, pin: str = "") -> int:
        """Post the code and name (and a resume PIN) as the join form does; the HTTP status of
        the answer (its page is kept in ``page``)."""
        if self.session is None:
            jar = aiohttp.CookieJar(unsafe=True)  # keeps cookies of an IP address
            local = (self.address, 0) if self.address else None
            connector = aiohttp.TCPConnector(local_addr=local)
            self.session = aiohttp.ClientSession(cookie_jar=jar, connector=connector)
        async with self.session.post(
            f"{self.origin}/join",
            data={"code": code, "name": self.name, "pin": pin},
            headers={"Origin": self.origin},
            allow_redirects=False,
        ) as response:
            self.page = await response.text()
            return response.status

    async def connect(self, width: int | None = None, height: int | None = None) -> None:
        """Open the game's WebSocket (raises aiohttp.WSServerHandshakeError if refused)."""
        assert self.session is not None
        columns, rows = width or self.size[0], height or self.size[1]
        url = self.origin.replace("http", "ws", 1) + f"/ws?width={columns}&height={rows}"
        self.socket = await self.session.ws_connect(url, origin=self.origin, max_msg_size=0)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.socket is not None
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output.extend(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
            self.changed.set()
        self.closed = True
        self.changed.set()

    def text(self) -> str:
        """Everything drawn so far, escape sequences removed."""
        if self.text_cache[0] != len(self.output):
            raw = bytes(self.output)
            self.text_cache = (len(raw), drawn(raw))
        return self.text_cache[1]

    async def wait_for(
        self, *markers: str, after: int = 0, seconds: float = STEP_SECONDS
    ) -> tuple[str, int]:
        """Wait until one of ``markers`` is drawn past offset ``after``: (marker, end offset)."""
        deadline = time.monotonic() + seconds
        while True:
            text = self.text()
            if (found := first_marker(text, markers, after)) is not None:
                return found
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise Timeout(f"{self.name}: never drew {markers!r}; last {text[-300:]!r}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                continue

    async def press(self, keys: str) -> None:
        assert self.socket is not None
        await self.socket.send_str(json.dumps(["stdin", keys]))

    async def send(self, envelope: object) -> None:
        assert self.socket is not None
        await self.socket.send_str(json.dumps(envelope))

    async def play_round(self, latencies: list[float], think: float = 0.0) -> None:
        """From the title screen to the debrief, choosing the first option each time, after
        ``think`` seconds on each screen."""

        async def key(keys: str, *markers: str, after: int) -> tuple[str, int]:
            await asyncio.sleep(think)
            started = time.perf_counter()
            await self.press(keys)
            found = await self.wait_for(*markers, after=after)
            latencies.append(time.perf_counter() - started)
            return found

        _, at = await self.wait_for("New round")
        _, at = await key("\r", "Press Enter to start", after=at)
        marker, at = await key("\r", "What do you decide?", after=at)
        while marker != "Debrief:":
            _, at = await key("1", "your reasoning", after=at)
            _, at = await key("\r", "Continue (Enter)", "⏎ Continue", after=at)
            marker, at = await key("\r", "What do you decide?", "Debrief:", after=at)

    async def close_tab(self) -> None:
        """Close the game's tab; the browser (its seat cookie) stays."""
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            self.reader.cancel()
        self.socket, self.reader, self.closed = None, None, False
        self.output.clear()
        self.text_cache = (0, "")

    async def close(self) -> None:
        await self.close_tab()
        if self.session is not None:
            await self.session.close()


@dataclass
class Outcome:
    """What one student met."""

    first_screen: float | None = None
    latencies: list[float] = field(default_factory=list)
    error: str = ""


def _file_limit(files: int | tuple[int, int]) -> None:
    """In the server's process before it starts: at most ``files`` open files (a number for
    both limits, or (soft, hard)), so a test reaches the limit in hundreds of connections."""
    import resource

    resource.setrlimit(
        resource.RLIMIT_NOFILE, files if isinstance(files, tuple) else (files, files)
    )


def loopback(number: int) -> str:
    """A loopback address of its own for student ``number`` (all of 127/8 is this machine)."""
    return f"127.0.{number // 200 + 1}.{number % 200 + 2}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def tree(root: int) -> list[int]:
    """Process ``root`` and every process below it."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds of process ``root``, of the children it has reaped, and of every process
    still running below it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for number, pid in enumerate(tree(root)):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = int(fields[11]) + int(fields[12])
        if number == 0:
            used += int(fields[13]) + int(fields[14])
        total += used / ticks
    return total


class Served:
    """The installed ``flashpoint serve`` in a process of its own, on a free loopback port
    (the terminal page unless ``page`` says "html")."""

    def __init__(
        self,
        folder: Path,
        *extra: str,
        files: int | tuple[int, int] | None = None,
        page: str = "terminal",
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        beside = Path(sys.executable).parent / "flashpoint"  # this environment's install
        command = str(beside) if beside.exists() else shutil.which("flashpoint") or "flashpoint"
        self.process = subprocess.Popen(
            [
                command,
                "serve",
                "--port",
                str(self.port),
                "--class-folder",
                str(folder),
                "--page",
                page,
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=None if files is None else lambda: _file_limit(files),
        )
        self.code = ""
        self.banner: list[str] = []
        """What the server printed when it opened the class."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.banner.append(line)
            if "Class code:" in line:
                self.code = line.split(":", 1)[1].strip()
            if line.startswith("Press Ctrl+C"):
                break
        if not self.code:
            self.stop()
            raise RuntimeError("flashpoint serve did not start")
        self.log: list[str] = []
        """What the server printed after it started (read all along, so it never blocks)."""
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def tree(self) -> list[int]:
        """The server and every process below it."""
        return tree(self.process.pid)

    def rss(self) -> int:
        """Resident memory of the whole tree, in bytes."""
        total = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def cpu(self) -> float:
        """CPU seconds of the server and of the games it has reaped and still runs."""
        return tree_cpu(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


async def one_student(
    served: Served, number: int, outcome: Outcome, delay: float, think: float
) -> None:
    await asyncio.sleep(delay)
    student = Student(served.base, f"Student {number}", address=loopback(number))
    try:
        started = time.perf_counter()
        status = await student.join(served.code)
        if status != 303:
            raise RuntimeError(f"join answered {status}")
        await student.connect()
        await student.wait_for("New round")
        outcome.first_screen = time.perf_counter() - started
        await asyncio.wait_for(student.play_round(outcome.latencies, think), ROUND_SECONDS)
    except Exception as error:  # every failure is counted and reported, none stops the run
        outcome.error = f"{type(error).__name__}: {error}"[:300]
    finally:
        await student.close()


async def run_class(
    served: Served, count: int, spread: float, think: float
) -> tuple[list[Outcome], int]:
    """``count`` students joining evenly over ``spread`` seconds (0: all at once)."""
    return await run_students(served, [Outcome() for _ in range(count)], spread, think, one_student)


async def run_students(
    served: Served,
    outcomes: list[Result],
    spread: float,
    think: float,
    student: Callable[[Served, int, Result, float, float], Coroutine[Any, Any, None]],
) -> tuple[list[Result], int]:
    """One ``student`` per outcome, joining evenly over ``spread`` seconds; the outcomes and
    the server's peak memory (sampled every 0.25 s)."""
    count = len(outcomes)
    peak = 0
    tasks = [
        asyncio.create_task(student(served, n, o, spread * n / count, think))
        for n, o in enumerate(outcomes)
    ]
    while not all(task.done() for task in tasks):
        peak = max(peak, served.rss())
        await asyncio.sleep(0.25)
    return outcomes, peak


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def measure(count: int, spread: float, think: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="flashpoint-class-") as folder:
        served = Served(Path(folder) / "class", "--max-students", str(MAX_STUDENTS))
        try:
            outcomes, peak = asyncio.run(run_class(served, count, spread, think))
            time.sleep(1.0)
            cpu = served.cpu()
        finally:
            served.stop()
    firsts = [o.first_screen for o in outcomes if o.first_screen is not None]
    keys = [latency for o in outcomes for latency in o.latencies]
    return {
        "students": count,
        "spread": spread,
        "think": think,
        "failures": sum(1 for o in outcomes if o.error),
        "errors": sorted({o.error for o in outcomes if o.error})[:3],
        "first_screen_median": statistics.median(firsts) if firsts else float("nan"),
        "first_screen_max": max(firsts) if firsts else float("nan"),
        "key_median": percentile(keys, 0.5),
        "key_p99": percentile(keys, 0.99),
        "keys": len(keys),
        "peak_rss_mb": peak / 2**20,
        "cpu_seconds": cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1, 5, 15, 30])
    parser.add_argument(
        "--spread",
        type=float,
        default=10.0,
        help="students join evenly over this many seconds (default 10; 0: all at once)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="seconds each student waits before each key (default 3; 0: as fast as possible)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per N")
    args = parser.parse_args()
    print(
        f"students join evenly over {args.spread:g} s, then each plays a whole round, "
        f"{args.think:g} s before each key"
    )
    print(
        f"{'N':>3} {'fail':>4} {'first med':>9} {'first max':>9} {'key med':>8} {'key p99':>8} "
        f"{'peak RSS':>9} {'CPU s':>6}"
    )
    for count in args.counts:
        count = max(1, min(count, MAX_STUDENTS))
        row = measure(count, args.spread if count > 1 else 0.0, args.think)
        if args.json:
            print(json.dumps(row), flush=True)
            continue
        print(
            f"{count:>3} {row['failures']:>4} {row['first_screen_median']:>8.2f}s "
            f"{row['first_screen_max']:>8.2f}s {row['key_median']:>7.3f}s {row['key_p99']:>7.3f}s "
            f"{row['peak_rss_mb']:>6.0f} MB {row['cpu_seconds']:>6.1f}",
            flush=True,
        )
        for error in row["errors"]:  # type: ignore[attr-defined]
            print(f"    failure: {error}", flush=True)


if __name__ == "__main__":
    main()
