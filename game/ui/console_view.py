"""What the teacher's console draws, from the server's status (``/teacher/api/status``).

Pure functions from the server's JSON to text and rows: the console screen shows them, the
tests read them. The layout is the live view's (:mod:`game.ui.live`): the same columns, the
same narrowing at 80 columns, the same bars of choices against what really happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from game.engine.base.text import day_mon
from game.engine.play.scoring import NO_MOVE
from game.ui.literal import joined, literal
from game.ui.live import bar

GONE = "unknown"


def _text(value: object, limit: int = 200) -> str:
    """A value from the server as one line of plain text (never markup, never long)."""
    return " ".join(str(value if value is not None else "").split())[:limit]


def _day(value: object) -> str:
    """An in-game date from the server ('2024-01-17') as the live view shows it ('17 Jan')."""
    try:
        return day_mon(dt.date.fromisoformat(str(value))) if value else ""
    except ValueError:
        return ""


def clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def pacing_line(status: dict[str, Any], problem: str = "") -> Text:
    """The class's pacing and the server's state, on one line (``problem``: why the status
    shown is not the server's answer of this second)."""
    if problem:
        return joined((problem, "bold red"))
    pacing = status.get("pacing") or {}
    if pacing.get("ended"):
        return joined(("The class has ended: every open round is recorded.", "bold"))
    if pacing.get("mode") != "teacher":
        parts: list[tuple[str, str] | str] = [("Student-paced", "bold"), ": each at their own pace"]
    else:
        parts = [("Teacher-paced", "bold"), ": "]
        number, after = pacing.get("number"), pacing.get("next")
        if pacing.get("open"):
            parts.append(f"decision {number} open")
            remaining = pacing.get("remaining")
            if isinstance(remaining, int | float):
                parts += [" · ", (f"{clock(remaining)} left", "bold yellow")]
        elif number:
            parts.append(f"decision {number} closed; o opens decision {after}")
        else:
            parts.append(f"students wait for you to open decision {after}")
    if pacing.get("paused"):
        parts += [" · ", ("PAUSED", "bold red")]
    if pacing.get("reveal") == "room":
        revealed = ", ".join(str(n) for n in pacing.get("revealed") or []) or "none yet"
        parts.append(f" · history held, revealed: {revealed}")
    return joined(*parts)


def summary_line(status: dict[str, Any]) -> str:
    students = status.get("students") or []
    counts: dict[str, int] = {}
    for student in students:
        counts[student.get("status", "")] = counts.get(student.get("status", ""), 0) + 1
    tabs = sum(1 for s in students if s.get("tab") == "open")
    quiet = sum(1 for s in students if s.get("tab") == "quiet")
    parts = [
        f"code {_text(status.get('code', ''), 12)}",
        f"{len(students)} joined",
        f"{tabs} tab{'' if tabs == 1 else 's'} open",
        *([f"{quiet} without live updates"] if quiet else []),
        f"{counts.get('finished', 0)} finished",
    ]
    late = sum(int(s.get("late", 0) or 0) for s in students)
    if late:
        parts.append(f"{late} automatic move(s), {NO_MOVE}")
    if status.get("unreadable"):
        parts.append(f"{status['unreadable']} file(s) not readable yet")
    return " · ".join(parts)


def student_rows(status: dict[str, Any], gone: bool) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each student's key and cells: name, where they are, role, decisions, date, ending."""
    for student in status.get("students") or []:
        date = _day(student.get("date"))
        ending = _text(student.get("ending", ""))
        if ending and student.get("ending_invented"):
            ending = f"{ending} (not historical)"
        late = int(student.get("late", 0) or 0)
        decided = f"{int(student.get('decisions', 0) or 0)}{f' (+{late} late)' if late else ''}"
        shown = GONE if gone else _text(student.get("shown", student.get("status", "")), 40)
        yield (
            _text(student.get("id", ""), 80),
            (
                _text(student.get("name", ""), 60),
                shown,
                _text(student.get("role", ""), 60),
                decided if student.get("status") != "joined" else "",
                date,
                ending,
            ),
        )


def match_rows(status: dict[str, Any]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each match's key and cells: code, seats, turn, how it stands."""
    for match in status.get("matches") or []:
        gone = set(match.get("gone") or [])
        quiet = match.get("quiet") or {}
        reserved = match.get("reserved") or {}
        seats = " · ".join(
            f"{_text(seat, 20)}: "
            + (
                _text(name, 40)
                if name
                else f"{_text(reserved[seat], 40)} (kept)"
                if reserved.get(seat)
                else "(free)"
            )
            + (" (gone)" if seat in gone else "")
            + (f" ({_text(quiet[seat], 30)})" if isinstance(quiet.get(seat), str) else "")
            for seat, name in (match.get("seats") or {}).items()
        )
        code = _text(match.get("code", ""), 20)
        yield code, (code, seats, str(match.get("turn", "")), _text(match.get("status", ""), 20))


def choices(status: dict[str, Any]) -> RenderableType:
    """The class's choices at each decision, against what the government really did."""
    tallies = status.get("tallies") or []
    if not tallies:
        return literal("No decision taken yet.")
    parts: list[RenderableType] = []
    for tally in tallies:
        total = int(tally.get("total", 0) or 0)
        when = _day(tally.get("date"))
        parts.append(
            joined(
                "\n",
                (f"{when}  {_text(tally.get('title', ''))}", "bold"),
                f"  {_text(tally.get('role', ''), 60)} · {total} decided",
            )
        )
        grid = RichTable.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        for choice in tally.get("choices") or []:
            real = choice.get("id") == tally.get("historical")
            count = int(choice.get("count", 0) or 0)
            grid.add_row(
                bar(count, total),
                str(count),
                joined(
                    (_text(choice.get("label", "")), "bold green" if real else ""),
                    ("  ← what happened" if real else "", "green"),
                ),
            )
        parts.append(grid)
    return Group(*parts)
