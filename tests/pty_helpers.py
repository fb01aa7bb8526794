"""A real ``flashpoint`` process in a pseudo-terminal, driven and read as a person would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from tests.conftest import ROOT

_ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


class Terminal:
    """``flashpoint ARGS`` running in a pty of ``size`` (columns, rows)."""

    def __init__(
        self, home: Path, *args: str, size: tuple[int, int] = (100, 30), controlling: bool = False
    ) -> None:
        """``controlling``: the pty is the process's controlling terminal, so closing it
        (:meth:`hang_up`) sends SIGHUP, as closing a terminal window does."""
        master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {
            **os.environ,
            "FLASHPOINT_HOME": str(home),
            "TERM": "xterm-256color",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling else None,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.changed = threading.Condition()
        self.closing = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while not self.closing.is_set():
            try:  # never blocked in a read for long: closing the pty must not wait on it
                if not select.select([self.master], [], [], 0.1)[0]:
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self.changed:
                self.output.extend(chunk)
                self.changed.notify_all()
            if not chunk:
                return

    def text(self) -> str:
        """Everything drawn so far, escape sequences removed."""
        return _ESCAPES.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for(self, marker: str, seconds: float = 30.0, after: int = 0) -> int:
        """Wait until ``marker`` is drawn (past offset ``after``); the offset after it."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                found = self.text().find(marker, after)
                if found >= 0:
                    return found + len(marker)
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"never drew {marker!r}; last: {self.text()[-400:]!r}")
                self.changed.wait(min(left, 0.5))

    def press(self, *keys: str) -> None:
        """Type keys (``\\r`` is Enter)."""
        for key in keys:
            os.write(self.master, key.encode())

    def decide(self, key: str, after: int = 0) -> int:
        """Pick a choice, confirm it once the dialog is drawn, and wait for its outcome;
        the offset after the outcome's Continue button."""
        self.press(key)
        mark = self.wait_for("your reasoning", after=after)
        self.press("\r")
        return self.wait_for("Continue (Enter)", after=mark)

    def hang_up(self) -> None:
        """Close the terminal, as a person closing its window does."""
        if self.master >= 0:
            self.closing.set()
            self.reader.join(timeout=10)
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.hang_up()


def _take_terminal() -> None:
    """In the child, after ``setsid``: make its pty (standard input) its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
