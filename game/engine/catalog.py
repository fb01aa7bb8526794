"""The scenarios that ship with Flashpoint, and finding a scenario by path or id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine import loader
from game.engine.problems import FlashpointError

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_folder() -> Path:
    """The bundled ``scenarios/`` folder: inside the installed package, or in the checkout."""
    installed = _PACKAGE / "bundled" / "scenarios"
    return installed if installed.is_dir() else _PACKAGE.parent / "scenarios"


@dataclass(frozen=True)
class Listing:
    """A bundled scenario, as the title screen lists it."""

    path: Path
    id: str
    title: str
    summary: str
    minutes: int
    roles: tuple[tuple[str, str], ...]
    """(id, name) of each role."""


def bundled() -> list[Listing]:
    """Every bundled scenario that loads, in file-name order."""
    listings = []
    for path in loader.scenario_files([bundled_folder()]):
        loaded, _ = loader.check(path)
        if loaded is None:
            continue
        scenario = loaded.scenario
        listings.append(
            Listing(
                path,
                scenario.id,
                scenario.title,
                scenario.summary,
                scenario.minutes,
                tuple((r.id, r.name) for r in scenario.roles),
            )
        )
    return listings


def resolve(name: str) -> Path:
    """The scenario file ``name`` refers to: a path, or the id of a bundled scenario."""
    path = Path(name)
    if path.is_file():
        return path
    candidates = loader.scenario_files([bundled_folder()])
    by_stem = [p for p in candidates if name in (p.stem, p.stem.replace("-", "_"))]
    for candidate in by_stem or candidates:
        loaded, _ = loader.check(candidate)
        if loaded is not None and loaded.scenario.id == name:
            return candidate
    if by_stem:
        return by_stem[0]
    known = ", ".join(p.stem for p in candidates)
    raise FlashpointError(
        f"no scenario file or bundled scenario called '{name}'"
        + (f"; bundled: {known}" if known else "")
    )


def load_for(scenario_id: str, recorded_file: str = "") -> loader.LoadedScenario:
    """The scenario of a saved round: the file it recorded if that file still holds the same
    scenario, else the bundled scenario with its id. Raises FlashpointError if neither."""
    if recorded_file and Path(recorded_file).is_file():
        loaded, _ = loader.check(Path(recorded_file))
        if loaded is not None and loaded.scenario.id == scenario_id:
            return loaded
    return loader.load(resolve(scenario_id))
