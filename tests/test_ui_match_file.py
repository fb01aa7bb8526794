"""The full-screen match when its match file is held by another program: the waiting screen
says the move is not saved yet, and says it is sealed only once it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.records.matches import MatchStore
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.match import BriefingScreen, WaitingScreen
from game.ui.screens.outcome import OutcomeScreen
from tests.test_match_file import locked
from tests.test_ui_match import app_for, sees, shown
from tests.ui_helpers import until


@pytest.mark.asyncio
async def test_a_move_the_locked_file_refused_is_shown_unsaved_until_it_is_sealed(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path, name="Ali", seat="pakistan")
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen), timeout=30)
        other = MatchStore(tmp_path / "matches.sqlite")  # the other student's process
        other.join(app.code, "Bea")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen), timeout=30)
        with locked(tmp_path / "matches.sqlite"):
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("enter")  # confirm, without a reason
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen), timeout=30)
            assert "Your move, not saved yet" in shown(app)
            assert "Your move is sealed" not in shown(app)
            assert other.sealed(app.code, "pakistan", 1) is None
        await sees(pilot, app, "Your move is sealed: Recall Pakistan's ambassador")
        assert other.sealed(app.code, "pakistan", 1) == "recall_and_bar"
        assert "Too late" not in shown(app)
        other.move(app.code, "iran", 1, "warn_pakistan")
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen), timeout=30)
