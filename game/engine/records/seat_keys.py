"""Seats no classmate can take: each seat's resume secret and resume PIN, kept in the class folder.

A name is not a secret. The browser that made a seat holds its secret (the seat cookie,
``<student id>.<secret>``); the class folder keeps only the secret's SHA-256, so a server
started again on the same folder still recognises every browser, and nobody who reads the
folder can make a cookie from it. Another browser gets the seat only with the seat's resume
PIN, which only the teacher's console shows; using it moves the seat to that browser (a new
secret: the old cookie stops working) and makes a new PIN.

Layout: ``CLASS/seats/<student id>.json`` (0600)::

    {"format": "flashpoint-seat", "version": 1, "secret": "<sha256 hex>" | null, "pin": "123456"}

Wrong PINs are bounded per client (address) and per seat (:class:`PinTries`): six digits and
:data:`PIN_TRIES_PER_SEAT` tries in :data:`PIN_WINDOW` seconds give a guesser about one chance
in 200,000 per seat per window.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.engine.base.digest import sha256_hex
from game.engine.base.safefile import private_folder, read_regular
from game.engine.records.classfolder import ClassFolder
from game.engine.records.store import atomic_write

SEATS = "seats"
PIN_DIGITS = 6
PIN_TRIES_PER_SEAT = 5
"""Wrong PINs for one seat in :data:`PIN_WINDOW` seconds, from every client together."""
PIN_TRIES_PER_CLIENT = 10
"""Wrong PINs from one client (address) in :data:`PIN_WINDOW` seconds, for every seat."""
PIN_WINDOW = 600.0
_ID = re.compile(r"[a-z0-9-]{1,48}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{20,64}")
_MAX_FILE = 4096

Clock = Callable[[], float]


def new_pin() -> str:
    """A fresh resume PIN: six digits, read off the teacher's screen."""
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def parse_cookie(cookie: str) -> tuple[str, str] | None:
    """``(student id, secret)`` from a seat cookie, or None if it is not one."""
    ident, dot, secret = cookie.partition(".")
    if not dot or not _ID.fullmatch(ident) or not _SECRET.fullmatch(secret):
        return None
    return ident, secret


class SeatKeys:
    """The secrets' digests and the PINs of one class folder's seats (any process may open it:
    everything is read from the folder on each call, and written atomically)."""

    def __init__(self, folder: ClassFolder) -> None:
        self.folder = folder

    @property
    def path(self) -> Path:
        return self.folder.path / SEATS

    def _file(self, student_id: str) -> Path:
        if not _ID.fullmatch(student_id):
            raise ValueError(f"not a student id: {student_id[:60]!r}")
        return self.path / f"{student_id}.json"

    def _read(self, student_id: str) -> dict[str, Any] | None:
        """The seat's key file, or None if it has none (or an unreadable one: the seat then
        needs a PIN, which the console makes anew)."""
        try:
            data = json.loads(read_regular(self._file(student_id), _MAX_FILE, follow_links=False))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or data.get("format") != "flashpoint-seat":
            return None
        secret, pin = data.get("secret"), data.get("pin")
        if secret is not None and not (
            isinstance(secret, str) and re.fullmatch("[0-9a-f]{64}", secret)
        ):
            return None
        if not isinstance(pin, str) or not re.fullmatch(f"[0-9]{{{PIN_DIGITS}}}", pin):
            return None
        return {"secret": secret, "pin": pin}

    def _write(self, student_id: str, secret: str | None, pin: str) -> None:
        private_folder(self.path)
        data = {"format": "flashpoint-seat", "version": 1, "secret": secret, "pin": pin}
        atomic_write(self._file(student_id), json.dumps(data))

    def issue(self, student_id: str) -> str:
        """A new secret for the seat (its digest kept; the PIN kept, or made): the cookie value
        for the browser that now holds the seat. Raises ``OSError`` if it cannot be written."""
        kept = self._read(student_id)
        secret = secrets.token_urlsafe(32)
        self._write(student_id, sha256_hex(secret.encode()), kept["pin"] if kept else new_pin())
        return f"{student_id}.{secret}"

    def holder(self, cookie: str) -> str | None:
        """The student whose seat ``cookie`` holds (its secret checked), else None."""
        parsed = parse_cookie(cookie)
        if parsed is None:
            return None
        ident, secret = parsed
        kept = self._read(ident)
        if kept is None or kept["secret"] is None:
            return None
        if not secrets.compare_digest(sha256_hex(secret.encode()), kept["secret"]):
            return None
        return ident

    def has_seat(self, student_id: str) -> bool:
        """Whether the seat has a key file (a secret or a PIN)."""
        return self._read(student_id) is not None

    def pin(self, student_id: str) -> str | None:
        """The seat's resume PIN, for the teacher's console (a student who joined before seat
        keys, or whose key file is damaged, is given one now); None if the class has no such
        student."""
        kept = self._read(student_id)
        if kept is not None:
            return str(kept["pin"])
        if self.folder.student(self.folder.students_folder / student_id) is None:
            return None
        return self.new_pin(student_id)

    def new_pin(self, student_id: str) -> str:
        """Replace the seat's PIN (the console's "new PIN"; a seat made before seat keys, or
        with a damaged key file, gets one, and then only its PIN admits anyone)."""
        kept = self._read(student_id)
        pin = new_pin()
        while kept is not None and pin == kept["pin"]:  # a new PIN is always another one
            pin = new_pin()
        self._write(student_id, kept["secret"] if kept else None, pin)
        return pin

    def check_pin(self, student_id: str, typed: str) -> bool:
        """Whether ``typed`` is the seat's PIN (spaces and dashes ignored)."""
        kept = self._read(student_id)
        digits = re.sub(r"[\s-]", "", typed)[: PIN_DIGITS * 2]
        if kept is None or not digits:
            return False
        return secrets.compare_digest(digits.encode(), kept["pin"].encode())

    def moved(self, student_id: str) -> str:
        """The seat moves to a browser that gave the right PIN: a new secret (the cookie value
        returned) and a new PIN, so the one read out cannot be used again."""
        cookie = self.issue(student_id)
        self.new_pin(student_id)
        return cookie

    def forget(self, student_id: str) -> None:
        """The seat's keys go (the console removed or reset the seat)."""
        try:
            self._file(student_id).unlink()
        except FileNotFoundError:
            return


class PinTries:
    """Wrong PINs in the last :data:`PIN_WINDOW` seconds, per client and per seat (each table
    forgets what is older, so it cannot grow without bound)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.by_client: dict[str, deque[float]] = {}
        self.by_seat: dict[str, deque[float]] = {}

    def _recent(self, table: dict[str, deque[float]], key: str) -> int:
        found = table.get(key)
        if found is None:
            return 0
        while found and found[0] <= self.clock() - PIN_WINDOW:
            found.popleft()
        if not found:
            del table[key]
        return len(found)

    def allowed(self, client: str, student_id: str) -> bool:
        """Whether a PIN from ``client`` for ``student_id``'s seat may be checked now."""
        return (
            self._recent(self.by_client, client) < PIN_TRIES_PER_CLIENT
            and self._recent(self.by_seat, student_id) < PIN_TRIES_PER_SEAT
        )

    def failed(self, client: str, student_id: str) -> None:
        now = self.clock()
        self.by_client.setdefault(client, deque()).append(now)
        self.by_seat.setdefault(student_id, deque()).append(now)
        for table in (self.by_client, self.by_seat):  # what is past the window is forgotten
            for key in [k for k, times in table.items() if times[-1] <= now - PIN_WINDOW]:
                del table[key]
            while len(table) > 10_000:  # and, in a flood, the oldest keys first
                del table[next(iter(table))]
