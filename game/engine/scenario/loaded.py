"""A scenario as loaded: the model, the file's digest and what validating it learned.

It lives apart from :mod:`game.engine.checks.loader` (which reads and validates) so that the modules
that play a loaded scenario need not import the validator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.engine.base.problems import Problem
from game.engine.scenario.conditions import Condition
from game.engine.scenario.graph import Graph
from game.engine.scenario.model import Scenario
from game.engine.scenario.sources import SourceTexts


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
    machines: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Each role's state machine (and the match's), built when its first round starts and
    kept here by :mod:`game.engine.play.machine`, which alone reads them (a scenario is loaded
    below the machines that play it, so this module does not know their type)."""
