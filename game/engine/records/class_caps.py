"""The class's caps on seats, counted where the class is kept, so that every server of the
class counts the same seats (``flashpoint serve`` on one class folder, or ``--database``).

Two caps are the class's, not a server's: the class size (``--max-students``: seats the class
has given, that is students with a seat: its keys, a secret or a PIN; a seat the teacher
removed counts no more) and the names one client may make (``--names-per-address``: seats
made by one address, or one forwarded client). A seat admitted gets its keys at once (the
class folder: its PIN and its browser's secret; PostgreSQL: its PIN), so it counts before
its browser has its cookie. A new seat is admitted only under the class's own
lock: the class folder's lock file here, a table lock in PostgreSQL
(:meth:`game.engine.records.pg_rows.DbSeats.admit`), so two servers admitting the last seat
at the same moment never both succeed. The client is kept only as a digest (with the class
code), beside each seat it made; a seat given back (never played) no longer counts.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from game.engine.base.digest import sha256_hex
from game.engine.base.safefile import PRIVATE_FILE, locked, private_folder, read_regular
from game.engine.records.classfolder import STUDENT_FILE, ClassFolder, Student, student_id
from game.engine.records.seat_keys import SEATS, SeatKeys
from game.engine.records.store import atomic_write

Verdict = Literal["admitted", "known", "full", "names"]
"""A new seat made; the class has this student already (nothing counted); the class is full;
the client has made its share of names."""
ADMITTED_FILE = ".admitted.json"
"""The class folder's record of which client (its digest) made each seat."""
LOCKS = ".locks"
"""The class folder's lock files, one per class-wide lock (:func:`class_lock`)."""
LOCK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_MAX_LEDGER = 4 * 1024 * 1024
_MAX_KEPT = 4 * 1024 * 1024


@contextlib.contextmanager
def class_lock(path: Path, what: str) -> Iterator[None]:
    """The class folder ``path``'s lock ``what`` (letters, digits, dashes) for the block: every
    process on the class folder waits for it (raises ``OSError``)."""
    if not LOCK_NAME.fullmatch(what):
        raise ValueError(f"not a lock's name: {what[:70]!r}")
    with locked(private_folder(path / LOCKS) / f"{what}.lock"):
        yield


class FolderKept:
    """What a class folder keeps beside its students for every process on it: class-wide
    locks and small documents (the teacher's pairs: ``pairs.json``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exclusive(self, what: str) -> contextlib.AbstractContextManager[None]:
        return class_lock(self.path, what)

    def kept(self, key: str) -> str | None:
        if not LOCK_NAME.fullmatch(key):
            raise ValueError(f"not a document's name: {key[:70]!r}")
        try:
            data = read_regular(self.path / f"{key}.json", _MAX_KEPT, follow_links=False)
        except FileNotFoundError:
            return None
        return data.decode("utf-8", "replace")

    def keep(self, key: str, text: str) -> None:
        if not LOCK_NAME.fullmatch(key):
            raise ValueError(f"not a document's name: {key[:70]!r}")
        atomic_write(self.path / f"{key}.json", text)


@dataclass(frozen=True)
class Caps:
    """The class's caps on new seats."""

    seats: int
    """Students the class may have."""
    per_client: int
    """Seats one client may make."""


def client_digest(code: str, client: str) -> str:
    """How a client is kept beside the seats it made: a digest, never its address."""
    return sha256_hex(f"{code}\n{client}".encode())[:32]


@dataclass(frozen=True)
class Admitted:
    """What admitting a seat came to: the verdict, and the students the class has now."""

    verdict: Verdict
    students: int
    student: Student | None = None
    cookie: str = ""
    """The new seat's cookie value, when its keys were written with it (the class folder)."""


def admit_to_folder(folder: ClassFolder, name: str, client: str, caps: Caps) -> Admitted:
    """A seat of the class folder for ``name`` (cleaned) made by ``client`` (its digest), if
    the class's caps allow, under the folder's lock (blocking); raises ``OSError``."""
    ident = student_id(name)
    with class_lock(folder.path, "admit"):
        present = students_in(folder)
        if ident in present:
            return Admitted("known", 0, folder.student(folder.students_folder / ident))
        seated = present & _keyed(folder)
        if len(seated) >= caps.seats:
            return Admitted("full", len(seated))
        ledger = {k: v for k, v in _ledger(folder).items() if k in present}
        if sum(ledger.get(k) == client for k in seated) >= caps.per_client:
            return Admitted("names", len(seated))
        student = folder.join(name)
        cookie = SeatKeys(folder).issue(student.id)  # a seat from now on, whoever counts next
        ledger[student.id] = client
        _write_ledger(folder.path / ADMITTED_FILE, json.dumps(ledger))
        return Admitted("admitted", len(seated) + 1, student, cookie)


def _write_ledger(path: Path, text: str) -> None:
    """Replace the ledger in one step (under the class's lock), without waiting for the disk:
    a crash can lose the last seats' clients, never a student's seat or work."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(temp, flags, PRIVATE_FILE), "w", encoding="utf-8") as out:
        out.write(text)
    temp.replace(path)


def students_in(folder: ClassFolder) -> set[str]:
    """The ids of the class folder's students (a folder with its student file: cheap, no
    file is read)."""
    try:
        entries = list(os.scandir(folder.students_folder))
    except OSError:
        return set()
    return {
        entry.name
        for entry in entries
        if entry.is_dir(follow_symlinks=False)
        and os.path.isfile(os.path.join(entry.path, STUDENT_FILE))  # noqa: PTH113, PTH118
    }


def _keyed(folder: ClassFolder) -> set[str]:
    """The ids of the students whose seat has keys (a key file: not read, so cheap)."""
    try:
        return {p.stem for p in (folder.path / SEATS).glob("*.json")}
    except OSError:
        return set()


def _ledger(folder: ClassFolder) -> dict[str, str]:
    """Which client made each seat; a missing or damaged file counts nobody's names (the
    seats stay counted in the class size)."""
    try:
        data = json.loads(read_regular(folder.path / ADMITTED_FILE, _MAX_LEDGER, False))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def give_back_folder(folder: ClassFolder, ident: str) -> bool:
    """Remove the seat ``ident`` (its folder, its keys) if nothing was ever written in it (its
    folder holds only its student file): the class counts it no more. Whether it was."""
    path = folder.students_folder / ident
    with class_lock(folder.path, "admit"):
        try:
            if [p.name for p in path.iterdir()] != [STUDENT_FILE]:
                return False
            (path / STUDENT_FILE).unlink()
            path.rmdir()
        except OSError:
            return False
        SeatKeys(folder).forget(ident)
    return True
