"""A whole class's rounds as a document: choices, endings, curves and rationales."""

from __future__ import annotations

from collections import Counter
from typing import Any

from game.engine.classroom import ClassReport, Group
from game.engine.model import Scenario
from game.engine.text import short_date
from game.reports.document import Bullets, Curves, Document, Heading, Paragraph, Table


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a rounded percentage."""
    return f"{100 * part / whole:.0f}%" if whole else "–"


def median(histogram: Counter[int]) -> int:
    """The median of a histogram of whole numbers."""
    middle = (sum(histogram.values()) - 1) / 2
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen > middle:
            return value
    return 0


def _mean(histogram: Counter[int]) -> float:
    total = sum(histogram.values())
    return sum(v * n for v, n in histogram.items()) / total if total else 0.0


def _choice_label(scenario: Scenario | None, point: str, choice: str) -> str:
    if scenario is None or point not in scenario.point_by_id:
        return choice
    return next((c.label for c in scenario.point_by_id[point].choices if c.id == choice), choice)


def _overview(group: Group) -> list[Any]:
    roles = ", ".join(f"{role}: {count}" for role, count in sorted(group.students.items()))
    statuses = ", ".join(
        f"{status or 'unknown'}: {count}" for status, count in sorted(group.statuses.items())
    )
    average = group.average_divergence
    blocks: list[Any] = [
        Paragraph.of(
            ("Rounds: ", "strong"),
            f"{group.records} ({roles}). ",
            ("Rounds with a player's name: ", "strong"),
            f"{group.named}. ",
            ("Status: ", "strong"),
            statuses + ".",
        ),
        Paragraph.of(
            ("Average divergence from history: ", "strong"),
            "n/a" if average is None else f"{average:.1f} of 100",
            (" (0 = the historical path; see the debrief for the definition)", "dim"),
        ),
    ]
    if group.note:
        blocks.insert(0, Paragraph.of(("Note: ", "strong"), group.note))
    return blocks


def _endings(group: Group, scenario: Scenario | None) -> list[Any]:
    rows = []
    for ending_id, count in group.endings.most_common():
        ending = scenario.ending_by_id.get(ending_id) if scenario else None
        title = ending.title if ending else ending_id
        distance = "" if ending is None else str(ending.distance)
        rows.append((title, str(count), percent(count, group.records), distance))
    return [
        Heading("Endings reached", 3),
        Table(("Ending", "Rounds", "Share", "Distance from history"), tuple(rows)),
    ]


def _points(group: Group, scenario: Scenario | None) -> list[Any]:
    blocks: list[Any] = [Heading("Decisions", 3)]
    order = [p.id for p in scenario.points] if scenario else []
    points = sorted(group.choices, key=lambda p: (order.index(p) if p in order else 10**6, p))
    for point_id in points:
        counts = group.choices[point_id]
        total = sum(counts.values())
        point = scenario.point_by_id.get(point_id) if scenario else None
        title = f"{short_date(point.date)} — {point.title} ({point.role})" if point else point_id
        options = [c.id for c in point.choices] if point else sorted(counts)
        rows = []
        for choice in options + sorted(set(counts) - set(options)):
            mark = "✓ what happened" if point and point.history.choice == choice else ""
            rows.append(
                (
                    _choice_label(scenario, point_id, choice),
                    str(counts[choice]),
                    percent(counts[choice], total),
                    mark,
                )
            )
        blocks.append(Paragraph.of((title, "strong"), f" — {total} decision(s)"))
        blocks.append(Table(("Choice", "Rounds", "Share", "History"), tuple(rows)))
    return blocks


def _curves(group: Group, scenario: Scenario | None) -> list[Any]:
    if scenario is None or not group.curve_counts:
        return []
    levels = tuple(r.name for r in scenario.ladder)
    blocks: list[Any] = [Heading("Escalation against history", 3)]
    for role, steps in sorted(group.curve_counts.items()):
        history = group.historical_curves.get(role, ())
        rows = []
        for number, histogram in enumerate(steps):
            rows.append(
                (
                    str(number + 1),
                    levels[min(histogram)],
                    levels[median(histogram)],
                    levels[max(histogram)],
                    levels[history[number]] if number < len(history) else "–",
                    str(sum(histogram.values())),
                )
            )
        blocks.append(Paragraph.of(("Role: ", "strong"), role))
        blocks.append(
            Curves(
                (
                    ("Class average", tuple(_mean(h) for h in steps)),
                    ("History", tuple(map(float, history))),
                    ("Highest", tuple(float(max(h)) for h in steps)),
                    ("Lowest", tuple(float(min(h)) for h in steps)),
                ),
                levels,
            )
        )
        blocks.append(
            Table(("Decision", "Lowest", "Median", "Highest", "History", "Rounds"), tuple(rows))
        )
    return blocks


def _rationales(group: Group, scenario: Scenario | None) -> list[Any]:
    if not group.rationales:
        return []
    blocks: list[Any] = [Heading("Reasons students gave, by choice", 3)]
    for (point_id, choice), kept in sorted(group.rationales.items()):
        label = _choice_label(scenario, point_id, choice)
        point = scenario.point_by_id.get(point_id) if scenario else None
        heading = f"{point.title}: {label}" if point else f"{point_id}: {label}"
        more = kept.count - len(kept.sample)
        suffix = f" (and {more} more)" if more > 0 else ""
        blocks.append(Paragraph.of((heading, "strong"), f" — {kept.count} reason(s){suffix}"))
        blocks.append(
            Bullets(
                tuple(
                    Paragraph.of((f"{player or 'anonymous'}: ", "em"), text)
                    for _, player, text in kept.sample
                )
            )
        )
    return blocks


def class_document(report: ClassReport) -> Document:
    """The class report: one section per scenario version, then the skipped records."""
    document = Document("Class report")
    groups = sorted(report.groups.values(), key=lambda g: -g.records)
    document.add(
        Paragraph.of(
            ("Records read:", "strong"),
            f" {report.total}. ",
            ("Skipped:", "strong"),
            f" {len(report.skipped)}. ",
            ("Scenario versions:", "strong"),
            f" {len(groups)}.",
        )
    )
    if len(groups) > 1:
        document.add(
            Paragraph.of(
                ("Records of different scenarios or versions are reported separately below.", "em")
            )
        )
    for group in groups:
        scenario = group.loaded.scenario if group.loaded else None
        document.add(Heading(f"{group.title} (version {group.sha256[:12]})"))
        document.add(
            *_overview(group),
            *_endings(group, scenario),
            *_points(group, scenario),
            *_curves(group, scenario),
            *_rationales(group, scenario),
        )
    if report.skipped:
        document.add(
            Heading("Skipped records"),
            Bullets(tuple(Paragraph.of(warning) for warning in report.skipped)),
        )
    return document
