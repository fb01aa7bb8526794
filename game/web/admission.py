"""Who may take a seat: the one admission every student page uses (terminal and HTML alike).

A seat is found from the browser's seat cookie, never from a name
(:mod:`game.engine.records.seat_keys`): a request without the cookie of a seat reaches nothing of it
(its game, its rounds, its downloads). Typing a name the class already has gives the seat only
to the browser that holds it, or to one that gives the seat's resume PIN (the teacher's
console shows it); anyone else is told to ask their teacher for their PIN. Wrong PINs are
bounded per client (each server) and per seat (the class: :mod:`game.engine.records.pin_tries`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from aiohttp import web

from game.engine.records.class_caps import FolderKept
from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.pin_tries import ClassPinTries
from game.engine.records.seat_keys import Clock, PinTries, SeatKeys
from game.web.guard import Clients

COOKIE = "flashpoint_seat"
ASK_PIN = (
    "{name} already has a seat in this class. If that is you, ask your teacher for your PIN "
    "and type it below; if not, add your surname."
)
WRONG_PIN = "That is not the PIN of {name}'s seat. Check it with your teacher."
TOO_MANY = "Too many wrong PINs. Wait ten minutes, or ask your teacher."


@dataclass(frozen=True)
class Claim:
    """What a browser asking for a named seat gets.

    ``new``: the class has no such student (the caller applies its limits, makes the student,
    then sets :meth:`Admission.seat_cookie`); ``same``: this browser holds the seat; ``pin``:
    the PIN was right (set :meth:`Admission.seat_cookie`: the seat moves to this browser);
    ``refused``: show ``message`` with ``status``, and the PIN field if ``ask_pin``."""

    kind: Literal["new", "same", "pin", "refused"]
    student_id: str
    message: str = ""
    status: int = 200
    ask_pin: bool = False


class Admission:
    """The seat keys of one class folder and the wrong PINs counted against each client."""

    def __init__(self, folder: ClassFolder, clock: Clock = time.time) -> None:
        self.folder = folder
        self.keys = SeatKeys(folder)
        self.tries: PinTries = ClassPinTries(FolderKept(folder.path), clock)
        """Wrong PINs: per seat the class's (every server on the class folder; a server on a
        database gives its own), per client this server's."""

    def holder(self, cookie: str) -> str | None:
        """The student id whose seat this browser holds (by its cookie), else None."""
        return self.keys.holder(cookie) if cookie else None

    def known(self, ident: str) -> bool:
        """Whether the class has this student (their folder, or their seat's keys)."""
        return self.folder.student(
            self.folder.students_folder / ident
        ) is not None or self.keys.has_seat(ident)

    def claim(self, name: str, cookie: str, pin: str, client: str) -> Claim:
        """Whether the browser with ``cookie`` (from ``client``) may have the seat of ``name``
        (already cleaned), with ``pin`` if the student typed one."""
        ident = student_id(name)
        if not self.known(ident):
            return Claim("new", ident)
        if self.holder(cookie) == ident:
            return Claim("same", ident)
        if not pin.strip():
            return Claim("refused", ident, ASK_PIN.format(name=name), 403, ask_pin=True)
        if not self.tries.allowed(client, ident):
            return Claim("refused", ident, TOO_MANY, 429, ask_pin=True)
        if self.keys.check_pin(ident, pin):
            return Claim("pin", ident)
        self.tries.failed(client, ident)
        return Claim("refused", ident, WRONG_PIN.format(name=name), 403, ask_pin=True)

    def seat_cookie(self, claim: Claim) -> str:
        """The cookie value of the browser that now holds ``claim``'s seat (a new seat, or one
        moved by its PIN: the PIN is then replaced); raises ``OSError``."""
        if claim.kind == "pin":
            return self.keys.moved(claim.student_id)
        return self.keys.issue(claim.student_id)


def secure_request(request: web.BaseRequest, clients: Clients, public_url: str | None) -> bool:
    """Whether the student reached the server over https: directly, through a trusted proxy
    that says so (``X-Forwarded-Proto``), or at an https public address."""
    if request.secure or (public_url or "").lower().startswith("https://"):
        return True
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return clients.is_proxy(request.remote) and forwarded == "https"


def set_seat_cookie(response: web.StreamResponse, value: str, secure: bool) -> None:
    """The seat cookie: script cannot read it, no other site's request carries it."""
    response.set_cookie(
        COOKIE, value, httponly=True, samesite="Strict", secure=secure, path="/", max_age=None
    )
