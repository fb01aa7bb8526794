"""The gradebook: one row per student and scenario version, for a spreadsheet or an LMS.

A student is a name (case and spacing ignored, as for pseudonyms); a round without a name is a
row of its own. Counts are summed over the student's rounds; divergence is the mean of their
scored rounds; the name is as first typed; the ending, status and date are those of their latest
round (docs/debrief.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction

from game.engine.base.stats import half_up
from game.engine.classroom.class_report import ClassReport, Group, StudentRow
from game.reports.class_data import pseudonym

COLUMNS = (
    "student",
    "scenario",
    "version",
    "roles",
    "rounds",
    "finished",
    "decisions",
    "in_time",
    "no_move_in_time",
    "matched",
    "divergence",
    "ending",
    "status",
    "last_played",
)
"""The gradebook's columns, in order (documented in docs/debrief.md)."""

Row = dict[str, object]


def student_key(student: StudentRow) -> str:
    """Who a round belongs to: the name with case and spacing ignored, or the round itself."""
    return " ".join(student.player.split()).casefold() or f"\0{student.round_id}"


def gradebook_rows(report: ClassReport, anonymize: bool = False) -> Iterator[Row]:
    """One row per student per scenario version, scenario versions with most rounds first,
    students by name."""
    groups = sorted(report.groups.values(), key=lambda g: (-g.records, g.scenario_id, g.sha256))
    for group in groups:
        students: dict[str, list[StudentRow]] = {}
        for student in group.rounds:
            students.setdefault(student_key(student), []).append(student)
        rows = [_row(group, rounds, anonymize) for rounds in students.values()]
        rows.sort(key=lambda row: (str(row["student"]).casefold(), str(row["student"])))
        yield from rows


def _row(group: Group, rounds: list[StudentRow], anonymize: bool) -> Row:
    latest = max(rounds, key=lambda s: (s.started, s.round_id))
    first = min(rounds, key=lambda s: (s.started, s.round_id))
    name = " ".join(first.player.split())  # as first typed
    if anonymize:
        name = pseudonym(name, latest.round_id)
    elif not name:
        name = f"(no name) {latest.round_id}"
    scored = [s.divergence for s in rounds if s.divergence is not None]
    matched = [s.matched for s in rounds if s.matched is not None]
    roles = dict.fromkeys(_role_name(group, s.role) for s in rounds)
    return {
        "student": name,
        "scenario": group.title,
        "version": group.sha256[:12],
        "roles": "; ".join(roles),
        "rounds": len(rounds),
        "finished": sum(s.status == "finished" for s in rounds),
        "decisions": sum(s.decisions for s in rounds),
        "in_time": sum(s.decisions - s.late for s in rounds),
        "no_move_in_time": sum(s.late for s in rounds),
        "matched": sum(matched) if matched else "",
        "divergence": half_up(Fraction(sum(scored), len(scored)), 1) if scored else "",
        "ending": _ending(group, latest.ending),
        "status": latest.status,
        "last_played": dt.datetime.fromtimestamp(latest.started).date().isoformat(),
    }


def _role_name(group: Group, role: str) -> str:
    scenario = group.loaded.scenario if group.loaded else None
    found = scenario.role_by_id.get(role) if scenario else None
    return found.name if found else role


def _ending(group: Group, ending: str | None) -> str:
    if ending is None:
        return "(unfinished)"
    found = group.loaded.scenario.ending_by_id.get(ending) if group.loaded else None
    if found is None:
        return ending
    return found.title if found.distance == 0 else f"{found.title} (not historical)"
