"""A class kept in PostgreSQL (psycopg 3), so several ``serve`` processes share it.

Each class has a row in ``flashpoint.classes`` (its name, code and the teacher's settings) and
a schema of its own, ``flashpoint_c<id>``, with its students, saves, result records, control
state and matches (:mod:`game.engine.records.match_pg`). Every write is one transaction; a write
that replaces something names the version it read (``UPDATE ... WHERE version = ...``), and tells
the class's channel (``pg_notify``) in the same transaction, so every process listening
hears it once it is committed. A lease is a session advisory lock on the process's own lease
connection: it dies with the process. Connections are one per thread, made again after a
connection is lost. Errors are worded with the database's address, never its password.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

from game.engine.records.class_caps import LOCK_NAME
from game.engine.records.classfolder import CODE_ALPHABET, CODE_LENGTH
from game.engine.records.match_pg import MATCH_TABLES, PgMatchStore
from game.engine.records.pg_connect import Database, as_storage_error
from game.engine.records.pg_rows import DbChanges, DbControl, DbRecords, DbRounds, DbSeats
from game.engine.records.storage import Change, StorageError

CLASS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CLASS_TABLES = (
    "CREATE TABLE IF NOT EXISTS students (rowid BIGSERIAL, student TEXT PRIMARY KEY, "
    "name TEXT NOT NULL, joined DOUBLE PRECISION NOT NULL, secret TEXT NOT NULL DEFAULT '', "
    "pin TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1)",
    "ALTER TABLE students ADD COLUMN IF NOT EXISTS client TEXT NOT NULL DEFAULT ''",
    "CREATE TABLE IF NOT EXISTS saves (student TEXT NOT NULL, round_id TEXT NOT NULL, "
    "data TEXT NOT NULL, version BIGINT NOT NULL, updated DOUBLE PRECISION NOT NULL, "
    "finished BOOLEAN NOT NULL, PRIMARY KEY (student, round_id))",
    "CREATE TABLE IF NOT EXISTS records (student TEXT NOT NULL, round_id TEXT NOT NULL, "
    "data TEXT NOT NULL, updated DOUBLE PRECISION NOT NULL, PRIMARY KEY (student, round_id))",
    "CREATE TABLE IF NOT EXISTS control (id INTEGER PRIMARY KEY, state TEXT NOT NULL, "
    "version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    *MATCH_TABLES,
)
REGISTRY = (
    "CREATE SCHEMA IF NOT EXISTS flashpoint",
    "CREATE TABLE IF NOT EXISTS flashpoint.classes (id BIGSERIAL PRIMARY KEY, "
    "name TEXT UNIQUE NOT NULL, code TEXT NOT NULL, scenarios TEXT NOT NULL, reveal TEXT, "
    "created DOUBLE PRECISION NOT NULL)",
)
SETUP_LOCK = 0x466C617368  # "Flash": the advisory lock held while tables are created
EXCLUSIVE_TRIES, EXCLUSIVE_WAIT = 400, 0.025
"""A class-wide lock held elsewhere is tried again for up to ten seconds."""


class DatabaseClass:
    """One class in a PostgreSQL database."""

    def __init__(self, database: Database, row: tuple[Any, ...]) -> None:
        ident, self.name, self.code, scenarios, self.reveal = row
        self.ident = int(ident)
        self.scenarios = tuple(json.loads(scenarios))
        self.database = database
        self.schema = f"flashpoint_c{self.ident}"
        self.channel = self.schema
        self.where = f"{database.shown} (class {self.name})"
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.RLock()
        self._lease_db: Any = None
        self._held: set[str] = set()
        """The class-wide locks this process holds (:meth:`exclusive`)."""
        self._matches: PgMatchStore | None = None
        self.seats = DbSeats(self)
        self.rounds = DbRounds(self)
        self.records = DbRecords(self)
        self.control = DbControl(self)
        self.changes = DbChanges(self)

    @classmethod
    def open(
        cls, url: str, name: str, scenarios: tuple[str, ...], reveal: str | None, create: bool
    ) -> DatabaseClass:
        database = Database.parse(url)
        if not CLASS_NAME.fullmatch(name):
            raise StorageError(
                f"'{name[:70]}' cannot name a class: use letters, digits, '.', '-' or '_' "
                "(at most 64), e.g. --class-name 2026-12-04-history"
            )
        with database.connect() as db, as_storage_error(database), db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
            for statement in REGISTRY:
                db.execute(statement)
            row = db.execute(
                "SELECT id, name, code, scenarios, reveal FROM flashpoint.classes WHERE name = %s",
                (name,),
            ).fetchone()
            if row is None and not create:
                names = [r[0] for r in db.execute("SELECT name FROM flashpoint.classes")]
                raise StorageError(
                    f"there is no class '{name}' in {database.shown}; classes there: "
                    f"{', '.join(sorted(names)) or 'none'}"
                )
            settings = (json.dumps(list(scenarios)), reveal)
            if row is None:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                row = db.execute(
                    "INSERT INTO flashpoint.classes (name, code, scenarios, reveal, created) "
                    "VALUES (%s, %s, %s, %s, %s) RETURNING id, name, code, scenarios, reveal",
                    (name, code, *settings, time.time()),
                ).fetchone()
            elif create:  # the teacher's current settings, the class's code
                row = db.execute(
                    "UPDATE flashpoint.classes SET scenarios = %s, reveal = %s WHERE id = %s "
                    "RETURNING id, name, code, scenarios, reveal",
                    (*settings, row[0]),
                ).fetchone()
            assert row is not None
            db.execute(f"CREATE SCHEMA IF NOT EXISTS flashpoint_c{int(row[0])}")
            db.execute(f"SET LOCAL search_path TO flashpoint_c{int(row[0])}")
            for statement in CLASS_TABLES:
                db.execute(statement)
        return cls(database, row)

    # --- connections ----------------------------------------------------------------------

    def connect(self) -> Any:
        """A new connection to the class's schema."""
        db = self.database.connect()
        db.execute(f"SET search_path TO {self.schema}")
        with self._lock:
            self._opened.append(db)
        return db

    def db(self) -> Any:
        """This thread's connection (made again if it was lost)."""
        db = getattr(self._local, "db", None)
        if db is None or db.closed:
            db = self._local.db = self.connect()
        return db

    @contextlib.contextmanager
    def writing(self, *changes: Change) -> Iterator[Any]:
        """A transaction on this thread's connection that tells ``changes`` as it commits."""
        db = self.db()
        with as_storage_error(self.database), db.transaction():
            yield db
            for change in changes:
                db.execute(
                    "SELECT pg_notify(%s, %s)", (self.channel, f"{change.kind}:{change.key}")
                )

    def read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with as_storage_error(self.database):
            return list(self.db().execute(sql, parameters).fetchall())

    @property
    def matches(self) -> PgMatchStore:
        if self._matches is None:
            self._matches = self.new_matches()
        return self._matches

    def new_matches(self) -> PgMatchStore:
        with as_storage_error(self.database):
            return PgMatchStore(self.connect, self.where, self.ident, self.channel)

    @contextlib.contextmanager
    def exclusive(self, what: str) -> Iterator[None]:
        """The class-wide lock ``what``: a session advisory lock on the lease connection (it
        dies with the process), and this process's own hold on it (a session holds its
        advisory locks again, so threads of one process must not share them)."""
        if not LOCK_NAME.fullmatch(what):
            raise StorageError(f"not a lock's name: {what[:70]!r}")
        key = (self.ident, f"lock:{what}")
        for _ in range(EXCLUSIVE_TRIES):
            with self._lock, as_storage_error(self.database):
                held = what not in self._held and bool(
                    self.lease_db()
                    .execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", key)
                    .fetchone()[0]
                )
                if held:
                    self._held.add(what)
                    break
            time.sleep(EXCLUSIVE_WAIT)
        else:
            raise StorageError(f"{self.where}: another server holds '{what}'; try again")
        try:
            yield
        finally:
            with self._lock, contextlib.suppress(Exception):  # a lost connection lost it too
                self._held.discard(what)
                self.lease_db().execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", key)

    def kept(self, key: str) -> str | None:
        rows = self.read("SELECT value FROM kept WHERE key = %s", (key,))
        return str(rows[0][0]) if rows else None

    def keep(self, key: str, text: str) -> None:
        with self.writing(Change("kept", key)) as db:
            db.execute(
                "INSERT INTO kept VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = %s",
                (key, text, text),
            )

    def lease_db(self) -> Any:
        if self._lease_db is None or self._lease_db.closed:
            self._lease_db = self.connect()
        return self._lease_db

    def close(self) -> None:
        self.changes.stop()
        if self._matches is not None:
            self._matches.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            with contextlib.suppress(Exception):
                db.close()
