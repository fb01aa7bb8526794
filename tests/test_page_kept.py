"""The class page's kept rounds (game/web/page/kept.py): a round kept in memory between a
student's requests is used again only while its save is the one this server wrote. Two
``Rounds`` over two storage objects of one class stand for two ``serve`` processes sharing a
class folder or a PostgreSQL database: a decision one of them writes is seen by the other on
its next request, never a stale round; on both storages."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from game.engine.checks.loader import LoadedScenario
from game.engine.play.session import Session
from game.engine.records.classfolder import Student
from game.engine.records.storage import ClassStorage
from game.engine.records.store import RoundStore
from game.engine.records.stored_rounds import round_store
from game.engine.seats.lifecycle import Round
from game.web.page.rounds import Gone, Rounds
from tests.storage_fixtures import Opener, open_storage

__all__ = ["open_storage"]
WAIT = 15.0
"""Longest a test waits for the other thread (a bound on the wait, not a timed assertion)."""


def _server(loaded: LoadedScenario, storage: ClassStorage) -> Rounds:
    """The class page's rounds of one server of the class kept in ``storage``."""
    return Rounds((loaded,), None, store_of=lambda student: round_store(storage, student.id))


def _decide(rounds: Rounds, student: Student, round_id: str) -> int:
    """One decision (the first choice offered) by ``rounds``; the decisions the round then has."""
    with rounds.round(student, round_id) as played:
        played.choose(played.session.offered()[0], "because")
        return len(played.session.decisions)


def _decisions(rounds: Rounds, student: Student, round_id: str) -> int:
    with rounds.round(student, round_id) as played:
        return len(played.session.decisions)


def _counting_resumes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every round resumed from its save from now on (its round id)."""
    resumed: list[str] = []
    original = Round.resume.__func__  # type: ignore[attr-defined]

    def resume(
        cls: type[Round], store: object, saved: Path, /, *args: object, **kw: object
    ) -> Round:
        resumed.append(saved.stem)
        played: Round = original(cls, store, saved, *args, **kw)
        return played

    monkeypatch.setattr(Round, "resume", classmethod(resume))
    return resumed


def _student(storage: ClassStorage, tmp_path: Path) -> Student:
    return _student_named(storage, tmp_path, "Ana")


def test_a_kept_round_is_used_again_while_its_save_is_unchanged(
    open_storage: Opener, flagship: LoadedScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = open_storage()
    student = _student(storage, tmp_path)
    server = _server(flagship, storage)
    round_id = server.start(student, flagship.scenario.id, flagship.scenario.roles[0].id)
    resumed = _counting_resumes(monkeypatch)
    assert _decisions(server, student, round_id) == 0
    assert _decide(server, student, round_id) == 1
    assert _decisions(server, student, round_id) == 1
    assert resumed == [round_id]  # once (nothing was kept after its start), then kept
    server.close()


def _two_servers(
    open_storage: Opener, flagship: LoadedScenario, tmp_path: Path
) -> tuple[Rounds, Rounds, Student, str]:
    """Two servers of one class; a round of Ana's started and decided once by the first (who
    keeps it)."""
    one, two = open_storage(), open_storage()
    student = _student(one, tmp_path)
    first, second = _server(flagship, one), _server(flagship, two)
    round_id = first.start(student, flagship.scenario.id, flagship.scenario.roles[0].id)
    assert _decide(first, student, round_id) == 1
    return first, second, student, round_id


def test_a_decision_written_by_another_server_is_seen_on_the_next_request(
    open_storage: Opener, flagship: LoadedScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, student, round_id = _two_servers(open_storage, flagship, tmp_path)
    resumed = _counting_resumes(monkeypatch)
    assert _decide(second, student, round_id) == 2  # the second continues from the save
    assert _decisions(first, student, round_id) == 2  # not its stale round of 1 decision
    assert resumed == [round_id, round_id]
    assert _decide(first, student, round_id) == 3  # and its save is the one it writes over
    assert _decisions(second, student, round_id) == 3
    first.close()
    second.close()


def test_a_round_finished_by_another_server_is_not_continued_from_memory(
    open_storage: Opener, flagship: LoadedScenario, tmp_path: Path
) -> None:
    first, second, student, round_id = _two_servers(open_storage, flagship, tmp_path)
    for _ in range(len(flagship.scenario.points)):  # bounded: a round ends within its points
        with second.round(student, round_id) as played:
            played.choose(played.session.offered()[0], "because")
            if played.is_over:
                break
    assert second.has_ended(student, round_id)
    with pytest.raises(Gone):
        _decisions(first, student, round_id)
    first.close()
    second.close()


def test_a_round_being_flushed_holds_up_no_other_student(
    open_storage: Opener, flagship: LoadedScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's lock is let go while a round's save is written: another student's page is
    made meanwhile (the order of the two is checked, not a time)."""
    storage = open_storage()
    ana, ben = _student(storage, tmp_path), _student_named(storage, tmp_path, "Ben")
    server = _server(flagship, storage)
    role = flagship.scenario.roles[0].id
    rounds = {s.id: server.start(s, flagship.scenario.id, role) for s in (ana, ben)}
    writing, go = threading.Event(), threading.Event()
    kind = type(round_store(storage, ana.id))  # RoundStore, or StoredRounds
    original = kind.save
    done: list[str] = []

    def slow_save(self: RoundStore, session: Session) -> Path:
        if session.player == "Ana":
            writing.set()
            go.wait(WAIT)  # bounded: the test fails, it does not hang
        return original(self, session)

    monkeypatch.setattr(kind, "save", slow_save)

    async def both() -> None:
        async def decide() -> None:
            await server.run(ana, lambda: _decide(server, ana, rounds[ana.id]), anywhere=True)
            done.append("Ana decided")

        async def look() -> None:
            while not writing.is_set():
                await asyncio.sleep(0.01)
            await server.run(ben, lambda: _decisions(server, ben, rounds[ben.id]), anywhere=True)
            done.append("Ben's page")
            go.set()

        await asyncio.wait_for(asyncio.gather(decide(), look()), WAIT * 2)

    asyncio.run(both())
    assert done == ["Ben's page", "Ana decided"]
    server.close()


def _student_named(storage: ClassStorage, tmp_path: Path, name: str) -> Student:
    row = storage.seats.join(name)
    return Student(row.student, row.name, row.joined, tmp_path / "students" / row.student)


def test_a_server_leasing_a_round_again_does_not_write_its_lock_file_again(
    tmp_path: Path,
) -> None:
    store = RoundStore(tmp_path)
    store.lease("r1").release()
    lock = store.saves / ".r1.lock"
    assert lock.read_text() == str(os.getpid())
    written = lock.stat().st_mtime_ns
    store.lease("r1").release()
    assert lock.stat().st_mtime_ns == written  # the same process: nothing written
    lock.write_text("999999999")  # another process's number, left after it ended
    store.lease("r1").release()
    assert lock.read_text() == str(os.getpid())
