"""The storage contract: the same behaviours on the class folder and on a real PostgreSQL
server (tests/storage_fixtures.py). Each ``open_storage()`` is another connection to the same
class, as another ``serve`` process would have."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from game.engine.checks.loader import LoadedScenario
from game.engine.play import pacing
from game.engine.play.session import Session
from game.engine.records.pacing_file import read_control, update
from game.engine.records.storage import (
    Change,
    ClassStorage,
    Conflict,
    Held,
    StorageError,
    open_class,
)
from game.engine.records.storage_files import FileClass
from game.engine.records.storage_pg import DatabaseClass
from game.engine.records.store import StoreError
from game.engine.records.stored_rounds import round_store
from game.engine.seats.lifecycle import Round, latest_saved
from tests import pg_server
from tests.conftest import ROOT
from tests.storage_fixtures import Opener, open_storage, storage

__all__ = ["open_storage", "storage"]
WAIT = 15.0
"""Longest a test waits for a notification (a bound on the loop, not a timed assertion)."""


def _round(mini: LoadedScenario, player: str = "Ana") -> Session:
    return Session.start(mini, mini.scenario.roles[0].id, player)


def test_a_seat_is_made_once_and_found_again_by_name(storage: ClassStorage) -> None:
    first = storage.seats.join("  Ana  Lima ")
    assert first.name == "Ana Lima" and first.secret == "" and first.pin == ""
    again = storage.seats.join("ana lima")
    assert again.student == first.student and again.joined == first.joined
    other = storage.seats.join("Ben")
    assert [row.student for row in storage.seats.all()] == [first.student, other.student]
    assert storage.seats.get(first.student) == first
    assert storage.seats.get("nobody-0000000000") is None


def test_a_seat_update_names_the_version_it_read(open_storage: Opener) -> None:
    one, two = open_storage(), open_storage()
    row = one.seats.join("Ana")
    updated = one.seats.update(row, secret="s1", pin="p1")
    assert updated.version == row.version + 1
    assert two.seats.get(row.student) == updated
    with pytest.raises(Conflict):
        two.seats.update(row, pin="p2")  # read before the update: refused, nothing written
    assert one.seats.get(row.student) == updated
    assert two.seats.update(updated, pin="p2").pin == "p2"


def test_a_save_never_silently_overwrites_another(
    open_storage: Opener, mini: LoadedScenario
) -> None:
    one, two = open_storage(), open_storage()
    student = one.seats.join("Ana").student
    session = _round(mini)
    data = session.to_dict()
    version = one.rounds.save(student, session.round_id, data)
    with pytest.raises(Conflict):
        two.rounds.save(student, session.round_id, data)  # "new", but it exists
    read = two.rounds.load(student, session.round_id)
    assert read is not None and read.data == data and read.version == version
    session.choose(session.choices[0].id)
    newer = two.rounds.save(student, session.round_id, session.to_dict(), read.version)
    assert newer != version
    with pytest.raises(Conflict):  # one still holds the version before two's save
        one.rounds.save(student, session.round_id, data, version)
    kept = one.rounds.load(student, session.round_id)
    assert kept is not None and kept.data == session.to_dict() and kept.version == newer


def test_two_saves_at_once_from_the_same_version_keep_exactly_one(
    open_storage: Opener, mini: LoadedScenario
) -> None:
    stores = [open_storage() for _ in range(4)]
    student = stores[0].seats.join("Ana").student
    session = _round(mini)
    version = stores[0].rounds.save(student, session.round_id, session.to_dict())
    barrier = threading.Barrier(len(stores))
    won: list[int] = []
    lost: list[int] = []

    def save(number: int) -> None:
        data = {**session.to_dict(), "player": f"writer {number}"}
        barrier.wait()
        try:
            stores[number].rounds.save(student, session.round_id, data, version)
            won.append(number)
        except Conflict:
            lost.append(number)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(won) == 1 and len(lost) == len(stores) - 1
    kept = stores[0].rounds.load(student, session.round_id)
    assert kept is not None and kept.data["player"] == f"writer {won[0]}"


def test_rounds_in_progress_newest_first_and_a_finished_record_ends_the_save(
    storage: ClassStorage, mini: LoadedScenario
) -> None:
    student = storage.seats.join("Ana").student
    old, new = _round(mini), _round(mini)
    storage.rounds.save(student, old.round_id, old.to_dict())
    storage.rounds.save(student, new.round_id, new.to_dict())
    assert {s.round_id for s in storage.rounds.in_progress(student)} == {
        old.round_id,
        new.round_id,
    }
    while not new.is_over:
        new.choose(new.choices[0].id)
    storage.records.put(student, new.round_id, new.to_dict())
    assert [s.round_id for s in storage.rounds.in_progress(student)] == [old.round_id]
    assert storage.rounds.load(student, new.round_id) is None
    old.abandon()
    storage.records.put(student, old.round_id, old.to_dict())  # abandoned: the save stays
    records = {r.round_id: r.status for r in storage.records.of(student)}
    assert records == {new.round_id: "finished", old.round_id: "abandoned"}
    every, warnings = storage.records.all()
    assert {r.round_id for r in every} == set(records) and warnings == []
    assert storage.rounds.in_progress(student)[0].round_id == old.round_id


def test_a_delete_names_the_version_it_read(storage: ClassStorage, mini: LoadedScenario) -> None:
    student = storage.seats.join("Ana").student
    session = _round(mini)
    first = storage.rounds.save(student, session.round_id, session.to_dict())
    session.choose(session.choices[0].id)
    storage.rounds.save(student, session.round_id, session.to_dict(), first)
    with pytest.raises(Conflict):
        storage.rounds.delete(student, session.round_id, first)
    saved = storage.rounds.load(student, session.round_id)
    assert saved is not None
    storage.rounds.delete(student, session.round_id, saved.version)
    assert storage.rounds.load(student, session.round_id) is None


@pytest.mark.parametrize("student", ["../../etc", "Ana", "a/b", "", "x" * 300])
def test_a_student_id_is_never_a_path(storage: ClassStorage, student: str) -> None:
    with pytest.raises(StorageError, match="not a student id"):
        storage.rounds.load(student, "round-1")


@pytest.mark.parametrize("round_id", ["../x", ".hidden", "a b", "A", ""])
def test_a_round_id_is_never_a_path(storage: ClassStorage, round_id: str) -> None:
    student = storage.seats.join("Ana").student
    with pytest.raises(StorageError, match="not a round id"):
        storage.rounds.save(student, round_id, {})


def test_a_round_is_held_by_one_process_at_a_time(open_storage: Opener) -> None:
    one, two = open_storage(), open_storage()
    student = one.seats.join("Ana").student
    lease = one.rounds.lease(student, "round-1")
    with pytest.raises(Held):
        two.rounds.lease(student, "round-1")
    other = two.rounds.lease(student, "round-2")  # another round is free
    lease.release()
    lease.release()  # twice is harmless
    two.rounds.lease(student, "round-1").release()
    other.release()


def test_the_control_state_is_compared_and_set(open_storage: Opener) -> None:
    one, two = open_storage(), open_storage()
    assert one.control.load() == (None, 0)
    version = one.control.save({"pace": "teacher"}, 0)
    assert two.control.load() == ({"pace": "teacher", "version": version}, version)
    with pytest.raises(Conflict):
        two.control.save({"pace": "student"}, 0)
    assert two.control.save({"pace": "student"}, version) == version + 1
    assert one.control.load() == ({"pace": "student", "version": version + 1}, version + 1)


def test_the_control_state_is_the_pacing_engines(storage: ClassStorage) -> None:
    """What storage.control keeps, the pacing engine reads; and what it writes, storage
    reads (the class folder: the pacing file itself)."""
    now = 1_800_000_000.0
    control = pacing.open_decision(pacing.ClassControl(), 1, 90.0, now)
    version = storage.control.save(pacing.to_json(control), 0)
    state, read = storage.control.load()
    assert state is not None and read == version
    assert pacing.from_json(state) == replace(control, version=version)
    if isinstance(storage, FileClass):
        assert read_control(storage.path) == pacing.from_json(state)
        update(storage.path, lambda c: pacing.pause(c, now + 10))
        state, read = storage.control.load()
        assert state is not None and pacing.from_json(state).paused and read == version + 1


def _heard(listening: ClassStorage, kind: str, write: Callable[[], None]) -> list[Change]:
    """What ``listening`` hears while ``write`` is made (again, up to five times: a listener
    may start listening only after the first write)."""
    heard: list[Change] = []
    got = threading.Event()

    def listener(change: Change) -> None:
        heard.append(change)
        if change.kind == kind:
            got.set()

    stop = listening.changes.subscribe(listener)
    for _ in range(5):
        write()
        if got.wait(WAIT / 5):
            break
    stop()
    return heard


def test_another_process_hears_of_a_control_change(open_storage: Opener) -> None:
    one, two = open_storage(), open_storage()

    def write() -> None:
        one.control.save({"mode": "paced"}, one.control.load()[1])

    assert Change("control") in _heard(two, "control", write)


def test_a_write_notifies_this_process(storage: ClassStorage, mini: LoadedScenario) -> None:
    student = storage.seats.join("Ana").student

    def write() -> None:
        session = _round(mini)
        storage.rounds.save(student, session.round_id, session.to_dict())

    assert Change("round", student) in _heard(storage, "round", write)


def test_matches_are_shared_between_processes(open_storage: Opener) -> None:
    one, two = open_storage(), open_storage()
    first, second = one.matches, two.matches
    code = first.create("strait_match", "0" * 64, ("north", "south"), 60.0)
    assert first.join(code, "Ana") == "north" and second.join(code, "Ben") == "south"
    assert first.changed()  # Ben's join, through the other connection
    assert not first.changed()
    first.move(code, "north", 1, "patrol")
    assert not first.changed()  # its own write does not count
    assert second.resolve(code, 1, {}) is None
    second.move(code, "south", 1, "hold")
    moves: Any = first.resolve(code, 1, {})
    assert [(m.seat, m.choice) for m in moves] == [("north", "patrol"), ("south", "hold")]
    assert [[m.choice for m in turn] for turn in second.revealed(code)] == [["patrol", "hold"]]
    assert [m.code for m in two.new_matches().summaries()] == [code]


def test_a_round_is_played_saved_and_continued_elsewhere_through_any_storage(
    open_storage: Opener, mini: LoadedScenario
) -> None:
    """lifecycle.Round over round_store(): what a page rebuilding rounds on every request
    does, here with the second 'server' a second connection."""
    one, two = open_storage(), open_storage()
    student = one.seats.join("Ana").student
    here = Round.start(round_store(one, student), mini, mini.scenario.roles[0].id, "Ana")
    here.choose(here.session.choices[0].id)
    there_store = round_store(two, student)
    saved = latest_saved(there_store, mini.scenario.id)
    assert saved is not None and saved.round_id == here.session.round_id
    with pytest.raises(StoreError, match="being played"):
        Round.resume(there_store, saved, mini)  # the first server holds it
    here.release()
    there = Round.resume(there_store, saved, mini)
    assert len(there.session.decisions) == 1
    while not there.is_over:
        there.choose(there.session.choices[0].id)
    assert latest_saved(round_store(one, student), mini.scenario.id) is None
    (record,) = one.records.of(student)
    assert record.status == "finished" and len(record.decisions) == len(there.session.decisions)


HOLDER = (
    "import sys, time; from pathlib import Path\n"
    "from game.engine.records.storage import open_class\n"
    "url, folder, name, student = sys.argv[1:]\n"
    "kept = open_class(url or None, Path(folder), name, create=False)\n"
    "lease = kept.rounds.lease(student, 'round-1')\n"
    "print('held', flush=True); time.sleep(120)\n"
)


def test_a_lease_dies_with_its_process(open_storage: Opener) -> None:
    """A server killed while it holds a round lets another take the round at once."""
    storage = open_storage()
    student = storage.seats.join("Ana").student
    url = storage.database.url if isinstance(storage, DatabaseClass) else ""
    folder = str(storage.path) if isinstance(storage, FileClass) else "."
    name = storage.name if isinstance(storage, DatabaseClass) else ""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, folder, name, student],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(Held):
            storage.rounds.lease(student, "round-1")
    finally:
        holder.kill()
        holder.wait()
    for _ in range(50):  # the server notices the closed connection (bounded)
        try:
            storage.rounds.lease(student, "round-1").release()
            break
        except Held:
            time.sleep(0.1)
    else:
        pytest.fail("the killed process's lease was never dropped")


def test_a_restarted_database_costs_one_request_at_most() -> None:
    """The database restarted mid-lesson: a request on a lost connection fails in words
    (nothing half-written), the next one connects again, and notifications come again."""
    reason = pg_server.missing()
    if reason is not None:
        if pg_server.REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    server = pg_server.start()  # its own: the suite's server stays up for the other tests
    storage: ClassStorage | None = None
    try:
        storage = open_class(server.url, name="restarted")
        student = storage.seats.join("Ana").student
        server.stop(keep=True)
        server = pg_server.start(server.folder, server.port)
        try:
            assert storage.seats.get(student) is not None  # connected again at once, or:
        except StorageError as error:
            assert "lost the database" in str(error)
            assert storage.seats.get(student) is not None  # the next request connects again
        kept = storage

        def write() -> None:
            kept.control.save({"pace": "teacher"}, kept.control.load()[1])

        assert Change("control") in _heard(storage, "control", write)
    finally:
        if storage is not None:
            storage.close()
        server.stop()
