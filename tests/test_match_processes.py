"""Head-to-head with real processes: two plain-mode seats playing through one match file.

Each seat is a separate ``flashpoint match`` process, as two students' terminals would be;
they share only the SQLite match file. The moves come from the flagship's match plans.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.checks.plans import read_plan
from game.engine.records.matches import MatchStore
from game.engine.records.storage import open_class
from tests.conftest import FLAGSHIP, ROOT, run_flashpoint
from tests.storage_fixtures import KINDS

TIMEOUT = 60.0


class Seat:
    """One ``flashpoint match`` process, its output collected as it comes."""

    def __init__(self, home: Path, *args: str) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "LANG": "C.UTF-8",
            "FLASHPOINT_HOME": str(home),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game.cli", "match", "--plain", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def text(self) -> str:
        return "".join(self.output)

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.text:
            assert self.process.poll() is None or text in self.text, self.text[-2000:]
            assert time.monotonic() < deadline, f"never saw {text!r}:\n{self.text[-2000:]}"
            time.sleep(0.02)

    def answer(self, lines: Iterable[str]) -> None:
        assert self.process.stdin is not None
        for line in lines:
            self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def finish(self) -> str:
        self.close()
        assert self.process.wait(TIMEOUT) == 0, self.text[-3000:]
        self.reader.join(TIMEOUT)
        return self.text


def plan_answers(name: str) -> dict[str, list[list[str]]]:
    """Each seat's typed answers (choice number, then Enter) turn by turn, from a match plan."""
    plan, problems = read_plan(ROOT / "scenarios" / f"iran-pakistan-2024.{name}.plan.yaml")
    assert plan is not None, problems
    scenario = loader.load(FLAGSHIP).scenario
    mode = scenario.head_to_head
    assert mode is not None
    answers: dict[str, list[list[str]]] = {seat: [] for seat in mode.seats}
    for step in plan.turns:
        turn = mode.turn_by_id[str(step.at)]
        for seat, choice in step.moves.items():
            point = scenario.point_by_id[turn.points[seat]]
            number = [c.id for c in point.choices].index(choice) + 1
            answers[seat].append([str(number), f"reason {number}"])
    return answers


def start_match(
    home: Path, store: Path | list[str], deadline: float = 120.0
) -> tuple[Seat, Seat, str]:
    """Ali creates a match in ``store`` (a match file, or the options naming a database) and
    Bea joins it."""
    where = ["--store", str(store)] if isinstance(store, Path) else store
    first = Seat(home, "--seat", "pakistan", "--name", "Ali", *where, "--deadline", str(deadline))
    first.wait_for("Match code: ")
    code = first.text.split("Match code: ")[1][:6]
    second = Seat(home, "--join", code, "--name", "Bea", *where)
    return first, second, code


def debrief_json(home: Path, seat: str, code: str) -> dict[str, object]:
    record = home / "results" / f"iran-pakistan-2024-match-{code.lower()}-{seat}.json"
    done = run_flashpoint("debrief", str(record), "--format", "json", home=home)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("plan", "ending"),
    [
        ("match-history", "managed_deescalation"),
        ("match-spiral", "escalation_spiral"),
        ("match-cooperation", "cooperative_border"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_two_processes_play_a_whole_match(
    request: pytest.FixtureRequest, tmp_path: Path, plan: str, ending: str, kind: str
) -> None:
    """Each seat a process of its own, sharing a match file, or a PostgreSQL database."""
    answers = plan_answers(plan)
    store: Path | list[str] = tmp_path / "matches.sqlite"
    if kind == "postgresql":
        url = str(request.getfixturevalue("postgres_url"))
        store = ["--database", url, "--class-name", f"{plan}-{os.getpid()}"]
    pakistan, iran, code = start_match(tmp_path, store)
    pakistan.answer(line for turn in answers["pakistan"] for line in turn)
    iran.answer(line for turn in answers["iran"] for line in turn)
    for seat in (pakistan, iran):
        assert "Result saved to" in seat.finish()
    for name in ("pakistan", "iran"):
        report = debrief_json(tmp_path, name, code)
        assert report["ending"]["id"] == ending  # type: ignore[index]
        turns = report["match"]
        assert isinstance(turns, list) and len(turns) == len(answers["pakistan"])
        assert all(not m["fallback"] for t in turns for m in t["moves"])
        if plan == "match-history":
            assert report["divergence"] == 0
            assert all(m["matches"] for t in turns for m in t["moves"])
        else:
            assert isinstance(report["divergence"], int) and report["divergence"] > 0
    assert "reason 2" in json.dumps(debrief_json(tmp_path, "pakistan", code))  # reasons kept


@pytest.mark.parametrize("kind", KINDS)
def test_a_seat_killed_mid_turn_rejoins_and_nothing_is_lost_or_doubled(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str
) -> None:
    answers = plan_answers("match-history")
    store_path: Path | list[str] = tmp_path / "matches.sqlite"
    store: MatchStore
    if kind == "postgresql":
        url = str(request.getfixturevalue("postgres_url"))
        store_path = ["--database", url, "--class-name", f"killed-{os.getpid()}"]
        kept = open_class(url, name=store_path[-1])
        request.addfinalizer(kept.close)
        store = kept.new_matches()  # type: ignore[assignment]
    pakistan, iran, code = start_match(tmp_path, store_path)
    pakistan.answer(answers["pakistan"][0] + answers["pakistan"][1])
    iran.answer(answers["iran"][0])
    if kind == "files":
        store = MatchStore(tmp_path / "matches.sqlite")
    deadline = time.monotonic() + TIMEOUT
    while store.sealed(code, "pakistan", 2) is None:  # sealed, now waiting for Iran
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pakistan.process.send_signal(signal.SIGKILL)
    pakistan.process.wait(TIMEOUT)
    iran.answer(line for turn in answers["iran"][1:] for line in turn)
    iran.wait_for("Turn 3:")  # Iran saw both turn-2 moves revealed without Pakistan's process
    where = ["--store", str(store_path)] if isinstance(store_path, Path) else store_path
    again = Seat(tmp_path, "--join", code, "--name", "Ali", *where)
    again.wait_for("Rejoining match")
    again.answer(line for turn in answers["pakistan"][2:] for line in turn)
    assert "Result saved to" in again.finish()
    assert "Result saved to" in iran.finish()
    rows = store.db.execute(
        "SELECT turn, seat, COUNT(*) FROM moves WHERE code = ? GROUP BY turn, seat", (code,)
    ).fetchall()
    assert sorted(rows) == [(t, s, 1) for t in range(1, 6) for s in ("iran", "pakistan")]
    assert not any(m.fallback for turn in store.revealed(code) for m in turn)
    for name in ("pakistan", "iran"):
        report = debrief_json(tmp_path, name, code)
        assert report["divergence"] == 0
        assert report["ending"]["id"] == "managed_deescalation"  # type: ignore[index]


def test_a_silent_seat_gets_its_fallback_labelled_in_both_debriefs(tmp_path: Path) -> None:
    answers = plan_answers("match-silent")
    store_path = tmp_path / "matches.sqlite"
    pakistan, iran, code = start_match(tmp_path, store_path, deadline=1.0)
    iran.wait_for("3. Express regret")  # joined, then says nothing
    pakistan.answer(line for turn in answers["pakistan"] for line in turn)
    text = " ".join(pakistan.finish().split())
    assert "No move in time — " not in text  # Pakistan's own moves all stood
    assert "Iran's government (Bea) moved (no move in time: " in text  # as Bea's screen says
    iran.close()  # the student closes the terminal: the seat leaves the match
    assert iran.process.wait(TIMEOUT) == 0
    assert "You left match" in iran.text
    rejoined = Seat(tmp_path, "--join", code, "--name", "Bea", "--store", str(store_path))
    assert "Result saved to" in rejoined.finish()
    for name in ("pakistan", "iran"):
        report = debrief_json(tmp_path, name, code)
        turns = report["match"]
        assert isinstance(turns, list)
        flags = [(m["seat"], m["fallback"]) for t in turns for m in t["moves"]]
        assert flags == [("pakistan", False), ("iran", True)] * len(turns)
        assert report["ending"]["id"] == "managed_deescalation"  # type: ignore[index]


def test_a_damaged_match_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    store = tmp_path / "matches.sqlite"
    store.write_bytes(b"not a database at all\x00" * 100)
    done = run_flashpoint(
        "match",
        "--plain",
        "--join",
        "ABCDEF",
        "--name",
        "Bea",
        "--store",
        str(store),
        home=tmp_path,
    )
    assert done.returncode == 1
    assert f"flashpoint: {store} is not a match file" in done.stderr
    assert "Traceback" not in done.stderr
