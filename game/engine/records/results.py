"""Result records: finding them, reading them safely, and summarising one against its scenario.

Summaries read the record's entries directly (no state machine), so thousands of records can
be aggregated quickly; :mod:`game.engine.classroom.debrief` replays a single record in full.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from game.engine.base.problems import FlashpointError
from game.engine.play.roundfile import RoundError, read_header
from game.engine.play.scoring import divergence, escalation_curve
from game.engine.records.record_fast import fast_record
from game.engine.records.record_rows import RecordedChoice, ResultRecord
from game.engine.records.store import StoreError, json_of, read_round_bytes
from game.engine.scenario.model import Scenario

MATCH_CODE = re.compile(r"[A-Z2-9]{6}")
MAX_SEATS = 8
MAX_ID = 80
"""A record's match section names a few seats, each by a role's id (a report checks it)."""


class RecordError(FlashpointError):
    """A result record that cannot be used; the message names the file and the reason."""


def iter_record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """JSON files named by ``paths``, each folder's (not recursively) in file-name order, so
    that every report lists rounds in the same order on every machine."""
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if entry.name.endswith(".json")
                    and not entry.name.startswith(".")
                    and entry.is_file(follow_symlinks=False)  # no pipes, devices, links
                )
            yield from (path / name for name in names)
        else:
            yield path


def parse_record(path: Path, data: Any) -> ResultRecord:
    """The record in ``data`` (read from ``path``); raises :class:`RecordError`."""
    try:
        header = read_header(data)
        scenario = data["scenario"]
        late = _fallbacks(data.get("match"))
        decisions = tuple(
            RecordedChoice(
                str(e["point"]),
                str(e["choice"]),
                str(e["rung"]),
                str(e.get("rationale", "")),
                float(e.get("seconds", 0.0)),
                (number < len(late) and late[number]) or e.get("automatic") is True,
            )
            for number, e in enumerate([e for e in data["entries"] if e.get("kind") == "decision"])
        )
        rungs = tuple((str(e.get("kind")), str(e["rung"])) for e in data["entries"])
        state = data.get("state") or {}
        ending = state.get("ending")
        finished = data.get("finished")
        return ResultRecord(
            path=path,
            round_id=header["round"],
            scenario_id=header["scenario_id"],
            scenario_title=str(scenario.get("title", header["scenario_id"])),
            sha256=header["sha256"],
            scenario_file=str(scenario.get("file", "")),
            role=header["role"],
            player=str(data.get("player", "")),
            status=str(data.get("status", "")),
            started=float(data["started"]),
            finished=float(finished) if finished is not None else None,
            decisions=decisions,
            ending=str(ending) if ending is not None else None,
            rungs=rungs,
            date=str(state.get("date") or ""),
            match=_match_code(data.get("match")),
            history_seats=_history_seats(data.get("match")),
        )
    except RoundError as error:
        raise RecordError(f"{path}: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordError(f"{path}: the record is incomplete or damaged ({error})") from None


def _match_code(section: Any) -> str:
    """The match code of a record's ``match`` section, or "" (a debrief checks the rest)."""
    code = section.get("code") if isinstance(section, dict) else None
    return code if isinstance(code, str) and MATCH_CODE.fullmatch(code) else ""


def _history_seats(section: Any) -> tuple[str, ...]:
    """The seats of a record's ``match`` section no classmate sat in (no player's name) while
    turns were played, other than the record's own; a report names them as history's moves."""
    if not _match_code(section) or not isinstance(section.get("players"), dict):
        return ()
    if not isinstance(section.get("turns"), list) or not section["turns"]:
        return ()  # nothing was played: an empty seat, not history's moves
    own = section.get("seat")
    return tuple(
        seat
        for seat, name in list(section["players"].items())[:MAX_SEATS]
        if name == "" and seat != own and isinstance(seat, str) and len(seat) <= MAX_ID
    )


def _fallbacks(section: Any) -> list[bool]:
    """Per turn of a record's ``match`` section, whether the record's own seat got the
    scenario's fallback (it was silent past the deadline). A seat decides once per turn, so
    the n-th turn is the n-th decision of the record (the opening is not in its entries)."""
    if not isinstance(section, dict) or not isinstance(section.get("turns"), list):
        return []
    seat = section.get("seat")
    late = []
    for turn in section["turns"]:
        moves = turn.get("moves") if isinstance(turn, dict) else None
        move = moves.get(seat) if isinstance(moves, dict) and isinstance(seat, str) else None
        late.append(isinstance(move, dict) and move.get("fallback") is True)
    return late


def read_record(path: Path) -> ResultRecord:
    """The record in ``path``; raises :class:`RecordError` naming the file. A sound record is
    accepted by :mod:`game.engine.records.record_fast`; anything else is read the careful way."""
    try:
        raw = read_round_bytes(path)
        record = fast_record(path, raw)
        if record is not None:
            return record
        data = json_of(path, raw)
    except StoreError as error:
        raise RecordError(str(error)) from None
    return parse_record(path, data)


@dataclass(frozen=True)
class Summary:
    """A record measured against its scenario."""

    matches: tuple[bool | None, ...]
    """Per decision, whether it is what the government did; ``None`` for an automatic move
    (a match's fallback), which is not the student's and is never scored."""
    curve: tuple[int, ...]
    divergence: int | None
    """``None`` when every decision was an automatic move (nothing of the student's to score)."""

    @cached_property  # a class's rounds share a handful of summaries (Group.summarise)
    def matched(self) -> int:
        """The student's own decisions that matched history."""
        return sum(m is True for m in self.matches)

    @cached_property
    def decided(self) -> int:
        """The student's own decisions (automatic moves left out)."""
        return sum(m is not None for m in self.matches)


def summarise(record: ResultRecord, scenario: Scenario) -> Summary:
    """Compare ``record`` with ``scenario``'s history; raises :class:`RecordError` if it
    names points, choices, rungs or an ending the scenario does not have."""
    points, index, offered = scenario.point_by_id, scenario.rung_index, scenario.choice_ids
    matches: list[bool | None] = []
    for decision in record.decisions:
        if decision.choice not in offered.get(decision.point, ()):
            raise RecordError(
                f"{record.path}: decision '{decision.point}.{decision.choice}' "
                "is not in this version of the scenario"
            )
        if decision.fallback:
            matches.append(None)
        else:
            matches.append(points[decision.point].history.choice == decision.choice)
    ending = None
    if record.ending is not None:
        ending = scenario.ending_by_id.get(record.ending)
        if ending is None:
            raise RecordError(f"{record.path}: ending '{record.ending}' is not in the scenario")
    unknown = [rung for _, rung in record.rungs if rung not in index]
    if unknown:
        raise RecordError(f"{record.path}: rung '{unknown[0]}' is not in the scenario")
    curve = escalation_curve((kind, index[rung]) for kind, rung in record.rungs)
    return Summary(tuple(matches), tuple(curve), divergence(matches, ending))
