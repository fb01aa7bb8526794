"""The round file format (saves and result records): its name, version, and a full check.

A round file comes from outside (a student's folder, a shared drive, an e-mail), so every
field is checked for type, length and range before anything uses it: ids and names that can
reach a file name match a strict pattern in full, numbers are finite and in range, lists are
bounded. Kept apart from the session so that listing saves and results needs no state machine.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from game.engine.base.ids import ID_PATTERN
from game.engine.base.problems import FlashpointError

ROUND_FORMAT = "flashpoint-round"
ROUND_VERSION = 1

ROUND_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,127}")
"""A round id: also its file name, so nothing that could leave a folder or hide a file."""
ID = re.compile(ID_PATTERN.strip("^$"))
SHA256 = re.compile(r"[0-9a-f]{64}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATUSES = ("playing", "finished", "abandoned")
REVEAL_POLICIES = ("immediate", "debrief")
MAX_ENTRIES = 5000
MAX_TEXT = 1000
MAX_DIGITS = 18
LATEST_TIME = 32_503_680_000.0
"""The year 3000, in seconds since the epoch: later times are damage, not data."""


class RoundError(FlashpointError):
    """A saved round that cannot be resumed; the message says why and what to do."""


class NewerFormatError(RoundError):
    """A round file written by a newer Flashpoint: not damaged, just not readable here."""


class _Damaged(ValueError):
    """One field is wrong; the message names it."""


def _bounded_int(text: str) -> int:
    if len(text) > MAX_DIGITS and len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number with {len(text)} digits")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]}")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def parse_json(text: str) -> Any:
    """JSON with bounded numbers: no huge integers, no NaN or Infinity; raises ValueError."""
    return json.loads(
        text, parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant
    )


def _text(value: Any, name: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _Damaged(f"'{name}' is not text of at most {limit} characters")
    return value


def _match(value: Any, name: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _Damaged(f"'{name}' is not a valid name")
    return value


def _time(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Damaged(f"'{name}' is not a number")
    if not 0 <= value <= LATEST_TIME:
        raise _Damaged(f"'{name}' is out of range")
    return float(value)


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Damaged(f"'{name}' is not a mapping")
    return value


_VALID_IDS: set[str] = set()
"""Ids already found valid (they repeat in every entry of every record); bounded."""


def is_id(value: Any) -> bool:
    """Whether ``value`` is a valid id (remembering the first 4,096 found valid)."""
    if type(value) is not str:  # JSON text is exactly str
        return False
    if value in _VALID_IDS:
        return True
    if not ID.fullmatch(value):
        return False
    if len(_VALID_IDS) < 4096:
        _VALID_IDS.add(value)
    return True


def all_ids(values: list[str]) -> bool:
    """Whether every one of ``values`` is a valid id (mostly known ones: one set lookup)."""
    return _VALID_IDS.issuperset(values) or all(map(is_id, values))


def _values(value: Any, name: str) -> None:
    if type(value) is not dict:
        raise _Damaged(f"'{name}' is not a mapping")
    if len(value) > 100:
        raise _Damaged(f"'{name}' has too many entries")
    for key, number in value.items():
        if not is_id(key):
            raise _Damaged(f"'{name} key' is not a valid name")
        if type(number) is not int or not -(10**9) <= number <= 10**9:  # bool is not int here
            raise _Damaged(f"'{name}.{key}' is not a whole number in range")


_ENTRY_IDS = {"decision": ("point", "choice", "rung"), "event": ("event", "at", "rung")}


def _entry(item: Any, number: int) -> None:
    """One entry, checked field by field; names are spelt out only for the error message
    (this runs for every entry of every record a class report reads)."""
    if type(item) is not dict:
        raise _Damaged(f"'entry {number}' is not a mapping")
    kind = item.get("kind")
    names = _ENTRY_IDS.get(kind) if type(kind) is str else None
    if names is None:
        raise _Damaged(f"entry {number} has no valid 'kind'")
    for name in names:
        if not is_id(item.get(name)):
            raise _Damaged(f"'entry {number}.{name}' is not a valid name")
    if not _in_time(item.get("time")):
        _time(item.get("time"), f"entry {number}.time")
    _values(item.get("after"), f"entry {number}.after")
    if kind == "decision":
        _values(item.get("before"), f"entry {number}.before")
        _text(item.get("rationale", ""), f"entry {number}.rationale")
        if not _in_time(item.get("seconds", 0)):
            _time(item.get("seconds", 0), f"entry {number}.seconds")
        if type(item.get("automatic", False)) is not bool:
            raise _Damaged(f"'entry {number}.automatic' is not true or false")


def _in_time(value: Any) -> bool:
    """A valid time, checked quickly (``_time`` says what is wrong otherwise)."""
    return type(value) in (int, float) and 0 <= value <= LATEST_TIME


def _state(value: Any) -> None:
    state = _mapping(value, "state")
    for name in ("node", "rung"):
        _match(state.get(name), f"state.{name}", ID)
    if state.get("ending") is not None:
        _match(state.get("ending"), "state.ending", ID)
    if state.get("date") is not None:
        _match(state.get("date"), "state.date", DATE)
    _values(state.get("indicators"), "state.indicators")


def read_header(data: Any) -> dict[str, Any]:
    """Check round data field by field; its identifying fields, or :class:`RoundError`."""
    if not isinstance(data, Mapping) or data.get("format") != ROUND_FORMAT:
        raise RoundError("this is not a Flashpoint round file")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RoundError("the round file has no valid version number")
    if version > ROUND_VERSION:
        raise NewerFormatError(
            f"the round was saved by a newer Flashpoint (format {version}); "
            "update Flashpoint to open it"
        )
    try:
        scenario = _mapping(data.get("scenario"), "scenario")
        sha256 = _text(scenario.get("sha256", ""), "scenario.sha256", 64)
        if sha256:
            _match(sha256, "scenario.sha256", SHA256)
        _text(scenario.get("title", ""), "scenario.title", 300)
        _text(scenario.get("file", ""), "scenario.file", 4096)
        header: dict[str, Any] = {
            "round": _match(data.get("round"), "round", ROUND_ID),
            "scenario_id": _match(scenario.get("id"), "scenario.id", ID),
            "sha256": sha256,
            "role": _match(data.get("role"), "role", ID),
        }
        _text(data.get("role_name", ""), "role_name", 300)
        _text(data.get("player", ""), "player", 80)
        if data.get("status", "playing") not in STATUSES:
            raise _Damaged("'status' is not one of " + ", ".join(STATUSES))
        _time(data.get("started"), "started")
        if data.get("finished") is not None:
            _time(data.get("finished"), "finished")
        entries = data.get("entries")
        if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
            raise _Damaged(f"'entries' is not a list of at most {MAX_ENTRIES}")
        for number, entry in enumerate(entries, start=1):
            _entry(entry, number)
        if data.get("state") is not None:
            _state(data.get("state"))
        settings = _mapping(data.get("settings") or {}, "settings")
        reveal = settings.get("reveal")
        if reveal is not None and reveal not in REVEAL_POLICIES:
            raise _Damaged("'settings.reveal' is not 'immediate' or 'debrief'")
        header["reveal"] = reveal
    except _Damaged as error:
        raise RoundError(f"the round file is damaged: {error}") from None
    return header
