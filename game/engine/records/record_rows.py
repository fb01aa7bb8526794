"""The rows a result record is read into: what class reports, the live view and the
gradebook use of a record (:mod:`game.engine.records.results` reads them carefully,
:mod:`game.engine.records.record_fast` quickly)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class RecordedChoice(NamedTuple):
    """One decision as a record keeps it. Records are rows read by the thousand: named tuples,
    which are built four times faster than frozen dataclasses."""

    point: str
    choice: str
    rung: str
    rationale: str
    seconds: float
    fallback: bool = False
    """An automatic move: the seat of a match was silent past the deadline and the scenario's
    fallback stood. Never the student's choice: not scored, counted apart."""


class ResultRecord(NamedTuple):
    """The parts of a result record that reports use."""

    path: Path
    round_id: str
    scenario_id: str
    scenario_title: str
    sha256: str
    scenario_file: str
    role: str
    player: str
    status: str
    started: float
    finished: float | None
    decisions: tuple[RecordedChoice, ...]
    ending: str | None
    rungs: tuple[tuple[str, str], ...]
    """(kind, rung) of every entry in order, for the escalation curve."""
    date: str = ""
    """The in-game date the round stands at (ISO), as its state records it."""
    match: str = ""
    """The code of the head-to-head match the round was one seat of, if any."""
    history_seats: tuple[str, ...] = ()
    """The match's other seats no classmate sat in: history's moves were played for them,
    nobody's (never anyone's "no move in time")."""
