"""The class report's JSON is the text json.dumps(indent=2) writes, though msgspec encodes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.reports.json_text import _EXPONENT, class_json, exponent_in

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
    monkeypatch.setattr("game.reports.json_text.json.dumps", refused)
    assert class_json(data) == expected


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from([b": ", b":", b" ", b"\n", b"-", b"1", b"0.", b".", b"e", b"E", b'"', b"x"])
    )
)
def test_the_quick_search_for_an_exponent_finds_what_the_plain_search_finds(
    pieces: list[bytes],
) -> None:
    text = b"".join(pieces)
    assert exponent_in(text) == (_EXPONENT.search(text) is not None)
