"""A path through a scenario, step by step: for ``explore --path`` and for recording a played
round as a test plan (``play --record-plan``).

The path is replayed through the engine, so what it shows is what a round shows: the
indicators, the rung and the events that fired on arrival at each decision, then the ending.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from game.engine.base.problems import FlashpointError, did_you_mean
from game.engine.base.safefile import SHARED_FILE
from game.engine.play.roundfile import RoundError
from game.engine.play.session import Fired, Session, Test
from game.engine.records.store import atomic_write
from game.engine.scenario.loaded import LoadedScenario


@dataclass(frozen=True)
class Moment:
    """The round at a decision (``choice`` is what was chosen there) or at its ending."""

    node: str
    events: tuple[str, ...]
    """Events that fired on arrival here."""
    indicators: dict[str, int]
    rung: str
    choice: str | None = None


def replay(loaded: LoadedScenario, role: str, choices: Sequence[str]) -> list[Moment]:
    """Each decision of ``role``'s round through ``choices``, and where it ends up; raises
    :class:`FlashpointError` naming a choice that is not open where it is made."""
    try:
        session = Session.start(loaded, role, clock=lambda: 0.0)
    except RoundError as error:
        raise FlashpointError(str(error)) from None
    moments = []
    for number, choice in enumerate(choices, start=1):
        if session.is_over:
            raise FlashpointError(
                f"choice {number} ('{choice}'): the round already ended at '{session.node}'"
            )
        here = _moment(session)
        try:
            session.choose(choice)
        except RoundError as error:
            raise FlashpointError(f"choice {number}: {error}") from None
        moments.append(Moment(here.node, here.events, here.indicators, here.rung, choice))
    moments.append(_moment(session))
    return moments


def role_starting_with(loaded: LoadedScenario, choice: str) -> str:
    """The role whose first decision offers ``choice``."""
    scenario = loaded.scenario
    for role in scenario.roles:
        start = scenario.point_by_id.get(role.start)
        if start is not None and any(c.id == choice for c in start.choices):
            return role.id
    starts = ", ".join(f"{r.id}: {r.start}" for r in scenario.roles)
    raise FlashpointError(
        f"no role's first decision offers '{choice}'; give --role, or start the path at a "
        f"role's first decision ({starts})"
    )


def _moment(session: Session) -> Moment:
    fired = tuple(e.event for e in session.entries if isinstance(e, Fired) and e.at == session.node)
    return Moment(session.node, fired, dict(session.indicators), session.rung)


def plan_text(role: str, moments: Sequence[Moment], title: str, origin: str) -> str:
    """A test plan (YAML) that expects exactly what ``moments`` show; ``origin`` says where
    it was recorded from, in a comment."""
    lines = [
        f"# {origin}",
        "plan: 1",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"role: {role}",
        "steps:",
    ]
    for moment in moments[:-1]:
        lines += [
            f"  - at: {moment.node}",
            *_expectations(moment, "    "),
            f"    choose: {moment.choice}",
        ]
    end = moments[-1]
    lines += ["end:", f"  ending: {end.node}", *_expectations(end, "  ")]
    return "\n".join(lines) + "\n"


def _expectations(moment: Moment, indent: str) -> list[str]:
    values = ", ".join(f"{name}: {value}" for name, value in moment.indicators.items())
    return [
        f"{indent}events: [{', '.join(moment.events)}]",
        f"{indent}indicators: {{{values}}}",
        f"{indent}rung: {moment.rung}",
    ]


def record_plan(path: Path, session: Session) -> Path:
    """Write ``session`` (a finished round) as a test plan at ``path``; the plan expects
    exactly what the round showed, so ``flashpoint test`` passes until the scenario changes."""
    if not session.is_over:
        raise FlashpointError(
            f"the round did not reach an ending, so no test plan was written to {path}"
        )
    loaded, role = session.loaded, session.role
    moments = replay(loaded, role, [d.choice for d in session.decisions])
    scenario = loaded.scenario
    ending = scenario.ending_by_id[moments[-1].node]
    title = f"{scenario.role_by_id[role].name}: {len(moments) - 1} decisions to {ending.title}"
    origin = f"Recorded with 'flashpoint play --record-plan' from a round of {loaded.path.name}."
    atomic_write(path, plan_text(role, moments, title, origin), SHARED_FILE)  # asked for by name
    return path


def test_start(loaded: LoadedScenario, point: str, settings: Sequence[str]) -> tuple[str, Test]:
    """The role and the start of an author's test round at ``point`` with ``settings``
    (``NAME=VALUE`` for an indicator, ``rung=ID`` for the ladder); raises
    :class:`FlashpointError` naming what is wrong."""
    scenario = loaded.scenario
    found = scenario.point_by_id.get(point)
    if found is None:
        raise FlashpointError(
            f"no decision point '{point}' in {loaded.path.name}; "
            + did_you_mean(point, scenario.point_by_id)
        )
    values: dict[str, int] = {}
    rung = None
    for setting in settings:
        name, equals, value = setting.partition("=")
        name, value = name.strip(), value.strip()
        if name == "rung" and equals:
            if value not in scenario.rung_index:
                raise FlashpointError(
                    f"--set {setting}: no rung '{value}'; "
                    + did_you_mean(value, scenario.rung_index)
                )
            rung = value
            continue
        indicator = scenario.indicator_by_id.get(name)
        if not equals or indicator is None:
            raise FlashpointError(
                f"--set {setting}: write NAME=VALUE with an indicator's id, or rung=ID; "
                + did_you_mean(name, scenario.indicator_by_id)
            )
        try:
            number = int(value)
        except ValueError:
            raise FlashpointError(f"--set {setting}: '{value}' is not a whole number") from None
        if not indicator.min <= number <= indicator.max:
            raise FlashpointError(
                f"--set {setting}: {name} runs from {indicator.min} to {indicator.max}"
            )
        values[name] = number
    return found.role, Test(point, values, rung)
