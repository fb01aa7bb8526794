"""Killing a real full-screen ``flashpoint`` process mid-round loses at most one decision."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from game.engine import loader
from game.engine.session import Session
from game.engine.store import RoundStore
from tests.conftest import FLAGSHIP, ROOT

KEYS_PER_DECISION = ("2", "\r", "\r")  # pick, confirm with an empty rationale, continue


def drain(fd: int) -> None:
    """Read and discard the program's output so it never blocks on a full terminal."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def saved_decisions(home: Path) -> int:
    saves = list((home / "saves").glob("*.json"))
    if not saves:
        return -1
    data = json.loads(saves[0].read_text())
    return sum(1 for e in data["entries"] if e["kind"] == "decision")


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_mid_round_then_resume(tmp_path: Path) -> None:
    home = tmp_path / "home"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {
        **os.environ,
        "FLASHPOINT_HOME": str(home),
        "TERM": "xterm-256color",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "play", str(FLAGSHIP), "--role", "pakistan"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    threading.Thread(target=drain, args=(master,), daemon=True).start()
    try:
        assert wait_for(lambda: saved_decisions(home) == 0), "the round never started"
        time.sleep(1.0)
        for key in KEYS_PER_DECISION:
            os.write(master, key.encode())
            time.sleep(0.6)
        assert wait_for(lambda: saved_decisions(home) == 1), "the decision was not saved"
        os.write(master, b"3")  # a second decision in progress, not confirmed
        time.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert process.returncode == -signal.SIGKILL
    rounds, warnings = RoundStore(home).saved_rounds()
    assert warnings == [] and len(rounds) == 1
    loaded = loader.load(FLAGSHIP)
    session = Session.resume(loaded, RoundStore(home).load(rounds[0].path))
    assert [d.choice for d in session.decisions] == ["recall_and_bar"]
    assert session.node == "pk_military"
    while session.point is not None:
        session.choose(session.point.history.choice or session.point.choices[0].id)
    assert session.ending is not None and session.ending.id == "managed_deescalation"
