"""The class-wide lock the servers of a class share (the teacher's pairs, a student's match
entries): held against another connection to the class and against another thread of the same
process, in the class folder (its lock file) and in PostgreSQL (an advisory lock) alike; and
the class's documents kept for every server; a seat admitted and given back alike in both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.records.class_caps import Admitted, Caps, client_digest
from game.engine.records.classfolder import student_id
from game.engine.records.storage import ClassStorage, StorageError, open_class


@pytest.fixture(params=["folder", "database"])
def opened(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ClassStorage, ClassStorage]]:
    """Two openings of one class (as two servers have)."""
    if request.param == "folder":
        first = open_class(None, tmp_path / "class")
        second = open_class(None, tmp_path / "class", create=False)
    else:
        url = request.getfixturevalue("postgres_url")
        first = open_class(url, None, f"locks-{tmp_path.name}")
        second = open_class(url, None, f"locks-{tmp_path.name}", create=False)
    yield first, second
    first.close()
    second.close()


def test_the_class_lock_waits_for_its_holder_whoever_asks(
    opened: tuple[ClassStorage, ClassStorage],
) -> None:
    first, second = opened
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.exclusive("pairs"):
            order.append("held")
            holding.set()
            release.wait(30)
            order.append("released")

    def take(storage: ClassStorage) -> None:
        with storage.exclusive("pairs"):
            order.append("taken")

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(30)
    # another opening of the class, and another thread of the holder's own
    takers = [threading.Thread(target=take, args=(s,)) for s in (second, first)]
    for taker in takers:
        taker.start()
    for taker in takers:
        taker.join(0.5)  # each has had time to ask; neither may have the lock yet
    assert order == ["held"]
    release.set()
    for thread in (holder, *takers):
        thread.join(30)
    assert order == ["held", "released", "taken", "taken"]
    with first.exclusive("pairs"):  # given back: free again
        pass


def test_a_lock_s_name_is_letters_digits_and_dashes(
    opened: tuple[ClassStorage, ClassStorage],
) -> None:
    first, _ = opened
    for bad in ("../x", "", "A B", "x" * 65):
        with pytest.raises((ValueError, StorageError)), first.exclusive(bad):
            pass


def test_a_document_kept_by_one_server_is_read_by_the_other(
    opened: tuple[ClassStorage, ClassStorage],
) -> None:
    first, second = opened
    assert second.kept("pairs") is None
    first.keep("pairs", '{"ana-1": ["ABC123", "pakistan"]}')
    assert second.kept("pairs") == '{"ana-1": ["ABC123", "pakistan"]}'
    second.keep("pairs", "{}")
    assert first.kept("pairs") == "{}"


def test_both_storages_admit_and_give_back_alike(
    opened: tuple[ClassStorage, ClassStorage],
) -> None:
    first, second = opened
    caps = Caps(seats=2, per_client=1)
    x, y, z = (client_digest(first.code, c) for c in ("10.0.0.1", "10.0.0.2", "10.0.0.3"))
    assert first.seats.admit("Ana", x, caps).verdict == "admitted"
    assert second.seats.admit("Ben", x, caps).verdict == "names"  # x made its one name
    admitted = second.seats.admit("Ben", y, caps)
    assert (admitted.verdict, admitted.students) == ("admitted", 2)
    assert first.seats.admit("Cleo", z, caps) == Admitted("full", 2)
    assert first.seats.admit("ana ", z, caps).verdict == "known"  # the same student
    assert first.seats.give_back(student_id("Ben"))  # nothing saved: the seat goes
    assert second.seats.admit("Cleo", z, caps).verdict == "admitted"
    assert [row.name for row in first.seats.all()] == ["Ana", "Cleo"]
