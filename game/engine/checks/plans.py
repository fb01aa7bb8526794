"""Test plans: a role, the choices to make, and what must be seen on the way.

A plan is a YAML file beside its scenario, named ``SCENARIO-STEM.NAME.plan.yaml``; it is read
with the same hardened reader as scenarios, so its mistakes are reported with file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from game.engine.base.problems import Mark, Problems, did_you_mean
from game.engine.base.text import one_line
from game.engine.play.match import Match, Move, SeatView
from game.engine.play.roundfile import RoundError
from game.engine.play.session import Fired, Session
from game.engine.scenario import safeyaml
from game.engine.scenario.decode import read_as
from game.engine.scenario.fields import key_marks, located, meta
from game.engine.scenario.files import PLAN_SUFFIX
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Id, Located, Text

PLAN_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class Expectation(Located):
    """What must be true at a moment of the round; every key is optional."""

    events: tuple[Id, ...] | None = meta(
        "The events that must have fired on arrival here (exactly these).", None
    )
    indicators: Mapping[Id, int] = meta("Indicator values that must hold.", MappingProxyType({}))
    rung: Id | None = meta("The rung the ladder must be on.", None)
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class PlanStep(Expectation):
    """One decision of the plan, with what must be true just before it is made."""

    choose: Id = meta("The choice to make.")
    at: Id | None = meta("The point the round must be at.", None)


@dataclass(frozen=True, kw_only=True)
class SeatExpectation(Expectation):
    """What must be true of one seat of a match; every key is optional."""

    shown: tuple[Text, ...] = meta(
        "Words the seat must have been shown on arrival: in its situation, the choices, the "
        "events or the ending (each a part of the text, spaces as the seat reads them).",
        (),
    )


@dataclass(frozen=True, kw_only=True)
class MatchStep(Located):
    """One turn of a head-to-head plan: each seat's move."""

    moves: Mapping[Id, Id] = meta(
        "Each seat's choice (seat: choice id); a seat left out stays silent, so its fallback "
        "move stands."
    )
    at: Id | None = meta("The turn the match must be at.", None)
    seats: Mapping[Id, SeatExpectation] = meta(
        "What must be true of each seat when the turn begins, before the moves (seat: "
        "indicators, rung, events, shown).",
        MappingProxyType({}),
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class PlanEnd(Expectation):
    """What must be true when the round is over."""

    ending: Id = meta("The ending the round must reach.")
    seats: Mapping[Id, SeatExpectation] = meta(
        "In a match plan, what must be true of each seat at the end (seat: indicators, rung, "
        "events, shown); each seat keeps its own indicators and rung.",
        MappingProxyType({}),
    )


@dataclass(frozen=True, kw_only=True)
class Plan(Located):
    """A scripted round and its expectations."""

    plan: int = meta("Plan format version; this is version 1.")
    title: Text = meta("What the plan checks.")
    role: Id | None = meta("The role to play (a round of one student).", None)
    steps: tuple[PlanStep, ...] = meta("The decisions, in order.", ())
    turns: tuple[MatchStep, ...] = meta(
        "Instead of `role` and `steps`: the turns of a head-to-head match, in order.", ()
    )
    end: PlanEnd = meta("What must hold at the end.")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


def plans_for(scenario: Path) -> list[Path]:
    """The plan files that belong to ``scenario``: ``STEM.plan.yaml`` and ``STEM.*.plan.yaml``."""
    stem = scenario.name.rsplit(".", 1)[0]
    candidates = [
        *scenario.parent.glob(f"{stem}.*{PLAN_SUFFIX}"),
        scenario.parent / f"{stem}{PLAN_SUFFIX}",
    ]
    return sorted({p for p in candidates if p.is_file()})


def read_plan(path: Path) -> tuple[Plan | None, Problems]:
    """The plan in ``path``, or ``None`` with every problem found."""
    problems = Problems(str(path))
    node = safeyaml.load(path, problems)
    if node is None:
        return None, problems
    plan = read_as(Plan, node, problems)
    if plan is None:
        return None, problems
    if plan.plan != PLAN_VERSION:
        problems.error(
            plan.where("plan"),
            f"plan version {plan.plan} is not supported",
            f"this Flashpoint reads plan version {PLAN_VERSION}",
        )
        return None, problems
    return plan, problems


def _compare(
    session: Session | SeatView, expect: Expectation, problems: Problems, label: str
) -> None:
    if isinstance(expect, PlanStep) and expect.at is not None and expect.at != session.node:
        problems.error(
            expect.where("at"),
            f"{label}: expected the round at '{expect.at}', but it is at '{session.node}'",
        )
    if expect.events is not None:
        fired = [e.event for e in session.entries if isinstance(e, Fired) and e.at == session.node]
        if list(expect.events) != fired:
            problems.error(
                expect.where("events"),
                f"{label}: expected events {list(expect.events)}"
                f" on arrival, but {fired or 'none'} fired",
            )
    for name, value in expect.indicators.items():
        actual = session.indicators.get(name)
        if actual is None:
            problems.error(expect.where("indicators"), f"{label}: unknown indicator '{name}'")
        elif actual != value:
            problems.error(
                expect.where("indicators"),
                f"{label}: expected {name} = {value}, but it is {actual}",
            )
    if expect.rung is not None and expect.rung != session.rung:
        problems.error(
            expect.where("rung"),
            f"{label}: expected the ladder on '{expect.rung}', but it is on '{session.rung}'",
        )
    if isinstance(expect, SeatExpectation) and isinstance(session, SeatView):
        text = _shown_text(session)
        for words in expect.shown:
            if " ".join(words.split()) not in text:
                problems.error(
                    expect.where("shown"),
                    f"{label}: '{one_line(words, 60)}' is not in what the seat was shown",
                    f"it was shown: {one_line(text, 160)}",
                )


def _shown_text(view: SeatView) -> str:
    """What the seat reads now, in one line: its situation and choices (or its ending) and
    the events it was shown on arrival."""
    words, scenario = view.words, view.loaded.scenario
    parts = []
    point = view.point
    if point is not None:
        parts += [words(point), *(words(c) for c in point.choices)]
    if view.ending is not None:
        parts.append(words(view.ending))
    events = {e.id: e for e in scenario.events}
    for entry in view.entries:
        if isinstance(entry, Fired) and entry.at == view.node:
            parts += [events[entry.event].title, words(events[entry.event])]
    return " ".join(" ".join(parts).split())


def run_plan(loaded: LoadedScenario, plan: Plan, problems: Problems) -> None:
    """Play ``plan`` through the engine, recording every expectation that is not met."""
    if plan.turns:
        _run_match(loaded, plan, problems)
        return
    if plan.role is None:
        problems.error(plan.where(), "the plan names no role", "add 'role:' and 'steps:'")
        return
    if plan.end.seats:
        problems.error(
            plan.end.where("seats"),
            "'seats' is for a match plan (one with 'turns')",
            "in a plan of one student, give 'indicators', 'rung' and 'events' under 'end'",
        )
        return
    try:
        session = Session.start(loaded, plan.role, clock=lambda: 0.0)
    except RoundError as error:
        problems.error(plan.where("role"), str(error))
        return
    for number, step in enumerate(plan.steps, start=1):
        label = f"step {number}"
        if session.is_over:
            problems.error(step.where(), f"{label}: the round already ended at '{session.node}'")
            return
        _compare(session, step, problems, label)
        try:
            session.choose(step.choose)
        except RoundError as error:
            problems.error(step.where("choose"), f"{label}: {error}")
            return
    if not session.is_over:
        problems.error(
            plan.end.where(),
            f"end: the round is still at '{session.node}' after the last step",
            "add the remaining steps",
        )
        return
    if session.node != plan.end.ending:
        problems.error(
            plan.end.where("ending"),
            f"end: expected ending '{plan.end.ending}', but the round ended at '{session.node}'",
        )
    _compare(session, plan.end, problems, "end")


def _run_match(loaded: LoadedScenario, plan: Plan, problems: Problems) -> None:
    """Play a head-to-head plan: each turn's moves, silent seats' fallbacks, the ending, and
    what each seat must see on the way."""
    if not _match_plan_keys(plan, problems):
        return
    try:
        match = Match(loaded, {}, 0.0)
    except RoundError as error:
        problems.error(plan.where("turns"), str(error))
        return
    seats = match.mode.seats
    for number, step in enumerate(plan.turns, start=1):
        label = f"turn {number}"
        if match.turn is None:
            problems.error(step.where(), f"{label}: the match already ended at '{match.node}'")
            return
        if step.at is not None and step.at != match.node:
            problems.error(
                step.where("at"), f"{label}: expected turn '{step.at}', but it is '{match.node}'"
            )
        if not _known_seats(step, ("moves", "seats"), seats, problems, label):
            return
        for seat, expect in step.seats.items():
            _compare(SeatView(match, seat), expect, problems, f"{label}, {seat}")
        fallbacks = match.fallbacks()
        moves = {
            seat: Move(step.moves[seat])
            if seat in step.moves
            else Move(fallbacks[seat], fallback=True)
            for seat in seats
        }
        try:
            match.play(moves)
        except RoundError as error:
            problems.error(step.where("moves"), f"{label}: {error}")
            return
    if match.ending is None:
        problems.error(
            plan.end.where(),
            f"end: the match is still at turn '{match.node}' after the last one",
            "add the remaining turns",
        )
        return
    if match.node != plan.end.ending:
        problems.error(
            plan.end.where("ending"),
            f"end: expected ending '{plan.end.ending}', but the match ended at '{match.node}'",
        )
    if _known_seats(plan.end, ("seats",), seats, problems, "end"):
        for seat, expect in plan.end.seats.items():
            _compare(SeatView(match, seat), expect, problems, f"end, {seat}")


def _match_plan_keys(plan: Plan, problems: Problems) -> bool:
    """A match plan gives no round-of-one-student keys, which it would otherwise ignore."""
    given = [
        (plan, "role", plan.role is not None),
        (plan, "steps", bool(plan.steps)),
        (plan.end, "indicators", bool(plan.end.indicators)),
        (plan.end, "rung", plan.end.rung is not None),
        (plan.end, "events", plan.end.events is not None),
    ]
    for item, key, present in given:
        if present:
            where = "end." if item is plan.end else ""
            problems.error(
                item.where(key),
                f"'{where}{key}' is for a plan of one student; a match plan says whose",
                f"each seat keeps its own: write end: {{seats: {{SEAT: {{{key}: ...}}}}}}"
                if where
                else "a match plan gives each turn's moves under 'turns'",
            )
    return not any(present for _, _, present in given)


def _known_seats(
    item: MatchStep | PlanEnd,
    keys: tuple[str, ...],
    seats: tuple[str, ...],
    problems: Problems,
    label: str,
) -> bool:
    """Whether every seat ``item`` names under ``keys`` is one of the match's."""
    fine = True
    for key in keys:
        for seat in getattr(item, key):
            if seat not in seats:
                problems.error(
                    item.where(key), f"{label}: unknown seat '{seat}'", did_you_mean(seat, seats)
                )
                fine = False
    return fine
