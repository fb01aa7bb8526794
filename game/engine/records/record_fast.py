"""Accepting a sound result record quickly: the round file's rules as msgspec types.

A class report reads thousands of records. Parsing each with ``json`` and checking its eighty
or so fields in Python (:func:`game.engine.play.roundfile.read_header`) costs about 45 µs a record,
twice what reading and parsing alone cost. Here msgspec decodes the bytes straight into typed
structures, checking types, lengths and ranges in C as it goes; ids and the few patterns are
checked after, against the set of ids already found valid.

This is only a way to *accept* a record: :func:`fast_record` returns ``None`` for anything it
does not accept (an unknown field, a match section, a wrong type, bad JSON), and the caller
then reads the record the careful way, which decides and says what is wrong. So the rules
here are never looser than ``read_header``'s: every field is known (``forbid_unknown_fields``),
every number bounded, every text capped. ``tests/test_record_fast.py`` checks, over real and
mutated records, that whatever this accepts the careful reading accepts with the same result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from game.engine.play.roundfile import (
    DATE,
    ID,
    LATEST_TIME,
    MAX_ENTRIES,
    MAX_TEXT,
    REVEAL_POLICIES,
    ROUND_ID,
    SHA256,
    all_ids,
)
from game.engine.records.record_rows import RecordedChoice, ResultRecord

_Time = Annotated[float, Meta(ge=0, le=LATEST_TIME)]
_Values = Annotated[dict[str, Annotated[int, Meta(ge=-(10**9), le=10**9)]], Meta(max_length=100)]


class _Decision(Struct, tag="decision", tag_field="kind", forbid_unknown_fields=True):
    point: str
    choice: str
    rung: str
    time: _Time
    after: _Values
    before: _Values
    rationale: Annotated[str, Meta(max_length=MAX_TEXT)] = ""
    seconds: _Time = 0.0
    automatic: bool = False


class _Event(Struct, tag="event", tag_field="kind", forbid_unknown_fields=True):
    event: str
    at: str
    rung: str
    time: _Time
    after: _Values


class _Scenario(Struct, forbid_unknown_fields=True):
    id: str
    sha256: Annotated[str, Meta(max_length=64)] = ""
    title: Annotated[str, Meta(max_length=300)] | UnsetType = UNSET
    file: Annotated[str, Meta(max_length=4096)] = ""


class _State(Struct, forbid_unknown_fields=True):
    node: str
    rung: str
    indicators: _Values
    ending: str | None = None
    date: str | None = None


class _Settings(Struct, forbid_unknown_fields=True):
    reveal: Literal["immediate", "debrief"] | None = None


class _RoundFile(Struct, forbid_unknown_fields=True):
    format: Literal["flashpoint-round"]
    version: Literal[1]
    round: str
    scenario: _Scenario
    role: str
    started: _Time
    entries: Annotated[list[_Decision | _Event], Meta(max_length=MAX_ENTRIES)]
    role_name: Annotated[str, Meta(max_length=300)] = ""
    player: Annotated[str, Meta(max_length=80)] = ""
    status: Literal["playing", "finished", "abandoned"] | UnsetType = UNSET
    finished: _Time | None = None
    state: _State | None = None
    settings: _Settings | None = None


assert REVEAL_POLICIES == ("immediate", "debrief")  # _Settings spells them out for msgspec
_DECODER = msgspec.json.Decoder(_RoundFile)
_new = tuple.__new__
"""A named tuple made as its own ``__new__`` makes it, without that call through Python
(twice as fast; a class's decisions are read by the ten thousand)."""


def fast_record(path: Path, data: bytes) -> ResultRecord | None:
    """The record in ``data`` if it is sound and plainly so; ``None`` means "read it the
    careful way" (:func:`game.engine.records.results.parse_record`), not that it is damaged."""
    try:
        round_file = _DECODER.decode(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return None
    if not _patterns_hold(round_file):
        return None
    scenario, state = round_file.scenario, round_file.state
    decisions = []
    rungs = []
    for entry in round_file.entries:
        if isinstance(entry, _Decision):
            rungs.append(("decision", entry.rung))
            decisions.append(
                _new(  # every field, in order: tests/test_record_fast.py compares
                    RecordedChoice,
                    (
                        entry.point,
                        entry.choice,
                        entry.rung,
                        entry.rationale,
                        entry.seconds,
                        entry.automatic,
                    ),
                )
            )
        else:
            rungs.append(("event", entry.rung))
    status = round_file.status
    return ResultRecord(
        path=path,
        round_id=round_file.round,
        scenario_id=scenario.id,
        scenario_title=scenario.id if scenario.title is UNSET else scenario.title,
        sha256=scenario.sha256,
        scenario_file=scenario.file,
        role=round_file.role,
        player=round_file.player,
        status="" if status is UNSET else status,
        started=round_file.started,
        finished=round_file.finished,
        decisions=tuple(decisions),
        ending=None if state is None else state.ending,
        rungs=tuple(rungs),
        date=(state.date or "") if state is not None else "",
    )


def _patterns_hold(round_file: _RoundFile) -> bool:
    """The checks msgspec's types do not make: ids, the round id, the digest and the date."""
    scenario, state = round_file.scenario, round_file.state
    if not ROUND_ID.fullmatch(round_file.round) or not ID.fullmatch(scenario.id):
        return False
    if scenario.sha256 and not SHA256.fullmatch(scenario.sha256):
        return False
    names = [round_file.role]
    for entry in round_file.entries:
        if isinstance(entry, _Decision):
            names += (entry.point, entry.choice, entry.rung, *entry.after, *entry.before)
        else:
            names += (entry.event, entry.at, entry.rung, *entry.after)
    if state is not None:
        names += (state.node, state.rung, *state.indicators)
        if state.ending is not None:
            names.append(state.ending)
        if state.date is not None and not DATE.fullmatch(state.date):
            return False
    return all_ids(names)
