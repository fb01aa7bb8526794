"""A whole class's rounds as a document, rendered from :func:`class_data`'s figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from game.engine.base.text import long_date, short_date
from game.engine.play.scoring import NO_CLASSMATE, NO_MOVE
from game.reports.class_data import class_data
from game.reports.curves import Line, calendar_curves, key_label, level_name
from game.reports.document import Block, Bullets, Document, Heading, Paragraph, Table
from game.reports.round_blocks import NOT_HISTORICAL, read_at

__all__ = ["class_data", "class_document", "clock"]

STATUS_NOTE = {
    "finished": "finished rounds only",
    "abandoned": "abandoned rounds only",
    "all": "finished and abandoned rounds",
}


HAPPENED = "✓ what happened"
LATE_NOTE = (
    "a match seat silent past the deadline: the scenario's fallback stood, never counted as "
    "the student's choice, as matching history or in divergence"
)


def _matched(student: dict[str, Any]) -> str:
    """A student's own decisions that matched history; their automatic moves apart."""
    if student["matched"] is None:
        return "–"
    late = student["no_move_in_time"]
    apart = f", {late} {NO_MOVE}" if late else ""
    return f"{student['matched']} of {student['in_time']}{apart}"


def clock(seconds: float | None) -> str:
    """Seconds as minutes and seconds ("3:05"), or "–"."""
    if seconds is None:
        return "–"
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _overview(group: dict[str, Any]) -> list[Block]:
    roles = ", ".join(f"{r['name']}: {r['rounds']}" for r in group["roles"])
    statuses = ", ".join(f"{s or 'unknown'}: {n}" for s, n in group["statuses"].items())
    average = group["divergence"]["average"]
    match = group["match"]
    blocks: list[Block] = [
        Paragraph.of(
            ("Rounds: ", "strong"),
            f"{group['rounds']} ({roles}). ",
            ("Rounds with a player's name: ", "strong"),
            f"{group['named']}. ",
            ("Status: ", "strong"),
            statuses + ".",
        ),
        Paragraph.of(
            ("Decisions that matched what the government did: ", "strong"),
            f"{match['matched']} of {match['decisions']} ({match['percent']})",
            (" (a decision at a situation that never arose counts as different)", "dim"),
        ),
        *(
            [
                Paragraph.of(
                    ("No move in time: ", "strong"),
                    str(match["no_move_in_time"]),
                    (f" ({LATE_NOTE})", "dim"),
                )
            ]
            if match["no_move_in_time"]
            else []
        ),
        Paragraph.of(
            ("Average divergence from history: ", "strong"),
            "n/a" if average is None else f"{average:.1f} of 100",
            (" (0 = the historical path; see the debrief for the definition)", "dim"),
        ),
    ]
    if group["note"]:
        blocks.insert(0, Paragraph.of(("Note: ", "strong"), group["note"]))
    return blocks


def _ending_cell(title: str, historical: bool | None) -> str:
    return f"{title} (not historical)" if historical is False else title


def _students(group: dict[str, Any]) -> list[Block]:
    rows = tuple(
        (
            s["name"] or "(no name)",
            s["role_name"],
            s["status"],
            _ending_cell(s["ending_title"], s["historical_ending"]),
            _matched(s),
            "–" if s["divergence"] is None else str(s["divergence"]),
            clock(s["seconds"]),
        )
        for s in group["students"]
    )
    return [
        Heading("Students", 3),
        Table(
            ("Student", "Role", "Status", "Ending", "Matched history", "Divergence", "Time"),
            rows,
        ),
    ]


def _endings(group: dict[str, Any]) -> list[Block]:
    rows = tuple(
        (
            _ending_cell(e["title"], e["historical"]),
            str(e["rounds"]),
            e["percent"],
            "" if e["distance"] is None else str(e["distance"]),
        )
        for e in group["endings"]
    )
    return [
        Heading("Endings reached", 3),
        Table(("Ending", "Rounds", "Share", "Distance from history"), rows),
    ]


def _point_title(point: dict[str, Any]) -> str:
    if point["date"] is None:
        return str(point["title"])
    day = short_date(dt.date.fromisoformat(point["date"]))
    return f"{day} — {point['title']} ({point['role_name']})"


def _points(group: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading("Decisions", 3)]
    for point in group["points"]:
        if point["match_percent"] is None:
            matched = "no historical choice (this situation never arose)"
        else:
            matched = f"{point['matched']} matched history ({point['match_percent']})"
        if point["no_move_in_time"]:
            matched += f"; {point['no_move_in_time']} {NO_MOVE} (not counted)"
        blocks.append(
            Paragraph.of(
                (_point_title(point), "strong"),
                f" — {point['decisions']} decision(s), {matched}; median time "
                f"{clock(point['median_seconds'])}",
            )
        )
        if point["historical"] is False:
            blocks.append(
                Paragraph.of(
                    (NOT_HISTORICAL, "strong"), "this situation did not arise in the real crisis."
                )
            )
        blocks.append(
            Table(
                ("Choice", "Rounds", "Share", "History"),
                tuple(
                    (
                        c["label"],
                        str(c["rounds"]),
                        c["percent"],
                        "✓ what happened" * c["historical"],
                    )
                    for c in point["choices"]
                ),
            )
        )
        if point["discuss"]:
            blocks.append(Paragraph.of(("Discuss: ", "em"), point["discuss"]))
    return blocks


def _curves(group: dict[str, Any], levels: tuple[str, ...]) -> list[Block]:
    if not group["curves"]:
        return []
    blocks: list[Block] = [
        Heading("Escalation against history", 3),
        Paragraph.of(
            (
                "Each point is a decision at its in-game date, on the rung where it left the "
                "crisis; n is the number of rounds that made a decision then.",
                "dim",
            )
        ),
    ]
    for curve in group["curves"]:
        points = curve["points"]
        keyed = {(dt.date.fromisoformat(p["date"]), p["ordinal"]): p for p in points}
        played = {k: p for k, p in keyed.items() if p["rounds"]}
        counts = {k: p["rounds"] for k, p in played.items()}
        blocks.append(Paragraph.of(("Role: ", "strong"), curve["role_name"]))
        blocks.append(
            calendar_curves(
                (
                    Line("Class average", {k: p["mean"] for k, p in played.items()}, counts),
                    Line(
                        "History",
                        {k: p["history"] for k, p in keyed.items() if p["history"] is not None},
                    ),
                    Line("Highest", {k: p["highest"] for k, p in played.items()}),
                    Line("Lowest", {k: p["lowest"] for k, p in played.items()}),
                ),
                levels,
            )
        )
        rows = tuple(
            (
                key_label(key),
                str(p["rounds"]),
                "–" if p["lowest"] is None else levels[p["lowest"]],
                "–" if p["median"] is None else level_name(levels, p["median"]),
                "–" if p["highest"] is None else levels[p["highest"]],
                "–" if p["mean"] is None else f"{p['mean']:.2f}",
                "–" if p["history"] is None else levels[p["history"]],
            )
            for key, p in keyed.items()
        )
        blocks.append(
            Table(("Date", "Rounds", "Lowest", "Median", "Highest", "Mean rung", "History"), rows)
        )
    return blocks


def _rationales(group: dict[str, Any]) -> list[Block]:
    if not group["rationales"]:
        return []
    blocks: list[Block] = [Heading("Reasons students gave, by role and decision", 3)]
    role = None
    for item in group["rationales"]:
        if item["role_name"] != role:
            role = item["role_name"]
            blocks.append(Paragraph.of(("Role: ", "strong"), role or "unknown"))
        more = item["count"] - len(item["sample"])
        suffix = f" (and {more} more)" if more > 0 else ""
        mark = " (what happened)" if item["historical_choice"] else ""
        blocks.append(
            Paragraph.of(
                (f"{item['point_title']}: {item['label']}{mark}", "strong"),
                f" — {item['count']} reason(s){suffix}",
            )
        )
        blocks.append(
            Bullets(
                tuple(
                    Paragraph.of((f"{s['name'] or 'anonymous'}: ", "em"), s["text"])
                    for s in item["sample"]
                )
            )
        )
    return blocks


def _record(group: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if group.get("contested"):
        blocks.append(Heading("Where the sources disagree (met in this class)", 3))
        for fact in group["contested"]:
            blocks.append(Paragraph.of(("Sources disagree: ", "strong"), fact["claim"]))
            blocks.append(
                Bullets(
                    tuple(
                        Paragraph.of((v["account"], "strong"), f" — {v['source']}: “{v['quote']}”")
                        for v in fact["versions"]
                    )
                )
            )
            if fact["note"]:
                blocks.append(Paragraph.of((fact["note"], "dim")))
    if group.get("sources"):
        blocks.append(Heading("Sources", 3))
        blocks.append(
            Bullets(
                tuple(
                    Paragraph.of(
                        (f"{s['id']}: {s['title']}", "strong"),
                        f" — {s['publisher']}, "
                        f"{long_date(dt.date.fromisoformat(s['published']))} ({s['kind']}). ",
                        ("Reliability: ", "em"),
                        s["reliability"]
                        + read_at(
                            s["url"],
                            dt.date.fromisoformat(s["retrieved"]) if s["retrieved"] else None,
                        ),
                    )
                    for s in group["sources"]
                )
            )
        )
    if group.get("discussion"):
        blocks.append(Heading("Questions for discussion", 3))
        blocks.append(Bullets(tuple(Paragraph.of(q) for q in group["discussion"])))
    return blocks


def _departure(seat: dict[str, Any]) -> str:
    gone, late = seat["first_departure"], seat["no_move_in_time"]
    if not seat["in_time"] and late:
        return f"{seat['name'] or '(no name)'}: never moved ({late} {NO_MOVE})"
    if gone is None:
        apart = f" in {seat['in_time']} own move(s), {late} {NO_MOVE}" if late else ""
        return f"{seat['name'] or '(no name)'}: followed history{apart}"
    day = short_date(dt.date.fromisoformat(gone["date"])) if gone["date"] else ""
    return f"{seat['name'] or '(no name)'}: left it on {day} ({gone['title']}): {gone['label']}"


def _matches(group: dict[str, Any]) -> list[Block]:
    """Head-to-head pairs: who sat where, the ending, and where each seat left history."""
    if not group.get("matches"):
        return []
    rows = tuple(
        (
            m["match"],
            " · ".join(f"{s['role_name']}: {s['name'] or '(no name)'}" for s in m["seats"])
            + "".join(f" · {h['role_name']}: {NO_CLASSMATE}" for h in m["history_seats"]),
            _ending_cell(m["ending_title"], m["historical_ending"]) if m["ending"] else "–",
            " / ".join(
                "–" if s["divergence"] is None else str(s["divergence"]) for s in m["seats"]
            ),
        )
        for m in group["matches"]
    )
    blocks: list[Block] = [
        Heading("Head-to-head matches", 3),
        Table(("Match", "Seats", "Ending", "Divergence"), rows),
        Paragraph.of(("How each pair left history (first decision that differs):", "strong")),
        Bullets(
            tuple(
                Paragraph.of(
                    (f"{m['match']}: ", "strong"), "; ".join(_departure(s) for s in m["seats"])
                )
                for m in group["matches"]
            )
        ),
    ]
    return blocks


def _header(data: dict[str, Any]) -> list[Block]:
    """What the report is of: the class code, the days played, each scenario and version."""
    spans: list[str | tuple[str, str]] = []
    if data["class_codes"]:
        spans += [("Class code: ", "strong"), ", ".join(data["class_codes"]) + ". "]
    played = data["played"]
    if played is not None:
        first, last = (long_date(dt.date.fromisoformat(played[k])) for k in ("first", "last"))
        spans += [("Played: ", "strong"), (first if first == last else f"{first} to {last}") + ". "]
    scenarios = "; ".join(
        f"{g['scenario']['title']}, version {g['scenario']['sha256'][:12]}" for g in data["groups"]
    )
    if scenarios:
        spans += [("Scenario: ", "strong"), scenarios + "."]
    return [Paragraph.of(*spans)] if spans else []


def class_document(data: dict[str, Any]) -> Document:
    """The class report, rendered from :func:`class_data`."""
    document = Document("Class report")
    groups = data["groups"]
    document.add(*_header(data))
    left_out = sum(data["left_out"].values())
    document.add(
        Paragraph.of(
            ("Records read:", "strong"),
            f" {data['records']} ({STATUS_NOTE.get(data['status'], data['status'])}). ",
            ("Skipped:", "strong"),
            f" {len(data['skipped'])}. ",
            ("Scenario versions:", "strong"),
            f" {len(groups)}.",
            f" Left out by --status: {left_out}." if left_out else "",
        )
    )
    if data["anonymized"]:
        document.add(
            Paragraph.of(
                (
                    "Names are replaced by pseudonyms (the same name always gets the same "
                    "one). Students' reasons are shown as written.",
                    "em",
                )
            )
        )
    if len(groups) > 1:
        document.add(
            Paragraph.of(
                ("Records of different scenarios or versions are reported separately below.", "em")
            )
        )
    for group in groups:
        scenario = group["scenario"]
        document.add(Heading(f"{scenario['title']} (version {scenario['sha256'][:12]})"))
        rungs = tuple(group.get("ladder", ()))
        document.add(
            *_overview(group),
            *_students(group),
            *_endings(group),
            *_points(group),
            *(_curves(group, rungs) if rungs else []),
            *_rationales(group),
            *_matches(group),
            *_record(group),
        )
    if data["skipped"]:
        document.add(
            Heading("Skipped records"),
            Bullets(tuple(Paragraph.of(warning) for warning in data["skipped"])),
        )
    return document
