"""While history is held (a match seat's policy ``debrief``: the creator's choice, or the
teacher's held history), a turn's outcome shows the other seat's move without telling whether
it was history's: one label for every such move, none of its sources, in every front end (they
all render :func:`reveal_blocks`). Before, an invented move was labelled "Not historical" and a
historical one came with the sources quoting what the government really did. With history
shown, a silent seat's automatic move is worded alike on both seats' screens."""

from __future__ import annotations

from pathlib import Path

from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Reveal
from game.engine.seats.match_seat import MatchSeat
from game.engine.seats.match_visit import turn_outcome
from game.reports.match_report import reveal_blocks
from game.reports.round_blocks import HELD_MOVE, LATE_HISTORY, NOT_HISTORICAL, SOURCES_DISAGREE
from game.reports.writers import text_blocks
from tests.test_matches import Clock


def _their_move(played: MatchSeat) -> str:
    """The part of turn 1's outcome about the other seat's move (before the seat's own)."""
    view, point, outcome = turn_outcome(played, 1)
    blocks = reveal_blocks(view, point, outcome, classmates=True)
    text = " ".join(text_blocks(blocks).split())
    own = min(text.find(w) for w in ("You chose", "No move in time —") if w in text)
    return text[:own]


def _play_turn_one(
    tmp_path: Path, flagship: LoadedScenario, reveal: Reveal, iran_moves: bool = True
) -> tuple[MatchSeat, MatchSeat]:
    clock = Clock()
    store = MatchStore(tmp_path / "matches.sqlite", clock)
    ana = MatchSeat.enter(
        store, RoundStore(tmp_path / "ana"), flagship, "Ana", "pakistan", reveal=reveal
    )
    ben = MatchSeat.enter(
        store.reopen(), RoundStore(tmp_path / "ben"), None, "Ben", code=ana.code, reveal=reveal
    )
    for seat in (ana, ben):
        seat.showing()
    pk, ir = ana.view.point, ben.view.point
    assert pk is not None and ir is not None
    assert pk.history.choice is not None
    assert ana.choose(pk.history.choice)  # history's move
    if iran_moves:
        invented = next(c.id for c in ir.choices if c.id != ir.history.choice)
        assert ben.choose(invented)
    else:
        clock.now += 10_000  # Ben silent past the deadline: his automatic move stands
    assert ana.poll() is not None and ben.poll() is not None
    return ana, ben


def test_held_history_shows_the_other_move_without_telling_whether_it_was_history_s(
    tmp_path: Path, flagship: LoadedScenario
) -> None:
    ana, ben = _play_turn_one(tmp_path, flagship, "debrief")
    try:
        for seat in (ana, ben):
            theirs = _their_move(seat)
            assert HELD_MOVE in theirs
            assert NOT_HISTORICAL not in theirs and SOURCES_DISAGREE not in theirs
            assert "“" not in theirs  # no quote of what the government did
            assert f"({'Ben' if seat is ana else 'Ana'}) moved:" in theirs
    finally:
        ana.close()
        ben.close()


def test_with_history_shown_the_labels_and_sources_stay(
    tmp_path: Path, flagship: LoadedScenario
) -> None:
    ana, ben = _play_turn_one(tmp_path, flagship, "immediate")
    try:
        assert NOT_HISTORICAL in _their_move(ana)  # Ben's invented move
        assert SOURCES_DISAGREE in _their_move(ben)  # Ana's, history's, with its sources
        assert HELD_MOVE not in _their_move(ana) + _their_move(ben)
    finally:
        ana.close()
        ben.close()


def test_an_automatic_move_is_worded_alike_on_both_screens(
    tmp_path: Path, flagship: LoadedScenario
) -> None:
    ana, ben = _play_turn_one(tmp_path, flagship, "immediate", iran_moves=False)
    try:
        view, point, outcome = turn_outcome(ben, 1)
        own = text_blocks(reveal_blocks(view, point, outcome, classmates=True))
        assert LATE_HISTORY in own  # Ben's own screen
        assert "history's move was played for them" in _their_move(ana)
        assert "fallback stood" not in _their_move(ana)
    finally:
        ana.close()
        ben.close()
