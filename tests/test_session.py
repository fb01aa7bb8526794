"""Scripted rounds through the small test scenario: indicators, branches, events, endings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from game.engine.play.roundfile import RoundError
from game.engine.play.session import Decision, Fired, Session
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats import recording
from tests.conftest import FakeClock


def play(loaded: LoadedScenario, role: str, choices: list[str], clock: FakeClock) -> Session:
    session = Session.start(loaded, role, "Ada", clock=clock)
    for choice in choices:
        session.choose(choice, f"because {choice}")
    return session


def test_historical_path_for_the_north(mini: LoadedScenario, clock: FakeClock) -> None:
    session = play(mini, "north", ["escort", "talk"], clock)
    assert session.ending is not None and session.ending.id == "calm_end"
    assert session.is_over and session.status == "finished"
    assert session.indicators == {"tension": 40, "standing": 50}
    assert [d.choice for d in session.decisions] == ["escort", "talk"]
    assert session.escalation() == [1, 0]


def test_indicator_changes_are_recorded_and_clamped(mini: LoadedScenario, clock: FakeClock) -> None:
    session = play(mini, "north", ["escort", "press"], clock)
    first, second = session.decisions
    assert (first.before, first.after) == (
        {"tension": 40, "standing": 50},
        {"tension": 50, "standing": 50},
    )
    assert second.after["tension"] == 80
    assert session.ending is not None and session.ending.id == "clash_end"
    role, at = recording.test_start(mini, "n1", ["tension=95"])  # escort's +10 passes the maximum
    near_top = Session.start(mini, role, clock=clock, at=at)
    near_top.choose("escort")
    [decision] = near_top.decisions
    assert (decision.before["tension"], decision.after["tension"]) == (95, 100)
    assert near_top.indicators["tension"] == 100


def test_withdraw_clamps_at_zero_standing_floor(mini: LoadedScenario, clock: FakeClock) -> None:
    session = play(mini, "north", ["withdraw"], clock)
    assert session.indicators == {"tension": 20, "standing": 40}  # no bound reached
    assert session.ending is not None and session.ending.id == "calm_end"
    role, at = recording.test_start(mini, "n1", ["tension=10", "standing=5"])  # -20, -10: past 0
    near_floor = Session.start(mini, role, clock=clock, at=at)
    near_floor.choose("withdraw")
    [decision] = near_floor.decisions
    assert decision.before == {"tension": 10, "standing": 5}
    assert decision.after == near_floor.indicators == {"tension": 0, "standing": 0}


def test_events_fire_on_arrival_when_their_condition_holds(
    mini: LoadedScenario, clock: FakeClock
) -> None:
    session = Session.start(mini, "south", clock=clock)
    assert [e.event for e in session.entries if isinstance(e, Fired)] == ["fleet_arrives"]
    assert session.indicators["tension"] == 45
    step = session.choose("recall")
    assert [e.id for e in step.events] == ["north_rams"]
    assert session.indicators["tension"] == 80
    assert session.rung == "clash"
    step = session.choose("offer")
    assert step.ending is not None and step.ending.id == "clash_end"


def test_events_stay_silent_when_their_condition_fails(
    mini: LoadedScenario, clock: FakeClock
) -> None:
    session = Session.start(mini, "south", clock=clock)
    step = session.choose("ignore")
    assert step.events == ()
    assert session.choose("offer").ending.id == "calm_end"  # type: ignore[union-attr]


def test_branches_follow_indicators(mini: LoadedScenario, clock: FakeClock) -> None:
    session = Session.start(mini, "north", clock=clock)
    session.choose("escort")
    session.indicators["tension"] = 75  # as if earlier events had raised it
    assert session.choose("talk").ending.id == "clash_end"  # type: ignore[union-attr]


def test_decisions_record_rationale_and_time_taken(mini: LoadedScenario) -> None:
    clock = FakeClock(start=100.0, step=12.0)
    session = Session.start(mini, "north", clock=clock)
    decision = session.choose("escort", "  keep\tthe \x1b[31mlanes\x1b[0m open \n")
    assert isinstance(decision.decision, Decision)
    assert decision.decision.rationale == "keep the lanes open"
    assert decision.decision.seconds == 12.0


def test_unknown_role_and_choice_are_refused(mini: LoadedScenario) -> None:
    with pytest.raises(RoundError, match="'east' is not a role"):
        Session.start(mini, "east")
    session = Session.start(mini, "north")
    with pytest.raises(RoundError, match="'talk' is not a choice at 'n1'"):
        session.choose("talk")
    session.choose("withdraw")
    with pytest.raises(RoundError, match="the round has ended"):
        session.choose("escort")


@pytest.mark.parametrize("steps", [0, 1, 2])
def test_save_and_resume_round_trip(mini: LoadedScenario, clock: FakeClock, steps: int) -> None:
    path = ["recall", "offer"]
    session = play(mini, "south", path[:steps], clock)
    data = json.loads(json.dumps(session.to_dict()))
    resumed = Session.resume(mini, data, clock=clock)
    assert resumed.to_dict() == session.to_dict()
    for choice in path[steps:]:
        session.choose(choice, "same", at=clock.now + 1)
        resumed.choose(choice, "same", at=clock.now + 1)
    assert resumed.to_dict()["state"] == session.to_dict()["state"]
    assert resumed.ending is not None and resumed.ending.id == "clash_end"


def test_resume_refuses_a_save_from_another_scenario(
    mini: LoadedScenario, flagship: LoadedScenario
) -> None:
    data = Session.start(mini, "north").to_dict()
    with pytest.raises(RoundError, match="scenario 'strait', not 'iran_pakistan_2024'"):
        Session.resume(flagship, data)


def test_resume_refuses_a_removed_choice(mini: LoadedScenario) -> None:
    session = Session.start(mini, "north")
    session.choose("escort")
    data = session.to_dict()
    data["entries"][0]["choice"] = "bombard"
    with pytest.raises(RoundError, match="choice 'bombard' is no longer offered at 'n1'"):
        Session.resume(mini, data)


def test_resume_refuses_a_save_that_no_longer_plays_out_the_same(mini: LoadedScenario) -> None:
    session = Session.start(mini, "north")
    session.choose("escort")
    data = session.to_dict()
    data["entries"][0]["after"]["tension"] = 99
    with pytest.raises(RoundError, match="no longer plays out the same way"):
        Session.resume(mini, data)


def test_resume_refuses_a_removed_point(mini: LoadedScenario) -> None:
    session = Session.start(mini, "north")
    session.choose("escort")
    session.choose("talk")
    data = session.to_dict()
    data["entries"][1]["point"] = "n9"
    with pytest.raises(RoundError, match="decision 2 was made at 'n9'"):
        Session.resume(mini, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "saved by a newer Flashpoint"),
        (lambda d: d.update(format="other"), "not a Flashpoint round file"),
        (lambda d: d.pop("entries"), "damaged: .entries. is not a list"),
        (lambda d: d.update(entries="oops"), "damaged: .entries. is not a list"),
        (lambda d: d.update(version="1"), "no valid version"),
    ],
)
def test_damaged_round_data_is_refused(
    mini: LoadedScenario, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = Session.start(mini, "north").to_dict()
    change(data)
    with pytest.raises(RoundError, match=message):
        Session.resume(mini, data)


def test_sessions_are_deterministic(mini: LoadedScenario) -> None:
    first = play(mini, "south", ["recall", "offer"], FakeClock())
    second = play(mini, "south", ["recall", "offer"], FakeClock())
    one, two = first.to_dict(), second.to_dict()
    one.pop("round"), two.pop("round")
    assert one == two
