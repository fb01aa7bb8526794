"""The match store for head-to-head rounds: matches, seats, sealed moves and heartbeats.

One SQLite file (the standard library's ``sqlite3``, WAL mode) shared by every seat's
process on one machine. The interface is narrow (create, join, move, heartbeat, resolve a
turn, status, changed) so that another backend (PostgreSQL, for seats on several machines)
could implement it with the same rows and the same transactions.

Moves are sealed: a turn's moves are revealed only when every seat has moved, or when the
deadline has passed and a fallback move (the one the scenario states) stands for each silent
seat, marked as such. Writing a move is idempotent: the same move again changes nothing; a
different move for a turn already played is refused. The file itself (opening it, its
format, the digests chained over its moves, a bounded wait on locks) is
:mod:`game.engine.records.match_file`'s.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from game.engine.base.text import one_line
from game.engine.records import match_file, match_turns
from game.engine.records.match_errors import MatchBusy as MatchBusy
from game.engine.records.match_errors import MatchError as MatchError
from game.engine.records.match_errors import guarded as _guarded
from game.engine.records.match_rows import MatchInfo as MatchInfo
from game.engine.records.match_rows import MatchSummary as MatchSummary
from game.engine.records.match_rows import StoredMove as StoredMove
from game.engine.records.match_rows import counted

Clock = Callable[[], float]
T = TypeVar("T")
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_RANDOM = random.SystemRandom()
"""The system's cryptographic source, as ``secrets.choice`` uses (without loading OpenSSL)."""
HEARTBEAT_SECONDS = 2.0
"""How often a seat's process tells the match file it is still there."""
GONE_AFTER = 3 * HEARTBEAT_SECONDS
"""Seconds without a heartbeat from a seat (three missed) after which it is shown as gone, to
the other seat and to the teacher; a seat that leaves is gone at once."""
ABANDON_AFTER = 15 * 60.0
"""Seconds without a heartbeat from every seat after which a match is abandoned."""


_SEATS = "SELECT seat FROM seats WHERE code = ? ORDER BY rowid"
_TURN = "SELECT 1 FROM turns WHERE code = ? AND turn = ?"
_SEALED = "SELECT seat FROM moves WHERE code = ? AND turn = ?"
_SEEN = "UPDATE seats SET last_seen = ? WHERE code = ? AND seat = ?"


class MatchStore:
    """Matches in one SQLite file; every method is one transaction."""

    @_guarded
    def __init__(self, path: Path, clock: Clock = time.time) -> None:
        self.path = path
        self.clock = clock
        self.db = match_file.connect(path)
        self._version = self._data_version()
        self.checked = time.monotonic()
        """When the file was last found whole (:func:`match_file.check_whole`)."""

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> MatchStore:
        """Another connection to the same matches (a heartbeat thread's own)."""
        return MatchStore(self.path, self.clock)

    def check_whole(self) -> None:
        """Raise :class:`MatchError` unless the file is whole (:func:`match_file.check_whole`)."""
        match_file.check_whole(self.db, self.path)

    def _write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            result = statements(self.db)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return result

    @_guarded
    def create(self, scenario: str, sha256: str, seats: Sequence[str], deadline: float) -> str:
        """A new match with empty ``seats``; its code, for the students to join."""
        code = "".join(_RANDOM.choice(CODE_LETTERS) for _ in range(6))
        now = self.clock()

        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO matches (code, scenario, sha256, deadline, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (code, scenario, sha256, deadline, now),
            )
            db.executemany(
                "INSERT INTO seats (code, seat) VALUES (?, ?)", [(code, s) for s in seats]
            )
            db.execute("INSERT INTO turns (code, turn, started) VALUES (?, 1, ?)", (code, now))

        self._write(insert)
        return code

    @_guarded
    def join(self, code: str, name: str, wanted: str | None = None) -> str:
        """The seat of ``name`` in match ``code``: theirs again if they rejoin (its turn is then
        off their screen until shown: :mod:`game.engine.records.match_turns`), the one the teacher
        kept for them, else ``wanted`` if it is free, else the first free one."""
        name = one_line(name, 80)
        if not name:
            raise MatchError("type your name: it is how you rejoin the match")
        now = self.clock()

        def take(db: sqlite3.Connection) -> str:
            self._match(db, code)
            rows = db.execute(
                "SELECT seat, name, reserved FROM seats WHERE code = ? ORDER BY rowid", (code,)
            ).fetchall()
            try:
                seat = match_turns.seat_for(rows, name, wanted)
            except LookupError:
                raise MatchError(f"seat '{wanted}' of match {code} is not free") from None
            if seat is None:
                raise MatchError(f"match {code} is full; ask for a new match code")
            joining = {s: n for s, n, _ in rows}[seat] is None
            if joining and db.execute(_TURN, (code, 2)).fetchone():  # turns went on without
                raise MatchError(  # a classmate (the teacher advanced): they are nobody's
                    f"match {code} has already played turns without a classmate; "
                    "ask for a new match code"
                )
            db.execute(
                "UPDATE seats SET name = ?, last_seen = ? WHERE code = ? AND seat = ?",
                (name, now, code, seat),
            )
            match_turns.hide(db, code, seat, now)
            return str(seat)

        return self._write(take)

    @_guarded
    def reserve(self, code: str, seat: str, name: str) -> None:
        """Keep ``seat`` of match ``code`` for the student called ``name`` (the teacher's pair)."""
        self._write(lambda db: match_turns.reserve(db, code, seat, one_line(name, 80)))

    @_guarded
    def give_history(self, code: str, seat: str) -> None:
        """History's move stands for free ``seat`` at each turn's deadline (the teacher's match
        for a lone student): the lone seat's clock runs without a classmate."""
        self._write(lambda db: match_turns.reserve(db, code, seat, match_turns.HISTORY))

    @_guarded
    def showing(self, code: str, seat: str, turn: int) -> None:
        """``seat`` has ``turn`` on screen: the turn's clock starts once every seat has."""
        now = self.clock()
        self._write(lambda db: match_turns.show(db, code, seat, turn, now))

    @_guarded
    def remaining(self, code: str, turn: int) -> float | None:
        """Seconds left of ``turn``'s time (0 once past); ``None`` while its clock waits for a
        seat to have the turn on screen (:mod:`game.engine.records.match_turns`)."""
        deadline, now = self._match(self.db, code), self.clock()
        start = match_turns.clock_start(self.db, code, turn, deadline)
        return None if start is None or start > now else max(0.0, start + deadline - now)

    @_guarded
    def shown_at(self, code: str, seat: str, turn: int) -> float | None:
        """When ``seat`` came to have ``turn`` on screen (its time to decide counts from
        then), or ``None``."""
        return match_turns.shown_at(self.db, code, seat, turn)

    @_guarded
    def paired(self, code: str) -> float | None:
        """When both seats first had a student (:func:`~game.engine.records.match_turns.paired_at`);
        ``None`` while a seat waits for a classmate."""
        return match_turns.paired_at(self.db, code)

    @_guarded
    def remove(self, code: str) -> None:
        """Remove a stray or waiting match (the teacher's console); refused, with the reason,
        while both its students are playing it."""
        playing = self.status(code) == "playing"
        try:
            self._write(lambda db: match_turns.remove(db, code, playing))
        except ValueError as error:
            raise MatchError(f"match {code}: {error}; it is not removed") from None

    @_guarded
    def heartbeat(self, code: str, seat: str, here: bool = True) -> None:
        """The seat is still there (every :data:`HEARTBEAT_SECONDS`); or, not ``here``, it has
        left, and is shown as gone at once until it rejoins."""
        now = self.clock() if here else None
        self._write(lambda db: db.execute(_SEEN, (now, code, seat)))

    @_guarded
    def move(
        self,
        code: str,
        seat: str,
        turn: int,
        choice: str,
        rationale: str = "",
        seconds: float = 0.0,
        fallback: bool = False,
    ) -> None:
        """Seal ``seat``'s move for ``turn``; the same move again is accepted and changes
        nothing, a different one is refused. A ``fallback`` (made for a seat silent when the
        teacher's countdown ran out) is sealed as such, and only for a seat without a move."""
        rationale = one_line(rationale)
        now = self.clock()

        def seal(db: sqlite3.Connection) -> None:
            self._match(db, code)
            found = db.execute(
                "SELECT choice FROM moves WHERE code = ? AND seat = ? AND turn = ?",
                (code, seat, turn),
            ).fetchone()
            if found is not None:
                if found[0] != choice and not fallback:
                    raise MatchError(f"{seat} has already moved at turn {turn}")
                return
            match_file.seal(db, code, (seat, turn, choice, int(fallback), rationale, seconds, now))
            if not fallback:  # the seat itself moved: it is here
                db.execute(_SEEN, (now, code, seat))

        self._write(seal)

    @_guarded
    def resolve(
        self, code: str, turn: int, fallbacks: Mapping[str, str], timed: bool = True
    ) -> list[StoredMove] | None:
        """Every seat's move at ``turn``, once all have moved or the deadline has passed (a
        silent seat then gets its fallback from ``fallbacks``); ``None`` while sealed. Not
        ``timed``: the match's deadline does not count (the teacher's countdown does, which
        seals the fallbacks itself: :meth:`move`)."""
        if time.monotonic() - self.checked >= match_file.CHECK_SECONDS:
            self.check_whole()  # garbage is found while playing
            self.checked = time.monotonic()
        now = self.clock()

        def look(
            db: sqlite3.Connection,
        ) -> tuple[list[str], dict[str, StoredMove], float | None, bool]:
            """The seats, the turn's moves (checked), when the turn started (``None``: not yet
            written) and whether anything must be written (so that a seat waiting on a turn
            reads without a write lock, which another program may hold)."""
            deadline = self._match(db, code)
            seats = [s for (s,) in db.execute(_SEATS, (code,))]
            history = match_turns.history_seats(db, code)  # move once the students have
            moves = {
                m[0]: StoredMove(m[0], m[2], bool(m[3]), m[4], m[5], m[6])
                for m in match_file.checked_moves(db, self.path, code)
                if m[1] == turn
            }
            row = db.execute(
                "SELECT started FROM turns WHERE code = ? AND turn = ?", (code, turn)
            ).fetchone()
            started = None if row is None else float(row[0])
            shown = db.execute(_TURN, (code, turn + 1)).fetchone() is not None
            missing = any(s not in moves and s not in history for s in seats)
            clock = match_turns.clock_start(db, code, turn, deadline)
            late = timed and started is not None and clock is not None and now >= clock + deadline
            writing = started is None or (missing and late) or not (missing or shown)
            return seats, moves, started, writing

        def reveal(db: sqlite3.Connection) -> list[StoredMove] | None:
            seats, moves, started, writing = look(db)
            if writing and started is None:
                db.execute(
                    "INSERT INTO turns (code, turn, started) VALUES (?, ?, ?)", (code, turn, now)
                )
                seats, moves, started, writing = look(db)
            missing = [s for s in seats if s not in moves]
            if not writing:
                return None if missing else [moves[s] for s in seats]
            for seat in missing:
                match_file.seal(db, code, (seat, turn, fallbacks[seat], 1, "", 0.0, now))
                moves[seat] = StoredMove(seat, fallbacks[seat], True, at=now)
            match_file.reveal_turn(db, code, turn, now)
            return [moves[s] for s in seats]

        self.db.execute("BEGIN")  # a seat waiting on a turn reads without a write lock
        try:
            seats, moves, _, writing = look(self.db)
        finally:
            self.db.execute("COMMIT")
        if not writing:
            return None if any(s not in moves for s in seats) else [moves[s] for s in seats]
        return self._write(reveal)

    @_guarded
    def info(self, code: str) -> MatchInfo:
        """The match's scenario, deadline and seats (name or ``None`` while free)."""
        row = self.db.execute(
            "SELECT scenario, sha256, deadline, created, finished FROM matches WHERE code = ?",
            (code,),
        ).fetchone()
        if row is None:
            raise MatchError(f"there is no match {code}; check the code")
        seats = self.db.execute(
            "SELECT seat, name, reserved FROM seats WHERE code = ? ORDER BY rowid", (code,)
        ).fetchall()
        history = frozenset(s for s, n, kept in seats if n is None and kept == match_turns.HISTORY)
        named = {seat: name for seat, name, _ in seats}
        return MatchInfo(code, row[0], row[1], float(row[2]), float(row[3]), named, history)

    @_guarded
    def revealed(self, code: str) -> list[list[StoredMove]]:
        """Every turn revealed so far, in order, each with every seat's move."""
        turns = [t for (t,) in self.db.execute("SELECT turn FROM turns WHERE code = ?", (code,))]
        done = sorted(t for t in turns if t + 1 in turns)
        order = [s for (s,) in self.db.execute(_SEATS, (code,))]
        by_turn: dict[int, list[StoredMove]] = {t: [] for t in done}
        for seat, turn, *move in match_file.checked_moves(self.db, self.path, code):
            if turn in by_turn:
                by_turn[turn].append(StoredMove(seat, move[0], bool(move[1]), *move[2:]))
        return [sorted(by_turn[t], key=lambda m: order.index(m.seat)) for t in done]

    @_guarded
    def sealed(self, code: str, seat: str, turn: int) -> str | None:
        """The move ``seat`` has sealed for ``turn``, if any (a rejoining seat's own)."""
        moves = match_file.checked_moves(self.db, self.path, code)
        return next((str(m[2]) for m in moves if (m[0], m[1]) == (seat, turn)), None)

    @_guarded
    def finish(self, code: str) -> None:
        """The match has reached its ending (each seat says so; saying it again is harmless)."""
        self._write(
            lambda db: db.execute("UPDATE matches SET finished = 1 WHERE code = ?", (code,))
        )

    @_guarded
    def summaries(self) -> list[MatchSummary]:
        """Every match in the file, oldest first: for the teacher's live view."""
        result = []
        for code, scenario, finished in self.db.execute(
            "SELECT code, scenario, finished FROM matches ORDER BY created, code"
        ).fetchall():
            info = self.info(code)
            played = self.revealed(code)
            turn = len(played) + (0 if finished else 1)
            status = "finished" if finished else self.status(code)
            gone = [] if finished else [s for s, p in self.presence(code).items() if p == "gone"]
            sealed = self.db.execute(_SEALED, (code, turn)).fetchall()
            summary = MatchSummary(code, scenario, info.seats, turn, status, tuple(gone))
            left = match_turns.left(self.db, code)
            result.append(counted(summary, played, [s for (s,) in sealed], left))
        return result

    @_guarded
    def presence(self, code: str) -> dict[str, str]:
        """Each seat, by its own heartbeat: 'free' (nobody has joined it), 'here', or 'gone'
        (left, or not heard from for :data:`GONE_AFTER` seconds: its process was closed,
        killed or hangs)."""
        rows = self.db.execute(
            "SELECT seat, name, last_seen FROM seats WHERE code = ? ORDER BY rowid", (code,)
        ).fetchall()
        if not rows:
            raise MatchError(f"there is no match {code}")
        now = self.clock()
        here = {seat for seat, _, seen in rows if seen and now - seen <= GONE_AFTER}
        return {s: "free" if n is None else "here" if s in here else "gone" for s, n, _ in rows}

    @_guarded
    def status(self, code: str) -> str:
        """'waiting' (a seat is free), 'playing', 'paused' (a seat is gone: see
        :meth:`presence`) or 'abandoned' (no seat heard from for :data:`ABANDON_AFTER`)."""
        rows = self.db.execute(
            "SELECT name, last_seen, reserved FROM seats WHERE code = ?", (code,)
        ).fetchall()
        if not rows:
            raise MatchError(f"there is no match {code}")
        if any(name is None and kept != match_turns.HISTORY for name, _, kept in rows):
            return "waiting"  # history's seat (a lone student's match) waits for nobody
        quiet = [self.clock() - (seen or 0.0) for name, seen, _ in rows if name is not None]
        if min(quiet) > ABANDON_AFTER:
            return "abandoned"
        return "paused" if max(quiet) > GONE_AFTER else "playing"

    @_guarded
    def changed(self) -> bool:
        """Whether another connection has written since the last call (``data_version``;
        this connection's own writes do not count)."""
        version = self._data_version()
        changed, self._version = version != self._version, version
        return changed

    def _data_version(self) -> int:
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    @staticmethod
    def _match(db: sqlite3.Connection, code: str) -> float:
        row = db.execute("SELECT deadline FROM matches WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise MatchError(f"there is no match {code}; check the code")
        return float(row[0])
