"""Head-to-head on the class page (``flashpoint serve --matches``): forms and links, as rounds.

A student's match seat is their class seat: the name is the seat's (never typed), the match is
found in the match file under it (:meth:`MatchSeat.find`, or the teacher's pair). The student
starts a match in a seat, or joins one by the code a classmate reads out (one form: Enter
submits the code typed), and then plays turn by turn: the turn's situation and choices, a
confirmation with an optional reason, a waiting page while the other seat decides (live over
server-sent events; without JavaScript it checks again by itself), the turn's outcome with
both moves, and the debrief. Nothing of a match stays in this process between requests: each
request visits the seat (:func:`game.engine.seats.match_visit.visit`: the engine's rules, the
seat's lease for that request, one heartbeat), so another server on the same class folder
can continue it. The URLs name no match and no seat: nobody can act for a classmate's seat.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from game.engine.base.problems import FlashpointError
from game.engine.base.text import MAX_RATIONALE, export_name, one_line
from game.engine.classroom.match_debrief import match_debrief
from game.engine.records.matches import MatchError, MatchStore
from game.engine.scenario.variants import Title
from game.engine.seats.lifecycle import PacingClosed
from game.engine.seats.match_seat import MatchSeat
from game.engine.seats.match_visit import seat_held, turn_outcome, visit
from game.reports.debrief_report import debrief_document
from game.reports.match_report import (
    briefing_blocks,
    free_seat_clock,
    reveal_blocks,
    seat_time_left,
)
from game.reports.round_blocks import situation_blocks
from game.reports.writers import to_html, to_markdown
from game.web import match_sweep
from game.web.class_storage import matches_of
from game.web.page import match_entry, match_live, match_pacing, views
from game.web.page.handlers import log
from game.web.page.match_live import NoMatch

if TYPE_CHECKING:
    from game.engine.records.classfolder import Student
    from game.web.page.handlers import Page

T = TypeVar("T")


class MatchPage:
    """The head-to-head pages of the class page (one per server)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.server = page.server
        self.store_: MatchStore | None = None

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/match", self.home),
            web.post("/match/start", functools.partial(match_entry.begin, self, "seat")),
            web.post("/match/join", functools.partial(match_entry.begin, self, "code")),
            web.get("/match/turn", self.turn),
            web.get("/match/confirm", self.confirm),
            web.post("/match/decide", self.decide),
            web.get("/match/outcome/{number}", self.outcome),
            web.get("/match/events", self.events),
            web.post("/match/leave", self.leave),
            web.get("/match/debrief", self.debrief),
            web.get("/match/debrief.{format}", self.export),
        ]

    # --- the engine's side (in the engine's thread) ----------------------------------------

    @property
    def store(self) -> MatchStore:
        """The class's match file, opened in the engine's thread on first use."""
        if self.store_ is None:
            self.store_ = matches_of(self.server)
        return self.store_

    @property
    def seating(self) -> Any:
        seating = self.server.settings.matches
        if seating is None:
            raise web.HTTPNotFound(text="This class plays solo rounds.")
        return seating

    def where(self, student: Student) -> tuple[str, str]:
        """The student's match and seat: the teacher's pair (entered on the first visit),
        else their newest match; :class:`NoMatch` when they have none."""
        assigned = self.seating.assigned.get(student.id)
        if assigned is not None:
            code, seat = assigned
            if not seat_held(self.store, code, seat, student.name):
                self.enter(student, seat, code)
            return code, seat
        found = MatchSeat.find(self.store, student.name)
        if found is None:
            raise NoMatch
        return found

    def enter(self, student: Student, seat: str | None, code: str | None) -> None:
        """Create or join a match (the engine's one way in); the seat is let go at once."""
        seating = self.seating
        entered = MatchSeat.enter(
            self.store,
            self.page.rounds.store_of(student),
            seating.scenario,
            student.name,
            seat,
            code,
            seating.deadline,
            self.page.rounds.reveal,
            lambda words: log.warning("%s: %s", student.name, words),
            self.page.rounds.pacing,
        )
        entered.close()

    def visited(self, student: Student, work: Callable[[MatchSeat], T]) -> T:
        code, seat = self.where(student)
        played = visit(
            self.store,
            self.page.rounds.store_of(student),
            self.seating.scenario,
            code,
            seat,
            student.name,
            self.page.rounds.reveal,
            lambda words: log.warning("%s: %s", student.name, words),
            self.page.rounds.pacing,
        )
        try:
            if played.is_over:
                played.finish()  # its record says finished, whichever seat saw the end
            else:
                played.poll()  # a turn both seats moved in, or whose time is up, is played
            return work(played)
        finally:
            played.close()

    # --- helpers of the requests ---------------------------------------------------------

    async def run(self, request: web.Request, work: Callable[[MatchSeat], T]) -> T:
        student = self.page.student(request)
        self.seating  # noqa: B018 - refuses a class without matches
        try:
            return await self.page.rounds.run(student, lambda: self.visited(student, work))
        except NoMatch:
            raise web.HTTPSeeOther("/match") from None
        except FlashpointError as error:  # the match removed, damaged, or busy elsewhere
            log.warning("%s: match page refused: %s", student.name, error)
            page = self.page.refuse(request, 409, f"Your match cannot be shown: {error}.")
            raise web.HTTPConflict(text=page.text, content_type="text/html") from None

    def context(self, played: MatchSeat) -> dict[str, Any]:
        view = played.view
        scenario = view.loaded.scenario
        other = played.other
        presence, quiet = match_live.page_presence(
            self, played.code, other, played.other_presence()
        )
        return {
            "scenario": f"{scenario.title} · match {played.code}",
            "role": scenario.role_by_id[played.seat].name,
            "date": view.match.turn.date.isoformat() if view.match.turn is not None else "",
            "code": played.code,
            "number": played.number,
            "other_role": scenario.role_by_id[other].name,
            "other_name": played.other_name(),
            "history": other in played.store.info(played.code).history,
            "free_clock": free_seat_clock(played.paced() is not None),
            "presence": presence,
            "quiet_minutes": int(quiet // 60),
            "invented": view.point is not None and view.point.counterfactual,
        }

    # --- pages -----------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        student = self.page.student(request)
        self.seating  # noqa: B018 - refuses a class without matches
        if request.query.get("new") == "1":  # another match (the rules are the forms')
            return match_entry.start_page(self, request, student.name, "")
        try:
            await self.page.rounds.run(student, lambda: self.where(student))
        except NoMatch:
            return match_entry.start_page(self, request, student.name, "")
        except FlashpointError as error:
            return match_entry.start_page(self, request, student.name, str(error), 409)
        raise web.HTTPSeeOther("/match/turn")

    async def turn(self, request: web.Request) -> web.StreamResponse:
        """The turn: its decision, or the waiting page over the sealed move; a page that
        showed turn ``n`` goes to that turn's outcome once it is played."""
        shown = request.query.get("n", "")
        shown_n = int(shown) if shown.isdigit() and len(shown) < 4 else 0

        def work(played: MatchSeat) -> tuple[str, dict[str, Any]]:
            if 0 < shown_n < played.number or (played.is_over and shown_n):
                return "outcome", {"number": shown_n}
            if played.is_over or played.gate().state == "ended":  # her debrief, as far as played
                return "debrief", {}
            context = self.context(played)
            paced = match_pacing.waiting(played)  # the teacher has not opened it, or paused
            if paced is not None:
                return "waiting.html", context | paced
            view, point = played.view, played.view.point
            assert point is not None
            sealed = played.sealed()
            if sealed is None:
                played.showing()  # on screen: the clock runs once both seats have it
                remaining = played.remaining()
                words = view.words
                context |= views.developments(view, point) | {
                    "situation": views.blocks(situation_blocks(point, words)),
                    "choices": [(c.id, words(c)) for c in point.choices],
                    "briefing": views.blocks(briefing_blocks(view, played.code, context["history"]))
                    if played.number == 1
                    else "",
                    "heading": words(Title(point)),
                    "remaining": None if remaining is None else int(remaining + 0.999),
                    "time_left": seat_time_left(played, remaining),
                }
                return "match_turn.html", context
            found = next(c for c in point.choices if c.id == sealed)
            remaining = played.remaining()
            words_left = seat_time_left(played, remaining, theirs=True)
            context |= {"sealed": view.words(found), "time_left": words_left}
            return "match_waiting.html", context

        kind, context = await self.run(request, work)
        if kind == "outcome":
            raise web.HTTPSeeOther(f"/match/outcome/{context['number']}")
        if kind == "debrief":
            raise web.HTTPSeeOther("/match/debrief")
        here = f"/match/turn?n={context['number']}"
        if not shown_n:
            raise web.HTTPSeeOther(here)
        events = f"/match/events?n={context['number']}"
        return self.page.page(request, kind, match_events=events, here=here, **context)

    async def confirm(self, request: web.Request) -> web.StreamResponse:
        choice = request.query.get("choice", "")[:100]

        def work(played: MatchSeat) -> dict[str, Any] | None:
            point = played.view.point
            found = [c for c in point.choices if c.id == choice] if point else []
            if not found or played.sealed() is not None:
                return None
            return {**self.context(played), "choice": choice, "words": played.view.words(found[0])}

        context = await self.run(request, work)
        if context is None:
            return self.page.refuse(request, 400, "That is not one of the choices of this turn.")
        return self.page.page(
            request,
            "match_confirm.html",
            max_reason=MAX_RATIONALE,
            **reading(context["number"]),
            **context,
        )

    async def decide(self, request: web.Request) -> web.StreamResponse:
        form = await self.page.form(request)
        choice = form.get("choice", "")[:100]
        reason = one_line(form.get("reason", "")[: MAX_RATIONALE * 4])
        number = form.get("n", "")

        def work(played: MatchSeat) -> str:
            if not number.isdigit() or int(number) != played.number or played.is_over:
                return "taken"  # another tab, a resend, a turn played meanwhile
            if played.sealed() is not None:
                return "taken"
            point = played.view.point
            if point is None or choice not in {c.id for c in point.choices}:
                return "refused"
            with contextlib.suppress(PacingClosed):  # paused, not open: the turn page says so
                played.choose(choice, reason[:MAX_RATIONALE])  # too late: the fallback stood
            played.poll()
            return "decided"

        done = await self.run(request, work)
        if done == "refused":
            return self.page.refuse(request, 400, "That is not one of the choices of this turn.")
        raise web.HTTPSeeOther(f"/match/turn?n={number if number.isdigit() else 0}")

    async def outcome(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]
        if not number.isdigit() or len(number) > 3:
            return self.page.refuse(request, 404, "There is no such turn.")

        def work(played: MatchSeat) -> dict[str, Any] | None:
            try:
                view, point, outcome = turn_outcome(played, int(number))
            except MatchError:
                return None
            context = self.context(played)
            turn = outcome.played.turn
            return context | {
                "turn_title": turn.title,
                "turn_date": turn.date.isoformat(),
                "turn_number": int(number),
                "blocks": views.blocks(reveal_blocks(view, point, outcome, classmates=True)),
                "over": played.is_over,
            }

        context = await self.run(request, work)
        if context is None:
            return self.page.refuse(request, 404, "That turn has not been played yet.")
        kept = {} if context["over"] else reading(context["number"])
        return self.page.page(request, "match_outcome.html", **kept, **context)

    async def events(self, request: web.Request) -> web.StreamResponse:
        return await match_live.stream(self, request)

    async def leave(self, request: web.Request) -> web.StreamResponse:
        await self.page.form(request)
        student = self.page.student(request)

        def work(played: MatchSeat) -> str:
            played.leave()  # a turn whose time was up is played first (the visit's poll)
            return played.code

        code = await self.run(request, work)
        log.info("%s left match %s (recorded as abandoned)", student.name, code)
        raise web.HTTPSeeOther("/match")

    async def debrief(self, request: web.Request) -> web.StreamResponse:
        def work(played: MatchSeat) -> dict[str, Any] | None:
            if not (played.is_over or played.gate().state == "ended"):
                return None
            if played.debrief_held():  # the teacher has not revealed every turn yet
                return {**self.context(played), "gate": "held", "revealed": ""}
            document = debrief_document(match_debrief(played.view))
            blocks = views.blocks(document.blocks)  # ended: as far as the class played it
            return {**self.context(played), "blocks": blocks, "ended": not played.is_over}

        context = await self.run(request, work)
        if context is None:
            raise web.HTTPSeeOther("/match/turn")
        if context.get("gate") == "held":
            here = "/match/debrief"
            return self.page.page(request, "waiting.html", here=here, recheck=True, **context)
        return self.page.page(request, "match_debrief.html", **context)

    async def export(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["format"]
        if kind not in ("html", "md"):
            return self.page.refuse(request, 404, "Debriefs are exported as HTML or Markdown.")

        def work(played: MatchSeat) -> tuple[str, str] | None:
            if not (played.is_over or played.gate().state == "ended") or played.debrief_held():
                return None
            document = debrief_document(match_debrief(played.view))
            name = export_name(played.view.player, played.record_path.stem)
            return name, to_html(document) if kind == "html" else to_markdown(document)

        made = await self.run(request, work)
        if made is None:
            raise web.HTTPSeeOther("/match/turn")
        name, text = made
        return web.Response(
            text=text,
            content_type="text/html" if kind == "html" else "text/markdown",
            headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
        )


def reading(number: int) -> dict[str, Any]:
    """A page being read (a confirmation, an outcome) holds the match's event stream too, so
    that its seat's heartbeat goes on (the other student and the teacher see the student
    here) and changes are announced; it is never reloaded by it."""
    return {"match_events": f"/match/events?n={number}", "here": "", "match_quiet": True}


def register(app: web.Application, page: Page) -> MatchPage:
    """Add the head-to-head pages to the class page (a server started with ``--matches``)."""
    matches = MatchPage(page)
    app.add_routes(matches.routes())

    async def close(_app: web.Application) -> None:
        def shut() -> None:
            if matches.store_ is not None:
                matches.store_.close()

        await asyncio.get_running_loop().run_in_executor(page.rounds.engine, shut)

    app.on_shutdown.append(close)  # before the page ends the engine's thread
    match_sweep.start(app, page.server, lambda: matches.store, page.rounds)  # nobody looking
    return matches
