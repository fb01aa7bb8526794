"""Head-to-head matches in the engine: turns, sealed moves, what each seat is shown, records."""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.checks.explore_match import explore_match
from game.engine.classroom.match_debrief import match_debrief, replay_record
from game.engine.play.match import Match, Move, SeatView, historical_match
from game.engine.play.roundfile import RoundError, read_header
from game.engine.play.session import Fired, Session
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_round import match_round
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.round_blocks import NOT_HISTORICAL, event_block, event_date
from game.reports.writers import to_text
from tests.conftest import DATA
from tests.conftest import FLAGSHIP as FLAGSHIP_PATH

HISTORY = {
    "answer": {"pakistan": "recall_and_bar", "iran": "defend_and_reassure"},
    "night": {"pakistan": "targeted_strikes", "iran": "calm_tensions"},
    "strikes": {"pakistan": "no_escalation", "iran": "demand_explanation"},
    "settle": {"pakistan": "open_channels", "iran": "agree_deescalate"},
    "visit": {"pakistan": "host_visit", "iran": "fm_visit"},
}


@pytest.fixture(scope="module")
def mini_match() -> LoadedScenario:
    return loader.load(DATA / "mini" / "strait_match.yaml")


def play(loaded: LoadedScenario, *turns: dict[str, str]) -> Match:
    match = Match(loaded, {"pakistan": "Ali", "iran": "Bea"}, 1000.0)
    for moves in turns:
        match.play({seat: Move(choice, time=1000.0) for seat, choice in moves.items()})
    return match


def test_both_seats_playing_history_reproduce_history(flagship: LoadedScenario) -> None:
    match = play(flagship, *HISTORY.values())
    assert [p.turn.id for p in match.played] == list(HISTORY)
    assert match.ending is not None and match.ending.id == "managed_deescalation"
    for seat in ("pakistan", "iran"):
        report = match_debrief(SeatView(match, seat))
        assert report.divergence == 0
        assert all(r.matches for r in report.reviews)
        assert all(m.matches for t in report.match for m in t.moves)


def test_the_opening_is_history_and_not_the_students_decision(flagship: LoadedScenario) -> None:
    match = Match(flagship, {}, 0.0)
    iran, pakistan = match.seats["iran"], match.seats["pakistan"]
    assert [d.point for d in iran.decisions] == ["ir_strike"]  # made before the match began
    assert [e.id for e in match.shown["iran"]] == ["kerman_bombings", "strikes_iraq_syria"]
    assert [e.id for e in match.shown["pakistan"]] == ["iran_strikes_balochistan"]
    assert pakistan.decisions == []
    report = match_debrief(SeatView(play(flagship, *HISTORY.values()), "iran"))
    assert next(r.point.id for r in report.reviews) == "ir_defend"


def test_each_move_reaches_the_other_seat_as_its_event(flagship: LoadedScenario) -> None:
    match = Match(flagship, {}, 0.0)
    reveal = match.play({"pakistan": Move("protest_only"), "iran": Move("express_regret")})
    assert [e.id for e in reveal.shown["iran"]] == ["pakistan_protests"]
    assert next(e.id for e in reveal.shown["pakistan"]) == "iran_expresses_regret"
    assert "china_urges_restraint" in [e.id for e in reveal.shown["pakistan"]]  # the world's
    # the scripted Iranian reaction of a round of one student does not fire in a match
    assert not match.seats["pakistan"].fired("iran_defends_strike")
    assert match.seats["iran"].fired("pakistan_protests")


def test_an_invented_move_is_labelled_wherever_the_other_seat_sees_it(
    flagship: LoadedScenario,
) -> None:
    match = Match(flagship, {}, 0.0)
    reveal = match.play({"pakistan": Move("strike_today"), "iran": Move("warn_pakistan")})
    for seat in ("pakistan", "iran"):
        move = reveal.shown[seat][0]
        assert move.counterfactual
        label = event_block(flagship.scenario, move).spans[0]
        assert (label.text, label.style) == (NOT_HISTORICAL, "strong")


def test_the_turns_situation_replaces_a_narrative_that_assumes_the_other_move(
    flagship: LoadedScenario,
) -> None:
    match = play(flagship, {"pakistan": "strike_today", "iran": "warn_pakistan"})
    assert match.node == "early_strike"
    view = SeatView(match, "iran")
    assert view.point is not None and view.point.id == "ir_answer"
    assert "within a day of Iran's strike" in view.words(view.point)
    assert "near Saravan" in view.point.narrative  # the round of one student keeps its own


def test_routes_read_both_seats_moves(flagship: LoadedScenario) -> None:
    spiral = play(
        flagship,
        {"pakistan": "recall_and_bar", "iran": "warn_pakistan"},
        {"pakistan": "broad_strikes", "iran": "alert_border"},
        {"pakistan": "alert_and_wait", "iran": "counter_strike"},
    )
    assert spiral.node == "exchange"
    assert spiral.seats["pakistan"].fired("iran_counterstrike_pk")
    talk = play(
        flagship,
        {"pakistan": "recall_and_bar", "iran": "warn_pakistan"},
        {"pakistan": "broad_strikes", "iran": "alert_border"},
        {"pakistan": "alert_and_wait", "iran": "counter_strike"},
        {"pakistan": "defend_and_talk", "iran": "defend_and_talk"},
    )
    assert talk.node == "visit"  # both held fire under fire: they meet again


def test_a_turn_needs_a_move_from_each_seat_and_real_choices(flagship: LoadedScenario) -> None:
    match = Match(flagship, {}, 0.0)
    with pytest.raises(RoundError, match="one move from each seat"):
        match.play({"pakistan": Move("recall_and_bar")})
    with pytest.raises(RoundError, match="not a choice"):
        match.play({"pakistan": Move("recall_and_bar"), "iran": Move("strike_jaish")})


def test_fallbacks_are_history_or_the_turns_stated_move(flagship: LoadedScenario) -> None:
    match = play(flagship, {"pakistan": "strike_today", "iran": "defend_and_reassure"})
    assert match.fallbacks() == {"pakistan": "explain_and_call", "iran": "demand_explanation"}


def test_nothing_is_shown_before_its_time_on_any_path(flagship: LoadedScenario) -> None:
    """On 300 random joint paths, every event a seat is shown is dated no later than the
    decision it is shown before."""
    scenario, rng = flagship.scenario, random.Random(17)
    for _ in range(300):
        match = Match(flagship, {}, 0.0)
        while match.turn is not None:
            for seat, events in match.shown.items():
                point = match.point(seat)
                assert point is not None
                for event in events:
                    day = event_date(scenario, event)
                    assert day is None or day <= point.date, (event.id, point.id)
            moves = {}
            for seat in match.mode.seats:
                point = match.point(seat)
                assert point is not None
                moves[seat] = Move(rng.choice(point.choices).id)
            match.play(moves)


def test_the_explorer_counts_joint_paths_exactly(mini_match: LoadedScenario) -> None:
    """The count without walking every path equals walking every path with the engine."""
    walked: Counter[str] = Counter()

    def walk(moves: list[dict[str, str]]) -> None:
        match = Match(mini_match, {}, 0.0)
        for turn in moves:
            match.play({s: Move(c) for s, c in turn.items()})
        if match.ending is not None:
            walked[match.ending.id] += 1
            return
        seats = match.mode.seats
        points = [match.point(s) for s in seats]
        for pair in product(*([c.id for c in p.choices] for p in points if p is not None)):
            walk([*moves, dict(zip(seats, pair, strict=True))])

    walk([])
    report = explore_match(mini_match)
    assert report is not None
    assert report.paths_by_ending == dict(walked) == {"calm_end": 6, "clash_end": 8}
    assert report.historical_turns == ["t1", "t2"]


def test_a_seat_record_is_a_round_file_that_replays_to_the_same_debrief(
    flagship: LoadedScenario,
) -> None:
    match = play(flagship, *list(HISTORY.values())[:2])
    data = json.loads(json.dumps(match_round(SeatView(match, "iran"), "ABC234", None, "playing")))
    assert read_header(data)["role"] == "iran"  # readable as any round
    view, code = replay_record(flagship, data)
    assert code == "ABC234" and view.match.node == "strikes"
    assert view.entries == match.seats["iran"].entries


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["match"].update(code="../../x"), "code"),
        (lambda d: d["match"].update(seat="china"), "not a seat"),
        (lambda d: d["match"]["turns"][0].update(turn="night"), "start a new match"),
        (lambda d: d["match"]["turns"][0]["moves"]["iran"].update(choice="nuke"), "not a choice"),
        (lambda d: d["match"]["turns"][0]["moves"]["iran"].update(seconds=1e300), "damaged"),
        (lambda d: d["match"]["turns"][0]["moves"].pop("iran"), "one move from each seat"),
        (lambda d: d["match"].update(turns="x" * 10), "not a list"),
    ],
)
def test_a_damaged_match_record_is_refused_with_a_reason(
    flagship: LoadedScenario, change: object, message: str
) -> None:
    match = play(flagship, *list(HISTORY.values())[:2])
    data = json.loads(json.dumps(match_round(SeatView(match, "iran"), "ABC234", None, "playing")))
    change(data)  # type: ignore[operator]
    with pytest.raises(RoundError, match=message):
        replay_record(flagship, data)


def test_a_fallback_is_labelled_in_both_debriefs(flagship: LoadedScenario) -> None:
    match = Match(flagship, {"pakistan": "Ali", "iran": "Bea"}, 0.0)
    match.play(
        {"pakistan": Move("recall_and_bar"), "iran": Move("defend_and_reassure", fallback=True)}
    )
    for seat in ("pakistan", "iran"):
        report = match_debrief(SeatView(match, seat))
        text = " ".join(to_text(debrief_document(report)).split())
        assert "Iran's government (Bea): Defend the strike" in text
        assert "no move in time: the scenario's fallback stood" in text
        moves = debrief_data(report)["match"][0]["moves"]
        assert [m["fallback"] for m in moves] == [False, True]
        late = "No move in time — history's move was played for you: Defend the strike"
        assert (late in text) == (seat == "iran")  # in the seat's own review, only its own
        assert ("You chose: Defend the strike" in text) is False
    iran = Match(flagship, {}, 0.0).seats["iran"]
    first = [e.event for e in iran.entries if isinstance(e, Fired) and e.at == "ir_defend"]
    assert first == ["kerman_bombings", "strikes_iraq_syria"]  # on Iran's first screen


def test_the_historical_match_is_history_for_both_seats(flagship: LoadedScenario) -> None:
    match = historical_match(flagship)
    assert match.ending is not None and match.ending.distance == 0
    alone = Session.start(flagship, "pakistan")
    assert alone.point is not None and alone.point.id == "pk_response"  # one student: unchanged


def test_the_class_report_groups_each_match_and_shows_where_pairs_left_history(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    from game.engine.classroom.class_report import build
    from game.reports.class_data import class_data
    from game.reports.class_report import class_document

    folder = tmp_path / "results"
    folder.mkdir()
    played = {
        "HISTRY": play(flagship, *HISTORY.values()),
        "SPRAL2": play(
            flagship,
            {"pakistan": "recall_and_bar", "iran": "warn_pakistan"},
            {"pakistan": "broad_strikes", "iran": "alert_border"},
            {"pakistan": "alert_and_wait", "iran": "counter_strike"},
            {"pakistan": "strike_back", "iran": "defend_and_talk"},
        ),
    }
    for code, match in played.items():
        for seat in ("pakistan", "iran"):
            data = match_round(SeatView(match, seat), code, 2000.0, "finished")
            (folder / f"{data['round']}.json").write_text(json.dumps(data))
    data = class_data(build([folder], FLAGSHIP_PATH))
    (group,) = data["groups"]
    assert group["roles"] == [
        {"role": "pakistan", "name": "Pakistan's caretaker government", "rounds": 2},
        {"role": "iran", "name": "Iran's government", "rounds": 2},
    ]
    matches = {m["match"]: m for m in group["matches"]}
    assert matches["HISTRY"]["ending"] == "managed_deescalation"
    assert [s["first_departure"] for s in matches["HISTRY"]["seats"]] == [None, None]
    spiral = matches["SPRAL2"]
    assert spiral["ending"] == "escalation_spiral"
    assert [s["name"] for s in spiral["seats"]] == ["Ali", "Bea"]
    assert [s["first_departure"]["point"] for s in spiral["seats"]] == ["pk_military", "ir_defend"]
    # the opening (Iran's strike) was history's move, not the student's: never counted
    assert all(p["point"] != "ir_strike" for p in group["points"])
    text = " ".join(to_text(class_document(data)).split())
    assert "Head-to-head matches" in text
    assert "Bea: left it on 17 Jan 2024 (Pakistan's anger): Warn Pakistan publicly" in text
