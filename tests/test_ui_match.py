"""The full-screen head-to-head game, driven by keys; the other seat writes to the same match
file through its own connection, as another student's process would."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from traceback import walk_stack
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Static

from game.engine.checks import loader
from game.engine.records import match_file
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.ui.match_app import MatchApp, MatchRequest
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.dialogs import LeaveDialog
from game.ui.screens.match import BriefingScreen, MatchStartScreen, WaitingScreen
from game.ui.screens.outcome import OutcomeScreen
from game.ui.widgets.panels import TimelinePanel
from tests.conftest import FLAGSHIP
from tests.test_matches import Clock
from tests.ui_helpers import screen_lines, squeezed, until


def app_for(home: Path, **request: object) -> MatchApp:
    loaded = loader.load(FLAGSHIP)
    store = MatchStore(home / "matches.sqlite")
    return MatchApp(store, RoundStore(home), MatchRequest(loaded=loaded, **request))  # type: ignore[arg-type]


def ali_waiting(home: Path) -> tuple[MatchStore, str]:
    """A match Ali started in Pakistan's seat, and its code, for the student to join."""
    loaded = loader.load(FLAGSHIP)
    first = MatchStore(home / "matches.sqlite")
    code = first.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 300)
    first.join(code, "Ali", "pakistan")
    return first, code


def shown(app: MatchApp) -> str:
    return squeezed(" ".join(screen_lines(app)))


async def sees(pilot: Pilot[None], app: MatchApp, text: str) -> None:
    """Let the app run until ``text`` is on the terminal."""
    await until(pilot, lambda: text in shown(app))


@pytest.mark.asyncio
async def test_a_lone_seat_faces_history_s_moves_labelled_as_history_s(tmp_path: Path) -> None:
    """No classmate in the other seat: the decision screen says the other side is history's
    moves, and the outcome labels its move as history's, never a classmate's."""
    loaded = loader.load(FLAGSHIP)
    teacher = MatchStore(tmp_path / "matches.sqlite")
    code = teacher.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 300.0)
    teacher.give_history(code, "iran")  # the teacher's match for a lone student
    teacher.close()
    app = app_for(tmp_path, name="Ali", seat="pakistan", code=code)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert "facing Iran's government (history's moves (no classmate))" in shown(app)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")  # confirm, without a reason
        # history's move at once, not at the turn's deadline (300 s): nobody else is deciding
        await sees(pilot, app, "(history's moves (no classmate)) moved (history's move:")
        assert "no move in time" not in shown(app)


@pytest.mark.asyncio
async def test_a_seat_plays_a_turn_against_the_other_students_seat(tmp_path: Path) -> None:
    app = app_for(tmp_path, name="Ali", seat="pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        code = app.code
        assert f"Match code: {code}" in shown(app)
        other = MatchStore(tmp_path / "matches.sqlite")  # the other student's process
        assert other.join(code, "Bea") == "iran"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert f"Turn 1 · match {code} · facing Iran's government (Bea)" in shown(app)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")  # confirm, without a reason
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
        await until(pilot, lambda: "Waiting for the other seat's move" in shown(app))
        assert "Your move is sealed: Recall Pakistan's ambassador" in shown(app)
        other.move(code, "iran", 1, "warn_pakistan")
        await sees(pilot, app, "Iran's government (Bea) moved:")
        assert isinstance(app.screen, OutcomeScreen)
        text = shown(app)
        assert "Not historical: 17 January 2024 · Iran: Iran warns against retaliation" in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert "Turn 2" in shown(app) and "Whether to use force" in shown(app)
    record = next((tmp_path / "results").glob("*-pakistan.json"))
    data = json.loads(record.read_text())
    assert [t["turn"] for t in data["match"]["turns"]] == ["answer"]
    assert data["match"]["players"] == {"pakistan": "Ali", "iran": "Bea"}


@pytest.mark.asyncio
async def test_joining_by_code_from_the_start_screen(tmp_path: Path) -> None:
    _, code = ali_waiting(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MatchStartScreen))
        await until(pilot, lambda: getattr(app.focused, "id", None) == "name")
        await pilot.press(*"Bea", "tab", *code.lower(), "tab")
        await pilot.press("down", "down", "enter")  # "Join the match with the code above"
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        assert app.seat == "iran" and "Iran's government · match" in shown(app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert "Pakistan's anger" in shown(app)


@pytest.mark.asyncio
async def test_a_wrong_code_is_refused_on_the_start_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MatchStartScreen))
        await until(pilot, lambda: getattr(app.focused, "id", None) == "name")
        await pilot.press(*"Bea", "tab", *"NOPE42", "tab", "down", "down", "enter")
        await sees(pilot, app, "there is no match NOPE42; check the code")
        assert isinstance(app.screen, MatchStartScreen)


@pytest.mark.asyncio
async def test_a_seat_silent_past_the_deadline_gets_its_fallback(tmp_path: Path) -> None:
    clock = Clock()  # the match file's time passes only when the test moves it
    path = tmp_path / "matches.sqlite"
    request = MatchRequest(loaded=loader.load(FLAGSHIP), name="Ali", seat="pakistan", deadline=1)
    app = MatchApp(MatchStore(path, clock), RoundStore(tmp_path), request)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        other = MatchStore(path, clock)
        other.join(app.code, "Bea")
        other.move(app.code, "iran", 1, "defend_and_reassure")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        clock.now += 2
        await sees(pilot, app, "No move in time — history's move was played for you")
        assert isinstance(app.screen, OutcomeScreen)  # no key pressed
        text = shown(app)
        assert "history's move was played for you: Recall Pakistan's ambassador" in text
        assert "You chose" not in text  # an automatic move is never shown as the student's
        await pilot.press("enter")  # on to the next turn: the timeline tells the move apart
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        (timeline,) = app.screen.query(TimelinePanel)
        told = str(timeline.render())
        assert "No move in time, made for you: Recall Pakistan's ambassador" in told
        assert "You: Recall" not in told


@pytest.mark.asyncio
async def test_a_rejoining_seat_whose_move_is_sealed_waits(tmp_path: Path) -> None:
    loaded = loader.load(FLAGSHIP)
    store = MatchStore(tmp_path / "matches.sqlite")
    code = store.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 300)
    store.join(code, "Ali", "pakistan")
    store.join(code, "Bea", "iran")
    store.move(code, "pakistan", 1, "protest_only")  # then the terminal was closed
    app = app_for(tmp_path, name="Ali", code=code)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
        assert "Your move is sealed: Summon Iran's most senior diplomat" in shown(app)


@pytest.mark.asyncio
async def test_leaving_a_match_says_how_to_rejoin_it(tmp_path: Path) -> None:
    app = app_for(tmp_path, name="Ali", seat="pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LeaveDialog)
        notes = [str(w.render()) for w in dialog.query(Static)]
        assert f"Your moves are kept in the match. Rejoin match {app.code} with your name." in notes
        assert [b.id for b in dialog.query(Button)] == ["quit", "stay"]  # no title screen here
        await pilot.press("y")
    assert app.return_code == 0


@pytest.mark.asyncio
async def test_a_whole_match_ends_in_the_debrief_with_both_seats_beside_history(
    tmp_path: Path,
) -> None:
    from game.ui.screens.debrief import DebriefScreen

    app = app_for(tmp_path, name="Ali", seat="pakistan")
    history = {
        1: ("2", "defend_and_reassure"),
        2: ("3", "calm_tensions"),
        3: ("1", "demand_explanation"),
        4: ("2", "agree_deescalate"),
        5: ("3", "fm_visit"),
    }
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        other = MatchStore(tmp_path / "matches.sqlite")
        other.join(app.code, "Bea")
        await pilot.press("enter")
        for turn, (key, theirs) in history.items():
            await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
            other.move(app.code, "iran", turn, theirs)
            await pilot.press(key)
            await until(pilot, lambda: not isinstance(app.screen, DecisionScreen))
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, OutcomeScreen))
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await sees(pilot, app, "Managed de-escalation")
        text = shown(app)
        assert "Title screen" not in text  # a match has none
    record = json.loads(next((tmp_path / "results").glob("*-pakistan.json")).read_text())
    assert record["status"] == "finished" and record["state"]["ending"] == "managed_deescalation"
    assert MatchStore(tmp_path / "matches.sqlite").summaries()[0].status == "finished"


@pytest.mark.asyncio
async def test_a_move_the_scenario_does_not_have_stops_the_match_with_a_reason(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path, name="Ali", seat="pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        other = MatchStore(tmp_path / "matches.sqlite")
        other.join(app.code, "Bea")
        other.move(app.code, "iran", 1, "launch_everything")  # a tampered client
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("2")
        await until(pilot, lambda: not isinstance(app.screen, DecisionScreen))
        await pilot.press("enter")
        await sees(
            pilot, app, "The match cannot go on: 'launch_everything' is not a choice at 'ir_defend'"
        )
        assert isinstance(app.screen, WaitingScreen)


@pytest.mark.asyncio
async def test_a_seat_that_left_is_shown_as_gone_on_the_waiting_screen_and_in_the_live_view(
    tmp_path: Path,
) -> None:
    from game.engine.records.classfolder import ClassFolder
    from game.ui.live import LiveApp

    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    app = app_for(folder.path, name="Ali", seat="pakistan")
    live = LiveApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        other = MatchStore(folder.path / "matches.sqlite")
        other.join(app.code, "Bea")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")
        await sees(pilot, app, "Waiting for the other seat's move")
        other.heartbeat(app.code, "iran", here=False)  # Bea's game leaves the match
        await sees(pilot, app, "Iran's government (Bea) has gone: the student left")
        async with live.run_test(size=(120, 40)) as watching:
            await until(
                watching,
                lambda: "iran: Bea (gone)" in "\n".join(screen_lines(live)),
            )
            assert f"{app.code}  pakistan: Ali · iran: Bea (gone)  turn 1  paused" in "\n".join(
                screen_lines(live)
            )


@pytest.mark.asyncio
async def test_enter_twice_on_the_join_form_with_a_code_joins_that_match(tmp_path: Path) -> None:
    first, code = ali_waiting(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: getattr(app.focused, "id", None) == "name")
        await pilot.press(*"Bea", "tab", *code.lower(), "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen | DecisionScreen))
        assert (app.code, app.seat) == (code, "iran")  # the second Enter begins the turn
    assert [m.code for m in first.summaries()] == [code]  # no stray match was started


@pytest.mark.asyncio
async def test_a_typed_code_is_never_ignored_for_a_new_match(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: getattr(app.focused, "id", None) == "name")
        await pilot.press(*"Bea", "tab", *"ABCDEF", "tab", "enter")  # "New match as ..."
        await sees(pilot, app, "You typed a match code")
        assert isinstance(app.screen, MatchStartScreen) and app.played is None
        assert MatchStore(tmp_path / "matches.sqlite").summaries() == []


@pytest.mark.asyncio
async def test_in_a_class_the_start_screen_has_no_name_to_type(tmp_path: Path) -> None:
    first, code = ali_waiting(tmp_path)
    app = app_for(tmp_path, name="Bea Costa", class_seat=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: getattr(app.focused, "id", None) == "code")
        assert "You play as Bea Costa (your class seat)" in shown(app)
        assert not app.screen.query("#name")
        await pilot.press(*"Ali", "backspace", "backspace", "backspace", *code, "enter")
        await until(pilot, lambda: app.played is not None)
        assert (app.code, app.seat) == (code, "iran")
    assert first.info(code).seats == {"pakistan": "Ali", "iran": "Bea Costa"}


@pytest.mark.asyncio
async def test_the_turns_clock_waits_for_both_screens_and_counts_down_on_them(
    tmp_path: Path,
) -> None:
    clock = Clock()  # the match file's clock, moved by the test: no real wait
    path = tmp_path / "matches.sqlite"
    request = MatchRequest(loaded=loader.load(FLAGSHIP), name="Ali", seat="pakistan")
    app = MatchApp(MatchStore(path, clock), RoundStore(tmp_path), request)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        other = MatchStore(path, clock)  # Bea's process
        other.join(app.code, "Bea")
        other.showing(app.code, "iran", 1)
        assert other.remaining(app.code, 1) is None  # Ali still reads his briefing
        await pilot.press("enter")
        await sees(pilot, app, "5:00 left for your move")
        clock.now += 100
        await sees(pilot, app, "3:20 left for your move")  # counted down on his screen
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")
        await sees(pilot, app, "3:20 left for their move")  # and on the waiting screen
        other.move(app.code, "iran", 1, "warn_pakistan")
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        other.showing(app.code, "iran", 2)
        other.move(app.code, "iran", 2, "calm_tensions")
        clock.now += 250  # Ali reads the outcome for a long while: his time has not started
        assert other.remaining(app.code, 2) is None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await sees(pilot, app, "5:00 left for your move")  # the whole time, from now
        clock.now += 300
        await sees(pilot, app, "No move in time — ")  # then history's move, labelled
        assert isinstance(app.screen, OutcomeScreen) and "You chose" not in shown(app)


@pytest.mark.asyncio
async def test_a_stray_match_removed_by_the_teacher_stops_with_a_reason(tmp_path: Path) -> None:
    app = app_for(tmp_path, name="Ali", seat="pakistan")  # started by mistake, still waiting
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
        console = MatchStore(tmp_path / "matches.sqlite")  # the teacher's console
        assert [m.status for m in console.summaries()] == ["waiting"]
        console.remove(app.code)
        await sees(pilot, app, f"The match cannot go on: there is no match {app.code}")
        assert console.summaries() == []


@pytest.mark.asyncio
async def test_a_class_seat_goes_back_to_its_match_without_the_code(tmp_path: Path) -> None:
    first, code = ali_waiting(tmp_path)
    first.join(code, "Bea Costa", "iran")  # she joined, then her tab closed
    app = app_for(tmp_path, name="bea costa", class_seat=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.played is not None)
        assert (app.code, app.seat) == (code, "iran")


@pytest.mark.asyncio
async def test_a_confirmed_move_goes_down_the_layers_through_each_module_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the key press to the sealed move, the call stack passes through each of the
    game's modules once, front end first, then the seat, then the match store, then the file
    (no module is entered again on the way down, as a guard in the file's module once was)."""
    stacks: list[list[str]] = []
    sealing = match_file.seal

    def seal(db: sqlite3.Connection, code: str, fields: Sequence[Any]) -> None:
        frames = [frame.f_globals.get("__name__", "") for frame, _ in walk_stack(None)]
        stacks.append([name for name in reversed(frames) if name.startswith("game.")])
        sealing(db, code, fields)

    monkeypatch.setattr(match_file, "seal", seal)
    app = app_for(tmp_path, name="Ali", seat="pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        assert MatchStore(tmp_path / "matches.sqlite").join(app.code, "Bea") == "iran"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
    assert len(stacks) == 1
    path = [name for index, name in enumerate(stacks[0]) if stacks[0][index - 1 : index] != [name]]
    assert len(path) == len(set(path)), path  # no module entered twice
    layers = [
        name.split(".")[1] if name.startswith("game.ui") else name.split(".")[2] for name in path
    ]
    order = ["ui", "seats", "records"]
    assert [layer for layer in layers if layer in order] == sorted(
        (layer for layer in layers if layer in order), key=order.index
    ), path
    # the file's module is entered only now, for the seal itself, by the match store
    assert "game.engine.records.match_file" not in path
    assert path[-1] == "game.engine.records.matches", path


@pytest.mark.asyncio
async def test_the_opening_move_is_the_government_s_not_the_student_s(tmp_path: Path) -> None:
    """Iran's seat opens the morning after Iran's strike of 16 January: its timeline shows the
    strike as the government's move before the match, never as the student's ('You:')."""
    app = app_for(tmp_path, name="Bea", seat="iran")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        MatchStore(tmp_path / "matches.sqlite").join(app.code, "Ali")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        (timeline,) = app.screen.query(TimelinePanel)
        told = squeezed(str(timeline.render()))
    assert "16 Jan Iran's" in told and ", before the match: Strike" in told, told
    assert "You:" not in told


@pytest.mark.asyncio
async def test_a_last_poll_while_the_app_closes_does_not_crash(tmp_path: Path) -> None:
    """The match's poll timer can tick once more while the app is closing, when no screen is
    left: it must do nothing (it once raised 'No screens on stack' at exit)."""
    _first, code = ali_waiting(tmp_path)
    app = app_for(tmp_path, name="Bea", code=code)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen | DecisionScreen))
    assert not app.screen_stack
    app.poll()  # the tick that once came after the last screen had gone
