"""What the command line asks the full-screen game to start with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.play.session import Test
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Reveal


@dataclass(frozen=True)
class StartRequest:
    """What the command line asked for: a scenario and role to go straight into, or nothing."""

    scenario: Path | None = None
    loaded: LoadedScenario | None = None
    """``scenario``, already loaded by the command line (so it is not loaded twice)."""
    role: str | None = None
    player: str = ""
    reveal: Reveal | None = None
    """Overrides the scenario's reveal policy for new rounds; can only tighten a resumed one."""
    resume: bool = False
    """Continue the latest saved round (of ``scenario`` and ``role``) instead of a new one."""
    offered: tuple[Path, ...] = ()
    """The scenarios the title screen lists (all bundled ones if empty)."""
    test: Test | None = None
    """An author's test round: where it starts and with which values (``--from``/``--set``)."""
    record_plan: Path | None = None
    """Where to write the round as a test plan when it ends (``--record-plan``)."""
    notes: tuple[str, ...] | None = None
    """What preparing the data folder found (``RoundStore.prepare``), when the command line
    prepared it already; ``None``: the game prepares it when it starts."""
    class_folder: Path | None = None
    """The class the game is played in (``--class-folder``): its rounds follow the
    teacher's pacing there."""
