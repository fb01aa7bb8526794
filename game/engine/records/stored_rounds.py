"""A student's rounds in any class storage, for :class:`game.engine.seats.lifecycle.Round`.

:func:`round_store` gives the :class:`~game.engine.records.store.RoundStore` a round is played
through: for the class folder, the student's own folder (unchanged); for a database,
:class:`StoredRounds`, which keeps the same methods over :mod:`game.engine.records.storage`. Its
paths only name a round (``/<class>/<student>/saves/<round>.json``, for messages and ``path.stem``):
nothing is read or written there. Each save names the version this process last read or
wrote, so a save over another process's raises :class:`StoreError` instead of replacing it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.engine.base.safefile import private_folder
from game.engine.play.roundfile import ROUND_ID
from game.engine.records.classfolder import CLASS_FILE, STUDENT_FILE, STUDENTS
from game.engine.records.storage import ClassStorage, Held, Lease, StorageError
from game.engine.records.storage_files import STUDENT_ID, FileClass
from game.engine.records.store import (
    MAX_LISTED,
    RoundStore,
    SavedRound,
    StoreError,
    atomic_write,
    saved_round,
)

if TYPE_CHECKING:
    from game.engine.play.session import Session


def round_store(storage: ClassStorage, student: str) -> RoundStore:
    """Where ``student``'s rounds are saved and recorded in ``storage``."""
    if isinstance(storage, FileClass):
        return storage.rounds.store(student)
    return StoredRounds(Path("/", storage.code, student), storage, student)


class StoredRounds(RoundStore):
    """A student's saves and result records in a class's storage (see the module)."""

    def __init__(self, home: Path, storage: ClassStorage, student: str) -> None:
        super().__init__(home)
        self.storage, self.student = storage, student
        self.versions: dict[str, str] = {}
        """Each round's version as this process last read or wrote it."""

    def prepare(self) -> list[str]:
        return []

    def lease(self, round_id: str) -> Lease:  # type: ignore[override]
        try:
            return self.storage.rounds.lease(self.student, round_id)
        except Held as error:
            raise StoreError(str(error)) from None

    def save(self, session: Session) -> Path:
        round_id = session.round_id
        try:
            self.versions[round_id] = self.storage.rounds.save(
                self.student, round_id, session.to_dict(), self.versions.get(round_id)
            )
        except StorageError as error:
            raise StoreError(str(error)) from None
        return self.save_path(session)

    def record(self, session: Session) -> Path:
        try:
            self.storage.records.put(self.student, session.round_id, session.to_dict())
        except StorageError as error:
            raise StoreError(str(error)) from None
        if session.is_over:
            self.versions.pop(session.round_id, None)
        return self.result_path(session)

    def put_record(self, round_id: str, data: dict[str, Any]) -> None:
        """A record written as is (a match seat's, which is not a session's)."""
        try:
            self.storage.records.put(self.student, round_id, data)
        except StorageError as error:
            raise StoreError(str(error)) from None

    def load(self, path: Path) -> dict[str, Any]:
        try:
            saved = self.storage.rounds.load(self.student, path.stem)
        except StorageError as error:
            raise StoreError(str(error)) from None
        if saved is None:
            raise StoreError(f"{path}: there is no such round in progress")
        self.versions[saved.round_id] = saved.version
        return saved.data

    def delete(self, saved: SavedRound) -> None:
        try:
            found = self.storage.rounds.load(self.student, saved.round_id)
            if found is not None:
                self.storage.rounds.delete(self.student, saved.round_id, found.version)
        except StorageError as error:
            raise StoreError(str(error)) from None

    def set_aside(self, path: Path) -> Path | None:
        return None  # a database row is not moved aside; the error names it

    def saved_rounds(
        self, limit: int = MAX_LISTED, scenario_id: str | None = None, role: str | None = None
    ) -> tuple[list[SavedRound], list[str]]:
        try:
            found = self.storage.rounds.in_progress(self.student)
        except StorageError as error:
            return [], [str(error)]
        rounds = [
            saved_round(self.saves / f"{saved.round_id}.json", saved.data, saved.updated)
            for saved in found
        ]
        rounds = [
            r for r in rounds if scenario_id in (None, r.scenario_id) and role in (None, r.role)
        ]
        return rounds[:limit], []


def export_class(storage: ClassStorage, folder: Path) -> Path:
    """Write ``storage``'s class into ``folder`` as a class folder (its code and settings,
    each student's ``student.json`` and result records), for the reports that read one:
    ``flashpoint class --database``. Returns ``folder``."""
    settings = {
        "format": "flashpoint-class",
        "version": 1,
        "code": storage.code,
        "scenarios": list(storage.scenarios),
        "reveal": storage.reveal,
    }
    try:
        private_folder(folder)
        atomic_write(folder / CLASS_FILE, json.dumps(settings))
        for row in storage.seats.all():
            if not STUDENT_ID.fullmatch(row.student):
                continue  # never a path: the database's rows are read as untrusted
            private_folder(folder / STUDENTS / row.student / "results")
            text = json.dumps({"name": row.name, "joined": row.joined})
            atomic_write(folder / STUDENTS / row.student / STUDENT_FILE, text)
        for student, round_id, data in storage.records.texts():
            if not (STUDENT_ID.fullmatch(student) and ROUND_ID.fullmatch(round_id)):
                continue
            results = private_folder(folder / STUDENTS / student / "results")
            atomic_write(results / f"{round_id}.json", data.decode("utf-8"))
    except OSError as error:
        raise StorageError(f"cannot write {folder}: {error.strerror or error}") from None
    return folder
