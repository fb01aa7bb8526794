"""The class's pacing: what the teacher decides for every round of a class at once.

A class is **student-paced** (each student moves on when they like, as before) or
**teacher-paced**: every student waits at each decision until the teacher opens it. Decisions
are counted per student (the first decision of a round is number 1, whatever the role or the
branch), so "open decision 2" reaches every student at their second decision. The teacher
may give an opened decision a countdown; at zero a student who has not decided gets the
scenario's fallback, labelled as an automatic move (``no move in time``), never as the
student's choice. Pausing the class freezes every countdown; "advance the slowest" brings an
opened decision's countdown to zero at once. The reveal policy ``teacher`` holds history
back for everyone until the teacher reveals it, decision by decision, to the whole room.
Ending the class ends every round still open as ``abandoned``.

The state is a small JSON file in the class folder (:data:`CONTROL_FILE`, read and written
by :mod:`game.engine.records.pacing_file`), written by one writer (the class server, for the
teacher's console) and read by every student's game. This module is pure (no clock of its
own: every function that needs the time is given ``now``, seconds since the epoch), so the
tests inject the time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from game.engine.base.problems import FlashpointError

CONTROL_FILE = "pacing.json"
"""The class control file, in the class folder."""
CONTROL_FORMAT = "flashpoint-pacing"
CONTROL_VERSION = 1
"""The file format's version (not the state's :attr:`ClassControl.version`)."""
MAX_DECISION = 1000
"""Decisions are numbered 1 to this (a round has far fewer)."""
MAX_COUNTDOWN = 24 * 3600.0
"""The longest countdown a teacher can give a decision, in seconds."""

Pace = Literal["student", "teacher"]
ClassReveal = Literal["round", "teacher"]
"""``round``: each round's own reveal policy (immediate or debrief, as the scenario or the
teacher's ``--reveal`` set it); ``teacher``: history held back until the teacher reveals it."""
GateState = Literal["open", "waiting", "paused", "expired", "ended"]
PACES: tuple[Pace, ...] = ("student", "teacher")
CLASS_REVEALS: tuple[ClassReveal, ...] = ("round", "teacher")


class PacingError(FlashpointError):
    """The control file or a teacher's request cannot be used; the message says why."""


@dataclass(frozen=True)
class Opened:
    """A decision the teacher opened."""

    at: float
    """When, in lesson time (:meth:`ClassControl.lesson_time`: paused time left out)."""
    seconds: float | None = None
    """Its countdown, in lesson seconds from ``at``; ``None`` for none."""


@dataclass(frozen=True)
class Gate:
    """What a round may do at its current decision, and how long it has."""

    state: GateState
    """``open``: the student decides; ``waiting``: the teacher has not opened the decision;
    ``paused``: the class is paused; ``expired``: the countdown has run out (the fallback
    stands); ``ended``: the teacher ended the class."""
    remaining: float | None = None
    """Seconds left on the decision's countdown (frozen while paused); ``None`` for none."""

    @property
    def may_decide(self) -> bool:
        """Whether the student may take the decision now."""
        return self.state == "open"


@dataclass(frozen=True)
class ClassControl:
    """The teacher's control of a class, as written in the control file."""

    version: int = 0
    """Raised by one on every write: a reader that saw this version has seen this state."""
    pace: Pace = "student"
    reveal: ClassReveal = "round"
    opened: Mapping[int, Opened] = field(default_factory=lambda: MappingProxyType({}))
    """Each opened decision (1 for a round's first) and its countdown."""
    revealed: frozenset[int] = frozenset()
    """Decisions whose history the teacher revealed to the room (reveal policy ``teacher``)."""
    paused_at: float | None = None
    """When the class was paused (seconds since the epoch), or ``None`` while it runs."""
    paused_seconds: float = 0.0
    """How long the class was paused before ``paused_at`` in all."""
    ended: float | None = None
    """When the teacher ended the class, or ``None``."""

    # --- what rounds ask ----------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether the class is paused."""
        return self.paused_at is not None

    @property
    def holds_history(self) -> bool:
        """Whether history waits for the teacher's reveal (reveal policy ``teacher``)."""
        return self.reveal == "teacher"

    def lesson_time(self, now: float) -> float:
        """``now`` on the lesson's clock, which stands still while the class is paused."""
        stopped = now - self.paused_at if self.paused_at is not None else 0.0
        return now - self.paused_seconds - max(0.0, stopped)

    def remaining(self, number: int, now: float) -> float | None:
        """Seconds left on decision ``number``'s countdown (never below 0; frozen while
        paused), or ``None`` when it has none or is not open."""
        opened = self.opened.get(number)
        if opened is None or opened.seconds is None:
            return None
        return max(0.0, opened.at + opened.seconds - self.lesson_time(now))

    def closed_before(self, number: int, at: float) -> bool:
        """Whether decision ``number``'s countdown had run out by ``at`` (seconds since the
        epoch; a pause since ``at`` counts as before it, so a doubt closes the decision)."""
        opened = self.opened.get(number)
        if opened is None or opened.seconds is None:
            return False
        return opened.at + opened.seconds <= self.lesson_time(at)

    def is_revealed(self, number: int) -> bool:
        """Whether the history of decision ``number`` may be shown (always, unless the
        reveal policy is ``teacher`` and the teacher has not revealed it)."""
        return not self.holds_history or number in self.revealed

    def all_revealed(self, numbers: int) -> bool:
        """Whether decisions 1 to ``numbers`` may all be shown (a round's debrief)."""
        return all(self.is_revealed(n) for n in range(1, numbers + 1))

    def gate(self, number: int, now: float) -> Gate:
        """What a round at its decision ``number`` may do at ``now``."""
        if self.ended is not None:
            return Gate("ended")
        if self.pace == "student":
            return Gate("open")
        if number not in self.opened:
            return Gate("paused" if self.paused else "waiting")
        remaining = self.remaining(number, now)
        if remaining is not None and remaining <= 0:
            return Gate("expired", 0.0)  # advanced by the teacher: even while paused
        return Gate("paused" if self.paused else "open", remaining)


# --- what the teacher does (through the server): each returns the next state --------------


def set_pace(control: ClassControl, pace: Pace) -> ClassControl:
    """Student-paced or teacher-paced from now on (decisions opened stay open)."""
    if pace not in PACES:
        raise PacingError(f"pace is 'student' or 'teacher', not {pace!r}")
    return replace(control, pace=pace)


def set_reveal(control: ClassControl, reveal: ClassReveal) -> ClassControl:
    """Each round's own reveal policy, or the teacher's (history held until revealed)."""
    if reveal not in CLASS_REVEALS:
        raise PacingError(f"reveal is 'round' or 'teacher', not {reveal!r}")
    return replace(control, reveal=reveal)


def open_decision(
    control: ClassControl, number: int, seconds: float | None, now: float
) -> ClassControl:
    """Open decision ``number`` for everyone, with a countdown of ``seconds`` (``None``: no
    countdown); opening it again starts its countdown again from ``now``."""
    _check_number(number)
    if seconds is not None and (not math.isfinite(seconds) or not 0 < seconds <= MAX_COUNTDOWN):
        raise PacingError(f"a countdown is from 1 second to {MAX_COUNTDOWN:.0f} seconds")
    opened = dict(control.opened)
    opened[number] = Opened(control.lesson_time(now), seconds)
    return replace(control, pace="teacher", opened=MappingProxyType(opened))


def advance_slowest(control: ClassControl, number: int, now: float) -> ClassControl:
    """Every student still at opened decision ``number`` gets the fallback now (labelled as
    made for them), the class paused or not."""
    _check_number(number)
    if number not in control.opened:
        raise PacingError(f"decision {number} is not open; open it first")
    opened = dict(control.opened)
    at = opened[number].at
    opened[number] = Opened(at, max(0.0, control.lesson_time(now) - at))
    return replace(control, opened=MappingProxyType(opened))


def pause(control: ClassControl, now: float) -> ClassControl:
    """Pause the class: every countdown stands still (pausing twice changes nothing)."""
    return control if control.paused else replace(control, paused_at=now)


def resume(control: ClassControl, now: float) -> ClassControl:
    """Resume the class: countdowns go on from where they stood."""
    if control.paused_at is None:
        return control
    stopped = max(0.0, now - control.paused_at)
    return replace(control, paused_at=None, paused_seconds=control.paused_seconds + stopped)


def reveal(control: ClassControl, number: int) -> ClassControl:
    """Reveal the history of decision ``number`` to the whole room."""
    _check_number(number)
    return replace(control, revealed=control.revealed | {number})


def end_class(control: ClassControl, now: float) -> ClassControl:
    """End the class: every round still open is recorded ``abandoned`` (each game does it
    for its own round; :func:`game.engine.seats.lifecycle.abandon_open_rounds` for the rest)."""
    return control if control.ended is not None else replace(control, ended=now)


def _check_number(number: int) -> None:
    if isinstance(number, bool) or not isinstance(number, int):
        raise PacingError("a decision is given by its number (1 for the first)")
    if not 1 <= number <= MAX_DECISION:
        raise PacingError(f"a decision's number is from 1 to {MAX_DECISION}")


# --- the file ------------------------------------------------------------------------


def control_path(class_folder: Path) -> Path:
    """Where a class folder keeps its control file."""
    return class_folder / CONTROL_FILE


def to_json(control: ClassControl) -> dict[str, Any]:
    """The control as the JSON the file holds."""
    return {
        "format": CONTROL_FORMAT,
        "format_version": CONTROL_VERSION,
        "version": control.version,
        "pace": control.pace,
        "reveal": control.reveal,
        "opened": {
            str(number): {"at": opened.at, "seconds": opened.seconds}
            for number, opened in sorted(control.opened.items())
        },
        "revealed": sorted(control.revealed),
        "paused_at": control.paused_at,
        "paused_seconds": control.paused_seconds,
        "ended": control.ended,
    }


def from_json(data: Any) -> ClassControl:
    """The control in ``data``; raises :class:`PacingError` saying what is wrong."""
    if not isinstance(data, dict) or data.get("format") != CONTROL_FORMAT:
        raise PacingError("this is not a Flashpoint class control file")
    if data.get("format_version") != CONTROL_VERSION:
        raise PacingError("the control file is of another Flashpoint version; update Flashpoint")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise PacingError("'version' is not a whole number")
    pace, policy = data.get("pace"), data.get("reveal")
    if pace not in PACES:
        raise PacingError("'pace' is not 'student' or 'teacher'")
    if policy not in CLASS_REVEALS:
        raise PacingError("'reveal' is not 'round' or 'teacher'")
    opened_data = data.get("opened")
    if not isinstance(opened_data, dict) or len(opened_data) > MAX_DECISION:
        raise PacingError("'opened' is not a mapping of decisions")
    opened = {}
    for key, item in opened_data.items():
        number = _number(key, "opened")
        if not isinstance(item, dict):
            raise PacingError(f"'opened.{number}' is not a mapping")
        seconds = item.get("seconds")
        opened[number] = Opened(
            _time(item.get("at"), f"opened.{number}.at"),
            None if seconds is None else _time(seconds, f"opened.{number}.seconds"),
        )
    revealed = data.get("revealed")
    if not isinstance(revealed, list) or len(revealed) > MAX_DECISION:
        raise PacingError("'revealed' is not a list of decisions")
    paused_at, ended = data.get("paused_at"), data.get("ended")
    return ClassControl(
        version=version,
        pace=pace,
        reveal=policy,
        opened=MappingProxyType(opened),
        revealed=frozenset(_number(n, "revealed") for n in revealed),
        paused_at=None if paused_at is None else _time(paused_at, "paused_at"),
        paused_seconds=_time(data.get("paused_seconds"), "paused_seconds"),
        ended=None if ended is None else _time(ended, "ended"),
    )


def _number(value: Any, where: str) -> int:
    text = str(value)
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_DECISION:
        raise PacingError(f"'{where}' names a decision that is not a number from 1 to 1000")
    return int(text)


def _time(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PacingError(f"'{where}' is not a number of seconds")
    if not math.isfinite(value) or not 0 <= value <= 1e11:
        raise PacingError(f"'{where}' is out of range")
    return float(value)
