"""Which files are scenarios and which are test plans (no parsing, so cheap to import)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from game.engine.base.problems import Mark, Problem, ScenarioError

SCENARIO_SUFFIXES = (".yaml", ".yml")
PLAN_SUFFIX = ".plan.yaml"


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
