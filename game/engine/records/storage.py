"""What a class keeps, whatever keeps it: the storage interface and how to open one.

A class keeps its students' seats, their rounds in progress (saves), their result records, its
head-to-head matches, the teacher's control state and notifications of every change. Two
implementations keep them: the class folder on this machine (files and one SQLite match file:
the embedded default, :mod:`game.engine.records.storage_files`) and PostgreSQL
(:mod:`game.engine.records.storage_pg`, only when a database is named), which lets several ``serve``
processes, on one machine or many, share one class.

No lost work: every save is atomic, and every write that replaces something names the version
it read (:class:`Conflict` when another process wrote since), so two processes never silently
overwrite each other. A lease holds a round for one process and dies with it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from game.engine.base.problems import FlashpointError
from game.engine.records.class_caps import Admitted, Caps
from game.engine.records.matches import MatchInfo, MatchSummary, StoredMove
from game.engine.records.record_rows import ResultRecord


class StorageError(FlashpointError):
    """The class's storage cannot be used; the message says what to do (never a password)."""


class Conflict(StorageError):
    """Another process wrote this since it was read: nothing was written; read it again."""


class Held(StorageError):
    """Another process holds this round (its lease); it is free again when that one ends."""


@dataclass(frozen=True)
class SeatRow:
    """One student of the class."""

    student: str
    """The student id (:func:`game.engine.records.classfolder.student_id` of the cleaned name)."""
    name: str
    joined: float
    secret: str = ""
    """Opaque to storage: the seat secret's digest, as the seats code keeps it."""
    pin: str = ""
    """Opaque to storage: the resume PIN's digest."""
    version: int = 1
    """Bumped by every update (compare-and-set)."""


@dataclass(frozen=True)
class Saved:
    """A round in progress as stored."""

    round_id: str
    data: dict[str, Any]
    """``Session.to_dict()``, its header checked
    (:func:`game.engine.play.roundfile.read_header`)."""
    version: str
    """Opaque: give it back to :meth:`Rounds.save` to replace exactly this save."""
    updated: float


@dataclass(frozen=True)
class Change:
    """Something a class's storage wrote: ``kind`` is 'seat', 'round', 'record', 'match' or
    'control'; ``key`` the student id, the match code, or '' for the control state."""

    kind: str
    key: str = ""


Listener = Callable[[Change], None]


class Listeners:
    """The listeners of one process to a class's changes: :meth:`tell` calls each; the
    first subscription starts :meth:`watch` in a thread of its own, which an implementation
    overrides to hear other processes' writes (until :attr:`stopped`)."""

    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self.lock:
            self.listeners.append(listener)
            if self.thread is None:
                self.thread = threading.Thread(target=self.watch, daemon=True, name="changes")
                self.thread.start()

        def unsubscribe() -> None:
            with self.lock, contextlib.suppress(ValueError):
                self.listeners.remove(listener)

        return unsubscribe

    def tell(self, change: Change) -> None:
        with self.lock:
            listeners = list(self.listeners)
        for listener in listeners:
            listener(change)

    def watch(self) -> None:
        """Only this process's writes are told: nothing to watch."""
        self.stopped.wait()

    def stop(self) -> None:
        self.stopped.set()


class Lease(Protocol):
    """A hold on a round by this process, dropped when released or when the process dies."""

    def release(self) -> None: ...


class Seats(Protocol):
    """Who is in the class."""

    def join(self, name: str) -> SeatRow:
        """The student called ``name`` (cleaned here): created on first join."""
        ...

    def admit(self, name: str, client: str, caps: Caps) -> Admitted:
        """A new seat for ``name`` made by ``client`` (its digest), if the class's ``caps``
        allow, atomically: two processes never both take the last seat
        (:mod:`game.engine.records.class_caps`)."""
        ...

    def give_back(self, student: str) -> bool:
        """Remove a seat nothing was ever saved or recorded in (whether it was removed)."""
        ...

    def get(self, student: str) -> SeatRow | None: ...

    def all(self) -> list[SeatRow]:
        """Every student, in the order they joined."""
        ...

    def update(self, row: SeatRow, *, secret: str | None = None, pin: str | None = None) -> SeatRow:
        """``row`` with a new secret or PIN digest; :class:`Conflict` unless ``row`` is the
        stored version."""
        ...


class Rounds(Protocol):
    """Each student's rounds in progress."""

    def save(
        self, student: str, round_id: str, data: Mapping[str, Any], version: str | None = None
    ) -> str:
        """Store ``data`` atomically; its new version. ``version`` is the one read (``None``:
        a new round); :class:`Conflict` if the stored one differs."""
        ...

    def load(self, student: str, round_id: str) -> Saved | None: ...

    def in_progress(self, student: str) -> list[Saved]:
        """The student's rounds not finished, most recently saved first."""
        ...

    def delete(self, student: str, round_id: str, version: str) -> None:
        """Remove a save (its result record stays); :class:`Conflict` if it changed."""
        ...

    def lease(self, student: str, round_id: str) -> Lease:
        """Hold the round for this process; :class:`Held` if another one does."""
        ...


class Records(Protocol):
    """Result records: finished and abandoned rounds."""

    def put(self, student: str, round_id: str, data: Mapping[str, Any]) -> None:
        """Store the record of a round atomically (replacing its earlier record); a round
        that is over has its save removed."""
        ...

    def all(self) -> tuple[list[ResultRecord], list[str]]:
        """Every readable record, and a warning for each one that is not."""
        ...

    def of(self, student: str) -> list[ResultRecord]: ...

    def texts(self) -> list[tuple[str, str, bytes]]:
        """Every record as stored: (student id, round id, its JSON), for reports that read
        files (:func:`game.engine.records.stored_rounds.export_class`)."""
        ...

    def text(self, student: str, round_id: str) -> bytes | None:
        """One round's record as stored (its JSON), or None if it has none."""
        ...


class Control(Protocol):
    """The teacher's control state of the class (pacing), one JSON object."""

    def load(self) -> tuple[dict[str, Any] | None, int]:
        """The state and its version (also the state's own ``version``, as
        :func:`game.engine.play.pacing.to_json` writes it); ``(None, 0)`` before any was saved."""
        ...

    def save(self, state: Mapping[str, Any], version: int) -> int:
        """Replace the state read at ``version`` (stored with ``version`` + 1 as its own);
        the new version, or :class:`Conflict`. The class folder keeps it in the pacing file."""
        ...


class Changes(Protocol):
    """Notifications of what the class's storage wrote."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` (in a background thread) for every change; returns the function
        that stops it."""
        ...

    def notify(self, change: Change) -> None: ...


class Matches(Protocol):
    """Head-to-head matches (:class:`game.engine.records.matches.MatchStore`'s methods)."""

    def create(self, scenario: str, sha256: str, seats: Any, deadline: float) -> str: ...
    def join(self, code: str, name: str, wanted: str | None = None) -> str: ...
    def reserve(self, code: str, seat: str, name: str) -> None: ...
    def heartbeat(self, code: str, seat: str, here: bool = True) -> None: ...
    def move(
        self,
        code: str,
        seat: str,
        turn: int,
        choice: str,
        rationale: str = "",
        seconds: float = 0.0,
    ) -> None: ...
    def resolve(
        self, code: str, turn: int, fallbacks: Mapping[str, str]
    ) -> list[StoredMove] | None: ...
    def info(self, code: str) -> MatchInfo: ...
    def revealed(self, code: str) -> list[list[StoredMove]]: ...
    def sealed(self, code: str, seat: str, turn: int) -> str | None: ...
    def finish(self, code: str) -> None: ...
    def summaries(self) -> list[MatchSummary]: ...
    def presence(self, code: str) -> dict[str, str]: ...
    def status(self, code: str) -> str: ...
    def changed(self) -> bool: ...
    def close(self) -> None: ...


class ClassStorage(Protocol):
    """Everything one class keeps."""

    @property
    def code(self) -> str: ...
    @property
    def scenarios(self) -> tuple[str, ...]: ...
    @property
    def reveal(self) -> str | None: ...
    @property
    def where(self) -> str:
        """Where it is kept, in words for the teacher (never a password)."""
        ...

    @property
    def seats(self) -> Seats: ...
    @property
    def rounds(self) -> Rounds: ...
    @property
    def records(self) -> Records: ...
    @property
    def control(self) -> Control: ...
    @property
    def changes(self) -> Changes: ...

    @property
    def matches(self) -> Matches:
        """This process's connection to the class's matches (opened on first use)."""
        ...

    def new_matches(self) -> Matches:
        """Another connection to the matches, for a thread of its own."""
        ...

    def exclusive(self, what: str) -> contextlib.AbstractContextManager[None]:
        """Hold the class-wide lock ``what`` (letters, digits, dashes) for the block, against
        every process of the class; :class:`StorageError` if it stays held too long."""
        ...

    def kept(self, key: str) -> str | None:
        """The class's document ``key`` (e.g. the teacher's pairs), or None."""
        ...

    def keep(self, key: str, text: str) -> None:
        """Replace the class's document ``key`` (atomically)."""
        ...

    def close(self) -> None: ...


def open_class(
    database: str | None,
    folder: Path | None = None,
    name: str = "",
    scenarios: tuple[str, ...] = (),
    reveal: str | None = None,
    create: bool = True,
) -> ClassStorage:
    """The class kept in ``database`` (a ``postgresql://`` URL) under ``name``, or, without
    one, in ``folder``. ``create``: make it if missing (keeping its code if it exists) with the
    teacher's settings; else it must exist. Raises :class:`StorageError` in words."""
    if database is None:
        from game.engine.records.storage_files import FileClass

        if folder is None:
            raise StorageError("give the class folder (or --database)")
        return FileClass.open(folder, scenarios, reveal, create)
    from game.engine.records.storage_pg import (
        DatabaseClass,  # psycopg only when a database is named
    )

    return DatabaseClass.open(database, name, scenarios, reveal, create)
