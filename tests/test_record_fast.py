"""The fast reading of result records never accepts what the careful reading refuses, and
what it accepts it reads exactly as the careful reading does."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.engine.play.roundfile import parse_json
from game.engine.records.record_fast import fast_record
from game.engine.records.results import RecordError, parse_record, read_record
from game.engine.scenario.loaded import LoadedScenario
from scripts.make_sample_results import random_round

PATH = Path("record.json")
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    1.5,
    -0.5,
    10**9,
    10**9 + 1,
    -(10**9) - 1,
    12345678901234567890,
    32_503_680_001.0,
    "",
    "x",
    "Bad Id",
    "a" * 65,
    "z" * 1001,
    "2024-01-17",
    "٢٠٢٤-٠١-١٧",
    "../escape",
    "0" * 64,
    "immediate",
    "decision",
    "event",
    "finished",
    [],
    ["a"],
    {},
    {"tension": 5},
    {"Bad Key": 1},
]


def _careful(data: Any) -> Any:
    try:
        return parse_record(PATH, data)
    except RecordError as error:
        return error


def _fast(data: Any) -> Any:
    return fast_record(PATH, json.dumps(data, ensure_ascii=False).encode())


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from _paths(item, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return changed


def _agrees(data: Any) -> bool:
    """Whether the fast reading either declines ``data`` or reads it as the careful one."""
    fast = _fast(data)
    return fast is None or fast == _careful(data)


@pytest.fixture(scope="module")
def records(flagship: LoadedScenario) -> list[dict[str, Any]]:
    rng = random.Random(14)
    return [random_round(flagship, rng, number).to_dict() for number in range(12)]


def test_sound_records_are_read_fast_and_alike(records: list[dict[str, Any]]) -> None:
    for data in records:
        fast = _fast(data)
        assert fast is not None, "a record the game wrote must take the fast way"
        assert fast == _careful(data)


def test_missing_title_status_and_state_read_as_the_careful_way(
    records: list[dict[str, Any]],
) -> None:
    data = records[0]
    for path in [("scenario", "title"), ("status",), ("state",), ("finished",), ("settings",)]:
        changed = _delete(data, path)
        fast = _fast(changed)
        assert fast is not None and fast == _careful(changed), path


def test_no_field_changed_to_an_odd_value_is_accepted_that_the_careful_way_refuses(
    records: list[dict[str, Any]],
) -> None:
    data = records[1]
    checked = 0
    for path in _paths(data):
        if not path:
            continue
        for value in ODD_VALUES:
            changed = _set(data, path, value)
            assert _agrees(changed), (path, value)
            checked += 1
        assert _agrees(_delete(data, path)), path
        if isinstance(path[-1], str):
            assert _agrees(_set(data, (*path[:-1], "unknown_field"), 1)), path
    assert checked > 1000


def test_raw_bytes_the_careful_way_refuses_are_declined(records: list[dict[str, Any]]) -> None:
    text = json.dumps(records[2])
    odd = [
        text.replace('"version": 1', '"version": 1.0'),
        text.replace('"version": 1', '"version": 1, "version": 2'),
        text.replace('"started": ', '"started": 1e999, "x": '),
        text.replace('"player": "', '"player": "\\ud800'),
        text.replace('"player": "', '"player": "\x01'),
        text.replace("{", "[", 1),
        text + "x",
        "\ufeff" + text,
        text.replace('"tension": ', '"tension": ' + "9" * 5000 + ', "t": '),
        text.replace('"entries": [', '"entries": [' + "[" * 5000 + "]" * 5000 + ","),
    ]
    for variant in odd:
        raw = variant.encode("utf-8", errors="surrogatepass")
        fast = fast_record(PATH, raw)
        try:
            careful: Any = parse_record(PATH, parse_json(raw.decode("utf-8")))
        except (ValueError, RecursionError, RecordError) as error:
            careful = error
        assert fast is None or fast == careful, variant[:80]


def test_a_match_record_is_read_the_careful_way(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    data = {**records[3], "match": {"code": "ABCDEF", "seat": records[3]["role"], "turns": []}}
    path = tmp_path / "seat.json"
    path.write_text(json.dumps(data))
    assert fast_record(path, path.read_bytes()) is None  # the match section: careful way
    assert read_record(path).match == "ABCDEF"
