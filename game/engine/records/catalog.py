"""The scenarios that ship with Flashpoint, and finding a scenario by path or id."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game import __version__
from game.engine.base.digest import sha256_hex
from game.engine.base.problems import FlashpointError
from game.engine.base.safefile import MAX_SCENARIO_BYTES, read_regular
from game.engine.play.roundfile import parse_json
from game.engine.records.store import StoreError, atomic_write
from game.engine.scenario.files import scenario_files

if TYPE_CHECKING:
    from game.engine.scenario.loaded import LoadedScenario

LISTING_CACHE = "listings.json"
MAX_CACHE_BYTES = 1024 * 1024

_PACKAGE = Path(__file__).resolve().parents[2]  # the game package


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


def listings(
    cache: Path | None = None,
    files: Sequence[Path] = (),
    folders: Sequence[Path] = (),
    skipped: list[Path] | None = None,
) -> list[Listing]:
    """Every bundled scenario that loads, in file-name order, then those in ``folders`` (such
    as the data folder's ``scenarios/``); or only the scenario ``files``, in the order given,
    when the teacher chose them. Files given or found in ``folders`` that do not load are
    added to ``skipped`` (bundled ones always load: the suite checks them).

    With ``cache`` (a folder), the listing of each scenario that validated is kept in
    ``cache/listings.json`` under the SHA-256 of its file, so the title screen needs to parse
    and validate a scenario only after it changes.
    """
    known = _read_cache(cache)
    found, fresh = [], {}
    own = list(files) or scenario_files([f for f in folders if f.is_dir()])
    everything = list(files) or [*scenario_files([bundled_folder()]), *own]
    for path in everything:
        try:
            digest = sha256_hex(read_regular(path, MAX_SCENARIO_BYTES))
        except OSError:
            digest = ""
        entry = (known.get(digest) or _listing_data(path)) if digest else None
        if entry is None:
            if skipped is not None and path in own:
                skipped.append(path)
            continue
        fresh[digest] = entry
        found.append(
            Listing(
                path,
                entry["id"],
                entry["title"],
                entry["summary"],
                entry["minutes"],
                tuple(tuple(r) for r in entry["roles"]),
            )
        )
    if cache is not None and fresh != known:
        _write_cache(cache, fresh)
    return found


def _listing_data(path: Path) -> dict[str, Any] | None:
    from game.engine.checks import loader

    loaded, _ = loader.check(path)
    if loaded is None:
        return None
    scenario = loaded.scenario
    return {
        "id": scenario.id,
        "title": scenario.title,
        "summary": scenario.summary,
        "minutes": scenario.minutes,
        "roles": [[r.id, r.name] for r in scenario.roles],
    }


def _read_cache(cache: Path | None) -> dict[str, dict[str, Any]]:
    if cache is None:
        return {}
    try:
        raw = read_regular(cache / LISTING_CACHE, MAX_CACHE_BYTES, follow_links=False)
        data = parse_json(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != __version__:
        return {}
    entries = data.get("listings")
    return (
        entries
        if isinstance(entries, dict) and all(_valid_entry(e) for e in entries.values())
        else {}
    )


def _valid_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("id", "title", "summary"))
        and isinstance(entry.get("minutes"), int)
        and isinstance(entry.get("roles"), list)
        and all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r)
            for r in entry["roles"]
        )
    )


def _write_cache(cache: Path, entries: dict[str, dict[str, Any]]) -> None:
    with contextlib.suppress(OSError, StoreError):
        cache.mkdir(parents=True, exist_ok=True)
        atomic_write(
            cache / LISTING_CACHE, json.dumps({"version": __version__, "listings": entries})
        )


def resolve(name: str) -> Path:
    """The scenario file ``name`` refers to: a path, or the id of a bundled scenario."""
    return _find(name)[0]


def load(name: str) -> LoadedScenario:
    """The scenario ``name`` refers to, loaded once: a bundled scenario found by its id is
    not loaded again; a file with problems raises :class:`ScenarioError`."""
    from game.engine.checks import loader

    path, loaded = _find(name)
    return loaded if loaded is not None else loader.load(path)


def _find(name: str) -> tuple[Path, LoadedScenario | None]:
    """The file ``name`` refers to, and the scenario if finding it meant loading it."""
    path = Path(name)
    if path.is_file():
        return path, None
    from game.engine.checks import loader

    candidates = scenario_files([bundled_folder()])
    by_stem = [p for p in candidates if name in (p.stem, p.stem.replace("-", "_"))]
    for candidate in by_stem or candidates:
        loaded, _ = loader.check(candidate)
        if loaded is not None and loaded.scenario.id == name:
            return candidate, loaded
    if by_stem:
        return by_stem[0], None
    known = ", ".join(p.stem for p in candidates)
    raise FlashpointError(
        f"no scenario file or bundled scenario called '{name}'"
        + (f"; bundled: {known}" if known else "")
    )


def load_for(scenario_id: str, recorded_file: str = "") -> LoadedScenario:
    """The scenario of a saved round: the file it recorded if that file still holds the same
    scenario, else the bundled scenario with its id. Raises FlashpointError if neither."""
    from game.engine.checks import loader

    if recorded_file and Path(recorded_file).is_file():
        loaded, _ = loader.check(Path(recorded_file))
        if loaded is not None and loaded.scenario.id == scenario_id:
            return loaded
    return load(scenario_id)
