"""The rounds a student has finished, listed from their results so that a student who closed
the tab can open a debrief again (the title screen), without loading any scenario."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine.base.problems import FlashpointError
from game.engine.play.roundfile import read_header
from game.engine.records.store import MAX_LISTED, RoundStore, read_json


@dataclass(frozen=True)
class Finished:
    """A round the student finished, whose debrief they can open again."""

    path: Path
    round_id: str
    scenario_title: str
    role_name: str
    player: str
    finished: float


def finished_rounds(store: RoundStore, limit: int = MAX_LISTED) -> list[Finished]:
    """The ``limit`` most recently finished rounds of one student (not match seats: a match
    is reopened by its code), newest first; a record that cannot be read is left out (the
    class report names it)."""
    found: list[Finished] = []
    for _, path in RoundStore.newest(store.results, []):
        if len(found) >= limit:
            break
        try:
            data = read_json(path)
            header = read_header(data)
        except FlashpointError:
            continue
        if data.get("status") != "finished" or "match" in data:
            continue
        title = str(data["scenario"].get("title") or header["scenario_id"])
        role = str(data.get("role_name") or header["role"])
        player = str(data.get("player", ""))
        at = float(data.get("finished") or 0.0)
        found.append(Finished(path, header["round"], title, role, player, at))
    return found
