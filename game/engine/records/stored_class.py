"""A class served from a database: its seats' keys, the teacher's control and the end of the
class kept in :mod:`game.engine.records.storage` instead of the class folder.

``flashpoint serve --database`` runs several servers on one class. Each keeps a private working
folder of its own (the students' names, as :class:`ClassFolder` holds them, copied from the
database: :func:`working_folder`, :func:`copy_student`); everything a second server must see is
in the database: the seats' secret digests and PINs (:class:`StoredSeatKeys`), the rounds
(:func:`game.engine.records.stored_rounds.round_store`), the result records, and the teacher's
control (:class:`StoredControlReader`, :func:`update_control`), whose every change is heard by
every server (LISTEN/NOTIFY), so a teacher's action reaches the other server's students at once.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.engine.base.problems import FlashpointError
from game.engine.base.safefile import private_folder
from game.engine.play.pacing import ClassControl, PacingError, from_json, to_json
from game.engine.records.classfolder import (
    CLASS_FILE,
    ClassFolder,
    Student,
    clean_name,
    student_id,
)
from game.engine.records.pacing_file import ControlReader
from game.engine.records.seat_keys import PIN_DIGITS, SeatKeys
from game.engine.records.storage import Change, ClassStorage, Conflict, StorageError
from game.engine.records.store import atomic_write

_ID = re.compile(r"[a-z0-9-]{1,48}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_PIN = re.compile(f"[0-9]{{{PIN_DIGITS}}}")
TRIES = 20
"""Writes tried again after another server wrote the same row in between."""
READ_AGAIN = 2.0
"""Seconds after which the control is read again even without a notification."""


def working_folder(storage: ClassStorage, path: Path) -> ClassFolder:
    """This server's working folder at ``path`` for the class in ``storage`` (its code and
    settings; every student the database has, so names keep their seats)."""
    folder = ClassFolder(path, storage.code, storage.scenarios, storage.reveal)
    try:
        private_folder(folder.students_folder)
        atomic_write(path / CLASS_FILE, json.dumps(folder.settings(), indent=1))
    except OSError as error:
        raise StorageError(
            f"cannot write the working folder {path}: {error.strerror or error}; "
            "choose another with --class-folder"
        ) from None
    for row in storage.seats.all():
        copy_student(storage, folder, row.student)
    return folder


def copy_student(storage: ClassStorage, folder: ClassFolder, student: str) -> Student | None:
    """``student`` of the database in the working folder (copied there if another server
    seated them), or None if the class has no such student."""
    if not _ID.fullmatch(student):
        return None
    found = folder.student(folder.students_folder / student)
    if found is not None:
        return found
    try:
        row = storage.seats.get(student)
        if row is None or student_id(clean_name(row.name)) != student:
            return None  # the database's rows are read as untrusted
        return folder.join(row.name)
    except (OSError, ValueError, FlashpointError):
        return None  # the database not answering: no seat this time


class StoredSeatKeys(SeatKeys):
    """Seat keys (:class:`SeatKeys`) kept in the database's seat rows: the secret's digest and
    the PIN, each write checked against the row's version (another server's write is read
    again, never overwritten)."""

    def __init__(self, folder: ClassFolder, storage: ClassStorage) -> None:
        super().__init__(folder)
        self.storage = storage
        self.problem = ""
        """Why the database could not be read last time ("" when it could)."""
        self.problem_at = 0.0
        """When (monotonic) it could not."""

    def _read(self, student_id: str) -> dict[str, Any] | None:
        if not _ID.fullmatch(student_id):
            raise ValueError(f"not a student id: {student_id[:60]!r}")
        try:
            row = self.storage.seats.get(student_id)
        except StorageError as error:
            self.problem, self.problem_at = str(error), time.monotonic()
            return None
        self.problem = ""
        if row is None or not _PIN.fullmatch(row.pin):
            return None
        return {"secret": row.secret if _DIGEST.fullmatch(row.secret) else None, "pin": row.pin}

    def _write(self, student_id: str, secret: str | None, pin: str) -> None:
        if not _ID.fullmatch(student_id):
            raise ValueError(f"not a student id: {student_id[:60]!r}")
        try:
            for _ in range(TRIES):
                row = self.storage.seats.get(student_id)
                if row is None:
                    raise OSError(f"the class has no student {student_id}")
                try:
                    self.storage.seats.update(row, secret=secret or "", pin=pin)
                    return
                except Conflict:
                    continue
        except StorageError as error:
            raise OSError(str(error)) from None
        raise OSError(f"the seat of {student_id} kept changing; try again")

    def _row(self, student_id: str) -> bool:
        try:
            found = _ID.fullmatch(student_id) is not None and bool(
                self.storage.seats.get(student_id)
            )
        except StorageError as error:
            self.problem, self.problem_at = str(error), time.monotonic()
            return True  # unknown: the name is not given away meanwhile
        self.problem = ""
        return found

    def has_seat(self, student_id: str) -> bool:
        """Whether the class has this student (whichever server seated them, even one whose
        keys the teacher removed: their name then needs the PIN the console gives)."""
        return self._row(student_id)

    def pin(self, student_id: str) -> str | None:
        kept = self._read(student_id)
        if kept is not None:
            return str(kept["pin"])
        return self.new_pin(student_id) if self._row(student_id) else None

    def forget(self, student_id: str) -> None:
        try:
            self._write(student_id, None, "")
        except OSError:
            return


class StoredControlReader(ControlReader):
    """The class's control as the database holds it: read again when any server changes it
    (its notification) and at least every :data:`READ_AGAIN` seconds; the last good state
    kept when it cannot be read (``problem`` says why)."""

    def __init__(self, storage: ClassStorage, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(Path("/"))
        self.storage, self.clock = storage, clock
        self.fresh = threading.Event()
        self.read_at = -READ_AGAIN
        self.stop = storage.changes.subscribe(self._heard)

    def _heard(self, change: Change) -> None:
        if change.kind == "control":
            self.fresh.clear()

    def read(self) -> ClassControl:
        if self.fresh.is_set() and self.clock() - self.read_at < READ_AGAIN:
            return self.control
        self.fresh.set()  # a notification from now on makes it stale again
        self.read_at = self.clock()
        try:
            state, _ = self.storage.control.load()
            control = ClassControl() if state is None else from_json(state)
        except (StorageError, PacingError) as error:
            self.problem = str(error)
            return self.control
        self.problem = ""
        self.control = control
        return control


def update_control(
    storage: ClassStorage, change: Callable[[ClassControl], ClassControl]
) -> ClassControl:
    """The class's control changed by ``change`` and saved (as :func:`pacing_file.update`
    does with the file): read, changed and saved again if another server saved in between."""
    for _ in range(TRIES):
        state, version = storage.control.load()
        try:
            control = ClassControl() if state is None else from_json(state)
        except PacingError:
            control = ClassControl()  # a damaged state is replaced, as the file is
        written = dataclasses.replace(change(control), version=version + 1)
        try:
            storage.control.save(to_json(written), version)
        except Conflict:
            continue
        return written
    raise StorageError("the class's control kept changing under other servers; try again")
