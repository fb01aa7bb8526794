"""Strings from a scenario never reach Python: no callbacks, no collisions with the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.play.session import Session

HOSTILE_IDS = (
    "save",
    "to_end",
    "trigger",
    "state",
    "machine",
    "may_trigger",
    "is_state",
    "os_system",
    "eval",
    "choose",
    "__init__".strip("_") or "init",
)

TEMPLATE = """\
format: 1
id: hostile
title: Names that look like machinery
summary: Ids chosen to collide with transitions and the session.
authors: [Test]
reading_level: Anyone
minutes: 1
phases: [{{id: {a}, name: A}}]
sources: []
roles: [{{id: {b}, name: B, briefing: b, start: {c}}}]
indicators: [{{id: {d}, name: D, start: 1}}]
ladder: [{{id: {e}, name: E}}]
points:
  - id: {c}
    phase: {a}
    date: 2024-01-01
    role: {b}
    title: t
    narrative: n
    counterfactual: invented
    history: {{summary: s}}
    choices:
      - {{id: {f}, label: l, consequence: c, rung: {e}, effects: {{{d}: 1}}, next: {g},
         counterfactual: x}}
      - id: {h}
        label: l
        consequence: c
        rung: {e}
        branches:
          - {{when: "{d} >= 1 and chose({c}.{f})", next: {c}_two}}
          - {{next: {g}}}
        counterfactual: x
  - id: {c}_two
    phase: {a}
    date: 2024-01-01
    role: {b}
    title: t
    narrative: n
    counterfactual: invented
    history: {{summary: s}}
    choices:
      - {{id: {f}, label: l, consequence: c, rung: {e}, next: {g}, counterfactual: x}}
      - {{id: {h}, label: l, consequence: c, rung: {e}, next: {g}, counterfactual: x}}
endings:
  - {{id: {g}, title: t, text: t, assessment: a, distance: 0}}
"""


@pytest.fixture
def no_shell(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def record(command: str) -> int:
        calls.append(command)
        return 0

    monkeypatch.setattr(os, "system", record)
    return calls


@pytest.mark.parametrize("offset", range(4))
def test_machine_names_as_ids_play_normally(
    tmp_path: Path, offset: int, no_shell: list[str]
) -> None:
    names = [HOSTILE_IDS[(offset + n) % len(HOSTILE_IDS)] for n in range(8)]
    keys = dict(zip("abcdefgh", names, strict=True))
    path = tmp_path / "hostile.yaml"
    path.write_text(TEMPLATE.format(**keys))
    before = {name: Session.__dict__.get(name) for name in (*HOSTILE_IDS, *names)}
    loaded = loader.load(path)
    session = Session.start(loaded, keys["b"])
    session.choose(keys["f"])
    assert session.ending is not None and session.ending.id == keys["g"]
    # the machine named nothing after the scenario's ids, on the class or on the round
    assert {name: Session.__dict__.get(name) for name in before} == before
    assert not set(getattr(session, "__dict__", {})) & set(names)
    assert session.choose.__func__ is before["choose"]  # type: ignore[attr-defined]
    assert no_shell == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("next: end,\n", "next: end, after: os.system,\n", "unknown key 'after' in Choice"),
        ("next: end,\n", "next: end, on_enter: os.system,\n", "unknown key 'on_enter' in Choice"),
        ('when: "tension >= 1', 'when: "os.system(1) or tension >= 1', "'os.system' is not a name"),
        ('when: "tension >= 1', 'when: "eval(tension) or tension >= 1', "unexpected '('"),
        ("next: end,\n", "next: os.system,\n", "'os.system' is not a valid id"),
    ],
)
def test_callback_strings_are_refused(
    tmp_path: Path, no_shell: list[str], old: str, new: str, message: str
) -> None:
    text = TEMPLATE.format(
        a="p", b="r", c="start", d="tension", e="calm", f="go", g="end", h="other"
    )
    assert old in text
    path = tmp_path / "callbacks.yaml"
    path.write_text(text.replace(old, new, 1))
    loaded, problems = loader.check(path)
    assert loaded is None
    assert message in "\n".join(str(p) for p in problems.errors)
    assert no_shell == []


def test_transitions_only_ever_receives_closures(mini: loader.LoadedScenario) -> None:
    session = Session.start(mini, "south")
    machine = session._machine
    assert machine is not None
    for event in machine.machine.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                for condition in transition.conditions:
                    assert callable(condition.func) and not isinstance(condition.func, str)
                for callbacks in (transition.before, transition.after, transition.prepare):
                    assert callbacks == []
    assert set(machine.triggers.values()) == {f"choice_{n}" for n in range(5)}
