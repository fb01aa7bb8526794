"""The live view of a class kept in a database (``flashpoint serve --database``): the same
:class:`LiveClass` as the class folder gives, read from the class's storage (its students,
their rounds in progress and their result records)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from game.engine.base.problems import FlashpointError
from game.engine.classroom.live import LiveClass, Reader
from game.engine.records.classfolder import ClassFolder, Student
from game.engine.records.matches import MatchSummary
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import RecordError, parse_record
from game.engine.records.storage import ClassStorage, StorageError


class StoredReader(Reader):
    """Reads a class in ``storage`` again and again (``folder``: its settings only)."""

    def __init__(self, folder: ClassFolder, storage: ClassStorage) -> None:
        super().__init__(folder)
        self.storage = storage
        self.saves: dict[tuple[str, str], tuple[float, ResultRecord]] = {}
        """Rounds in progress already parsed, with the time each was saved."""

    def students(self) -> Iterable[Student]:
        try:
            rows = self.storage.seats.all()
        except StorageError:
            return []
        where = Path("/", self.storage.code)
        return [Student(row.student, row.name, row.joined, where / row.student) for row in rows]

    def _rounds(self, student: Student, live: LiveClass) -> list[ResultRecord]:
        """The student's rounds, one record each (a result wins over its save)."""
        found: dict[str, tuple[float, ResultRecord]] = {}
        try:
            records = self.storage.records.of(student.id)
            saves = self.storage.rounds.in_progress(student.id)
        except StorageError:
            live.unreadable += 1
            return []
        for saved in saves:
            key = (student.id, saved.round_id)
            cached = self.saves.get(key)
            if cached is None or cached[0] != saved.updated:
                try:
                    cached = (saved.updated, parse_record(student.folder, saved.data))
                except RecordError:
                    live.unreadable += 1
                    continue
                self.saves[key] = cached
            found[saved.round_id] = cached
        for record in records:
            found[record.round_id] = (record.finished or record.started, record)
        return [
            record
            for _, record in sorted(found.values(), key=lambda pair: pair[0])
            if self._scenario(record) is not None or not self.scenarios
        ]

    def _matches(self, live: LiveClass) -> list[MatchSummary]:
        try:
            self.matches = self.storage.matches.summaries()
        except FlashpointError as error:
            live.match_problem = str(error)
        return self.matches
