"""The explorer's findings as a document an author can read."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from game.engine.checks.explore import RandomReport, Report
from game.engine.checks.explore_match import MatchReport
from game.engine.scenario.model import Scenario
from game.reports.document import Bullets, Document, Heading, Paragraph, Table

if TYPE_CHECKING:
    from game.engine.seats.recording import Moment


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one: "1 turn", "2 turns"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def big(number: int) -> str:
    """A count, in scientific form when it is too long to read."""
    if number < 10**15:
        return f"{number:,}"
    logarithm = math.log10(number)  # exact enough, and never str() of a huge int
    exponent = math.floor(logarithm)
    mantissa = 10 ** (logarithm - exponent)
    if round(mantissa, 3) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.3f} × 10^{exponent} ({exponent + 1} digits)"


def explore_document(scenario: Scenario, report: Report) -> Document:
    """Paths, endings, lengths, ranges and what can never happen."""
    document = Document(f"Explore: {scenario.title}")
    document.add(
        Paragraph.of(
            (
                "Counts and ranges follow every path the decision graph allows; a branch whose "
                "condition may or may not hold is counted both ways, so they are upper bounds.",
                "dim",
            )
        )
    )
    for role in report.roles:
        name = scenario.role_by_id[role.role].name
        document.add(Heading(f"Role: {name}"))
        document.add(
            Paragraph.of(
                ("Distinct paths: ", "strong"),
                big(role.paths),
                ". ",
                ("Decision points reachable: ", "strong"),
                str(role.reachable_points),
                ". ",
                ("Shortest round: ", "strong"),
                f"{counted(role.shortest, 'decision')}. ",
                ("Longest round: ", "strong"),
                f"{counted(role.longest, 'decision')}.",
            )
        )
        rows = tuple(
            (
                scenario.ending_by_id[e].title,
                str(scenario.ending_by_id[e].distance),
                big(role.paths_by_ending[e]),
            )
            for e, _ in role.nearest_endings
        )
        document.add(
            Paragraph.of(("Endings, nearest to history first", "strong")),
            Table(("Ending", "Distance", "Paths"), rows),
        )
        if role.unreachable_endings:
            in_match = set(report.match.paths_by_ending) if report.match else set()
            document.add(
                Paragraph.of(
                    ("Endings this role can never reach: ", "strong"),
                    ", ".join(
                        e + (" (a match reaches it)" if e in in_match else "")
                        for e in role.unreachable_endings
                    ),
                )
            )
        history = " → ".join(role.historical_points) or "(none)"
        document.add(
            Paragraph.of(
                ("Historical path: ", "strong"),
                history,
                " → ",
                role.historical_ending or "(no ending)",
            )
        )
        document.add(
            Table(
                ("Indicator", "Lowest", "Highest"),
                tuple(
                    (scenario.indicator_by_id[k].name, str(low), str(high))
                    for k, (low, high) in role.ranges.items()
                ),
            )
        )
    if report.match is not None:
        _match_section(document, scenario, report.match)
    document.add(Heading("What can never happen"))
    items = [
        Paragraph.of(f"choice {p}.{c}: its point cannot be reached") for p, c in report.never_chosen
    ]
    items += [
        Paragraph.of(f"branch of {p}.{c} to {d}: its condition can never hold")
        for p, c, d in report.never_taken
    ]
    items += [Paragraph.of(f"event {e}: it can never fire") for e in report.never_fired]
    items += [
        Paragraph.of(f"wording of {i} when '{w}': no round can show it")
        for i, w in report.never_worded
    ]
    document.add(
        Bullets(tuple(items))
        if items
        else Paragraph.of("Nothing: every choice, branch, event and wording can happen.")
    )
    return document


def _match_section(document: Document, scenario: Scenario, match: MatchReport) -> None:
    """The head-to-head mode: joint paths (one move per seat per turn), exactly counted."""
    document.add(Heading("Head-to-head"))
    document.add(
        Paragraph.of(
            ("Joint paths: ", "strong"),
            big(match.paths),
            " (every pair of moves at every turn, counted exactly). ",
            ("Turns reachable: ", "strong"),
            f"{match.turns_reachable} of {match.turns}. ",
            ("Shortest match: ", "strong"),
            f"{counted(match.shortest, 'turn')}. ",
            ("Longest match: ", "strong"),
            f"{counted(match.longest, 'turn')}.",
        )
    )
    rows = tuple(
        (e.title, str(e.distance), big(match.paths_by_ending[e.id]))
        for e in sorted(scenario.endings, key=lambda e: e.distance)
        if e.id in match.paths_by_ending
    )
    document.add(Table(("Ending", "Distance", "Joint paths"), rows))
    if match.unreachable_endings:
        document.add(
            Paragraph.of(
                ("Endings no match can reach: ", "strong"), ", ".join(match.unreachable_endings)
            )
        )
    document.add(
        Paragraph.of(
            ("Both seats playing history: ", "strong"),
            " → ".join(match.historical_turns),
            " → ",
            match.historical_ending or "(no ending)",
        )
    )


def random_document(scenario: Scenario, report: RandomReport, seed: int) -> Document:
    """What N seeded random rounds did: hit counts per choice and ending, ranges seen."""
    document = Document(f"Random rounds: {scenario.title}")
    document.add(
        Paragraph.of(
            ("Rounds: ", "strong"),
            f"{report.rounds} (seed {seed}). ",
            ("Round lengths: ", "strong"),
            ", ".join(f"{counted(n, 'decision')} × {c}" for n, c in sorted(report.lengths.items())),
        )
    )
    document.add(
        Heading("Endings"),
        Table(
            ("Ending", "Rounds"),
            tuple(
                (scenario.ending_by_id[e].title if e in scenario.ending_by_id else e, str(n))
                for e, n in report.endings.most_common()
            ),
        ),
    )
    rows = []
    for point in scenario.points:
        for choice in point.choices:
            rows.append((point.id, choice.id, str(report.choices[(point.id, choice.id)])))
    document.add(Heading("Choices"), Table(("Point", "Choice", "Taken"), tuple(rows)))
    never = [f"{p}.{c}" for p, c, n in rows if n == "0"]
    if never:
        document.add(Paragraph.of(("Never taken in these rounds: ", "strong"), ", ".join(never)))
    document.add(
        Heading("Events"),
        Table(("Event", "Fired"), tuple((e.id, str(report.events[e.id])) for e in scenario.events)),
    )
    document.add(
        Heading("Indicator ranges seen"),
        Table(
            ("Indicator", "Lowest", "Highest"),
            tuple(
                (scenario.indicator_by_id[k].name, str(lo), str(hi))
                for k, (lo, hi) in report.ranges.items()
            ),
        ),
    )
    return document


def path_document(scenario: Scenario, role: str, moments: Sequence[Moment]) -> Document:
    """One path, step by step: where the round is, its indicators and rung, the events that
    fired on arrival, and the choice made there."""
    names = [i.id for i in scenario.indicators]
    document = Document(f"Path: {scenario.title}")
    document.add(
        Paragraph.of(("Role: ", "strong"), scenario.role_by_id[role].name),
        Paragraph.of(
            ("Values on arrival, before the choice is made; the last line is the end.", "dim")
        ),
        Bullets(
            tuple(
                Paragraph.of(
                    (
                        f"{number}. {moment.node}"
                        if moment.choice
                        else f"{_last(scenario, moment.node)}: {moment.node}",
                        "strong",
                    ),
                    " — "
                    + ", ".join(f"{n} {moment.indicators[n]}" for n in names)
                    + f"; rung {moment.rung}; events on arrival: "
                    + (", ".join(moment.events) or "none"),
                    *((" → choose ", (moment.choice or "", "strong")) if moment.choice else ()),
                )
                for number, moment in enumerate(moments, start=1)
            )
        ),
    )
    end = moments[-1]
    ending = scenario.ending_by_id.get(end.node)
    if ending is not None:
        document.add(
            Paragraph.of(("Ending: ", "strong"), f"{ending.title} (distance {ending.distance})")
        )
    else:
        document.add(
            Paragraph.of(("The path stops at ", "strong"), f"'{end.node}', before its end.")
        )
    return document


def _last(scenario: Scenario, node: str) -> str:
    return "end" if node in scenario.ending_by_id else "then at"
