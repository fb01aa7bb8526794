"""A match's turns as a lesson needs them: the turn's clock, the teacher's seats, removal.

Statements on the match file's connection (:class:`~game.engine.records.matches.MatchStore` calls
them in its transactions), in SQL that SQLite and PostgreSQL both take.

- **The clock of a turn** starts when every seat has the turn on screen: each seat's front end
  says so (:func:`show`) once the turn's decision is shown, not while the student still reads
  the previous turn's outcome; a seat that has moved has seen it. Reading is bounded: a seat
  that has not shown the turn within the time allowed for a move (still on the outcome, or
  gone) counts as having it then. A seat that enters the match again (a restarted server, a
  tab closed and opened) takes its marks back (:func:`hide`): the clock waits for it again,
  and then counts the whole time allowed. So a server restart never turns into automatic
  moves, and a seat whose student never comes back still gets its fallback in the end.
  While a seat is free (a match started by code, or the teacher's pair, before the partner
  has joined) the clock waits too, unless the teacher kept that seat for history's moves (a
  lone student's match, :data:`HISTORY`): then the lone student's clock runs.
- **Reserved seats**: a seat the teacher gave a student (``--pairs``) is kept for that name
  (:func:`reserve`); nobody else joins it.
- **Removal** of a stray or waiting match, for the teacher (:func:`remove`): a match both
  students are playing is not removed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

SHOWN = (
    "CREATE TABLE IF NOT EXISTS shown (code TEXT NOT NULL, seat TEXT NOT NULL, "
    "turn INTEGER NOT NULL, at REAL NOT NULL, PRIMARY KEY (code, seat, turn))"
)
"""When each seat first had each turn on screen (since it last entered the match)."""
RESERVED = "ALTER TABLE seats ADD COLUMN reserved TEXT"
"""The name of the student the teacher gave the seat, if any."""
TABLES = ("matches", "seats", "turns", "moves", "shown")
ENTERED = 0
"""The turn number under which ``shown`` keeps when a seat last entered the match."""
JOINED = -1
"""The turn number under which ``shown`` keeps when a seat's student first joined (kept)."""
HISTORY = "\x1fhistory"
"""What a free seat is kept for when the teacher gave a lone student a match against history's
moves (no student's name can be it: names are one line of printable text)."""


def show(db: sqlite3.Connection, code: str, seat: str, turn: int, now: float) -> None:
    """``seat`` has ``turn`` on screen (the first time since it entered counts)."""
    db.execute(
        "INSERT INTO shown (code, seat, turn, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (code, seat, turn, now),
    )


def history_seats(db: sqlite3.Connection, code: str) -> frozenset[str]:
    """The seats of match ``code`` the teacher gave to history's moves (no classmate)."""
    rows = db.execute("SELECT seat FROM seats WHERE code = ? AND name IS NULL AND reserved = ?",
                      (code, HISTORY))  # fmt: skip
    return frozenset(str(seat) for (seat,) in rows)


def shown_at(db: sqlite3.Connection, code: str, seat: str, turn: int) -> float | None:
    """When ``seat`` last came to have ``turn`` on screen, or ``None``."""
    return _times(db, "SELECT seat, at FROM shown WHERE code = ? AND turn = ?", code, turn).get(
        seat
    )


def hide(db: sqlite3.Connection, code: str, seat: str, now: float) -> None:
    """``seat`` enters the match (again): no turn counts as on its screen until it is shown;
    when it entered is kept as turn 0."""
    db.execute("DELETE FROM shown WHERE code = ? AND seat = ? AND turn >= 0", (code, seat))
    show(db, code, seat, ENTERED, now)
    show(db, code, seat, JOINED, now)  # the first join only: a rejoin keeps it


def paired_at(db: sqlite3.Connection, code: str) -> float | None:
    """When every seat of match ``code`` first had its student (the later first join; 0 for
    a match file older than these marks); ``None`` while a seat is free, unless the teacher
    kept it for history's moves."""
    seats = db.execute("SELECT seat, name, reserved FROM seats WHERE code = ?", (code,))
    joined = _times(db, "SELECT seat, at FROM shown WHERE code = ? AND turn = ?", code, JOINED)
    at = 0.0
    for seat, name, kept in seats.fetchall():
        if name is None and kept != HISTORY:
            return None
        at = max(at, joined.get(seat, 0.0))
    return at


def clock_start(db: sqlite3.Connection, code: str, turn: int, deadline: float) -> float | None:
    """When the clock of ``turn`` starts (or started): the last time a seat had it on screen
    (or moved), once every seat has. A seat that has not, within ``deadline`` seconds of the
    turn being opened or of entering the match (still on the last outcome, or gone), counts
    as having it then: reading is bounded too. ``None`` before the turn is opened, and while a
    seat is free, unless the teacher kept it for history's moves (it has nothing to read)."""
    row = db.execute("SELECT started FROM turns WHERE code = ? AND turn = ?", (code, turn))
    opened = row.fetchone()
    marks = _times(db, "SELECT seat, at FROM shown WHERE code = ? AND turn = ?", code, turn)
    entered = _times(db, "SELECT seat, at FROM shown WHERE code = ? AND turn = ?", code, ENTERED)
    moved = _times(
        db, "SELECT seat, at FROM moves WHERE code = ? AND turn = ? AND fallback = 0", code, turn
    )
    if opened is None:
        return None
    start = float(opened[0])
    seats = db.execute("SELECT seat, name, reserved FROM seats WHERE code = ?", (code,))
    for seat, name, kept in seats.fetchall():
        if name is None and kept != HISTORY:
            return None  # no classmate has joined yet: the turn is on one screen only
        if name is not None:
            read = max(start, entered.get(seat, start)) + deadline
            start = max(start, marks.get(seat, moved.get(seat, read)))
    return start


def _times(db: sqlite3.Connection, query: str, code: str, turn: int) -> dict[str, float]:
    return {str(seat): float(at) for seat, at in db.execute(query, (code, turn))}


def reserve(db: sqlite3.Connection, code: str, seat: str, name: str) -> None:
    """Keep ``seat`` of match ``code`` for the student called ``name``."""
    db.execute(
        "UPDATE seats SET reserved = ? WHERE code = ? AND seat = ? AND name IS NULL",
        (name, code, seat),
    )


def seat_for(
    rows: Sequence[tuple[str, str | None, str | None]], name: str, wanted: str | None
) -> str | None:
    """The seat ``name`` gets among ``rows`` (seat, name, reserved): theirs again (names
    compared as the class folder does: 'Ana' is 'ana'), the one kept for them, else ``wanted``
    or the first seat free and kept for nobody else; ``None`` if none is. Raises
    ``LookupError`` if ``wanted`` is not free for them."""
    key = _key(name)
    for seat, taken, kept in rows:
        if _key(taken) == key or (taken is None and _key(kept) == key):
            return seat
    free = [seat for seat, taken, kept in rows if taken is None and _key(kept) in ("", key)]
    if wanted is not None:
        if wanted not in free:
            raise LookupError(wanted)
        return wanted
    return free[0] if free else None


def seat_of(db: sqlite3.Connection, name: str) -> tuple[str, str] | None:
    """The match and seat of the student called ``name`` in their newest match, if any (a
    class seat's game goes back to it without the code being typed again)."""
    rows = db.execute(
        "SELECT seats.code, seats.seat, seats.name FROM seats JOIN matches "
        "ON matches.code = seats.code ORDER BY matches.created DESC, seats.code"
    ).fetchall()
    key = _key(name)
    return next(((str(c), str(s)) for c, s, n in rows if n is not None and _key(n) == key), None)


def _key(name: str | None) -> str:
    """A name as it identifies a student (the class folder's rule: 'Ana' is 'ana')."""
    return " ".join((name or "").casefold().split())


def remove(db: sqlite3.Connection, code: str, playing: bool) -> None:
    """Remove match ``code`` and everything of it; ``playing`` (both seats there) refuses."""
    if playing:
        raise ValueError("both students are playing this match")
    for table in reversed(TABLES):
        db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))  # noqa: S608 - fixed names


def left(db: sqlite3.Connection, code: str) -> set[str]:
    """The seats of match ``code`` whose student left (recorded ``abandoned`` then), not
    those merely silent."""
    rows = db.execute(
        "SELECT seat FROM seats WHERE code = ? AND name IS NOT NULL AND last_seen IS NULL", (code,)
    )
    return {str(seat) for (seat,) in rows.fetchall()}
