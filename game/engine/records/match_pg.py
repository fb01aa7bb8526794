"""Head-to-head matches kept in PostgreSQL: the same rows, transactions and digest chain as the
SQLite match file (:mod:`game.engine.records.matches`), so seats on different ``serve`` processes or
machines play one match.

:class:`PgMatchStore` is a :class:`~game.engine.records.matches.MatchStore` whose connection speaks
the few SQLite calls the store makes: ``?`` parameters, ``BEGIN`` (a repeatable-read snapshot,
as SQLite's reads see one) and ``BEGIN IMMEDIATE`` (a transaction that first takes the class's
advisory lock on matches, so writers queue one at a time as on SQLite's single writer; the
lock is dropped at COMMIT or ROLLBACK, or when a killed process's connection closes). Every
write bumps the class's match version and notifies the class's channel, so ``changed`` and
the other processes' listeners see it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from game.engine.records.match_errors import MatchBusy, MatchError
from game.engine.records.matches import MatchStore, T

if TYPE_CHECKING:
    import psycopg

MATCH_TABLES = (
    "CREATE TABLE IF NOT EXISTS matches (code TEXT PRIMARY KEY, scenario TEXT NOT NULL, "
    "sha256 TEXT NOT NULL, deadline DOUBLE PRECISION NOT NULL, "
    "created DOUBLE PRECISION NOT NULL, finished INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS seats (rowid BIGSERIAL, code TEXT NOT NULL, seat TEXT NOT NULL, "
    "name TEXT, last_seen DOUBLE PRECISION, PRIMARY KEY (code, seat))",
    "CREATE TABLE IF NOT EXISTS turns (code TEXT NOT NULL, turn INTEGER NOT NULL, "
    "started DOUBLE PRECISION NOT NULL, chain TEXT, PRIMARY KEY (code, turn))",
    "CREATE TABLE IF NOT EXISTS moves (rowid BIGSERIAL, code TEXT NOT NULL, seat TEXT NOT NULL, "
    "turn INTEGER NOT NULL, choice TEXT NOT NULL, fallback INTEGER NOT NULL, "
    "at DOUBLE PRECISION NOT NULL, rationale TEXT NOT NULL DEFAULT '', "
    "seconds DOUBLE PRECISION NOT NULL DEFAULT 0, digest TEXT, PRIMARY KEY (code, seat, turn))",
    "ALTER TABLE seats ADD COLUMN IF NOT EXISTS reserved TEXT",  # match_turns.RESERVED
    "CREATE TABLE IF NOT EXISTS shown (code TEXT NOT NULL, seat TEXT NOT NULL, "  # match_turns
    "turn INTEGER NOT NULL, at DOUBLE PRECISION NOT NULL, PRIMARY KEY (code, seat, turn))",
    "CREATE TABLE IF NOT EXISTS match_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
    "INSERT INTO match_version VALUES (1, 0) ON CONFLICT DO NOTHING",
)
"""The match tables in a class's schema (``rowid`` kept in order, as SQLite's is)."""


class _Dialect:
    """A psycopg connection answering the sqlite3 calls MatchStore and match_file make."""

    def __init__(self, connection: psycopg.Connection[Any], lock: int) -> None:
        self.connection = connection
        self.lock = lock

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        if sql == "BEGIN IMMEDIATE":
            self.connection.execute("BEGIN")
            return self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (self.lock,))
        if sql == "BEGIN":
            return self.connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        return self.connection.execute(cast(Any, sql.replace("?", "%s")), parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(cast(Any, sql.replace("?", "%s")), rows)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.connection.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.connection.close()


class PgMatchStore(MatchStore):
    """A class's matches in its PostgreSQL schema."""

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]],
        where: str,
        lock: int,
        channel: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = where  # type: ignore[assignment]  # named in messages, as the file is
        self.clock = clock
        self.connect, self.lock, self.channel = connect, lock, channel
        self.db = cast(Any, _Dialect(connect(), lock))
        self._version = self._data_version()
        self.checked = float("inf")  # PostgreSQL checks its own pages

    def reopen(self) -> PgMatchStore:
        """Another connection to the same matches (a heartbeat thread's own)."""
        return PgMatchStore(self.connect, str(self.path), self.lock, self.channel, self.clock)

    def check_whole(self) -> None:
        return None

    def translated(self, error: Exception) -> MatchError | None:
        """A PostgreSQL error as a :class:`MatchError` naming where the matches are."""
        import psycopg

        if isinstance(error, psycopg.OperationalError):
            return MatchBusy(
                f"could not reach the class's matches in {self.path} just now; nothing was saved"
            )
        if isinstance(error, psycopg.Error):
            reason = type(error).__name__
            return MatchError(f"the class's matches in {self.path} refused a write ({reason})")
        return None

    def _write(self, statements: Callable[[Any], T]) -> T:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            before = int(self.db.execute("SELECT version FROM match_version").fetchone()[0])
            result = statements(self.db)
            self.db.execute("UPDATE match_version SET version = version + 1")
            self.db.execute("SELECT pg_notify(%s, 'match:')", (self.channel,))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        if before != self._version:  # another process wrote before this one: not seen yet
            self._unseen = True
        self._version = before + 1
        return result

    _unseen = False

    def changed(self) -> bool:
        """Whether another process has written since the last call (this one's writes do not
        count)."""
        try:
            version = self._data_version()
        except Exception as error:
            found = self.translated(error)
            if found is None:
                raise
            raise found from None
        changed = version != self._version or self._unseen
        self._version, self._unseen = version, False
        return changed

    def _data_version(self) -> int:
        return int(self.db.execute("SELECT version FROM match_version").fetchone()[0])
