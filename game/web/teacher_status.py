"""What the teacher's console and the projector are told about the class, as JSON.

The live view's reading of the class folder (:mod:`game.engine.classroom.live`) and the server's own
knowledge of which tabs are open, read at most once a second however many consoles and
projectors ask (the folder is read in a thread: the students' games never wait for it).

The console gets names; the projector gets pseudonyms only, and what the government really
did only at decisions whose history has been revealed to the whole room.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

from game.engine.base.text import day_mon
from game.engine.classroom.live import LiveClass, Progress, Reader, Tally
from game.engine.classroom.status import Tabs, seat_presence, seat_words, status_word
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchSummary
from game.reports.class_data import pseudonym

READ_EVERY = 1.0
"""Seconds a reading of the class folder is kept before it is read again."""


def student_json(progress: Progress, tabs: Tabs, pacing: dict[str, Any]) -> dict[str, Any]:
    student = progress.student
    return {
        "id": student.id,
        "name": student.name,
        "pseudonym": pseudonym(student.name, student.id),
        "status": progress.status,
        "shown": status_word(progress, tabs, pacing),
        "tab": "open"
        if student.id in tabs.open
        else "quiet"  # a page that cannot say it closed (no JavaScript)
        if student.id in tabs.quiet
        else "closed",
        "scenario": progress.scenario,
        "role": progress.role,
        "decisions": progress.decisions,
        "late": progress.late,
        "date": progress.date,
        "ending": progress.ending,
        "ending_invented": progress.ending_invented,
    }


def tally_json(tally: Tally, history: bool) -> dict[str, Any]:
    """One decision's choices; what really happened only if ``history``."""
    return {
        "point": tally.point,
        "title": tally.title,
        "role": tally.role,
        "date": tally.date.isoformat() if tally.date else "",
        "historical": tally.historical if history else None,
        "choices": [
            {"id": choice, "label": label, "count": tally.counts[choice]}
            for choice, label in tally.labels.items()
        ],
        "total": tally.total,
    }


def console_json(live: LiveClass, tabs: Tabs, pacing: dict[str, Any]) -> dict[str, Any]:
    """Everything the teacher's console shows, names included (the teacher's eyes only)."""
    ids = {p.student.name: p.student.id for p in live.students}
    return {
        "code": live.code,
        "now": time.time(),
        "pacing": pacing,
        "students": [student_json(p, tabs, pacing) for p in live.students],
        "matches": [match_json(m, tabs, ids) for m in live.matches],
        "match_problem": live.match_problem,
        "tallies": [tally_json(t, history=True) for t in live.tallies if t.total],
        "endings": [
            {"title": title, "invented": invented, "count": count}
            for (title, invented), count in live.endings.most_common()
        ],
        "unreadable": live.unreadable,
    }


def match_json(match: MatchSummary, tabs: Tabs, ids: Mapping[str, str]) -> dict[str, Any]:
    """A match as the console lists it: a seat the match file calls gone (no heartbeat lately)
    is gone only by the rule of the student rows (:func:`seat_presence`); a class-page seat
    without a live stream is 'no live updates', then 'not seen for N min' (``quiet``); the
    match is 'paused' only while a seat is really gone."""
    shown = {
        seat: seat_presence("gone", ids.get(match.seats.get(seat) or ""), tabs)
        for seat in match.gone
        if seat not in match.left
    }
    gone = [s for s in match.gone if s in match.left or shown.get(s, ("", 0.0))[0] == "gone"]
    status = "playing" if match.status == "paused" and not gone else match.status
    return {
        "code": match.code,
        "scenario": match.scenario,
        "seats": match.seats,
        "turn": match.turn,
        "status": status,
        "gone": gone,
        "quiet": {
            seat: seat_words(word, seconds)
            for seat, (word, seconds) in shown.items()
            if word in ("quiet", "unseen")
        },
    }


def projector_json(
    live: LiveClass,
    tabs: Tabs,
    pacing: dict[str, Any],
    may_see: Callable[[Collection[int]], bool],
    upto: int | None,
) -> dict[str, Any]:
    """What the room sees: pseudonyms; the class's choices at decisions taken as decision
    ``upto`` or before (None: every decision), so that nobody sees the choices of a decision
    they have not reached; and what really happened only at decisions ``may_see`` allows
    (given the decision numbers the class took each one as)."""
    tallies = []
    for tally in live.tallies:
        if tally.total and (upto is None or max(tally.numbers) <= upto):
            shown = tally_json(tally, history=may_see(tally.numbers))
            shown["date_shown"] = day_mon(tally.date) if tally.date else ""
            tallies.append(shown)
    return {
        "pacing": pacing,
        "open": bool(pacing.get("open")),
        "ended": bool(pacing.get("ended")),
        "remaining": pacing.get("remaining"),
        "students": [
            {
                "pseudonym": pseudonym(p.student.name, p.student.id),
                "shown": status_word(p, tabs, pacing),
            }
            for p in live.students
        ],
        "tallies": tallies,
    }


class ClassReading:
    """The class folder read at most once every ``READ_EVERY`` seconds, off the event loop."""

    def __init__(
        self,
        folder: ClassFolder,
        clock: Callable[[], float] = time.monotonic,
        reader: Reader | None = None,
    ) -> None:
        self.reader = reader or Reader(folder)
        self.clock = clock
        self.latest: LiveClass | None = None
        self.read_at = 0.0
        self.lock = asyncio.Lock()

    async def get(self) -> LiveClass:
        async with self.lock:
            if self.latest is None or self.clock() - self.read_at >= READ_EVERY:
                self.latest = await asyncio.to_thread(self.reader.read)
                self.read_at = self.clock()
            return self.latest


def reached_by_all(live: LiveClass) -> int | None:
    """The decisions every student of the class has taken (None: every one has finished)."""
    taken = [p.decisions - p.sealed + p.late for p in live.students if p.status != "finished"]
    return min(taken) if taken else None
