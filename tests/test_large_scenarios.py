"""Large scenarios in the full-screen game, as real processes on a pseudo-terminal: what no
screen can show is refused before any screen opens; the largest scenario the limits allow is
played to an outcome; and the game ends when its terminal closes, however busy it is."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from game.engine.checks.limits import MAX_EVENTS_AT, MAX_LABEL
from tests.conftest import MINI, ROOT
from tests.pty_helpers import Terminal


def big_scenario(folder: Path, label: str, events: int, text: str) -> Path:
    """The small test scenario with North's first choice labelled ``label`` and ``events``
    events of ``text`` arriving at its first point."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(MINI.parent / "seeds", folder / "seeds")
    source = MINI.read_text(encoding="utf-8")
    source = source.replace("label: Escort the merchant ships", f"label: {label}", 1)
    arriving = "".join(
        f"  - {{id: news_{n}, at: n1, actor: The North, title: News {n}, text: {text}, "
        "counterfactual: Invented.}\n"
        for n in range(events)
    )
    path = folder / "big.yaml"
    path.write_text(source.replace("events:\n", "events:\n" + arriving, 1), encoding="utf-8")
    return path


def test_a_label_no_button_can_show_is_refused_before_any_screen(tmp_path: Path) -> None:
    path = big_scenario(tmp_path / "s", "Escort " + "word " * 200_000, 0, "")
    terminal = Terminal(tmp_path / "home", "play", str(path), "--role", "north")
    try:
        terminal.wait_for(f"at most {MAX_LABEL} fit on its button", seconds=60)
        assert terminal.process.wait(timeout=60) == 1
    finally:
        terminal.close()


def test_the_largest_scenario_allowed_reaches_the_outcome_and_ends_with_its_terminal(
    tmp_path: Path,
) -> None:
    label = ("Escort the ships " * 40)[: MAX_LABEL - 1].strip()
    path = big_scenario(tmp_path / "s", label, MAX_EVENTS_AT, "A long report. " * 300)
    assert path.stat().st_size > 400_000
    home = tmp_path / "home"
    terminal = Terminal(home, "play", str(path), "--role", "north", controlling=True)
    try:
        terminal.wait_for("What do you decide?", seconds=120)
        terminal.press("1")
        mark = terminal.wait_for("your reasoning", seconds=60)
        terminal.press("\r")
        terminal.wait_for("Continue (Enter)", seconds=60, after=mark)
        terminal.hang_up()  # the student closes the terminal window
        terminal.process.wait(timeout=60)
    finally:
        terminal.close()
    records = [json.loads(p.read_text()) for p in (home / "results").glob("*.json")]
    assert [r["status"] for r in records] == ["abandoned"]


BUSY_GAME = """
import asyncio, sys, time
from pathlib import Path
from game.ui.hangup import end_on_hangup

async def main() -> None:
    def leave() -> None:
        Path(sys.argv[1]).write_text("left")
    end_on_hangup(lambda: None, leave)
    print("busy", flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # one long computation: the loop never looks up
        sum(range(10_000))

asyncio.run(main())
"""


def test_a_game_whose_loop_is_busy_still_ends_when_its_terminal_closes(tmp_path: Path) -> None:
    left = tmp_path / "left"
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(BUSY_GAME), str(left)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "busy\n"
        process.send_signal(signal.SIGHUP)
        assert process.wait(timeout=60) == 128 + signal.SIGHUP  # well before its 120 s
        assert left.read_text() == "left"  # the round was left (recorded) on the way out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
