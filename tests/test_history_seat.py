"""A lone student in a class match (the teacher's 'play history'): the free seat plays
history's moves, and every front end says so — the other side is
"history's moves (no classmate)" and each of its moves is history's, never a classmate's nor a
fallback's."""

from __future__ import annotations

import io
from pathlib import Path

from game.engine.checks import loader
from game.engine.classroom.match_debrief import match_debrief
from game.engine.play.match import Match, Move, SeatView
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.seats.match_seat import MatchSeat
from game.plain_match import PlainMatch
from game.reports.debrief_report import debrief_document
from game.reports.match_report import HISTORY_MOVE, NO_CLASSMATE, reveal_blocks
from game.reports.spoken import spoken
from game.reports.writers import to_text
from tests.conftest import FLAGSHIP


def flat(blocks: object) -> str:
    return " ".join(" ".join(spoken(blocks)).split())  # type: ignore[arg-type]


def test_a_free_seat_plays_history_even_where_the_scenario_sets_a_fallback() -> None:
    match = Match(loader.load(FLAGSHIP), {"pakistan": "Ana"}, 0.0)
    while match.turn is not None:
        history = {}
        for seat in match.mode.seats:
            faced = match.point(seat)
            assert faced is not None
            history[seat] = str(faced.history.choice)
        assert match.fallbacks(["iran"])["iran"] == history["iran"]
        assert match.fallbacks(["iran"])["pakistan"] == match.fallbacks()["pakistan"]
        match.play({seat: Move(choice, time=0.0) for seat, choice in history.items()})
    assert match.ending is not None and match.ending.id == "managed_deescalation"


def test_the_reveal_names_history_never_a_classmate() -> None:
    loaded = loader.load(FLAGSHIP)
    match = Match(loaded, {"pakistan": "Ana"}, 0.0)
    view = SeatView(match, "pakistan")
    point = view.point
    assert point is not None
    iran = match.fallbacks(["iran"])["iran"]
    moves = {"pakistan": Move(str(point.history.choice)), "iran": Move(iran, fallback=True)}
    shown = flat(reveal_blocks(view, point, match.play(moves), classmates=True))
    assert f"Iran's government ({NO_CLASSMATE}) moved{HISTORY_MOVE}:" in shown
    assert "no move in time" not in shown and "not joined" not in shown


def test_an_author_s_test_match_keeps_its_fallback_wording() -> None:
    loaded = loader.load(FLAGSHIP)
    match = Match(loaded, {}, 0.0)
    view = SeatView(match, "pakistan")
    point = view.point
    assert point is not None
    moves = {
        "pakistan": Move(str(point.history.choice)),
        "iran": Move(match.fallbacks()["iran"], fallback=True),
    }
    shown = flat(reveal_blocks(view, point, match.play(moves)))
    assert "Iran's government (not joined) moved (no move in time" in shown
    assert NO_CLASSMATE not in shown


def test_the_match_debrief_names_history_s_moves() -> None:
    match = Match(loader.load(FLAGSHIP), {"pakistan": "Ana"}, 0.0)
    while match.turn is not None:
        faced = match.point("pakistan")
        assert faced is not None
        moves = {
            "pakistan": Move(str(faced.history.choice), time=0.0),
            "iran": Move(match.fallbacks(["iran"])["iran"], fallback=True),
        }
        match.play(moves)
    text = " ".join(to_text(debrief_document(match_debrief(SeatView(match, "pakistan")))).split())
    assert f"Iran's government ({NO_CLASSMATE}): " in text
    assert f"{HISTORY_MOVE} — history's move, not scored" in text
    assert "the scenario's fallback stood" not in text


def test_plain_text_names_history_s_moves(tmp_path: Path) -> None:
    store = MatchStore(tmp_path / "matches.sqlite")
    loaded = loader.load(FLAGSHIP)
    code = store.create(loaded.scenario.id, loaded.sha256, ("pakistan", "iran"), 300.0)
    store.give_history(code, "iran")  # the teacher's match for a lone student
    played = MatchSeat.enter(store, RoundStore(tmp_path), loaded, "Ana", "pakistan", code)
    out = io.StringIO()
    try:
        assert PlainMatch(io.StringIO("1\n\n"), out, played=played).run() == 0
    finally:
        store.close()
    text = " ".join(out.getvalue().split())
    assert f"Facing you: Iran's government ({NO_CLASSMATE})" in text
    assert f"Iran's government ({NO_CLASSMATE}) moved{HISTORY_MOVE}:" in text
    assert "Waiting" not in text  # history's move came at once, not at the deadline (300 s)
