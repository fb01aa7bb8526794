"""SIGKILL a real `flashpoint play --plain` round at 30+ random moments; nothing is ever lost
but the decision in progress, and every resumed round ends exactly like an uninterrupted one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from game.engine.records.store import RoundStore
from tests.conftest import FLAGSHIP, ROOT

ANSWERS = ["2 firm\n", "3\n", "2\n", "3\n"]  # Pakistan's historical path, each confirmed
KILLS = 32
GAP = 0.12


def start(home: Path, *extra: str) -> subprocess.Popen[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "FLASHPOINT_HOME": str(home),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "game.cli",
            "play",
            str(FLAGSHIP),
            "--plain",
            "--role",
            "pakistan",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def type_slowly(process: subprocess.Popen[str]) -> None:
    """Answer one decision every GAP seconds, as a person would, so kills land between and
    during decisions and saves, not only during start-up."""
    try:
        for answer in ANSWERS:
            time.sleep(GAP)
            process.stdin.write(answer + "\n")  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
        process.stdin.close()  # type: ignore[union-attr]
    except (BrokenPipeError, OSError, ValueError):
        pass  # the process was killed


def finish(home: Path, answers: list[str], *extra: str) -> None:
    process = start(home, *extra)
    _, err = process.communicate("\n".join(answers) + "\n", timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def outcome(home: Path) -> dict[str, Any]:
    results = sorted((home / "results").glob("*.json"))
    assert len(results) == 1
    record = json.loads(results[0].read_text())
    assert record["status"] == "finished"
    decisions = [
        (e["point"], e["choice"], e["rationale"])
        for e in record["entries"]
        if e["kind"] == "decision"
    ]
    return {"state": record["state"], "decisions": decisions}


def progress(home: Path) -> int:
    """How far the round in ``home`` is: -1 before its first save, the decisions saved, or
    ``len(ANSWERS)`` once it is recorded."""
    if (home / "results").is_dir() and any((home / "results").glob("*.json")):
        return len(ANSWERS)
    if (home / "saves").is_dir():
        rounds, _ = RoundStore(home).saved_rounds()
        if rounds:
            return rounds[0].decisions
    return -1


def test_sigkill_at_random_moments_loses_at_most_the_decision_in_progress(tmp_path: Path) -> None:
    baseline_home = tmp_path / "baseline"
    finish(baseline_home, ANSWERS)
    expected = outcome(baseline_home)
    rng = random.Random(20240116)
    seen = set()
    for number in range(KILLS):
        home = tmp_path / f"kill-{number}"
        process = start(home)
        typist = threading.Thread(target=type_slowly, args=(process,), daemon=True)
        typist.start()
        stage = number % (len(ANSWERS) + 2) - 1  # each stage in turn, however loaded the machine
        deadline = time.monotonic() + 60
        while progress(home) < stage and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, GAP))  # a random moment from there: in a save, between
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        store = RoundStore(home)
        rounds, warnings = store.saved_rounds() if (home / "saves").is_dir() else ([], [])
        assert warnings == [], f"kill {number}: a save was damaged: {warnings}"
        if rounds:
            made = rounds[0].decisions
            seen.add(made)
            finish(home, ANSWERS[made:], "--continue")
        elif (home / "results").is_dir() and list((home / "results").glob("*.json")):
            seen.add(len(ANSWERS))  # killed after the round ended and was recorded
        else:
            seen.add(-1)  # killed before the first save: the round had not begun
            finish(home, ANSWERS)
        assert outcome(home) == {**expected}, f"kill {number} changed the round"
    assert len(seen) >= 3, f"the kills should land at different stages, saw {seen}"
