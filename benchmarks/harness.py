"""Measuring whole processes, as a user runs them: plainly, or in a real pseudo-terminal.

Every figure is a ratio of two processes measured in the same run, alternated so that any
drift of the machine hits both alike; each is run several times and reported as the median
with its range. Peak memory is the process's own (``wait4``'s ``ru_maxrss``).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
FLOORS = Path(__file__).resolve().parent / "floors"
PYTHON = sys.executable
FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")
"""The installed command, as a user runs it (the console script beside this interpreter)."""
_ESCAPES = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)


def environment(home: Path) -> dict[str, str]:
    """The environment every measured process gets: a data folder of its own, a colour
    terminal, bytecode as an installed package has it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TEXTUAL"))}
    env.update(FLASHPOINT_HOME=str(home), TERM="xterm-256color", COLORTERM="truecolor")
    return env


@dataclass
class Measure:
    """Repeated measurements of one process."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def spread(self, unit: str = "s", scale: float = 1.0, digits: int = 3) -> str:
        low, high = min(self.values) * scale, max(self.values) * scale
        return f"{self.median * scale:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})"


class Ran(NamedTuple):
    """One whole process: wall time, peak memory (KiB) and CPU time, its own and that of the
    processes it started and waited for."""

    elapsed: float
    peak_kib: int
    cpu: float


def run(argv: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> Ran:
    """One whole process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: problems found, e.g. validate's verdict
        raise RuntimeError(f"{' '.join(argv)} exited with {process.returncode}")
    return Ran(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


class Terminal:
    """A process in a real pseudo-terminal of ``size``: keys in, screen text out."""

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int] = (100, 30)
    ) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal's size, then the program
            columns, rows = size
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.chdir(ROOT)
            os.execve(argv[0], list(argv), env)
        self.pid, self.fd = pid, fd
        self.screen = b""

    def wait_for(self, marker: str, timeout: float = 30.0) -> float:
        """Read the output until ``marker`` is drawn; the moment it was (perf_counter)."""
        wanted = marker.encode()
        deadline = time.perf_counter() + timeout
        while True:
            if wanted in _ESCAPES.sub(b"", self.screen):
                self.screen = b""
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{marker!r} was not drawn within {timeout} s")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise EOFError(f"the program ended before drawing {marker!r}")
                self.screen += chunk

    def press(self, keys: str) -> float:
        """Send keys; the moment they were sent."""
        self.screen = b""
        sent = time.perf_counter()
        os.write(self.fd, keys.encode())
        return sent

    def close(self) -> int:
        """End the program (SIGTERM) and return its peak memory in KiB."""
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 10
        while True:
            with_output = select.select([self.fd], [], [], 0.05)[0]
            if with_output:
                try:
                    if not os.read(self.fd, 65536):
                        break
                except OSError:
                    break
            done, _, usage = os.wait4(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return usage.ru_maxrss
            if time.perf_counter() > deadline:
                os.kill(self.pid, signal.SIGKILL)
        _, _, usage = os.wait4(self.pid, 0)
        os.close(self.fd)
        return usage.ru_maxrss


def alternate(
    runs: int, measures: dict[str, Callable[[], float]], warm: int = 1
) -> dict[str, Measure]:
    """Each measure run ``runs`` times, one after the other in turn (after ``warm`` unrecorded
    rounds that fill the file cache)."""
    results = {name: Measure() for name in measures}
    for number in range(warm + runs):
        for name, measure in measures.items():
            value = measure()
            if number >= warm:
                results[name].values.append(value)
    return results


def verdict(ratio: float, target: float | None) -> str:
    """ "met" or "missed" against a target ratio (or nothing without a target)."""
    if target is None:
        return "—"
    return f"≤ {target:g}× — {'met' if ratio <= target else 'MISSED'}"
