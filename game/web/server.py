"""``flashpoint serve``: the class plays in the browser, each student in a seat of their own.

A student opens the page, types the class code and their name, and gets a seat: a cookie
for this browser and a data folder of their own in the class folder. Nothing starts a game
process without a seat; every form post and WebSocket must come from this server's own
page (the Origin header); the class has at most ``max_students`` seats. Pages load nothing
from outside the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import signal
import sys
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server

from game.engine.classfolder import ClassFolder, ClassFolderError, Student, normal_code
from game.engine.problems import FlashpointError
from game.web.pairing import Seating
from game.web.service import SeatService, clamp_size

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("flashpoint.serve")
COOKIE = "flashpoint_seat"
MAX_MESSAGE = 64 * 1024
"""Largest WebSocket message a browser may send (keys and sizes are tiny)."""
FAILED_CODES_PER_MINUTE = 10
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


@dataclass
class Seat:
    """One student's place in the class: their browser's token and their running game."""

    token: str
    student: Student
    service: SeatService | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


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
        self.seats: dict[str, Seat] = {}
        """By token."""
        self.by_student: dict[str, Seat] = {}
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)

    def initialize_logging(self) -> None:
        """One line per thing a teacher cares about (joins, games, refusals); no access log."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    # --- the web application --------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.headers], client_max_size=16 * 1024)
        app.add_routes(
            [
                web.get("/", self.handle_join_page, name="index"),
                web.post("/join", self.handle_join),
                web.get("/play", self.handle_play),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def headers(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Security headers on every answer; the page's nonce is made here."""
        request["nonce"] = secrets.token_urlsafe(12)
        response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            response.headers["Content-Security-Policy"] = CSP.format(nonce=request["nonce"])
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"  # keeps the Origin header
            response.headers["X-Frame-Options"] = "DENY"
            if not request.path.startswith("/static/"):
                response.headers["Cache-Control"] = "no-store"
        return response

    def render(
        self, request: web.Request, template: str, status: int = 200, **context: Any
    ) -> web.Response:
        page = self.pages.get_template(template).render(nonce=request["nonce"], **context)
        return web.Response(text=page, status=status, content_type="text/html")

    async def on_shutdown(self, app: web.Application) -> None:
        """End every student's game (each records a round in progress as abandoned)."""
        await asyncio.gather(*(self.end_game(seat) for seat in list(self.seats.values())))

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
        token = request.cookies.get(COOKIE, "")
        return self.seats.get(token) if token else None

    def too_many_failures(self, request: web.Request) -> bool:
        """Whether this address typed too many wrong codes in the last minute (addresses
        with none left are forgotten, so the table cannot grow without bound)."""
        address = request.remote or "?"
        recent = self.failures.get(address)
        if recent is None:
            return False
        while recent and recent[0] < time.monotonic() - 60:
            recent.popleft()
        if not recent:
            del self.failures[address]
        return len(recent) >= FAILED_CODES_PER_MINUTE

    # --- pages ------------------------------------------------------------------------------

    async def handle_join_page(self, request: web.Request) -> web.StreamResponse:
        if self.seat_of(request) is not None:
            raise web.HTTPSeeOther("/play")
        return self.render(request, "join.html", name="", error="")

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        if not self.same_origin(request):
            return self.render(
                request, "join.html", 403, name="", error="Open the class page itself to join."
            )
        if self.too_many_failures(request):
            return self.render(
                request,
                "join.html",
                429,
                name="",
                error="Too many wrong codes. Wait a minute and try again.",
            )
        form = await request.post()
        code, name = str(form.get("code", "")), str(form.get("name", ""))[:200]
        if not secrets.compare_digest(normal_code(code), self.settings.folder.code):
            self.failures[request.remote or "?"].append(time.monotonic())
            log.warning("wrong class code from %s", request.remote)
            return self.render(
                request,
                "join.html",
                403,
                name=name,
                error="That is not the class code. Check the board and try again.",
            )
        try:
            student = self.settings.folder.join(name)
        except ClassFolderError as error:
            return self.render(request, "join.html", 400, name=name, error=f"{error}.")
        except OSError:
            return self.render(
                request,
                "join.html",
                500,
                name=name,
                error="The class folder cannot be written; tell your teacher.",
            )
        seat = self.by_student.get(student.id)
        current = self.seat_of(request)
        if seat is None:
            if len(self.by_student) >= self.settings.max_students:
                log.warning("class full: %s could not join", student.name)
                return self.render(request, "full.html", 503, limit=self.settings.max_students)
            seat = Seat(secrets.token_urlsafe(24), student)
            self.by_student[student.id] = seat
            self.seats[seat.token] = seat
            log.info(
                "%s joined (%d of %d seats)",
                student.name,
                len(self.by_student),
                self.settings.max_students,
            )
        elif seat.service is not None and current is not seat:
            return self.render(
                request,
                "join.html",
                409,
                name=name,
                error=f"{student.name} is already playing in another browser. If that is you, "
                "close that tab first; if not, add your surname.",
            )
        else:  # the same student again, in a new browser: the seat moves with them
            del self.seats[seat.token]
            seat.token = secrets.token_urlsafe(24)
            self.seats[seat.token] = seat
        response = web.HTTPSeeOther("/play")
        response.set_cookie(
            COOKIE, seat.token, httponly=True, samesite="Strict", secure=request.secure
        )
        raise response

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
        if seat is None or download.app_service is not seat.service:
            raise web.HTTPForbidden(text="This download belongs to another student.")
        return await super().handle_download(request)

    # --- the game ---------------------------------------------------------------------------

    def argv(self, seat: Seat) -> list[str]:
        """The student's game: their folder, their name, the teacher's settings."""
        settings = self.settings
        argv = [sys.executable, "-m", "game", "--data-dir", str(seat.student.folder)]
        if settings.matches is not None:
            argv += settings.matches.argv(settings.folder, seat.student.id)
            argv += ["--name", seat.student.name]
            return argv + (["--reveal", settings.reveal] if settings.reveal else [])
        argv += ["play", "--name", seat.student.name]
        if settings.reveal:
            argv += ["--reveal", settings.reveal]
        for path in settings.offered:
            argv += ["--offer", str(path)]
        if seat.student.store.saves.is_dir() and any(seat.student.store.saves.glob("*.json")):
            argv.append("--continue")  # coming back: straight into their latest round
        return argv

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        seat = self.seat_of(request)
        if seat is None:
            log.warning("refused a game connection without a seat from %s", request.remote)
            raise web.HTTPForbidden(text="Join the class first: open the class page.")
        if not self.same_origin(request):
            log.warning("refused a game connection from another site (%s)", request.remote)
            raise web.HTTPForbidden(text="Connections come only from the class page.")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        async with seat.lock:  # a second tab of the same student takes the seat over
            await self.end_game(seat)
            service = SeatService(
                self.argv(seat),
                seat.student.folder,
                self.settings.grace,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            seat.service = service
            await service.start(width, height)
            log.info("%s: game started", seat.student.name)
        try:
            await self.relay(websocket, service)
        finally:
            if seat.service is service:
                await self.end_game(seat)
        return websocket

    async def end_game(self, seat: Seat) -> None:
        service, seat.service = seat.service, None
        if service is not None:
            await service.stop()
            log.info("%s: game ended (the round is saved)", seat.student.name)

    async def relay(self, websocket: web.WebSocketResponse, service: SeatService) -> None:
        """Pass the browser's keys and sizes to the game; anything malformed is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data[:32]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    # --- running ----------------------------------------------------------------------------

    def run(self) -> None:
        """Serve until Ctrl+C, SIGTERM or SIGHUP, then end every game."""
        self.initialize_logging()
        asyncio.run(self.serve_until_stopped())

    async def serve_until_stopped(self) -> None:
        """Listen; announce the address only once connections are accepted."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(
            await self._make_app(),
            handle_signals=False,
            shutdown_timeout=self.settings.grace + 8,
        )
        await runner.setup()
        try:
            try:
                await web.TCPSite(runner, self.host, self.port).start()
            except OSError as error:
                raise FlashpointError(
                    f"cannot listen on {self.host}:{self.port}: {error.strerror or error}; "
                    "choose another --port (or --host)"
                ) from None
            if self.announce is not None:
                self.announce(self)
            await stop.wait()
        finally:
            await runner.cleanup()
