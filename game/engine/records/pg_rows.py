"""The rows of a class kept in PostgreSQL (:mod:`game.engine.records.storage_pg`): students, saves,
result records, the control state, leases and the class's notification channel.

Every write is one transaction on the calling thread's connection; one that replaces a row
names the version it read (``UPDATE ... WHERE version = ...``: :class:`Conflict` otherwise).
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.engine.play.roundfile import ROUND_ID, RoundError, parse_json, read_header
from game.engine.records.class_caps import Admitted, Caps, Verdict
from game.engine.records.classfolder import clean_name, student_id
from game.engine.records.pg_connect import as_storage_error
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import RecordError, parse_record
from game.engine.records.seat_keys import new_pin
from game.engine.records.storage import (
    Change,
    Conflict,
    Held,
    Listeners,
    Saved,
    SeatRow,
    StorageError,
)

if TYPE_CHECKING:
    from game.engine.records.storage_pg import DatabaseClass

_STUDENT = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")


def _key(kind: str, student: str, round_id: str = "") -> tuple[str, str]:
    if not _STUDENT.fullmatch(student):
        raise StorageError(f"'{student[:40]}' is not a student id")
    if kind == "round" and not ROUND_ID.fullmatch(round_id):
        raise StorageError(f"'{round_id[:40]}' is not a round id")
    return student, round_id


class DbSeats:
    def __init__(self, owner: DatabaseClass) -> None:
        self.owner = owner

    def join(self, name: str) -> SeatRow:
        name = clean_name(name)
        ident = student_id(name)
        with self.owner.writing(Change("seat", ident)) as db:
            db.execute(
                "INSERT INTO students (student, name, joined) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (ident, name, time.time()),
            )
        row = self.get(ident)
        assert row is not None
        return row

    def admit(self, name: str, client: str, caps: Caps) -> Admitted:
        """A new seat for ``name`` made by ``client`` (a digest) if the class's caps allow:
        counted and inserted in one transaction holding the students table against every
        other insert, so two servers never both take the last seat."""
        name = clean_name(name)
        ident = student_id(name)
        with self.owner.writing(Change("seat", ident)) as db:
            db.execute("LOCK TABLE students IN SHARE ROW EXCLUSIVE MODE")
            known, total, mine = db.execute(  # a seat: its keys (none once removed)
                "SELECT count(*) FILTER (WHERE student = %s), "
                "count(*) FILTER (WHERE pin <> '' OR secret <> ''), "
                "count(*) FILTER (WHERE client = %s AND (pin <> '' OR secret <> '')) "
                "FROM students",
                (ident, client),
            ).fetchone()
            if known or total >= caps.seats or mine >= caps.per_client:
                verdict: Verdict = "known" if known else "full" if total >= caps.seats else "names"
                return Admitted(verdict, total)
            db.execute(  # its PIN at once: it counts before its browser has its cookie
                "INSERT INTO students (student, name, joined, client, pin) "
                "VALUES (%s, %s, %s, %s, %s)",
                (ident, name, time.time(), client, new_pin()),
            )
        return Admitted("admitted", total + 1)

    def give_back(self, student: str) -> bool:
        """Remove the seat if nothing of it was ever saved or recorded (whichever server
        played): the class counts it no more."""
        _key("seat", student)
        with self.owner.writing(Change("seat", student)) as db:
            gone = db.execute(
                "DELETE FROM students WHERE student = %s "
                "AND NOT EXISTS (SELECT 1 FROM saves WHERE student = %s) "
                "AND NOT EXISTS (SELECT 1 FROM records WHERE student = %s) RETURNING 1",
                (student, student, student),
            ).fetchone()
        return gone is not None

    def get(self, student: str) -> SeatRow | None:
        _key("seat", student)
        rows = self.owner.read(
            "SELECT student, name, joined, secret, pin, version FROM students WHERE student = %s",
            (student,),
        )
        return SeatRow(*rows[0]) if rows else None

    def all(self) -> list[SeatRow]:
        rows = self.owner.read(
            "SELECT student, name, joined, secret, pin, version FROM students "
            "ORDER BY joined, student"
        )
        return [SeatRow(*row) for row in rows]

    def update(self, row: SeatRow, *, secret: str | None = None, pin: str | None = None) -> SeatRow:
        with self.owner.writing(Change("seat", row.student)) as db:
            found = db.execute(
                "UPDATE students SET secret = COALESCE(%s, secret), pin = COALESCE(%s, pin), "
                "version = version + 1 WHERE student = %s AND version = %s "
                "RETURNING student, name, joined, secret, pin, version",
                (secret, pin, row.student, row.version),
            ).fetchone()
        if found is None:
            raise Conflict(f"{row.name}'s seat changed meanwhile; read it again")
        return SeatRow(*found)


class DbRounds:
    def __init__(self, owner: DatabaseClass) -> None:
        self.owner = owner
        self.held: dict[tuple[str, str], int] = {}

    def save(
        self, student: str, round_id: str, data: Mapping[str, Any], version: str | None = None
    ) -> str:
        _key("round", student, round_id)
        text = json.dumps(dict(data), ensure_ascii=False)
        finished = data.get("status") == "finished"
        with self.owner.writing(Change("round", student)) as db:
            if version is None:
                row = db.execute(
                    "INSERT INTO saves VALUES (%s, %s, %s, 1, %s, %s) ON CONFLICT DO NOTHING "
                    "RETURNING version",
                    (student, round_id, text, time.time(), finished),
                ).fetchone()
            else:
                row = db.execute(
                    "UPDATE saves SET data = %s, version = version + 1, updated = %s, "
                    "finished = %s WHERE student = %s AND round_id = %s AND version = %s "
                    "RETURNING version",
                    (text, time.time(), finished, student, round_id, _version(version)),
                ).fetchone()
            if row is None:
                raise Conflict(f"round {round_id} was saved by another process; read it again")
        return str(row[0])

    def load(self, student: str, round_id: str) -> Saved | None:
        _key("round", student, round_id)
        rows = self.owner.read(
            "SELECT round_id, data, version, updated FROM saves "
            "WHERE student = %s AND round_id = %s",
            (student, round_id),
        )
        return self._saved(rows[0]) if rows else None

    def _saved(self, row: tuple[Any, ...]) -> Saved:
        round_id, text, version, updated = row
        try:
            data = parse_json(text)
            read_header(data)
        except (ValueError, RecursionError, RoundError) as error:
            raise StorageError(f"round {round_id} in {self.owner.where}: {error}") from None
        return Saved(round_id, dict(data), str(version), float(updated))

    def in_progress(self, student: str) -> list[Saved]:
        _key("seat", student)
        rows = self.owner.read(
            "SELECT round_id, data, version, updated FROM saves WHERE student = %s "
            "AND NOT finished ORDER BY updated DESC, round_id",
            (student,),
        )
        return [self._saved(row) for row in rows]

    def delete(self, student: str, round_id: str, version: str) -> None:
        _key("round", student, round_id)
        with self.owner.writing(Change("round", student)) as db:
            db.execute(
                "DELETE FROM saves WHERE student = %s AND round_id = %s AND version = %s",
                (student, round_id, _version(version)),
            )
            left = db.execute(
                "SELECT 1 FROM saves WHERE student = %s AND round_id = %s", (student, round_id)
            ).fetchone()
            if left is not None:
                raise Conflict(f"round {round_id} was saved by another process; read it again")

    def lease(self, student: str, round_id: str) -> DbLease:
        _key("round", student, round_id)
        owner = self.owner
        with owner._lock, as_storage_error(owner.database):
            held = (
                owner.lease_db()
                .execute(
                    "SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                    (owner.ident, f"{student}/{round_id}"),
                )
                .fetchone()[0]
            )
        if not held:
            raise Held(
                "this round is being played in another Flashpoint (another serve process); "
                "close it there first, or start a new round"
            )
        return DbLease(owner, f"{student}/{round_id}")


def _version(token: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise Conflict(f"'{token[:20]}' is not a version of this database's rounds") from None


class DbLease:
    """A round held by this process: a session advisory lock on its lease connection."""

    def __init__(self, owner: DatabaseClass, key: str) -> None:
        self.owner, self.key = owner, key

    def release(self) -> None:
        owner, key = self.owner, self.key
        if key:
            self.key = ""
            with owner._lock, contextlib.suppress(Exception):  # a lost connection lost it too
                owner.lease_db().execute(
                    "SELECT pg_advisory_unlock(%s, hashtext(%s))", (owner.ident, key)
                )


class DbRecords:
    def __init__(self, owner: DatabaseClass) -> None:
        self.owner = owner

    def put(self, student: str, round_id: str, data: Mapping[str, Any]) -> None:
        _key("round", student, round_id)
        text = json.dumps(dict(data), ensure_ascii=False)
        with self.owner.writing(Change("record", student), Change("round", student)) as db:
            db.execute(
                "INSERT INTO records VALUES (%s, %s, %s, %s) ON CONFLICT (student, round_id) "
                "DO UPDATE SET data = EXCLUDED.data, updated = EXCLUDED.updated",
                (student, round_id, text, time.time()),
            )
            if data.get("status") == "finished":
                db.execute(
                    "DELETE FROM saves WHERE student = %s AND round_id = %s", (student, round_id)
                )

    def all(self) -> tuple[list[ResultRecord], list[str]]:
        return self._read("SELECT student, round_id, data FROM records ORDER BY student, round_id")

    def of(self, student: str) -> list[ResultRecord]:
        _key("seat", student)
        sql = "SELECT student, round_id, data FROM records WHERE student = %s ORDER BY round_id"
        return self._read(sql, (student,))[0]

    def texts(self) -> list[tuple[str, str, bytes]]:
        rows = self.owner.read("SELECT student, round_id, data FROM records ORDER BY 1, 2")
        return [(student, round_id, text.encode("utf-8")) for student, round_id, text in rows]

    def text(self, student: str, round_id: str) -> bytes | None:
        _key("round", student, round_id)
        sql = "SELECT data FROM records WHERE student = %s AND round_id = %s"
        rows = self.owner.read(sql, (student, round_id))
        return str(rows[0][0]).encode("utf-8") if rows else None

    def _read(
        self, sql: str, parameters: tuple[Any, ...] = ()
    ) -> tuple[list[ResultRecord], list[str]]:
        records, warnings = [], []
        for student, round_id, text in self.owner.read(sql, parameters):
            where = Path(self.owner.schema, student, f"{round_id}.json")
            try:
                records.append(parse_record(where, parse_json(text)))
            except (RecordError, ValueError, RecursionError) as error:
                warnings.append(f"{where}: {error}")
        return records, warnings


class DbControl:
    def __init__(self, owner: DatabaseClass) -> None:
        self.owner = owner

    def load(self) -> tuple[dict[str, Any] | None, int]:
        rows = self.owner.read("SELECT state, version FROM control WHERE id = 1")
        if not rows:
            return None, 0
        state = json.loads(rows[0][0])
        return (state if isinstance(state, dict) else None), int(rows[0][1])

    def save(self, state: Mapping[str, Any], version: int) -> int:
        text = json.dumps({**state, "version": version + 1}, ensure_ascii=False)
        with self.owner.writing(Change("control")) as db:
            if version == 0:
                sql = (
                    "INSERT INTO control VALUES (1, %s, 1) ON CONFLICT DO NOTHING RETURNING version"
                )
                row = db.execute(sql, (text,)).fetchone()
            else:
                row = db.execute(
                    "UPDATE control SET state = %s, version = version + 1 "
                    "WHERE id = 1 AND version = %s RETURNING version",
                    (text, version),
                ).fetchone()
            if row is None:
                raise Conflict("the class's control state changed meanwhile; read it again")
        return int(row[0])


class DbChanges(Listeners):
    """LISTEN on the class's channel in a thread of its own; every process hears every write
    (its own included) once committed. A lost connection is made again (every second)."""

    def __init__(self, owner: DatabaseClass) -> None:
        super().__init__()
        self.owner = owner

    def notify(self, change: Change) -> None:
        with self.owner.writing(change):
            pass

    def watch(self) -> None:
        while not self.stopped.is_set():
            try:
                db = self.owner.connect()
                db.execute(f"LISTEN {self.owner.channel}")
                while not self.stopped.is_set():
                    for note in db.notifies(timeout=1.0):
                        kind, _, key = note.payload.partition(":")
                        self.tell(Change(kind, key))
            except Exception:
                self.stopped.wait(1.0)
