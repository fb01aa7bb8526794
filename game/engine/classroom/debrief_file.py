"""The debrief of a saved round or result record, of one student or of a match seat.

Above both :mod:`game.engine.classroom.debrief` (a round's debrief) and
:mod:`game.engine.classroom.match_debrief` (a match seat's record and its debrief), so that neither
imports the other's reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.engine.checks import loader
from game.engine.classroom.debrief import Debrief, debrief
from game.engine.classroom.match_debrief import match_debrief, replay_record
from game.engine.play.roundfile import read_header
from game.engine.play.session import Session
from game.engine.records import catalog
from game.engine.records.finished import Finished
from game.engine.records.store import read_json
from game.engine.scenario.loaded import LoadedScenario


def from_record(data: dict[str, Any], scenario: Path | None = None) -> tuple[Debrief, str]:
    """The debrief of a saved round or result record, and a note if its scenario changed.

    The scenario is ``scenario`` if given, else the bundled scenario with the record's id; the
    file a record names is never opened (a crafted record could name any file). Raises
    :class:`RoundError` if the round cannot be replayed.
    """
    header = read_header(data)
    loaded = loader.load(scenario) if scenario is not None else catalog.load(header["scenario_id"])
    if "match" in data:
        report = match_debrief(replay_record(loaded, data)[0])
        return report, _changed(header, loaded)
    session = Session.resume(loaded, data)
    return debrief(session), _changed(header, loaded)


def _changed(header: dict[str, Any], loaded: LoadedScenario) -> str:
    if header["sha256"] and header["sha256"] != loaded.sha256:
        return (
            f"The scenario file {loaded.path.name} has changed since this round was played; "
            "the round still plays out the same way, and the text below is the current one."
        )
    return ""


def reopen(finished: Finished) -> tuple[Session, Debrief, str]:
    """A finished round read back from its record: the round (for its sources and notes), its
    debrief, and a note if its scenario changed. Raises :class:`FlashpointError`."""
    data = read_json(finished.path)
    header = read_header(data)
    recorded = str(data["scenario"].get("file", ""))  # as a saved round is continued
    loaded = catalog.load_for(header["scenario_id"], recorded)
    session = Session.resume(loaded, data)
    return session, debrief(session), _changed(header, loaded)
