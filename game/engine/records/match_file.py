"""The match file itself: opened only whole, private and writable; a chain of digests over its
moves; a bounded wait when another program holds it.

- Opening checks the file before SQLite maps anything: a regular file (a pipe would hang), that
  this user can write along with its ``-wal``/``-shm`` companions (SQLite would otherwise open
  it read-only and map a shared-memory file it cannot grow: SIGBUS), that starts as an SQLite
  file, and then that every page is whole (``PRAGMA quick_check``). Each failure names the file.
- Every sealed move carries a digest chained over the match's moves before it (its own fields
  and the digest of the move sealed before it in the same match), and a revealed turn keeps the
  chain's head as it stood at the reveal. Reading the moves checks the chain, so a move changed
  or removed after it was sealed is named (match, seat, turn) and the match stops, rather than
  one seat's record differing from the other's. Limit: the digest is not a signature; whoever
  can write the file and computes every later digest again is not detected (the file is its
  owner's alone: 0600).
- A statement waits at most :data:`BUSY_SECONDS` for another program's lock; then
  :class:`MatchBusy` says that nothing was written, and the seat tries again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine.base.safefile import PRIVATE_FILE
from game.engine.records import match_turns
from game.engine.records.match_errors import MatchBusy, MatchError, translated

SCHEMA_VERSION = 2
"""``PRAGMA user_version`` of the current format; 0 is the format before digests, 1 before the
turn's clock and reserved seats (:mod:`game.engine.records.match_turns`), both migrated."""
BUSY_SECONDS = 1.0
"""Longest a statement waits for another program's lock on the match file."""
_NOT_A_DATABASE = 26  # SQLITE_NOTADB: the file does not start as an SQLite database
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS matches (code TEXT PRIMARY KEY, scenario TEXT NOT NULL, "
    "sha256 TEXT NOT NULL, deadline REAL NOT NULL, created REAL NOT NULL, "
    "finished INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS seats (code TEXT NOT NULL, seat TEXT NOT NULL, name TEXT, "
    "last_seen REAL, PRIMARY KEY (code, seat))",
    "CREATE TABLE IF NOT EXISTS turns (code TEXT NOT NULL, turn INTEGER NOT NULL, "
    "started REAL NOT NULL, chain TEXT, PRIMARY KEY (code, turn))",
    "CREATE TABLE IF NOT EXISTS moves (code TEXT NOT NULL, seat TEXT NOT NULL, "
    "turn INTEGER NOT NULL, choice TEXT NOT NULL, fallback INTEGER NOT NULL, at REAL NOT NULL, "
    "rationale TEXT NOT NULL DEFAULT '', seconds REAL NOT NULL DEFAULT 0, digest TEXT, "
    "PRIMARY KEY (code, seat, turn))",
)
MOVE_COLUMNS = "seat, turn, choice, fallback, rationale, seconds, at"
RETRY_SECONDS = 2.0
"""How long a seat lets a busy match file be before trying it again (the screen stays live)."""
CHECK_SECONDS = 10.0
"""How often a seat checks its open match file whole again (:func:`check_whole`)."""
GIVE_UP_SECONDS = 120.0
"""How long a seat keeps trying a match file that stays busy before the match stops."""


def connect(path: Path) -> sqlite3.Connection:
    """The match file at ``path``, created private if missing, checked whole and writable and
    brought to the current format; raises :class:`MatchError` naming the file."""
    _check_file(path)
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
        db.execute("PRAGMA journal_mode=WAL")
        check_whole(db, path)
        _migrate(db, path)
    except sqlite3.Error as error:
        db.close()
        if getattr(error, "sqlite_errorcode", None) == _NOT_A_DATABASE:
            raise _not_a_match_file(path) from None
        raise translated(path, error) from None
    except BaseException:
        db.close()
        raise
    return db


def check_whole(db: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`MatchError` naming ``path`` unless every page of it is whole (at opening,
    and every :data:`CHECK_SECONDS` while a seat plays: garbage written into the file is found
    then, not when the seats close and fold the write-ahead log into it)."""
    problems = [str(row[0]) for row in db.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise MatchError(
            f"{path} is damaged ({'; '.join(problems)[:200]}); the match cannot go on "
            "from it (each seat's record keeps the turns played so far)"
        )


def _check_file(path: Path) -> None:
    with contextlib.suppress(FileExistsError):
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        except FileExistsError:
            raise
        except OSError as error:
            raise MatchError(f"cannot create the match file {path}: {error.strerror}") from None
    try:
        status = path.stat()
    except OSError as error:
        raise MatchError(f"cannot open the match file {path}: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise MatchError(f"{path} is not a regular file, so it cannot be a match file")
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), path.parent):
        if companion.exists() and not os.access(companion, os.R_OK | os.W_OK):
            raise MatchError(
                f"the match file {companion} is read-only to you; make it writable "
                f"(chmod u+rw {companion}) or give another match file"
            )
    # Nothing here opens the file itself: closing any descriptor of it would drop every lock
    # this process's SQLite connections hold on it (POSIX locks are per process), and the next
    # program to close it would then delete the write-ahead log under them. SQLite reads the
    # header (``connect``); a file shorter than one page (512 bytes) is no database, and SQLite
    # would take it for an empty one and write over it.
    if 0 < status.st_size < 512:
        raise _not_a_match_file(path)


def _not_a_match_file(path: Path) -> MatchError:
    return MatchError(
        f"{path} is not a match file (it does not start as one: damaged, or another kind "
        "of file); give another match file"
    )


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise MatchError(f"{path} was written by a newer Flashpoint; update Flashpoint")
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA:
            db.execute(statement)
        if "chain" not in _columns(db, "turns"):
            db.execute("ALTER TABLE turns ADD COLUMN chain TEXT")
        db.execute(match_turns.SHOWN)
        if "reserved" not in _columns(db, "seats"):
            db.execute(match_turns.RESERVED)
        if "digest" not in _columns(db, "moves"):  # format 0: the moves as they stand are
            db.execute("ALTER TABLE moves ADD COLUMN digest TEXT")  # taken as sealed
            for (code,) in db.execute("SELECT code FROM matches").fetchall():
                _seal_all(db, str(code))
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


def _seal_all(db: sqlite3.Connection, code: str) -> None:
    head = code
    for rowid, *fields in db.execute(
        "SELECT rowid, seat, turn, choice, fallback, rationale, seconds, at FROM moves "
        "WHERE code = ? ORDER BY rowid",
        (code,),
    ).fetchall():
        head = digest(head, fields)
        db.execute("UPDATE moves SET digest = ? WHERE rowid = ?", (head, rowid))
    for (turn,) in db.execute("SELECT turn FROM turns WHERE code = ?", (code,)).fetchall():
        db.execute(
            "UPDATE turns SET chain = ? WHERE code = ? AND turn = ?",
            (_head_through(db, code, int(turn) - 1), code, turn),
        )


def digest(previous: str, fields: Sequence[Any]) -> str:
    """The digest of a move (its :data:`MOVE_COLUMNS`) sealed after ``previous``."""
    seat, turn, choice, fallback, rationale, seconds, at = fields
    text = json.dumps(
        [previous, seat, int(turn), choice, bool(fallback), rationale, float(seconds), float(at)],
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(db: sqlite3.Connection, code: str, fields: Sequence[Any]) -> None:
    """Insert a move (its :data:`MOVE_COLUMNS`) with its digest; inside a write transaction."""
    row = db.execute(
        "SELECT digest FROM moves WHERE code = ? ORDER BY rowid DESC LIMIT 1", (code,)
    ).fetchone()
    head = digest(code if row is None else str(row[0]), fields)
    db.execute(
        "INSERT INTO moves (code, seat, turn, choice, fallback, rationale, seconds, at, digest) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, *fields, head),
    )


def reveal_turn(db: sqlite3.Connection, code: str, turn: int, now: float) -> None:
    """Mark ``turn`` revealed (the next turn's row), keeping the chain's head as it stands."""
    db.execute(
        "INSERT INTO turns (code, turn, started, chain) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (code, turn + 1, now, _head_through(db, code, turn)),
    )


def _head_through(db: sqlite3.Connection, code: str, turn: int) -> str | None:
    row = db.execute(
        "SELECT digest FROM moves WHERE code = ? AND turn <= ? ORDER BY rowid DESC LIMIT 1",
        (code, turn),
    ).fetchone()
    return None if row is None else str(row[0])


def checked_moves(db: sqlite3.Connection, path: Path, code: str) -> list[tuple[Any, ...]]:
    """Every move of match ``code`` (its :data:`MOVE_COLUMNS`), in the order sealed, once the
    chain holds; raises :class:`MatchError` naming the first move changed or removed. Read in
    one transaction, so a turn revealed meanwhile by another seat is seen whole or not at all."""
    if db.in_transaction:
        return _checked(db, path, code)
    db.execute("BEGIN")
    try:
        return _checked(db, path, code)
    finally:
        db.execute("COMMIT")


def _checked(db: sqlite3.Connection, path: Path, code: str) -> list[tuple[Any, ...]]:
    rows = db.execute(
        "SELECT seat, turn, choice, fallback, rationale, seconds, at, digest FROM moves "
        "WHERE code = ? ORDER BY rowid",
        (code,),
    ).fetchall()
    head, last = code, {}  # each turn's latest move in the chain
    for position, (*fields, kept) in enumerate(rows):
        head = digest(head, fields)
        if kept != head:
            raise MatchError(
                f"{path}: the move of seat '{fields[0]}' at turn {fields[1]} of match {code} "
                "was changed after it was sealed (its digest does not match); the match cannot "
                "go on from this file (each seat's record keeps the turns played so far)"
            )
        last[int(fields[1])] = position
    chains = db.execute(
        "SELECT turn, chain FROM turns WHERE code = ? AND chain IS NOT NULL", (code,)
    ).fetchall()
    through: dict[int, str | None] = {}  # the chain's head through each turn
    latest = -1
    for turn in sorted({*last, *(int(t) - 1 for t, _ in chains)}):
        latest = max(latest, last.get(turn, -1))
        through[turn] = str(rows[latest][-1]) if latest >= 0 else None
    for turn, chain in chains:
        if chain != through[int(turn) - 1]:
            raise MatchError(
                f"{path}: a move of turn {int(turn) - 1} of match {code} was removed or "
                "changed after both were revealed; the match cannot go on from this file "
                "(each seat's record keeps the turns played so far)"
            )
    return [tuple(row[:-1]) for row in rows]


@dataclass
class Patience:
    """A seat's bounded wait on a busy match file: tried again every :data:`RETRY_SECONDS`,
    and given up (a :class:`MatchError` saying so) after :data:`GIVE_UP_SECONDS` of refusals."""

    clock: Callable[[], float] = time.monotonic
    since: float | None = None
    next_try: float = float("-inf")

    def ready(self) -> bool:
        """Whether to try the file now."""
        return self.clock() >= self.next_try

    def failed(self, error: MatchBusy, unsaved: bool) -> bool:
        """Note a refusal: ``True`` the first time (to tell the student); raises
        :class:`MatchError` once the file has refused for :data:`GIVE_UP_SECONDS`."""
        now = self.clock()
        if self.since is None:
            self.since = now
        elif now - self.since >= GIVE_UP_SECONDS:
            lost = " Your move was not saved." if unsaved else ""
            raise MatchError(
                f"{error}, for {GIVE_UP_SECONDS:.0f} seconds now.{lost} Rejoin the match with "
                "the same code and name once the file can be used."
            )
        self.next_try = now + RETRY_SECONDS
        return now == self.since

    def succeeded(self) -> bool:
        """The file answered: ``True`` if it had refused before."""
        refused, self.since, self.next_try = self.since is not None, None, float("-inf")
        return refused
