"""The teacher's side of the class server: the console's endpoints and the projector page.

``flashpoint serve`` makes a teacher token when it starts and prints it in the teacher's
terminal; it is never put in a student's page or in any cookie. The console
(``flashpoint teach``) sends it in the ``Authorization: Bearer`` header of every request
under ``/teacher/api/``; a browser cannot add that header to a request another site makes, so
a student's page cannot drive the console's endpoints. Tokens are compared in constant time,
and a client (an address, as :mod:`game.web.guard` counts them) that sends ten wrong or
missing tokens in a minute is refused for the rest of the minute, as wrong class codes are.

The projector page (``/teacher/projector``) asks for the token once, in a form; a right token
gets a projector key in a cookie, good only for the projector's own page (never for a
command), and for ``PROJECTOR_HOURS``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from game.engine.classroom.live import LiveClass
from game.engine.classroom.status import Tabs, latest, pacing_json, seat_presence
from game.engine.play.pacing import ClassControl
from game.web import teacher_pairs
from game.web.admission import COOKIE
from game.web.class_storage import control_reader, live_reader
from game.web.guard import Clients
from game.web.listen import BODY_SECONDS
from game.web.page.handlers import PAGE
from game.web.teacher_commands import COMMANDS, Refused, control_now
from game.web.teacher_status import (
    ClassReading,
    console_json,
    projector_json,
    reached_by_all,
)

if TYPE_CHECKING:
    from game.web.server import ClassServer

log = logging.getLogger("flashpoint.serve")
PROJECTOR_COOKIE = "flashpoint_projector"
PROJECTOR_HOURS = 4
COMMAND_MODULES = (teacher_pairs,)
"""Modules whose commands register themselves beside teacher_commands' own."""
PRESENT_SECONDS = 10.0
"""A student whose HTML page asked for something this lately is here, whatever the page."""
RECONNECT_SECONDS = 4.0
"""How long a page whose live stream closed may take to open the next one (a page the script
reloads, a stream at the end of its time) before it is shown as closed."""
MAX_PROJECTORS = 8
"""Projector keys held at once (each a browser the teacher opened the projector in)."""
SCRIPT = Path(__file__).parent / "templates" / "projector.js"


class Teacher:
    """The teacher's token, the refused tries per client, the projector keys, and the class
    as last read."""

    def __init__(
        self, server: ClassServer, app: web.Application | None = None, token: str | None = None
    ) -> None:
        self.server = server
        self.app = app
        self.token = token or secrets.token_urlsafe(24)
        self.tries = Clients(server.settings.trusted_proxies)
        self.projectors: dict[str, float] = {}
        self.shared = False
        """Whether every server of the class has this token (``serve --database``): a
        projector key is then signed with it, so that any of them accepts it."""
        self.seen: dict[str, float] = {}
        """When each student's page last asked for something (student id -> monotonic)."""
        self.reading = ClassReading(server.settings.folder, reader=live_reader(server))
        self.controls = control_reader(server)
        self.control = ClassControl()
        """The class's control as last read or written (the pacing engine's state)."""

    # --- who is the teacher -----------------------------------------------------------------

    def _signed(self, stamp: str) -> str:
        return hmac.new(self.token.encode(), stamp.encode(), "sha256").hexdigest()

    def _right(self, given: str) -> bool:
        return secrets.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    def check(self, request: web.Request) -> None:
        """Raise unless ``request`` carries the teacher's token. The right token is always
        taken (a classmate sending wrong ones from the teacher's address, or from behind the
        same school NAT, never locks the teacher out; at 192 random bits it cannot be
        guessed); wrong ones are counted, and past ten a minute answered 429 without a look."""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and self._right(given.strip()):
            return
        client = self.server.clients.client(request)
        if not self.tries.may_try_code(client):
            raise _error(web.HTTPTooManyRequests, "Too many wrong tokens. Wait a minute.")
        self.tries.wrong_code(client)
        log.warning("refused a teacher request without the teacher's token from %s", client)
        raise _error(web.HTTPUnauthorized, "This needs the teacher's token.")

    def projector_allowed(self, request: web.Request) -> bool:
        key = request.cookies.get(PROJECTOR_COOKIE, "")
        if self.shared and key.count(".") == 2:
            nonce, until, mac = key.split(".")
            good = secrets.compare_digest(mac, self._signed(f"{nonce}.{until}"))
            return good and until.isdigit() and int(until) > time.time()
        now = time.monotonic()
        self.projectors = {k: t for k, t in self.projectors.items() if t > now}
        return bool(key) and any(secrets.compare_digest(key, k) for k in self.projectors)

    # --- what the class looks like ----------------------------------------------------------

    async def saw(self, request: web.Request, response: web.StreamResponse) -> None:
        """Note when a student's page was last loaded (the HTML page has no socket to watch):
        a page, or a form's answer that leads to one; a page's live stream is counted by the
        streams themselves, and a download or a page's part is no new page."""
        cookie = request.cookies.get(COOKIE, "")
        path = request.path
        page = response.content_type == "text/html" or 300 <= response.status < 400
        page = page and "Content-Disposition" not in response.headers  # not a download
        if (
            cookie
            and page
            and not path.startswith(("/assets/", "/static/", "/teacher/"))
            and not path.endswith("/events")
        ):
            ident = self.server.holder_of(request)
            if ident is not None:
                self.seen[ident] = time.monotonic()

    def tabs(self) -> Tabs:
        """Which students have their page open now: a game drawing in a tab (the terminal
        page); with the HTML page, a page listening on its live stream, or any page that asked
        for something in the last ``PRESENT_SECONDS``. A page whose script listened after it
        was loaded and whose stream has closed is gone; any other page cannot say it closed
        (no JavaScript, or no stream on it), and is ``quiet`` since it last asked."""
        seats = self.server.seats.by_student
        if self.app is None or PAGE not in self.app:
            here = (
                ident
                for ident, seat in seats.items()
                if seat.game is not None and seat.socket is not None and not seat.game.stopping
            )
            return Tabs(open=frozenset(here), seated=frozenset(seats))
        now = time.monotonic()
        present, quiet = set(), {}
        for ident in {*seats, *self.seen}:
            where = self._page(ident, now)
            if where is True:
                present.add(ident)
            elif where is not None:
                quiet[ident] = where
        return Tabs(open=frozenset(present), seated=frozenset(seats), quiet=quiet)

    def _page(self, ident: str, now: float) -> bool | float | None:
        """The student's HTML page: open (True), one that cannot say it closed (seconds since
        it last asked), or gone (None). Reads single entries only: safe from any thread."""
        if self.app is None:
            return None
        streams = self.app[PAGE].streams
        asked = self.seen.get(ident)
        if streams.open_tabs(ident) or (asked is not None and now - asked <= PRESENT_SECONDS):
            return True
        if asked is not None and streams.opened.get(ident, -1.0) < asked:
            return now - asked  # its page never listened after it asked: it cannot say it went
        return now - streams.closed.get(ident, -1e9) <= RECONNECT_SECONDS or None

    def match_presence(self, stored: str, name: str | None) -> tuple[str, float]:
        """The presence of a match seat whose student ``name`` plays on this class page, by
        the rule of the student rows (:func:`seat_presence`): its match file says 'gone' when
        no heartbeat came lately, which a page without a live stream never sends between
        requests. Safe from the engine's thread."""
        if stored != "gone" or not name or self.app is None or PAGE not in self.app:
            return stored, 0.0
        seated = list(self.server.seats.by_student.values())
        ident = next((s.student.id for s in seated if s.student.name == name), None)
        if ident is None:
            return stored, 0.0
        where = self._page(ident, time.monotonic())
        quiet = {} if where is None or where is True else {ident: float(where)}
        tabs = Tabs(
            open=frozenset([ident] if where is True else []), seated=frozenset(), quiet=quiet
        )
        return seat_presence(stored, ident, tabs)

    def pacing(self, live: LiveClass | None = None) -> dict[str, Any]:
        """The class's pacing as the console shows it (the pacing engine's state)."""
        return pacing_json(control_now(self), time.time(), live)

    def room_may_see(self, numbers: Iterable[int]) -> bool:
        """Whether the projector may show what really happened at a decision the class took
        as the decisions ``numbers`` of their rounds: once the teacher has revealed each of
        them to the room, or once the class has ended; never by a round's own policy (a
        student still on the way would learn it early)."""
        control = self.control
        if control.ended is not None:
            return True
        return all(n in control.revealed for n in numbers)

    def room_reached(self, live: LiveClass) -> int | None:
        """The last decision the projector may show the class's choices at: the one opened
        last (teacher-paced), the one every student has taken (student-paced), or every one
        (None) once the class has ended."""
        control = self.control
        if control.ended is not None:
            return None
        if control.pace == "teacher":
            return latest(control)
        return reached_by_all(live)

    # --- the routes -------------------------------------------------------------------------

    async def status(self, request: web.Request) -> web.Response:
        self.check(request)
        live = await self.reading.get()
        answer = console_json(live, self.tabs(), self.pacing(live))
        seating = self.server.settings.matches
        if seating is not None:  # the seats the teacher's pairs keep for their students
            names = {p.student.id: p.student.name for p in live.students}
            for match in answer["matches"]:
                match["reserved"] = {
                    seat: names.get(ident, "")
                    for ident, (code, seat) in seating.assigned.items()
                    if code == match["code"]
                }
        return web.json_response(answer)

    async def run_command(self, request: web.Request) -> web.Response:
        self.check(request)
        if not self.server.same_origin(request) and "Origin" in request.headers:
            raise _error(web.HTTPForbidden, "Commands come only from the console.")
        found = COMMANDS.get(request.match_info["command"])
        if found is None:
            raise _error(web.HTTPNotFound, "There is no such command.")
        body = await _json_body(request)
        try:
            answer = await found(self, body)
        except Refused as refused:
            return web.json_response({"error": str(refused)}, status=refused.status)
        self.reading.latest = None  # the next status reads the class again
        log.info("teacher: %s", request.match_info["command"])
        return web.json_response({"ok": True, **answer})

    async def projector(self, request: web.Request) -> web.StreamResponse:
        if not self.projector_allowed(request):
            return self.server.render(request, "projector_login.html", 401, error="")
        live = await self.reading.get()
        data = projector_json(
            live, self.tabs(), self.pacing(live), self.room_may_see, self.room_reached(live)
        )
        return self.server.render(request, "projector.html", data=data)

    async def projector_login(self, request: web.Request) -> web.StreamResponse:
        client = self.server.clients.client(request)
        if not self.server.same_origin(request):
            return self.server.render(
                request, "projector_login.html", 403, error="Open the projector page itself."
            )
        try:
            async with asyncio.timeout(BODY_SECONDS):
                form = await request.post()
        except TimeoutError:
            raise web.HTTPRequestTimeout(text="The form took too long to arrive.") from None
        if not self._right(str(form.get("token", "")).strip()):  # the right one always works
            if not self.tries.may_try_code(client):
                return self.server.render(
                    request, "projector_login.html", 429, error="Too many wrong tokens. Wait."
                )
            self.tries.wrong_code(client)
            log.warning("wrong teacher token for the projector from %s", client)
            return self.server.render(
                request, "projector_login.html", 403, error="That is not the teacher token."
            )
        key = secrets.token_urlsafe(24)
        if self.shared:  # good on every server of the class until it expires
            stamp = f"{secrets.token_urlsafe(12)}.{int(time.time() + PROJECTOR_HOURS * 3600)}"
            key = f"{stamp}.{self._signed(stamp)}"
        if len(self.projectors) >= MAX_PROJECTORS:  # the oldest projector is signed out
            del self.projectors[min(self.projectors, key=self.projectors.__getitem__)]
        self.projectors[key] = time.monotonic() + PROJECTOR_HOURS * 3600
        response = web.HTTPSeeOther("/teacher/projector")
        response.set_cookie(
            PROJECTOR_COOKIE,
            key,
            httponly=True,
            samesite="Strict",
            secure=request.secure,
            path="/teacher/projector",
            max_age=PROJECTOR_HOURS * 3600,
        )
        raise response

    async def projector_script(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            text=SCRIPT.read_text(encoding="utf-8"), content_type="application/javascript"
        )


def _error(kind: type[web.HTTPException], message: str) -> web.HTTPException:
    return kind(text=json.dumps({"error": message}), content_type="application/json")


async def _json_body(request: web.Request) -> dict[str, Any]:
    """The command's JSON object (an empty body is an empty object)."""
    try:
        async with asyncio.timeout(BODY_SECONDS):
            raw = await request.read()
    except TimeoutError:
        raise _error(web.HTTPRequestTimeout, "The command took too long to arrive.") from None
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _error(web.HTTPBadRequest, "The command is not JSON.") from None
    if not isinstance(body, dict):
        raise _error(web.HTTPBadRequest, "The command is not a JSON object.")
    return body


def register(app: web.Application, server: ClassServer) -> Teacher:
    """Add the teacher's routes to the class server's ``app``; the token is the answer's."""
    teacher = Teacher(server, app)
    app.on_response_prepare.append(teacher.saw)
    app.add_routes(
        [
            web.get("/teacher/api/status", teacher.status),
            web.post("/teacher/api/{command:[a-z-]+}", teacher.run_command),
            web.get("/teacher/projector", teacher.projector),
            web.post("/teacher/projector", teacher.projector_login),
            web.get("/teacher/projector/script.js", teacher.projector_script),
        ]
    )
    return teacher
