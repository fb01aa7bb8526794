"""A class on the HTML class page, simulated: ``python -m benchmarks.page_load [N ...]``.

Starts the installed ``flashpoint serve`` (the class page) on loopback, with the class in a
class folder or (``--database``) in a PostgreSQL server started for the run in a temporary
folder (tests/pg_server.py's), then N simulated students, each from a loopback address of
their own, join evenly over ``--spread`` seconds and play a whole round over HTTP as a browser
without JavaScript does: the join form, the home page, a role's button, then for each decision
the decision page, the confirm page, the confirm (a redirect) and the outcome, and the
debrief. Before each request a student reads for a while: ``--think`` seconds on average,
drawn evenly between half and one and a half times that (seeded, the same in every run), so
that requests arrive unevenly, as a class's do.

Every request is timed from its first byte sent (or its connection opened) until its whole
answer is read, by a light client (:mod:`benchmarks.http_client`) whose own CPU time is
reported: it shares the cores with the server. Reported per N: failures, the requests'
median, p95 and p99 (and the p95 of each kind of request), the server's peak resident memory
(sampled every 0.25 s; there are no game processes), the server's CPU seconds after its
start (and the
database's, all its processes'), the client's, and the machine's load average before and at
most during the run (the machine may be shared). N = 1 is the baseline, in the same run.

Bounded: loopback only, at most ``MAX_STUDENTS`` students, ``ROUND_SECONDS`` per round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.class_load import Served, loopback, percentile, run_students, tree_cpu
from benchmarks.http_client import Answer, Browser

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
    """One simulated browser without JavaScript, with its seat cookie."""

    def __init__(self, base: str, number: int, outcome: Outcome, think: float) -> None:
        where = urlsplit(base)
        self.name = f"Student {number}"
        self.browser = Browser(where.hostname or "127.0.0.1", where.port or 80, loopback(number))
        self.outcome = outcome
        self.think = think
        self.reading = random.Random(number)

    async def ask(self, method: str, path: str, **form: str) -> Answer:
        """One request after the student's reading time, timed until its whole answer is read."""
        await asyncio.sleep(self.think * self.reading.uniform(0.5, 1.5))
        started = time.perf_counter()
        answer = await self.browser.request(method, path, form if method == "POST" else None)
        self.outcome.latencies.append(time.perf_counter() - started)
        last = path.split("?")[0].rstrip("/").split("/")[-1]
        self.outcome.kinds.append(
            "decision" if path.startswith("/round/") and "/" not in path[7:] else last
        )
        if answer.status >= 400:
            raise RuntimeError(f"{method} {path.split('/')[-1]}: {answer.status}")
        return answer

    async def play(self, code: str) -> None:
        await self.ask("POST", "/join", code=code, name=self.name)
        await self.ask("GET", "/play")
        started = await self.ask("POST", "/start", role="iran_pakistan_2024:pakistan")
        round_url = started.headers.get("location", "")
        while True:
            shown = await self.ask("GET", round_url)
            if shown.status == 303:
                where = shown.headers.get("location", "")
                assert where.endswith("/debrief"), where
                await self.ask("GET", where)
                return
            choice = CHOICE.findall(shown.text)[self.outcome.decisions % 2]
            confirm = await self.ask("GET", f"{round_url}/confirm?choice={choice}")
            (count,) = COUNT.findall(confirm.text)
            await self.ask("POST", f"{round_url}/decide", choice=choice, count=count, reason="ok")
            await self.ask("GET", f"{round_url}/outcome")
            self.outcome.decisions += 1


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
        await student.browser.close()


@dataclass(frozen=True)
class Row:
    """One class size's figures."""

    students: int
    storage: str
    think: float
    failures: int
    errors: list[str]
    requests: int
    median: float
    p95: float
    p99: float
    p95_by_kind: dict[str, float]
    peak_rss_mb: float
    cpu_seconds: float
    database_cpu_seconds: float
    client_cpu_seconds: float
    load_before: float
    load_max: float

    def line(self) -> str:
        ms = [f"{value * 1000:>6.1f}ms" for value in (self.median, self.p95, self.p99)]
        per_request = 1000 * (self.cpu_seconds + self.database_cpu_seconds) / max(1, self.requests)
        return (
            f"{self.students:>4} {self.failures:>4} {self.requests:>8} {' '.join(ms)} "
            f"{self.peak_rss_mb:>6.0f} MB {self.cpu_seconds:>6.1f} "
            f"{self.database_cpu_seconds:>5.1f} {per_request:>5.2f}ms "
            f"{self.client_cpu_seconds:>6.1f} {self.load_before:>5.1f} {self.load_max:>5.1f}"
        )

    def kinds(self) -> str:
        return "     p95 by request: " + ", ".join(
            f"{kind} {value * 1000:.0f}ms" for kind, value in self.p95_by_kind.items()
        )


def load_average() -> float:
    """The machine's load average over the last minute."""
    return os.getloadavg()[0]


async def sample_load(peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], load_average())
        await asyncio.sleep(5.0)


async def play_class(
    served: Served, count: int, spread: float, think: float, load: list[float]
) -> tuple[list[Outcome], int]:
    sampler = asyncio.create_task(sample_load(load))
    try:
        outcomes = [Outcome() for _ in range(count)]
        return await run_students(served, outcomes, spread, think, one_student)
    finally:
        sampler.cancel()


def measure(count: int, spread: float, think: float, database: int | None, url: str) -> Row:
    """``count`` students on a server of the class folder, or (``url``) of the database whose
    server is process ``database``."""
    with tempfile.TemporaryDirectory(prefix="flashpoint-page-") as folder:
        extra = ["--max-students", str(MAX_STUDENTS)]
        if url:
            extra += ["--database", url, "--class-name", f"load{os.getpid()}x{time.time_ns()}"]
        database_cpu = tree_cpu(database) if database is not None else 0.0
        before = load_average()
        load = [before]
        served = Served(Path(folder) / "class", *extra, page="html")
        try:
            started_cpu = served.cpu()  # its start: loading the scenarios
            client_cpu = time.process_time()
            outcomes, peak = asyncio.run(play_class(served, count, spread, think, load))
            client_cpu = time.process_time() - client_cpu
            cpu = served.cpu() - started_cpu
        finally:
            served.stop()
        if database is not None:
            database_cpu = tree_cpu(database) - database_cpu
    times = [latency for o in outcomes for latency in o.latencies]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        for kind, latency in zip(o.kinds, o.latencies, strict=True):
            by_kind[kind].append(latency)
    return Row(
        students=count,
        storage="PostgreSQL" if url else "class folder",
        think=think,
        failures=sum(1 for o in outcomes if o.error),
        errors=sorted({o.error for o in outcomes if o.error})[:3],
        requests=len(times),
        median=statistics.median(times) if times else float("nan"),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
        p95_by_kind={kind: percentile(found, 0.95) for kind, found in by_kind.items()},
        peak_rss_mb=peak / 2**20,
        cpu_seconds=cpu,
        database_cpu_seconds=database_cpu,
        client_cpu_seconds=client_cpu,
        load_before=before,
        load_max=load[0],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1, 100, 300])
    parser.add_argument(
        "--spread", type=float, default=30.0, help="students join over this many s (default 30)"
    )
    parser.add_argument(
        "--think", type=float, default=5.0, help="mean seconds before each request (default 5)"
    )
    parser.add_argument(
        "--database",
        action="store_true",
        help="keep the class in a PostgreSQL server started for the run (Debian's binaries)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per N")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one socket per student
    server = None
    if args.database:
        from tests import pg_server

        server = pg_server.start()
    where = "PostgreSQL (a server started for the run)" if server else "the class folder"
    print(
        f"students join evenly over {args.spread:g} s and play a whole round over HTTP, "
        f"{args.think:g} s on average before each request; the class in {where}"
    )
    print(
        f"{'N':>4} {'fail':>4} {'requests':>8} {'median':>8} {'p95':>8} {'p99':>8} "
        f"{'peak RSS':>9} {'CPU s':>6} {'DB s':>5} {'CPU/req':>7} {'client':>6} "
        f"{'load':>5} {'max':>5}"
    )
    try:
        for count in args.counts:
            count = max(1, min(count, MAX_STUDENTS))
            row = measure(
                count,
                args.spread if count > 1 else 0.0,
                args.think,
                server.process.pid if server else None,
                server.url if server else "",
            )
            print(json.dumps(asdict(row)) if args.json else row.line(), flush=True)
            if not args.json:
                print(row.kinds())
                for error in row.errors:
                    print(f"     {error}")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
