"""Every figure of the class report, computed once, as JSON-ready data.

The Markdown, HTML and text reports render this data (:mod:`game.reports.class_report`), and
``flashpoint class --format json`` writes it as it is (schema: docs/class-report.schema.json),
so every format shows the same numbers. How each figure is computed is in docs/debrief.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

from game.engine.base.digest import sha256
from game.engine.base.stats import half_up, mean, median, middle_pair, percent
from game.engine.classroom.class_report import ClassReport, Group, PairSeat
from game.engine.scenario.model import Scenario
from game.reports.record_data import contested_data, source_data

FORMAT = "flashpoint-class-report"
VERSION = 1
_PSEUDONYM_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def pseudonym(player: str, round_id: str) -> str:
    """A stable stand-in for a student's name: the same name always gets the same pseudonym
    (an unnamed round gets one from its round id)."""
    seed = " ".join(player.split()).casefold() or f"round:{round_id}"
    digest = sha256(f"flashpoint-pseudonym:{seed}".encode()).digest()
    return "Student " + "".join(_PSEUDONYM_LETTERS[b % 32] for b in digest[:4])


def decimal(value: Fraction | None, places: int = 1) -> float | None:
    """An exact figure as a JSON number, rounded half up."""
    return None if value is None else float(half_up(value, places))


class _Names:
    """Players' names, or their pseudonyms with ``--anonymize``."""

    def __init__(self, anonymize: bool) -> None:
        self.anonymize = anonymize

    def __call__(self, player: str, round_id: str) -> str:
        if self.anonymize:
            return pseudonym(player, round_id)
        return player


def class_data(
    report: ClassReport,
    status: str = "all",
    anonymize: bool = False,
    codes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The class report as data: one entry per scenario version, most records first;
    ``codes``: the class codes of the class folders read."""
    names = _Names(anonymize)
    groups = sorted(report.groups.values(), key=lambda g: (-g.records, g.scenario_id, g.sha256))
    return {
        "format": FORMAT,
        "version": VERSION,
        "class_codes": list(codes),
        "played": _played(report),
        "status": status,
        "anonymized": anonymize,
        "records": report.total,
        "left_out": dict(sorted(report.left_out.items())),
        "skipped": list(report.skipped),
        "groups": [_group(group, names) for group in groups],
    }


def _played(report: ClassReport) -> dict[str, str] | None:
    """The first and last days (local time) on which the rounds read were started."""
    days = {student.started for group in report.groups.values() for student in group.rounds}
    if not days:
        return None
    first, last = (dt.datetime.fromtimestamp(t).date().isoformat() for t in (min(days), max(days)))
    return {"first": first, "last": last}


def _group(group: Group, names: _Names) -> dict[str, Any]:
    scenario = group.loaded.scenario if group.loaded else None
    role_name = _role_names(scenario)
    data: dict[str, Any] = {
        "scenario": {"id": group.scenario_id, "title": group.title, "sha256": group.sha256},
        "scored": scenario is not None,
        "note": group.note,
        "rounds": group.records,
        "roles": [
            {"role": role, "name": role_name(role), "rounds": count}
            for role, count in sorted(
                group.students.items(), key=lambda i: _role_order(scenario, i[0])
            )
        ],
        "named": group.named,
        "statuses": dict(sorted(group.statuses.items())),
        "divergence": {
            "average": decimal(group.average_divergence),
            "rounds": group.divergence_count,
        },
        "match": {
            "matched": group.matched,
            "decisions": group.scored,
            "percent": percent(group.matched, group.scored),
            "no_move_in_time": sum(group.late.values()),
        },
        "students": _students(group, scenario, names),
        "endings": _endings(group, scenario),
        "points": _points(group, scenario),
        "curves": _curves(group, scenario),
        "rationales": _rationales(group, scenario, names),
        "matches": _matches(group, scenario, names),
    }
    if scenario is not None:
        data["contested"] = _contested(group, scenario)
        data["sources"] = [source_data(s) for s in scenario.sources]
        data["discussion"] = list(scenario.discussion)
        data["ladder"] = [rung.name for rung in scenario.ladder]
    return data


def _role_names(scenario: Scenario | None) -> Any:
    def name(role: str) -> str:
        if scenario is not None and role in scenario.role_by_id:
            return scenario.role_by_id[role].name
        return role

    return name


def _role_order(scenario: Scenario | None, role: str) -> tuple[int, str]:
    order = [r.id for r in scenario.roles] if scenario is not None else []
    return (order.index(role) if role in order else len(order), role)


def _point_order(scenario: Scenario | None, point: str) -> tuple[int, int, str]:
    if scenario is None or point not in scenario.point_by_id:
        return (10**6, 10**6, point)
    found = scenario.point_by_id[point]
    points = [p.id for p in scenario.points]
    return (_role_order(scenario, found.role)[0], points.index(point), point)


def _ending_title(scenario: Scenario | None, ending: str | None) -> tuple[str, bool | None]:
    if ending is None:
        return "(unfinished)", None
    found = scenario.ending_by_id.get(ending) if scenario else None
    if found is None:
        return ending, None
    return found.title, found.distance == 0


def _students(group: Group, scenario: Scenario | None, names: _Names) -> list[dict[str, Any]]:
    role_name = _role_names(scenario)
    roles = {role: (_role_order(scenario, role), role_name(role)) for role in group.students}
    endings = {
        ending: _ending_title(scenario, ending) for ending in {s.ending for s in group.rounds}
    }
    shown = [(names(student.player, student.round_id), student) for student in group.rounds]
    shown.sort(key=lambda pair: (roles[pair[1].role][0], pair[0].casefold(), pair[1].round_id))
    rows = []
    for name, student in shown:
        title, historical = endings[student.ending]
        rows.append(
            {
                "name": name,
                "round": student.round_id,
                "role": student.role,
                "role_name": roles[student.role][1],
                "status": student.status,
                "ending": student.ending,
                "ending_title": title,
                "historical_ending": historical,
                "decisions": student.decisions,
                "in_time": student.decisions - student.late,
                "no_move_in_time": student.late,
                "matched": student.matched,
                "divergence": student.divergence,
                "seconds": float(int(student.seconds + 0.5)),  # half up: never negative
            }
        )
    return rows


def _endings(group: Group, scenario: Scenario | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for ending_id, count in group.endings.items():
        found = scenario.ending_by_id.get(ending_id) if scenario else None
        rows.append(
            {
                "ending": ending_id,
                "title": found.title if found else ending_id,
                "rounds": count,
                "percent": percent(count, group.records),
                "distance": found.distance if found else None,
                "historical": (found.distance == 0) if found else None,
            }
        )
    rows.sort(
        key=lambda r: (-r["rounds"], 99 if r["distance"] is None else r["distance"], r["title"])
    )
    return rows


def _points(group: Group, scenario: Scenario | None) -> list[dict[str, Any]]:
    role_name = _role_names(scenario)
    rows = []
    reached = set(group.choices) | set(group.late)
    for point_id in sorted(reached, key=lambda p: _point_order(scenario, p)):
        counts = group.choices.get(point_id, Counter())
        total = sum(counts.values())
        point = scenario.point_by_id.get(point_id) if scenario else None
        options = [c.id for c in point.choices] if point else sorted(counts)
        historical_choice = point.history.choice if point else None
        matched = counts[historical_choice] if historical_choice else None
        seconds = median(group.seconds.get(point_id, Counter()))
        rows.append(
            {
                "point": point_id,
                "role": point.role if point else None,
                "role_name": role_name(point.role) if point else None,
                "date": point.date.isoformat() if point else None,
                "title": point.title if point else point_id,
                "historical": (not point.counterfactual) if point else None,
                "discuss": point.discuss if point else "",
                "decisions": total,
                "no_move_in_time": group.late.get(point_id, 0),
                "matched": matched,
                "match_percent": percent(matched, total) if matched is not None else None,
                "median_seconds": decimal(seconds, 0),
                "choices": [
                    {
                        "choice": choice,
                        "label": _label(point, choice),
                        "rounds": counts[choice],
                        "percent": percent(counts[choice], total),
                        "historical": choice == historical_choice,
                    }
                    for choice in options + sorted(set(counts) - set(options))
                ],
            }
        )
    return rows


def _label(point: Any, choice: str) -> str:
    if point is None:
        return choice
    return next((c.label for c in point.choices if c.id == choice), choice)


def _curves(group: Group, scenario: Scenario | None) -> list[dict[str, Any]]:
    if scenario is None:
        return []
    role_name = _role_names(scenario)
    curves = []
    for role in sorted(group.curve_counts, key=lambda r: _role_order(scenario, r)):
        steps = group.curve_counts[role]
        history = group.historical_curves.get(role, {})
        keys = sorted(set(steps) | set(history))
        points = []
        for key in keys:
            histogram: Counter[int] = steps.get(key, Counter())
            pair = middle_pair(histogram)
            points.append(
                {
                    "date": key[0].isoformat(),
                    "ordinal": key[1],
                    "rounds": sum(histogram.values()),
                    "lowest": min(histogram) if histogram else None,
                    "median": decimal(median(histogram)),
                    "median_between": list(pair) if pair else None,
                    "highest": max(histogram) if histogram else None,
                    "mean": decimal(mean(histogram), 2),
                    "history": history.get(key),
                }
            )
        curves.append({"role": role, "role_name": role_name(role), "points": points})
    return curves


def _rationales(group: Group, scenario: Scenario | None, names: _Names) -> list[dict[str, Any]]:
    role_name = _role_names(scenario)

    def order(item: tuple[tuple[str, str], Any]) -> tuple[Any, ...]:
        (point_id, choice), _ = item
        point = scenario.point_by_id.get(point_id) if scenario else None
        options = [c.id for c in point.choices] if point else []
        rank = options.index(choice) if choice in options else len(options)
        return (*_point_order(scenario, point_id), rank, choice)

    rows = []
    for (point_id, choice), kept in sorted(group.rationales.items(), key=order):
        point = scenario.point_by_id.get(point_id) if scenario else None
        rows.append(
            {
                "role": point.role if point else None,
                "role_name": role_name(point.role) if point else None,
                "point": point_id,
                "point_title": point.title if point else point_id,
                "historical_point": (not point.counterfactual) if point else None,
                "choice": choice,
                "label": _label(point, choice),
                "historical_choice": bool(point and point.history.choice == choice),
                "count": kept.count,
                "sample": [
                    {"name": names(player, round_id), "text": text}
                    for round_id, player, text in kept.sample
                ],
            }
        )
    return rows


def _contested(group: Group, scenario: Scenario) -> list[dict[str, Any]]:
    """The contested facts shown at the points the class reached, in scenario order."""
    met: dict[str, None] = {}
    for point in scenario.points:
        if point.id in group.choices:
            met.update(dict.fromkeys(point.contested))
    return [contested_data(scenario.contested_by_id[ident]) for ident in met]


def _matches(group: Group, scenario: Scenario | None, names: _Names) -> list[dict[str, Any]]:
    """Head-to-head: each match's two seats side by side, and where each left history."""
    role_name = _role_names(scenario)
    rows = []
    for code in sorted(group.pairs):
        seats = sorted(group.pairs[code], key=lambda s: _role_order(scenario, s.role))
        ending = next((s.ending for s in seats if s.ending), None)
        title, historical = _ending_title(scenario, ending)
        lone = {r for s in seats for r in s.history_seats} - {s.role for s in seats}
        rows.append(
            {
                "match": code,
                "ending": ending,
                "ending_title": title,
                "historical_ending": historical,
                "seats": [_pair_seat(seat, scenario, role_name, names) for seat in seats],
                "history_seats": [  # no classmate sat there: history's moves, nobody's
                    {"role": r, "role_name": role_name(r)}
                    for r in sorted(lone & set(scenario.role_by_id if scenario else ()))
                ],
            }
        )
    return rows


def _pair_seat(
    seat: PairSeat, scenario: Scenario | None, role_name: Any, names: _Names
) -> dict[str, Any]:
    departure = None
    if seat.departure is not None:
        point_id, choice = seat.departure
        point = scenario.point_by_id.get(point_id) if scenario else None
        departure = {
            "point": point_id,
            "date": point.date.isoformat() if point else None,
            "title": point.title if point else point_id,
            "choice": choice,
            "label": _label(point, choice),
        }
    return {
        "role": seat.role,
        "role_name": role_name(seat.role),
        "name": names(seat.player, seat.round_id),
        "divergence": seat.divergence,
        "in_time": seat.moved,
        "no_move_in_time": seat.late,
        "first_departure": departure,
    }
