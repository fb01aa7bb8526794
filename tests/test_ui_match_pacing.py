"""The full-screen match under the teacher's pacing (#27), with Pilot: the turn waits for the
teacher to open it, then shows the teacher's countdown; a pause takes the seat back to the
waiting screen and resuming brings the turn back; the end of the class records the seat
abandoned."""

from __future__ import annotations

import json
import time
from pathlib import Path

from game.engine.checks import loader
from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records import pacing_file
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.reports.pacing_words import ENDED, PAUSED, WAITING
from game.ui.match_app import MatchApp, MatchRequest
from game.ui.pacing import WaitingScreen
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.match import BriefingScreen
from tests.conftest import FLAGSHIP
from tests.ui_helpers import screen_lines, squeezed, until

SLOW = 30.0
"""Seconds a step may take on a busy machine (the app looks at the pacing once a second)."""


async def test_a_full_screen_seat_follows_the_teacher(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    control = pacing_file.write_control(folder, ClassControl(pace="teacher"))
    store = MatchStore(tmp_path / "matches.sqlite")
    request = MatchRequest(
        loaded=loader.load(FLAGSHIP), name="Ali", seat="pakistan", class_folder=folder
    )
    app = MatchApp(store, RoundStore(tmp_path / "ali"), request)

    def shown() -> str:
        return squeezed(" ".join(screen_lines(app)))

    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen), SLOW)
        await pilot.press("enter")
        waiting = WaitingScreen
        await until(pilot, lambda: isinstance(app.screen, waiting) and WAITING in shown(), SLOW)
        assert app.played is not None  # a pair: the teacher's countdown is not a lone seat's
        partner = store.reopen()
        partner.join(app.played.code, "Bea")
        partner.close()
        now = time.time()
        control = pacing_file.write_control(folder, pacing.open_decision(control, 1, 90, now))
        await until(pilot, lambda: "left for your move" in shown(), SLOW)  # the teacher's clock
        assert isinstance(app.screen, DecisionScreen)
        assert "1:30 left for your move" in shown() or "1:29 left for your move" in shown()
        control = pacing_file.write_control(folder, pacing.pause(control, time.time()))
        await until(pilot, lambda: PAUSED in shown(), SLOW)
        control = pacing_file.write_control(folder, pacing.resume(control, time.time()))
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen), SLOW)
        pacing_file.write_control(folder, pacing.end_class(control, time.time()))
        await until(pilot, lambda: ENDED in shown(), SLOW)
        assert app.played is not None and app.played.left
        record = json.loads(app.played.record_path.read_text())
        assert record["status"] == "abandoned"
    store.close()
