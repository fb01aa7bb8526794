"""The embedded default: a class kept in its class folder (:mod:`game.engine.records.classfolder`).

Seats are each student's ``student.json``, saves and result records the student's own
``saves/`` and ``results/`` (:class:`game.engine.records.store.RoundStore`, the layout every other
command reads), matches the class's SQLite match file, the control state ``control.json``.
A write that replaces something holds a short OS lock on a lock file beside it while it reads
the version, compares and writes (atomically: temporary file, flush, rename), so two processes
on this machine never silently overwrite each other.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.engine.base.digest import sha256_hex
from game.engine.base.problems import FlashpointError
from game.engine.base.safefile import locked as _locked
from game.engine.base.safefile import private_folder, read_regular
from game.engine.play.pacing import control_path
from game.engine.play.roundfile import ROUND_ID, RoundError, parse_json, read_header
from game.engine.records.class_caps import (
    Admitted,
    Caps,
    FolderKept,
    admit_to_folder,
    give_back_folder,
)
from game.engine.records.classfolder import ClassFolder, ClassFolderError, clean_name
from game.engine.records.matches import MatchError, MatchStore
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import RecordError, iter_record_files, read_record
from game.engine.records.storage import (
    Change,
    Conflict,
    Held,
    Lease,
    Listeners,
    Matches,
    Saved,
    SeatRow,
    StorageError,
)
from game.engine.records.store import RoundStore, StoreError, atomic_write

MATCH_FILE = "matches.sqlite"
STUDENT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
"""A student id as classfolder.student_id makes it: never a path."""
_MAX_FILE = 64 * 1024
_MAX_ROUND = 4 * 1024 * 1024
MAX_IN_PROGRESS = 1000
"""Rounds in progress listed for one student (the title screen offers the latest 40)."""
POLL_SECONDS = 1.0
"""How often the folder is looked at for writes by other processes (the match file, control)."""


def _read(path: Path, cap: int = _MAX_FILE) -> bytes | None:
    """The bytes of ``path``, or None if there is no such file."""
    try:
        return read_regular(path, cap, follow_links=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StorageError(f"{path}: cannot be read ({error.strerror or error})") from None


def _round_id(round_id: str) -> str:
    if not ROUND_ID.fullmatch(round_id):
        raise StorageError(f"'{round_id[:40]}' is not a round id")
    return round_id


class LocalChanges(Listeners):
    """Listeners in this process, told of this process's writes at once and of other
    processes' writes to the match file and the control state within :data:`POLL_SECONDS`."""

    def __init__(self, owner: FileClass) -> None:
        super().__init__()
        self.owner = owner

    def notify(self, change: Change) -> None:
        self.tell(change)

    def watch(self) -> None:
        matches: MatchStore | None = None
        control = control_path(self.owner.path)
        seen = _mtime(control)
        try:
            while not self.stopped.wait(POLL_SECONDS):
                with contextlib.suppress(MatchError):
                    if matches is None and (self.owner.path / MATCH_FILE).exists():
                        matches = MatchStore(self.owner.path / MATCH_FILE)
                    if matches is not None and matches.changed():
                        self.notify(Change("match"))
                if (now := _mtime(control)) != seen:
                    seen = now
                    self.notify(Change("control"))
        finally:
            if matches is not None:
                matches.close()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return 0.0


class FileSeats:
    """Seats: each student's ``student.json`` (name, joined, secret and PIN digests)."""

    def __init__(self, owner: FileClass) -> None:
        self.owner = owner

    def join(self, name: str) -> SeatRow:
        try:
            student = self.owner.folder.join(name)
        except OSError as error:
            raise StorageError(
                f"cannot write the class folder {self.owner.path}: {error.strerror or error}"
            ) from None
        row = self.get(student.id)
        if row is None:
            raise StorageError(f"{student.folder}: the student's file cannot be read")
        self.owner.changes.notify(Change("seat", row.student))
        return row

    def admit(self, name: str, client: str, caps: Caps) -> Admitted:
        try:
            return admit_to_folder(self.owner.folder, clean_name(name), client, caps)
        except (OSError, ClassFolderError) as error:
            raise StorageError(f"{self.owner.path}: cannot admit a student ({error})") from None

    def give_back(self, student: str) -> bool:
        self._file(student)  # a student id, never a path
        return give_back_folder(self.owner.folder, student)

    def _file(self, student: str) -> Path:
        if not STUDENT_ID.fullmatch(student):
            raise StorageError(f"'{student[:40]}' is not a student id")
        return self.owner.folder.students_folder / student / "student.json"

    def get(self, student: str) -> SeatRow | None:
        data = _json(_read(self._file(student)))
        if data is None:
            return None
        try:
            name = clean_name(str(data["name"]))
            joined = float(data["joined"])
        except (KeyError, TypeError, ValueError, ClassFolderError):
            return None
        secret, pin, version = data.get("secret", ""), data.get("pin", ""), data.get("version", 1)
        if not isinstance(secret, str) or not isinstance(pin, str) or type(version) is not int:
            return None
        return SeatRow(student, name, joined, secret, pin, version)

    def all(self) -> list[SeatRow]:
        rows = [self.get(s.id) for s in self.owner.folder.students()]
        return [row for row in rows if row is not None]

    def update(self, row: SeatRow, *, secret: str | None = None, pin: str | None = None) -> SeatRow:
        path = self._file(row.student)
        with _locked(path.with_name(".student.lock")):
            stored = self.get(row.student)
            if stored is None or stored.version != row.version:
                raise Conflict(f"{row.name}'s seat changed meanwhile; read it again")
            new = SeatRow(
                row.student,
                stored.name,
                stored.joined,
                stored.secret if secret is None else secret,
                stored.pin if pin is None else pin,
                stored.version + 1,
            )
            fields = {"name": new.name, "joined": new.joined, "secret": new.secret}
            atomic_write(path, json.dumps({**fields, "pin": new.pin, "version": new.version}))
        self.owner.changes.notify(Change("seat", row.student))
        return new


def _json(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


class FolderLease:
    """A round's lease: today's lock file in the student's saves folder."""

    def __init__(self, store: RoundStore, round_id: str) -> None:
        try:
            self.lease = store.lease(round_id)
        except StoreError as error:
            raise Held(str(error)) from None

    def release(self) -> None:
        self.lease.release()


class FileRounds:
    """Saves: ``students/<id>/saves/<round>.json``; a version is the digest of the bytes."""

    def __init__(self, owner: FileClass) -> None:
        self.owner = owner

    def store(self, student: str) -> RoundStore:
        self.owner.seats._file(student)  # a student id, never a path
        return RoundStore(self.owner.folder.students_folder / student)

    def save(
        self, student: str, round_id: str, data: Mapping[str, Any], version: str | None = None
    ) -> str:
        store, text = self.store(student), json.dumps(dict(data), ensure_ascii=False, indent=1)
        path = store.saves / f"{_round_id(round_id)}.json"
        try:
            private_folder(store.saves)
        except OSError as error:
            raise StorageError(f"cannot create {store.saves}: {error.strerror}") from None
        with _locked(store.saves / f".{round_id}.save-lock"):
            found = _read(path, _MAX_ROUND)
            if (None if found is None else sha256_hex(found)) != version:
                raise Conflict(f"round {round_id} was saved by another process; read it again")
            atomic_write(path, text)
        self.owner.changes.notify(Change("round", student))
        return sha256_hex(text.encode("utf-8"))

    def load(self, student: str, round_id: str) -> Saved | None:
        path = self.store(student).saves / f"{_round_id(round_id)}.json"
        found = _read(path, _MAX_ROUND)
        if found is None:
            return None
        return Saved(round_id, _checked(path, found), sha256_hex(found), _mtime(path))

    def in_progress(self, student: str) -> list[Saved]:
        rounds, _ = self.store(student).saved_rounds(limit=MAX_IN_PROGRESS)
        found = [self.load(student, r.round_id) for r in rounds]
        return [saved for saved in found if saved is not None]

    def delete(self, student: str, round_id: str, version: str) -> None:
        store = self.store(student)
        path = store.saves / f"{_round_id(round_id)}.json"
        with _locked(store.saves / f".{round_id}.save-lock"):
            found = _read(path, _MAX_ROUND)
            if found is not None and sha256_hex(found) != version:
                raise Conflict(f"round {round_id} was saved by another process; read it again")
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.owner.changes.notify(Change("round", student))

    def lease(self, student: str, round_id: str) -> Lease:
        return FolderLease(self.store(student), _round_id(round_id))


def _checked(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = parse_json(raw.decode("utf-8"))
        read_header(data)
    except (ValueError, UnicodeDecodeError, RecursionError, RoundError) as error:
        raise StorageError(f"{path}: cannot be read ({error})") from None
    return dict(data)


class FileRecords:
    """Result records: ``students/<id>/results/<round>.json``."""

    def __init__(self, owner: FileClass) -> None:
        self.owner = owner

    def put(self, student: str, round_id: str, data: Mapping[str, Any]) -> None:
        store = self.owner.rounds.store(student)
        try:
            private_folder(store.results)
        except OSError as error:
            raise StorageError(f"cannot create {store.results}: {error.strerror}") from None
        text = json.dumps(dict(data), ensure_ascii=False, indent=1)
        atomic_write(store.results / f"{_round_id(round_id)}.json", text)
        if data.get("status") == "finished":
            with contextlib.suppress(FileNotFoundError):
                (store.saves / f"{round_id}.json").unlink()
        self.owner.changes.notify(Change("record", student))

    def all(self) -> tuple[list[ResultRecord], list[str]]:
        records: list[ResultRecord] = []
        warnings: list[str] = []
        for row in self.owner.seats.all():
            found, skipped = self._read(row.student)
            records += found
            warnings += skipped
        return records, warnings

    def of(self, student: str) -> list[ResultRecord]:
        return self._read(student)[0]

    def texts(self) -> list[tuple[str, str, bytes]]:
        found = []
        for row in self.owner.seats.all():
            results = self.owner.rounds.store(row.student).results
            for path in iter_record_files([results]) if results.is_dir() else ():
                data = _read(path, _MAX_ROUND)
                if data is not None:
                    found.append((row.student, path.stem, data))
        return found

    def text(self, student: str, round_id: str) -> bytes | None:
        path = self.owner.rounds.store(student).results / f"{_round_id(round_id)}.json"
        return _read(path, _MAX_ROUND) if path.is_file() else None

    def _read(self, student: str) -> tuple[list[ResultRecord], list[str]]:
        results = self.owner.rounds.store(student).results
        records, warnings = [], []
        if results.is_dir():
            for path in iter_record_files([results]):
                try:
                    records.append(read_record(path))
                except RecordError as error:
                    warnings.append(str(error))
        return records, warnings


class FileControl:
    """The control state: the pacing file (:func:`game.engine.play.pacing.control_path`), whose
    ``version`` is the state's version, under the pacing file's own lock."""

    def __init__(self, owner: FileClass) -> None:
        self.path = control_path(owner.path)
        self.owner = owner

    def load(self) -> tuple[dict[str, Any] | None, int]:
        data = _json(_read(self.path, _MAX_ROUND))
        if data is None:
            if self.path.exists():
                raise StorageError(f"{self.path}: damaged; delete it to start the class afresh")
            return None, 0
        version = data.get("version", 0)
        if type(version) is not int:
            raise StorageError(f"{self.path}: damaged; delete it to start the class afresh")
        return data, version

    def save(self, state: Mapping[str, Any], version: int) -> int:
        with _locked(self.path.with_name(f".{self.path.name}.lock")):
            if self.load()[1] != version:
                raise Conflict("the class's control state changed meanwhile; read it again")
            atomic_write(self.path, json.dumps({**state, "version": version + 1}, indent=1))
        self.owner.changes.notify(Change("control"))
        return version + 1


class FileClass(FolderKept):
    """A class kept in its class folder."""

    def __init__(self, folder: ClassFolder) -> None:
        self.folder = folder
        self.path = folder.path
        self.code, self.scenarios, self.reveal = folder.code, folder.scenarios, folder.reveal
        self.where = str(folder.path)
        self.changes = LocalChanges(self)
        self.seats = FileSeats(self)
        self.rounds = FileRounds(self)
        self.records = FileRecords(self)
        self.control = FileControl(self)
        self._matches: MatchStore | None = None

    @classmethod
    def open(
        cls, path: Path, scenarios: tuple[str, ...], reveal: str | None, create: bool
    ) -> FileClass:
        try:
            if create:
                return cls(ClassFolder.open_or_create(path, scenarios, reveal))
            return cls(ClassFolder.read(path))
        except ClassFolderError as error:
            raise StorageError(str(error)) from None

    @property
    def matches(self) -> Matches:
        if self._matches is None:
            self._matches = self.new_matches()
        return self._matches

    def new_matches(self) -> MatchStore:
        try:
            return MatchStore(self.path / MATCH_FILE)
        except FlashpointError as error:
            raise StorageError(str(error)) from None

    def close(self) -> None:
        self.changes.stop()
        if self._matches is not None:
            self._matches.close()
            self._matches = None
