"""The class report's JSON is the text json.dumps(indent=2) writes, though msgspec encodes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from game.reports.class_data import class_json

CASES: list[Any] = [
    {"students": [], "groups": {}, "nested": [{}, [], [[]]], "none": None, "yes": True},
    {"text": 'é\u2028\u2029\ufeff\x00\x1f\x7f"\\\t\n\r 😀', "1": 2},
    {"floats": [0.0, -0.0, 2.5, 12.35, 1e15, 123456.7, 0.0001]},
    {"exponent": [1e16, 1e20, 6.1e-9, 1e-5]},  # msgspec writes 1e16, json.dumps 1e+16
    {"name": "2e5", "n": 2**70, "lone": "\ud800"},  # the fallbacks
    {1: "an int key"},
]


@pytest.mark.parametrize("data", CASES)
def test_class_json_is_the_standard_librarys_text(data: Any) -> None:
    assert class_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_a_report_is_encoded_in_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """Digests, names and figures without exponents take msgspec's way, not the fallback."""

    def refused(*args: object, **kwargs: object) -> str:
        raise AssertionError("json.dumps was used")

    data = {"sha256": "3e5f" * 16, "name": "Ana 2e5", "note": "x: 1", "average": [2.5, 1e15]}
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    monkeypatch.setattr("game.reports.class_data.json.dumps", refused)
    assert class_json(data) == expected
