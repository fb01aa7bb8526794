"""The console's head-to-head commands (a class served with ``--matches``): pair or re-pair
two students, pair a lone student with history's moves, remove a stray or waiting match.

The matches are the engine's (:class:`game.engine.records.matches.MatchStore`: ``create``,
``reserve`` keeps a seat for its student, ``remove`` refuses a match both students are playing); the
pairs are the server's (:class:`game.web.pairing.Seating`, kept in the class folder's
``pairs.json`` as ``--pairs`` keeps them). A student's new match is theirs from the next game
they open: a game running is stopped (its round recorded), and the page opens the new one.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING, Any

from game.engine.records import match_turns
from game.engine.records.classfolder import student_id
from game.engine.records.matches import MatchError, MatchStore
from game.engine.records.store import RoundStore, atomic_write
from game.engine.seats.match_visit import abandon_open_seats
from game.web.class_storage import storage_of
from game.web.pairing import MATCH_FILE, PAIRS_FILE, Seating
from game.web.teacher_commands import Refused, command, log, stop_game, student_of

if TYPE_CHECKING:
    from game.web.teacher import Teacher

MATCH_CODE = re.compile(r"[A-Za-z0-9-]{1,20}")


def _seating(teacher: Teacher) -> Seating:
    seating = teacher.server.settings.matches
    if seating is None:
        raise Refused("This class plays solo rounds: start it with --matches to pair students.")
    if storage_of(teacher.server) is not None:
        raise Refused(
            "The console pairs students in a class folder only: with --database, pair them "
            "before class (--pairs) or let them pair by match code."
        )
    return seating


def _forget(seating: Seating, codes: set[str]) -> list[str]:
    """Unpair every student of the matches ``codes``; their ids. (pairs.json is written by
    the caller.)"""
    gone = [ident for ident, (code, _) in seating.assigned.items() if code in codes]
    for ident in gone:
        del seating.assigned[ident]
    return gone


def _open_matches(store: MatchStore, idents: set[str]) -> set[str]:
    """The matches not yet finished in which one of the students ``idents`` holds a seat they
    have not left: besides the teacher's pairs, a match they started or joined by code."""
    found = set()
    for summary in store.summaries():
        if summary.status == "finished":
            continue
        gone = match_turns.left(store.db, summary.code)
        if any(
            name and seat not in gone and student_id(name) in idents
            for seat, name in summary.seats.items()
        ):
            found.add(summary.code)
    return found


def _keep(teacher: Teacher, seating: Seating) -> None:
    kept = {ident: list(where) for ident, where in seating.assigned.items()}
    atomic_write(teacher.server.settings.folder.path / PAIRS_FILE, json.dumps(kept, indent=1))


async def _seat(teacher: Teacher, students: list[tuple[str, str]]) -> dict[str, Any]:
    """A new match for ``students`` (one or two), each in the next seat, kept for them; a
    seat left free plays history's move at each deadline. Their old matches (the teacher's
    pairs, and any open match they started or joined by code) are removed, every seat recorded
    as left (refused while both of an old match's students are playing it)."""
    seating = _seating(teacher)
    mode = seating.scenario.scenario.head_to_head
    if mode is None:  # prepare() refused such a scenario when the server started
        raise Refused("This scenario has no head-to-head mode.")
    path = teacher.server.settings.folder.path / MATCH_FILE

    def work() -> str:
        store = MatchStore(path)
        try:
            old = {seating.assigned[i][0] for i, _ in students if i in seating.assigned}
            old |= _open_matches(store, {i for i, _ in students})
            partners.extend(
                student_id(name)
                for summary in store.summaries()
                if summary.code in old
                for name in summary.seats.values()
                if name
            )
            for code in sorted(old):
                if store.status(code) == "playing":
                    store.remove(code)  # refused, in words: both students are playing it
            stores = {s.id: s.store for s in teacher.server.settings.folder.students()}

            def home(name: str) -> RoundStore | None:
                return stores.get(student_id(name))

            abandon_open_seats(store, home, log.warning, seating.scenario, old)  # recorded
            for code in sorted(old):
                store.remove(code)
            unpaired.extend(_forget(seating, old))
            loaded = seating.scenario
            code = store.create(loaded.scenario.id, loaded.sha256, mode.seats, seating.deadline)
            for (ident, name), seat in zip(students, mode.seats, strict=False):
                store.reserve(code, seat, name)
                seating.assigned[ident] = (code, seat)
            for seat in mode.seats[len(students) :]:  # a lone student's: history's moves
                store.give_history(code, seat)
            _keep(teacher, seating)
            return code
        finally:
            store.close()

    unpaired: list[str] = []
    partners: list[str] = []
    try:
        code = await asyncio.to_thread(work)
    except MatchError as error:
        raise Refused(str(error)) from None
    for ident in {*unpaired, *partners, *(i for i, _ in students)}:  # old partners' games too
        await stop_game(teacher, ident)
    return {"match": code, "seats": dict(zip(mode.seats, (n for _, n in students), strict=False))}


@command("pair")
async def pair(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """Pair (or re-pair) two students: ``students`` is their two ids."""
    ids = body.get("students")
    if not isinstance(ids, list) or len(ids) != 2 or ids[0] == ids[1]:
        raise Refused("'students' names two different students", 400)
    return await _seat(teacher, [student_of(teacher, {"student": i}) for i in ids])


@command("solo")
async def solo(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """A match of the student's own against history: the other seat stays free, and history's
    move stands for it at each turn's deadline."""
    return await _seat(teacher, [student_of(teacher, body)])


@command("remove-match")
async def remove_match(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """Remove a stray or waiting match (refused while both its students play it); students
    the teacher had paired in it are unpaired."""
    code = body.get("match")
    if not isinstance(code, str) or not MATCH_CODE.fullmatch(code):
        raise Refused("'match' is a match's code", 400)
    path = teacher.server.settings.folder.path / MATCH_FILE
    if not path.is_file():
        raise Refused("This class has no matches.", 404)

    def work() -> list[str]:
        store = MatchStore(path)
        try:
            store.remove(code)
        finally:
            store.close()
        seating = teacher.server.settings.matches
        if seating is None:
            return []
        gone = _forget(seating, {code})
        _keep(teacher, seating)
        return gone

    try:
        unpaired = await asyncio.to_thread(work)
    except MatchError as error:
        raise Refused(str(error)) from None
    return {"match": code, "unpaired": unpaired}
