"""The words every front end uses for the class's pacing (#27): waiting for the teacher, the
time left, a paused class, an automatic move, history the teacher reveals to the room.

Written once, so full screen, plain text and the browser say the same thing."""

from __future__ import annotations

from game.engine.play.pacing import Gate
from game.engine.play.session import Decision
from game.engine.scenario.variants import Title
from game.engine.seats.lifecycle import Round
from game.reports.document import Block, Heading
from game.reports.round_blocks import HISTORY_BY_TEACHER, HISTORY_LATER, history_blocks

WAITING = "Waiting for your teacher to open the next decision."
PAUSED = "Your teacher has paused the class. Wait for them to resume it."
ENDED = "Your teacher has ended the class. Your round is saved."
HELD = "History will be revealed by your teacher, decision by decision."
DEBRIEF_HELD = (
    "Your debrief opens when your teacher has revealed what actually happened at each of "
    "your decisions."
)
TIME_UP = "Time is up: no move in time. The scenario's fallback move was played for you."
CLOSED = "Your answer was not taken: "


def later(played: Round) -> str:
    """Where history held back will be revealed: by the teacher, or in the debrief."""
    return HISTORY_BY_TEACHER if played.teacher_reveals else HISTORY_LATER


def duration(seconds: float) -> str:
    """A time left in words a screen reader reads well: '1 minute 5 seconds'."""
    whole = max(0, int(seconds + 0.999))  # 0.2 seconds left is "1 second"
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def clock_face(seconds: float) -> str:
    """A time left as a timer shows it: '1:05'."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


def gate_line(gate: Gate) -> str:
    """The state of the decision in one sentence ("" when there is nothing to say)."""
    if gate.state == "waiting":
        return WAITING
    if gate.state == "paused":
        left = f" Time left when it resumes: {duration(gate.remaining)}." if gate.remaining else ""
        return PAUSED + left
    if gate.state == "ended":
        return ENDED
    if gate.state == "open" and gate.remaining is not None:
        return f"Time left for this decision: {duration(gate.remaining)}."
    return ""


def revealed_blocks(played: Round, number: int, decision: Decision) -> list[Block]:
    """What actually happened at the student's decision ``number``, which the teacher has
    revealed to the room; sources only as far as the round's current date (or all of them
    once it has ended)."""
    session = played.session
    scenario = session.loaded.scenario
    point = scenario.point_by_id[decision.point]
    chosen = next((c for c in point.choices if c.id == decision.choice), None)
    as_of = session.point.date if session.point is not None else None
    title = session.words(Title(point))
    return [
        Heading(f"Your teacher revealed what actually happened at decision {number}: {title}", 3),
        *history_blocks(scenario, point, chosen, as_of, session.words),
    ]


def new_reveals(played: Round, seen: set[int]) -> list[Block]:
    """The history revealed since ``seen`` (updated), for a waiting screen or plain text."""
    blocks: list[Block] = []
    for number, decision in played.revealed():
        if number not in seen:
            seen.add(number)
            blocks.extend(revealed_blocks(played, number, decision))
    return blocks
