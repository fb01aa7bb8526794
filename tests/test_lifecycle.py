"""The round lifecycle: saving, recording and the reveal policy, the same for every front end."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from game.engine.play import machine
from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import Round, latest_saved, stricter
from tests.conftest import FLAGSHIP, MINI
from tests.pty_helpers import Terminal


def records(home: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((home / "results").glob("*.json"))]


def saves(home: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((home / "saves").glob("*.json"))]


def test_a_round_is_saved_at_once_and_after_each_decision(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north", "Ada")
    assert [s["round"] for s in saves(tmp_path)] == [played.session.round_id]
    played.choose(played.session.choices[0].id, "because")
    assert saves(tmp_path)[0]["entries"][0]["rationale"] == "because"
    assert records(tmp_path) == []


def test_the_end_of_a_round_writes_its_record_and_drops_its_save(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    played = Round.start(RoundStore(tmp_path), mini, "north")
    while not played.is_over:
        played.choose(played.session.choices[0].id)
    assert saves(tmp_path) == []
    assert [r["status"] for r in records(tmp_path)] == ["finished"]
    played.leave()  # leaving a finished round changes nothing
    assert [r["status"] for r in records(tmp_path)] == ["finished"]


def test_leaving_records_an_abandoned_round_once_and_keeps_it_to_continue(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north")
    played.choose(played.session.choices[0].id)
    played.leave()
    played.leave()
    assert [r["status"] for r in records(tmp_path)] == ["abandoned"]
    saved = latest_saved(store, mini.scenario.id)
    assert saved is not None and saved.decisions == 1
    again = Round.resume(store, saved, mini)
    assert again.session.status == "playing"
    while not again.is_over:
        again.choose(again.session.choices[0].id)
    assert [r["status"] for r in records(tmp_path)] == ["finished"]  # the same record, updated


@pytest.mark.parametrize(
    ("saved", "requested", "kept"),
    [
        ("debrief", None, "debrief"),
        ("debrief", "immediate", "debrief"),
        ("immediate", "debrief", "debrief"),
        ("immediate", None, "immediate"),
    ],
)
def test_the_reveal_policy_is_saved_and_a_resume_never_loosens_it(
    mini: LoadedScenario, tmp_path: Path, saved: str, requested: str | None, kept: str
) -> None:
    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north", reveal=saved)  # type: ignore[arg-type]
    assert saves(tmp_path)[0]["settings"] == {"reveal": saved}
    played.release()  # as when the student leaves it
    resumed = Round.resume(store, played.saved_path or Path(), mini, reveal=requested)  # type: ignore[arg-type]
    assert resumed.session.reveal == kept == stricter(saved, requested)  # type: ignore[arg-type]


def test_an_old_save_without_settings_takes_the_scenarios_policy(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north")
    played.release()
    path = played.saved_path
    assert path is not None
    data = json.loads(path.read_text())
    del data["settings"]
    path.write_text(json.dumps(data))
    assert Round.resume(store, path, mini).session.reveal == mini.scenario.reveal


def test_rounds_of_a_role_share_one_machine_and_leave_it_when_they_end(
    mini: LoadedScenario,
) -> None:
    first = Session.start(mini, "north")
    second = Session.start(mini, "north")
    role_machine = machine.for_role(mini, "north")
    assert first._machine is second._machine is role_machine
    assert len(role_machine.machine.models) >= 2
    for session in (first, second):
        while not session.is_over:
            assert set(session.offered()) == {c.id for c in session.choices}
            session.choose(session.choices[-1].id)
    assert first._cursor not in role_machine.machine.models
    assert second._cursor not in role_machine.machine.models
    assert role_machine.is_final(first._cursor)  # type: ignore[arg-type]


def test_a_choice_the_machine_does_not_offer_is_refused(mini: LoadedScenario) -> None:
    from game.engine.play.roundfile import RoundError

    session = Session.start(mini, "north")
    with pytest.raises(RoundError, match="is not a choice"):
        session.choose("no_such_choice")


# --- every way out of a real process writes an abandoned record ---------------------------


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_to_a_plain_round_records_it_as_abandoned(tmp_path: Path, signum: int) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    home = tmp_path / "home"
    process = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "play", str(MINI), "--plain", "--role", "north"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={"FLASHPOINT_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdin is not None
    shown = ""
    while "Your decision" not in shown:
        character = process.stdout.read(1)
        assert character, "the round ended before asking for a decision"
        shown += character
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert "Continue it with --continue" in out
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert [r["status"] for r in records(home)] == ["abandoned"]
    assert len(saves(home)) == 1


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_to_the_full_screen_game_records_the_round_as_abandoned(
    tmp_path: Path, signum: int
) -> None:
    home = tmp_path / "home"
    terminal = Terminal(home, "play", str(FLAGSHIP), "--role", "pakistan")
    try:
        mark = terminal.wait_for("What do you decide?")
        mark = terminal.decide("2", after=mark)
        terminal.press("\r")
        terminal.wait_for("What do you decide?", after=mark)
        terminal.process.send_signal(signum)
        terminal.process.wait(timeout=30)
    finally:
        terminal.close()
    assert [r["status"] for r in records(home)] == ["abandoned"]
    [saved] = saves(home)
    assert [e["choice"] for e in saved["entries"] if e["kind"] == "decision"] == ["recall_and_bar"]


def test_a_round_played_in_one_process_cannot_be_continued_in_another(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    import os

    from tests.conftest import run_flashpoint

    store = RoundStore(tmp_path)
    played = Round.start(store, mini, "north")
    continuing = ("play", str(MINI), "--plain", "--continue")
    result = run_flashpoint(*continuing, home=tmp_path, stdin="1\n\n")
    assert result.returncode == 1
    assert f"being played in another Flashpoint (process {os.getpid()})" in result.stderr
    assert played.saved_path is not None and played.saved_path.name in result.stderr
    first = played.session.choices[0].id
    played.choose(first)  # the refused process wrote nothing over this round
    kept = saves(tmp_path) or records(tmp_path)
    assert [e["choice"] for e in kept[0]["entries"] if e["kind"] == "decision"] == [first]
    played.leave()
    again = run_flashpoint(*continuing, home=tmp_path, stdin="1\n\n")
    assert again.returncode == 0, again.stderr


def test_continue_finds_a_round_behind_many_newer_saves_of_other_scenarios(
    mini: LoadedScenario, flagship: LoadedScenario, tmp_path: Path
) -> None:
    import os

    store = RoundStore(tmp_path)
    wanted = Session.start(mini, "north")
    store.save(wanted)
    os.utime(store.save_path(wanted), (1_000_000, 1_000_000))
    for number in range(45):  # more than the title screen lists
        other = Session.start(flagship, "iran")
        other.round_id = f"other-{number}"
        store.save(other)
    assert latest_saved(store, flagship.scenario.id) is not None
    found = latest_saved(store, mini.scenario.id)
    assert found is not None and found.round_id == wanted.round_id
    assert latest_saved(store, mini.scenario.id, role="south") is None
