"""The head-to-head match store: sealed moves, idempotent writes, fallbacks, real processes."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.engine.match_pg import PgMatchStore
from game.engine.matches import MatchError, MatchStore, StoredMove
from game.engine.storage_pg import DatabaseClass
from tests.storage_fixtures import KINDS

NAMES = itertools.count()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[MatchStore]:
    """The SQLite match file, and the same store in a real PostgreSQL server."""
    if request.param == "files":
        store = MatchStore(tmp_path / "matches.sqlite", clock)
    else:
        url = str(request.getfixturevalue("postgres_url"))
        kept = DatabaseClass.open(url, f"m{os.getpid()}-{next(NAMES)}", (), None, True)
        request.addfinalizer(kept.close)
        store = PgMatchStore(kept.connect, kept.where, kept.ident, kept.channel, clock)
    yield store
    store.close()


def test_moves_stay_sealed_until_both_seats_have_moved(store: MatchStore) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    assert store.status(code) == "waiting"
    assert store.join(code, "Ana") == "iran" and store.join(code, "Ben") == "pakistan"
    assert store.status(code) == "playing"
    store.move(code, "iran", 1, "strike_jaish")
    assert store.resolve(code, 1, {}) is None  # sealed: Pakistan has not moved
    store.move(code, "pakistan", 1, "protest_only")
    assert store.resolve(code, 1, {}) == [
        StoredMove("iran", "strike_jaish", False),
        StoredMove("pakistan", "protest_only", False),
    ]


def test_a_move_is_written_once(store: MatchStore) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(code, "Ana")
    store.move(code, "iran", 1, "strike_jaish")
    store.move(code, "iran", 1, "strike_jaish")  # sent twice: kept once
    with pytest.raises(MatchError, match="already moved"):
        store.move(code, "iran", 1, "share_intel")


def test_a_silent_seat_gets_its_fallback_after_the_deadline(
    store: MatchStore, clock: Clock
) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(code, "Ana")
    store.join(code, "Ben")
    store.move(code, "iran", 1, "strike_jaish")
    clock.now += 61
    moves = store.resolve(code, 1, {"pakistan": "recall_and_bar"})
    assert moves == [
        StoredMove("iran", "strike_jaish", False),
        StoredMove("pakistan", "recall_and_bar", True),
    ]


def test_rejoining_with_the_same_name_keeps_the_seat(store: MatchStore, clock: Clock) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    assert store.join(code, "Ana") == "iran"
    assert store.join(code, "Ben") == "pakistan"
    assert store.join(code, "Ana") == "iran"
    with pytest.raises(MatchError, match="full"):
        store.join(code, "Cleo")
    with pytest.raises(MatchError, match="no match"):
        store.join("NOPE42", "Ana")
    clock.now += 31
    assert store.status(code) == "paused"
    assert store.presence(code) == {"iran": "gone", "pakistan": "gone"}
    store.heartbeat(code, "iran")  # one seat's own heartbeat does not speak for the other
    assert store.status(code) == "paused"
    assert store.presence(code) == {"iran": "here", "pakistan": "gone"}
    store.heartbeat(code, "pakistan")
    assert store.status(code) == "playing"
    store.heartbeat(code, "pakistan", here=False)  # left: gone at once
    assert store.presence(code)["pakistan"] == "gone"
    clock.now += 16 * 60
    assert store.status(code) == "abandoned"


def _play_seat(path: str, code: str, seat: str, turns: int, start: Any, out: Any) -> None:
    """One seat's process: each turn, seal the move (twice: a retried write), then resolve
    the turn as a front end does, until both moves are revealed."""
    store = MatchStore(Path(path))
    start.wait()  # both seats begin at the same moment
    seen = []
    for turn in range(1, turns + 1):
        store.move(code, seat, turn, f"{seat}_move_{turn}")
        store.move(code, seat, turn, f"{seat}_move_{turn}")
        while (moves := store.resolve(code, turn, {})) is None:
            time.sleep(0.001)
        seen.append([(m.seat, m.choice, m.fallback) for m in moves])
    out.put((seat, seen))
    store.close()


def test_hundred_turns_with_both_moves_at_once_keep_every_move_once(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    store = MatchStore(path)
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=3600)
    store.join(code, "Ana")
    store.join(code, "Ben")
    store.changed()
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(2), context.Queue()
    seats = [
        context.Process(target=_play_seat, args=(str(path), code, seat, 100, start, out))
        for seat in ("iran", "pakistan")
    ]
    for process in seats:
        process.start()
    results = dict(out.get(timeout=120) for _ in seats)
    for process in seats:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert store.changed()  # the other processes' writes are seen
    expected = [
        [("iran", f"iran_move_{turn}", False), ("pakistan", f"pakistan_move_{turn}", False)]
        for turn in range(1, 101)
    ]
    assert results["iran"] == results["pakistan"] == expected  # both saw every turn alike
    rows = store.db.execute(
        "SELECT turn, seat, COUNT(*) FROM moves WHERE code = ? GROUP BY turn, seat", (code,)
    ).fetchall()
    assert sorted(rows) == [(t, s, 1) for t in range(1, 101) for s in ("iran", "pakistan")]
    assert [[(m.seat, m.choice, m.fallback) for m in t] for t in store.revealed(code)] == expected


def test_a_waiting_seat_looks_when_another_process_writes_or_once_a_second(
    tmp_path: Path,
) -> None:
    from game.engine.match_seat import Watch

    path = tmp_path / "matches.sqlite"
    mine, theirs = MatchStore(path), MatchStore(path)
    code = theirs.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    now = [0.0]
    watch = Watch(mine, every=1.0, clock=lambda: now[0])
    assert watch.due()  # at once
    assert not watch.due()  # nothing written since
    mine.join(code, "Ana")  # its own write does not count
    assert not watch.due()
    theirs.join(code, "Ben")
    assert watch.due()  # another process wrote
    now[0] += 1.0
    assert watch.due()  # a second passed: the deadline may have


def test_the_first_turns_clock_starts_when_the_second_seat_is_taken_once(
    store: MatchStore, clock: Clock
) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    clock.now += 500  # the first student waits a long time for the second
    store.join(code, "Ana")
    store.join(code, "Ben")  # the clock starts now
    store.move(code, "iran", 1, "strike_jaish")
    clock.now += 50
    store.join(code, "Ben")  # rejoining does not give the turn more time
    clock.now += 11
    moves = store.resolve(code, 1, {"pakistan": "recall_and_bar"})
    assert moves == [
        StoredMove("iran", "strike_jaish", False),
        StoredMove("pakistan", "recall_and_bar", True),
    ]


def test_names_and_reasons_are_kept_printable(store: MatchStore) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    assert store.join(code, "\x1b[31mAna\x1b[0m\u202e ") == "iran"
    assert store.info(code).seats["iran"] == "Ana"
    assert store.join(code, "Ana") == "iran"  # the same student, however it was typed
    with pytest.raises(MatchError, match="type your name"):
        store.join(code, "\x1b[2J")
    store.move(code, "iran", 1, "strike_jaish", "why\nnot\x07")
    store.join(code, "Ben")
    store.move(code, "pakistan", 1, "protest_only")
    assert store.resolve(code, 1, {}) is not None
    (turn,) = store.revealed(code)
    assert turn[0].rationale == "why not"
