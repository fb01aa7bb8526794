"""Where each student of a class is, in the one wording the teacher reads everywhere: the
console, the projector (through the server's status) and ``flashpoint class --live`` (which
reads the class folder only, and so cannot know which tabs are open); and the class's pacing as
they show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.engine.classroom.live import LiveClass, Progress
from game.engine.play.pacing import ClassControl

STATUS_WORDS = {
    "joined": "joined",
    "playing": "playing",
    "left": "left (can continue)",
    "finished": "finished",
}


@dataclass(frozen=True)
class Tabs:
    """Which students have a game running in an open tab now (by student id)."""

    open: frozenset[str]
    seated: frozenset[str]
    """Students who hold a seat in this server (an earlier lesson's students may not)."""


def status_word(
    progress: Progress, tabs: Tabs | None, pacing: Mapping[str, Any] | None = None
) -> str:
    """Where a student is, as the console shows it: a round the folder still calls
    'playing' whose tab has closed is shown as closed at once, before its game has
    finished recording it; in a teacher-paced class, a student playing is 'deciding' the
    decision open, or 'waiting' for the next one once they have taken it. Without ``tabs``
    (the live view reads the folder only) nothing is said about tabs."""
    ident = progress.student.id
    if pacing and pacing.get("ended") and progress.status != "finished":
        return "class ended"
    if tabs is not None and progress.status == "playing" and ident not in tabs.open:
        return "tab closed"
    if (
        tabs is not None
        and progress.status == "joined"
        and ident in tabs.seated
        and ident not in tabs.open
    ):
        return "joined, no page"
    if progress.status == "playing" and pacing and pacing.get("mode") == "teacher":
        taken = progress.decisions + progress.late
        if pacing.get("open") and taken < int(pacing.get("number") or 0):
            return f"deciding {taken + 1}"
        return f"waiting for {taken + 1}"
    return STATUS_WORDS.get(progress.status, progress.status)


def latest(control: ClassControl) -> int:
    """The decision opened last (0 before any)."""
    return max(control.opened, default=0)


def next_decision(control: ClassControl, live: LiveClass | None) -> int:
    """The decision 'open the next decision' opens: the first one a student playing waits at
    that is not open yet (a class made teacher-paced mid-round has students at different
    decisions), else the one after the decision opened last."""
    waiting = set()
    if live is not None:
        waiting = {
            p.decisions + p.late + 1
            for p in live.students
            if p.status == "playing" and p.decisions + p.late + 1 not in control.opened
        }
    return min(waiting, default=latest(control) + 1)


def pacing_json(control: ClassControl, now: float, live: LiveClass | None = None) -> dict[str, Any]:
    """The class's pacing as the console and the projector show it."""
    number = latest(control)
    gate = control.gate(number, now) if number else None
    return {
        "mode": control.pace,
        "reveal": "room" if control.holds_history else "round",
        "paused": control.paused,
        "ended": control.ended is not None,
        "number": number,
        "next": next_decision(control, live),
        "open": gate is not None and gate.state in ("open", "paused"),
        "remaining": None if gate is None or gate.remaining is None else round(gate.remaining),
        "revealed": sorted(control.revealed),
        "version": control.version,
    }
