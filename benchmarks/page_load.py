"""A class on the HTML class page, simulated: ``python -m benchmarks.page_load [N ...]``.

Starts the installed ``flashpoint serve`` (the class page) on loopback, then N simulated
students, each from a loopback address of their own, join evenly over ``--spread`` seconds and
play a whole round over HTTP as a browser without JavaScript does: the join form, the home
page, a role's button, then for each decision the decision page, the confirm page, the
confirm (a redirect) and the outcome, and the debrief. Every request is timed (until its whole
answer is read); ``--think`` seconds pass before each. Reported per N: failures, the requests'
median, p95 and p99, the server's peak resident memory (sampled every 0.25 s; there are no
game processes) and its CPU seconds. N = 1 is the baseline, in the same run.

Bounded: loopback only, at most ``MAX_STUDENTS`` students, ``ROUND_SECONDS`` per round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.class_load import Served, loopback, percentile, run_students

MAX_STUDENTS = 500
ROUND_SECONDS = 600.0
CHOICE = re.compile(r'name="choice" value="([^"]+)"')
COUNT = re.compile(r'name="count" value="(\d+)"')


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    """What each request asked for (join, play, start, decision, confirm, decide, ...)."""
    decisions: int = 0
    error: str = ""


class Student:
    """One simulated browser without JavaScript: a session with its seat cookie."""

    def __init__(self, base: str, number: int, outcome: Outcome, think: float) -> None:
        self.base = base
        self.name = f"Student {number}"
        self.address = loopback(number)
        self.outcome = outcome
        self.think = think
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            # an idle connection is let go before the server's 10 s limit closes it, so that
            # no request is sent on a connection the server is closing (browsers retry those)
            connector=aiohttp.TCPConnector(local_addr=(self.address, 0), keepalive_timeout=5),
        )

    async def ask(self, method: str, path: str, **form: str) -> tuple[int, str, str]:
        """One request, timed until its whole answer is read: (status, page, redirect)."""
        await asyncio.sleep(self.think)
        started = time.perf_counter()
        async with self.session.request(
            method,
            self.base + path,
            data=form or None,
            headers={"Origin": self.base} if method == "POST" else None,
            allow_redirects=False,
        ) as response:
            page = await response.text()
        self.outcome.latencies.append(time.perf_counter() - started)
        last = path.split("?")[0].rstrip("/").split("/")[-1]
        self.outcome.kinds.append(
            "decision" if path.startswith("/round/") and "/" not in path[7:] else last
        )
        if response.status >= 400:
            raise RuntimeError(f"{method} {path.split('/')[-1]}: {response.status}")
        return response.status, page, response.headers.get("Location", "")

    async def play(self, code: str) -> None:
        await self.ask("POST", "/join", code=code, name=self.name)
        await self.ask("GET", "/play")
        _, _, round_url = await self.ask("POST", "/start", role="iran_pakistan_2024:pakistan")
        while True:
            status, page, where = await self.ask("GET", round_url)
            if status == 303:
                assert where.endswith("/debrief"), where
                await self.ask("GET", where)
                return
            choice = CHOICE.findall(page)[self.outcome.decisions % 2]
            _, confirm, _ = await self.ask("GET", f"{round_url}/confirm?choice={choice}")
            (count,) = COUNT.findall(confirm)
            await self.ask("POST", f"{round_url}/decide", choice=choice, count=count, reason="ok")
            await self.ask("GET", f"{round_url}/outcome")
            self.outcome.decisions += 1

    async def close(self) -> None:
        await self.session.close()


async def one_student(
    served: Served, number: int, outcome: Outcome, delay: float, think: float
) -> None:
    await asyncio.sleep(delay)
    student = Student(served.base, number, outcome, think)
    try:
        await asyncio.wait_for(student.play(served.code), ROUND_SECONDS)
    except Exception as error:  # every failure is counted and reported, none stops the run
        outcome.error = f"{type(error).__name__}: {error}"[:300]
    finally:
        await student.close()


@dataclass(frozen=True)
class Row:
    """One class size's figures."""

    students: int
    failures: int
    errors: list[str]
    requests: int
    median: float
    p95: float
    p99: float
    peak_rss_mb: float
    cpu_seconds: float

    def line(self) -> str:
        ms = [f"{value * 1000:>6.1f}ms" for value in (self.median, self.p95, self.p99)]
        return (
            f"{self.students:>4} {self.failures:>4} {self.requests:>8} {' '.join(ms)} "
            f"{self.peak_rss_mb:>6.0f} MB {self.cpu_seconds:>6.1f}"
        )


def measure(count: int, spread: float, think: float) -> Row:
    with tempfile.TemporaryDirectory(prefix="flashpoint-page-") as folder:
        served = Served(Path(folder) / "class", "--max-students", str(MAX_STUDENTS), page="html")
        try:
            outcomes, peak = asyncio.run(
                run_students(served, [Outcome() for _ in range(count)], spread, think, one_student)
            )
            cpu = served.cpu()
        finally:
            served.stop()
    times = [latency for o in outcomes for latency in o.latencies]
    return Row(
        students=count,
        failures=sum(1 for o in outcomes if o.error),
        errors=sorted({o.error for o in outcomes if o.error})[:3],
        requests=len(times),
        median=statistics.median(times) if times else float("nan"),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
        peak_rss_mb=peak / 2**20,
        cpu_seconds=cpu,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1, 100, 300])
    parser.add_argument(
        "--spread", type=float, default=30.0, help="students join over this many s (default 30)"
    )
    parser.add_argument(
        "--think", type=float, default=2.0, help="seconds before each request (default 2)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per N")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one socket per student
    print(
        f"students join evenly over {args.spread:g} s and play a whole round over HTTP, "
        f"{args.think:g} s before each request"
    )
    print(
        f"{'N':>4} {'fail':>4} {'requests':>8} {'median':>8} {'p95':>8} {'p99':>8} "
        f"{'peak RSS':>9} {'CPU s':>6}"
    )
    for count in args.counts:
        count = max(1, min(count, MAX_STUDENTS))
        row = measure(count, args.spread if count > 1 else 0.0, args.think)
        print(json.dumps(asdict(row)) if args.json else row.line(), flush=True)
        for error in [] if args.json else row.errors:
            print(f"     {error}")


if __name__ == "__main__":
    main()
