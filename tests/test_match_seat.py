"""A match seat's lifecycle in the engine (``game.engine.seats.match_seat``), the same for every
front end: joining, sealing, records, leaving, the reveal policy and "gone"."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from game.engine.base.problems import FlashpointError
from game.engine.records.matches import GONE_AFTER, MatchError, MatchStore
from game.engine.records.storage import open_class
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from tests.storage_fixtures import KINDS

NAMES = itertools.count()


def record(home: Path, played: MatchSeat) -> dict[str, object]:
    data = json.loads(played.record_path.read_text())
    assert played.record_path.parent == home / "results"
    return data  # type: ignore[no-any-return]


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MatchStore]:
    """The match file, or the matches of a class in a real PostgreSQL server."""
    if request.param == "files":
        yield MatchStore(tmp_path / "matches.sqlite")
        return
    url = str(request.getfixturevalue("postgres_url"))
    kept = open_class(url, name=f"seat-{os.getpid()}-{next(NAMES)}")
    yield kept.new_matches()  # type: ignore[misc]
    kept.close()


def two_seats(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path
) -> tuple[MatchSeat, MatchSeat]:
    ali = MatchSeat.enter(store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan")
    bea = MatchSeat.enter(store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code)
    return ali, bea


def test_a_seat_is_recorded_when_it_joins_and_abandoned_when_it_leaves(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path
) -> None:
    ali, bea = two_seats(store, flagship, tmp_path)
    try:
        assert bea.seat == "iran" and bea.other_name() == "Ali"
        assert record(tmp_path / "ali", ali)["status"] == "playing"
        assert ali.other_presence() == "here"
        bea.leave()
        assert record(tmp_path / "bea", bea)["status"] == "abandoned"
        assert ali.other_presence() == "gone"  # at once, not after the heartbeat's silence
        assert store.status(ali.code) == "paused"
        bea.leave()  # a second way out (the app's unmount after its quit key) changes nothing
        again = MatchSeat.enter(store, RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code)
        assert again.seat == "iran" and ali.other_presence() == "here"
        assert record(tmp_path / "bea", again)["status"] == "playing"
        again.leave()
    finally:
        ali.leave()


def test_a_turn_is_sealed_at_once_and_recorded_when_revealed(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path
) -> None:
    ali, bea = two_seats(store, flagship, tmp_path)
    try:
        with pytest.raises(MatchError, match="not a choice of this turn"):
            ali.choose("launch_everything")
        assert ali.choose("recall_and_bar", "firm") and ali.sealed() == "recall_and_bar"
        assert ali.poll() is None  # sealed until Iran moves
        assert bea.choose("defend_and_reassure")
        reveal = ali.poll()
        assert reveal is not None and bea.poll() is not None
        turns = record(tmp_path / "ali", ali)["match"]["turns"]  # type: ignore[index]
        assert [t["moves"]["pakistan"]["rationale"] for t in turns] == ["firm"]
        assert ali.number == bea.number == 2
    finally:
        ali.leave()
        bea.leave()


def test_two_windows_cannot_play_one_seat(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path
) -> None:
    ali = MatchSeat.enter(store, RoundStore(tmp_path), flagship, "Ali", "pakistan")
    try:
        with pytest.raises(FlashpointError, match="being played in another Flashpoint"):
            MatchSeat.enter(store, RoundStore(tmp_path), None, "Ali", code=ali.code)
    finally:
        ali.leave()
    MatchSeat.enter(store, RoundStore(tmp_path), None, "Ali", code=ali.code).leave()


@pytest.mark.parametrize(
    ("first", "then", "kept"),
    [
        ("debrief", "immediate", "debrief"),
        ("debrief", None, "debrief"),
        ("immediate", "debrief", "debrief"),
        ("immediate", None, "immediate"),
    ],
)
def test_rejoining_keeps_the_reveal_policy_and_can_only_tighten_it(
    store: MatchStore,
    flagship: LoadedScenario,
    tmp_path: Path,
    first: str,
    then: str | None,
    kept: str,
) -> None:
    rounds = RoundStore(tmp_path)
    ali = MatchSeat.enter(store, rounds, flagship, "Ali", "pakistan", reveal=first)  # type: ignore[arg-type]
    ali.leave()
    again = MatchSeat.enter(store, rounds, None, "Ali", code=ali.code, reveal=then)  # type: ignore[arg-type]
    again.leave()
    assert again.view.reveal == kept
    assert record(tmp_path, again)["settings"] == {"reveal": kept}


def test_a_damaged_record_rejoins_with_history_held_back(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path
) -> None:
    rounds, told = RoundStore(tmp_path), list[str]()
    ali = MatchSeat.enter(store, rounds, flagship, "Ali", "pakistan", reveal="immediate")
    ali.leave()
    ali.record_path.write_text('{"format": "flashpoint-round", "version": "one"}')
    again = MatchSeat.enter(store, rounds, None, "Ali", code=ali.code, warn=told.append)
    again.leave()
    assert again.view.reveal == "debrief"
    assert told and "cannot be read" in told[0]


def test_a_seat_is_gone_by_its_own_silence_not_the_other_seats(tmp_path: Path) -> None:
    now = [1000.0]
    store = MatchStore(tmp_path / "matches.sqlite", clock=lambda: now[0])
    code = store.create("flagship", "0" * 64, ("pakistan", "iran"), 300)
    store.join(code, "Ali")
    store.join(code, "Bea")
    for _ in range(10):  # Ali keeps beating; Bea went silent at 1000
        now[0] += GONE_AFTER / 5
        store.heartbeat(code, "pakistan")
        expected = "here" if now[0] - 1000.0 <= GONE_AFTER else "gone"
        assert store.presence(code) == {"pakistan": "here", "iran": expected}
    assert GONE_AFTER + 1.0 < 10.0  # gone, and seen by a waiting seat's next look, within 10 s
    [summary] = store.summaries()
    assert summary.status == "paused" and summary.gone == ("iran",)


async def test_a_match_key_press_reaches_the_saved_move_through_each_module_once(
    tmp_path: Path,
) -> None:
    """From the confirming key to the sealed move: the front end, the engine's seat, the
    match store, each once (the store's own frames replaced here by the recording one)."""
    from game.engine.checks import loader
    from game.ui.match_app import MatchApp, MatchRequest
    from game.ui.screens.decision import DecisionScreen
    from game.ui.screens.match import BriefingScreen, WaitingScreen
    from tests.conftest import FLAGSHIP
    from tests.ui_helpers import until

    walks: list[list[str]] = []
    original = MatchStore.move

    def move(self: MatchStore, *args: object, **kwargs: object) -> None:
        frame: FrameType | None = sys._getframe()
        modules: list[str] = []
        while frame is not None:
            name = str(frame.f_globals.get("__name__", ""))
            if name.startswith("game.") and (not modules or modules[-1] != name):
                modules.append(name)
            frame = frame.f_back
        walks.append(modules[::-1])
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    loaded = loader.load(FLAGSHIP)
    app = MatchApp(
        MatchStore(tmp_path / "matches.sqlite"),
        RoundStore(tmp_path),
        MatchRequest(loaded=loaded, name="Ali", seat="pakistan"),
    )
    patch = pytest.MonkeyPatch()
    patch.setattr(MatchStore, "move", move)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
    finally:
        patch.undo()
    [walk] = walks  # the dialog answers through its callback: the walk starts in the app
    assert walk == ["game.ui.match_app", "game.engine.seats.match_seat"]  # then the store's move
