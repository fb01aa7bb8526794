"""Where a class server keeps what several servers share: the class folder (the embedded
default), or a database (``flashpoint serve --database``; see :mod:`game.web.stored_server`).

The class page, the teacher's commands and the console ask here, whichever it is: the
teacher's control (read and changed), each student's rounds, and the end of the class.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.classroom.live import Reader
from game.engine.classroom.live_stored import StoredReader
from game.engine.play.pacing import ClassControl
from game.engine.records import pacing_file
from game.engine.records.class_caps import class_lock
from game.engine.records.classfolder import Student, student_id
from game.engine.records.matches import MatchStore
from game.engine.records.pacing_file import ControlReader
from game.engine.records.storage import ClassStorage, StorageError
from game.engine.records.store import RoundStore
from game.engine.records.stored_class import copy_student, update_control
from game.engine.records.stored_rounds import round_store
from game.engine.seats.lifecycle import Warn, abandon_open_rounds, abandon_rounds
from game.engine.seats.match_visit import abandon_open_seats
from game.web.pairing import MATCH_FILE

if TYPE_CHECKING:
    from game.web.server import ClassServer


def storage_of(server: ClassServer) -> ClassStorage | None:
    """The database the server keeps its class in, or None (the class folder)."""
    storage: ClassStorage | None = getattr(server, "storage", None)
    return storage


def control_reader(server: ClassServer) -> ControlReader:
    """A reader of the class's control: the database's (one per server, told of every change
    by any server), or the class folder's pacing file."""
    shared: ControlReader | None = getattr(server, "control", None)
    return shared or ControlReader(server.settings.folder.path)


def change_control(
    server: ClassServer, change: Callable[[ClassControl], ClassControl]
) -> ClassControl:
    """The class's control changed by ``change`` where it is kept (blocking: run it in a
    thread)."""
    storage = storage_of(server)
    if storage is None:
        return pacing_file.update(server.settings.folder.path, change)
    return update_control(storage, change)


def store_of(server: ClassServer) -> Callable[[Student], RoundStore] | None:
    """Where each student's rounds are kept (None: their own folder, ``Student.store``)."""
    storage = storage_of(server)
    if storage is None:
        return None
    return lambda student: round_store(storage, student.id)


def end_open_rounds(server: ClassServer, warn: Warn) -> int:
    """Record ``abandoned`` every round of the class no game is playing (end of class), and
    every seat of a match still going."""
    storage = storage_of(server)
    stores: dict[str, RoundStore]
    if storage is None:
        count = abandon_open_rounds(server.settings.folder.path, warn)
        stores = {s.id: s.store for s in server.settings.folder.students()}
    else:
        stores = {row.student: round_store(storage, row.student) for row in storage.seats.all()}
        count = abandon_rounds(stores.values(), warn)
    seating = server.settings.matches
    if seating is None:
        return count
    matches = matches_of(server)
    try:
        seats = abandon_open_seats(
            matches, lambda name: stores.get(student_id(name)), warn, seating.scenario
        )
    finally:
        matches.close()
    return count + seats


def round_stamp(server: ClassServer) -> Callable[[str, Path], int] | None:
    """How a page's stream tells that a student's round was written since (None: the save
    file's time): with a database, the count of its notifications of their rounds."""
    written: Counter[str] | None = getattr(server, "rounds_written", None)
    if written is None:
        return None
    return lambda student, _save: written[student]


def matches_of(server: ClassServer) -> MatchStore:
    """The class's matches: the class folder's match file, or the database's (a connection
    of its own: the caller's thread alone uses it)."""
    storage = storage_of(server)
    if storage is None:
        return MatchStore(server.settings.folder.path / MATCH_FILE)
    found = storage.new_matches()
    if not isinstance(found, MatchStore):  # every storage's matches are a MatchStore
        raise StorageError(f"{storage.where}: its matches cannot be played here")
    return found


def live_reader(server: ClassServer) -> Reader | None:
    """What the console's status reads: None for the class folder's own reader."""
    storage = storage_of(server)
    return None if storage is None else StoredReader(server.settings.folder, storage)


def find_student(server: ClassServer, ident: str) -> Student | None:
    """The class's student ``ident`` (from the database, if another server seated them)."""
    folder, storage = server.settings.folder, storage_of(server)
    if storage is not None:
        return copy_student(storage, folder, ident)
    return folder.student(folder.students_folder / ident)


def exclusive(server: ClassServer, what: str) -> contextlib.AbstractContextManager[None]:
    """The class-wide lock ``what`` (letters, digits, dashes), held against every server of
    the class: a lock file of the class folder, or an advisory lock of the database (blocking:
    hold it in a thread)."""
    storage = storage_of(server)
    if storage is None:
        return class_lock(server.settings.folder.path, what)
    return storage.exclusive(what)
