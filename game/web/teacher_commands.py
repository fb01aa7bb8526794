"""The console's commands, each at ``POST /teacher/api/<name>`` (game.web.teacher checks the
token first). Pacing is the engine's (:mod:`game.engine.play.pacing`): a command here only reads
the teacher's request, applies the engine's change to the class's control file under its lock
(:func:`game.engine.records.pacing_file.update`, in a thread), and answers with the state it wrote.

Every command answers a JSON object; a request that cannot be done raises :class:`Refused`
with the sentence the console shows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from game.engine.base.problems import FlashpointError
from game.engine.classroom.status import latest, next_decision, pacing_json
from game.engine.play import pacing
from game.engine.play.pacing import ClassControl, PacingError
from game.engine.records.storage import StorageError
from game.engine.records.store import StoreError
from game.web.class_storage import change_control, end_open_rounds, find_student
from game.web.match_sweep import seal_all

log = logging.getLogger("flashpoint.serve")

if TYPE_CHECKING:
    from game.web.teacher import Teacher

Command = Callable[["Teacher", dict[str, Any]], Awaitable[dict[str, Any]]]
COMMANDS: dict[str, Command] = {}
"""Every console command by its name, filled by :func:`command`."""


class Refused(Exception):
    """A command that cannot be done now; its message is the sentence the console shows."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def command(name: str) -> Callable[[Command], Command]:
    """Register a console command under ``name``."""

    def register(function: Command) -> Command:
        COMMANDS[name] = function
        return function

    return register


async def change(
    teacher: Teacher, changed: Callable[[ClassControl, float], ClassControl]
) -> dict[str, Any]:
    """Apply an engine change to the class's control file; the state written."""

    def apply() -> ClassControl:
        return change_control(teacher.server, lambda control: changed(control, time.time()))

    try:
        written = await asyncio.to_thread(apply)
    except PacingError as error:
        raise Refused(str(error)) from None
    except (StoreError, StorageError, OSError) as error:
        raise Refused(f"the class's control cannot be written: {error}", 500) from None
    teacher.control = written
    return {"pacing": pacing_json(written, time.time())}


def control_now(teacher: Teacher) -> ClassControl:
    """The control as the class folder holds it now (the last good one if it is damaged)."""
    teacher.control = teacher.controls.read()
    return teacher.control


def _number(body: dict[str, Any], default: int) -> int:
    value = body.get("number", default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused("'number' is a decision's number (1 for the first)", 400)
    return value


@command("pace")
async def set_pace(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    mode = body.get("mode")
    if mode not in ("student", "teacher"):
        raise Refused("'mode' is 'student' or 'teacher'", 400)
    return await change(teacher, lambda c, now: pacing.set_pace(c, mode))


@command("hold-history")
async def hold_history(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """History held for the whole room until revealed (``hold``: true), or each round's
    own reveal policy (false)."""
    hold = body.get("hold")
    if not isinstance(hold, bool):
        raise Refused("'hold' is true or false", 400)
    policy: pacing.ClassReveal = "teacher" if hold else "round"
    return await change(teacher, lambda c, now: pacing.set_reveal(c, policy))


@command("open")
async def open_decision(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """Open the next decision (or ``number``) with a countdown of ``seconds`` (null: none)."""
    seconds = body.get("seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise Refused("'seconds' is a whole number of seconds, or null for no countdown", 400)
    live = await teacher.reading.get()
    number = _number(body, next_decision(control_now(teacher), live))
    return await change(teacher, lambda c, now: pacing.open_decision(c, number, seconds, now))


@command("advance")
async def advance(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """The slowest get their fallback now, at the decision opened last (or ``number``)."""
    number = _number(body, latest(control_now(teacher)))
    if number == 0:
        raise Refused("No decision is open: open one first.")
    return await change(teacher, lambda c, now: pacing.advance_slowest(c, number, now))


@command("pause")
async def pause(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    return await change(teacher, pacing.pause)


@command("resume")
async def resume(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    return await change(teacher, pacing.resume)


@command("reveal")
async def reveal(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """What really happened at the decision opened last (or ``number``), to the whole room."""
    number = _number(body, latest(control_now(teacher)))
    if number == 0:
        raise Refused("No decision has been opened yet: nothing to reveal.")
    return await change(teacher, lambda c, now: pacing.reveal(c, number))


@command("end")
async def end(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """End the class: the control says so (each game records its round and leaves), then
    every game still running is stopped the way Ctrl+C stops it, recording its round."""
    try:  # a countdown that ran out is sealed in every match before its seats are left
        await asyncio.to_thread(seal_all, teacher.server)
    except FlashpointError as error:
        log.warning("Could not apply the pacing to the class's matches: %s", error)
    answer = await change(teacher, pacing.end_class)
    await teacher.server.seats.stop_all()
    recorded = await asyncio.to_thread(end_open_rounds, teacher.server, log.warning)
    return {**answer, "recorded": recorded}


# --- seats (the seat keys are the engine's: game.engine.records.seat_keys) ------------------


def student_of(teacher: Teacher, body: dict[str, Any]) -> tuple[str, str]:
    """The (id, name) of the class's student the command names by ``student`` (their id)."""
    ident = body.get("student")
    found = None
    if isinstance(ident, str) and ident.isascii() and ident.replace("-", "").isalnum():
        found = find_student(teacher.server, ident)
    if found is None:
        raise Refused("There is no such student in this class.", 404)
    return found.id, found.name


async def stop_game(teacher: Teacher, ident: str) -> None:
    """Stop the student's game, if one runs (its round is recorded as Ctrl+C records it)."""
    seat = teacher.server.seats.by_student.get(ident)
    if seat is not None and seat.game is not None:
        await teacher.server.seats.stop(seat, seat.game)


@command("pin")
async def pin(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """The student's resume PIN, to read out to them (one is made if they have none)."""
    ident, name = student_of(teacher, body)
    found = await asyncio.to_thread(teacher.server.admission.keys.pin, ident)
    if found is None:
        raise Refused(f"{name} has no seat in this class.", 404)
    return {"name": name, "pin": found}


@command("reset-seat")
async def reset_seat(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """The browser that holds the seat loses it; the student joins again with their name and
    the new PIN answered here (their rounds are kept)."""
    ident, name = student_of(teacher, body)
    await stop_game(teacher, ident)
    keys = teacher.server.admission.keys
    await asyncio.to_thread(keys.forget, ident)
    return {"name": name, "pin": await asyncio.to_thread(keys.new_pin, ident)}


@command("remove-seat")
async def remove_seat(teacher: Teacher, body: dict[str, Any]) -> dict[str, Any]:
    """The seat is given back: the game stops, the browser loses it, it no longer counts
    toward the class's seats. The student's rounds stay in the class folder (and in the
    class report); coming back under the name needs the PIN the console shows."""
    ident, name = student_of(teacher, body)
    await stop_game(teacher, ident)
    await asyncio.to_thread(teacher.server.admission.keys.forget, ident)
    teacher.server.seats.by_student.pop(ident, None)
    return {"name": name}
