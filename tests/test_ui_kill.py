"""Killing a real full-screen ``flashpoint`` process mid-round loses at most one decision."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from tests.conftest import FLAGSHIP
from tests.pty_helpers import Terminal


def saved_decisions(home: Path) -> int:
    saves = list((home / "saves").glob("*.json"))
    if not saves:
        return -1
    data = json.loads(saves[0].read_text())
    return sum(1 for e in data["entries"] if e["kind"] == "decision")


def test_sigkill_mid_round_then_resume(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = Terminal(home, "play", str(FLAGSHIP), "--role", "pakistan")
    process = terminal.process
    try:
        mark = terminal.wait_for("What do you decide?")
        mark = terminal.decide("2", after=mark)
        assert saved_decisions(home) == 1  # saved before the outcome is drawn
        terminal.press("\r")
        mark = terminal.wait_for("What do you decide?", after=mark)
        terminal.press("3")  # a second decision in progress, not confirmed
        terminal.wait_for("your reasoning", after=mark)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        terminal.close()
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


def test_the_full_screen_game_says_it_removed_a_write_left_by_a_crash(tmp_path: Path) -> None:
    """A temporary file a killed game left behind is removed when the game next starts, and
    the student is told (the command line prepares the data folder before the screen opens)."""
    home = tmp_path / "home"
    (home / "saves").mkdir(parents=True)
    leftover = home / "saves" / ".round.json.123-456.tmp"
    leftover.write_text('{"format": "flashp')
    terminal = Terminal(home)
    try:
        terminal.wait_for("removed an unfinished write")
        assert not leftover.exists()
    finally:
        terminal.close()


def test_the_full_screen_match_says_it_removed_a_write_left_by_a_crash(tmp_path: Path) -> None:
    """The same for head-to-head: the note is shown on the match's screen, not printed to a
    terminal the full screen is about to cover."""
    home = tmp_path / "home"
    (home / "saves").mkdir(parents=True)
    leftover = home / "saves" / ".round.json.123-456.tmp"
    leftover.write_text('{"format": "flashp')
    terminal = Terminal(home, "match")
    try:
        drawn = terminal.wait_for("Head-to-head: Border Strikes")  # the start screen, then
        terminal.wait_for("removed an unfinished write", seconds=10, after=drawn)  # over it
        assert not leftover.exists()
    finally:
        terminal.close()
