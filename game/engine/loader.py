"""Loading scenario files: read safely, decode into the model, validate, and report."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from game.engine import safeyaml
from game.engine.decode import read_scenario
from game.engine.graph import Graph
from game.engine.model import Scenario
from game.engine.problems import Mark, Problem, Problems, ScenarioError
from game.engine.sources import SourceTexts, seeds_folder
from game.engine.validate import Condition, validate

SCENARIO_SUFFIXES = (".yaml", ".yml")
PLAN_SUFFIX = ".plan.yaml"


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and what was learned while loading it."""

    path: Path
    scenario: Scenario
    sha256: str
    """SHA-256 of the file's bytes, recorded in saves and results."""
    texts: SourceTexts
    conditions: dict[str, Condition]
    graph: Graph
    warnings: tuple[Problem, ...]


def check(path: Path) -> tuple[LoadedScenario | None, Problems]:
    """Load ``path`` and every problem found; the scenario is ``None`` when there are errors."""
    problems = Problems(str(path))
    data = safeyaml.read_bytes(path, problems)
    text = None if data is None else safeyaml.decode(data, problems)
    node = None if text is None else safeyaml.parse(text, problems)
    scenario = None if node is None else read_scenario(node, problems)
    if scenario is None or data is None:
        return None, problems
    texts = SourceTexts(seeds_folder(path))
    checked = validate(scenario, texts, problems)
    if checked is None:
        return None, problems
    loaded = LoadedScenario(
        path=path,
        scenario=scenario,
        sha256=hashlib.sha256(data).hexdigest(),
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


def is_scenario_file(path: Path) -> bool:
    """Whether ``path`` names a scenario (a YAML file that is not a test plan)."""
    return path.suffix in SCENARIO_SUFFIXES and not path.name.endswith(PLAN_SUFFIX)


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The scenario files named by ``paths``, folders expanded (not recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and is_scenario_file(p)))
        elif path.exists():
            found.append(path)
        else:
            raise ScenarioError([Problem(str(path), Mark(), "no such file or folder")])
    return found
