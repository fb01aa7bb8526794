"""``flashpoint serve``: the class plays in the browser, each student in a seat of their own.

A student opens the page, types the class code and their name, and gets a seat: a cookie
for this browser and a data folder of their own in the class folder. Nothing starts a game
process without a seat; every form post and WebSocket must come from this server's own
page (the Origin header), and every request must name this server in its Host header; the
class has at most ``max_students`` seats. Pages load nothing from outside the server. What a
browser may make the server spend is bounded in :mod:`game.web.guard` (per client),
:mod:`game.web.listen` (sockets, log) and :mod:`game.web.seats` (seats, games).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from aiohttp import web
from textual_serve.server import Server

from game.engine.base.problems import FlashpointError
from game.engine.records.class_caps import Admitted, Caps, admit_to_folder
from game.engine.records.classfolder import ClassFolder, ClassFolderError, clean_name, normal_code
from game.web.admission import COOKIE, Admission, secure_request, set_seat_cookie
from game.web.guard import Clients, Names, Network, secure
from game.web.listen import (
    BODY_SECONDS,
    FILES_PER_GAME,
    Gate,
    GuardedSite,
    one_line_logging,
    raise_file_limit,
)
from game.web.page import TEMPLATES as PAGE_TEMPLATES
from game.web.page import handlers as page
from game.web.pairing import Seating
from game.web.seat_caps import admit_new_seat
from game.web.seats import Forward, Seat, Seats
from game.web.service import SeatService, clamp_size
from game.web.teacher import Teacher
from game.web.teacher import register as register_teacher

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("flashpoint.serve")
MAX_MESSAGE = 64 * 1024
HOLDER = web.RequestKey[str | None]("holder")
"""Whose seat a request's cookie holds, once asked (:meth:`ClassServer.holder_of`)."""
"""Largest WebSocket message a browser may send (keys and sizes are tiny)."""


@dataclass(frozen=True)
class Settings:
    """What the teacher chose for everyone."""

    folder: ClassFolder
    offered: tuple[Path, ...] = ()
    reveal: str | None = None
    max_students: int = 40
    grace: float = 5.0
    matches: Seating | None = None
    """Head-to-head: every student's game is a match seat (game.web.pairing)."""
    seat_expiry: float = 120.0
    """Seconds a seat is kept for a student who has not started a game."""
    names_per_client: int = 3
    """Seats one client (address, IPv6 /64, or forwarded client) may take."""
    trusted_proxies: tuple[Network, ...] = ()
    page: str = "html"  # the student page: "html" (game.web.page) or "terminal"


class ClassServer(Server):
    """textual-serve's server with seats, an Origin check, a cap and local-only pages."""

    def __init__(
        self,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        announce: Callable[[ClassServer], None] | None = None,
    ) -> None:
        super().__init__(
            "flashpoint", host=host, port=port, title="Flashpoint", public_url=public_url
        )
        self.settings = settings
        self.explicit_public_url = public_url
        self.announce = announce
        self.clients = Clients(settings.trusted_proxies, settings.names_per_client)
        self.seats = Seats(
            settings.folder, settings.max_students, settings.seat_expiry, self.clients
        )
        self.admission = Admission(settings.folder)
        self.names = Names(host, public_url)
        folders = [PAGE_TEMPLATES, TEMPLATES] if settings.page == "html" else [TEMPLATES]
        self.pages = jinja2.Environment(  # templates are compiled once: not looked at again
            loader=jinja2.FileSystemLoader(folders), autoescape=True, auto_reload=False
        )
        self.teacher: Teacher | None = None  # the console and projector (game.web.teacher)
        self.shared_token = ""
        """The class's teacher token, the same for every server of it (game.web.class_token);
        without it, this server makes its own."""

    def initialize_logging(self) -> None:
        """One line per thing a teacher cares about (joins, games, refusals); no access log,
        no traceback, a bounded number of lines a minute (game.web.listen)."""
        one_line_logging()

    # --- the web application --------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.checks], client_max_size=16 * 1024)
        app.add_routes([web.get("/", self.handle_join_page), web.post("/join", self.handle_join)])
        if self.settings.page == "html":
            page.register(app, self)
        else:
            app.add_routes(
                [
                    web.get("/play", self.handle_play),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, name="static"),
                ]
            )
        self.teacher = register_teacher(app, self)
        if self.shared_token:  # a projector key is signed with it: good on every server
            self.teacher.token, self.teacher.shared = self.shared_token, True
        app.on_response_prepare.append(self.headers)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def checks(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Only requests naming this server (DNS rebinding); the page's nonce is made here."""
        request["nonce"] = secrets.token_urlsafe(12)
        if not self.names.allowed(request):
            log.warning("refused a request for another host name from %s", request.remote)
            raise web.HTTPMisdirectedRequest(
                text="This server answers only at its own address: type the address your "
                "teacher gave."
            )
        await self.ask_holder(request)
        return await handler(request)

    async def ask_holder(self, request: web.Request) -> None:
        """Before the request: nothing (a database's server asks :meth:`holder_of` off the loop)."""

    async def headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """Security headers on every answer: pages, redirects, errors, downloads."""
        if not isinstance(response, web.WebSocketResponse):
            secure(response, request.get("nonce", ""), request.path.startswith("/static/"))

    def join_page(
        self, request: web.Request, status: int, name: str, error: str, pin: bool = False
    ) -> web.Response:
        """The join form again, with what was typed and what went wrong (and the PIN field when
        the name is another browser's seat)."""
        return self.render(request, "join.html", status, name=name, error=error, pin=pin)

    def render(
        self, request: web.Request, template: str, status: int = 200, **context: Any
    ) -> web.Response:
        page = self.pages.get_template(template).render(nonce=request["nonce"], **context)
        return web.Response(text=page, status=status, content_type="text/html")

    async def on_shutdown(self, app: web.Application) -> None:
        """End every student's game (each records a round in progress as abandoned)."""
        await self.seats.stop_all()

    # --- who may do what --------------------------------------------------------------------

    def same_origin(self, request: web.Request) -> bool:
        """Whether the request comes from a page of this server (the Origin header)."""
        origin = request.headers.get("Origin")
        if not origin:
            return False
        parts = urlsplit(origin)
        if self.explicit_public_url is not None:
            public = urlsplit(self.explicit_public_url)
            if (parts.scheme, parts.netloc) == (public.scheme, public.netloc):
                return True
        return parts.netloc == request.host and parts.scheme in ("http", "https")

    def seat_of(self, request: web.Request) -> Seat | None:
        """The seat this browser holds (its cookie's secret checked), never one found by name."""
        ident = self.holder_of(request)
        return None if ident is None else self.seats.of(ident, self.clients.client(request))

    def holder_of(self, request: web.Request) -> str | None:
        """Whose seat the request's cookie holds (checked once: the page and the console ask)."""
        if HOLDER not in request:
            request[HOLDER] = self.admission.holder(request.cookies.get(COOKIE, ""))
        held: str | None = request[HOLDER]
        return held

    # --- pages ------------------------------------------------------------------------------

    async def handle_join_page(self, request: web.Request) -> web.StreamResponse:
        if self.seat_of(request) is not None:
            raise web.HTTPSeeOther("/play")
        return self.render(request, "join.html", name="", error="")

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        if not self.same_origin(request):
            return self.join_page(request, 403, "", "Open the class page itself to join.")
        client = self.clients.client(request)
        if not self.clients.may_try_code(client):  # before a byte of the form is read
            return self.join_page(request, 429, "", "Too many wrong codes. Wait a minute.")
        with self.clients.checking_code(client):
            try:
                async with asyncio.timeout(BODY_SECONDS):
                    form = await request.post()
            except TimeoutError:
                raise web.HTTPRequestTimeout(text="The form took too long to arrive.") from None
            code, name = str(form.get("code", "")), str(form.get("name", ""))[:200]
            pin = str(form.get("pin", ""))[:20]
            if not secrets.compare_digest(normal_code(code), self.settings.folder.code):
                self.clients.wrong_code(client)
                log.warning("wrong class code from %s", client)
                return self.join_page(
                    request,
                    403,
                    name,
                    "That is not the class code. Check the board and try again.",
                )
        try:
            name = clean_name(name)
        except ClassFolderError as error:
            return self.join_page(request, 400, name, f"{error}.")
        claim = self.admission.claim(name, request.cookies.get(COOKIE, ""), pin, client)
        if claim.kind == "refused":  # a name is not a secret: the seat is its browser's
            log.warning("refused %s's seat to %s (%s)", name, client, claim.message[:40])
            return self.join_page(request, claim.status, name, claim.message, pin=True)
        response, value = web.HTTPSeeOther("/play"), ""
        try:
            if claim.kind == "new":  # under the class's caps (game.web.seat_caps)
                admitted = await admit_new_seat(self, request, client, name)
                if isinstance(admitted, web.StreamResponse):
                    return admitted
                value = admitted  # its keys, if the admission wrote them
            if claim.kind != "same":  # a new seat, or one moved here by its PIN
                if claim.kind == "new" and not value:  # its keys, written off the event loop
                    value = await asyncio.to_thread(self.admission.seat_cookie, claim)
                value = value or self.admission.seat_cookie(claim)
                secure = secure_request(request, self.clients, self.explicit_public_url)
                set_seat_cookie(response, value, secure)
                log.info("%s's seat is held by a browser of %s (%s)", name, client, claim.kind)
        except (ClassFolderError, OSError):
            return self.join_page(
                request, 500, name, "The class folder cannot be written; tell your teacher."
            )
        raise response

    def admit(self, name: str, client: str, caps: Caps) -> Admitted:
        """A seat of the class folder for ``name`` if the class's caps allow, counted under
        the folder's lock (every server on the folder counts the same seats); blocking."""
        return admit_to_folder(self.settings.folder, name, client, caps)

    def grant(self, client: str, name: str, made: bool) -> Seat:
        """The student's seat on this server (``made``: just admitted, so given back if it is
        never played)."""
        return self.seats.grant(self.settings.folder.join(name), client, made)

    async def handle_play(self, request: web.Request) -> web.StreamResponse:
        seat = self.seat_of(request)
        if seat is None:
            raise web.HTTPSeeOther("/")
        return self.render(
            request,
            "play.html",
            name=seat.student.name,
            websocket_url=self.websocket_url(request),
            static="/static/",
        )

    def websocket_url(self, request: web.Request) -> str:
        """Where the page connects: the public address if given, else the one the browser
        used (so a server bound to 0.0.0.0 works for every student)."""
        base = self.explicit_public_url or f"{request.scheme}://{request.host}"
        scheme, rest = base.rstrip("/").split(":", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws"

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A debrief the student's own game is delivering, to their own browser only."""
        seat = self.seat_of(request)
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="This download has expired.") from None
        if seat is None or download.app_service is not seat.game:
            raise web.HTTPForbidden(text="This download belongs to another student.")
        return await super().handle_download(request)

    # --- the game ---------------------------------------------------------------------------

    def argv(self, seat: Seat) -> list[str]:
        """The student's game: their folder, their name (as ``--name=...``, so a name that
        starts with a dash is a name), the teacher's settings."""
        settings = self.settings
        argv = [sys.executable, "-m", "game", "--data-dir", str(seat.student.folder)]
        if settings.matches is not None:
            argv += settings.matches.argv(settings.folder, seat.student.id)
            argv.append(f"--name={seat.student.name}")
            return argv + (["--reveal", settings.reveal] if settings.reveal else [])
        argv += ["play", f"--name={seat.student.name}", "--class-folder", str(settings.folder.path)]
        if settings.reveal:
            argv += ["--reveal", settings.reveal]
        for path in settings.offered:
            argv += ["--offer", str(path)]
        if seat.student.store.saves.is_dir() and any(seat.student.store.saves.glob("*.json")):
            argv.append("--continue")  # coming back: straight into their latest round
        return argv

    def make_game(self, seat: Seat) -> SeatService:
        forward = Forward(seat)
        forward.game = SeatService(
            self.argv(seat),
            seat.student.folder,
            self.settings.grace,
            write_bytes=forward.write_bytes,
            write_str=forward.write_str,
            close=forward.close,
            download_manager=self.download_manager,
        )
        return forward.game

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        seat = self.seat_of(request)
        if seat is None:
            log.warning("refused a game connection without a seat from %s", request.remote)
            raise web.HTTPForbidden(text="Join the class first: open the class page.")
        if not self.same_origin(request):
            log.warning("refused a game connection from another site (%s)", request.remote)
            raise web.HTTPForbidden(text="Connections come only from the class page.")
        if self.seats.closing:
            raise web.HTTPServiceUnavailable(text="The lesson is ending.")
        if seat.waiting:
            raise web.HTTPConflict(text="Your game is opening in another tab.")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        size = clamp_size(request.query.get("width"), request.query.get("height"))
        await self.seats.play(seat, websocket, size, self.make_game)
        return websocket

    # --- running ----------------------------------------------------------------------------

    def run(self) -> None:
        """Serve until Ctrl+C, SIGTERM or SIGHUP, then end every game."""
        self.initialize_logging()
        asyncio.run(self.serve_until_stopped())

    def hosts(self) -> list[str]:
        """Where to listen: ``::`` means every address, IPv6 and IPv4 alike."""
        return ["::", "0.0.0.0"] if self.host == "::" else [self.host]  # noqa: S104

    async def serve_until_stopped(self) -> None:
        """Listen; announce the address only once connections are accepted."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        files = raise_file_limit()
        reserve = 64 + FILES_PER_GAME * self.settings.max_students
        gate = Gate(self.clients, max(16, files - reserve))
        if gate.total < 8 * self.settings.max_students:
            log.warning(
                "this computer lets the server open only %d files: at most %d connections at "
                "once; raise the limit (ulimit -n) for a class of %d",
                files,
                gate.total,
                self.settings.max_students,
            )
        runner = web.AppRunner(
            await self._make_app(),
            handle_signals=False,
            shutdown_timeout=self.settings.grace + 8,
        )
        await runner.setup()
        expiry = asyncio.create_task(self.seats.expire_every(min(5.0, self.settings.seat_expiry)))
        try:
            try:
                await GuardedSite(runner, self.hosts(), self.port, gate).start()
            except OSError as error:
                raise FlashpointError(
                    f"cannot listen on {self.host}:{self.port}: {error.strerror or error}; "
                    "choose another --port (or --host)"
                ) from None
            if self.announce is not None:
                self.announce(self)
            await stop.wait()
        finally:
            expiry.cancel()
            await runner.cleanup()
