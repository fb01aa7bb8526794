"""``flashpoint serve --database``: a class server whose class is kept in PostgreSQL, so that
several servers (on one machine or many, behind the school's proxy) serve one class.

Each server keeps a private working folder (the students' names, copied from the database as
they come: :func:`game.engine.records.stored_class.working_folder`). What every server must
see is the database's: the seats' keys (a browser seated by one server is known to every
other), the rounds (each request resumes the round from its save, under a lease that dies
with its process), the result records, and the teacher's control (each change notified to
every server). A server that ends leaves its students' rounds in progress for the others.
Every server of a class is given the same teacher token (``FLASHPOINT_TOKEN``), so the console
reaches the class through the proxy whichever server answers.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Callable

from aiohttp import web

from game.engine.records.class_caps import Admitted, Caps, give_back_folder
from game.engine.records.classfolder import ClassFolderError
from game.engine.records.pin_tries import ClassPinTries
from game.engine.records.storage import Change, ClassStorage, StorageError
from game.engine.records.stored_class import StoredControlReader, StoredSeatKeys, copy_student
from game.web.admission import COOKIE, Admission
from game.web.seats import Seat
from game.web.server import HOLDER, ClassServer, Settings

UNAVAILABLE = (
    "The class's database is not answering. Try again in a minute; if it goes on, tell your "
    "teacher (the server's log says why)."
)
log = logging.getLogger("flashpoint.serve")
MIN_TOKEN = 16
"""Characters a shared teacher token has at least (FLASHPOINT_TOKEN)."""


class DatabaseServer(ClassServer):
    """A class server on a class kept in a database (see the module)."""

    def __init__(
        self,
        settings: Settings,
        storage: ClassStorage,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        announce: Callable[[ClassServer], None] | None = None,
    ) -> None:
        super().__init__(settings, host, port, public_url, announce)
        self.storage = storage
        self.control = StoredControlReader(storage)
        """The class's control, read again when any server changes it."""
        self.admission = StoredAdmission(settings.folder)
        self.admission.keys = StoredSeatKeys(settings.folder, storage)
        self.admission.tries = ClassPinTries(storage)  # a seat's wrong PINs: the class's
        self.seats.give_back = self.give_back
        self.rounds_written: Counter[str] = Counter()
        """Writes of each student's rounds, by any server (the page's "changed" notice)."""
        storage.changes.subscribe(self._heard)
        self.shared_token = os.environ.get("FLASHPOINT_TOKEN", "").strip()
        """The teacher token every server of the class is given (behind the proxy the
        console's requests reach any of them); without it, this server makes its own."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.teacher is not None and len(self.shared_token) >= MIN_TOKEN:
            self.teacher.token, self.teacher.shared = self.shared_token, True
        return app

    def _heard(self, change: Change) -> None:
        if change.kind in ("round", "record"):
            self.rounds_written[change.key] += 1

    async def ask_holder(self, request: web.Request) -> None:
        """The seat the request's cookie holds, asked of the database in a thread (a query
        on the event loop would hold up every other request while the database answers)."""
        cookie = request.cookies.get(COOKIE, "")
        if cookie and not request.path.startswith(("/assets/", "/static/")):
            request[HOLDER] = await asyncio.to_thread(self.admission.holder, cookie)

    def seat_of(self, request: web.Request) -> Seat | None:
        """The seat this browser holds, whichever server seated it."""
        ident = self.holder_of(request)
        if ident is None:
            self.unavailable()
            return None
        if ident not in self.seats.by_student:
            copy_student(self.storage, self.settings.folder, ident)
        return self.seats.of(ident, self.clients.client(request))

    def unavailable(self) -> None:
        """Raise a page in words if the database did not answer the last seat question."""
        keys = self.admission.keys
        recent = isinstance(keys, StoredSeatKeys) and time.monotonic() - keys.problem_at < 2
        if isinstance(keys, StoredSeatKeys) and keys.problem and recent:
            log.warning("the class's database did not answer: %s", keys.problem[:200])
            raise web.HTTPServiceUnavailable(text=UNAVAILABLE)

    def join_page(
        self, request: web.Request, status: int, name: str, error: str, pin: bool = False
    ) -> web.Response:
        self.unavailable()
        return super().join_page(request, status, name, error, pin)

    def admit(self, name: str, client: str, caps: Caps) -> Admitted:
        """A new seat in the database if the class's caps allow (counted there, whichever
        server seated each student); blocking."""
        try:
            return self.storage.seats.admit(name, client, caps)
        except StorageError as error:
            raise ClassFolderError(str(error)) from None

    def give_back(self, ident: str) -> bool:
        """A seat never played leaves the class (the database's row, this server's copy)."""
        try:
            gone = self.storage.seats.give_back(ident)
        except StorageError as error:
            log.warning("a seat could not be given back: %s", str(error)[:200])
            return False
        if gone:
            give_back_folder(self.settings.folder, ident)
        return gone


class StoredAdmission(Admission):
    """Seats whose keys are in the database: the database alone says who is in the class (a
    copy in a server's working folder may be of a seat given back since)."""

    def known(self, ident: str) -> bool:
        return self.keys.has_seat(ident)
