"""Head-to-head under load: ``python -m benchmarks.match_latency [--matches 15] [--seeds N]``.

Starts ``--matches`` matches of the flagship at once, each with two seats played by the
installed ``flashpoint match --plain`` in processes of their own (30 processes for 15
matches), all sharing one match file, as a class on one computer does. Every seat plays
history's moves. At each turn one seat moves first and waits; the other moves a moment
later. The figure is the **move-to-opponent-screen latency**: from the moment the second
move is typed to the moment the waiting seat's screen shows both moves revealed. It covers
sealing the move (one SQLite transaction), the waiting seat noticing the write (it checks the
file's ``data_version`` every 20 ms),
replaying the turn and drawing it. Reported: median, 95th percentile and maximum over every
turn of every match, and the moves lost (must be 0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")
TIMEOUT = 120.0
HISTORY = {  # choice numbers of history's moves at each turn, per seat
    "pakistan": ["2", "3", "1", "2", "3"],
    "iran": ["2", "1", "3", "1", "2"],
}
REVEALED = "Both moves revealed"


@dataclass
class Seat:
    """One seat's process and what it has printed, with the time each line arrived."""

    process: subprocess.Popen[str]
    lines: list[tuple[float, str]] = field(default_factory=list)

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line))

    def seen(self, text: str, count: int) -> float | None:
        """When ``text`` had been printed ``count`` times, if it has."""
        found = [at for at, line in self.lines if text in line]
        return found[count - 1] if len(found) >= count else None

    def wait(self, text: str, count: int = 1) -> float:
        deadline = time.monotonic() + TIMEOUT
        while (at := self.seen(text, count)) is None:
            if time.monotonic() > deadline or self.process.poll() not in (None, 0):
                printed = "".join(line for _, line in self.lines)
                raise RuntimeError(f"never saw {text!r}: {printed[-500:]}")
            time.sleep(0.002)
        return at

    def type(self, *lines: str) -> float:
        assert self.process.stdin is not None
        for line in lines:
            self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return time.perf_counter()


def start(home: Path, store: Path, *args: str) -> Seat:
    env = dict(os.environ, FLASHPOINT_HOME=str(home), LANG="C.UTF-8")
    process = subprocess.Popen(
        [FLASHPOINT, "match", "--plain", "--store", str(store), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        bufsize=1,
    )
    seat = Seat(process)
    threading.Thread(target=seat.read, daemon=True).start()
    return seat


def sealed(store: Path, code: str, seat: str, turn: int) -> None:
    """Wait until ``seat``'s move for ``turn`` is in the match file."""
    deadline = time.monotonic() + TIMEOUT
    with sqlite3.connect(store, timeout=10) as db:
        query = "SELECT 1 FROM moves WHERE code = ? AND seat = ? AND turn = ?"
        while db.execute(query, (code, seat, turn)).fetchone() is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{seat} never sealed turn {turn}")
            time.sleep(0.005)


def play_match(home: Path, store: Path, number: int, latencies: list[float]) -> None:
    """One match: the first seat starts it, the second joins; turn by turn, one seat moves,
    then the other; the waiting seat's reveal is timed."""
    first = start(home, store, "--seat", "pakistan", "--name", f"P{number}")
    first.wait("Match code: ")
    line = next(text for _, text in first.lines if "Match code: " in text)
    code = line.split("Match code: ")[1][:6]
    second = start(home, store, "--join", code, "--name", f"I{number}")
    for turn in range(5):
        waiting, moving = (first, second) if turn % 2 == 0 else (second, first)
        waiting_seat = "pakistan" if waiting is first else "iran"
        moving_seat = "iran" if waiting is first else "pakistan"
        for seat in (first, second):
            seat.wait(f"Turn {turn + 1}:")
        waiting.type(HISTORY[waiting_seat][turn], "")
        sealed(store, code, waiting_seat, turn + 1)  # the waiting seat now polls the file
        typed = moving.type(HISTORY[moving_seat][turn], "")
        shown = waiting.wait(REVEALED, turn + 1)
        latencies.append(shown - typed)
    for seat in (first, second):
        seat.wait("Result saved to")
        seat.process.wait(TIMEOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=15, help="matches at once (default 15)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="flashpoint-matches-"))
    store = folder / "matches.sqlite"
    latencies: list[float] = []
    errors: list[str] = []

    def one(number: int) -> None:
        try:
            play_match(folder / "home", store, number, latencies)
        except Exception as error:
            errors.append(str(error))

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=one, args=(n,)) for n in range(args.matches)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - started
        with sqlite3.connect(store) as db:
            kept = db.execute("SELECT COUNT(*) FROM moves WHERE fallback = 0").fetchone()[0]
        expected = (args.matches - len(errors)) * 10
        ms = sorted(1000 * x for x in latencies) or [float("nan")]
        p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
        cores = len(os.sched_getaffinity(0))
        print(
            f"{args.matches} matches at once ({2 * args.matches} processes), {cores} cores, "
            f"{len(ms)} reveals timed in {took:.1f} s"
        )
        print("| measure | median | 95th percentile | max |")
        print("|---|---|---|---|")
        print(
            f"| move to opponent's screen | {statistics.median(ms):.0f} ms | {p95:.0f} ms | "
            f"{ms[-1]:.0f} ms |"
        )
        print(f"Moves kept: {kept} of {expected}; matches failed: {len(errors)}")
        for error in errors:
            print(f"  failed: {error[:300]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
