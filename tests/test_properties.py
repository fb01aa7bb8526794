"""Property tests: mutated scenarios never crash the loader; random rounds keep every promise."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.base.problems import ScenarioError
from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.scenario.loaded import LoadedScenario
from tests.conftest import FLAGSHIP, MINI, ROOT, deep_or_ci

HOSTILE_TEXT = st.sampled_from(
    [
        "[@click=app.quit]x[/]",
        "[/bold]",
        "[b]x[/i]",
        "trailing\\",
        "\u200b\u200f",
        "x" * 3000,
        "",
        " ",
        "no",
        "1:30",
        "2024-01-16",
        ".nan",
        "~",
        "null",
        "<<",
        "&a",
        "*a",
        "!!python/name:os",
        "os.system",
        "tension >= 60 and",
        "chose(",
        "\u202e",
        "\x1b[31m",
        "\u0000",
    ]
)
OTHER_VALUES = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    HOSTILE_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def paths_into(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key or index path into a parsed YAML document."""
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths_into(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths_into(value, (*prefix, index))
    return found


def mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    *parents, last = path
    holder = document
    for step in parents:
        holder = holder[step]
    if action == "delete":
        del holder[last]
    elif action == "replace":
        holder[last] = value
    elif action == "hostile" and isinstance(holder[last], str):
        holder[last] = value if isinstance(value, str) else holder[last] + str(value)
    return document


@functools.cache
def parsed(path: Path) -> Any:
    """The scenario's YAML document, parsed once per process when a test first needs it (not
    while collecting, which the fast subset pays too)."""
    return yaml.safe_load(path.read_text())


@settings(
    max_examples=deep_or_ci(120, 40),  # each example validates a whole mutated scenario
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_scenarios_load_or_fail_with_our_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    source = data.draw(st.sampled_from((FLAGSHIP, MINI)))
    document = json.loads(json.dumps(parsed(source), default=str))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = paths_into(document)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["delete", "replace", "hostile"]))
        document = mutate(document, path, action, data.draw(OTHER_VALUES))
    folder = tmp_path_factory.mktemp("mutant")
    (folder / "seeds").symlink_to(
        source.parent / "seeds" if (source.parent / "seeds").is_dir() else ROOT / "seeds"
    )
    target = folder / "mutant.yaml"
    target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    loaded, problems = loader.check(target)
    assert (loaded is None) == bool(problems.errors)
    for problem in problems:
        assert problem.file == str(target) and problem.message
    try:
        loader.load(target)
    except ScenarioError as error:
        assert error.problems


ROLES = [(path, role.id) for path in (FLAGSHIP, MINI) for role in loader.load(path).scenario.roles]
LOADED: dict[Path, LoadedScenario] = {}


def loaded_for(path: Path) -> LoadedScenario:
    if path not in LOADED:
        LOADED[path] = loader.load(path)
    return LOADED[path]


def play_out(session: Session, picks: list[int]) -> None:
    for pick in picks:
        if session.is_over:
            return
        session.choose(session.choices[pick % len(session.choices)].id)


@settings(max_examples=150, deadline=None)
@given(
    target=st.sampled_from(ROLES),
    picks=st.lists(st.integers(0, 4), min_size=12, max_size=12),
    save_at=st.integers(0, 11),
)
def test_random_rounds_keep_every_promise(
    target: tuple[Path, str], picks: list[int], save_at: int
) -> None:
    loaded = loaded_for(target[0])
    scenario = loaded.scenario
    session = Session.start(loaded, target[1], clock=lambda: 5.0)
    play_out(session, picks[:save_at])
    saved = json.loads(json.dumps(session.to_dict()))
    play_out(session, picks[save_at:])
    assert session.is_over, "every round ends within a dozen decisions"
    assert session.ending is not None and session.ending.id in scenario.ending_by_id
    assert 0 <= session.rung_position < len(scenario.ladder)
    for entry in session.entries:
        for name, value in entry.after.items():
            bounds = scenario.indicator_by_id[name]
            assert bounds.min <= value <= bounds.max
    resumed = Session.resume(loaded, saved, clock=lambda: 5.0)
    play_out(resumed, picks[save_at:])
    assert resumed.to_dict()["state"] == session.to_dict()["state"]
    assert [e.get("choice") for e in resumed.to_dict()["entries"]] == [
        e.get("choice") for e in session.to_dict()["entries"]
    ]
