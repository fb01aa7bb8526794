"""The full-screen game, history held back by the teacher (#27), driven by Pilot: at zero the
move made for a silent student is the scenario's fallback (the first choice offered, not
history's), labelled so, and the outcome never names history's move."""

from __future__ import annotations

from pathlib import Path

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records.pacing_file import update
from game.reports.round_blocks import LATE_FALLBACK
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.outcome import OutcomeScreen
from tests.test_pacing_rounds import Clock
from tests.test_ui_pacing import paced_app, shown


async def test_held_the_move_made_at_zero_is_the_scenario_s_fallback(
    home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "class"
    control = pacing.set_reveal(pacing.set_pace(ClassControl(), "teacher"), "teacher")
    app = paced_app(home, folder, control)
    clock = Clock()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.round is not None
        app.round.clock = clock
        update(folder, lambda c: pacing.open_decision(c, 1, 30, clock.now))
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        point = app.round.session.point
        assert point is not None
        first = point.choices[0]
        assert first.id != point.history.choice  # else this would prove nothing
        clock.now += 31
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        text = shown(app)
        assert LATE_FALLBACK.split(":")[0] in text and "You chose" not in text
        assert "history's move" not in text and "What the government did" not in text
        assert app.round.session.decisions[0].choice == first.id
        await pilot.press("q")
        await pilot.pause()
