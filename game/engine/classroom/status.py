"""Where each student of a class is, in the one wording the teacher reads everywhere: the
console, the projector (through the server's status) and ``flashpoint class --live`` (which
reads the class folder only, and so cannot know which tabs are open); and the class's pacing as
they show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from game.engine.classroom.live import LiveClass, Progress
from game.engine.play.pacing import ClassControl

STATUS_WORDS = {
    "joined": "joined",
    "playing": "playing",
    "left": "left (can continue)",
    "finished": "finished",
}
QUIET = "no live updates"
"""Said of a page that cannot tell the server it closed (no JavaScript, or a page without a
live stream): it is presumed open while it was seen lately."""
QUIET_SECONDS = 300.0
"""How long such a page is presumed open after it last asked for anything; after that the
student is 'not seen for N min' (never 'tab closed': nothing says it closed)."""


@dataclass(frozen=True)
class Tabs:
    """Which students have a game running in an open tab now (by student id)."""

    open: frozenset[str]
    seated: frozenset[str]
    """Students who hold a seat in this server (an earlier lesson's students may not)."""
    quiet: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Students whose page cannot say it closed (no JavaScript, or no live stream on it),
    not in ``open``: seconds since it last asked for anything. A student in neither had a
    page that listened and has gone ('tab closed'), or no page at all."""


def not_seen(seconds: float) -> str:
    """How long the server has not heard from a page that cannot say it closed."""
    return f"not seen for {int(seconds // 60)} min"


def seat_presence(stored: str, student_id: str | None, tabs: Tabs | None) -> tuple[str, float]:
    """A match seat's presence by the one rule of the student rows, for a seat whose student
    plays on the class page: what the match file says when it says 'here' or 'free' (a live
    stream or a full-screen game beats for it); else the student's page: open ('here'), a
    page that cannot say it closed ('quiet' for :data:`QUIET_SECONDS`, then 'unseen'), or a
    page whose stream closed and that asked for nothing since ('gone'). Seconds: since the
    page last asked (for 'quiet' and 'unseen'). Without ``tabs`` or a student, the file's
    word stands (a full-screen or plain seat, whose heartbeat thread says it)."""
    if stored != "gone" or tabs is None or student_id is None:
        return stored, 0.0
    if student_id in tabs.open:
        return "here", 0.0
    quiet = tabs.quiet.get(student_id)
    if quiet is None:
        return "gone", 0.0
    return ("quiet" if quiet <= QUIET_SECONDS else "unseen"), quiet


def seat_words(presence: str, seconds: float) -> str:
    """What the teacher's match table says after a seat's name ("" while it is here)."""
    if presence == "quiet":
        return QUIET
    if presence == "unseen":
        return not_seen(seconds)
    return "gone" if presence == "gone" else ""


def status_word(
    progress: Progress, tabs: Tabs | None, pacing: Mapping[str, Any] | None = None
) -> str:
    """Where a student is, as the console shows it: a round the folder still calls
    'playing' whose tab has closed is shown as closed at once, before its game has
    finished recording it; a page that cannot say it closed (``tabs.quiet``) is 'reading
    (no live updates)' for a while, then 'not seen for N min'; in a teacher-paced class, a
    student playing is 'deciding' the decision open, or 'waiting' for the next one once they
    have taken it. Without ``tabs`` (the live view reads the folder only) nothing is said
    about tabs."""
    ident = progress.student.id
    if pacing and pacing.get("ended") and progress.status != "finished":
        return "class ended"
    quiet = None if tabs is None or ident in tabs.open else tabs.quiet.get(ident)
    if quiet is not None and quiet > QUIET_SECONDS and progress.status in ("joined", "playing"):
        return ("joined, " if progress.status == "joined" else "") + not_seen(quiet)
    if tabs is not None and quiet is None and ident not in tabs.open:
        if progress.status == "playing":
            return "tab closed"  # its page listened, and its stream has gone
        if progress.status == "joined" and ident in tabs.seated:
            return "joined, no page"
    if progress.status == "playing" and pacing and pacing.get("mode") == "teacher":
        taken = progress.decisions + progress.late
        if progress.sealed:  # a match seat's move, sealed: the turn waits for the other seat
            word = f"sealed {taken}, other seat deciding"
        elif pacing.get("open") and taken < int(pacing.get("number") or 0):
            word = f"deciding {taken + 1}"
        else:
            word = f"waiting for {taken + 1}"
            if progress.automatic:
                word += f" ({taken}: no move in time)"
        return word if quiet is None else f"{word} ({QUIET})"
    if progress.status == "playing" and quiet is not None:
        return f"reading ({QUIET})"
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
