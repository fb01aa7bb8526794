"""Loading scenario files: read safely, decode into the model, validate, and report."""

from __future__ import annotations

from pathlib import Path

from game.engine.base.digest import sha256_hex
from game.engine.base.problems import Problems
from game.engine.checks.validate import validate
from game.engine.scenario import includes, safeyaml
from game.engine.scenario.decode import read_scenario
from game.engine.scenario.files import (
    PLAN_SUFFIX,
    SCENARIO_SUFFIXES,
    is_scenario_file,
    scenario_files,
)
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.sources import SourceTexts, seeds_folder


def check(path: Path) -> tuple[LoadedScenario | None, Problems]:
    """Load ``path`` and every problem found; the scenario is ``None`` when there are errors."""
    problems = Problems(str(path))
    data = safeyaml.read_bytes(path, problems)
    text = None if data is None else safeyaml.decode(data, problems)
    node = None if text is None else safeyaml.parse(text, problems)
    parts = (
        None if node is None or data is None else includes.merge(node, path, len(data), problems)
    )
    scenario = None if node is None or parts is None else read_scenario(node, problems)
    if scenario is None or data is None or parts is None:
        return None, problems
    texts = SourceTexts(seeds_folder(path))
    checked = validate(scenario, texts, problems)
    if checked is None:
        return None, problems
    loaded = LoadedScenario(
        path=path,
        scenario=scenario,
        sha256=sha256_hex(b"".join([data, *parts])),
        texts=texts,
        conditions=checked.conditions,
        graph=checked.graph,
        warnings=tuple(problems.warnings),
    )
    return loaded, problems


def load(path: Path) -> LoadedScenario:
    """The validated scenario in ``path``; raises :class:`ScenarioError` listing every error."""
    loaded, problems = check(path)
    problems.raise_if_errors()
    assert loaded is not None
    return loaded


__all__ = [
    "PLAN_SUFFIX",
    "SCENARIO_SUFFIXES",
    "LoadedScenario",
    "check",
    "is_scenario_file",
    "load",
    "scenario_files",
]
