"""Entering a match on the class page: the head-to-head page, starting a match in a seat, and
joining a classmate's by the code typed (one form: Enter submits that code; pressed twice, the
same match). The match is entered by the engine (:meth:`MatchSeat.enter`) under the student's
class-seat name. Bounded: the seat's starts per minute (per server), :data:`MATCHES_PER_SEAT`
matches per student (per class: counted and entered under the student's class-wide lock, so
two servers never both let a fifth match become a sixth); a student the teacher paired plays
that match; a student still playing a match leaves it first; a match the student started that
nobody joined is removed when they start or join another (no stray match left waiting).
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import TYPE_CHECKING

from aiohttp import web

from game.engine.base.problems import FlashpointError
from game.engine.base.text import one_line
from game.engine.records.matches import MatchError, MatchStore
from game.engine.seats.match_seat import MatchSeat
from game.web.class_storage import exclusive
from game.web.page import match_live

if TYPE_CHECKING:
    from game.engine.records.classfolder import Student
    from game.web.page.matches import MatchPage

MATCHES_PER_SEAT = 5
"""Matches one student may hold a seat in (each costs a match and records): a bound."""
CODE = re.compile(r"[A-Z0-9]{4,12}")


def start_page(
    matches: MatchPage, request: web.Request, name: str, error: str, status: int = 200
) -> web.Response:
    scenario = matches.seating.scenario.scenario
    mode = scenario.head_to_head
    seats = [(s, scenario.role_by_id[s].name) for s in mode.seats] if mode else []
    return matches.page.page(
        request,
        "match_start.html",
        status,
        name=name,
        title=scenario.title,
        seats=seats,
        error=error,
    )


async def begin(matches: MatchPage, how: str, request: web.Request) -> web.StreamResponse:
    """A new match in a seat (``how`` "seat"), or a classmate's by its code ("code")."""
    page = matches.page
    student = page.student(request)
    form = await page.form(request)
    wanted = one_line(form.get(how, ""), 40).upper() if how == "code" else None
    seat = form.get("seat", "")[:40] if how == "seat" else None
    if wanted is not None and not CODE.fullmatch(wanted):
        return start_page(
            matches, request, student.name, "Type the match code your classmate reads out.", 400
        )
    held = matches.server.seat_of(request)
    if held is not None and not held.may_start():
        return page.refuse(request, 429, "You have started several games this minute.")

    def work() -> str:
        with exclusive(matches.server, f"match-{student.id}"):  # counted per class, at once
            return enter(matches, student, seat, wanted)

    try:
        refused = await page.rounds.run(student, work)
    except FlashpointError as error:
        return start_page(matches, request, student.name, f"Could not enter: {error}.", 400)
    if refused:
        return start_page(matches, request, student.name, refused, 429)
    if held is not None:
        held.started = True
        held.starts.append(time.monotonic())
    raise web.HTTPSeeOther("/match/turn")


def enter(matches: MatchPage, student: Student, seat: str | None, wanted: str | None) -> str:
    """Enter the match (under the student's class-wide lock); why not, or ""."""
    store = matches.store
    if student.id in matches.seating.assigned:
        return "Your teacher has paired you: your match is on your head-to-head page."
    if wanted is not None and seat_held_any(store, wanted, student.name):
        return ""  # already in it: Enter pressed again, a resend
    if count(store, student) >= MATCHES_PER_SEAT:
        return f"You have played {MATCHES_PER_SEAT} matches: ask your teacher."
    before = MatchSeat.find(store, student.name)
    stray = before is not None and store.status(before[0]) == "waiting"
    if before is not None and not stray and playing(matches, student, *before):
        return f"You are playing match {before[0]}: finish it, or leave it first."
    matches.enter(student, seat, wanted)
    if before is not None and stray:  # nobody joined it: the student moved on
        with contextlib.suppress(MatchError):
            store.remove(before[0])
    return ""


def playing(matches: MatchPage, student: Student, code: str, seat: str) -> bool:
    """Whether the student is still in match ``code``: not ended, and not left."""
    stored = matches.store.presence(code).get(seat, "free")
    if match_live.page_presence(matches, code, seat, stored)[0] in ("free", "gone"):
        return False  # left, or its page closed (the rule of the console's rows)
    return not matches.visited(student, lambda played: played.is_over)


def count(store: MatchStore, student: Student) -> int:
    """How many matches the student holds a seat in."""
    key = student.name.casefold()
    return sum(
        any(n is not None and n.casefold() == key for n in s.seats.values())
        for s in store.summaries()
    )


def seat_held_any(store: MatchStore, code: str, name: str) -> bool:
    """Whether ``name`` already holds a seat of match ``code`` (Enter pressed twice)."""
    try:
        seats = store.info(code).seats
    except MatchError:
        return False
    return any(n is not None and n.casefold() == name.casefold() for n in seats.values())
