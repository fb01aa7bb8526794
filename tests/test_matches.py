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

from game.engine.records.match_pg import PgMatchStore
from game.engine.records.matches import MatchError, MatchStore, StoredMove
from game.engine.records.storage_pg import DatabaseClass
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
    store.showing(code, "pakistan", 1)  # Ben has the turn on screen, and stays silent
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
    from game.engine.seats.match_seat import Watch

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


def test_a_turns_clock_starts_when_both_seats_have_it_on_screen(
    store: MatchStore, clock: Clock
) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    clock.now += 500  # the first student waits a long time for the second
    store.join(code, "Ana")
    store.join(code, "Ben")
    store.move(code, "iran", 1, "strike_jaish")  # Ana has seen the turn: she moved
    assert store.remaining(code, 1) is None  # Ben is still reading: no clock yet
    clock.now += 30
    assert store.resolve(code, 1, {"pakistan": "recall_and_bar"}) is None
    store.showing(code, "pakistan", 1)  # the clock starts now
    clock.now += 50
    assert store.remaining(code, 1) == 10
    store.join(code, "Ben")  # his server restarted: the clock waits for him again
    clock.now += 30
    assert store.remaining(code, 1) is None
    assert store.resolve(code, 1, {"pakistan": "recall_and_bar"}) is None  # no automatic move
    store.showing(code, "pakistan", 1)  # back: the whole time again
    store.showing(code, "pakistan", 1)  # the first time shown counts
    clock.now += 59
    assert store.resolve(code, 1, {"pakistan": "recall_and_bar"}) is None
    clock.now += 1
    assert store.remaining(code, 1) == 0
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


def test_reading_is_bounded_a_seat_that_never_shows_the_turn_gets_its_fallback(
    store: MatchStore, clock: Clock
) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(code, "Ana")
    store.join(code, "Ben")  # and then stays on the briefing, or closes the tab for good
    store.showing(code, "iran", 1)
    store.move(code, "iran", 1, "strike_jaish")
    clock.now += 60  # reading counts as having the turn on screen after one deadline...
    assert store.remaining(code, 1) == 60
    clock.now += 59
    assert store.resolve(code, 1, {"pakistan": "recall_and_bar"}) is None
    clock.now += 1  # ...and the move's time runs out one deadline later
    moves = store.resolve(code, 1, {"pakistan": "recall_and_bar"})
    assert moves is not None and moves[1] == StoredMove("pakistan", "recall_and_bar", True)


def test_a_lone_student_s_clock_waits_for_a_partner_unless_the_seat_is_history_s(
    store: MatchStore, clock: Clock
) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    clock.now += 20
    store.join(code, "Ana")
    assert store.remaining(code, 1) is None  # her clock starts when she has the turn
    clock.now += 5
    store.showing(code, "iran", 1)
    clock.now += 600
    assert store.remaining(code, 1) is None  # ... and a partner has it too: none has joined
    assert store.resolve(code, 1, {"iran": "hold", "pakistan": "recall_and_bar"}) is None
    store.give_history(code, "pakistan")  # the teacher: her match is against history's moves
    assert store.remaining(code, 1) == 0  # a free seat of history's has nothing to read
    store.move(code, "iran", 1, "strike_jaish")
    moves = store.resolve(code, 1, {"iran": "hold", "pakistan": "recall_and_bar"})
    assert moves is not None and moves[1] == StoredMove("pakistan", "recall_and_bar", True)
    assert store.info(code).history == {"pakistan"}


def test_the_console_removes_a_stray_match_but_not_one_being_played(
    store: MatchStore, clock: Clock
) -> None:
    stray = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(stray, "Ana")  # started by mistake; she went on to join her partner's
    played = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(played, "Ana")
    store.join(played, "Ben")
    store.showing(played, "iran", 1)
    store.move(played, "pakistan", 1, "protest_only")
    with pytest.raises(MatchError, match="both students are playing"):
        store.remove(played)
    store.remove(stray)
    assert [m.code for m in store.summaries()] == [played]
    with pytest.raises(MatchError, match="no match"):
        store.join(stray, "Cleo")
    with pytest.raises(MatchError, match="no match"):
        store.remove(stray)
    clock.now += 31  # both gone quiet (their server stopped): it may go
    store.remove(played)
    assert store.summaries() == []
    left = {
        table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("matches", "seats", "turns", "moves", "shown")
    }
    assert left == dict.fromkeys(left, 0)


def test_a_seat_the_teacher_kept_for_a_student_goes_to_nobody_else(store: MatchStore) -> None:
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.reserve(code, "iran", "Ana")
    store.reserve(code, "pakistan", "Ben")
    with pytest.raises(MatchError, match="full"):
        store.join(code, "Cleo")  # typed the code of a pair's match
    with pytest.raises(MatchError, match="not free"):
        store.join(code, "Cleo", "iran")
    assert store.join(code, "Ben") == "pakistan"
    assert store.join(code, "Ana", "pakistan") == "iran"  # hers, whatever she asks for
    assert store.info(code).seats == {"iran": "Ana", "pakistan": "Ben"}
