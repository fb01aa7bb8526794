"""The full-screen game under the teacher's pacing (#27), driven by Pilot: waiting for the
teacher, a live countdown, a paused class, the move made at zero labelled as such, history
held until revealed. The time is the test's (the round's clock is set; nothing sleeps)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records.pacing_file import update, write_control
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import Round
from game.reports.pacing_words import DEBRIEF_HELD, ENDED, WAITING
from game.ui.app import FlashpointApp
from game.ui.messages import FinishedRoundPicked
from game.ui.pacing import PaceLine, WaitingScreen
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.outcome import OutcomeScreen
from game.ui.screens.title import TitleScreen
from game.ui.start import StartRequest
from tests.conftest import FLAGSHIP
from tests.test_pacing_rounds import T0, Clock
from tests.ui_helpers import historical_number, screen_lines


def paced_app(home: Path, folder: Path, control: ClassControl) -> FlashpointApp:
    folder.mkdir()
    write_control(folder, control)
    request = StartRequest(scenario=FLAGSHIP, role="pakistan", player="Ana", class_folder=folder)
    return FlashpointApp(RoundStore(home), request)


def shown(app: FlashpointApp) -> str:
    """The screen's text, its lines joined as a sentence wrapped over them reads."""
    return " ".join(" ".join(screen_lines(app)).split())


async def test_waiting_then_a_live_countdown_a_pause_and_the_move_made_at_zero(
    home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "class"
    app = paced_app(home, folder, pacing.set_pace(ClassControl(), "teacher"))
    clock = Clock()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.round is not None
        app.round.clock = clock
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen)
        assert WAITING in shown(app)
        await pilot.press("1")  # no choice can be made meanwhile
        await pilot.pause()
        assert app.round.session.decisions == []

        update(folder, lambda c: pacing.open_decision(c, 1, 90, clock.now))
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        assert "Time left 1:30" in shown(app)
        clock.now += 25
        app.pace()
        await pilot.pause()
        assert "Time left 1:05" in shown(app)

        update(folder, lambda c: pacing.pause(c, clock.now))
        clock.now += 600  # paused: the countdown stands still
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen)
        assert "paused the class" in shown(app) and "1 minute 5 seconds" in shown(app)

        update(folder, lambda c: pacing.resume(c, clock.now))
        clock.now += 57
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        line = app.screen.query_one(PaceLine)
        assert "Time left 0:08" in shown(app) and line.has_class("-low")

        await pilot.press(str(historical_number(app) % 3 + 1))  # a choice being confirmed
        await pilot.pause()
        clock.now += 8
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        text = shown(app)
        assert "No move in time" in text and "You chose" not in text
        assert app.round.session.decisions[0].automatic

        await pilot.press("enter")  # on to decision 2, which is not open
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen)
        await pilot.press("q")
        await pilot.pause()
    (saved,) = (home / "saves").glob("*.json")
    decided = [e for e in json.loads(saved.read_text())["entries"] if e["kind"] == "decision"]
    assert [e.get("automatic") for e in decided] == [True]


async def test_history_waits_for_the_teacher_and_so_does_the_debrief(
    home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "class"
    control = pacing.set_reveal(ClassControl(), "teacher")
    app = paced_app(home, folder, control)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.round is not None and not app.round.reveals_history
        point = app.round.session.point
        assert point is not None
        await pilot.press(str(historical_number(app)), "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        text = shown(app)
        assert "revealed by your teacher" in text and "actually did" not in text
        while not app.round.is_over:  # student-paced: on to the ending
            await pilot.press("enter")
            await pilot.pause()
            if isinstance(app.screen, DecisionScreen):
                await pilot.press(str(historical_number(app)), "enter")
                await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen) and DEBRIEF_HELD in shown(app)
        count = len(app.round.session.decisions)
        update(folder, lambda c: pacing.reveal(c, 1))
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen)
        assert "revealed what actually happened at decision 1" in shown(app)
        for number in range(2, count + 1):
            update(folder, partial(pacing.reveal, number=number))
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_the_end_of_the_class_leaves_the_round(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    app = paced_app(home, folder, pacing.open_decision(ClassControl(), 1, None, T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        update(folder, lambda c: pacing.end_class(c, T0 + 1))
        app.pace()
        await pilot.pause()
        app.pace()
        await pilot.pause()
        assert isinstance(app.screen, WaitingScreen) and ENDED in shown(app)
    (record,) = (home / "results").glob("*.json")
    assert json.loads(record.read_text())["status"] == "abandoned"


async def test_a_finished_debrief_reopened_from_the_title_screen_waits_for_the_reveal(
    home: Path, tmp_path: Path, flagship: LoadedScenario
) -> None:
    played = Round.start(RoundStore(home), flagship, "pakistan", "Ana")
    while not played.is_over:
        played.choose(played.session.choices[0].id)
    count = len(played.session.decisions)
    folder = tmp_path / "class"
    folder.mkdir()
    write_control(folder, pacing.set_reveal(ClassControl(), "teacher"))
    app = FlashpointApp(RoundStore(home), StartRequest(class_folder=folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        title = app.screen
        assert isinstance(title, TitleScreen) and len(title.finished) == 1
        finished = title.finished[0]
        title.post_message(FinishedRoundPicked(title, finished))
        await pilot.pause()
        assert app.screen is title
        for number in range(1, count + 1):
            update(folder, partial(pacing.reveal, number=number))
        title.post_message(FinishedRoundPicked(title, finished))
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_no_round_starts_once_the_class_has_ended(home: Path, tmp_path: Path) -> None:
    app = paced_app(home, tmp_path / "class", pacing.end_class(ClassControl(), T0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.round is None
    assert not (home / "saves").exists() or list((home / "saves").iterdir()) == []
