"""The class page's requests: forms and links, POST–redirect–GET, nothing but HTML needed.

Every page asks the student's seat (the cookie the join form gave) and reads the student's
rounds from the class folder (:mod:`game.web.page.rounds`); every form post must come from this
server's own page (the Origin header, as the join form's). What a browser sends is bounded:
a reason to the engine's own length, a choice to the ids offered, numbers to the lists shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from game.engine.base.problems import FlashpointError
from game.engine.base.text import MAX_RATIONALE, export_name, one_line
from game.engine.classroom.debrief import debrief
from game.engine.play.session import Session
from game.engine.seats.lifecycle import PacingClosed, Round
from game.reports.debrief_report import debrief_document
from game.reports.pacing_words import later
from game.reports.writers import to_html, to_markdown
from game.web.class_storage import control_reader, storage_of, store_of
from game.web.page import views
from game.web.page.live import streams_of
from game.web.page.rounds import Busy, Gone, Rounds

if TYPE_CHECKING:
    from game.engine.records.classfolder import Student
    from game.engine.scenario.model import Reveal
    from game.web.server import ClassServer

log = logging.getLogger("flashpoint.serve")
STATIC = Path(__file__).parent / "static"
BODY_SECONDS = 10.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Page:
    """The HTML student page of one class server."""

    def __init__(self, server: ClassServer, rounds: Rounds) -> None:
        self.server = server
        self.rounds = rounds
        self.streams = streams_of(server)

    def routes(self) -> list[web.AbstractRouteDef]:
        r = "/round/{round}"
        return [
            web.get("/play", self.home),
            web.post("/start", self.start),
            web.get(r, self.decision),
            web.get(r + "/confirm", self.confirm),
            web.post(r + "/decide", self.decide),
            web.get(r + "/outcome", self.outcome),
            web.get(r + "/cited/{number}", self.cited),
            web.get(r + "/sources", self.sources),
            web.get(r + "/sources/{number}", self.source),
            web.get(r + "/notes", self.notes),
            web.get(r + "/map", self.map),
            web.post(r + "/leave", self.leave),
            web.get(r + "/events", self.events),
            web.get(r + "/debrief", self.debrief),
            web.get(r + "/debrief.{format}", self.export),
            web.static("/assets", STATIC, name="assets"),
        ]

    # --- helpers --------------------------------------------------------------------------

    def student(self, request: web.Request) -> Student:
        seat = self.server.seat_of(request)
        if seat is None:
            raise web.HTTPSeeOther("/")
        return seat.student

    def page(
        self, request: web.Request, template: str, status: int = 200, **context: Any
    ) -> web.Response:
        return self.server.render(request, template, status, **context)

    def refuse(self, request: web.Request, status: int, message: str) -> web.Response:
        return self.page(request, "error.html", status, message=message)

    async def form(self, request: web.Request) -> dict[str, str]:
        """A posted form from this server's own page; refused otherwise."""
        if not self.server.same_origin(request):
            log.warning("refused a form from another site (%s)", request.remote)
            raise web.HTTPForbidden(text="Forms are accepted only from the class page.")
        try:
            async with asyncio.timeout(BODY_SECONDS):
                posted = await request.post()
        except TimeoutError:
            raise web.HTTPRequestTimeout(text="The form took too long to arrive.") from None
        return {key: value for key, value in posted.items() if isinstance(value, str)}

    async def with_round(self, request: web.Request, work: Callable[[Round], Any]) -> Any:
        """``work`` on the student's round in progress; a finished round goes to its debrief,
        a round that is not theirs is refused."""
        student = self.student(request)
        round_id = request.match_info["round"]

        def run() -> Any:
            with self.rounds.round(student, round_id) as played:
                return work(played)

        try:
            return await self.rounds.run(student, run, anywhere=True)
        except Gone:
            ended = await self.rounds.run(student, lambda: self.rounds.has_ended(student, round_id))
            if ended:
                raise web.HTTPSeeOther(f"/round/{round_id}/debrief") from None
            raise web.HTTPNotFound(text="There is no such round of yours.") from None
        except Busy:
            raise web.HTTPServiceUnavailable(
                text="Your round is busy in another tab. Try again in a moment."
            ) from None
        except FlashpointError as error:  # a save that cannot be continued, a full disk
            log.warning("%s: round %s cannot be continued: %s", student.name, round_id, error)
            page = self.refuse(
                request,
                409,
                "This round cannot be continued: its save no longer plays out. Tell your "
                "teacher (it is kept in the class folder, and the server's log says why); you "
                "can start a new round from your rounds page.",
            )
            raise web.HTTPConflict(text=page.text, content_type="text/html") from None

    # --- home and start ----------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        student = self.student(request)
        if self.server.settings.matches is not None:  # every game of the class is a match
            raise web.HTTPSeeOther("/match")
        found = await self.rounds.run(student, lambda: self.rounds.home(student))
        ended = await self.rounds.run(student, self.rounds.class_ended)
        scenarios = [
            (
                loaded.scenario.id,
                loaded.scenario.title,
                [(r.id, r.name) for r in loaded.scenario.roles],
            )
            for loaded in self.rounds.scenarios.values()
        ]
        return self.page(
            request, "home.html", name=student.name, home=found, scenarios=scenarios, ended=ended
        )

    async def start(self, request: web.Request) -> web.StreamResponse:
        student = self.student(request)
        form = await self.form(request)
        scenario, _, role = form.get("role", "").partition(":")
        seat = self.server.seat_of(request)
        if seat is not None and not seat.may_start():  # a round costs a save and a record
            log.warning(
                "%s: refused a round (%d started this minute)", student.name, len(seat.starts)
            )
            return self.refuse(
                request, 429, "You have started several rounds this minute. Wait a minute."
            )
        try:
            round_id = await self.rounds.run(
                student, lambda: self.rounds.start(student, scenario, role)
            )
        except Gone as error:
            return self.refuse(request, 400, f"Could not start a round: {error}.")
        except FlashpointError as error:
            log.warning("%s: could not start a round: %s", student.name, error)
            return self.refuse(request, 500, "Your round could not be saved; tell your teacher.")
        if seat is not None:
            seat.started = True  # the seat is kept: its student plays
            seat.starts.append(time.monotonic())
        log.info("%s started a round (%s)", student.name, round_id)
        raise web.HTTPSeeOther(f"/round/{round_id}")

    # --- a round --------------------------------------------------------------------------

    async def decision(self, request: web.Request) -> web.StreamResponse:
        def work(played: Round) -> Any:
            if played.is_over:
                return None
            pacing = {**views.gate(played), "revealed": views.revealed(played)}
            if played.session.status == "abandoned":  # the teacher ended the class
                return {**views.round_context(played.session), **pacing, "gate": "ended"}
            if pacing["gate"] != "open":
                return {**views.round_context(played.session), **pacing}
            return {**views.decision(played.session), **pacing}

        context = await self.with_round(request, work)
        if context is None:
            raise web.HTTPSeeOther(f"/round/{request.match_info['round']}/debrief")
        events = f"/round/{context['round_id']}/events?n={context['number']}"
        template = "decision.html" if context["gate"] == "open" else "waiting.html"
        return self.page(request, template, events=events, **context)

    async def confirm(self, request: web.Request) -> web.StreamResponse:
        choice = request.query.get("choice", "")[:100]

        def work(played: Round) -> Any:
            words = views.chosen(played.session, choice)
            return (
                None
                if words is None
                else {**views.round_context(played.session), "choice": choice, "words": words}
            )

        context = await self.with_round(request, work)
        if context is None:
            return self.refuse(request, 400, "That is not one of the choices offered now.")
        return self.page(request, "confirm.html", max_reason=MAX_RATIONALE, **context)

    async def decide(self, request: web.Request) -> web.StreamResponse:
        form = await self.form(request)
        choice = form.get("choice", "")[:100]
        reason = one_line(form.get("reason", "")[: MAX_RATIONALE * 4])
        count = form.get("count", "")
        round_id = request.match_info["round"]

        def work(played: Round) -> str:
            session = played.session
            if not count.isdigit() or int(count) != len(session.decisions):
                return "taken"  # this decision was taken already (another tab, a resend)
            if played.is_over or views.chosen(session, choice) is None:
                return "refused"
            try:
                played.choose(choice, reason)  # past its time: the fallback, labelled
            except PacingClosed:
                return "closed"  # the page shows why (waiting, paused, ended)
            return "decided"

        done = await self.with_round(request, work)
        if done == "refused":
            return self.refuse(request, 400, "That is not one of the choices offered now.")
        if done == "closed":
            raise web.HTTPSeeOther(f"/round/{round_id}")
        raise web.HTTPSeeOther(f"/round/{round_id}/outcome")

    async def outcome(self, request: web.Request) -> web.StreamResponse:
        round_id = request.match_info["round"]
        student = self.student(request)
        try:
            context = await self.with_round(
                request, lambda p: views.outcome(p.session, later(p), p.number)
            )
        except web.HTTPSeeOther:  # the round has ended: its last outcome, from its record
            context = await self.ended(request, student, round_id, views.outcome)
        if context is None:
            raise web.HTTPSeeOther(f"/round/{round_id}")
        if context["over"]:
            return self.page(request, "outcome.html", **context)
        events = f"/round/{round_id}/events?n={context['number']}"  # the console sees it open
        return self.page(request, "outcome.html", events=events, gate="", quiet=True, **context)

    async def ended(
        self, request: web.Request, student: Student, round_id: str, make: Callable[[Session], Any]
    ) -> Any:
        try:
            return await self.rounds.run(
                student, lambda: make(self.rounds.ended(student, round_id))
            )
        except (Gone, FlashpointError):
            raise web.HTTPNotFound(text="There is no such round of yours.") from None

    async def cited(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]
        whole = request.query.get("whole") == "1"
        if not number.isdigit() or len(number) > 3:
            return self.refuse(request, 404, "There is no such citation.")

        def make(session: Session) -> Any:
            return views.cited(session, int(number), whole)

        round_id = request.match_info["round"]
        try:
            context = await self.with_round(request, lambda p: make(p.session))
        except web.HTTPSeeOther:
            context = await self.ended(request, self.student(request), round_id, make)
        if context is None:
            return self.refuse(request, 404, "There is no such citation.")
        return self.page(request, "cited.html", whole=whole, **context)

    async def sources(self, request: web.Request) -> web.StreamResponse:
        context = await self.with_round(request, lambda p: views.sources(p.session))
        return self.page(request, "sources.html", **context)

    async def source(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]
        if not number.isdigit() or len(number) > 3:
            return self.refuse(request, 404, "There is no such source.")
        context = await self.with_round(request, lambda p: views.source(p.session, int(number)))
        if context is None:
            return self.refuse(request, 404, "There is no such source published yet.")
        return self.page(request, "source.html", **context)

    async def notes(self, request: web.Request) -> web.StreamResponse:
        context = await self.with_round(request, lambda p: views.notes(p.session))
        return self.page(request, "notes.html", **context)

    async def map(self, request: web.Request) -> web.StreamResponse:
        context = await self.with_round(request, lambda p: views.map_page(p.session))
        return self.page(request, "map.html", **context)

    async def leave(self, request: web.Request) -> web.StreamResponse:
        await self.form(request)
        student = self.student(request)
        await self.with_round(request, lambda p: p.leave())
        log.info("%s left a round (saved; recorded as abandoned)", student.name)
        raise web.HTTPSeeOther("/play")

    async def events(self, request: web.Request) -> web.StreamResponse:
        """The live updates of one open page (game.web.page.live)."""
        student = self.student(request)
        number = request.query.get("n", "")
        if not number.isdigit() or len(number) > 4:
            raise web.HTTPBadRequest(text="Name the decision the page shows.")
        try:
            save = self.rounds.saved_path(student, request.match_info["round"])
        except Gone:
            raise web.HTTPNotFound(text="There is no such round of yours.") from None
        if not await self.rounds.run(student, lambda: self.rounds.in_progress(student, save)):
            raise web.HTTPNotFound(text="This round is not in progress.")
        client = self.server.clients.client(request)
        if not self.streams.may_open(student.id, client):
            raise web.HTTPTooManyRequests(text="Too many pages of the class are open.")
        return await self.streams.stream(request, student.id, client, save, int(number))

    async def debrief(self, request: web.Request) -> web.StreamResponse:
        round_id = request.match_info["round"]
        student = self.student(request)

        def make(session: Session) -> Any:
            if self.rounds.debrief_held(student, session):
                return None
            return views.debrief_page(session)

        context = await self.ended(request, student, round_id, make)
        if context is None:
            here = f"/round/{round_id}/debrief"
            return self.page(
                request, "waiting.html", gate="held", round_id=round_id, here=here, recheck=True
            )
        return self.page(request, "debrief.html", **context)

    async def export(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["format"]
        if kind not in ("html", "md"):
            return self.refuse(request, 404, "Debriefs are exported as HTML or Markdown.")
        student = self.student(request)
        round_id = request.match_info["round"]

        def make(session: Session) -> tuple[str, str]:
            if self.rounds.debrief_held(student, session):
                raise Gone("the teacher has not revealed this debrief yet")
            document = debrief_document(debrief(session))
            name = export_name(session.player, session.round_id)
            return name, to_html(document) if kind == "html" else to_markdown(document)

        name, text = await self.ended(request, student, round_id, make)
        content_type = "text/html" if kind == "html" else "text/markdown"
        return web.Response(
            text=text,
            content_type=content_type,
            headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
        )


def register(app: web.Application, server: ClassServer) -> Page:
    """Add the HTML student page's routes to ``app``; its rounds end with the lesson."""
    from game.engine.checks import loader
    from game.engine.records import catalog

    paths = server.settings.offered or tuple(loader.scenario_files([catalog.bundled_folder()]))
    loaded = tuple(loader.load(path) for path in paths)
    reveal: Reveal | None = None
    if server.settings.reveal in ("immediate", "debrief"):
        reveal = "debrief" if server.settings.reveal == "debrief" else "immediate"
    rounds = Rounds(loaded, reveal, None, store_of(server), control_reader(server))
    page = Page(server, rounds)
    app.add_routes(page.routes())
    app[PAGE] = page
    if server.settings.matches is not None:  # head-to-head: game.web.page.matches
        from game.web.page.matches import register as register_matches

        register_matches(app, page)

    async def sweep(_app: web.Application) -> AsyncIterator[None]:
        """Apply the class's pacing to rounds whose students are not asking (once a second)."""

        async def every_second() -> None:
            while True:
                await asyncio.sleep(1.0)
                with contextlib.suppress(Exception):  # one failed look is tried again
                    await page.rounds.sweep()

        task = asyncio.create_task(every_second())
        yield
        task.cancel()

    async def close(_app: web.Application) -> None:
        page.streams.closing.set()
        if storage_of(server) is not None:
            page.rounds.open.clear()  # the class goes on in the other servers
        await asyncio.get_running_loop().run_in_executor(page.rounds.engine, page.rounds.close)
        page.rounds.engine.shutdown(wait=False)

    app.cleanup_ctx.append(sweep)
    app.on_shutdown.append(close)
    return page


PAGE = web.AppKey("page", Page)
"""The class page of an application (the teacher's console asks ``app[PAGE].streams``)."""
